package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The first read of a state moved from the official provider (the refresh
// of the plan that moves it) checks what the move could not, the provider
// being unconfigured then: that the account still has the object (else the
// plan would create it: a re-invitation, a new token), and that every
// resource group the official policies name still exists. Either failing
// fails the plan, so the state stays as it was. A read that passes drops
// the marker: later refreshes are ordinary. The groups are checked after
// the read, against the policies it found (no request of its own), so that
// a move costs what a refresh costs.

// movedFromOfficial returns the marker a move left in private state.
func movedFromOfficial(private []byte) (*officialMoveMarker, bool) {
	if len(private) == 0 {
		return nil, false
	}
	var keys map[string][]byte
	if json.Unmarshal(private, &keys) != nil || len(keys[officialMoveKey]) == 0 {
		return nil, false
	}
	var m officialMoveMarker
	if json.Unmarshal(keys[officialMoveKey], &m) != nil {
		return nil, false
	}
	return &m, true
}

func (s releasingServer) readMovedFromOfficial(ctx context.Context, req *tfprotov6.ReadResourceRequest, m *officialMoveMarker) (*tfprotov6.ReadResourceResponse, error) {
	var d *providerData
	if s.configured != nil {
		d = s.configured()
	}
	if !d.online() {
		return errorRead(offlineDiagnostic("reading " + m.Describe + ", moved from " + m.Source + " into " + m.Target)), nil
	}
	resp, err := serve(ctx, req, s.frameworkServer.ReadResource)
	if err != nil || resp == nil {
		return resp, err
	}
	for _, dg := range resp.Diagnostics {
		if dg.Severity == tfprotov6.DiagnosticSeverityError {
			return resp, nil
		}
	}
	if isNullState(resp.NewState) {
		return errorRead(diag.NewErrorDiagnostic(officialMoveError, fmt.Sprintf("The account no longer has %s, so there is nothing to move into %s: "+
			"the plan would create it again. Remove the moved block and the %s block, and run terraform state rm on the official resource "+
			"(or apply with the official provider first to create it again, then move it).", m.Describe, m.Target, m.Target))), nil
	}
	var diags diag.Diagnostics
	if d.checkOfficialGroups(ctx, m, &diags); diags.HasError() {
		return errorRead(diags...), nil
	}
	resp.Private = withoutKey(resp.Private, officialMoveKey)
	return resp, nil
}

// errorRead answers a read with diagnostics and no new state.
func errorRead(diags ...diag.Diagnostic) *tfprotov6.ReadResourceResponse {
	resp := &tfprotov6.ReadResourceResponse{}
	for _, d := range diags {
		sev := tfprotov6.DiagnosticSeverityWarning
		if d.Severity() == diag.SeverityError {
			sev = tfprotov6.DiagnosticSeverityError
		}
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{Severity: sev, Summary: d.Summary(), Detail: d.Detail()})
	}
	return resp
}

// isNullState reports a removed object: no state, or a null one (msgpack
// nil, or JSON null).
func isNullState(v *tfprotov6.DynamicValue) bool {
	if v == nil {
		return true
	}
	if len(v.MsgPack) > 0 {
		return len(v.MsgPack) == 1 && v.MsgPack[0] == 0xc0
	}
	return len(v.JSON) == 0 || string(v.JSON) == "null"
}

// withoutKey drops one key from the framework's private state (a JSON map
// of keys to bytes).
func withoutKey(private []byte, key string) []byte {
	var keys map[string][]byte
	if len(private) == 0 || json.Unmarshal(private, &keys) != nil {
		return private
	}
	delete(keys, key)
	if len(keys) == 0 {
		return nil
	}
	b, err := json.Marshal(keys)
	if err != nil {
		return private
	}
	return b
}
