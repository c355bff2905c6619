package provider

import (
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// This file holds what cfiam_account_member and cfiam_tunnel_binding share:
// the translation between policies as users write them (role names, zone and
// Tunnel IDs) and as the API holds them (permission group and resource group
// IDs). Writing them is iampolicy's.

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
