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

// MemberPolicy is one policy of a cfiam_account_member or cfiam_user_group
// as written. The attributes set say its scope: zone_ids makes it a domain
// policy, a resource kind's IDs (tunnel_ids, access_application_ids, ...) a
// policy on those objects (kinds that share a policy may go together), none
// an account-wide one (or, with resource_group_ids alone, one whose groups
// say where it applies).
type MemberPolicy struct {
	// Unknown is a policy only apply knows as a whole: nothing in it is checked.
	Unknown bool
	Access  String // "allow" or "deny"; not set or unknown reads as "allow", the schema's default
	Roles   Strings
	ZoneIDs Strings
	// Resources are the IDs the policy names of each resource kind, by the
	// kind's scope; a kind whose attribute is not set is absent or null.
	Resources        map[catalog.Scope]Strings
	ResourceGroupIDs Strings
}

// kinds is catalog.MemberPolicyKinds of the attributes set.
func (in MemberPolicy) kinds() ([]catalog.Scope, *catalog.Problem) {
	var set []catalog.Scope
	for s, ids := range in.Resources {
		if ids.IsSet() {
			set = append(set, s)
		}
	}
	return catalog.MemberPolicyKinds(in.ZoneIDs.IsSet(), set)
}

// ids returns the attribute that lists resources of scope s.
func (in MemberPolicy) ids(s catalog.Scope) Strings {
	if s == catalog.ScopeZone {
		return in.ZoneIDs
	}
	return in.Resources[s]
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

// Kinds is the kinds of resource the policy names, from which attributes are
// set: nil for a policy that mixes zones with Tunnels or Mesh nodes, and for
// an account-wide one on named resource groups (the groups say where it
// applies).
func (in MemberPolicy) Kinds() []catalog.Scope {
	kinds, problem := in.kinds()
	if problem != nil {
		return nil
	}
	if kinds[0] == catalog.ScopeAccount && in.onGroups() {
		return nil
	}
	return kinds
}

// Describe names the policy in a problem's detail, since Terraform may
// highlight a whole set element rather than the role in it.
func (in MemberPolicy) Describe() string {
	var set []string
	for _, s := range catalog.RoleScopes[1:] {
		if in.ids(s).IsSet() {
			set = append(set, catalog.IDsAttribute(s))
		}
	}
	where := "account-wide"
	switch {
	case len(set) > 0:
		where = "on " + strings.Join(set, " and ")
	case in.onGroups():
		where = "on resource_group_ids"
	}
	return fmt.Sprintf("the %s policy %s with roles [%s]", in.access(), where, strings.Join(in.Roles.refs(), ", "))
}

// MemberSpec is a member policy reduced to what the API compares: IDs, sorted.
type MemberSpec struct {
	Access  string
	RoleIDs []string
	// Objects are the resources the policy names, by kind: the account ID
	// (account-wide), zone IDs, Tunnel IDs, Mesh node IDs, each sorted. One
	// kind, or Tunnels and Mesh nodes together; none for a policy on
	// explicit resource groups only.
	Objects          map[catalog.Scope][]string
	ResourceGroupIDs []string // resource groups named by the user (cfiam_resource_group)
}

// Kinds returns the kinds of the spec's objects, in catalog.RoleScopes order.
func (p MemberSpec) Kinds() []catalog.Scope {
	var out []catalog.Scope
	for _, s := range catalog.RoleScopes {
		if len(p.Objects[s]) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// Scope is the one kind of the spec's objects: "" for a spec on resource
// groups only, or on Tunnels and Mesh nodes together.
func (p MemberSpec) Scope() catalog.Scope {
	if kinds := p.Kinds(); len(kinds) == 1 {
		return kinds[0]
	}
	return ""
}

// ScopeLabel names the kinds of the spec's objects as the data sources'
// `scope` attributes do: "account", "zone", "tunnel", "mesh_node", or
// "tunnel,mesh_node" for a policy on both; "" for resource groups only.
func (p MemberSpec) ScopeLabel() string {
	kinds := p.Kinds()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ",")
}

// Key is the same for two specs that grant the same.
func (p MemberSpec) Key() string {
	parts := []string{p.Access, strings.Join(p.RoleIDs, ",")}
	for _, s := range p.Kinds() {
		parts = append(parts, string(s)+":"+strings.Join(p.Objects[s], ","))
	}
	return strings.Join(append(parts, strings.Join(p.ResourceGroupIDs, ",")), "|")
}

// Spec resolves a policy, every value known, against a catalog. accountID
// fills the object of an account-wide policy.
func (in MemberPolicy) Spec(cat *catalog.Catalog, accountID string) (MemberSpec, error) {
	kinds := in.Kinds()
	spec := MemberSpec{Access: in.access(), ResourceGroupIDs: SortedUnique(in.ResourceGroupIDs.Values())}
	for _, ref := range in.Roles.Values() {
		e, err := resolveRoleIn(cat, ref, kinds)
		if err != nil {
			return MemberSpec{}, err
		}
		spec.RoleIDs = append(spec.RoleIDs, e.ID)
	}
	spec.RoleIDs = SortedUnique(spec.RoleIDs)
	for _, s := range kinds {
		if spec.Objects == nil {
			spec.Objects = map[catalog.Scope][]string{}
		}
		if s == catalog.ScopeAccount {
			spec.Objects[s] = []string{accountID}
			continue
		}
		spec.Objects[s] = SortedUnique(in.ids(s).Values())
	}
	return spec, nil
}

// resolveRoleIn resolves a role reference for a policy on resources of these
// kinds: at the first kind where it resolves (a Tunnel and Mesh node policy
// holds roles of either), or, with no kinds (a policy whose scope is known
// only from its resource groups), at any scope.
func resolveRoleIn(cat *catalog.Catalog, ref string, kinds []catalog.Scope) (catalog.Entry, error) {
	if len(kinds) == 0 {
		return cat.Resolve(catalog.KindRole, ref, "")
	}
	var err error
	for _, s := range kinds {
		var e catalog.Entry
		if e, err = cat.ResolveRole(ref, s); err == nil {
			return e, nil
		}
	}
	return catalog.Entry{}, err
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
// mixed with Tunnels or Mesh nodes), the same policy twice, too many roles,
// each role applying to a kind of resource the policy names, and, with groups (the account's resource groups; nil when
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
		kinds, problem := in.kinds()
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
		var onGroups []catalog.Scope // the kinds of the policy's resource groups, when they tell
		if in.onGroups() && groups != nil {
			var p *Problem
			if onGroups, p = groups.check(in, at); p != nil {
				out = append(out, *p)
				continue
			}
		}
		if kinds[0] == catalog.ScopeAccount && in.onGroups() {
			kinds = nil // the named groups say where the policy applies
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
		case len(onGroups) > 0:
			problems = cat.CheckRolesOnGroups(onGroups, refs)
		case len(kinds) == 0:
			problems = checkRolesAnyScope(cat, refs)
		default:
			problems = cat.CheckRolesIn(kinds, refs)
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
	for _, list := range []Strings{in.Roles, in.ZoneIDs, in.ResourceGroupIDs} {
		if !list.AllKnown() {
			return 0, false // an unknown value: cannot tell yet
		}
	}
	for _, list := range in.Resources {
		if !list.AllKnown() {
			return 0, false
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

// check finds the kinds of policy in's resource groups (with its zone,
// Tunnel or Mesh node IDs), or the problem: an ID the account does not have,
// or groups of kinds that do not go together (catalog.GroupScopesProblem).
// IDs not known yet (groups not created) are skipped: the others already say
// which kinds the groups must have; kinds is nil when none does.
func (g GroupScopes) check(in MemberPolicy, at Path) ([]catalog.Scope, *Problem) {
	scopes := map[string]catalog.Scope{}
	for _, s := range catalog.RoleScopes[1:] {
		if in.ids(s).IsSet() {
			scopes[catalog.IDsAttribute(s)] = s
		}
	}
	for _, id := range in.ResourceGroupIDs.refs() {
		if id == "" {
			continue
		}
		kind, found := g[strings.ToLower(id)]
		if !found {
			const fix = "Check the ID: refer to a cfiam_resource_group (cfiam_resource_group.<name>.id), or list the zones or resources with zone_ids, tunnel_ids, access_application_ids, ... instead."
			return nil, &Problem{Code: CodeUnknownResourceGroup, Path: Path{Policy: at.Policy, Attribute: "resource_group_ids", Element: id},
				Summary: "Unknown resource group", Fix: fix,
				Detail: fmt.Sprintf("The account has no resource group %s (in %s). %s", id, in.Describe(), fix)}
		}
		scopes["resource group "+id] = kind
	}
	if p := catalog.GroupScopesProblem(scopes); p != nil {
		problem := in.within(fromCatalog(*p, at))
		return nil, &problem
	}
	var kinds []catalog.Scope
	for _, s := range catalog.RoleScopes {
		for _, kind := range scopes {
			if kind == s {
				kinds = append(kinds, s)
				break
			}
		}
	}
	return kinds, nil
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
