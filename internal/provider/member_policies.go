package provider

import (
	"slices"
	"sort"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// This file holds what cfiam_account_member and cfiam_tunnel_binding share:
// the translation between policies as users write them (role names, zone and
// Tunnel IDs) and as the API holds them (permission group and resource group
// IDs). Writing them is iampolicy's.

// bindingGroupPrefix starts the name of every resource group a Tunnel binding
// creates (iampolicy.BindingGroups).
const bindingGroupPrefix = iampolicy.BindingGroupPrefix

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

// isBindingPolicy reports whether an API policy belongs to a cfiam_tunnel_binding.
func isBindingPolicy(p cfclient.MemberPolicy) bool { return iampolicy.IsBindingPolicy(p) }

// inputFromSpec writes an API policy the way a user would: role names from
// the catalog, IDs where the embedded catalog (terraform validate's) would
// not know the name (see configRef).
func inputFromSpec(spec policy.MemberSpec, cat *catalog.Catalog) policy.MemberPolicy {
	roles := make([]string, 0, len(spec.RoleIDs))
	for _, id := range spec.RoleIDs {
		roles = append(roles, configRef(cat, catalog.KindRole, spec.Scope, id))
	}
	in := policy.MemberPolicy{Access: policy.Str(spec.Access), Roles: policy.Set(roles...), ResourceGroupIDs: policy.Set(spec.ResourceGroupIDs...)}
	switch spec.Scope {
	case catalog.ScopeZone:
		in.ZoneIDs = policy.Set(spec.ObjectIDs...)
	case catalog.ScopeTunnel:
		in.TunnelIDs = policy.Set(spec.ObjectIDs...)
	}
	return in
}
