package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

var _ resource.ResourceWithMoveState = (*accountMemberResource)(nil)

// MoveState takes cloudflare_account_member's state (official provider v5)
// through a `moved` block: the member's ID, account and e-mail address; the
// refresh reads the rest as after an import (roles by name, zones and
// Tunnels from the groups' scopes). See moveState.
func (r *accountMemberResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveOfficial}}
}

func (r *accountMemberResource) moveOfficial(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const target = "cfiam_account_member"
	raw, ok := officialAccountMember.accepts(target, req, resp)
	if !ok {
		return
	}
	var m officialMember
	if err := decodeOfficial(req.SourceTypeName, raw, &m); err != nil || m.ID == "" || m.AccountID == "" {
		resp.Diagnostics.AddError(officialMoveError, orMissingID(err, req.SourceTypeName))
		return
	}
	describe := "member " + m.ID + " (" + m.Email + ")"
	moveState(ctx, accountMemberIdentity, map[string]attr.Value{
		"id":         types.StringValue(m.ID),
		"account_id": types.StringValue(m.AccountID),
		"email":      types.StringValue(m.Email),
		"policies":   types.SetNull(policyObjectType),
	}, officialMoveMarker{Source: req.SourceTypeName, Target: target, Describe: describe, AccountID: m.AccountID, ID: m.ID, Policies: m.Policies}, resp)
	if len(m.Roles) > 0 && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddWarning("Legacy roles left as they are", legacyRolesWarning(m.Email, m.Roles))
	}
}

// legacyRolesWarning says what becomes of a moved member's legacy roles.
func legacyRolesWarning(email string, roleIDs []string) string {
	names := make([]string, len(roleIDs))
	for i, id := range roleIDs {
		names[i] = configRef(catalog.Embedded(), catalog.KindRole, catalog.ScopeAccount, id)
	}
	return fmt.Sprintf("Member %s holds legacy roles (%s), which cfiam_account_member does not manage: they stay in the account as they are, "+
		"and its policies are what cfiam manages. To manage them with cfiam, write them as an account-wide policy "+
		"(policies = [{ access = \"allow\", roles = [%s] }]): the apply after the move then sets that policy in their place.",
		email, strings.Join(names, ", "), quoteAll(names))
}

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return strings.Join(out, ", ")
}

// orMissingID is the message of an official state that does not decode or
// lacks its ID or account.
func orMissingID(err error, typeName string) string {
	if err != nil {
		return err.Error() + "."
	}
	return "The state of " + typeName + " has no id or account_id."
}
