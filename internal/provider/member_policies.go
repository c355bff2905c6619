package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// This file holds what cfiam_account_member and the bindings share: the
// translation between policies as users write them (role names, zone IDs,
// each resource kind's IDs) and as the API holds them (permission group and resource group
// IDs). Writing them is iampolicy's.

// inputFromSpec writes an API policy the way a user would: role names from
// the catalog, IDs where the embedded catalog (terraform validate's) would
// not know the name (see configRef).
func inputFromSpec(spec policy.MemberSpec, cat *catalog.Catalog) policy.MemberPolicy {
	roles := make([]string, 0, len(spec.RoleIDs))
	for _, id := range spec.RoleIDs {
		scope := spec.Scope()
		if e, ok := cat.ByID(id); ok && slices.Contains(spec.Kinds(), e.Scope) {
			scope = e.Scope // a policy on Tunnels and Mesh nodes: each role at its own
		}
		roles = append(roles, configRef(cat, catalog.KindRole, scope, id))
	}
	in := policy.MemberPolicy{Access: policy.Str(spec.Access), Roles: policy.Set(roles...), ResourceGroupIDs: policy.Set(spec.ResourceGroupIDs...)}
	if ids := spec.Objects[catalog.ScopeZone]; len(ids) > 0 {
		in.ZoneIDs = policy.Set(ids...)
	}
	for _, k := range catalog.Kinds() {
		if ids := spec.Objects[k.Scope]; len(ids) > 0 {
			if in.Resources == nil {
				in.Resources = map[catalog.Scope]policy.Strings{}
			}
			in.Resources[k.Scope] = policy.Set(ids...)
		}
	}
	return in
}

// checkPlannedPolicies checks a holder's planned policies against the
// account's live catalog and the resource groups they name (read only when
// the policies change), and warns about the grants the reference pages single
// out; prior is the state's policies (null on create). who says whose
// policies they are; memberID, for an existing member, whose user groups'
// roles count as held too (read only when the member's own policies change
// or would warn).
func (d *providerData) checkPlannedPolicies(ctx context.Context, resourceType, operation, acct string, planned, prior types.Set,
	who policy.Grantee, memberID string) diag.Diagnostics {
	cat, _, diags := d.catalog(ctx, acct, true, operation)
	if cat == nil {
		return diags
	}
	// The policy checks depend on the configuration and the catalog only:
	// policies the state already holds as planned were checked when they
	// were applied, and are not checked again at every plan.
	run := startValidation(ctx, resourceType, catalogLive)
	var found diag.Diagnostics
	if !planned.Equal(prior) {
		found = checkMemberPolicies(planned, cat, true, d.groupScopes(ctx, acct, planned))
	}
	warnings := memberGrantWarnings(planned, prior, cat, who, nil)
	if memberID != "" && (warnings.WarningsCount() > 0 || !planned.Equal(prior)) {
		if elsewhere, ok := d.rolesThroughGroups(ctx, acct, memberID, cat); ok {
			warnings = memberGrantWarnings(planned, prior, cat, who, elsewhere)
		}
	}
	found.Append(warnings...)
	run.done(&found)
	diags.Append(found...)
	return diags
}

// validatePoliciesOffline checks a holder's policies against the embedded
// catalog: it runs at `terraform validate`, with no credentials.
func validatePoliciesOffline(ctx context.Context, resourceType string, cfg tfsdk.Config, diags *diag.Diagnostics) {
	defer startValidation(ctx, resourceType, catalogEmbedded).done(diags)
	// Most configurations pass: they are checked as the raw configuration
	// holds them, and the framework's values, which the diagnostics' paths
	// need, are built only for one that does not.
	if ins, ok := rawMemberPolicies(cfg.Raw); ok && len(policy.CheckMemberPolicies(catalog.Embedded(), ins, false, nil)) == 0 {
		return
	}
	var policies types.Set
	if diags.Append(cfg.GetAttribute(ctx, path.Root("policies"), &policies)...); diags.HasError() {
		return
	}
	diags.Append(checkMemberPolicies(policies, catalog.Embedded(), false, nil)...)
}

// heldPolicies is what a holder's state says of its policies, for planning
// resolved_policies.
type heldPolicies struct {
	policies  types.Set
	accountID types.String
	resolved  types.List
}

// plannedResolvedPolicies is resolved_policies in a plan: the state's while
// the policies and the account stay as they are, unknown otherwise.
func plannedResolvedPolicies(planned types.Set, account types.String, state *heldPolicies) types.List {
	if state != nil && planned.Equal(state.policies) && account.Equal(state.accountID) {
		return state.resolved
	}
	return types.ListUnknown(resolvedPolicyObjectType)
}
