package caddymodule

import (
	"bufio"
	"errors"
	"net/http"

	"github.com/hector-scim/hector-scim/translate"
)

// errAbort signals that a stream failed after the response had started.
var errAbort = errors.New("stream failed after the response started")

// hasStream reports whether a document holds a translate.Stream (a
// group's members), at its top level or in the resources of a list.
func hasStream(doc map[string]any) bool {
	for _, v := range doc {
		switch t := v.(type) {
		case translate.Stream:
			return true
		case []any:
			for _, e := range t {
				if m, ok := e.(map[string]any); ok && hasStream(m) {
					return true
				}
			}
		}
	}
	return false
}

// writeStreaming writes a document holding streams: the status goes out
// first, then the JSON is written as the streams produce it, through a
// small buffer. A stream that fails midway aborts the connection, so the
// client sees a failed request rather than a short list.
func writeStreaming(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", MediaType)
	w.WriteHeader(status)
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := encodeValue(bw, v); err != nil {
		panic(http.ErrAbortHandler) // the net/http way to abort a response already under way
	}
	_ = bw.WriteByte('\n')
	_ = bw.Flush()
}

func encodeStream(w jsonWriter, s translate.Stream) error {
	w.WriteByte('[')
	i := 0
	for e, err := range s {
		if err != nil {
			return errors.Join(errAbort, err)
		}
		if i > 0 {
			w.WriteByte(',')
		}
		i++
		if err := encodeValue(w, e); err != nil {
			return err
		}
	}
	return w.WriteByte(']')
}
