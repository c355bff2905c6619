package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// cfiam_account_member: the plan-time guards that need the API (the last
// Super Administrator, the provider's own membership) and the classifier of
// Cloudflare's refusal to add a member as accepted.

// warnOwnMembership warns when the plan removes the membership of the user
// the provider's own credentials act as: the next run may not get in.
func (r *accountMemberResource) warnOwnMembership(ctx context.Context, state *accountMemberModel, diags *diag.Diagnostics) {
	userID, ok := state.User.Attributes()["id"].(types.String)
	if !ok || userID.ValueString() == "" {
		return
	}
	self, err := r.data.client.UserID(ctx)
	if err != nil || self != userID.ValueString() {
		return // not knowing who we are is no reason to fail a destroy
	}
	diags.AddWarning("Removes your own membership",
		fmt.Sprintf("Destroying this resource removes %s from account %s, and that is the user the provider's credentials act as: "+
			"after this apply, those credentials may no longer reach the account.", state.Email.ValueString(), state.AccountID.ValueString()))
}

// guardLastSuperAdministrator fails a plan that would leave the account with
// no accepted Super Administrator, unless the resource says it may.
func (r *accountMemberResource) guardLastSuperAdministrator(ctx context.Context, state, plan *accountMemberModel, diags *diag.Diagnostics) {
	allowed := state.AllowRemovingLastSuperAdmins.ValueBool()
	if plan != nil {
		allowed = plan.AllowRemovingLastSuperAdmins.ValueBool()
	}
	if allowed || state.Status.ValueString() != "accepted" {
		return
	}
	acct := state.AccountID.ValueString()
	cat, _, d := r.data.catalog(ctx, acct, true, "checking Super Administrators")
	if d.HasError() {
		diags.Append(d...)
		return
	}
	superAdmin := func(set types.Set) bool {
		ins, _ := expandMemberPolicies(set)
		for _, in := range ins {
			if in.Denies() || in.Scope() != catalog.ScopeAccount {
				continue
			}
			for _, ref := range in.Roles.Values() {
				if e, err := cat.ResolveRole(ref, catalog.ScopeAccount); err == nil && catalog.IsSuperAdministrator(e) {
					return true
				}
			}
		}
		return false
	}
	if !superAdmin(state.Policies) || (plan != nil && superAdmin(plan.Policies)) {
		return
	}
	members, err := r.data.client.ListMembers(ctx, acct)
	if err != nil {
		diags.Append(apiErrorDiagnostic(r.data.auth, "listing members to check Super Administrators", err))
		return
	}
	for _, m := range members {
		if m.ID == state.ID.ValueString() || m.Status != "accepted" {
			continue
		}
		for _, p := range m.Policies {
			spec := iampolicy.SpecFromAPI(p)
			if spec.Access != "allow" || spec.Scope != catalog.ScopeAccount {
				continue
			}
			for _, id := range spec.RoleIDs {
				if e, ok := cat.ByID(id); ok && catalog.IsSuperAdministrator(e) {
					return
				}
			}
		}
	}
	what := "This change removes Super Administrator from"
	if plan == nil {
		what = "Destroying this resource removes"
	}
	diags.AddAttributeError(path.Root("policies"), "Would remove the last Super Administrator",
		fmt.Sprintf("%s %s, the account's last accepted Super Administrator: nobody could manage memberships or billing afterwards. "+
			"Grant Super Administrator to another member first, or set allow_removing_last_super_administrator = true on this resource "+
			"if that is really intended.", what, state.Email.ValueString()))
}

// createErrorDiagnostic explains a failed create: Cloudflare's refusal to add
// a member as accepted and an existing membership each get their fix; any
// other error is an API error.
func (r *accountMemberResource) createErrorDiagnostic(err error, acct, email, status, operation string) diag.Diagnostic {
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
	return apiErrorDiagnostic(r.data.auth, operation, err)
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
