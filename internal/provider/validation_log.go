package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystemValidation is the tflog subsystem of the scope checks, so that
// TF_LOG_PROVIDER_CFIAM_VALIDATION=trace shows what was checked, against which
// catalog, and what was found, without the API traffic.
const logSubsystemValidation = "validation"

// Which catalog a check ran against: the one built into the provider
// (terraform validate, no credentials) or the account's, fetched from the API.
const (
	catalogEmbedded = "embedded"
	catalogLive     = "live"
)

// validationRun records one check of one object's configuration.
type validationRun struct {
	ctx     context.Context //nolint:containedctx // the run logs when it ends, in the caller's context
	object  string
	catalog string
	start   time.Time
}

// startValidation begins the record of a check; call done with the
// diagnostics once the check has run (usually deferred).
func startValidation(ctx context.Context, object, catalogSource string) validationRun {
	return validationRun{ctx: tflog.NewSubsystem(ctx, logSubsystemValidation), object: object, catalog: catalogSource, start: time.Now()}
}

// done logs the outcome at debug, and each finding at trace with its
// attribute path. Diagnostics carry role and permission group names and
// IDs, never a credential or a token value, so they may be logged.
func (v validationRun) done(diags *diag.Diagnostics) {
	tflog.SubsystemDebug(v.ctx, logSubsystemValidation, "cfiam: checked "+v.object, map[string]any{
		"object":      v.object,
		"catalog":     v.catalog,
		"errors":      diags.ErrorsCount(),
		"warnings":    diags.WarningsCount(),
		"duration_ms": float64(time.Since(v.start).Microseconds()) / 1000,
	})
	for _, d := range *diags {
		fields := map[string]any{"object": v.object, "severity": d.Severity().String(), "summary": d.Summary()}
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			fields["path"] = p.Path().String()
		}
		tflog.SubsystemTrace(v.ctx, logSubsystemValidation, "cfiam: finding", fields)
	}
}
