// Package translate holds SCIM semantics over Hector, pure and I/O-free:
// decisions are functions of values ("given this stored record and this
// PATCH, these are the fields to write"; "given these memberships, this is
// the user's role").
//
// Where things live, one concept a file:
//
//   - mapping.go: the field mapping (SCIM attributes ↔ Hector fields);
//     users.go: decoding User bodies, the create record, PATCH fields;
//     render.go: Hector records as SCIM resources, ETags;
//   - record.go: what the bridge knows of Hector's user record (statuses,
//     read-only and searchable fields, group lists, name comparison);
//   - groups.go, memberfold.go, memberpatch.go: Group bodies and PATCHes as
//     one group change;
//   - roles.go, settlement.go: the group → role rules (by display name or
//     by the IdP's group id) and what a group change means for a user's
//     role and status;
//   - managed.go: the trust boundaries: protected accounts, and the
//     external_id that keeps what the IdP writes managed;
//   - drift.go, explain.go: scim-report's drift analysis of a read of
//     Hector against the rules, and one user's role and status explained
//     rule by rule;
//   - list.go: list windows and the plan of a filter against Hector;
//     search.go: SearchRequest bodies (POST /.search);
//   - patch.go, docpath.go, resource.go, coerce.go, values.go: PatchOp
//     parsing and application, attribute paths in documents, POST and PUT
//     bodies, reading client values by the schema, JSON decoding;
//   - projection.go, precondition.go, errors.go, audit.go.
//
// Filters and PATCH paths are parsed by package filter; schemas live in
// package schema. The operations that call Hector are in package
// provision, which asks this package for every decision.
package translate
