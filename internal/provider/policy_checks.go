package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// This file adapts the policy checks (internal/policy, plain Go) to
// Terraform: expand* turns Terraform values into the checks' plain inputs,
// flatten* turns plain values back, and the check* functions map each
// problem to a diagnostic at its exact path. The checks' text is the
// diagnostics' text.
//
// Policies are read from their attribute maps, not decoded into typed
// models with tfsdk tags: measured with BenchmarkNoopPlan, the typed models'
// reflection cost 7% more allocation (bytes and count) per member, and
// CPU per member went up by a median 6% (a noisy figure on a shared machine).

// expandString reads a string attribute, marking null and unknown.
func expandString(v types.String) policy.String {
	switch {
	case v.IsNull():
		return policy.String{}
	case v.IsUnknown():
		return policy.UnknownString()
	}
	return policy.Str(v.ValueString())
}

// expandBool reads a bool attribute, marking null and unknown.
func expandBool(v types.Bool) policy.Bool {
	switch {
	case v.IsNull():
		return policy.Bool{}
	case v.IsUnknown():
		return policy.Bool{State: policy.Unknown}
	}
	return policy.Bool{Value: v.ValueBool(), State: policy.Known}
}

// expandStrings reads a set of strings, marking null and unknown, the set's
// and each element's.
func expandStrings(s types.Set) policy.Strings {
	switch {
	case s.IsNull():
		return policy.Strings{}
	case s.IsUnknown():
		return policy.UnknownStrings()
	}
	elems := s.Elements()
	out := policy.Strings{State: policy.Known, Elems: make([]policy.String, len(elems))}
	for i, el := range elems {
		if v, ok := el.(types.String); ok && !v.IsNull() && !v.IsUnknown() {
			out.Elems[i] = policy.Str(v.ValueString())
		} else {
			out.Elems[i] = policy.UnknownString()
		}
	}
	return out
}

// setValues reads a set of strings whose values are known (as at apply):
// an unknown element reads as "".
func setValues(s types.Set) []string { return expandStrings(s).Values() }

// flattenStrings is a known set of strings.
func flattenStrings(values []string) types.Set {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

// flattenOptionalStrings is a known set of strings, or null when not present.
func flattenOptionalStrings(values []string, present bool) types.Set {
	if !present {
		return types.SetNull(types.StringType)
	}
	return flattenStrings(values)
}

// expandMemberPolicies reads a member's policies set: one input per element,
// in the set's order, and the elements themselves (a problem's policy index
// is an index into both). A null or unknown set gives none.
func expandMemberPolicies(set types.Set) ([]policy.MemberPolicy, []types.Object) {
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	elems := set.Elements()
	ins := make([]policy.MemberPolicy, 0, len(elems))
	objs := make([]types.Object, 0, len(elems))
	for _, el := range elems {
		obj, ok := el.(types.Object)
		if !ok {
			continue
		}
		ins = append(ins, expandMemberPolicy(obj))
		objs = append(objs, obj)
	}
	return ins, objs
}

// rawMemberPolicies is expandMemberPolicies of the policies attribute of a
// holder's configuration or state as Terraform sends it, without building
// the framework's values; false when v is not an object holding one.
func rawMemberPolicies(v tftypes.Value) ([]policy.MemberPolicy, bool) {
	var attrs map[string]tftypes.Value
	if !v.IsKnown() || v.IsNull() || v.As(&attrs) != nil {
		return nil, false
	}
	set, found := attrs["policies"]
	if !found {
		return nil, false
	}
	if !set.IsKnown() || set.IsNull() {
		return nil, true
	}
	var elems []tftypes.Value
	if set.As(&elems) != nil {
		return nil, false
	}
	ins := make([]policy.MemberPolicy, 0, len(elems))
	for _, el := range elems {
		var obj map[string]tftypes.Value
		if !el.IsKnown() || el.IsNull() {
			ins = append(ins, policy.MemberPolicy{Unknown: true})
			continue
		}
		if el.As(&obj) != nil {
			return nil, false
		}
		in := policy.MemberPolicy{
			Access:           rawString(obj["access"]),
			Roles:            rawStrings(obj["roles"]),
			ZoneIDs:          rawStrings(obj["zone_ids"]),
			Resources:        map[catalog.Scope]policy.Strings{},
			ResourceGroupIDs: rawStrings(obj["resource_group_ids"]),
		}
		for _, k := range catalog.Kinds() {
			in.Resources[k.Scope] = rawStrings(obj[k.Attribute])
		}
		ins = append(ins, in)
	}
	return ins, true
}

// rawString is expandString of a tftypes value.
func rawString(v tftypes.Value) policy.String {
	var s string
	switch {
	case !v.IsKnown():
		return policy.UnknownString()
	case v.IsNull(), v.As(&s) != nil:
		return policy.String{}
	}
	return policy.Str(s)
}

// rawStrings is expandStrings of a tftypes value.
func rawStrings(v tftypes.Value) policy.Strings {
	var elems []tftypes.Value
	switch {
	case !v.IsKnown():
		return policy.UnknownStrings()
	case v.IsNull(), v.As(&elems) != nil:
		return policy.Strings{}
	}
	out := policy.Strings{State: policy.Known, Elems: make([]policy.String, len(elems))}
	for i, el := range elems {
		if s := rawString(el); s.State == policy.Known {
			out.Elems[i] = s
		} else {
			out.Elems[i] = policy.UnknownString()
		}
	}
	return out
}

// expandMemberPolicy reads one member policy.
func expandMemberPolicy(obj types.Object) policy.MemberPolicy {
	if obj.IsNull() || obj.IsUnknown() {
		return policy.MemberPolicy{Unknown: true}
	}
	attrs := obj.Attributes()
	set := func(name string) policy.Strings {
		s, _ := attrs[name].(types.Set)
		return expandStrings(s)
	}
	access, _ := attrs["access"].(types.String)
	in := policy.MemberPolicy{
		Access:           expandString(access),
		Roles:            set("roles"),
		ZoneIDs:          set("zone_ids"),
		Resources:        map[catalog.Scope]policy.Strings{},
		ResourceGroupIDs: set("resource_group_ids"),
	}
	for _, k := range catalog.Kinds() {
		in.Resources[k.Scope] = set(k.Attribute)
	}
	return in
}

// flattenMemberPolicy writes a member policy (every value known) as the
// policies set holds it.
func flattenMemberPolicy(in policy.MemberPolicy) types.Object {
	access := in.Access.Value
	if access == "" {
		access = "allow"
	}
	attrs := map[string]attr.Value{
		"access":             types.StringValue(access),
		"roles":              flattenStrings(in.Roles.Values()),
		"zone_ids":           flattenOptionalStrings(in.ZoneIDs.Values(), in.ZoneIDs.IsSet()),
		"resource_group_ids": flattenOptionalStrings(in.ResourceGroupIDs.Values(), len(in.ResourceGroupIDs.Elems) > 0),
	}
	for _, k := range catalog.Kinds() {
		ids := in.Resources[k.Scope]
		attrs[k.Attribute] = flattenOptionalStrings(ids.Values(), ids.IsSet())
	}
	return types.ObjectValueMust(policyAttrTypes, attrs)
}

// expandTokenPolicies reads a token's policies list: one input per element,
// in order (a problem's policy index is the list index). A null or unknown
// list gives none.
func expandTokenPolicies(list types.List) []policy.TokenPolicy {
	if list.IsNull() || list.IsUnknown() {
		return nil
	}
	elems := list.Elements()
	out := make([]policy.TokenPolicy, len(elems))
	for i, el := range elems {
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			out[i] = policy.TokenPolicy{Unknown: true}
			continue
		}
		out[i] = expandTokenPolicy(obj)
	}
	return out
}

// expandTokenPolicy reads one token policy.
func expandTokenPolicy(obj types.Object) policy.TokenPolicy {
	attrs := obj.Attributes()
	set := func(name string) policy.Strings {
		s, _ := attrs[name].(types.Set)
		return expandStrings(s)
	}
	effect, _ := attrs["effect"].(types.String)
	user, _ := attrs["user"].(types.Bool)
	allZones, _ := attrs["all_zones_of_account"].(types.String)
	return policy.TokenPolicy{
		Effect:            expandString(effect),
		PermissionGroups:  set("permission_groups"),
		User:              expandBool(user),
		AccountIDs:        set("account_ids"),
		ZoneIDs:           set("zone_ids"),
		AllZonesOfAccount: expandString(allZones),
	}
}

// addProblems adds each problem as a diagnostic at the path at gives,
// skipping the codes that schema validators already report.
func addProblems(diags *diag.Diagnostics, problems []policy.Problem, at func(policy.Path) path.Path, skip ...policy.Code) {
next:
	for _, p := range problems {
		for _, c := range skip {
			if p.Code == c {
				continue next
			}
		}
		if p.Severity == policy.Warning {
			diags.AddAttributeWarning(at(p.Path), p.Summary, p.Detail)
		} else {
			diags.AddAttributeError(at(p.Path), p.Summary, p.Detail)
		}
	}
}

// attributePath is a problem's path below the policy at base (or below the
// resource, for a path about no single policy).
func attributePath(base path.Path, p policy.Path) path.Path {
	if p.Attribute == "" {
		return base
	}
	at := base.AtName(p.Attribute)
	if p.Element != "" {
		at = at.AtSetValue(types.StringValue(p.Element))
	}
	return at
}

// memberPolicyPath maps a problem's path to the policies set: the policy
// index to its set element.
func memberPolicyPath(objs []types.Object) func(policy.Path) path.Path {
	return func(p policy.Path) path.Path {
		if p.Policy == policy.Whole || p.Policy >= len(objs) {
			return resourcePath(p)
		}
		return attributePath(path.Root("policies").AtSetValue(objs[p.Policy]), p)
	}
}

// resourcePath maps a problem's path about no single policy to the resource's attribute.
func resourcePath(p policy.Path) path.Path { return attributePath(path.Empty(), p) }

// tokenPolicyPath maps a problem's path to the policies list.
func tokenPolicyPath(p policy.Path) path.Path {
	if p.Policy == policy.Whole {
		return resourcePath(p)
	}
	return attributePath(path.Root("policies").AtListIndex(p.Policy), p)
}

// checkMemberPolicies applies the member policy checks to the policies set
// (see policy.CheckMemberPolicies). Too many roles is left to the set's
// size validator, which says so once.
func checkMemberPolicies(policies types.Set, cat *catalog.Catalog, strictIDs bool, groups policy.GroupScopes) diag.Diagnostics {
	var diags diag.Diagnostics
	ins, objs := expandMemberPolicies(policies)
	addProblems(&diags, policy.CheckMemberPolicies(cat, ins, strictIDs, groups), memberPolicyPath(objs), policy.CodeTooManyRoles)
	return diags
}

// memberGrantWarnings warns about the grants of plan (against prior) that
// the reference pages single out (see policy.MemberGrantWarnings), in the
// words for who holds them; elsewhere is what a member holds through its
// user groups.
func memberGrantWarnings(plan, prior types.Set, cat *catalog.Catalog, who policy.Grantee, elsewhere []catalog.Entry) diag.Diagnostics {
	var diags diag.Diagnostics
	now, objs := expandMemberPolicies(plan)
	before, _ := expandMemberPolicies(prior)
	addProblems(&diags, policy.MemberGrantWarnings(cat, who, now, before, elsewhere), memberPolicyPath(objs))
	return diags
}

// checkBindingRoles applies a binding's role check to its roles
// (see policy.CheckBindingRoles).
func checkBindingRoles(k policy.BindingKind, roles types.Set, cat *catalog.Catalog, strictIDs bool) diag.Diagnostics {
	var diags diag.Diagnostics
	addProblems(&diags, policy.CheckBindingRolesOf(k, cat, expandStrings(roles), strictIDs), resourcePath)
	return diags
}

// checkTokenPolicies applies the token policy checks to the policies list
// (see policy.CheckTokenPolicies); account says the token is account-owned.
func checkTokenPolicies(policies types.List, cat *catalog.Catalog, strictIDs, account bool) diag.Diagnostics {
	var diags diag.Diagnostics
	addProblems(&diags, policy.CheckTokenPolicies(cat, expandTokenPolicies(policies), strictIDs, account), tokenPolicyPath)
	return diags
}

// checkAccountTokenResources checks that an account-owned token's policies
// stay within its own account (see policy.CheckAccountTokenResources).
func checkAccountTokenResources(policies types.List, accountID string) diag.Diagnostics {
	var diags diag.Diagnostics
	addProblems(&diags, policy.CheckAccountTokenResources(expandTokenPolicies(policies), accountID), tokenPolicyPath)
	return diags
}
