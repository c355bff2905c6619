package review

import (
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// Live is what the account holds beyond the plan, read from the API
// (`cfiam review --live`): what its resource groups hold, and its members,
// so that members outside this plan count (for the last Super
// Administrator, among others), the policies other workspaces' bindings keep
// on the plan's members count, and grants on resource groups name their
// objects.
type Live struct {
	AccountID string
	// ResourceGroups are the object keys of each resource group, by ID.
	ResourceGroups map[string][]string
	Members        []LiveMember
}

// LiveMember is one member as the API holds it.
type LiveMember struct {
	ID, Email     string
	Accepted      bool
	LegacyRoleIDs []string
	Policies      []LivePolicy
}

// LivePolicy is one policy of a live member: roles on resource groups.
type LivePolicy struct {
	ID string
	// Binding: the policy belongs to an additive writer (a binding), which
	// a member's authoritative resource leaves as it is.
	Binding          bool
	Access           string
	RoleIDs          []string
	ResourceGroupIDs []string
}

// ViaOutsidePlan is the Via of a live grant of a member this plan does not manage.
const ViaOutsidePlan = "(outside this plan)"

// groupObjects returns what a resource group holds, when live mode read it.
func (n names) groupObjects(id string) (catalog.Scope, []string, bool) {
	keys, ok := n.liveGroups[strings.ToLower(id)]
	if !ok {
		return "", nil, false
	}
	return catalog.GroupObjects(keys)
}

func (n *names) addLive(l *Live) {
	if l == nil {
		return
	}
	n.liveGroups = map[string][]string{}
	for id, keys := range l.ResourceGroups {
		n.liveGroups[strings.ToLower(id)] = keys
		if s, _, ok := catalog.GroupObjects(keys); ok {
			if n.groupScopes == nil {
				n.groupScopes = policy.GroupScopes{}
			}
			n.groupScopes[strings.ToLower(id)] = s
		}
	}
	for _, m := range l.Members {
		if m.Email != "" && n.emails[strings.ToLower(m.ID)] == "" {
			n.emails[strings.ToLower(m.ID)] = m.Email
		}
	}
}

// liveGrants are the grants of the live members this plan does not manage,
// and, of the members it does, the binding policies it does not manage
// (other workspaces' bindings: planBindings holds the policy IDs of this
// plan's own), which stay whatever the plan does.
func liveGrants(cat *catalog.Catalog, l *Live, n names, managed, planBindings map[string]bool, counter *int) ([]Grant, map[string]bool) {
	x := &expander{cat: cat, names: n, n: counter, accepted: map[string]bool{}}
	for _, m := range l.Members {
		p := x.memberPrincipal(m.Email, m.ID, "member "+m.ID)
		if managed[strings.ToLower(p.Name)] {
			for _, pol := range m.Policies {
				if pol.Binding && !planBindings[strings.ToLower(pol.ID)] {
					x.grantAll(p, catalog.KindRole, policy.Set(pol.RoleIDs...), "", x.scopes(ScopeResourceGroup, policy.Set(pol.ResourceGroupIDs...)),
						strings.ToLower(pol.Access), ViaOutsidePlan)
				}
			}
			continue
		}
		x.accepted[p.Name] = m.Accepted
		if len(m.LegacyRoleIDs) > 0 {
			x.grantAll(p, catalog.KindRole, policy.Set(m.LegacyRoleIDs...), catalog.ScopeAccount, []Scope{x.account(l.AccountID)}, "allow", ViaOutsidePlan)
		}
		for _, pol := range m.Policies {
			x.grantAll(p, catalog.KindRole, policy.Set(pol.RoleIDs...), "", x.scopes(ScopeResourceGroup, policy.Set(pol.ResourceGroupIDs...)),
				strings.ToLower(pol.Access), ViaOutsidePlan)
		}
	}
	return x.out, x.accepted
}

// AccountIDs returns the account IDs the plan's resources name, in order of
// first appearance: where live mode reads.
func AccountIDs(p *Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range p.Changes {
		for _, v := range []any{c.Before, c.After} {
			if id, ok := known(attr(v, "account_id")); ok && !seen[strings.ToLower(id)] {
				seen[strings.ToLower(id)] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// planBindingPolicies is the policy IDs this plan's bindings own, before or
// after it: live mode leaves those to the plan.
func planBindingPolicies(p *Plan) map[string]bool {
	out := map[string]bool{}
	for _, c := range p.Changes {
		if !isBindingType(c.Type) {
			continue
		}
		for _, v := range []any{c.Before, c.After} {
			if id, ok := known(attr(v, "policy_id")); ok && id != "" {
				out[strings.ToLower(id)] = true
			}
		}
	}
	return out
}

// isBindingType: is this one of cfiam's additive binding resources?
func isBindingType(t string) bool { return t == typeBinding }
