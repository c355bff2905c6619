package provider

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

// This file holds what cfiam_account_member and cfiam_tunnel_binding share:
// the translation between policies as users write them (role names, zone and
// Tunnel IDs) and as the API holds them (permission group and resource group
// IDs). Writing them is iampolicy's.

// bindingGroupPrefix starts the name of every resource group a Tunnel binding
// creates (iampolicy.BindingGroups).
const bindingGroupPrefix = iampolicy.BindingGroupPrefix

// policySpec is a member policy reduced to what the API compares: IDs, sorted.
type policySpec struct {
	Access           string
	RoleIDs          []string
	Scope            catalog.Scope // account, zone, tunnel; "" for explicit resource groups only
	ObjectIDs        []string      // zone or Tunnel IDs (the account ID for account-wide policies)
	ResourceGroupIDs []string      // resource groups named by the user (cfiam_resource_group)
}

// key is iampolicy.Spec.Key: the updater matches policies the same way.
func (p policySpec) key() string { return iampolicy.Spec(p).Key() }

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

// isBindingPolicy reports whether an API policy belongs to a cfiam_tunnel_binding.
func isBindingPolicy(p cfclient.MemberPolicy) bool { return iampolicy.IsBindingPolicy(p) }

// specFromAPI reduces an API policy to a policySpec.
func specFromAPI(p cfclient.MemberPolicy) policySpec { return policySpec(iampolicy.SpecFromAPI(p)) }

// memberPolicyInput is a policy as the user wrote it, with every value known.
type memberPolicyInput struct {
	Access           string
	Roles            []string
	ZoneIDs          []string
	TunnelIDs        []string
	ResourceGroupIDs []string
	HasZones         bool
	HasTunnels       bool
}

// scope is the policy's scope kind from which attributes are set.
func (in memberPolicyInput) scope() catalog.Scope {
	s, problem := catalog.MemberPolicyScope(in.HasZones, in.HasTunnels)
	if problem != nil {
		return ""
	}
	if s == catalog.ScopeAccount && len(in.ResourceGroupIDs) > 0 {
		return "" // the named groups say where it applies
	}
	return s
}

// resolveRoleAnyScope resolves a role reference for a policy whose scope is
// known only from its resource groups.
func resolveRoleAnyScope(cat *catalog.Catalog, ref string, s catalog.Scope) (catalog.Entry, error) {
	if s != "" {
		return cat.ResolveRole(ref, s)
	}
	return cat.Resolve(catalog.KindRole, ref, "")
}

// toSpec resolves a written policy against a catalog. accountID fills the
// object of an account-wide policy.
func (in memberPolicyInput) toSpec(cat *catalog.Catalog, accountID string) (policySpec, error) {
	s := in.scope()
	spec := policySpec{Access: in.Access, Scope: s, ResourceGroupIDs: sortedCopy(in.ResourceGroupIDs)}
	if spec.Access == "" {
		spec.Access = "allow"
	}
	for _, ref := range in.Roles {
		e, err := resolveRoleAnyScope(cat, ref, s)
		if err != nil {
			return policySpec{}, err
		}
		spec.RoleIDs = append(spec.RoleIDs, e.ID)
	}
	spec.RoleIDs = sortedCopy(spec.RoleIDs)
	switch s {
	case catalog.ScopeZone:
		spec.ObjectIDs = sortedCopy(in.ZoneIDs)
	case catalog.ScopeTunnel:
		spec.ObjectIDs = sortedCopy(in.TunnelIDs)
	case catalog.ScopeAccount:
		spec.ObjectIDs = []string{accountID}
	}
	return spec, nil
}

// inputFromSpec writes an API policy the way a user would: role names from
// the catalog, IDs where the embedded catalog (terraform validate's) would
// not know the name (see configRef).
func inputFromSpec(spec policySpec, cat *catalog.Catalog) memberPolicyInput {
	in := memberPolicyInput{Access: spec.Access, ResourceGroupIDs: spec.ResourceGroupIDs}
	for _, id := range spec.RoleIDs {
		in.Roles = append(in.Roles, configRef(cat, catalog.KindRole, spec.Scope, id))
	}
	switch spec.Scope {
	case catalog.ScopeZone:
		in.ZoneIDs, in.HasZones = spec.ObjectIDs, true
	case catalog.ScopeTunnel:
		in.TunnelIDs, in.HasTunnels = spec.ObjectIDs, true
	}
	return in
}

// describePolicy names a policy in diagnostics, since Terraform may highlight
// a whole set element rather than the role in it.
func describePolicy(in memberPolicyInput) string {
	where := "account-wide"
	switch {
	case in.HasZones && in.HasTunnels:
		where = "on zones and Tunnels"
	case in.HasZones:
		where = "on zone_ids"
	case in.HasTunnels:
		where = "on tunnel_ids"
	case len(in.ResourceGroupIDs) > 0:
		where = "on resource_group_ids"
	}
	access := in.Access
	if access == "" {
		access = "allow"
	}
	return fmt.Sprintf("the %s policy %s with roles [%s]", access, where, strings.Join(in.Roles, ", "))
}
