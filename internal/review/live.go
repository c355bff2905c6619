package review

import (
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// Live is what the account holds beyond the plan, read from the API
// (`cfiam review --live`): what its resource groups hold, and its members,
// so that members outside this plan count (for the last Super
// Administrator, among others), the policies other workspaces' bindings keep
// on the plan's members count, roles held through user groups and
// memberships the plan does not manage count, and grants on resource groups
// name their objects.
type Live struct {
	AccountID string
	// ResourceGroups are the object keys of each resource group, by ID.
	ResourceGroups map[string][]string
	Members        []LiveMember
	// Groups are the account's user groups, with their policies and members.
	Groups []LiveGroup
}

// LiveGroup is one user group as the API holds it.
type LiveGroup struct {
	ID, Name  string
	Policies  []LivePolicy
	MemberIDs []string
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
	n.liveUserGroups = map[string]LiveGroup{}
	for _, g := range l.Groups {
		n.liveUserGroups[strings.ToLower(g.ID)] = g
	}
}

// liveGroup is a user group the plan does not manage, as live mode read it:
// its policies' grants, held by the group. Via is the address of the plan's
// resource that names it (a membership), or ViaOutsidePlan.
func (x *expander) liveGroup(id, via string) *group {
	lg, ok := x.names.liveUserGroups[strings.ToLower(id)]
	if !ok {
		return nil
	}
	p := Principal{PrincipalGroup, lg.Name}
	start := len(x.out)
	for _, pol := range lg.Policies {
		x.grantAll(p, catalog.KindRole, policy.Set(pol.RoleIDs...), "", x.scopes(ScopeResourceGroup, policy.Set(pol.ResourceGroupIDs...)),
			strings.ToLower(pol.Access), via)
	}
	g := &group{name: lg.Name, address: via, grants: slices.Clone(x.out[start:])}
	x.out = x.out[:start]
	return g
}

// planGroups is what one side of the plan says of user groups, by
// lower-case ID: the groups it declares, and the members its membership
// resources list in each group (of the plan's groups or the account's).
type planGroups struct {
	declared map[string]*group
	// listed: the members (principal names) a membership resource puts in
	// the group; authoritative: a members resource owns the whole list.
	listed        map[string]map[string]bool
	authoritative map[string]bool
}

// liveGrants are the grants live mode adds to each side of the plan:
//   - of the live members this plan does not manage, their own policies
//     (the same on both sides);
//   - of the members it does, the binding policies it does not manage
//     (other workspaces' bindings: planBindings holds the policy IDs of this
//     plan's own), which stay whatever the plan does;
//   - of every member of a user group that no membership resource of the
//     plan lists (memberships made outside this plan), the group's grants:
//     the live group's policies when the plan does not declare the group
//     (the same on both sides), else the plan's group policies on each side
//     (a change to a group's policies reaches its members outside the plan).
//     A side where the plan owns the group's whole member list has none.
func liveGrants(cat *catalog.Catalog, l *Live, n names, managed, planBindings map[string]bool, before, after planGroups, counter *int) (bg, ag []Grant, accepted map[string]bool) {
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
	both := x.out
	x.out = nil
	bg, ag = slices.Clone(both), slices.Clone(both)
	for _, lg := range l.Groups {
		id := strings.ToLower(lg.ID)
		_, inBefore := before.declared[id]
		_, inAfter := after.declared[id]
		var outside []Principal
		for _, mid := range lg.MemberIDs {
			p := x.memberPrincipal("", mid, "member "+mid)
			if !before.listed[id][p.Name] && !after.listed[id][p.Name] {
				outside = append(outside, p)
			}
		}
		sides := []struct {
			out  *[]Grant
			side planGroups
		}{{&bg, before}, {&ag, after}}
		for _, sd := range sides {
			if sd.side.authoritative[id] {
				continue
			}
			g := sd.side.declared[id]
			if g == nil && !inBefore && !inAfter {
				g = x.liveGroup(lg.ID, ViaOutsidePlan)
			}
			if g == nil {
				continue // the plan creates or deletes the group: not on this side
			}
			for _, p := range outside {
				x.out = *sd.out
				for _, gg := range g.grants {
					gg.Principal, gg.Via, gg.Group, gg.unknownN = p, g.address, g.name, 0
					x.add(gg)
				}
				*sd.out = x.out
			}
		}
	}
	return bg, ag, x.accepted
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
func isBindingType(t string) bool {
	_, ok := kindOfBinding(t)
	return ok
}
