package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*userGroupResource)(nil)

// MoveState takes cloudflare_user_group's state (official provider v5)
// through a `moved` block: the group is read from the account as import
// reads it; nothing is written.
func (r *userGroupResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveOfficial}}
}

func (r *userGroupResource) moveOfficial(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const target = "cfiam_user_group"
	raw, ok := officialUserGroup.accepts(target, req, resp)
	if !ok {
		return
	}
	var g officialUserGroupState
	if err := decodeOfficial(req.SourceTypeName, raw, &g); err != nil || g.ID == "" {
		resp.Diagnostics.AddError(officialMoveError, orMissingID(err, req.SourceTypeName))
		return
	}
	if r.data == nil {
		configureForMove(ctx, r, &resp.Diagnostics)
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("moving " + req.SourceTypeName + " into " + target))
		return
	}
	acct := r.data.account(g.AccountID)
	if r.data.checkOfficialGroups(ctx, req.SourceTypeName, acct, g.Policies, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	moveByRead(ctx, r, target, "user group "+g.ID+" ("+g.Name+")", map[string]attr.Value{
		"id":         types.StringValue(g.ID),
		"account_id": types.StringValue(acct),
		"policies":   types.SetNull(policyObjectType),
	}, resp)
}
