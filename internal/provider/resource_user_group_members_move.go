package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*userGroupMembersResource)(nil)

// MoveState takes cloudflare_user_group_members' state (official provider
// v5) through a `moved` block: the group's members are read from the
// account as import reads them; nothing is written.
func (r *userGroupMembersResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveOfficial}}
}

func (r *userGroupMembersResource) moveOfficial(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const target = "cfiam_user_group_members"
	raw, ok := officialUserGroupMembers.accepts(target, req, resp)
	if !ok {
		return
	}
	var g officialGroupMembers
	if err := decodeOfficial(req.SourceTypeName, raw, &g); err != nil || g.UserGroupID == "" {
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
	moveByRead(ctx, r, target, "user group "+g.UserGroupID, map[string]attr.Value{
		"id":            types.StringValue(g.UserGroupID),
		"user_group_id": types.StringValue(g.UserGroupID),
		"account_id":    types.StringValue(r.data.account(g.AccountID)),
	}, resp)
}
