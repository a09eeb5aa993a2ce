package translate

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// Line is one line of the field mapping: a Hector field and, in priority
// order, the SCIM attributes it is filled from (the first non-empty wins).
type Line struct {
	// Field is a gjson path into the legacy user JSON, e.g. "first_name".
	Field string `json:"field"`
	// Sources are SCIM attribute paths, e.g. `emails[type eq "work"].value`.
	Sources []string `json:"sources"`
}

// DefaultLines is Hector's own mapping (DESIGN.md "Field mapping").
func DefaultLines() []Line {
	return []Line{
		{"username", []string{"userName"}},
		{"email", []string{`emails[type eq "work"].value`, `emails[primary eq true].value`, "userName"}},
		{"identifier", []string{schema.EnterpriseURN + ":employeeNumber", "userName"}},
		{"first_name", []string{"name.givenName"}},
		{"last_name", []string{"name.familyName"}},
		{"external_id", []string{"externalId"}},
		{"status", []string{"active"}},
		{"title", []string{"title"}},
		{"department", []string{schema.EnterpriseURN + ":department"}},
		{"phone", []string{`phoneNumbers[type eq "work"].value`}},
		{"locale", []string{"preferredLanguage", "locale"}},
	}
}

// Mapping is a compiled field mapping between SCIM users and Hector users.
type Mapping struct {
	lines []line
	// attrs holds the canonical top-level attributes that feed a line
	// (extension attributes as "urn:…:attr"); every other attribute is
	// accepted and ignored.
	attrs map[string]bool
}

type line struct {
	field   string
	sources []filter.Path
	boolean bool   // the first source is a boolean (active ↔ status)
	key     string // the first source's canonical filter term path
}

// NewMapping compiles DefaultLines with overrides applied: an override
// replaces the line of the same Field, or is added.
func NewMapping(overrides []Line) (*Mapping, error) {
	lines := DefaultLines()
	for _, o := range overrides {
		replaced := false
		for i := range lines {
			if lines[i].Field == o.Field {
				lines[i], replaced = o, true
			}
		}
		if !replaced {
			lines = append(lines, o)
		}
	}
	m := &Mapping{attrs: map[string]bool{}}
	for _, l := range lines {
		cl, err := compileLine(l)
		if err != nil {
			return nil, err
		}
		m.lines = append(m.lines, cl)
		for _, p := range cl.sources {
			m.attrs[topKey(p.Ref)] = true
		}
	}
	return m, nil
}

func compileLine(l Line) (line, error) {
	if l.Field == "" || !validField(l.Field) {
		return line{}, fmt.Errorf("mapping: invalid Hector field path %q", l.Field)
	}
	if len(l.Sources) == 0 {
		return line{}, fmt.Errorf("mapping: field %q has no SCIM source", l.Field)
	}
	cl := line{field: l.Field}
	for _, s := range l.Sources {
		p, err := filter.ParsePath(s, schema.User)
		if err != nil {
			return line{}, fmt.Errorf("mapping: field %q: source %q: %w", l.Field, s, err)
		}
		if err := checkSource(p, s); err != nil {
			return line{}, fmt.Errorf("mapping: field %q: %w", l.Field, err)
		}
		cl.sources = append(cl.sources, p)
	}
	cl.boolean = cl.sources[0].Ref.Type() == schema.Boolean && cl.sources[0].Sub == nil
	cl.key = termKey(cl.sources[0])
	return cl, nil
}

func checkSource(p filter.Path, s string) error {
	if p.Ignored || p.Ref.Attr == nil {
		return fmt.Errorf("source %q is not an attribute of the User schema", s)
	}
	if p.Ref.Schema == schema.Common && p.Ref.Attr.Name != "externalId" {
		return fmt.Errorf("source %q is read-only", s)
	}
	t := p.Ref.Type()
	if p.Sub != nil {
		t = p.Sub.Type
	} else if p.Filter != nil {
		return fmt.Errorf("source %q must end at a sub-attribute", s)
	}
	if t == schema.Complex || (p.Ref.Attr.MultiValued && p.Ref.Sub == nil && p.Sub == nil) {
		return fmt.Errorf("source %q must be a simple attribute", s)
	}
	return nil
}

// validField accepts plain gjson paths: keys separated by dots, with no
// modifiers, wildcards or queries.
func validField(f string) bool {
	for _, part := range strings.Split(f, ".") {
		if part == "" || strings.ContainsAny(part, "*?#|@!{}[]()=<> ") {
			return false
		}
	}
	return true
}

// topKey is the document key of the top-level attribute a reference sits
// under: "name", "emails", or "urn:…:enterprise:2.0:User:employeeNumber".
func topKey(r schema.Ref) string {
	if isExtension(r.Schema) {
		return r.Schema.ID + ":" + r.Attr.Name
	}
	return r.Attr.Name
}

// Fields lists the Hector fields the mapping writes, in mapping order.
func (m *Mapping) Fields() []string {
	out := make([]string, len(m.lines))
	for i, l := range m.lines {
		out[i] = l.field
	}
	return out
}

// Lines returns the effective mapping, for display.
func (m *Mapping) Lines() []Line {
	out := make([]Line, len(m.lines))
	for i, l := range m.lines {
		out[i].Field = l.field
		for _, p := range l.sources {
			out[i].Sources = append(out[i].Sources, p.String())
		}
	}
	return out
}

// Stores reports whether the top-level attribute (as topKey spells it)
// feeds a Hector field.
func (m *Mapping) Stores(key string) bool { return m.attrs[key] }

// ToHector computes the Hector field values from a SCIM user document: for
// each line, the first non-empty source. A boolean source yields "active" or
// "disabled" for Hector's status, and nothing when absent.
func (m *Mapping) ToHector(doc map[string]any) map[string]any {
	out := make(map[string]any, len(m.lines))
	for _, l := range m.lines {
		out[l.field] = l.value(doc)
	}
	return out
}

func (l line) value(doc map[string]any) any {
	for _, p := range l.sources {
		v := getPath(doc, p)
		switch t := v.(type) {
		case string:
			if t != "" {
				return t
			}
		case bool:
			if l.field == "status" {
				return StatusOf(t)
			}
			return t
		}
	}
	if l.boolean {
		return nil
	}
	return ""
}

// FromHector renders the mapped attributes of a Hector user into a SCIM
// document: each Hector field under its first SCIM source, exactly as
// stored. Empty fields are left out, and so is an external_id the bridge
// generated.
func (m *Mapping) FromHector(raw []byte) map[string]any {
	doc, _ := m.fromHector(raw)
	return doc
}

// recordMeta are the read-only fields of a Hector user a resource needs.
type recordMeta struct{ id, created, updated string }

// fromHector reads the record in one pass (nested field paths apart) and
// renders it.
func (m *Mapping) fromHector(raw []byte) (map[string]any, recordMeta) {
	vals := make([]gjson.Result, len(m.lines))
	var rm recordMeta
	gjson.ParseBytes(raw).ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "id":
			rm.id = v.String()
		case "created_at":
			rm.created = v.Str
		case "updated_at":
			rm.updated = v.Str
		}
		for i, l := range m.lines {
			if l.field == k.Str {
				vals[i] = v
			}
		}
		return true
	})
	doc := make(map[string]any, len(m.lines))
	for i, l := range m.lines {
		r := vals[i]
		if strings.Contains(l.field, ".") {
			r = gjson.GetBytes(raw, l.field)
		}
		var v any
		switch {
		case l.boolean && l.field == "status":
			v = r.String() == StatusActive
		case l.boolean:
			v = r.Bool()
		case r.Type == gjson.Null || r.String() == "":
			continue
		case l.field == "external_id" && IsGenerated(r.String()):
			continue // the bridge's own key is never reported as the IdP's
		default:
			v = r.String()
		}
		_ = setPath(doc, l.sources[0], v)
	}
	return doc, rm
}

// searchField returns the searchable Hector field that a filter term's
// canonical path reads back from (the field's first source), and whether
// SCIM compares that attribute case-sensitively.
func (m *Mapping) searchField(termPath string) (field string, caseExact bool) {
	for _, l := range m.lines {
		if !Searchable(l.field) {
			continue
		}
		src := l.sources[0]
		if termPath == l.key || (src.Filter != nil && src.Sub != nil && termPath == src.Ref.Attr.Name+"."+src.Sub.Name) {
			if src.Sub != nil {
				return l.field, src.Sub.CaseExact
			}
			return l.field, src.Ref.CaseExact()
		}
	}
	return "", false
}

// termKey is the canonical term path of a mapping source, as
// filter.Conjuncts spells it.
func termKey(p filter.Path) string {
	f, err := filter.Parse(p.String()+` eq "x"`, schema.User)
	if err != nil {
		return p.String()
	}
	terms, _ := f.Conjuncts()
	if len(terms) != 1 {
		return p.String()
	}
	return terms[0].Path
}
