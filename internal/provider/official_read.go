package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
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

// readMoved is Read of a resource that a move from the official provider
// may have left its marker on: read is the resource's own Read. Without the
// marker it is read alone.
func readMoved(ctx context.Context, d *providerData, req resource.ReadRequest, resp *resource.ReadResponse, read func()) {
	raw, diags := req.Private.GetKey(ctx, officialMoveKey)
	var m officialMoveMarker
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		read()
		return
	}
	if !d.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading " + m.Describe + ", moved from " + m.Source + " into " + m.Target))
		return
	}
	read()
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.State.Raw.IsNull() {
		resp.Diagnostics.AddError(officialMoveError, fmt.Sprintf("The account no longer has %s, so there is nothing to move into %s: "+
			"the plan would create it again. Remove the moved block and the %s block, and run terraform state rm on the official resource "+
			"(or apply with the official provider first to create it again, then move it).", m.Describe, m.Target, m.Target))
		return
	}
	if d.checkOfficialGroups(ctx, &m, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, officialMoveKey, nil)...)
}
