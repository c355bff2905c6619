package iampolicy

import (
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// autoGroupName is the name of the resource group the provider creates for one
// object: Cloudflare's own resource key, as the dashboard names them.
func autoGroupName(s catalog.Scope, id string) string { return catalog.ResourceKey(s, id) }

// classifyGroup says whether a resource group is one the provider manages for
// a single object (returning its scope and ID) or one the user names.
func classifyGroup(name string, objectKeys []string) (catalog.Scope, string, bool) {
	if len(objectKeys) != 1 {
		return "", "", false
	}
	s, id, err := catalog.ParseResourceKey(objectKeys[0])
	if err != nil {
		return "", "", false
	}
	if s == catalog.ScopeAccount || name == autoGroupName(s, id) {
		return s, id, true
	}
	return "", "", false
}

// SpecFromAPI reduces an API policy to a policy.MemberSpec.
func SpecFromAPI(p cfclient.MemberPolicy) policy.MemberSpec {
	spec := policy.MemberSpec{Access: p.Access, RoleIDs: policy.SortedUnique(p.PermissionGroupIDs())}
	for _, g := range p.ResourceGroups {
		if s, id, ok := classifyGroup(g.Name, g.ObjectKeys()); ok && catalog.KindsCompatible(append(spec.Kinds(), s)) {
			if spec.Objects == nil {
				spec.Objects = map[catalog.Scope][]string{}
			}
			spec.Objects[s] = append(spec.Objects[s], id)
			continue
		}
		spec.ResourceGroupIDs = append(spec.ResourceGroupIDs, g.ID)
	}
	for s, ids := range spec.Objects {
		spec.Objects[s] = policy.SortedUnique(ids)
	}
	spec.ResourceGroupIDs = policy.SortedUnique(spec.ResourceGroupIDs)
	return spec
}

// Index returns the index of the policy with that ID (any case), or -1.
func Index(policies []cfclient.MemberPolicy, id string) int {
	if id == "" {
		return -1
	}
	return slices.IndexFunc(policies, func(p cfclient.MemberPolicy) bool { return strings.EqualFold(p.ID, id) })
}
