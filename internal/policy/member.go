package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// MaxRolesPerPolicy caps a member policy's roles well above any real use: the
// whole catalog holds fewer than 100 roles, so more in one policy is a mistake.
const MaxRolesPerPolicy = 100

// MemberPolicy is one policy of a cfiam_account_member as written. The
// attributes set say its scope: zone_ids makes it a domain policy, tunnel_ids
// a Tunnel policy, neither an account-wide one (or, with resource_group_ids
// alone, one whose groups say where it applies).
type MemberPolicy struct {
	// Unknown is a policy only apply knows as a whole: nothing in it is checked.
	Unknown          bool
	Access           String // "allow" or "deny"; not set or unknown reads as "allow", the schema's default
	Roles            Strings
	ZoneIDs          Strings
	TunnelIDs        Strings
	ResourceGroupIDs Strings
}

// access is the policy's access: "allow" unless known otherwise.
func (in MemberPolicy) access() string {
	if in.Access.State == Known && in.Access.Value != "" {
		return in.Access.Value
	}
	return "allow"
}

// Denies reports whether the policy is known to deny.
func (in MemberPolicy) Denies() bool { return in.access() == "deny" }

// onGroups reports whether the policy names resource groups (an unknown set
// of them counts).
func (in MemberPolicy) onGroups() bool {
	return in.ResourceGroupIDs.State == Unknown || len(in.ResourceGroupIDs.Elems) > 0
}

// Scope is the policy's scope from which attributes are set: "" for a policy
// that mixes zones and Tunnels, and for an account-wide one on named resource
// groups (the groups say where it applies).
func (in MemberPolicy) Scope() catalog.Scope {
	s, problem := catalog.MemberPolicyScope(in.ZoneIDs.IsSet(), in.TunnelIDs.IsSet())
	if problem != nil {
		return ""
	}
	if s == catalog.ScopeAccount && in.onGroups() {
		return ""
	}
	return s
}

// Describe names the policy in a problem's detail, since Terraform may
// highlight a whole set element rather than the role in it.
func (in MemberPolicy) Describe() string {
	where := "account-wide"
	switch {
	case in.ZoneIDs.IsSet() && in.TunnelIDs.IsSet():
		where = "on zones and Tunnels"
	case in.ZoneIDs.IsSet():
		where = "on zone_ids"
	case in.TunnelIDs.IsSet():
		where = "on tunnel_ids"
	case in.onGroups():
		where = "on resource_group_ids"
	}
	return fmt.Sprintf("the %s policy %s with roles [%s]", in.access(), where, strings.Join(in.Roles.refs(), ", "))
}

// MemberSpec is a member policy reduced to what the API compares: IDs, sorted.
type MemberSpec struct {
	Access           string
	RoleIDs          []string
	Scope            catalog.Scope // account, zone, tunnel; "" for explicit resource groups only
	ObjectIDs        []string      // zone or Tunnel IDs (the account ID for account-wide policies)
	ResourceGroupIDs []string      // resource groups named by the user (cfiam_resource_group)
}

// Key is the same for two specs that grant the same.
func (p MemberSpec) Key() string {
	return strings.Join([]string{p.Access, strings.Join(p.RoleIDs, ","), string(p.Scope),
		strings.Join(p.ObjectIDs, ","), strings.Join(p.ResourceGroupIDs, ",")}, "|")
}

// Spec resolves a policy, every value known, against a catalog. accountID
// fills the object of an account-wide policy.
func (in MemberPolicy) Spec(cat *catalog.Catalog, accountID string) (MemberSpec, error) {
	s := in.Scope()
	spec := MemberSpec{Access: in.access(), Scope: s, ResourceGroupIDs: SortedUnique(in.ResourceGroupIDs.Values())}
	for _, ref := range in.Roles.Values() {
		e, err := resolveRoleAnyScope(cat, ref, s)
		if err != nil {
			return MemberSpec{}, err
		}
		spec.RoleIDs = append(spec.RoleIDs, e.ID)
	}
	spec.RoleIDs = SortedUnique(spec.RoleIDs)
	switch s {
	case catalog.ScopeZone:
		spec.ObjectIDs = SortedUnique(in.ZoneIDs.Values())
	case catalog.ScopeTunnel:
		spec.ObjectIDs = SortedUnique(in.TunnelIDs.Values())
	case catalog.ScopeAccount:
		spec.ObjectIDs = []string{accountID}
	}
	return spec, nil
}

// resolveRoleAnyScope resolves a role reference for a policy whose scope is
// known only from its resource groups (s "").
func resolveRoleAnyScope(cat *catalog.Catalog, ref string, s catalog.Scope) (catalog.Entry, error) {
	if s != "" {
		return cat.ResolveRole(ref, s)
	}
	return cat.Resolve(catalog.KindRole, ref, "")
}

// SortedUnique returns a sorted copy of in without repeats: the form of
// every ID list in a spec, so that specs compare by value.
func SortedUnique(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

// GroupScopes is the scope of each resource group of an account, by
// lower-case ID: what a policy on resource_group_ids applies to, and so which
// roles it may hold (Cloudflare answers 1006 otherwise).
type GroupScopes map[string]catalog.Scope

// CheckMemberPolicies checks a member's policies against cat: scope (zones
// and Tunnels mixed), the same policy twice, too many roles, each role at the
// policy's scope, and, with groups (the account's resource groups; nil when
// not read), roles on resource groups. With strictIDs false (the embedded
// catalog, at validate), role IDs the catalog lacks pass: only the live
// catalog can judge them. Unknown values never fail a check. Problems are in
// the order of the policies.
func CheckMemberPolicies(cat *catalog.Catalog, policies []MemberPolicy, strictIDs bool, groups GroupScopes) []Problem {
	var out []Problem
	seen := map[string]int{}
	for i, in := range policies {
		if in.Unknown {
			continue
		}
		at := Path{Policy: i}
		if prev, dup := samePolicy(seen, policies, i, cat); dup {
			const fix = "Remove one of them."
			out = append(out, Problem{Code: CodeSamePolicyTwice, Path: at, Summary: "Same policy twice", Fix: fix,
				Detail: fmt.Sprintf("%s grants the same as %s: the same roles (by name or ID, in any case) with the same access on the same resources. %s",
					in.Describe(), policies[prev].Describe(), fix)})
			continue
		}
		s, problem := catalog.MemberPolicyScope(in.ZoneIDs.IsSet(), in.TunnelIDs.IsSet())
		if problem != nil {
			out = append(out, in.within(fromCatalog(*problem, at)))
			continue
		}
		if in.Roles.State == Unknown {
			continue
		}
		if n := len(in.Roles.Elems); n > MaxRolesPerPolicy {
			fix := fmt.Sprintf("Keep at most %d roles in a policy.", MaxRolesPerPolicy)
			out = append(out, Problem{Code: CodeTooManyRoles, Path: Path{Policy: i, Attribute: "roles"}, Summary: "Too many roles", Fix: fix,
				Detail: fmt.Sprintf("This policy has %d roles, and Cloudflare's whole catalog has fewer than %d: the list is a mistake. %s", n, MaxRolesPerPolicy, fix)})
			continue
		}
		var onGroups catalog.Scope // the scope of the policy's resource groups, when they tell
		if in.onGroups() && groups != nil {
			var p *Problem
			if onGroups, p = groups.check(in, s, at); p != nil {
				out = append(out, *p)
				continue
			}
		}
		if s == catalog.ScopeAccount && in.onGroups() {
			s = "" // the named groups say where the policy applies
		}
		written := in.Roles.refs()
		refs := make([]string, len(written))
		for j, ref := range written {
			if !strictIDs && isHexID(ref) {
				if _, known := cat.ByID(ref); !known {
					continue
				}
			}
			refs[j] = ref
		}
		var problems []catalog.Problem
		switch {
		case onGroups != "":
			problems = cat.CheckRolesOnGroups(onGroups, refs)
		case s == "":
			problems = checkRolesAnyScope(cat, refs)
		default:
			problems = cat.CheckRoles(s, refs)
		}
		for _, cp := range problems {
			where := at
			if cp.Index >= 0 {
				where = Path{Policy: i, Attribute: "roles", Element: written[cp.Index]}
			}
			p := in.within(fromCatalog(cp, where))
			if !strictIDs && p.Code == CodeUnknownRole {
				p.Detail += " This check uses the catalog built into the provider; a role newer than it can be named by ID, " +
					"for example data.cfiam_role.<name>.id, and is then checked against the account's live catalog at plan."
			}
			out = append(out, p)
		}
	}
	return out
}

// within adds to a problem's detail which policy it is in.
func (in MemberPolicy) within(p Problem) Problem {
	p.Detail += " (In " + in.Describe() + ".)"
	return p
}

// samePolicy records policies[i], when fully known, by what it grants and
// returns the earlier policy that grants the same, if any. Two such policies
// would read back as one, and Terraform would refuse the duplicate after the
// API accepted both.
func samePolicy(seen map[string]int, policies []MemberPolicy, i int, cat *catalog.Catalog) (int, bool) {
	in := policies[i]
	if in.Access.State == Unknown {
		return 0, false
	}
	for _, list := range []Strings{in.Roles, in.ZoneIDs, in.TunnelIDs, in.ResourceGroupIDs} {
		if !list.AllKnown() {
			return 0, false // an unknown value: cannot tell yet
		}
	}
	spec, err := in.Spec(cat, "account")
	if err != nil {
		return 0, false // reported by the scope rules
	}
	if prev, ok := seen[spec.Key()]; ok {
		return prev, true
	}
	seen[spec.Key()] = i
	return 0, false
}

// checkRolesAnyScope checks only that each role exists, for policies whose
// scope comes from named resource groups.
func checkRolesAnyScope(cat *catalog.Catalog, refs []string) []catalog.Problem {
	if len(refs) == 0 {
		return cat.CheckRoles(catalog.ScopeAccount, nil)
	}
	var out []catalog.Problem
	for i, ref := range refs {
		if ref == "" || len(cat.Find(catalog.KindRole, ref)) > 0 {
			continue
		}
		for _, p := range cat.CheckRoles(catalog.ScopeAccount, []string{ref}) {
			p.Index = i
			out = append(out, p)
		}
	}
	return out
}

// check finds the one scope of policy in's resource groups (with its zone or
// Tunnel IDs, of scope s), or the problem: an ID the account does not have,
// or groups of different scopes. IDs not known yet (groups not created) are
// skipped: the others already say which scope every group must have; scope
// is "" when none does.
func (g GroupScopes) check(in MemberPolicy, s catalog.Scope, at Path) (catalog.Scope, *Problem) {
	scopes := map[string]catalog.Scope{}
	switch {
	case in.ZoneIDs.IsSet():
		scopes["zone_ids"] = s
	case in.TunnelIDs.IsSet():
		scopes["tunnel_ids"] = s
	}
	for _, id := range in.ResourceGroupIDs.refs() {
		if id == "" {
			continue
		}
		kind, found := g[strings.ToLower(id)]
		if !found {
			const fix = "Check the ID: refer to a cfiam_resource_group (cfiam_resource_group.<name>.id), or list zones or Tunnels with zone_ids / tunnel_ids instead."
			return "", &Problem{Code: CodeUnknownResourceGroup, Path: Path{Policy: at.Policy, Attribute: "resource_group_ids", Element: id},
				Summary: "Unknown resource group", Fix: fix,
				Detail: fmt.Sprintf("The account has no resource group %s (in %s). %s", id, in.Describe(), fix)}
		}
		scopes["resource group "+id] = kind
	}
	if p := catalog.GroupScopesProblem(scopes); p != nil {
		problem := in.within(fromCatalog(*p, at))
		return "", &problem
	}
	for _, kind := range scopes {
		return kind, nil // all the same
	}
	return "", nil
}

// isHexID reports whether s has the shape of a Cloudflare ID: 32 lower-case
// hexadecimal characters.
func isHexID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
