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
	CodeMixesZonesAndTunnels      Code = "member_policy_mixes_zones_and_tunnels"
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

// MemberPolicyScope says which scope a member policy has from which attributes
// are set (known or not): zone IDs make it a domain policy, Tunnel IDs a
// Tunnel policy, neither an account-wide one. Both is a problem.
func MemberPolicyScope(hasZones, hasTunnels bool) (Scope, *Problem) {
	switch {
	case hasZones && hasTunnels:
		const fix = "Split it into two policies."
		return "", &Problem{Code: CodeMixesZonesAndTunnels, Index: -1, Summary: "Policy mixes zones and Tunnels",
			Detail: "A policy applies to one kind of resource: set zone_ids (domain roles) or tunnel_ids (Tunnel roles), not both. " + fix, Fix: fix}
	case hasZones:
		return ScopeZone, nil
	case hasTunnels:
		return ScopeTunnel, nil
	}
	return ScopeAccount, nil
}

// policyPhrase describes a member policy of scope s, as a reviewer would.
func policyPhrase(s Scope) string {
	switch s {
	case ScopeZone:
		return "this policy applies to zones (zone_ids)"
	case ScopeTunnel:
		return "this policy applies to Tunnels (tunnel_ids)"
	}
	return "this policy is account-wide (no zone_ids or tunnel_ids)"
}

// moveHint says how to grant a role of scope `have` when the policy is of scope `want`.
func moveHint(have, want Scope) string {
	switch have {
	case ScopeZone:
		return "put it in a policy with zone_ids"
	case ScopeTunnel:
		return "put it in a policy with tunnel_ids (or a cfiam_tunnel_binding)"
	}
	if want == ScopeZone {
		return "grant it in an account-wide policy (no zone_ids), which covers every zone"
	}
	return "grant it in an account-wide policy (no tunnel_ids)"
}

// CheckRoles checks the roles of one member policy of scope s. Empty refs are
// unknown values and are skipped: they never fail validation.
func (c *Catalog) CheckRoles(s Scope, refs []string) []Problem {
	return c.checkRoles(s, policyPhrase(s), refs)
}

// CheckRolesOnGroups checks the roles of a member policy whose resource
// groups (and zone or Tunnel IDs, if any) are all of scope s: the roles must
// be of that scope, as Cloudflare answers 1006 otherwise.
func (c *Catalog) CheckRolesOnGroups(s Scope, refs []string) []Problem {
	return c.checkRoles(s, groupPhrase(s), refs)
}

// groupPhrase describes a member policy on resource groups of scope s.
func groupPhrase(s Scope) string {
	switch s {
	case ScopeZone:
		return "this policy's resource groups hold zones"
	case ScopeTunnel:
		return "this policy's resource groups hold Tunnels"
	}
	return "this policy's resource groups hold the account (account-wide)"
}

// GroupScopesProblem reports resource groups of different scopes in one
// member policy (scopes names each group, or "zone_ids" / "tunnel_ids", with
// its scope), or nil when they agree.
func GroupScopesProblem(scopes map[string]Scope) *Problem {
	kinds := map[Scope][]string{}
	for name, s := range scopes {
		kinds[s] = append(kinds[s], name)
	}
	if len(kinds) < 2 {
		return nil
	}
	var parts []string
	for _, s := range []Scope{ScopeAccount, ScopeZone, ScopeTunnel} {
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
	switch s {
	case ScopeZone:
		return "zones"
	case ScopeTunnel:
		return "Tunnels"
	}
	return "the account"
}

func (c *Catalog) checkRoles(s Scope, phrase string, refs []string) []Problem {
	var problems []Problem
	if len(refs) == 0 {
		return []Problem{{Code: CodeNoRoles, Index: -1, Summary: "Policy has no roles",
			Detail: "A policy grants at least one role: add roles, or remove the policy.", Fix: "Add roles, or remove the policy."}}
	}
	for i, ref := range refs {
		if ref == "" {
			continue
		}
		if _, err := c.ResolveRole(ref, s); err != nil {
			problems = append(problems, roleProblem(i, ref, s, phrase, err))
		}
	}
	return problems
}

func roleProblem(i int, ref string, s Scope, phrase string, err error) Problem {
	p := Problem{Index: i, Ref: ref}
	var nf *NotFoundError
	var ws *WrongScopeError
	switch {
	case errors.As(err, &nf):
		p.Code, p.Summary = CodeUnknownRole, "Unknown role"
		p.Detail = fmt.Sprintf("No role is named %q.", ref)
		if len(nf.Suggestions) > 0 {
			p.Fix = "Did you mean " + quoteJoin(nf.Suggestions) + "?"
			p.Detail += " " + p.Fix
		} else {
			p.Fix = "The cfiam_roles data source lists every role with its scope."
		}
		p.Detail += " The cfiam_roles data source lists every role with its scope."
	case errors.As(err, &ws):
		have := ws.Found[0].Scope
		p.Code, p.Summary = CodeRoleWrongScope, "Role used at the wrong scope"
		p.Fix = moveHint(have, s)
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
		var nf *NotFoundError
		var ws *WrongScopeError
		switch {
		case errors.As(err, &nf):
			p.Code, p.Summary = CodeUnknownPermissionGroup, "Unknown permission group"
			p.Detail = fmt.Sprintf("No permission group is named %q.", ref)
			if len(nf.Suggestions) > 0 {
				p.Fix = "Did you mean " + quoteJoin(nf.Suggestions) + "?"
				p.Detail += " " + p.Fix
			} else {
				p.Fix = "The cfiam_permission_groups data source lists every permission group with its scope."
			}
			p.Detail += " The cfiam_permission_groups data source lists every permission group with its scope."
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
