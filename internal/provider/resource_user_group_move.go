package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*userGroupResource)(nil)

// MoveState takes cloudflare_user_group's state (official provider v5)
// through a `moved` block: the group's ID, account and name; the refresh
// reads the rest as after an import. See moveState.
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
	if err := decodeOfficial(req.SourceTypeName, raw, &g); err != nil || g.ID == "" || g.AccountID == "" {
		resp.Diagnostics.AddError(officialMoveError, orMissingID(err, req.SourceTypeName))
		return
	}
	moveState(ctx, userGroupIdentity, map[string]attr.Value{
		"id":         types.StringValue(g.ID),
		"account_id": types.StringValue(g.AccountID),
		"name":       types.StringValue(g.Name),
		"policies":   types.SetNull(policyObjectType),
	}, officialMoveMarker{Source: req.SourceTypeName, Target: target, Describe: "user group " + g.ID + " (" + g.Name + ")",
		AccountID: g.AccountID, ID: g.ID, Policies: g.Policies}, resp)
}
