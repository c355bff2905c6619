package iampolicy

import (
	"slices"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// Spec is a policy reduced to what the API compares: IDs, sorted. It is what
// a writer asks for; the updater finds or creates the resource groups that
// Scope and ObjectIDs need.
type Spec struct {
	Access           string
	RoleIDs          []string
	Scope            catalog.Scope // account, zone, tunnel; "" for explicit resource groups only
	ObjectIDs        []string      // zone or Tunnel IDs (the account ID for account-wide policies)
	ResourceGroupIDs []string      // resource groups named by the user (cfiam_resource_group)
}

// Key identifies what a policy grants: two policies with the same key grant
// the same, whatever their IDs.
func (p Spec) Key() string {
	return strings.Join([]string{p.Access, strings.Join(p.RoleIDs, ","), string(p.Scope),
		strings.Join(p.ObjectIDs, ","), strings.Join(p.ResourceGroupIDs, ",")}, "|")
}

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

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

// SpecFromAPI reduces an API policy to a Spec.
func SpecFromAPI(p cfclient.MemberPolicy) Spec {
	spec := Spec{Access: p.Access, RoleIDs: sortedCopy(p.PermissionGroupIDs())}
	for _, g := range p.ResourceGroups {
		if s, id, ok := classifyGroup(g.Name, g.ObjectKeys()); ok && (spec.Scope == "" || spec.Scope == s) {
			spec.Scope = s
			spec.ObjectIDs = append(spec.ObjectIDs, id)
			continue
		}
		spec.ResourceGroupIDs = append(spec.ResourceGroupIDs, g.ID)
	}
	spec.ObjectIDs = sortedCopy(spec.ObjectIDs)
	spec.ResourceGroupIDs = sortedCopy(spec.ResourceGroupIDs)
	return spec
}

// Index returns the index of the policy with that ID (any case), or -1.
func Index(policies []cfclient.MemberPolicy, id string) int {
	if id == "" {
		return -1
	}
	return slices.IndexFunc(policies, func(p cfclient.MemberPolicy) bool { return strings.EqualFold(p.ID, id) })
}
