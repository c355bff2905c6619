package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// TokenPolicy is one policy of an API token (cfiam_api_token,
// cfiam_account_token) as written. Exactly one of its resource attributes
// (user, account_ids, zone_ids, all_zones_of_account) must be set; which one
// says the scope of its permission groups.
type TokenPolicy struct {
	// Unknown is a policy only apply knows as a whole: nothing in it is checked.
	Unknown           bool
	Effect            String // "allow" or "deny"; not set or unknown reads as "allow", the schema's default
	PermissionGroups  Strings
	User              Bool // true or unknown makes it a user policy; false is as not set
	AccountIDs        Strings
	ZoneIDs           Strings
	AllZonesOfAccount String
}

// EffectOrAllow is the policy's effect: "allow" unless known otherwise.
func (p TokenPolicy) EffectOrAllow() string {
	if p.Effect.State == Known && p.Effect.Value != "" {
		return p.Effect.Value
	}
	return "allow"
}

// OnUser reports whether the policy applies to the user (user = true, or
// user set to a value not known yet: the kind is known from the attribute).
func (p TokenPolicy) OnUser() bool {
	return p.User.State == Unknown || p.User.State == Known && p.User.Value
}

// Scope is the scope of the policy's permission groups, from which of its
// resource attributes are set, or the problem when not exactly one is.
func (p TokenPolicy) Scope() (catalog.Scope, *catalog.Problem) {
	return catalog.TokenPolicyScope(p.OnUser(), p.AccountIDs.IsSet(), p.ZoneIDs.IsSet(), p.AllZonesOfAccount.IsSet())
}

// CheckTokenPolicies checks each token policy against cat: exactly one kind
// of resource, no user policy in an account-owned token (accountToken), and
// each permission group of the policy's scope. With strictIDs false (the
// embedded catalog, at validate), permission group IDs the catalog lacks
// pass: only the live catalog can judge them. Unknown values are skipped.
func CheckTokenPolicies(cat *catalog.Catalog, policies []TokenPolicy, strictIDs, accountToken bool) []Problem {
	var out []Problem
	for i, in := range policies {
		if in.Unknown {
			continue
		}
		at := Path{Policy: i}
		s, problem := in.Scope()
		if problem != nil {
			out = append(out, fromCatalog(*problem, at))
			continue
		}
		if accountToken && s == catalog.ScopeUser {
			const fix = "Remove user = true and this policy's user permission groups, or make it a user token " +
				"(cfiam_api_token, or the ephemeral cfiam_api_token without account_id)."
			out = append(out, Problem{Code: CodeUserPolicyInAccountToken, Path: Path{Policy: i, Attribute: "user"},
				Summary: "User policy in an account-owned token", Fix: fix,
				Detail: "An account-owned token (cfiam_account_token, or an ephemeral cfiam_api_token with account_id) cannot hold user permission " +
					"groups or apply to a user: remove user = true and this policy's user permission groups, or make it a user token " +
					"(cfiam_api_token, or the ephemeral cfiam_api_token without account_id)."})
			continue
		}
		if in.PermissionGroups.State == Unknown {
			continue
		}
		written := in.PermissionGroups.refs()
		refs := make([]string, len(written))
		for j, ref := range written {
			if !strictIDs && isHexID(strings.ToLower(strings.TrimSpace(ref))) {
				if _, known := cat.ByID(ref); !known {
					continue
				}
			}
			refs[j] = ref
		}
		for _, cp := range cat.CheckPermissionGroups(s, refs) {
			where := Path{Policy: i, Attribute: "permission_groups"}
			if cp.Index >= 0 {
				where.Element = written[cp.Index]
			}
			p := fromCatalog(cp, where)
			if !strictIDs && p.Code == CodeUnknownPermissionGroup {
				p.Detail += " This check uses the catalog built into the provider; a permission group newer than it can be named by ID, " +
					"for example data.cfiam_permission_group.<name>.id, and is then checked against the live catalog at plan."
			}
			if accountToken && cp.Index >= 0 && p.Code == CodePermissionGroupWrongScope &&
				slices.Equal(cat.ScopesOf(catalog.KindPermissionGroup, written[cp.Index]), []catalog.Scope{catalog.ScopeUser}) {
				p.Fix = "User permission groups need a user token (cfiam_api_token)."
				p.Detail += " " + p.Fix
			}
			out = append(out, p)
		}
	}
	return out
}

// CheckAccountTokenResources checks that an account-owned token's policies
// stay within its own account (accountID; "" when not known yet: nothing is
// checked), the only one it can reach.
func CheckAccountTokenResources(policies []TokenPolicy, accountID string) []Problem {
	var out []Problem
	if accountID == "" {
		return out
	}
	for i, in := range policies {
		if in.Unknown {
			continue
		}
		for _, el := range in.AccountIDs.Elems {
			if el.State == Known && el.Value != "" && el.Value != accountID {
				const fix = "Use that ID, or create a user token (cfiam_api_token) for several accounts."
				out = append(out, Problem{Code: CodeAccountOutsideToken, Path: Path{Policy: i, Attribute: "account_ids", Element: el.Value},
					Summary: "Account outside the token's account", Fix: fix,
					Detail: fmt.Sprintf("An account-owned token reaches only its own account, %s: use that ID, or create a user token (cfiam_api_token) for several accounts.", accountID)})
			}
		}
		if z := in.AllZonesOfAccount; z.State == Known && z.Value != "" && z.Value != accountID {
			const fix = "Use that ID, or create a user token (cfiam_api_token)."
			out = append(out, Problem{Code: CodeAccountOutsideToken, Path: Path{Policy: i, Attribute: "all_zones_of_account"},
				Summary: "Account outside the token's account", Fix: fix,
				Detail: fmt.Sprintf("An account-owned token reaches only the zones of its own account, %s: use that ID, or create a user token (cfiam_api_token).", accountID)})
		}
	}
	return out
}
