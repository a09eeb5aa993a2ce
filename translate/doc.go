// Package translate holds SCIM semantics over Hector: the field mapping
// between SCIM resources and Hector records, PATCH application, filter
// pushdown and the group → role rules (pure, I/O-free files), and the SCIM
// operations that turn one SCIM request into the Hector legacy calls it
// needs (users.go, groups.go).
//
// It imports nothing of Caddy: the Caddy module decodes HTTP requests,
// calls a [Service] and encodes what it returns.
package translate
