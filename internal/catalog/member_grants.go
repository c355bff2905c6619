package catalog

import (
	"slices"
	"strings"
)

// This file turns what the API says a member holds (legacy roles, policies of
// role IDs on resource groups) into Grants, for the emulator's authorization
// and the provider's cfiam_effective_access alike: both must read a member's
// policies the same way for the report to equal the emulator's filtered
// listings by construction.

// ViaLegacyRoles is the Via of grants from a member's legacy `roles` list.
const ViaLegacyRoles = "roles"

// ViaPolicy is the Via of the grants of one member policy: "policy <id>".
func ViaPolicy(policyID string) string { return "policy " + policyID }

// PolicyIDFromVia returns the policy ID of a ViaPolicy string.
func PolicyIDFromVia(via string) (string, bool) {
	id, ok := strings.CutPrefix(via, "policy ")
	return id, ok && id != ""
}

// APIPolicy is a member policy as the API holds it, reduced to what
// authorization reads: its ID, "allow" or "deny", its role (IAM permission
// group) IDs, and the object keys of each of its resource groups.
type APIPolicy struct {
	ID             string
	Access         string
	RoleIDs        []string
	ResourceGroups [][]string
}

// GroupObjects is the scope and object IDs of a resource group, read from its
// object keys without checking that the objects still exist (a deny must keep
// applying to a Tunnel deleted and re-created under the same ID). A group
// with no objects, an unparsable key or objects of several kinds gives false:
// it grants nothing.
func GroupObjects(objectKeys []string) (Scope, []string, bool) {
	var kind Scope
	var ids []string
	for _, key := range objectKeys {
		s, id, err := ParseResourceKey(key)
		if err != nil || kind != "" && kind != s {
			return "", nil, false
		}
		kind = s
		ids = append(ids, id)
	}
	return kind, ids, kind != ""
}

// MemberGrants is what a member holds, as grants: each legacy role as an
// account-wide allow (Via ViaLegacyRoles), and each (role, resource group)
// pair of each policy at the group's scope (Via ViaPolicy). A member who has
// not accepted holds nothing. role resolves a role ID against the account's
// catalog; IDs it does not know grant nothing.
func MemberGrants(accepted bool, accountID string, legacyRoleIDs []string, policies []APIPolicy, role func(id string) (Entry, bool)) []Grant {
	if !accepted {
		return nil
	}
	var out []Grant
	for _, id := range legacyRoleIDs {
		if r, ok := role(id); ok {
			out = append(out, Grant{Effect: EffectAllow, Role: r, Scope: ScopeAccount,
				ResourceIDs: []string{accountID}, Via: ViaLegacyRoles})
		}
	}
	for _, pol := range policies {
		for _, keys := range pol.ResourceGroups {
			kind, ids, ok := GroupObjects(keys)
			if !ok {
				continue
			}
			for _, id := range pol.RoleIDs {
				if r, ok := role(id); ok {
					out = append(out, Grant{Effect: Effect(pol.Access), Role: r, Scope: kind,
						ResourceIDs: slices.Clone(ids), Via: ViaPolicy(pol.ID)})
				}
			}
		}
	}
	return out
}
