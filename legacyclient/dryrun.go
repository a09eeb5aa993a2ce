package legacyclient

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/sjson"
	"go.uber.org/zap"
)

// dryRun answers a write without sending it: the call is logged as it
// would have been sent, and the answer is what Hector would most likely
// have returned (new objects get id 0, as Hector never issues it).
func (c *Client) dryRun(r request) []byte {
	c.log.Info("dry run: hector write not sent",
		zap.String("route", r.route), zap.String("method", r.method),
		zap.String("path", r.path), zap.ByteString("body", r.body))
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
