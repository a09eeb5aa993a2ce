package translate

import (
	"encoding/json"
	"strconv"
	"strings"
)

// SearchRequestURN is the schema of a search body (RFC 7644 §3.4.3).
const SearchRequestURN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

// Search is a decoded SearchRequest: what the GET form of a list reads
// from its query string.
type Search struct {
	Query ListQuery
	// Attributes and ExcludedAttributes are comma-separated, as in a query
	// string, for NewProjection.
	Attributes, ExcludedAttributes string
}

// DecodeSearch decodes the body of POST /Users/.search or /Groups/.search
// (RFC 7644 §3.4.3): filter (a string), startIndex and count (integers),
// attributes and excludedAttributes (arrays of strings, or one
// comma-separated string), sortBy and sortOrder (ignored: sorting is not
// supported, as in the GET form). Names compare case-insensitively and
// null counts as absent. schemas, when given, must list SearchRequestURN.
// Anything else is 400 — a misspelt "filtr" must not turn a search into a
// listing of everyone: invalidSyntax for an unknown or repeated member,
// invalidFilter for an empty filter, invalidValue for a wrong type.
func DecodeSearch(body []byte) (Search, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return Search{}, err
	}
	s := Search{Query: ListQuery{StartIndex: 1, Count: -1}}
	seen := map[string]bool{}
	for _, k := range sortedKeys(obj) {
		name, v := searchMember(k), obj[k]
		switch {
		case name == "":
			return s, BadRequest(InvalidSyntax, "%q is not a member of a SearchRequest", clip(k))
		case seen[name]:
			return s, givenTwice(name)
		case v == nil:
			continue
		}
		seen[name] = true
		if err := s.set(name, v); err != nil {
			return s, err
		}
	}
	return s, nil
}

// searchMember is the canonical name of a SearchRequest member, or "".
func searchMember(k string) string {
	for _, m := range [...]string{"schemas", "filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder"} {
		if strings.EqualFold(k, m) {
			return m
		}
	}
	return ""
}

func (s *Search) set(name string, v any) error {
	var err error
	switch name {
	case "schemas":
		err = searchSchemas(v)
	case "filter":
		f, ok := v.(string)
		if !ok {
			return BadRequest(InvalidFilter, "filter must be a string")
		}
		if strings.TrimSpace(f) == "" {
			return BadRequest(InvalidFilter, "the filter is empty")
		}
		s.Query.Filter = f
	case "startIndex":
		s.Query.StartIndex, err = searchInt(name, v)
	case "count":
		s.Query.Count, err = searchInt(name, v)
		s.Query.Count = max(s.Query.Count, 0)
	case "attributes":
		s.Attributes, err = searchList(name, v)
	case "excludedAttributes":
		s.ExcludedAttributes, err = searchList(name, v)
	case "sortBy", "sortOrder":
		if _, ok := v.(string); !ok {
			err = BadRequest(InvalidValue, "%s must be a string", name)
		}
	}
	return err
}

func searchSchemas(v any) error {
	list, _ := v.([]any)
	for _, e := range list {
		if u, ok := e.(string); ok && strings.EqualFold(u, SearchRequestURN) {
			return nil
		}
	}
	return BadRequest(InvalidSyntax, "schemas must list %s", SearchRequestURN)
}

func searchInt(name string, v any) (int, error) {
	if n, ok := v.(json.Number); ok {
		if i, err := strconv.Atoi(string(n)); err == nil {
			return i, nil
		}
	}
	return 0, BadRequest(InvalidValue, "%s must be an integer", name)
}

func searchList(name string, v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			p, ok := e.(string)
			if !ok {
				return "", BadRequest(InvalidValue, "%s must be an array of strings", name)
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, ","), nil
	}
	return "", BadRequest(InvalidValue, "%s must be an array of strings", name)
}
