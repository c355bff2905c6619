package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// checkOfficialGroups fails a move whose official state names a resource
// group the account no longer has: cfiam reads a policy's zones and Tunnels
// from its groups, so such a policy cannot be written in cfiam's terms. A
// group the moved object holds a policy on, as the read just found it, is
// there; the others are looked up in the account's groups, one list per
// provider instance however many objects move (listed again once when a
// group is missing, as groupScopes does).
func (d *providerData) checkOfficialGroups(ctx context.Context, m *officialMoveMarker, diags *diag.Diagnostics) {
	var named int
	for _, p := range m.Policies {
		named += len(p.ResourceGroups)
	}
	if named == 0 || hasGroups(d.heldGroups(m), m.Policies) {
		return
	}
	acct := m.AccountID
	operation := "listing the resource groups of account " + acct
	groups, err := d.client.PlannedResourceGroups(ctx, acct)
	if err == nil && !hasGroups(groups, m.Policies) {
		groups, err = d.client.ListResourceGroups(ctx, acct)
	}
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, operation, err))
		return
	}
	if missing := missingGroups(groups, m.Policies); len(missing) > 0 {
		diags.AddError(officialMoveError, fmt.Sprintf("%s of %s names resource group %s, which account %s no longer has. "+
			"cfiam reads a policy's zones and Tunnels from its resource groups, so it cannot move this policy. "+
			"Remove that policy from the official configuration (or point it at a group the account has) and apply with the official provider, "+
			"then move again; the state is unchanged.", missing[0].path, m.Source, missing[0].id, acct))
	}
}

// heldGroups is the resource groups of the moved member's or user group's
// policies as its read found them (cfclient's read cache: no request), nil
// when the client has none.
func (d *providerData) heldGroups(m *officialMoveMarker) []cfclient.ResourceGroup {
	var policies []cfclient.MemberPolicy
	switch m.Target {
	case "cfiam_account_member":
		if x, ok := d.client.MemberAsRead(m.AccountID, m.ID); ok {
			policies = x.Policies
		}
	case "cfiam_user_group":
		if x, ok := d.client.UserGroupAsRead(m.AccountID, m.ID); ok {
			policies = x.Policies
		}
	}
	var out []cfclient.ResourceGroup
	for _, p := range policies {
		for _, g := range p.ResourceGroups {
			out = append(out, cfclient.ResourceGroup{ID: g.ID})
		}
	}
	return out
}

type missingGroup struct{ path, id string }

// missingGroups lists the policies' resource groups that groups lacks, with
// their attribute paths in the official state.
func missingGroups(groups []cfclient.ResourceGroup, policies []officialPolicy) []missingGroup {
	have := map[string]bool{}
	for _, g := range groups {
		have[strings.ToLower(g.ID)] = true
	}
	var out []missingGroup
	for i, p := range policies {
		for j, g := range p.ResourceGroups {
			if !have[strings.ToLower(g.ID)] {
				out = append(out, missingGroup{path: fmt.Sprintf("policies[%d].resource_groups[%d].id", i, j), id: g.ID})
			}
		}
	}
	return out
}

func hasGroups(groups []cfclient.ResourceGroup, policies []officialPolicy) bool {
	return len(missingGroups(groups, policies)) == 0
}
