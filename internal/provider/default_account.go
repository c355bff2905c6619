package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// accountIDDescription is the rule planAccount applies, as every account_id
// of a resource states it; what names the object ("the member").
func accountIDDescription(what string) string {
	return "When not set, the provider's `account_id` (or `" + envAccountID + "`), and it follows that: when the provider's account " +
		"changes, the plan replaces " + what + " in the new account. Changing it replaces " + what + " too: an object does not move " +
		"between accounts. With no account here or on the provider, the plan fails."
}

// planAccount is the one rule for the account_id of every account-bound
// resource, in ModifyPlan (like tfe's default organization,
// provider_custom_diffs.go): set in the configuration, it is used as written
// (its RequiresReplace plan modifier replaces on a change); not set, it is
// the provider's account_id, planned here, and when that differs from the
// object's account in state, the object is replaced. With no account in the
// configuration, the state or the provider, the error comes at plan, at
// account_id, with the fix. Before the provider is configured (terraform
// validate) nothing is decided. It returns the planned account ID: unknown
// when not known yet, null on destroy or error.
func (d *providerData) planAccount(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, operation string) types.String {
	at := path.Root("account_id")
	if req.Plan.Raw.IsNull() {
		return types.StringNull() // destroy
	}
	var planned types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, at, &planned)...)
	if d == nil || resp.Diagnostics.HasError() {
		return planned
	}
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, at, &configured)...)
	if !configured.IsNull() || resp.Diagnostics.HasError() {
		return planned
	}
	prior := types.StringNull()
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, at, &prior)...)
	}
	acct := plannedAccountID(d.accountID, prior.ValueString())
	if acct == "" {
		resp.Diagnostics.Append(diag.WithPath(at, missingAccountDiagnostic(operation)))
		return types.StringNull()
	}
	value := types.StringValue(acct)
	if !planned.Equal(value) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, at, value)...)
	}
	if !prior.IsNull() && !prior.IsUnknown() && prior.ValueString() != acct {
		resp.RequiresReplace = append(resp.RequiresReplace, at)
	}
	return value
}

// plannedAccountID is the account of an object whose configuration names
// none: the provider's, or where the provider names none, the one the
// object is in (prior; "" for a new object, which then has no account).
func plannedAccountID(providerAccount, prior string) string {
	if providerAccount != "" {
		return providerAccount
	}
	return prior
}
