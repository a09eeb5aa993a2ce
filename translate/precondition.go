package translate

import "strings"

// CheckVersion answers 412 when an If-Match header is given and the
// resource's current version (its meta.version, a weak ETag) is not among
// its tags ("*" matches any). An empty header matches.
func CheckVersion(ifMatch string, current Resource) error {
	if strings.TrimSpace(ifMatch) == "" {
		return nil
	}
	m, _ := current["meta"].(map[string]any)
	version, _ := m["version"].(string)
	for _, tag := range strings.Split(ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || weakEqual(tag, version) {
			return nil
		}
	}
	return &Error{Status: StatusPreconditionFailed, Detail: "the resource has changed since the version given in If-Match; read it again"}
}

// weakEqual compares entity tags weakly (RFC 9110 §8.8.3.2).
func weakEqual(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}
