package caddymodule

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"

	"github.com/hector-scim/hector-scim/translate"
)

// errAbort signals that a stream failed after the response had started.
var errAbort = errors.New("stream failed after the response started")

// hasStream reports whether a document holds a translate.Stream anywhere
// that must be written incrementally.
func hasStream(v any) bool {
	switch t := v.(type) {
	case translate.Stream:
		return true
	case map[string]any:
		for _, e := range t {
			if hasStream(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasStream(e) {
				return true
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
	w.Header().Set("Content-Type", MediaType+"; charset=utf-8")
	w.WriteHeader(status)
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := encodeValue(bw, v); err != nil {
		panic(http.ErrAbortHandler) // the net/http way to abort a response already under way
	}
	_ = bw.WriteByte('\n')
	_ = bw.Flush()
}

func encodeValue(w *bufio.Writer, v any) error {
	switch t := v.(type) {
	case translate.Stream:
		return encodeStream(w, t)
	case map[string]any:
		return encodeObject(w, t)
	case []any:
		return encodeArray(w, t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func encodeObject(w *bufio.Writer, m map[string]any) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		w.Write(kb)
		w.WriteByte(':')
		if err := encodeValue(w, m[k]); err != nil {
			return err
		}
	}
	return w.WriteByte('}')
}

func encodeArray(w *bufio.Writer, list []any) error {
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

func encodeStream(w *bufio.Writer, s translate.Stream) error {
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

var _ io.Writer = (*bufio.Writer)(nil)
