package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// groupScopes is the scope of each resource group of an account, by
// lowercase ID: what a policy on resource_group_ids applies to, and so which
// roles it may hold (Cloudflare answers 1006 otherwise).
type groupScopes map[string]catalog.Scope

// groupScopes reads the account's resource groups when a policy names some
// by a known ID, on plans that change policies: one list per provider
// instance (cfclient.PlannedResourceGroups), however many members. When they
// cannot be read, the policies are checked as at validate, and the apply
// reports what Cloudflare says.
func (r *accountMemberResource) groupScopes(ctx context.Context, accountID string, policies types.Set) groupScopes {
	var named []string
	for _, in := range policyInputs(ctx, policies) {
		for _, id := range in.ResourceGroupIDs {
			if id != "" {
				named = append(named, strings.ToLower(id))
			}
		}
	}
	if len(named) == 0 || accountID == "" {
		return nil
	}
	out, err := scopesOf(r.data.client.PlannedResourceGroups(ctx, accountID))
	if err == nil && !out.hasAll(named) {
		// A group made since the copy was read (by another workspace, or
		// another provider block): an unknown ID is an error only on the
		// latest word.
		out, err = scopesOf(r.data.client.ListResourceGroups(ctx, accountID))
	}
	if err != nil {
		tflog.SubsystemWarn(tflog.NewSubsystem(ctx, logSubsystemValidation), logSubsystemValidation,
			"cfiam: resource groups not readable; their scope is checked at apply", map[string]any{"error": err.Error()})
		return nil
	}
	return out
}

func scopesOf(list []cfclient.ResourceGroup, err error) (groupScopes, error) {
	if err != nil {
		return nil, err
	}
	out := groupScopes{}
	for _, g := range list {
		if kind, _, err := g.Kind(); err == nil {
			out[strings.ToLower(g.ID)] = kind
		}
	}
	return out, nil
}

func (g groupScopes) hasAll(ids []string) bool {
	for _, id := range ids {
		if _, ok := g[id]; !ok {
			return false
		}
	}
	return true
}

// check finds the one scope of policy in's resource groups (with its zone or
// Tunnel IDs, s): ok false after an error diagnostic (an ID the account does
// not have, or groups of different scopes). IDs not known yet (groups not
// created) are skipped: the others already say which scope every group must
// have; scope is "" when none does.
func (g groupScopes) check(in memberPolicyInput, s catalog.Scope, at path.Path, diags *diag.Diagnostics) (scope catalog.Scope, ok bool) {
	scopes := map[string]catalog.Scope{}
	switch {
	case in.HasZones:
		scopes["zone_ids"] = s
	case in.HasTunnels:
		scopes["tunnel_ids"] = s
	}
	for _, id := range in.ResourceGroupIDs {
		if id == "" {
			continue
		}
		kind, found := g[strings.ToLower(id)]
		if !found {
			diags.AddAttributeError(at.AtName("resource_group_ids").AtSetValue(types.StringValue(id)), "Unknown resource group",
				fmt.Sprintf("The account has no resource group %s (in %s). Check the ID: refer to a cfiam_resource_group "+
					"(cfiam_resource_group.<name>.id), or list zones or Tunnels with zone_ids / tunnel_ids instead.", id, describePolicy(in)))
			return "", false
		}
		scopes["resource group "+id] = kind
	}
	if p := catalog.GroupScopesProblem(scopes); p != nil {
		diags.AddAttributeError(at, p.Summary, p.Detail+" (In "+describePolicy(in)+".)")
		return "", false
	}
	for _, kind := range scopes {
		return kind, true
	}
	return "", true
}
