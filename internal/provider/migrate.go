package provider

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/zclconf/go-cty/cty"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// cfiam migrate (cmd/cfiam) writes the configuration that a state move
// makes empty to plan: each official resource's values go through the
// functions the resources' Read uses after an import (flattenAPIPolicies,
// flattenTokenPolicies), with the embedded catalog, so that the written
// configuration and the moved state say the same thing.

// MigratedResource is cfiam's configuration of one official resource.
type MigratedResource struct {
	Type       string // the cfiam type
	Attributes []MigratedAttribute
	// Notes are comments to write above the block (what the move leaves as it is).
	Notes []string
}

// MigratedAttribute is one argument of the block, in writing order.
type MigratedAttribute struct {
	Name  string
	Value attr.Value
	// Reference marks IDs of other objects (a user group, members) that the
	// writer may replace by a reference to the resource that manages them.
	Reference bool
}

// MigrationSource says why cfiam does not take an official resource ("" when
// it does), as the move would refuse it: provider, type and schema version.
func MigrationSource(providerAddress, typeName string, schemaVersion int64, values []byte) string {
	src, ok := officialSourceOf(typeName)
	if !ok {
		return ""
	}
	return src.checkSource(OfficialTypes[typeName], providerAddress, typeName, schemaVersion, values)
}

func officialSourceOf(typeName string) (officialSource, bool) {
	for _, s := range []officialSource{officialAccountMember, officialUserGroup, officialUserGroupMembers, officialAPIToken, officialAccountToken} {
		if s.typeName == typeName {
			return s, true
		}
	}
	return officialSource{}, false
}

// ResourceGroupsNeeded returns the account whose resource groups the
// migration of this resource reads (a member's or user group's policies
// name groups), "" when it reads none.
func ResourceGroupsNeeded(typeName string, values []byte) string {
	var v struct {
		AccountID string           `json:"account_id"`
		Policies  []officialPolicy `json:"policies"`
	}
	if typeName != officialAccountMember.typeName && typeName != officialUserGroup.typeName {
		return ""
	}
	if decodeOfficial(typeName, values, &v) != nil {
		return ""
	}
	for _, p := range v.Policies {
		if len(p.ResourceGroups) > 0 {
			return v.AccountID
		}
	}
	return ""
}

// Migrate converts an official resource's values (its state's attributes,
// as `terraform show -json` gives them) into cfiam's configuration. groups
// are the account's resource groups (see ResourceGroupsNeeded).
func Migrate(typeName string, values []byte, groups []cfclient.ResourceGroup) (*MigratedResource, error) {
	cat := catalog.Embedded()
	str := func(s string) types.String { return types.StringValue(s) }
	switch typeName {
	case officialAccountMember.typeName:
		var m officialMember
		if err := decodeOfficial(typeName, values, &m); err != nil {
			return nil, err
		}
		policies, err := migratedPolicies(typeName, m.AccountID, m.Policies, groups, cat)
		if err != nil {
			return nil, err
		}
		out := &MigratedResource{Type: "cfiam_account_member", Attributes: []MigratedAttribute{
			{Name: "account_id", Value: str(m.AccountID)}, {Name: "email", Value: str(m.Email)}}}
		if m.Status == "accepted" {
			out.Attributes = append(out.Attributes, MigratedAttribute{Name: "status", Value: str(m.Status)})
		}
		out.Attributes = append(out.Attributes, MigratedAttribute{Name: "policies", Value: policies})
		if len(m.Roles) > 0 {
			out.Notes = append(out.Notes, legacyRolesWarning(m.Email, m.Roles))
		}
		return out, nil
	case officialUserGroup.typeName:
		var g officialUserGroupState
		if err := decodeOfficial(typeName, values, &g); err != nil {
			return nil, err
		}
		policies, err := migratedPolicies(typeName, g.AccountID, g.Policies, groups, cat)
		if err != nil {
			return nil, err
		}
		return &MigratedResource{Type: "cfiam_user_group", Attributes: []MigratedAttribute{
			{Name: "account_id", Value: str(g.AccountID)}, {Name: "name", Value: str(g.Name)}, {Name: "policies", Value: policies}}}, nil
	case officialUserGroupMembers.typeName:
		var g officialGroupMembers
		if err := decodeOfficial(typeName, values, &g); err != nil {
			return nil, err
		}
		ids := make([]string, len(g.Members))
		for i, m := range g.Members {
			ids[i] = m.ID
		}
		return &MigratedResource{Type: "cfiam_user_group_members", Attributes: []MigratedAttribute{
			{Name: "account_id", Value: str(g.AccountID)},
			{Name: "user_group_id", Value: str(g.UserGroupID), Reference: true},
			{Name: "member_ids", Value: flattenStrings(ids), Reference: true}}}, nil
	case officialAPIToken.typeName, officialAccountToken.typeName:
		return migratedToken(typeName, values, cat)
	}
	return nil, fmt.Errorf("cfiam takes no state from %s", typeName)
}

// migratedPolicies is a member's or user group's policies as the move's
// Read writes them: each resource group looked up in the account's groups
// (its scope says whether it is the account, one zone or Tunnel cfiam
// names by ID, or a group the user named).
func migratedPolicies(typeName, acct string, in []officialPolicy, groups []cfclient.ResourceGroup, cat *catalog.Catalog) (types.Set, error) {
	if missing := missingGroups(groups, in); len(missing) > 0 {
		return types.Set{}, fmt.Errorf("%s of %s names resource group %s, which account %s no longer has: remove that policy from the official configuration "+
			"(or point it at a group the account has) and apply with the official provider, then migrate again", missing[0].path, typeName, missing[0].id, acct)
	}
	byID := map[string]cfclient.ResourceGroup{}
	for _, g := range groups {
		byID[strings.ToLower(g.ID)] = g
	}
	api := make([]cfclient.MemberPolicy, len(in))
	for i, p := range in {
		api[i] = cfclient.MemberPolicy{Access: p.Access}
		for _, pg := range p.PermissionGroups {
			api[i].PermissionGroups = append(api[i].PermissionGroups, cfclient.IDRef{ID: pg.ID})
		}
		for _, rg := range p.ResourceGroups {
			g := byID[strings.ToLower(rg.ID)]
			api[i].ResourceGroups = append(api[i].ResourceGroups, cfclient.RGRef{ID: g.ID, Name: g.Name, Scope: g.Scope})
		}
	}
	set, _, diags := flattenAPIPolicies(api, nil, cat, acct)
	if diags.HasError() {
		return types.Set{}, errors.New(diags.Errors()[0].Detail())
	}
	return set, nil
}

func migratedToken(typeName string, values []byte, cat *catalog.Catalog) (*MigratedResource, error) {
	var t officialToken
	if err := decodeOfficial(typeName, values, &t); err != nil {
		return nil, err
	}
	api := make([]cfclient.TokenPolicy, len(t.Policies))
	for i, p := range t.Policies {
		res, err := p.resources()
		if err != nil {
			return nil, fmt.Errorf("policies[%d] of %s: %w", i, typeName, err)
		}
		api[i] = cfclient.TokenPolicy{Effect: p.Effect, Resources: res}
		for _, pg := range p.PermissionGroups {
			api[i].PermissionGroups = append(api[i].PermissionGroups, cfclient.IDRef{ID: pg.ID})
		}
	}
	out := &MigratedResource{Type: OfficialTypes[typeName]}
	add := func(name string, v attr.Value) {
		out.Attributes = append(out.Attributes, MigratedAttribute{Name: name, Value: v})
	}
	if typeName == officialAccountToken.typeName {
		add("account_id", types.StringValue(t.AccountID))
	}
	add("name", types.StringValue(t.Name))
	add("policies", flattenTokenPolicies(api, types.ListNull(tokenPolicyObjectType), cat))
	var cond cfclient.TokenCondition
	if t.Condition != nil && t.Condition.RequestIP != nil {
		cond = cfclient.TokenCondition{RequestIPIn: t.Condition.RequestIP.In, RequestIPNotIn: t.Condition.RequestIP.NotIn}
	}
	if c := flattenTokenCondition(cond, types.ObjectNull(tokenConditionAttrTypes)); !c.IsNull() {
		add("condition", c)
	}
	if t.NotBefore != nil && *t.NotBefore != "" {
		add("not_before", types.StringValue(*t.NotBefore))
	}
	if t.ExpiresOn != nil && *t.ExpiresOn != "" {
		add("expires_on", types.StringValue(*t.ExpiresOn))
	}
	if t.Status != "" && t.Status != "active" {
		add("status", types.StringValue(t.Status))
	}
	return out, nil
}

// HCL renders a value as an HCL expression; ref, when it knows a string
// (an ID), gives the expression to write instead. Null attributes of
// objects are left out.
func HCL(v attr.Value, indent string, ref func(string) (string, bool)) string {
	if v == nil || v.IsNull() || v.IsUnknown() {
		return "null"
	}
	switch x := v.(type) {
	case types.String:
		if ref != nil {
			if r, ok := ref(x.ValueString()); ok {
				return r
			}
		}
		return string(hclwrite.TokensForValue(cty.StringVal(x.ValueString())).Bytes())
	case types.Bool:
		return fmt.Sprint(x.ValueBool())
	case types.Set:
		return hclList(x.Elements(), true, indent, ref)
	case types.List:
		return hclList(x.Elements(), false, indent, ref)
	case types.Object:
		attrs := x.Attributes()
		names := make([]string, 0, len(attrs))
		for n, a := range attrs {
			if !a.IsNull() {
				names = append(names, n)
			}
		}
		sort.Slice(names, func(i, j int) bool { return keyRank(names[i]) < keyRank(names[j]) })
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = n + " = " + HCL(attrs[n], indent, ref)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return v.String()
}

// keyRank puts access and effect first in an object, then roles and
// permission groups, the rest by name.
func keyRank(name string) string {
	switch name {
	case "access", "effect":
		return "0" + name
	case "roles", "permission_groups":
		return "1" + name
	}
	return "2" + name
}

// hclList writes a list of scalars on one line, of objects one a line; a
// set's elements sorted (they have no order), a list's in its order.
func hclList(els []attr.Value, set bool, indent string, ref func(string) (string, bool)) string {
	parts := make([]string, len(els))
	objects := false
	for i, e := range els {
		_, objects = e.(types.Object)
		parts[i] = HCL(e, indent+"  ", ref)
	}
	if set {
		sort.Strings(parts)
	}
	if !objects {
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "[\n" + indent + "  " + strings.Join(parts, ",\n"+indent+"  ") + ",\n" + indent + "]"
}
