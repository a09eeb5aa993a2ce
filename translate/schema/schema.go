// Package schema describes the SCIM 2.0 resource schemas that hector-scim
// serves (RFC 7643 §4 core User and Group, the enterprise User extension)
// and resolves attribute paths against them, case-insensitively.
//
// The tables are read-only values shared by the filter, PATCH and mapping
// code and rendered as-is by the /Schemas endpoint.
package schema

import "strings"

// Well-known SCIM URNs.
const (
	UserURN                  = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupURN                 = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseURN            = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	ListResponseURN          = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	PatchOpURN               = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	ErrorURN                 = "urn:ietf:params:scim:api:messages:2.0:Error"
	ServiceProviderConfigURN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	ResourceTypeURN          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaURN                = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// Type is a SCIM attribute data type (RFC 7643 §2.3).
type Type string

// The SCIM attribute data types.
const (
	String    Type = "string"
	Boolean   Type = "boolean"
	Decimal   Type = "decimal"
	Integer   Type = "integer"
	DateTime  Type = "dateTime"
	Reference Type = "reference"
	Complex   Type = "complex"
	Binary    Type = "binary"
)

// Attribute describes one attribute or sub-attribute (RFC 7643 §7).
type Attribute struct {
	Name            string       `json:"name"`
	Type            Type         `json:"type"`
	MultiValued     bool         `json:"multiValued"`
	Description     string       `json:"description"`
	Required        bool         `json:"required"`
	CaseExact       bool         `json:"caseExact"`
	Mutability      string       `json:"mutability"`
	Returned        string       `json:"returned"`
	Uniqueness      string       `json:"uniqueness"`
	CanonicalValues []string     `json:"canonicalValues,omitempty"`
	ReferenceTypes  []string     `json:"referenceTypes,omitempty"`
	SubAttributes   []*Attribute `json:"subAttributes,omitempty"`
}

// Sub returns the sub-attribute called name (case-insensitively), or nil.
func (a *Attribute) Sub(name string) *Attribute {
	return find(a.SubAttributes, name)
}

// Schema is one SCIM schema: a URN and its attributes.
type Schema struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Attributes  []*Attribute `json:"attributes"`
}

// Attr returns the top-level attribute called name (case-insensitively), or nil.
func (s *Schema) Attr(name string) *Attribute {
	return find(s.Attributes, name)
}

func find(attrs []*Attribute, name string) *Attribute {
	for _, a := range attrs {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// ResourceType is a SCIM resource type: its endpoint, core schema and
// schema extensions (RFC 7643 §6).
type ResourceType struct {
	Name        string
	Endpoint    string
	Description string
	Core        *Schema
	Extensions  []*Schema
}

// Extension returns the extension schema whose URN is uri
// (case-insensitively), or nil.
func (rt *ResourceType) Extension(uri string) *Schema {
	for _, s := range rt.Extensions {
		if strings.EqualFold(s.ID, uri) {
			return s
		}
	}
	return nil
}

// Schemas returns the core schema followed by the extensions.
func (rt *ResourceType) Schemas() []*Schema {
	return append([]*Schema{rt.Core}, rt.Extensions...)
}

// schema returns the i-th schema of Schemas, without building the list.
func (rt *ResourceType) schema(i int) *Schema {
	if i == 0 {
		return rt.Core
	}
	return rt.Extensions[i-1]
}
