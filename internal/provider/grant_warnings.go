package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// The grant warnings that need the account: roles a member holds through
// its user groups, and what joining a group gives. Both read the account
// once per plan (PlannedAccountAccess), as the Super Administrator guard
// does; a reading that fails costs a warning, never the plan.

// rolesThroughGroups is what memberID holds account-wide through its user
// groups (once accepted: a pending member's groups are weighed too, as it
// will hold them on accepting).
func (d *providerData) rolesThroughGroups(ctx context.Context, acct, memberID string, cat *catalog.Catalog) ([]catalog.Entry, bool) {
	access, err := d.client.PlannedAccountAccess(ctx, acct)
	if err != nil {
		return nil, false
	}
	only := catalog.AccountAccess{AccountID: acct, Groups: access.Groups}
	return policy.HeldRoles(only.MemberGrants(catalog.AccountMember{ID: memberID, Accepted: true}, cat.ByID)), true
}

// warnMembershipGrants warns about what joining user group groupID newly
// gives each of the added members (policy.MembershipGrantWarnings), after
// is the account once the change is made. A group the account does not
// hold yet (created in this plan) is skipped: its own plan warned about its
// policies.
func (d *providerData) warnMembershipGrants(ctx context.Context, acct, groupID string, added []string, at path.Path, diags *diag.Diagnostics,
	after func(catalog.AccountAccess) catalog.AccountAccess) {
	if len(added) == 0 {
		return
	}
	cat, _, more := d.catalog(ctx, acct, true, "checking what the group grants")
	if more.HasError() {
		return
	}
	before, err := d.client.PlannedAccountAccess(ctx, acct)
	if err != nil {
		return
	}
	if _, ok := before.Group(groupID); !ok {
		return
	}
	name := func(id string) string {
		if m, ok := before.Member(id); ok && m.Email != "" {
			return m.Email
		}
		return id
	}
	addProblems(diags, policy.MembershipGrantWarnings(before, after(before), added, cat.ByID, name, policy.Path{Policy: policy.Whole}),
		func(policy.Path) path.Path { return at })
}
