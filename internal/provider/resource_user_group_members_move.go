package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*userGroupMembersResource)(nil)

// MoveState takes cloudflare_user_group_members' state (official provider
// v5) through a `moved` block: the group and its account; the refresh reads
// the members as after an import. See moveState.
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
	if err := decodeOfficial(req.SourceTypeName, raw, &g); err != nil || g.UserGroupID == "" || g.AccountID == "" {
		resp.Diagnostics.AddError(officialMoveError, orMissingID(err, req.SourceTypeName))
		return
	}
	moveState(ctx, userGroupMembersIdentity, map[string]attr.Value{
		"id":            types.StringValue(g.UserGroupID),
		"user_group_id": types.StringValue(g.UserGroupID),
		"account_id":    types.StringValue(g.AccountID),
	}, officialMoveMarker{Source: req.SourceTypeName, Target: target, Describe: "user group " + g.UserGroupID, AccountID: g.AccountID}, resp)
}
