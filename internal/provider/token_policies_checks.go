package provider

import (
	"fmt"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Token policies: the plan-time warning that needs the caller's own token
// (a grant the caller itself does not hold).

// callerGrantWarnings warns, per permission group, when the token would
// grant (allow) a permission group on resources where the provider's own API
// token does not hold it: Cloudflare refuses such a token with code 1001.
// caller holds the provider token's policies; without them (a Global API
// key, the emulator's admin token, a token that may not read itself) nothing
// is compared. Checks err on the side of silence: a zone is taken as covered
// by any account-level grant of the group, since which account a zone
// belongs to is not known here.
func callerGrantWarnings(policies types.List, cat *catalog.Catalog, caller *cfclient.Caller) diag.Diagnostics {
	var diags diag.Diagnostics
	if caller == nil || caller.Policies == nil {
		return diags
	}
	for i, in := range expandTokenPolicies(policies) {
		if in.Unknown || in.EffectOrAllow() != "allow" || in.PermissionGroups.State == policy.Unknown {
			continue
		}
		spec, err := tokenSpec(in, cat)
		if err != nil {
			continue
		}
		for _, ref := range in.PermissionGroups.Values() {
			if ref == "" {
				continue
			}
			e, err := cat.ResolvePermissionGroup(ref, spec.scope())
			if err != nil {
				continue
			}
			var missing []string
			for _, target := range tokenTargets(spec) {
				if target.id == "" || !callerHolds(caller.Policies, e.ID, target) {
					if target.id != "" {
						missing = append(missing, target.describe())
					}
				}
			}
			if len(missing) == 0 {
				continue
			}
			diags.AddAttributeWarning(path.Root("policies").AtListIndex(i).AtName("permission_groups").AtSetValue(types.StringValue(ref)),
				"Permission group beyond the provider's own token",
				fmt.Sprintf("The provider's API token (%s) does not hold %q on %s. Cloudflare refuses (code 1001) a token that grants more than "+
					"the token creating it holds, so this apply is likely to fail: add %q on those resources to the provider's token, or remove it here.",
					caller.TokenID, e.Name, strings.Join(missing, ", "), e.Name))
		}
	}
	return diags
}

type tokenTarget struct {
	kind tokenResourceKind
	id   string // "" when unknown
}

func (t tokenTarget) describe() string {
	switch t.kind {
	case tokenKindUser:
		return "the user"
	case tokenKindAccounts:
		return "account " + t.id
	case tokenKindZones:
		return "zone " + t.id
	}
	return "every zone of account " + t.id
}

// resource is the target as catalog.TokenPolicyCovers takes it. The user's
// ID is not known here (nor needed: a token names only its own user), and
// neither is a zone's account.
func (t tokenTarget) resource() catalog.TokenResource {
	switch t.kind {
	case tokenKindUser:
		return catalog.TokenResource{Scope: catalog.ScopeUser}
	case tokenKindAccounts:
		return catalog.TokenResource{Scope: catalog.ScopeAccount, ID: t.id}
	case tokenKindZones:
		return catalog.TokenResource{Scope: catalog.ScopeZone, ID: t.id}
	}
	return catalog.TokenResource{Scope: catalog.ScopeZone, ID: "*", Account: t.id}
}

func tokenTargets(spec tokenPolicySpec) []tokenTarget {
	if spec.Kind == tokenKindUser {
		return []tokenTarget{{kind: tokenKindUser, id: "user"}}
	}
	out := make([]tokenTarget, 0, len(spec.IDs))
	for _, id := range spec.IDs {
		out = append(out, tokenTarget{kind: spec.Kind, id: id})
	}
	return out
}

// callerHolds: does the caller hold groupID on the target (catalog.TokenHolds)?
// A zone's account is not known at plan, so a zone counts as held when it
// would be in any account the caller's policies name: the warning errs on
// the side of silence.
func callerHolds(policies []cfclient.TokenPolicy, groupID string, t tokenTarget) bool {
	pols := make([]catalog.APITokenPolicy, 0, len(policies))
	for _, p := range policies {
		pols = append(pols, catalog.APITokenPolicy{Effect: catalog.Effect(p.Effect), GroupIDs: p.PermissionGroupIDs(), Resources: p.Resources})
	}
	r := t.resource()
	if catalog.TokenHolds(pols, groupID, r) {
		return true
	}
	if r.Scope == catalog.ScopeZone && r.Account == "" {
		for _, acct := range catalog.TokenPolicyAccounts(pols) {
			r.Account = acct
			if catalog.TokenHolds(pols, groupID, r) {
				return true
			}
		}
	}
	return false
}
