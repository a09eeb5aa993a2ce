package caddymodule

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/hector-scim/hector-scim/translate"
)

// MediaType is the SCIM media type, used for every response.
const MediaType = "application/scim+json"

// jsonWriter is where the encoder writes: a bytes.Buffer, or a
// bufio.Writer for streams.
type jsonWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeJSON writes v as a SCIM JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	if err := encodeValue(buf, v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"response encoding failed"}`)
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", MediaType)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// encodeValue writes a document as JSON: objects with sorted keys, without
// HTML escaping, and streams element by element. The common types are
// written directly; anything else goes through encoding/json.
func encodeValue(w jsonWriter, v any) error {
	switch t := v.(type) {
	case string:
		writeString(w, t)
	case bool:
		if t {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case int:
		w.WriteString(strconv.Itoa(t))
	case nil:
		w.WriteString("null")
	case json.Number:
		w.WriteString(t.String())
	case map[string]any:
		return encodeObject(w, t)
	case []any:
		return encodeArray(w, t)
	case []string:
		w.WriteByte('[')
		for i, s := range t {
			if i > 0 {
				w.WriteByte(',')
			}
			writeString(w, s)
		}
		w.WriteByte(']')
	case translate.Stream:
		return encodeStream(w, t)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return nil
}

func encodeObject(w jsonWriter, m map[string]any) error {
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		writeString(w, k)
		w.WriteByte(':')
		if err := encodeValue(w, m[k]); err != nil {
			return err
		}
	}
	return w.WriteByte('}')
}

func encodeArray(w jsonWriter, list []any) error {
	w.WriteByte('[')
	for i, e := range list {
		if i > 0 {
			w.WriteByte(',')
		}
		if err := encodeValue(w, e); err != nil {
			return err
		}
	}
	return w.WriteByte(']')
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string, as encoding/json would without
// HTML escaping: control characters escaped, invalid UTF-8 replaced.
func writeString(w jsonWriter, s string) {
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			w.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\n':
				w.WriteString(`\n`)
			case '\r':
				w.WriteString(`\r`)
			case '\t':
				w.WriteString(`\t`)
			case '\b':
				w.WriteString(`\b`)
			case '\f':
				w.WriteString(`\f`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(hexDigits[c>>4])
				w.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.WriteString(s[start:i])
			w.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			w.WriteString(s[start:i])
			w.WriteString(`\u202`)
			w.WriteByte(hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}
