package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// guardSuperAdministrators fails a plan whose change would leave the
// account, which has an accepted Super Administrator, with none: held
// directly or through a user group (catalog.AccountAccess). The account is
// read once per plan. what says what the change does ("Destroying this
// group removes"); the members who hold it now follow.
func (d *providerData) guardSuperAdministrators(ctx context.Context, acct, what string, at path.Path, diags *diag.Diagnostics,
	change func(catalog.AccountAccess) catalog.AccountAccess) {
	d.guardSuperAdministratorsSaying(ctx, acct, func(holders []string) string {
		return what + " Super Administrator from member " + strings.Join(holders, ", ")
	}, at, diags, change)
}

// guardSuperAdministratorsSaying is guardSuperAdministrators with the whole
// clause before ", the account's last accepted Super Administrator" written
// by say, given the members who hold it now.
func (d *providerData) guardSuperAdministratorsSaying(ctx context.Context, acct string, say func(holders []string) string, at path.Path,
	diags *diag.Diagnostics, change func(catalog.AccountAccess) catalog.AccountAccess) {
	cat, _, more := d.catalog(ctx, acct, true, "checking Super Administrators")
	if more.HasError() {
		diags.Append(more...)
		return
	}
	before, err := d.client.PlannedAccountAccess(ctx, acct)
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, "reading the members and user groups of account "+acct+" to check Super Administrators", err))
		return
	}
	if !before.LosesLastSuperAdministrator(change(before), cat.ByID) {
		return
	}
	diags.AddAttributeError(at, "Would remove the last Super Administrator",
		fmt.Sprintf("%s, the account's last accepted Super Administrator (counting those who hold it through a user group): "+
			"nobody could manage memberships or billing of account %s afterwards. "+
			"Grant Super Administrator to another member first, or set allow_removing_last_super_administrator = true on this resource "+
			"if that is really intended.", say(before.SuperAdministrators(cat.ByID)), acct))
}

// plannedAccountPolicies is the account-wide part of planned policies as the
// API will hold it: what decides Super Administrator. Policies of other
// scopes cannot grant or deny it.
func plannedAccountPolicies(cat *catalog.Catalog, acct string, planned types.Set) []catalog.APIPolicy {
	ins, _ := expandMemberPolicies(planned)
	specs, _ := memberSpecs(cat, acct, ins)
	var out []catalog.APIPolicy
	for _, s := range specs {
		if s.Scope() == catalog.ScopeAccount {
			out = append(out, catalog.AccountWidePolicy(acct, s.Access, s.RoleIDs))
		}
	}
	return out
}
