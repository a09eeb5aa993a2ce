package schema

// Mutability and returned values (RFC 7643 §7).
const (
	ReadOnly  = "readOnly"
	ReadWrite = "readWrite"
	Immutable = "immutable"
	WriteOnly = "writeOnly"
	Always    = "always"
	Never     = "never"
	Default   = "default"
	Request   = "request"
	None      = "none"
	Server    = "server"
)

func attr(name string, t Type, desc string, opts ...func(*Attribute)) *Attribute {
	a := &Attribute{Name: name, Type: t, Description: desc, Mutability: ReadWrite, Returned: Default, Uniqueness: None}
	for _, o := range opts {
		o(a)
	}
	return a
}

func multi(a *Attribute)      { a.MultiValued = true }
func required(a *Attribute)   { a.Required = true }
func caseExact(a *Attribute)  { a.CaseExact = true }
func readOnly(a *Attribute)   { a.Mutability = ReadOnly }
func writeOnly(a *Attribute)  { a.Mutability, a.Returned = WriteOnly, Never }
func immutable(a *Attribute)  { a.Mutability = Immutable }
func always(a *Attribute)     { a.Returned = Always }
func serverUniq(a *Attribute) { a.Uniqueness = Server }

func subs(s ...*Attribute) func(*Attribute) {
	return func(a *Attribute) { a.SubAttributes = s }
}

func canonical(v ...string) func(*Attribute) {
	return func(a *Attribute) { a.CanonicalValues = v }
}

func refs(v ...string) func(*Attribute) {
	return func(a *Attribute) { a.ReferenceTypes = v }
}

// multiSubs are the sub-attributes of a typed multi-valued attribute.
func multiSubs(valueType Type, types ...string) func(*Attribute) {
	return subs(
		attr("value", valueType, "The attribute's significant value."),
		attr("display", String, "A human-readable name, primarily used for display purposes."),
		attr("type", String, "A label indicating the attribute's function.", canonical(types...)),
		attr("primary", Boolean, "Whether this is the primary value of the attribute."),
	)
}

// Common holds the attributes every resource has (RFC 7643 §3.1): id,
// externalId and meta.
var Common = &Schema{
	ID:   "common",
	Name: "Common",
	Attributes: []*Attribute{
		attr("id", String, "Unique identifier for the resource, assigned by the service provider.", readOnly, always, caseExact, serverUniq),
		attr("externalId", String, "Identifier of the resource as defined by the provisioning client.", caseExact),
		attr("meta", Complex, "Resource metadata.", readOnly, subs(
			attr("resourceType", String, "The name of the resource type.", readOnly, caseExact),
			attr("created", DateTime, "When the resource was added.", readOnly),
			attr("lastModified", DateTime, "When the resource was last modified.", readOnly),
			attr("location", Reference, "The URI of the resource.", readOnly, caseExact),
			attr("version", String, "The version (weak ETag) of the resource.", readOnly, caseExact),
		)),
	},
}

var userSchema = &Schema{
	ID:          UserURN,
	Name:        "User",
	Description: "User Account",
	Attributes: []*Attribute{
		attr("userName", String, "Unique identifier for the User, typically used to sign in.", required, serverUniq),
		attr("name", Complex, "The components of the user's name.", subs(
			attr("formatted", String, "The full name."),
			attr("familyName", String, "The family name."),
			attr("givenName", String, "The given name."),
			attr("middleName", String, "The middle name(s)."),
			attr("honorificPrefix", String, "The honorific prefix(es)."),
			attr("honorificSuffix", String, "The honorific suffix(es)."),
		)),
		attr("displayName", String, "The name of the User, suitable for display."),
		attr("nickName", String, "The casual way to address the user."),
		attr("profileUrl", Reference, "A URI pointing to the user's online profile.", refs("external")),
		attr("title", String, "The user's title, such as \"Vice President\"."),
		attr("userType", String, "The relationship between the organization and the user."),
		attr("preferredLanguage", String, "The user's preferred written or spoken language."),
		attr("locale", String, "The user's default location for localizing."),
		attr("timezone", String, "The user's time zone, in IANA Time Zone database format."),
		attr("active", Boolean, "The user's administrative status."),
		attr("password", String, "The user's cleartext password; never stored nor returned.", writeOnly),
		attr("emails", Complex, "Email addresses for the user.", multi, multiSubs(String, "work", "home", "other")),
		attr("phoneNumbers", Complex, "Phone numbers for the user.", multi, multiSubs(String, "work", "home", "mobile", "fax", "pager", "other")),
		attr("ims", Complex, "Instant messaging addresses for the user.", multi, multiSubs(String)),
		attr("photos", Complex, "URLs of photos of the user.", multi, multiSubs(Reference, "photo", "thumbnail")),
		attr("addresses", Complex, "Physical mailing addresses for the user.", multi, subs(
			attr("formatted", String, "The full mailing address."),
			attr("streetAddress", String, "The full street address component."),
			attr("locality", String, "The city or locality component."),
			attr("region", String, "The state or region component."),
			attr("postalCode", String, "The zip code or postal code component."),
			attr("country", String, "The country name component."),
			attr("type", String, "A label indicating the attribute's function.", canonical("work", "home", "other")),
			attr("primary", Boolean, "Whether this is the primary address."),
		)),
		attr("groups", Complex, "The groups the user belongs to; read-only, managed through /Groups.", multi, readOnly, subs(
			attr("value", String, "The identifier of the group.", readOnly),
			attr("$ref", Reference, "The URI of the group.", readOnly, refs("Group")),
			attr("display", String, "The group's display name.", readOnly),
			attr("type", String, "direct or indirect.", readOnly, canonical("direct", "indirect")),
		)),
		attr("entitlements", Complex, "Entitlements of the user.", multi, multiSubs(String)),
		attr("roles", Complex, "Roles of the user; accepted and ignored (Hector roles come from groups).", multi, multiSubs(String)),
		attr("x509Certificates", Complex, "Certificates of the user.", multi, multiSubs(Binary)),
	},
}

var enterpriseSchema = &Schema{
	ID:          EnterpriseURN,
	Name:        "EnterpriseUser",
	Description: "Enterprise User",
	Attributes: []*Attribute{
		attr("employeeNumber", String, "Numeric or alphanumeric identifier assigned to a person."),
		attr("costCenter", String, "Identifies the name of a cost center."),
		attr("organization", String, "Identifies the name of an organization."),
		attr("division", String, "Identifies the name of a division."),
		attr("department", String, "Identifies the name of a department."),
		attr("manager", Complex, "The user's manager; accepted and ignored.", subs(
			attr("value", String, "The id of the SCIM resource representing the manager."),
			attr("$ref", Reference, "The URI of the manager.", refs("User")),
			attr("displayName", String, "The displayName of the manager.", readOnly),
		)),
	},
}

var groupSchema = &Schema{
	ID:          GroupURN,
	Name:        "Group",
	Description: "Group",
	Attributes: []*Attribute{
		attr("displayName", String, "A human-readable name for the Group.", required, serverUniq),
		attr("members", Complex, "A list of members of the Group.", multi, subs(
			attr("value", String, "Identifier of the member of this Group.", immutable),
			attr("$ref", Reference, "The URI of the member.", immutable, refs("User")),
			attr("display", String, "A human-readable name of the member.", readOnly),
			attr("type", String, "The type of the member.", immutable, canonical("User")),
		)),
	},
}

// User is the User resource type: core User schema plus the enterprise
// extension.
var User = &ResourceType{
	Name:        "User",
	Endpoint:    "/Users",
	Description: "User Account",
	Core:        userSchema,
	Extensions:  []*Schema{enterpriseSchema},
}

// Group is the Group resource type.
var Group = &ResourceType{
	Name:        "Group",
	Endpoint:    "/Groups",
	Description: "Group",
	Core:        groupSchema,
}
