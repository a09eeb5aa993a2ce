package caddymodule

import (
	"github.com/caddyserver/caddy/v2"
	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// serviceConfig compiles the field mapping and gathers the configuration
// of the SCIM operations, as the handler, scim-check and scim-report all
// need it.
func (h *Handler) serviceConfig(audit provision.Auditor) (provision.Config, error) {
	mapping, err := translate.NewMapping(h.UserFields)
	if err != nil {
		return provision.Config{}, err
	}
	protect, err := h.protectList(caddy.NewReplacer())
	if err != nil {
		return provision.Config{}, err
	}
	return provision.Config{
		Mapping:       mapping,
		HardDelete:    h.OnDelete == "delete",
		MaxFilterScan: h.MaxFilterScan,
		Roles:         h.roles(),
		Audit:         audit,
		Protect:       protect,
	}, nil
}

// newService builds the SCIM operations over a Hector client.
func (h *Handler) newService(client *legacyclient.Client, audit provision.Auditor) (*provision.Service, error) {
	cfg, err := h.serviceConfig(audit)
	if err != nil {
		return nil, err
	}
	return provision.NewService(client, cfg)
}

// auditor is the handler's audit trail on logger's "audit" child
// ("http.handlers.scim.audit"); runID, when set, names a scim-report run
// in place of a request's id.
func (h *Handler) auditor(logger *zap.Logger, runID string) auditor {
	return auditor{logger: logger.Named("audit"), personal: h.LogPersonalData, dryRun: h.DryRun, runID: runID}
}
