package caddymodule

import (
	"context"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hector-scim/hector-scim/translate"
)

// publicFields are the Hector fields whose values are not personal data
// and are always written to the audit log.
var publicFields = map[string]bool{"status": true, "role": true, "name": true, "external_id": true}

// auditor writes one line per change written to Hector on the logger
// named "http.handlers.scim.audit", so that ops can route it to its own
// file with Caddy's log configuration. Each line names what changed
// (hector_id), the Hector users it touched (users), and what caused it:
// the SCIM request's id (uuid, the value on Caddy's access log line) or a
// scim-report run (run_id). Values of personal fields, usernames
// included, appear only at debug level, or with log_personal_data.
type auditor struct {
	logger   *zap.Logger
	personal bool
	dryRun   bool
	runID    string // a scim-report --apply run, instead of a request
}

func (a auditor) Change(ctx context.Context, c translate.Change) {
	personal := a.personal || a.logger.Core().Enabled(zapcore.DebugLevel)
	fields := make([]zap.Field, 0, 8)
	switch id := requestID(ctx); {
	case a.runID != "":
		fields = append(fields, zap.String("run_id", a.runID))
	case id != "":
		fields = append(fields, zap.String("uuid", id))
	}
	fields = append(fields,
		zap.String("object", c.Object),
		zap.String("action", c.Action),
		zap.String("hector_id", c.ID),
	)
	if len(c.Fields) > 0 {
		fields = append(fields, zap.Array("changes", changes{c.Fields, personal}))
	}
	if len(c.Users) > 0 {
		fields = append(fields, zap.Int64s("users", c.Users))
	}
	if personal && len(c.UserNames) > 0 {
		fields = append(fields, zap.Strings("usernames", c.UserNames))
	}
	if a.dryRun {
		fields = append(fields, zap.Bool("dry_run", true))
	}
	a.logger.Info("hector change", fields...)
}

type changes struct {
	list     []translate.FieldChange
	personal bool
}

func (c changes) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, f := range c.list {
		if f.Field == "" {
			continue
		}
		show := c.personal || publicFields[f.Field]
		_ = enc.AppendObject(zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
			o.AddString("field", f.Field)
			if show {
				o.AddString("before", f.Before)
				o.AddString("after", f.After)
			}
			return nil
		}))
	}
	return nil
}
