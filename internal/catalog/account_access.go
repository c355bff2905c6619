package catalog

import (
	"slices"
	"strconv"
	"strings"
)

// This file answers questions about a whole account's access: which grants
// a member holds once its user groups are counted, and who holds Super
// Administrator. The provider's guards and cfiam_effective_access, and the
// emulator's authorization, read an account the same way through it.

// ViaGroup is the Via of the grants of one policy of a user group:
// `group "platform-admins" policy <id>`.
func ViaGroup(groupName, policyID string) string {
	return "group " + strconv.Quote(groupName) + " policy " + policyID
}

// GroupFromVia returns the group name and policy ID of a ViaGroup string.
func GroupFromVia(via string) (group, policyID string, ok bool) {
	rest, found := strings.CutPrefix(via, "group ")
	if !found {
		return "", "", false
	}
	quoted, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", false
	}
	name, _ := strconv.Unquote(quoted)
	id, found := strings.CutPrefix(rest[len(quoted):], " policy ")
	return name, id, found
}

// AccountMember is one member as the API holds it, reduced to what access
// reads.
type AccountMember struct {
	ID            string
	Email         string // for messages only
	Accepted      bool
	LegacyRoleIDs []string
	Policies      []APIPolicy
}

// AccountGroup is one user group as the API holds it: its policies and the
// IDs of its members.
type AccountGroup struct {
	ID        string
	Name      string
	Policies  []APIPolicy
	MemberIDs []string
}

// AccountAccess is an account's members and user groups: what decides who
// holds what. Its With* methods return a changed copy, so that a guard can
// compare the account before and after a planned change.
type AccountAccess struct {
	AccountID string
	Members   []AccountMember
	Groups    []AccountGroup
}

// GroupsOf returns the groups memberID belongs to, in the account's order.
func (a AccountAccess) GroupsOf(memberID string) []AccountGroup {
	var out []AccountGroup
	for _, g := range a.Groups {
		if slices.ContainsFunc(g.MemberIDs, func(id string) bool { return strings.EqualFold(id, memberID) }) {
			out = append(out, g)
		}
	}
	return out
}

// MemberGrants is what the member holds: its own grants (MemberGrants), then
// each of its groups' policies' grants (Via ViaGroup). A member who has not
// accepted holds nothing, through groups neither. Deny is evaluated over
// allow across all of them: a group's deny removes the member's own allow,
// as Cloudflare evaluates every policy that applies to the member together.
func (a AccountAccess) MemberGrants(m AccountMember, role func(id string) (Entry, bool)) []Grant {
	out := MemberGrants(m.Accepted, a.AccountID, m.LegacyRoleIDs, m.Policies, role)
	if !m.Accepted {
		return out
	}
	for _, g := range a.GroupsOf(m.ID) {
		for _, gr := range MemberGrants(true, a.AccountID, nil, g.Policies, role) {
			id, _ := PolicyIDFromVia(gr.Via)
			gr.Via = ViaGroup(g.Name, id)
			out = append(out, gr)
		}
	}
	return out
}

// Member returns the member of that ID.
func (a AccountAccess) Member(id string) (AccountMember, bool) {
	return byID(a.Members, id, func(m AccountMember) string { return m.ID })
}

// byID finds the element whose ID (any case) is id.
func byID[T any](xs []T, id string, idOf func(T) string) (T, bool) {
	i := slices.IndexFunc(xs, func(x T) bool { return strings.EqualFold(idOf(x), id) })
	if i < 0 {
		var zero T
		return zero, false
	}
	return xs[i], true
}

// SuperAdministrators returns the IDs of the accepted members who hold Super
// Administrator account-wide, directly or through a group, after denies.
func (a AccountAccess) SuperAdministrators(role func(id string) (Entry, bool)) []string {
	var out []string
	for _, m := range a.Members {
		if m.Accepted && HoldsSuperAdministrator(a.MemberGrants(m, role)) {
			out = append(out, m.ID)
		}
	}
	return out
}

// LosesLastSuperAdministrator reports whether going from a to after leaves
// an account that had an accepted Super Administrator with none.
func (a AccountAccess) LosesLastSuperAdministrator(after AccountAccess, role func(id string) (Entry, bool)) bool {
	return len(a.SuperAdministrators(role)) > 0 && len(after.SuperAdministrators(role)) == 0
}

// WithMember returns a copy in which m replaces the member of its ID (or is
// added).
func (a AccountAccess) WithMember(m AccountMember) AccountAccess {
	out := a.WithoutMember(m.ID)
	out.Members = append(out.Members, m)
	return out
}

// WithoutMember returns a copy without the member, in no group either.
func (a AccountAccess) WithoutMember(id string) AccountAccess {
	out := a
	out.Members = slices.DeleteFunc(slices.Clone(a.Members), func(m AccountMember) bool { return strings.EqualFold(m.ID, id) })
	out.Groups = make([]AccountGroup, len(a.Groups))
	for i, g := range a.Groups {
		g.MemberIDs = slices.DeleteFunc(slices.Clone(g.MemberIDs), func(x string) bool { return strings.EqualFold(x, id) })
		out.Groups[i] = g
	}
	return out
}

// WithGroup returns a copy in which g replaces the group of its ID (or is
// added).
func (a AccountAccess) WithGroup(g AccountGroup) AccountAccess {
	out := a.WithoutGroup(g.ID)
	out.Groups = append(out.Groups, g)
	return out
}

// WithGroupPolicies returns a copy in which the group of that ID holds
// policies (unchanged when there is no such group).
func (a AccountAccess) WithGroupPolicies(id string, policies []APIPolicy) AccountAccess {
	return a.changeGroup(id, func(g *AccountGroup) { g.Policies = policies })
}

// WithGroupMembers returns a copy in which the group of that ID has exactly
// memberIDs.
func (a AccountAccess) WithGroupMembers(id string, memberIDs []string) AccountAccess {
	return a.changeGroup(id, func(g *AccountGroup) { g.MemberIDs = memberIDs })
}

// WithoutGroupMember returns a copy in which memberID is not in the group.
func (a AccountAccess) WithoutGroupMember(id, memberID string) AccountAccess {
	return a.changeGroup(id, func(g *AccountGroup) {
		g.MemberIDs = slices.DeleteFunc(slices.Clone(g.MemberIDs), func(x string) bool { return strings.EqualFold(x, memberID) })
	})
}

func (a AccountAccess) changeGroup(id string, change func(*AccountGroup)) AccountAccess {
	g, ok := a.Group(id)
	if !ok {
		return a
	}
	change(&g)
	return a.WithGroup(g)
}

// WithoutGroup returns a copy without the group.
func (a AccountAccess) WithoutGroup(id string) AccountAccess {
	out := a
	out.Groups = slices.DeleteFunc(slices.Clone(a.Groups), func(g AccountGroup) bool { return strings.EqualFold(g.ID, id) })
	return out
}

// Group returns the group of that ID.
func (a AccountAccess) Group(id string) (AccountGroup, bool) {
	return byID(a.Groups, id, func(g AccountGroup) string { return g.ID })
}

// AccountWidePolicy is an APIPolicy on the whole account, as a planned
// account-scoped policy is written.
func AccountWidePolicy(accountID, access string, roleIDs []string) APIPolicy {
	return APIPolicy{Access: access, RoleIDs: roleIDs, ResourceGroups: [][]string{{ResourceKey(ScopeAccount, accountID)}}}
}
