package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Token policies of cfiam_api_token and cfiam_account_token: specs (IDs,
// sorted), and the conversion between them, the Terraform model and the API.

// tokenResourceKind is the kind of resource a token policy (or one part of
// an API policy) applies to.
type tokenResourceKind string

const (
	tokenKindUser     tokenResourceKind = "user"
	tokenKindAccounts tokenResourceKind = "accounts"
	tokenKindZones    tokenResourceKind = "zones"
	tokenKindAllZones tokenResourceKind = "all_zones_of_account" //nolint:gosec // G101: a resource kind, not a credential
)

// tokenPolicySpec is a token policy reduced to what the API compares: IDs, sorted.
type tokenPolicySpec struct {
	Effect   string
	Kind     tokenResourceKind
	GroupIDs []string
	IDs      []string // account IDs, zone IDs, or the one account of all its zones; none for the user
}

func (p tokenPolicySpec) key() string {
	return strings.Join([]string{p.Effect, string(p.Kind), strings.Join(p.IDs, ","), strings.Join(p.GroupIDs, ",")}, "|")
}

func (p tokenPolicySpec) scope() catalog.Scope {
	switch p.Kind {
	case tokenKindUser:
		return catalog.ScopeUser
	case tokenKindAccounts:
		return catalog.ScopeAccount
	}
	return catalog.ScopeZone
}

func tokenSorted(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// tokenSpec resolves a written policy (every value known) against cat.
// Permission groups the catalog lacks but that look like IDs go through as
// they are, for the API to judge.
func tokenSpec(in policy.TokenPolicy, cat *catalog.Catalog) (tokenPolicySpec, error) {
	s, problem := in.Scope()
	if problem != nil {
		return tokenPolicySpec{}, fmt.Errorf("%s", problem.Detail)
	}
	spec := tokenPolicySpec{Effect: in.EffectOrAllow()}
	switch s {
	case catalog.ScopeUser:
		spec.Kind = tokenKindUser
	case catalog.ScopeAccount:
		spec.Kind, spec.IDs = tokenKindAccounts, tokenSorted(in.AccountIDs.Values())
	default:
		if in.AllZonesOfAccount.IsSet() {
			spec.Kind, spec.IDs = tokenKindAllZones, []string{strings.ToLower(in.AllZonesOfAccount.Value)}
		} else {
			spec.Kind, spec.IDs = tokenKindZones, tokenSorted(in.ZoneIDs.Values())
		}
	}
	var ids []string
	for _, ref := range in.PermissionGroups.Values() {
		e, err := cat.ResolvePermissionGroup(ref, s)
		switch {
		case err == nil:
			ids = append(ids, e.ID)
		case catalog.HexIDPattern.MatchString(strings.ToLower(strings.TrimSpace(ref))):
			ids = append(ids, ref)
		default:
			return tokenPolicySpec{}, err
		}
	}
	spec.GroupIDs = tokenSorted(ids)
	return spec, nil
}

// toAPI builds the policy to send. userID is needed for user policies only.
func (p tokenPolicySpec) toAPI(userID string) cfclient.TokenPolicy {
	out := cfclient.TokenPolicy{Effect: p.Effect, Resources: map[string]any{}}
	for _, id := range p.GroupIDs {
		out.PermissionGroups = append(out.PermissionGroups, cfclient.IDRef{ID: id})
	}
	switch p.Kind {
	case tokenKindUser:
		out.Resources[catalog.ResourceKey(catalog.ScopeUser, userID)] = "*"
	case tokenKindAccounts:
		for _, id := range p.IDs {
			out.Resources[catalog.ResourceKey(catalog.ScopeAccount, id)] = "*"
		}
	case tokenKindZones:
		for _, id := range p.IDs {
			out.Resources[catalog.ResourceKey(catalog.ScopeZone, id)] = "*"
		}
	case tokenKindAllZones:
		out.Resources[catalog.ResourceKey(catalog.ScopeAccount, p.IDs[0])] = map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}
	}
	return out
}

// tokenSpecsFromAPI splits an API policy into one spec per kind of resource
// it holds (an API policy may mix kinds; each part means the same alone).
// An account key with "*" means the account for account permission groups
// and every zone of the account for zone permission groups.
func tokenSpecsFromAPI(p cfclient.TokenPolicy, cat *catalog.Catalog) []tokenPolicySpec {
	groups := tokenSorted(p.PermissionGroupIDs())
	zoneGroups := len(groups) > 0
	for _, id := range groups {
		if e, ok := cat.ByID(id); !ok || e.Scope != catalog.ScopeZone {
			zoneGroups = false
		}
	}
	var accounts, zones []string
	var user bool
	var allZones []string
	keys := slices.Sorted(maps.Keys(p.Resources))
	for _, k := range keys {
		s, id, err := catalog.ParseResourceKey(k)
		if err != nil {
			continue
		}
		switch s {
		case catalog.ScopeUser:
			user = true
		case catalog.ScopeZone:
			zones = append(zones, id)
		case catalog.ScopeAccount:
			sub, nested := p.Resources[k].(map[string]any)
			if !nested {
				if zoneGroups {
					allZones = append(allZones, id)
				} else {
					accounts = append(accounts, id)
				}
				continue
			}
			for sk := range sub {
				ss, sid, err := catalog.ParseResourceKey(sk)
				switch {
				case err != nil || ss != catalog.ScopeZone:
				case sid == "*":
					allZones = append(allZones, id)
				default:
					zones = append(zones, sid)
				}
			}
		}
	}
	var out []tokenPolicySpec
	if user {
		out = append(out, tokenPolicySpec{Effect: p.Effect, Kind: tokenKindUser, GroupIDs: groups})
	}
	if len(accounts) > 0 {
		out = append(out, tokenPolicySpec{Effect: p.Effect, Kind: tokenKindAccounts, GroupIDs: groups, IDs: tokenSorted(accounts)})
	}
	if len(zones) > 0 {
		out = append(out, tokenPolicySpec{Effect: p.Effect, Kind: tokenKindZones, GroupIDs: groups, IDs: tokenSorted(zones)})
	}
	for _, a := range tokenSorted(allZones) {
		out = append(out, tokenPolicySpec{Effect: p.Effect, Kind: tokenKindAllZones, GroupIDs: groups, IDs: []string{a}})
	}
	return out
}

// flattenTokenPolicy writes a spec the way a user would: permission groups by
// the spelling written before (spelling: ID -> as written), else by a name
// `terraform validate` accepts, else by ID (configRef).
func flattenTokenPolicy(spec tokenPolicySpec, cat *catalog.Catalog, spelling map[string]string) types.Object {
	groups := make([]attr.Value, 0, len(spec.GroupIDs))
	for _, id := range spec.GroupIDs {
		name, ok := spelling[id]
		if !ok {
			name = configRef(cat, catalog.KindPermissionGroup, spec.scope(), id)
		}
		groups = append(groups, types.StringValue(name))
	}
	attrs := map[string]attr.Value{
		"effect":               types.StringValue(spec.Effect),
		"permission_groups":    types.SetValueMust(types.StringType, groups),
		"user":                 types.BoolNull(),
		"account_ids":          types.SetNull(types.StringType),
		"zone_ids":             types.SetNull(types.StringType),
		"all_zones_of_account": types.StringNull(),
	}
	switch spec.Kind {
	case tokenKindUser:
		attrs["user"] = types.BoolValue(true)
	case tokenKindAccounts:
		attrs["account_ids"] = flattenStrings(spec.IDs)
	case tokenKindZones:
		attrs["zone_ids"] = flattenStrings(spec.IDs)
	case tokenKindAllZones:
		attrs["all_zones_of_account"] = types.StringValue(spec.IDs[0])
	}
	return types.ObjectValueMust(tokenPolicyAttrTypes, attrs)
}

// flattenTokenPolicies is the policies list to store: each written policy
// (prior, in its order and spelling) that the API holds unchanged, the API's
// other policies in the places of the written ones it no longer holds, and
// any further API policies after them. Order in the API has no meaning; order
// in the configuration is kept.
func flattenTokenPolicies(api []cfclient.TokenPolicy, written types.List, cat *catalog.Catalog) types.List {
	var specs []tokenPolicySpec
	for _, p := range api {
		specs = append(specs, tokenSpecsFromAPI(p, cat)...)
	}
	used := make([]bool, len(specs))
	spelling := map[string]string{}
	var prior []attr.Value
	if !written.IsNull() && !written.IsUnknown() {
		prior = written.Elements()
	}
	out := make([]attr.Value, len(prior))
	for i, el := range prior {
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		in := expandTokenPolicy(obj)
		s, problem := in.Scope()
		if problem == nil {
			for _, ref := range in.PermissionGroups.Values() {
				if e, err := cat.ResolvePermissionGroup(ref, s); err == nil {
					if _, seen := spelling[strings.ToLower(e.ID)]; !seen {
						spelling[strings.ToLower(e.ID)] = ref
					}
				} else if catalog.HexIDPattern.MatchString(strings.ToLower(ref)) {
					spelling[strings.ToLower(ref)] = ref
				}
			}
		}
		spec, err := tokenSpec(in, cat)
		if err != nil {
			continue
		}
		for j := range specs {
			if !used[j] && specs[j].key() == spec.key() {
				used[j] = true
				out[i] = obj
				break
			}
		}
	}
	next := 0
	for j := range specs {
		if used[j] {
			continue
		}
		for next < len(out) && out[next] != nil {
			next++
		}
		obj := flattenTokenPolicy(specs[j], cat, spelling)
		if next < len(out) {
			out[next] = obj
		} else {
			out = append(out, obj) //nolint:makezero // out holds one slot per prior policy, filled first; append only grows it past them
		}
	}
	var elems []attr.Value
	for _, v := range out {
		if v != nil {
			elems = append(elems, v)
		}
	}
	return types.ListValueMust(tokenPolicyObjectType, elems)
}

// tokenPoliciesToAPI resolves the written policies (every value known)
// against cat into the policies to send. The user's ID, which user policies
// need as their resource key, is asked of the API only when one is written.
func tokenPoliciesToAPI(ctx context.Context, data *providerData, cat *catalog.Catalog, policies types.List, operation string) ([]cfclient.TokenPolicy, diag.Diagnostics) {
	var diags diag.Diagnostics
	var out []cfclient.TokenPolicy
	userID := ""
	for i, p := range expandTokenPolicies(policies) {
		spec, err := tokenSpec(p, cat)
		if err != nil {
			diags.AddAttributeError(path.Root("policies").AtListIndex(i), "Invalid token policy", err.Error())
			return nil, diags
		}
		if spec.Kind == tokenKindUser && userID == "" {
			if userID, err = data.client.UserID(ctx); err != nil {
				diags.Append(apiErrorDiagnostic(data.auth, operation, err))
				return nil, diags
			}
		}
		out = append(out, spec.toAPI(userID))
	}
	return out, diags
}

// expandTokenCondition reads condition.request_ip (every value known).
func expandTokenCondition(obj types.Object) cfclient.TokenCondition {
	var c cfclient.TokenCondition
	if obj.IsNull() || obj.IsUnknown() {
		return c
	}
	ip, ok := obj.Attributes()["request_ip"].(types.Object)
	if !ok || ip.IsNull() || ip.IsUnknown() {
		return c
	}
	if s, ok := ip.Attributes()["in"].(types.Set); ok && !s.IsNull() && !s.IsUnknown() {
		c.RequestIPIn = setValues(s)
	}
	if s, ok := ip.Attributes()["not_in"].(types.Set); ok && !s.IsNull() && !s.IsUnknown() {
		c.RequestIPNotIn = setValues(s)
	}
	return c
}

// flattenTokenCondition is the condition to store: the prior one when it
// means the same (same addresses, in any order), else the API's.
func flattenTokenCondition(api cfclient.TokenCondition, prior types.Object) types.Object {
	if !prior.IsUnknown() && tokenConditionEqual(expandTokenCondition(prior), api) {
		return prior
	}
	if api.IsZero() {
		return types.ObjectNull(tokenConditionAttrTypes)
	}
	set := func(v []string) types.Set {
		if len(v) == 0 {
			return types.SetNull(types.StringType)
		}
		return flattenStrings(v)
	}
	ip := types.ObjectValueMust(tokenRequestIPAttrTypes, map[string]attr.Value{"in": set(api.RequestIPIn), "not_in": set(api.RequestIPNotIn)})
	return types.ObjectValueMust(tokenConditionAttrTypes, map[string]attr.Value{"request_ip": ip})
}

func tokenConditionEqual(a, b cfclient.TokenCondition) bool {
	eq := func(x, y []string) bool {
		xs, ys := slices.Clone(x), slices.Clone(y)
		sort.Strings(xs)
		sort.Strings(ys)
		return slices.Equal(slices.Compact(xs), slices.Compact(ys))
	}
	return eq(a.RequestIPIn, b.RequestIPIn) && eq(a.RequestIPNotIn, b.RequestIPNotIn)
}

// tokenTimeFromAPI keeps the prior spelling of a time when the API's is the same instant.
func tokenTimeFromAPI(api string, prior types.String) types.String {
	if api == "" {
		return types.StringNull()
	}
	if !prior.IsNull() && !prior.IsUnknown() {
		p, err1 := time.Parse(time.RFC3339, prior.ValueString())
		a, err2 := time.Parse(time.RFC3339, api)
		if err1 == nil && err2 == nil && p.Equal(a) {
			return prior
		}
	}
	return types.StringValue(api)
}
