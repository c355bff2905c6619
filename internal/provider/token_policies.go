package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// This file holds what cfiam_api_token and cfiam_account_token share: the
// schema, the translation between token policies as users write them
// (permission group names or IDs; user, account, zone or all-zones
// resources) and as the API holds them (permission group IDs, resource
// keys), and the scope checks at validate and plan.

var (
	tokenPolicyAttrTypes = map[string]attr.Type{
		"effect":               types.StringType,
		"permission_groups":    types.SetType{ElemType: types.StringType},
		"user":                 types.BoolType,
		"account_ids":          types.SetType{ElemType: types.StringType},
		"zone_ids":             types.SetType{ElemType: types.StringType},
		"all_zones_of_account": types.StringType,
	}
	tokenPolicyObjectType = types.ObjectType{AttrTypes: tokenPolicyAttrTypes}

	tokenRequestIPAttrTypes = map[string]attr.Type{
		"in":     types.SetType{ElemType: types.StringType},
		"not_in": types.SetType{ElemType: types.StringType},
	}
	tokenConditionAttrTypes = map[string]attr.Type{
		"request_ip": types.ObjectType{AttrTypes: tokenRequestIPAttrTypes},
	}
)

// tokenModel is what both token resources hold; cfiam_account_token adds account_id.
type tokenModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Policies          types.List   `tfsdk:"policies"`
	NotBefore         types.String `tfsdk:"not_before"`
	ExpiresOn         types.String `tfsdk:"expires_on"`
	Condition         types.Object `tfsdk:"condition"`
	Status            types.String `tfsdk:"status"`
	IssuedOn          types.String `tfsdk:"issued_on"`
	ModifiedOn        types.String `tfsdk:"modified_on"`
	LastUsedOn        types.String `tfsdk:"last_used_on"`
	Value             types.String `tfsdk:"value"`
	RotateWhenChanged types.Map    `tfsdk:"rotate_when_changed"`
}

type accountTokenModel struct {
	tokenModel
	AccountID types.String `tfsdk:"account_id"`
}

// tokenSchemaAttributes returns the attributes both token resources share.
// account says whether the token is account-owned (no user policies).
func tokenSchemaAttributes(account bool) map[string]schema.Attribute {
	resources := "Exactly one of `user = true` (user permission groups, on the user who owns the token), `account_ids` " +
		"(account permission groups), `zone_ids` or `all_zones_of_account` (zone permission groups)."
	groups := "user permission groups with `user = true`, account permission groups with `account_ids`, " +
		"zone permission groups with `zone_ids` or `all_zones_of_account`"
	user := "`true`: the policy applies to the user who owns the token (user permission groups, such as `API Tokens Read`)."
	if account {
		resources = "Exactly one of `account_ids` (account permission groups; the token's own account) and `zone_ids` or " +
			"`all_zones_of_account` (zone permission groups). An account-owned token cannot hold user permission groups."
		groups = "account permission groups with `account_ids`, zone permission groups with `zone_ids` or `all_zones_of_account`"
		user = "Not for an account-owned token, which belongs to no user: `user = true` fails at `terraform validate` " +
			"(the attribute exists because both token resources share one policy shape; for user policies use `cfiam_api_token`)."
	}
	idSet := func(desc, what string) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			ElementType:         types.StringType,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.HexID("must be a 32-character lowercase hexadecimal " + what + " ID"))},
		}
	}
	cidrs := func(desc string) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          []validator.Set{setvalidator.ValueStringsAre(validators.IPOrCIDR())},
		}
	}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Token ID.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the token.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 120)},
		},
		"policies": schema.ListNestedAttribute{
			MarkdownDescription: "The token's policies, in the order written (Cloudflare may reorder them; the provider matches them back by content). " +
				"Each policy grants (or denies) permission groups of one scope on one kind of resource. " + resources +
				" Every permission group is checked against the policy's kind at `terraform validate` (embedded catalog) and `terraform plan` (live catalog).",
			Required:   true,
			Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"effect": schema.StringAttribute{
						MarkdownDescription: "`allow` (default) or `deny`.",
						Optional:            true,
						Computed:            true,
						Default:             stringdefault.StaticString("allow"),
						Validators:          []validator.String{stringvalidator.OneOf("allow", "deny")},
					},
					"permission_groups": schema.SetAttribute{
						MarkdownDescription: "Permission groups, by name (any case) or ID, all of the policy's scope: " + groups + ". " +
							"A name that exists in several scopes (`Logs Read`, `API Gateway Read`) means the one of the policy's scope. Kept as written.",
						Required:    true,
						ElementType: types.StringType,
					},
					"user": schema.BoolAttribute{
						MarkdownDescription: user,
						Optional:            true,
					},
					"account_ids":          idSet("Accounts the policy applies to (account permission groups).", "account"),
					"zone_ids":             idSet("Zones the policy applies to (zone permission groups).", "zone"),
					"all_zones_of_account": schema.StringAttribute{MarkdownDescription: "An account ID: the policy applies to every zone of that account, present and future (zone permission groups).", Optional: true, Validators: []validator.String{validators.AccountID()}},
				},
			},
		},
		"not_before": schema.StringAttribute{
			MarkdownDescription: "The token is not valid before this time (RFC 3339, such as `2030-01-01T00:00:00Z`). Compared as a time: another spelling of the same instant shows no change.",
			Optional:            true,
			Validators:          []validator.String{validators.RFC3339()},
		},
		"expires_on": schema.StringAttribute{
			MarkdownDescription: "The token expires at this time (RFC 3339). Once it has passed, `status` reads `expired`. Compared as a time.",
			Optional:            true,
			Validators:          []validator.String{validators.RFC3339()},
		},
		"condition": schema.SingleNestedAttribute{
			MarkdownDescription: "Where the token may be used from.",
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"request_ip": schema.SingleNestedAttribute{
					MarkdownDescription: "Client IP restrictions (Cloudflare's `request.ip` condition).",
					Optional:            true,
					Attributes: map[string]schema.Attribute{
						"in":     cidrs("IP addresses or CIDR ranges the token may be used from; any when unset."),
						"not_in": cidrs("IP addresses or CIDR ranges the token may not be used from."),
					},
				},
			},
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "`active` or `disabled` to set it; reads `expired` once `expires_on` has passed. When not set, the token's status is " +
				"left as it is (a new token is `active`) and shown here.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{stringvalidator.OneOf("active", "disabled")},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"issued_on": schema.StringAttribute{
			MarkdownDescription: "When the token was created.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"modified_on": schema.StringAttribute{
			MarkdownDescription: "When the token was last changed (a roll changes it too).",
			Computed:            true,
		},
		"last_used_on": schema.StringAttribute{
			MarkdownDescription: "When the token was last used, as of the last refresh. Using the token changes it but never shows as a change to plan.",
			Computed:            true,
		},
		"value": schema.StringAttribute{
			MarkdownDescription: "The token's secret. Cloudflare returns it only at creation and after a roll (see `rotate_when_changed`): " +
				"it is empty after an import. It is kept in state; use the `cfiam_api_token` ephemeral resource for a short-lived token that never is.",
			Computed:      true,
			Sensitive:     true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"rotate_when_changed": schema.MapAttribute{
			MarkdownDescription: "Arbitrary values; any change rolls the token's value in place (same ID, same policies, a new `value`), " +
				"the way `terraform_data`'s `triggers_replace` replaces. For example `{ rotation = time_rotating.token.id }`.",
			Optional:    true,
			ElementType: types.StringType,
		},
	}
}

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
	keys := make([]string, 0, len(p.Resources))
	for k := range p.Resources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
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
