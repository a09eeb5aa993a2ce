package legacyclient

import (
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tidwall/gjson"
)

// iterPerPage is the page size of the iterators: the contract's maximum.
const iterPerPage = 100

// meta is a list answer's paging metadata.
type meta struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
}

// decodeData decodes a single-object answer, {"data": {...}}, of status.
func decodeData[T any](op string, status int, body []byte) (T, error) {
	var out struct {
		Data T `json:"data"`
	}
	if !gjson.ValidBytes(body) || !gjson.GetBytes(body, "data").IsObject() {
		return out.Data, badResponse(op, status, "answer is not {\"data\": {...}}")
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return out.Data, badResponse(op, status, "cannot decode answer: "+err.Error())
	}
	return out.Data, nil
}

// dataObject returns the object of a single-object answer of status,
// {"data": {...}}, as a slice of body (no copy, no second parse).
func dataObject(op string, status int, body []byte) (json.RawMessage, error) {
	if !gjson.ValidBytes(body) {
		return nil, badResponse(op, status, "answer is not JSON")
	}
	r := gjson.GetBytes(body, "data")
	if !r.IsObject() {
		return nil, badResponse(op, status, "answer is not {\"data\": {...}}")
	}
	if r.Index > 0 && r.Index+len(r.Raw) <= len(body) {
		return body[r.Index : r.Index+len(r.Raw) : r.Index+len(r.Raw)], nil
	}
	return json.RawMessage(r.Raw), nil
}

// decodeRawList decodes a list answer of raw objects (users) with gjson,
// without building the objects.
func decodeRawList(op string, body []byte) ([]json.RawMessage, meta, error) {
	if !gjson.ValidBytes(body) {
		return nil, meta{}, badResponse(op, http.StatusOK, "answer is not JSON")
	}
	res := gjson.GetManyBytes(body, "data", "meta.page", "meta.per_page", "meta.total")
	if !res[0].IsArray() {
		return nil, meta{}, badResponse(op, http.StatusOK, "answer is not {\"data\": [...]}")
	}
	m := meta{Page: int(res[1].Int()), PerPage: int(res[2].Int()), Total: int(res[3].Int())}
	var out []json.RawMessage
	ok := true
	res[0].ForEach(func(_, v gjson.Result) bool {
		if !v.IsObject() {
			ok = false
			return false
		}
		out = append(out, json.RawMessage(v.Raw))
		return true
	})
	if !ok {
		return nil, meta{}, badResponse(op, http.StatusOK, "a list element is not an object")
	}
	return out, m, nil
}

// decodeList decodes a list answer, {"data": [...], "meta": {...}}.
func decodeList[T any](op string, body []byte) ([]T, meta, error) {
	var out struct {
		Data []T  `json:"data"`
		Meta meta `json:"meta"`
	}
	if !gjson.ValidBytes(body) || !gjson.GetBytes(body, "data").IsArray() {
		return nil, meta{}, badResponse(op, http.StatusOK, "answer is not {\"data\": [...]}")
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, meta{}, badResponse(op, http.StatusOK, "cannot decode answer: "+err.Error())
	}
	return out.Data, out.Meta, nil
}

// pageQuery adds page and per_page to q; values <= 0 are left out, so
// Hector applies its defaults (page 1, 25 a page).
func pageQuery(q url.Values, page, perPage int) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if perPage > 0 {
		q.Set("per_page", strconv.Itoa(perPage))
	}
	return q
}

// walk yields every item of every page, fetching one page at a time, so
// memory holds one page at most. It stops at the first error, which it
// yields, or when the caller stops.
func walk[T any](fetch func(page int) ([]T, meta, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := 1; ; page++ {
			items, m, err := fetch(page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || len(items) < m.PerPage || page*len(items) >= m.Total {
				return
			}
		}
	}
}

// idPath returns prefix/id with id as one escaped path segment.
func idPath(prefix string, id int64) string {
	return prefix + "/" + url.PathEscape(strconv.FormatInt(id, 10))
}
