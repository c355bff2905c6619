package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Code names the rule a Problem breaks. Codes are stable: callers compare
// them (never the English Summary), and a reviewer's output may record them.
type Code string

// The codes of the catalog's rules.
const (
	// A policy with zone_ids and a resource kind's IDs: "member_policy_mixes_zones_and_<Plural>".
	CodeMixesZonesAndTunnels      Code = "member_policy_mixes_zones_and_tunnels"
	CodeMixesZonesAndMeshNodes    Code = "member_policy_mixes_zones_and_mesh_nodes"
	CodeMixesResourceKinds        Code = "member_policy_mixes_resource_kinds"
	CodeRoleKindNotNamed          Code = "role_applies_to_kind_not_named"
	CodeGroupScopesDiffer         Code = "resource_groups_of_different_scopes"
	CodeNoRoles                   Code = "policy_has_no_roles"
	CodeUnknownRole               Code = "unknown_role"
	CodeRoleWrongScope            Code = "role_wrong_scope"
	CodeInvalidRole               Code = "invalid_role"
	CodeTokenNoResources          Code = "token_policy_has_no_resources"
	CodeTokenMixesKinds           Code = "token_policy_mixes_resource_kinds"
	CodeNoPermissionGroups        Code = "token_policy_has_no_permission_groups"
	CodeUnknownPermissionGroup    Code = "unknown_permission_group"
	CodePermissionGroupWrongScope Code = "permission_group_wrong_scope"
	CodeInvalidPermissionGroup    Code = "invalid_permission_group"
)

// Problem is one rule a policy breaks: which item, why, and what to write
// instead. Every Problem of the catalog's rules is an error. Index is the
// position of the offending role or permission group in the list checked,
// or -1 when the problem is the policy as a whole. Detail is the whole
// explanation, Fix included; Fix alone is what to do about it.
type Problem struct {
	Code    Code
	Index   int
	Ref     string
	Summary string
	Detail  string
	Fix     string
}

func (p Problem) String() string { return p.Summary + ": " + p.Detail }

// MemberPolicyKinds says which kinds of resource a member policy names from
// which attributes are set (known or not): zone IDs make it a domain policy,
// the IDs of resource kinds (set lists the kinds whose attribute is set) a
// policy on those resources, none an account-wide one. One policy may name
// resources of kinds that share (ResourceKind.ShareWith: Tunnels and Mesh
// nodes); zones beside a resource kind, or kinds that do not share, are a
// problem. Kinds are in RoleScopes order.
func MemberPolicyKinds(hasZones bool, set []Scope) ([]Scope, *Problem) {
	var named []Scope
	for _, s := range ResourceScopes() {
		if slices.Contains(set, s) {
			named = append(named, s)
		}
	}
	const fix = "Split it into one policy per kind."
	switch {
	case hasZones && len(named) > 0:
		k, _ := KindOf(named[0])
		return nil, &Problem{Code: Code("member_policy_mixes_zones_and_" + k.Plural), Index: -1, Summary: "Policy mixes zones and " + k.Nouns,
			Detail: fmt.Sprintf("A policy applies to zones or to individual resources: set zone_ids (domain roles) or %s (%s roles), not both. %s",
				k.Attribute, k.Short, fix), Fix: fix}
	case hasZones:
		return []Scope{ScopeZone}, nil
	case len(named) == 0:
		return []Scope{ScopeAccount}, nil
	case !KindsCompatible(named):
		return nil, &Problem{Code: CodeMixesResourceKinds, Index: -1, Summary: "Policy mixes kinds of resource that do not go together",
			Detail: fmt.Sprintf("This policy sets %s: Cloudflare takes one kind of resource per policy (only %s). %s",
				strings.Join(attrsOf(named), " and "), sharingPairs(), fix), Fix: fix}
	}
	return named, nil
}

// attrsOf names the policy attributes of kinds.
func attrsOf(kinds []Scope) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = IDsAttribute(k)
	}
	return out
}

// sharingPairs names the kinds that may share a policy: "tunnel_ids with mesh_node_ids".
func sharingPairs() string {
	var pairs []string
	for _, k := range kinds {
		for _, o := range k.ShareWith {
			if k.Scope < o {
				pairs = append(pairs, k.Attribute+" with "+IDsAttribute(o))
			}
		}
	}
	return strings.Join(pairs, ", ")
}

// KindsCompatible reports whether one member policy may name resources of
// all these kinds together: a single kind, or resource kinds that share a
// policy (ResourceKind.ShareWith). Cloudflare refuses other mixes.
func KindsCompatible(kinds []Scope) bool {
	for i, a := range kinds {
		for _, b := range kinds[i+1:] {
			if !mayShare(a, b) {
				return false
			}
		}
	}
	return true
}

// RoleAppliesTo reports whether a role of scope role may be in a member
// policy whose resources are of these kinds: the kinds go together
// (KindsCompatible), and the role's scope is one of them. Account and domain
// roles thus need every resource of their scope; a Tunnel role may sit beside
// Mesh nodes in a policy that also names Tunnels, and grants on the Tunnels
// only (Grant). This is the rule of Cloudflare's error 1006.
func RoleAppliesTo(role Scope, kinds []Scope) bool {
	return len(kinds) > 0 && KindsCompatible(kinds) && slices.Contains(kinds, role)
}

// policyPhrase describes a member policy on resources of these kinds, as a reviewer would.
func policyPhrase(kinds []Scope) string {
	switch {
	case len(kinds) == 1 && kinds[0] == ScopeZone:
		return "this policy applies to zones (zone_ids)"
	case len(kinds) == 0 || kinds[0] == ScopeAccount:
		return "this policy is account-wide (no zone_ids and no resource IDs such as tunnel_ids)"
	}
	return "this policy applies to " + kindObjects(kinds) + " (" + kindAttrs(kinds) + ")"
}

// kindObjects names the resources of kinds: "Tunnels and Mesh nodes".
func kindObjects(kinds []Scope) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = scopeObjects(k)
	}
	return strings.Join(names, " and ")
}

// kindAttrs names the attributes that list resources of kinds: "tunnel_ids, mesh_node_ids".
func kindAttrs(kinds []Scope) string { return strings.Join(attrsOf(kinds), ", ") }

// IDsAttribute is the policy attribute that lists resources of scope s:
// zone_ids, or a resource kind's ("tunnel_ids"); "" for the account.
func IDsAttribute(s Scope) string {
	if s == ScopeZone {
		return "zone_ids"
	}
	k, _ := KindOf(s)
	return k.Attribute
}

// BindingResource is the cfiam resource that binds roles of a
// resource kind to chosen resources ("" for other scopes).
func BindingResource(s Scope) string {
	if k, ok := KindOf(s); ok {
		return k.BindingResource()
	}
	return ""
}

// roleOf names a role of scope s in a reviewer's words: "a Tunnel role".
func roleOf(s Scope) string {
	if k, ok := KindOf(s); ok {
		return article(k.Short) + " " + k.Short + " role"
	}
	if s == ScopeZone {
		return "a domain role"
	}
	return "an account role"
}

// article is "a" or "an" before word.
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// moveHint says how to grant a role of scope `have` when the policy names resources of kinds `want`.
func moveHint(have Scope, want []Scope) string {
	switch {
	case have == ScopeZone:
		return "put it in a policy with zone_ids"
	case have.ResourceScoped():
		return fmt.Sprintf("put it in a policy with %s (or a %s)", IDsAttribute(have), BindingResource(have))
	case slices.Equal(want, []Scope{ScopeZone}):
		return "grant it in an account-wide policy (no zone_ids), which covers every zone"
	}
	return "grant it in an account-wide policy (no " + kindAttrs(want) + ")"
}

// CheckRoles checks the roles of one member policy of scope s. Empty refs are
// unknown values and are skipped: they never fail validation.
func (c *Catalog) CheckRoles(s Scope, refs []string) []Problem {
	return c.CheckRolesIn([]Scope{s}, refs)
}

// CheckRolesIn checks the roles of one member policy that names resources of
// these kinds (MemberPolicyKinds): each role must apply to one of them
// (RoleAppliesTo).
func (c *Catalog) CheckRolesIn(kinds []Scope, refs []string) []Problem {
	return c.checkRoles(kinds, policyPhrase(kinds), refs)
}

// CheckRolesOnGroups checks the roles of a member policy whose resource
// groups (and zone, Tunnel or Mesh node IDs, if any) are of these kinds: each
// role must apply to one of them, as Cloudflare answers 1006 otherwise.
func (c *Catalog) CheckRolesOnGroups(kinds []Scope, refs []string) []Problem {
	return c.checkRoles(kinds, groupPhrase(kinds), refs)
}

// groupPhrase describes a member policy on resource groups of these kinds.
func groupPhrase(kinds []Scope) string {
	if len(kinds) == 0 || kinds[0] == ScopeAccount {
		return "this policy's resource groups hold the account (account-wide)"
	}
	return "this policy's resource groups hold " + kindObjects(kinds)
}

// GroupScopesProblem reports resource groups of different scopes in one
// member policy (scopes names each group, or "zone_ids" / "tunnel_ids" /
// "mesh_node_ids", with its scope), or nil when they go together
// (KindsCompatible: Tunnels and Mesh nodes do).
func GroupScopesProblem(scopes map[string]Scope) *Problem {
	kinds := map[Scope][]string{}
	var all []Scope
	for name, s := range scopes {
		kinds[s] = append(kinds[s], name)
		all = append(all, s)
	}
	if KindsCompatible(all) {
		return nil
	}
	var parts []string
	for _, s := range RoleScopes {
		if names := kinds[s]; len(names) > 0 {
			slices.Sort(names)
			parts = append(parts, fmt.Sprintf("%s (%s)", strings.Join(names, ", "), scopeObjects(s)))
		}
	}
	const fix = "Split it into one policy per kind, each with roles of that scope."
	return &Problem{Code: CodeGroupScopesDiffer, Index: -1, Summary: "Resource groups of different scopes",
		Detail: "A policy applies to one kind of resource, but this one's are of several: " + strings.Join(parts, "; ") +
			". " + fix, Fix: fix}
}

// scopeObjects names what resources of scope s are.
func scopeObjects(s Scope) string {
	if s == ScopeZone {
		return "zones"
	}
	if k, ok := KindOf(s); ok {
		return k.Nouns
	}
	return "the account"
}

func (c *Catalog) checkRoles(kinds []Scope, phrase string, refs []string) []Problem {
	var problems []Problem
	if len(refs) == 0 {
		return []Problem{{Code: CodeNoRoles, Index: -1, Summary: "Policy has no roles",
			Detail: "A policy grants at least one role: add roles, or remove the policy.", Fix: "Add roles, or remove the policy."}}
	}
	for i, ref := range refs {
		if ref == "" {
			continue
		}
		var err error
		for _, s := range kinds {
			if _, err = c.ResolveRole(ref, s); err == nil {
				break
			}
		}
		if err != nil {
			problems = append(problems, roleProblem(i, ref, kinds, phrase, err))
		}
	}
	return problems
}

// unknownName (summary: the diagnostic summary, written out for the docs
// check) describes p.Ref when err says that no noun in the catalog
// has that name: the nearest names when there are some, and the data source
// (listing) that lists them all. It is false, p unchanged, for another err.
func (p *Problem) unknownName(err error, code Code, summary, noun, listing string) bool {
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		return false
	}
	p.Code, p.Summary = code, summary
	p.Detail = fmt.Sprintf("No %s is named %q.", noun, p.Ref)
	lists := "The " + listing + " data source lists every " + noun + " with its scope."
	if len(nf.Suggestions) > 0 {
		p.Fix = "Did you mean " + quoteJoin(nf.Suggestions) + "?"
		p.Detail += " " + p.Fix
	} else {
		p.Fix = lists
	}
	p.Detail += " " + lists
	return true
}

func roleProblem(i int, ref string, kinds []Scope, phrase string, err error) Problem {
	s := kinds[0]
	p := Problem{Index: i, Ref: ref}
	var ws *WrongScopeError
	switch {
	case p.unknownName(err, CodeUnknownRole, "Unknown role", "role", "cfiam_roles"):
	case errors.As(err, &ws) && ws.Found[0].Scope.ResourceScoped() && s.ResourceScoped():
		// A resource-scoped role of a kind this policy does not name.
		have := ws.Found[0].Scope
		p.Code, p.Summary = CodeRoleKindNotNamed, "Role applies to a kind of resource the policy does not name"
		p.Fix = fmt.Sprintf("add %s, or use %s", IDsAttribute(have), roleOf(s))
		p.Detail = fmt.Sprintf("'%s' applies to %s, but this policy names only %s: %s.", ws.Found[0].Name, scopeObjects(have), kindObjects(kinds), p.Fix)
	case errors.As(err, &ws):
		have := ws.Found[0].Scope
		p.Code, p.Summary = CodeRoleWrongScope, "Role used at the wrong scope"
		p.Fix = moveHint(have, kinds)
		if len(ws.Instead) > 0 {
			p.Fix += fmt.Sprintf(", or use %s %s", s.Describe(KindRole), quoteJoin(ws.Instead))
		}
		p.Detail = fmt.Sprintf("%q is %s but %s: %s. A policy holds roles of one scope only.", ws.Found[0].Name, have.Describe(KindRole), phrase, p.Fix)
	default:
		p.Code, p.Summary = CodeInvalidRole, "Invalid role"
		p.Detail = err.Error()
	}
	return p
}

// TokenPolicyScope says which scope an API token policy has from which of its
// resource attributes are set; exactly one must be.
func TokenPolicyScope(user, accounts, zones, allZonesOfAccount bool) (Scope, *Problem) {
	var set []string
	if user {
		set = append(set, "user")
	}
	if accounts {
		set = append(set, "account_ids")
	}
	if zones {
		set = append(set, "zone_ids")
	}
	if allZonesOfAccount {
		set = append(set, "all_zones_of_account")
	}
	switch {
	case len(set) == 0:
		const fix = "Set exactly one of user = true, account_ids, zone_ids or all_zones_of_account."
		return "", &Problem{Code: CodeTokenNoResources, Index: -1, Summary: "Token policy has no resources", Detail: fix, Fix: fix}
	case len(set) > 1:
		const fix = "Split it into one policy per kind."
		return "", &Problem{Code: CodeTokenMixesKinds, Index: -1, Summary: "Token policy mixes resource kinds",
			Detail: fmt.Sprintf("This policy sets %s: a token policy applies to one kind of resource. %s", strings.Join(set, " and "), fix), Fix: fix}
	case user:
		return ScopeUser, nil
	case accounts:
		return ScopeAccount, nil
	}
	return ScopeZone, nil
}

func tokenPolicyPhrase(s Scope) string {
	switch s {
	case ScopeUser:
		return "this policy is on the user (user = true)"
	case ScopeAccount:
		return "this policy is on accounts (account_ids)"
	}
	return "this policy is on zones (zone_ids or all_zones_of_account)"
}

func tokenMoveHint(have Scope) string {
	switch have {
	case ScopeUser:
		return "put it in a policy with user = true"
	case ScopeAccount:
		return "put it in a policy with account_ids"
	}
	return "put it in a policy with zone_ids or all_zones_of_account"
}

// CheckPermissionGroups checks the permission groups of one token policy of
// scope s. Empty refs are unknown values and are skipped.
func (c *Catalog) CheckPermissionGroups(s Scope, refs []string) []Problem {
	if len(refs) == 0 {
		return []Problem{{Code: CodeNoPermissionGroups, Index: -1, Summary: "Token policy has no permission groups",
			Detail: "A token policy grants at least one permission group: add permission_groups, or remove the policy.",
			Fix:    "Add permission_groups, or remove the policy."}}
	}
	var problems []Problem
	for i, ref := range refs {
		if ref == "" {
			continue
		}
		_, err := c.ResolvePermissionGroup(ref, s)
		if err == nil {
			continue
		}
		p := Problem{Index: i, Ref: ref}
		var ws *WrongScopeError
		switch {
		case p.unknownName(err, CodeUnknownPermissionGroup, "Unknown permission group", "permission group", "cfiam_permission_groups"):
		case errors.As(err, &ws):
			have := make([]string, len(ws.Found))
			for j, f := range ws.Found {
				have[j] = f.Scope.Describe(KindPermissionGroup)
			}
			p.Code, p.Summary = CodePermissionGroupWrongScope, "Permission group used at the wrong scope"
			p.Fix = tokenMoveHint(ws.Found[0].Scope)
			p.Detail = fmt.Sprintf("%q is %s but %s: %s.", ws.Found[0].Name, strings.Join(have, " and "), tokenPolicyPhrase(s), p.Fix)
		default:
			p.Code, p.Summary = CodeInvalidPermissionGroup, "Invalid permission group"
			p.Detail = err.Error()
		}
		problems = append(problems, p)
	}
	return problems
}
