package legacyclient

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
	"go.uber.org/zap"
)

// dryRun answers a write without sending it: the call is logged as it
// would have been sent, and the answer is what Hector would most likely
// have returned (new objects get id 0, as Hector never issues it).
func (c *Client) dryRun(r request) []byte {
	c.logDryRun(r)
	if r.want == http.StatusNoContent {
		return nil
	}
	obj := r.body
	if len(obj) == 0 {
		obj = []byte(`{}`)
	}
	var id int64
	if r.method == http.MethodPut {
		id, _ = strconv.ParseInt(r.path[strings.LastIndexByte(r.path, '/')+1:], 10, 64)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	obj, _ = sjson.SetBytes(obj, "id", id)
	obj, _ = sjson.SetBytes(obj, "updated_at", now)
	if r.method == http.MethodPost {
		obj, _ = sjson.SetBytes(obj, "created_at", now)
		if r.route == RouteCreateUser {
			obj, _ = sjson.SetRawBytes(obj, "groups", []byte(`[]`))
		}
	}
	return wrapData(obj)
}

// logDryRun logs a write that was not sent: its method, path and the
// names of its body's fields at info level; the body itself, which holds
// personal data, only at debug level or with DryRunBodies.
func (c *Client) logDryRun(r request) {
	ce := c.log.Check(zap.InfoLevel, "dry run: hector write not sent")
	if ce == nil {
		return
	}
	fields := []zap.Field{
		zap.String("route", r.route), zap.String("method", r.method),
		zap.String("path", r.path), zap.Strings("fields", bodyFields(r.body)),
	}
	if c.cfg.DryRunBodies || c.log.Core().Enabled(zap.DebugLevel) {
		fields = append(fields, zap.ByteString("body", r.body))
	}
	ce.Write(fields...)
}

// bodyFields lists the top-level keys of a JSON object body.
func bodyFields(body []byte) []string {
	var keys []string
	gjson.ParseBytes(body).ForEach(func(k, _ gjson.Result) bool {
		keys = append(keys, k.String())
		return true
	})
	return keys
}
