package policy

import (
	"fmt"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Code names the rule a Problem breaks. Codes are stable: callers tell
// problems apart by code (never by the English Summary), and a reviewer's
// output may record them. A Problem's Code is one of the constants below,
// or, for a catalog failure of no known kind (which no valid scope gives),
// catalog.CodeInvalidRole or catalog.CodeInvalidPermissionGroup.
type Code = catalog.Code

// The codes of the checks. Those of the catalog's own rules are the
// catalog's constants.
const (
	// Member policies (cfiam_account_member).
	CodeSamePolicyTwice        Code = "same_policy_twice"
	CodeMixesZonesAndTunnels        = catalog.CodeMixesZonesAndTunnels
	CodeMixesZonesAndMeshNodes      = catalog.CodeMixesZonesAndMeshNodes
	CodeRoleKindNotNamed            = catalog.CodeRoleKindNotNamed
	CodeTooManyRoles           Code = "too_many_roles"
	CodeNoRoles                     = catalog.CodeNoRoles
	CodeUnknownRole                 = catalog.CodeUnknownRole
	CodeRoleWrongScope              = catalog.CodeRoleWrongScope
	CodeUnknownResourceGroup   Code = "unknown_resource_group"
	CodeGroupScopesDiffer           = catalog.CodeGroupScopesDiffer

	// Bindings (cfiam_tunnel_binding, ...): an account role that covers every
	// object of the kind is "account_role_covers_every_<scope>" (BindingKindOf).
	CodeAccountRoleCoversTunnels   Code = "account_role_covers_every_tunnel"
	CodeAccountRoleCoversMeshNodes Code = "account_role_covers_every_mesh_node"

	// Token policies (cfiam_api_token, cfiam_account_token).
	CodeTokenNoResources               = catalog.CodeTokenNoResources
	CodeTokenMixesKinds                = catalog.CodeTokenMixesKinds
	CodeUserPolicyInAccountToken  Code = "user_policy_in_account_token"
	CodeNoPermissionGroups             = catalog.CodeNoPermissionGroups
	CodeUnknownPermissionGroup         = catalog.CodeUnknownPermissionGroup
	CodePermissionGroupWrongScope      = catalog.CodePermissionGroupWrongScope
	CodeAccountOutsideToken       Code = "account_outside_token_account"

	// Grant warnings (cfiam_account_member).
	CodeNeedsZeroTrustPII        Code = "role_needs_zero_trust_pii"
	CodeGrantsSuperAdministrator Code = "grants_super_administrator"
	CodeLogpushZeroTrustGap      Code = "logpush_zero_trust_needs_pii"
)

// Severity of a Problem: an Error fails the plan, a Warning does not.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Whole is the Policy of a Path that is about no single policy.
const Whole = -1

// Path says where a problem is. With Policy an index into the policies
// checked (a member's are a set: the index is into the slice given, not an
// order Terraform keeps), Attribute names an attribute of that policy, or ""
// for the policy as a whole. With Policy Whole, Attribute names an attribute
// of the resource itself ("policies" for the policies as a whole, "roles" for
// a binding's roles). Element is the value of the one set element at fault,
// or "" when the problem is the attribute as a whole.
type Path struct {
	Policy    int
	Attribute string
	Element   string
}

func (p Path) String() string {
	s := p.Attribute
	if p.Policy != Whole {
		s = fmt.Sprintf("policies[%d]", p.Policy)
		if p.Attribute != "" {
			s += "." + p.Attribute
		}
	}
	if p.Element != "" {
		s += fmt.Sprintf("[%q]", p.Element)
	}
	return s
}

// Problem is one rule a policy breaks. Detail is the whole explanation, as a
// diagnostic shows it, Fix included; Fix alone is what to do about it.
type Problem struct {
	Code     Code
	Severity Severity
	Path     Path
	Summary  string
	Detail   string
	Fix      string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s [%s]: %s", p.Path, p.Severity, p.Code, p.Summary)
}

// fromCatalog is a catalog problem at path at (an error: the catalog's rules
// have no warnings).
func fromCatalog(p catalog.Problem, at Path) Problem {
	return Problem{Code: p.Code, Severity: Error, Path: at, Summary: p.Summary, Detail: p.Detail, Fix: p.Fix}
}
