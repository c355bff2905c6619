package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

const (
	testAcct = "f037e56e89293a057740de681ac9abbe"
	testCom  = "023e105f4ecef8ad9ca31a8372d0c353"
	testOrg  = "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
)

func testPolicy(effect string, groups []string, kind tokenResourceKind, ids ...string) types.Object {
	g := make([]attr.Value, len(groups))
	for i, n := range groups {
		g[i] = types.StringValue(n)
	}
	attrs := map[string]attr.Value{
		"effect":               types.StringValue(effect),
		"permission_groups":    types.SetValueMust(types.StringType, g),
		"user":                 types.BoolNull(),
		"account_ids":          types.SetNull(types.StringType),
		"zone_ids":             types.SetNull(types.StringType),
		"all_zones_of_account": types.StringNull(),
	}
	switch kind {
	case tokenKindUser:
		attrs["user"] = types.BoolValue(true)
	case tokenKindAccounts:
		attrs["account_ids"] = flattenStrings(ids)
	case tokenKindZones:
		attrs["zone_ids"] = flattenStrings(ids)
	case tokenKindAllZones:
		attrs["all_zones_of_account"] = types.StringValue(ids[0])
	}
	return types.ObjectValueMust(tokenPolicyAttrTypes, attrs)
}

func testPolicies(objs ...types.Object) types.List {
	vals := make([]attr.Value, len(objs))
	for i, o := range objs {
		vals[i] = o
	}
	return types.ListValueMust(tokenPolicyObjectType, vals)
}

func testGroupID(t *testing.T, name string, s catalog.Scope) string {
	t.Helper()
	e, err := catalog.Embedded().ResolvePermissionGroup(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func diagPaths(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			out = append(out, wp.Path().String()+": "+d.Summary())
		}
	}
	return out
}

// Problems land at the exact path: the policy's index, then the permission group.
func TestCheckTokenPolicies_paths(t *testing.T) {
	cat := catalog.Embedded()
	diags := checkTokenPolicies(testPolicies(
		testPolicy("allow", []string{"DNS Read"}, tokenKindZones, testCom),
		testPolicy("allow", []string{"Account Settings Read", "DNS Write"}, tokenKindAccounts, testAcct),
		testPolicy("allow", []string{"DNS Read"}, ""),
	), cat, false, false)
	got := diagPaths(diags)
	want := []string{
		`policies[1].permission_groups[Value("DNS Write")]: Permission group used at the wrong scope`,
		`policies[2]: Token policy has no resources`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("diagnostics at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// At plan (strict IDs), an ID no catalog knows is an unknown permission group.
	diags = checkTokenPolicies(testPolicies(testPolicy("allow", []string{"0123456789abcdef0123456789abcdef"}, tokenKindZones, testCom)), cat, true, false)
	if len(diags) != 1 || diags[0].Summary() != "Unknown permission group" {
		t.Fatalf("strict IDs: %v", diags)
	}
	diags = checkTokenPolicies(testPolicies(testPolicy("allow", []string{"0123456789abcdef0123456789abcdef"}, tokenKindZones, testCom)), cat, false, false)
	if diags.HasError() {
		t.Fatalf("an unknown ID must wait for the live catalog: %v", diags)
	}
}

// The API's reordering of policies and groups, and names versus IDs, never
// change what is stored; an out-of-band change takes the changed policy's place.
func TestTokenPoliciesFromAPI(t *testing.T) {
	cat := catalog.Embedded()
	zoneRead, dnsRead := testGroupID(t, "Zone Read", catalog.ScopeZone), testGroupID(t, "DNS Read", catalog.ScopeZone)
	settings := testGroupID(t, "Account Settings Read", catalog.ScopeAccount)
	logsZone := testGroupID(t, "Logs Read", catalog.ScopeZone)
	written := testPolicies(
		testPolicy("allow", []string{"zone read", dnsRead}, tokenKindZones, testCom, testOrg),
		testPolicy("allow", []string{"Account Settings Read"}, tokenKindAccounts, testAcct),
		testPolicy("deny", []string{"Logs Read"}, tokenKindAllZones, testAcct),
	)
	acctKey := catalog.ResourceKey(catalog.ScopeAccount, testAcct)
	api := []cfclient.TokenPolicy{
		{Effect: "deny", PermissionGroups: []cfclient.IDRef{{ID: logsZone}}, Resources: map[string]any{acctKey: map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}}},
		{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: settings}}, Resources: map[string]any{acctKey: "*"}},
		{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: dnsRead}, {ID: zoneRead}},
			Resources: map[string]any{catalog.ResourceKey(catalog.ScopeZone, testOrg): "*", catalog.ResourceKey(catalog.ScopeZone, testCom): "*"}},
	}
	if got := flattenTokenPolicies(api, written, cat); !got.Equal(written) {
		t.Fatalf("reordered API policies changed the stored ones:\n%v\nwant\n%v", got, written)
	}

	// Out of band: the account policy lost its group for Zone Read on account "*" (all zones, by the
	// group's scope), which takes the second place, with the written spelling of Zone Read.
	api[1] = cfclient.TokenPolicy{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: zoneRead}}, Resources: map[string]any{acctKey: "*"}}
	got := flattenTokenPolicies(api, written, cat)
	want := testPolicies(
		testPolicy("allow", []string{"zone read", dnsRead}, tokenKindZones, testCom, testOrg),
		testPolicy("allow", []string{"zone read"}, tokenKindAllZones, testAcct),
		testPolicy("deny", []string{"Logs Read"}, tokenKindAllZones, testAcct),
	)
	if !got.Equal(want) {
		t.Fatalf("out-of-band change:\n%v\nwant\n%v", got, want)
	}

	// Import (nothing written): API order, catalog names; a mixed API policy splits by kind.
	mixed := []cfclient.TokenPolicy{{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: settings}},
		Resources: map[string]any{acctKey: "*", catalog.ResourceKey(catalog.ScopeUser, "u1"): "*"}}}
	got = flattenTokenPolicies(mixed, types.ListNull(tokenPolicyObjectType), cat)
	want = testPolicies(
		testPolicy("allow", []string{"Account Settings Read"}, tokenKindUser),
		testPolicy("allow", []string{"Account Settings Read"}, tokenKindAccounts, testAcct),
	)
	if !got.Equal(want) {
		t.Fatalf("import of a mixed policy:\n%v\nwant\n%v", got, want)
	}
}

// The warning names each permission group the provider's token does not hold where the new token grants it.
func TestCallerGrantWarnings(t *testing.T) {
	cat := catalog.Embedded()
	settings := testGroupID(t, "Account Settings Read", catalog.ScopeAccount)
	zoneRead := testGroupID(t, "Zone Read", catalog.ScopeZone)
	acctKey := catalog.ResourceKey(catalog.ScopeAccount, testAcct)
	caller := &cfclient.Caller{TokenID: "c1", Policies: []cfclient.TokenPolicy{
		{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: settings}}, Resources: map[string]any{acctKey: "*"}},
		{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: zoneRead}}, Resources: map[string]any{catalog.ResourceKey(catalog.ScopeZone, testCom): "*"}},
	}}
	plan := testPolicies(
		testPolicy("allow", []string{"Account Settings Read"}, tokenKindAccounts, testAcct),
		testPolicy("allow", []string{"Zone Read"}, tokenKindZones, testCom),
		testPolicy("allow", []string{"Zone Read", "DNS Read"}, tokenKindZones, testOrg),
		testPolicy("allow", []string{"Zone Read"}, tokenKindAllZones, testAcct),
		testPolicy("deny", []string{"DNS Write"}, tokenKindZones, testCom),
	)
	diags := callerGrantWarnings(plan, cat, caller)
	got := diagPaths(diags)
	want := []string{
		`policies[2].permission_groups[Value("Zone Read")]: Permission group beyond the provider's own token`,
		`policies[2].permission_groups[Value("DNS Read")]: Permission group beyond the provider's own token`,
		`policies[3].permission_groups[Value("Zone Read")]: Permission group beyond the provider's own token`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || diags.HasError() {
		t.Fatalf("warnings at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(diags[0].Detail(), `does not hold "Zone Read" on zone `+testOrg) || !strings.Contains(diags[0].Detail(), "1001") {
		t.Fatalf("detail: %s", diags[0].Detail())
	}
	if d := callerGrantWarnings(plan, cat, nil); len(d) != 0 {
		t.Fatalf("no caller policies, no warnings: %v", d)
	}
}
