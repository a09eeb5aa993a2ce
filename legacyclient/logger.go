package legacyclient

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// retryLogger adapts zap to go-retryablehttp's LeveledLogger, so the
// library never writes to stderr. Its per-attempt "request failed" lines
// are warnings (the call may still succeed), its other lines debug. Values
// are scrubbed of the API key, and URLs, in errors too, lose their query
// (usernames and e-mail addresses) at any level above debug.
type retryLogger struct {
	log   *zap.Logger
	scrub func(string) string
}

// Error implements retryablehttp.LeveledLogger.
func (l retryLogger) Error(msg string, kv ...any) { l.write(zapcore.WarnLevel, msg, kv) }

// Warn implements retryablehttp.LeveledLogger.
func (l retryLogger) Warn(msg string, kv ...any) { l.write(zapcore.WarnLevel, msg, kv) }

// Info implements retryablehttp.LeveledLogger.
func (l retryLogger) Info(msg string, kv ...any) { l.write(zapcore.DebugLevel, msg, kv) }

// Debug implements retryablehttp.LeveledLogger.
func (l retryLogger) Debug(msg string, kv ...any) { l.write(zapcore.DebugLevel, msg, kv) }

func (l retryLogger) write(lvl zapcore.Level, msg string, kv []any) {
	ce := l.log.Check(lvl, msg)
	if ce == nil {
		return
	}
	fields := make([]zap.Field, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		key, _ := kv[i].(string)
		fields = append(fields, l.field(lvl, key, kv[i+1]))
	}
	ce.Write(fields...)
}

// field turns one key/value pair into a typed zap field.
func (l retryLogger) field(lvl zapcore.Level, key string, v any) zap.Field {
	switch v := v.(type) {
	case int:
		return zap.Int(key, v)
	case time.Duration:
		return zap.Duration(key, v)
	case error:
		var ue *url.Error
		if lvl > zapcore.DebugLevel && errors.As(v, &ue) {
			u, _, _ := strings.Cut(ue.URL, "?")
			return zap.String(key, l.scrub(ue.Op+" "+u+": "+ue.Err.Error()))
		}
		return zap.String(key, l.scrub(v.Error()))
	case string:
		if key == "url" && lvl > zapcore.DebugLevel {
			v, _, _ = strings.Cut(v, "?")
		}
		return zap.String(key, l.scrub(v))
	default:
		return zap.String(key, l.scrub(fmt.Sprint(v)))
	}
}
