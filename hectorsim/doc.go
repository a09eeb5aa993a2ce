// Package hectorsim is an in-memory simulator of the Hector legacy REST API
// (hector-legacy-api.md, version 1): users, groups, memberships and roles,
// with optional JSON persistence, a per-key token-bucket rate limit,
// injected latency and faults, and counters for tests and benchmarks.
//
// It is an independent implementation of the contract: it imports nothing
// of Caddy, of the legacy client or of the SCIM translation, so the
// simulator and the client check each other. A [Server] is an
// [http.Handler] serving the contract at /users, /groups, /roles relative to
// the root; the sub-package simcaddy mounts it in Caddy as hector_sim.
//
// # Request pipeline
//
// Every request goes through, in order: SetDown (connection closed, no
// answer), authentication (401), the rate limit (429 with Retry-After),
// fault injection (502, or 503 with Retry-After: 1), latency (cancelled with
// the request's context: no answer), then routing (404, 405) and handling.
//
// # Choices where the contract is silent
//
//   - A PUT that changes nothing keeps updated_at. A change of case is a
//     change.
//   - Group updated_at changes on every write that changes what GET
//     /groups/{id} renders: name, external_id, and member_count (members
//     added or removed, a member user deleted). Renaming a group does not
//     change its members' updated_at (their membership did not change).
//   - Ids are canonical positive decimal integers; anything else in an id
//     position ("abc", "0", "01", "-1") is 404 not_found, including the
//     user_id of DELETE /groups/{id}/members/{user_id}. User and group ids
//     are two sequences starting at 1 and never reused.
//   - A known path with a method it does not serve is 405
//     method_not_allowed with an Allow header; an unknown path is 404.
//     HEAD is not served. Query parameters on non-list endpoints are ignored.
//   - A body that is valid JSON but not an object is 400 bad_request, as is
//     a body over 1 MiB. The request Content-Type is not checked.
//   - JSON null for a writable field is the same as leaving it out; an
//     empty status or role is the same as leaving it out (the default
//     applies). Strings are stored as sent (no trimming). Email addresses are
//     not validated. status and role are compared exactly (case-sensitive).
//   - 422 comes before 409: a body is validated completely before
//     uniqueness is checked; a 409 names every field that is taken.
//   - List filters: a parameter given twice is 400. An empty filter value
//     matches the users whose field is empty (external_id= matches users
//     without one). A status filter that is neither active nor disabled
//     matches nothing. GET /roles is paged like every list, in the
//     configured order.
//   - POST /groups/{id}/members: 404 for an unknown group comes first; a
//     missing or null user_ids is 422 "required", an element that is not an
//     integer is 422; an empty list is a 204 no-op; duplicates are merged.
//   - An ambiguous POST only ever hits a create that succeeded (201): a 409
//     or 422 is answered normally.
//   - Requests are counted in Stats.ByRoute when the path matches a route,
//     whatever the method and outcome; unknown paths only in
//     Stats.Requests.
//   - The data file (mode 0600) is rewritten whole, atomically, about 100ms
//     after a burst of writes, and by Flush and Close; a crash loses at most
//     that window. A data file that does not parse, or breaks a uniqueness
//     rule, fails New.
//   - Dropping a connection needs a hijackable ResponseWriter; otherwise
//     (HTTP/2, httptest.ResponseRecorder) the handler panics with
//     http.ErrAbortHandler, which net/http and Caddy turn into an aborted
//     response.
package hectorsim
