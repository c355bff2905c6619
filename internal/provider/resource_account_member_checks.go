package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// cfiam_account_member: the plan-time guards that need the API (the last
// Super Administrator, the provider's own membership) and the classifier of
// Cloudflare's refusal to add a member as accepted.

// warnOwnMembership warns when the plan removes the membership of the user
// the provider's own credentials act as: the next run may not get in.
func (d *providerData) warnOwnMembership(ctx context.Context, state *accountMemberModel, diags *diag.Diagnostics) {
	userID, ok := state.User.Attributes()["id"].(types.String)
	if !ok || userID.ValueString() == "" {
		return
	}
	self, err := d.client.UserID(ctx)
	if err != nil || self != userID.ValueString() {
		return // not knowing who we are is no reason to fail a destroy
	}
	diags.AddWarning("Removes your own membership",
		fmt.Sprintf("Destroying this resource removes %s from account %s, and that is the user the provider's credentials act as: "+
			"after this apply, those credentials may no longer reach the account.", state.Email.ValueString(), state.AccountID.ValueString()))
}

// guardLastSuperAdministrator fails a plan that would leave the account with
// no accepted Super Administrator, held directly or through a user group,
// unless the resource says it may. A change of policies is checked only when
// it can take Super Administrator away (the member held it directly, or the
// plan denies it); a destroy always is, as the member leaves its groups too.
func (d *providerData) guardLastSuperAdministrator(ctx context.Context, state, plan *accountMemberModel, diags *diag.Diagnostics) {
	allowed := state.AllowRemovingLastSuperAdmins.ValueBool()
	if plan != nil {
		allowed = plan.AllowRemovingLastSuperAdmins.ValueBool()
	}
	if allowed || state.Status.ValueString() != "accepted" {
		return
	}
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	cat, _, more := d.catalog(ctx, acct, true, "checking Super Administrators")
	if more.HasError() {
		diags.Append(more...)
		return
	}
	var after []catalog.APIPolicy
	if plan != nil {
		before := plannedAccountPolicies(cat, acct, state.Policies)
		after = plannedAccountPolicies(cat, acct, plan.Policies)
		if !holdsSuperAdministrator(cat, acct, before) && !deniesSuperAdministrator(cat, after) {
			return
		}
	}
	email := state.Email.ValueString()
	d.guardSuperAdministratorsSaying(ctx, acct, func([]string) string {
		if plan == nil {
			return "Destroying this resource removes " + email
		}
		return "This change removes Super Administrator from " + email
	}, path.Root("policies"), diags, func(a catalog.AccountAccess) catalog.AccountAccess {
		if plan == nil {
			return a.WithoutMember(id)
		}
		m, ok := a.Member(id)
		if !ok {
			return a
		}
		// The member's account-wide policies become the planned ones; its
		// other policies (zones, Tunnels, bindings) cannot hold Super
		// Administrator. Its legacy roles are Cloudflare's older view of
		// the same grants: after a policy write they are not counted on to
		// keep it (the guard errs on the side of refusing).
		m.Policies, m.LegacyRoleIDs = after, nil
		return a.WithMember(m)
	})
}

func holdsSuperAdministrator(cat *catalog.Catalog, acct string, policies []catalog.APIPolicy) bool {
	return catalog.HoldsSuperAdministrator(catalog.MemberGrants(true, acct, nil, policies, cat.ByID))
}

func deniesSuperAdministrator(cat *catalog.Catalog, policies []catalog.APIPolicy) bool {
	for _, p := range policies {
		for _, id := range p.RoleIDs {
			if e, ok := cat.ByID(id); ok && p.Access == string(catalog.EffectDeny) && catalog.IsSuperAdministrator(e) {
				return true
			}
		}
	}
	return false
}

// createErrorDiagnostic explains a failed create: Cloudflare's refusal to add
// a member as accepted and an existing membership each get their fix; any
// other error is an API error.
func (memberHolder) createError(d *providerData, err error, m *accountMemberModel, acct, operation string) diag.Diagnostic {
	email, status := m.Email.ValueString(), plannedStatus(m)
	if status == "accepted" && refusedDirectAdd(err) {
		return diag.NewAttributeErrorDiagnostic(path.Root("status"), "Cloudflare refused to add the member as accepted",
			fmt.Sprintf("%s\n\nCloudflare did not let this account add %s without an invitation. Set status = \"pending\" "+
				"(or leave status out): Cloudflare e-mails an invitation, and once it is accepted the member is accepted, "+
				"with no change in the plan.", err, email))
	}
	if e := asAPIError(err); e != nil && e.HasCode(1005) {
		return diag.NewAttributeErrorDiagnostic(path.Root("email"), "Already a member",
			fmt.Sprintf("%s is already a member of account %s. To manage that membership with Terraform, import it:\n\n"+
				"  terraform import <address> %s/%s\n\nor add an import block with that ID.", email, acct, acct, email))
	}
	return apiErrorDiagnostic(d.auth, operation, err)
}

// refusedDirectAdd reports Cloudflare's refusal of a member created with
// status "accepted" ("automatic verification of new members is not
// allowed", 1001), which accounts may get where the API's contract allows
// the status (reported publicly since 2025).
func refusedDirectAdd(err error) bool {
	e := asAPIError(err)
	if e == nil || !e.HasCode(1001) {
		return false
	}
	for _, m := range e.Messages {
		if strings.Contains(strings.ToLower(m), "automatic verification") {
			return true
		}
	}
	return false
}

func asAPIError(err error) *cfclient.APIError {
	var e *cfclient.APIError
	if errors.As(err, &e) {
		return e
	}
	return nil
}
