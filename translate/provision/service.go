// Package provision runs the SCIM operations against Hector: each turns
// one SCIM request into the Hector calls it needs (read, plan, write,
// settle roles and statuses, verify), with the locks and concurrency that
// takes. It asks package translate for every decision and legacyclient for
// every call, and imports nothing of Caddy.
package provision

import (
	"github.com/google/uuid"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// DefaultMaxFilterScan is the default of Config.MaxFilterScan.
const DefaultMaxFilterScan = 10000

// Config configures a [Service].
type Config struct {
	// Mapping is the compiled field mapping; nil means the default.
	Mapping *translate.Mapping
	// HardDelete makes DELETE /Users/{id} delete the Hector user instead of
	// disabling it.
	HardDelete bool
	// MaxFilterScan bounds the Hector users a filter evaluated in memory may
	// scan; beyond it the answer is 400 tooMany. Default 10000.
	MaxFilterScan int
	// Roles are the group → role rules; the zero value assigns no roles.
	Roles translate.Roles
	// Audit receives every change written to Hector; nil discards them.
	Audit Auditor
	// Protect lists the usernames of accounts SCIM never sees or touches
	// (break-glass admins), compared as Hector compares usernames: to SCIM
	// they do not exist.
	Protect []string
}

// Request is what one SCIM request carries besides its path and body.
type Request struct {
	// BaseURL is the absolute URL of the SCIM base path as the client
	// addressed it (e.g. "https://scim.example/scim/v2"), for meta.location.
	BaseURL string
	// IfMatch is the request's If-Match header, "" for none: a write then
	// happens only while the resource's current version is one of its tags.
	IfMatch string
	// Unknown, when not nil, is called with each name of an accepted POST
	// or PUT body that belongs to no schema and so was ignored (a misspelt
	// attribute, an unknown extension URN or sub-attribute), once each.
	Unknown func(name string)
}

// Service runs SCIM operations against Hector through a legacy client. It
// is safe for concurrent use and keeps no state beyond per-object locks
// that serialise read-modify-write sequences within the process.
type Service struct {
	hector  *legacyclient.Client
	mapping *translate.Mapping
	cfg     Config
	audit   Auditor
	protect translate.Protected
	locks   keyedMutex
}

// NewService returns a Service over a legacy client.
func NewService(hector *legacyclient.Client, cfg Config) (*Service, error) {
	if cfg.Mapping == nil {
		m, err := translate.NewMapping(nil)
		if err != nil {
			return nil, err
		}
		cfg.Mapping = m
	}
	if cfg.MaxFilterScan <= 0 {
		cfg.MaxFilterScan = DefaultMaxFilterScan
	}
	audit := cfg.Audit
	if audit == nil {
		audit = nopAuditor{}
	}
	return &Service{hector: hector, mapping: cfg.Mapping, cfg: cfg, audit: audit, protect: translate.NewProtected(cfg.Protect)}, nil
}

// Mapping returns the service's field mapping.
func (s *Service) Mapping() *translate.Mapping { return s.mapping }

// generatedExternalID is a new external_id for a user or group that the
// IdP creates or writes to without one, so that it is managed.
func generatedExternalID() string { return translate.GeneratedPrefix + uuid.NewString() }
