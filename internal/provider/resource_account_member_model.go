package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// The policy holders (cfiam_account_member, cfiam_user_group): conversion
// between the Terraform model and the API's holder, and between written
// policies and their specs.

var (
	policyAttrTypes  = memberPolicyAttrTypes()
	policyObjectType = types.ObjectType{AttrTypes: policyAttrTypes}

	userAttrTypes = map[string]attr.Type{
		"id":                                types.StringType,
		"email":                             types.StringType,
		"first_name":                        types.StringType,
		"last_name":                         types.StringType,
		"two_factor_authentication_enabled": types.BoolType,
	}

	resolvedPolicyAttrTypes = map[string]attr.Type{
		"id":                 types.StringType,
		"access":             types.StringType,
		"scope":              types.StringType,
		"role_ids":           types.SetType{ElemType: types.StringType},
		"resource_group_ids": types.SetType{ElemType: types.StringType},
	}
	resolvedPolicyObjectType = types.ObjectType{AttrTypes: resolvedPolicyAttrTypes}
)

// plannedSpecs reads planned policies and resolves them against the
// account's catalog: what a holder's Create and Update write.
func (d *providerData) plannedSpecs(ctx context.Context, acct string, planned types.Set, operation string) (*catalog.Catalog, []policy.MemberPolicy, []policy.MemberSpec, diag.Diagnostics) {
	cat, _, diags := d.catalog(ctx, acct, true, operation)
	if diags.HasError() {
		return nil, nil, nil, diags
	}
	inputs, _ := expandMemberPolicies(planned)
	specs, more := memberSpecs(cat, acct, inputs)
	diags.Append(more...)
	return cat, inputs, specs, diags
}

// memberSpecs resolves written policies against the catalog; accountID fills
// the object of account-wide policies.
func memberSpecs(cat *catalog.Catalog, accountID string, inputs []policy.MemberPolicy) ([]policy.MemberSpec, diag.Diagnostics) {
	var diags diag.Diagnostics
	specs := make([]policy.MemberSpec, 0, len(inputs))
	for _, in := range inputs {
		spec, err := in.Spec(cat, accountID)
		if err != nil {
			diags.AddAttributeError(path.Root("policies"), "Invalid role", fmt.Sprintf("In %s: %s", in.Describe(), err))
			return nil, diags
		}
		specs = append(specs, spec)
	}
	return specs, diags
}

// setOwn writes the API's member, but for its ID and policies, into the model.
func (memberHolder) setOwn(m *accountMemberModel, api *cfclient.Member) (string, []cfclient.MemberPolicy, diag.Diagnostics) {
	if !strings.EqualFold(m.Email.ValueString(), api.User.Email) && api.User.Email != "" {
		m.Email = types.StringValue(api.User.Email)
	}
	m.Status = types.StringValue(api.Status)
	user, d := types.ObjectValue(userAttrTypes, map[string]attr.Value{
		"id":                                types.StringValue(api.User.ID),
		"email":                             types.StringValue(api.User.Email),
		"first_name":                        types.StringPointerValue(api.User.FirstName),
		"last_name":                         types.StringPointerValue(api.User.LastName),
		"two_factor_authentication_enabled": types.BoolValue(api.User.TwoFactorAuthenticationEnabled),
	})
	m.User = user
	return api.ID, api.Policies, d
}

// flattenAPIPolicies turns the policies the API holds into the policies and
// resolved_policies attributes, keeping each policy as the user wrote it
// (role names or IDs, any case) when the API holds the same policy, and
// skipping the policies bindings own. acct fills account-wide policies.
func flattenAPIPolicies(api []cfclient.MemberPolicy, written []policy.MemberPolicy, cat *catalog.Catalog, acct string) (types.Set, types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	byKey := map[string]policy.MemberPolicy{}
	for _, in := range written {
		if spec, err := in.Spec(cat, acct); err == nil {
			byKey[spec.Key()] = in
		}
	}
	var policies []attr.Value
	var resolved []attr.Value
	apiPolicies := append([]cfclient.MemberPolicy(nil), api...)
	sort.SliceStable(apiPolicies, func(i, j int) bool { return apiPolicies[i].ID < apiPolicies[j].ID })
	for _, p := range apiPolicies {
		if iampolicy.IsBindingPolicy(p) {
			continue
		}
		spec := iampolicy.SpecFromAPI(p)
		in, ok := byKey[spec.Key()]
		if !ok {
			in = inputFromSpec(spec, cat)
		}
		policies = append(policies, flattenMemberPolicy(in))
		res, d := types.ObjectValue(resolvedPolicyAttrTypes, map[string]attr.Value{
			"id":                 types.StringValue(p.ID),
			"access":             types.StringValue(p.Access),
			"scope":              types.StringValue(spec.ScopeLabel()),
			"role_ids":           flattenStrings(p.PermissionGroupIDs()),
			"resource_group_ids": flattenStrings(p.ResourceGroupIDs()),
		})
		diags.Append(d...)
		resolved = append(resolved, res)
	}
	set, d := types.SetValue(policyObjectType, policies)
	diags.Append(d...)
	list, d := types.ListValue(resolvedPolicyObjectType, resolved)
	diags.Append(d...)
	return set, list, diags
}
