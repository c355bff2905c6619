package policy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The expectations below come from the reference pages
// (../shared/reference/), not from the code: account-and-domain-roles.txt
// gives each role's scope ("Domain DNS" is a domain role, "Administrator" an
// account one, "Email Security Analyst" "Requires Cloudflare Zero Trust
// PII"), tunnel-granular-permissions.txt the Tunnel roles,
// logs-permissions.md who edits Logpush jobs, and
// api-token-permission-groups.md each permission group's scope ("DNS Write"
// zone, "Account Settings Read" account, "API Tokens Read" user).

const (
	acct   = "f037e56e89293a057740de681ac9abbe"
	other  = "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
	zone   = "023e105f4ecef8ad9ca31a8372d0c353"
	tunnel = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
	mesh   = "4a9b3c2d-1e0f-4a5b-9c8d-7e6f5a4b3c2d"
	group  = "0123456789abcdef0123456789abcdef"
	newID  = "fedcba9876543210fedcba9876543210" // an ID no catalog has
)

// partly is a set of strings with one known value and one unknown.
func partly(v string) Strings { return Strings{State: Known, Elems: []String{Str(v), UnknownString()}} }

// got renders problems as "path code severity", the way expectations are written.
func got(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%s %s %s", p.Path, p.Code, p.Severity)
	}
	return out
}

// produced collects every code a case gave, for TestEveryCodeProduced.
var produced = map[Code]bool{}

func expect(t *testing.T, ps []Problem, want ...string) {
	t.Helper()
	for _, p := range ps {
		produced[p.Code] = true
		if p.Summary == "" || p.Detail == "" {
			t.Errorf("%s: summary or detail missing: %+v", p.Path, p)
		}
		// The fix is part of the detail (a sentence there, or a clause: its period aside).
		if p.Fix == "" || !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(strings.TrimSuffix(p.Fix, "."))) {
			t.Errorf("%s: the fix %q is not in the detail %q", p.Path, p.Fix, p.Detail)
		}
	}
	if g := got(ps); strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestCheckMemberPolicies(t *testing.T) {
	cat := catalog.Embedded()
	many := make([]string, MaxRolesPerPolicy+1)
	for i := range many {
		many[i] = fmt.Sprintf("role %d", i)
	}
	groups := GroupScopes{group: catalog.ScopeTunnel}
	meshGroups := GroupScopes{group: catalog.ScopeMeshNode}
	for _, tc := range []struct {
		name      string
		policies  []MemberPolicy
		strictIDs bool
		groups    GroupScopes
		want      []string
	}{
		{"valid policies of each scope", []MemberPolicy{
			{Roles: Set("Administrator")},
			{Roles: Set("Domain DNS"), ZoneIDs: Set(zone)},
			{Roles: Set("Cloudflare Tunnel Instance Read"), Resources: R(catalog.ScopeTunnel, Set(tunnel))},
		}, true, nil, nil},
		{"domain role account-wide", []MemberPolicy{{Roles: Set("Analytics", "Domain DNS")}}, false, nil,
			[]string{`policies[0].roles["Domain DNS"] role_wrong_scope error`}},
		{"account role on zones, second policy", []MemberPolicy{
			{Roles: Set("Administrator")},
			{Roles: Set("Administrator"), ZoneIDs: Set(zone)},
		}, false, nil, []string{`policies[1].roles["Administrator"] role_wrong_scope error`}},
		{"zones and Tunnels", []MemberPolicy{{Roles: Set("Domain DNS"), ZoneIDs: Set(zone), Resources: R(catalog.ScopeTunnel, Set(tunnel))}}, false, nil,
			[]string{`policies[0] member_policy_mixes_zones_and_tunnels error`}},
		{"zones and Mesh nodes", []MemberPolicy{{Roles: Set("Domain DNS"), ZoneIDs: Set(zone), Resources: R(catalog.ScopeMeshNode, Set(mesh))}}, false, nil,
			[]string{`policies[0] member_policy_mixes_zones_and_mesh_nodes error`}},
		{"a Tunnel and a Mesh node, a role for each", []MemberPolicy{
			{Roles: Set("Cloudflare Tunnel Instance Admin", "Cloudflare Mesh Node Read"), Resources: R(catalog.ScopeTunnel, Set(tunnel), catalog.ScopeMeshNode, Set(mesh))},
			{Roles: Set("Cloudflare Mesh Node Admin"), Resources: R(catalog.ScopeMeshNode, Set(mesh))},
		}, true, nil, nil},
		{"a Mesh role on Tunnels only", []MemberPolicy{{Roles: Set("Cloudflare Mesh Node Admin"), Resources: R(catalog.ScopeTunnel, Set(tunnel))}}, false, nil,
			[]string{`policies[0].roles["Cloudflare Mesh Node Admin"] role_applies_to_kind_not_named error`}},
		{"a Mesh role account-wide", []MemberPolicy{{Roles: Set("Cloudflare Mesh Node Admin")}}, false, nil,
			[]string{`policies[0].roles["Cloudflare Mesh Node Admin"] role_wrong_scope error`}},
		{"an unknown set of Mesh node IDs still says the kind", []MemberPolicy{{Roles: Set("Cloudflare Tunnel Instance Read"), Resources: R(catalog.ScopeMeshNode, UnknownStrings())}}, false, nil,
			[]string{`policies[0].roles["Cloudflare Tunnel Instance Read"] role_applies_to_kind_not_named error`}},
		{"Mesh node IDs beside a Tunnel group", []MemberPolicy{
			{Roles: Set("Cloudflare Mesh Node Read", "Cloudflare Tunnel Instance Read"), Resources: R(catalog.ScopeMeshNode, Set(mesh)), ResourceGroupIDs: Set(group)},
		}, true, groups, nil},
		{"a Tunnel role on a Mesh node group", []MemberPolicy{
			{Roles: Set("Cloudflare Tunnel Instance Read"), ResourceGroupIDs: Set(group)},
		}, true, meshGroups, []string{`policies[0].roles["Cloudflare Tunnel Instance Read"] role_applies_to_kind_not_named error`}},
		{"unknown zone IDs still say the scope", []MemberPolicy{{Roles: Set("Administrator"), ZoneIDs: UnknownStrings()}}, false, nil,
			[]string{`policies[0].roles["Administrator"] role_wrong_scope error`}},
		{"no roles", []MemberPolicy{{Roles: Set()}}, false, nil, []string{`policies[0] policy_has_no_roles error`}},
		{"unknown role", []MemberPolicy{{Roles: Set("Cloudflare Acces")}}, false, nil, []string{`policies[0].roles["Cloudflare Acces"] unknown_role error`}},
		{"an ID the embedded catalog lacks waits for the live one", []MemberPolicy{{Roles: Set(newID)}}, false, nil, nil},
		{"an ID the live catalog lacks", []MemberPolicy{{Roles: Set(newID)}}, true, nil, []string{`policies[0].roles["` + newID + `"] unknown_role error`}},
		{"the same policy twice, by name and by ID in another case", []MemberPolicy{
			{Roles: Set("Administrator")},
			{Roles: Set("administrator"), Access: Str("allow")},
		}, false, nil, []string{`policies[1] same_policy_twice error`}},
		{"allow and deny are not the same", []MemberPolicy{
			{Roles: Set("Administrator")},
			{Roles: Set("Administrator"), Access: Str("deny")},
		}, false, nil, nil},
		{"an unknown access cannot be told the same", []MemberPolicy{
			{Roles: Set("Administrator")},
			{Roles: Set("Administrator"), Access: UnknownString()},
		}, false, nil, nil},
		{"unknown zone IDs cannot be told the same", []MemberPolicy{
			{Roles: Set("Domain DNS"), ZoneIDs: partly(zone)},
			{Roles: Set("Domain DNS"), ZoneIDs: partly(zone)},
		}, false, nil, nil},
		{"too many roles", []MemberPolicy{{Roles: Set(many...)}}, false, nil, []string{`policies[0].roles too_many_roles error`}},
		{"unknown roles and unknown policies are skipped", []MemberPolicy{
			{Roles: UnknownStrings()},
			{Roles: partly("Domain DNS"), ZoneIDs: Set(zone)},
			{Unknown: true},
		}, false, nil, nil},
		{"an unknown element beside a wrong role", []MemberPolicy{{Roles: partly("Domain DNS")}}, false, nil,
			[]string{`policies[0].roles["Domain DNS"] role_wrong_scope error`}},
		{"a role on resource groups of its scope", []MemberPolicy{
			{Roles: Set("Cloudflare Tunnel Instance Admin"), ResourceGroupIDs: Set(group)},
		}, true, groups, nil},
		{"a domain role on a Tunnel group", []MemberPolicy{
			{Roles: Set("Domain DNS"), ResourceGroupIDs: Set(group)},
		}, true, groups, []string{`policies[0].roles["Domain DNS"] role_wrong_scope error`}},
		{"a resource group the account lacks", []MemberPolicy{
			{Roles: Set("Domain DNS"), ResourceGroupIDs: Set(other)},
		}, true, groups, []string{`policies[0].resource_group_ids["` + other + `"] unknown_resource_group error`}},
		{"zone IDs beside a Tunnel group", []MemberPolicy{
			{Roles: Set("Domain DNS"), ZoneIDs: Set(zone), ResourceGroupIDs: Set(group)},
		}, true, groups, []string{`policies[0] resource_groups_of_different_scopes error`}},
		{"groups not read: any existing role passes, an unknown one fails", []MemberPolicy{
			{Roles: Set("Domain DNS", "No Such Role"), ResourceGroupIDs: Set(group)},
		}, true, nil, []string{`policies[0].roles["No Such Role"] unknown_role error`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, CheckMemberPolicies(cat, tc.policies, tc.strictIDs, tc.groups), tc.want...)
		})
	}
}

// The detail names the policy, and at validate says that a newer role can be named by ID.
func TestCheckMemberPolicies_detail(t *testing.T) {
	ps := CheckMemberPolicies(catalog.Embedded(), []MemberPolicy{{Roles: Set("Cloudflare Acces")}}, false, nil)
	if len(ps) != 1 || !strings.HasSuffix(ps[0].Detail, `checked against the account's live catalog at plan.`) ||
		!strings.Contains(ps[0].Detail, "(In the allow policy account-wide with roles [Cloudflare Acces].)") ||
		!strings.Contains(ps[0].Fix, `"Cloudflare Access"`) {
		t.Errorf("unknown role at validate: %+v", ps)
	}
	ps = CheckMemberPolicies(catalog.Embedded(), []MemberPolicy{{Roles: Set("Cloudflare Acces")}}, true, nil)
	if len(ps) != 1 || strings.Contains(ps[0].Detail, "live catalog") {
		t.Errorf("unknown role at plan: %+v", ps)
	}
}

func TestCheckBindingRoles(t *testing.T) {
	cat := catalog.Embedded()
	roles := Strings{State: Known, Elems: []String{
		Str("Cloudflare Tunnel Instance Read"), Str("Cloudflare Access"), Str("Domain DNS"),
		Str("Analytics"), Str("Cloudflare Tunel Instance Admin"), UnknownString(), Str(newID),
	}}
	expect(t, CheckBindingRolesOf(BindingKindOf(catalog.ScopeTunnel), cat, roles, false),
		`roles["Cloudflare Access"] account_role_covers_every_tunnel error`,
		`roles["Domain DNS"] role_wrong_scope error`,
		`roles["Analytics"] role_wrong_scope error`,
		`roles["Cloudflare Tunel Instance Admin"] unknown_role error`,
	)
	expect(t, CheckBindingRolesOf(BindingKindOf(catalog.ScopeTunnel), cat, Set(newID), true), `roles["`+newID+`"] unknown_role error`)
	expect(t, CheckBindingRolesOf(BindingKindOf(catalog.ScopeTunnel), cat, UnknownStrings(), true))
	expect(t, CheckBindingRolesOf(BindingKindOf(catalog.ScopeTunnel), cat, Set("Cloudflare Mesh Node Admin"), true), `roles["Cloudflare Mesh Node Admin"] role_applies_to_kind_not_named error`)

	// A Mesh node binding: the same checks over Mesh node roles.
	meshRoles := Set("Cloudflare Mesh Node Read", "Cloudflare Zero Trust", "Cloudflare Tunnel Instance Admin", "Cloudflare Mesh Node Admn")
	ps := CheckBindingRolesOf(BindingKindOf(catalog.ScopeMeshNode), cat, meshRoles, false)
	expect(t, ps,
		`roles["Cloudflare Zero Trust"] account_role_covers_every_mesh_node error`,
		`roles["Cloudflare Tunnel Instance Admin"] role_applies_to_kind_not_named error`,
		`roles["Cloudflare Mesh Node Admn"] unknown_role error`,
	)
	if !strings.Contains(ps[0].Detail, "already gives edit access to every Mesh node of the account") ||
		!strings.Contains(ps[1].Detail, "Bind it with cfiam_tunnel_binding (tunnel_ids)") ||
		!strings.Contains(ps[2].Detail, `"Cloudflare Mesh Node Admin" (edit) or "Cloudflare Mesh Node Read" (read)`) {
		t.Errorf("Mesh node binding details: %+v", ps)
	}
}

func TestCheckTokenPolicies(t *testing.T) {
	cat := catalog.Embedded()
	for _, tc := range []struct {
		name                    string
		policies                []TokenPolicy
		strictIDs, accountToken bool
		want                    []string
	}{
		{"valid policies of each kind", []TokenPolicy{
			{PermissionGroups: Set("API Tokens Read"), User: True()},
			{PermissionGroups: Set("Account Settings Read"), AccountIDs: Set(acct)},
			{PermissionGroups: Set("DNS Write"), ZoneIDs: Set(zone)},
			{PermissionGroups: Set("DNS Write"), AllZonesOfAccount: Str(acct)},
		}, true, false, nil},
		{"a zone group on accounts, second policy", []TokenPolicy{
			{PermissionGroups: Set("DNS Write"), ZoneIDs: Set(zone)},
			{PermissionGroups: Set("Account Settings Read", "DNS Write"), AccountIDs: Set(acct)},
		}, false, false, []string{`policies[1].permission_groups["DNS Write"] permission_group_wrong_scope error`}},
		{"no resources; user = false is not set", []TokenPolicy{{PermissionGroups: Set("DNS Read"), User: Bool{State: Known}}}, false, false,
			[]string{`policies[0] token_policy_has_no_resources error`}},
		{"two kinds, one of them unknown", []TokenPolicy{{PermissionGroups: Set("DNS Read"), ZoneIDs: Set(zone), AccountIDs: UnknownStrings()}}, false, false,
			[]string{`policies[0] token_policy_mixes_resource_kinds error`}},
		{"no permission groups", []TokenPolicy{{PermissionGroups: Set(), ZoneIDs: Set(zone)}}, false, false,
			[]string{`policies[0].permission_groups token_policy_has_no_permission_groups error`}},
		{"unknown permission group", []TokenPolicy{{PermissionGroups: Set("DNS Wirte"), ZoneIDs: Set(zone)}}, false, false,
			[]string{`policies[0].permission_groups["DNS Wirte"] unknown_permission_group error`}},
		{"an ID waits for the live catalog", []TokenPolicy{{PermissionGroups: Set(newID), ZoneIDs: Set(zone)}}, false, false, nil},
		{"an ID the live catalog lacks", []TokenPolicy{{PermissionGroups: Set(newID), ZoneIDs: Set(zone)}}, true, false,
			[]string{`policies[0].permission_groups["` + newID + `"] unknown_permission_group error`}},
		{"a user policy in an account token, user unknown", []TokenPolicy{{PermissionGroups: Set("API Tokens Read"), User: Bool{State: Unknown}}}, false, true,
			[]string{`policies[0].user user_policy_in_account_token error`}},
		{"unknown groups, elements and policies are skipped", []TokenPolicy{
			{PermissionGroups: UnknownStrings(), ZoneIDs: Set(zone)},
			{PermissionGroups: partly("DNS Write"), ZoneIDs: Set(zone)},
			{Unknown: true},
		}, false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, CheckTokenPolicies(cat, tc.policies, tc.strictIDs, tc.accountToken), tc.want...)
		})
	}
	// In an account token, a user permission group says a user token is needed.
	ps := CheckTokenPolicies(cat, []TokenPolicy{{PermissionGroups: Set("API Tokens Read"), AccountIDs: Set(acct)}}, true, true)
	if len(ps) != 1 || !strings.HasSuffix(ps[0].Detail, "User permission groups need a user token (cfiam_api_token).") {
		t.Errorf("user group in an account token: %+v", ps)
	}
}

func TestCheckAccountTokenResources(t *testing.T) {
	policies := []TokenPolicy{
		{Unknown: true},
		{PermissionGroups: Set("Account Settings Read"), AccountIDs: Strings{State: Known, Elems: []String{Str(acct), Str(other), UnknownString()}}},
		{PermissionGroups: Set("DNS Write"), AllZonesOfAccount: Str(other)},
		{PermissionGroups: Set("DNS Write"), AllZonesOfAccount: UnknownString()},
	}
	expect(t, CheckAccountTokenResources(policies, acct),
		`policies[1].account_ids["`+other+`"] account_outside_token_account error`,
		`policies[2].all_zones_of_account account_outside_token_account error`,
	)
	expect(t, CheckAccountTokenResources(policies, ""))
}

func TestMemberGrantWarnings(t *testing.T) {
	cat := catalog.Embedded()
	analyst := MemberPolicy{Roles: Set("Email Security Analyst")}
	pii := MemberPolicy{Roles: Set("Cloudflare Zero Trust PII")}
	super := MemberPolicy{Roles: Set("Super Administrator - All Privileges")}
	admin := MemberPolicy{Roles: Set("Administrator")}
	logShare := MemberPolicy{Roles: Set("log share")}
	for _, tc := range []struct {
		name        string
		plan, prior []MemberPolicy
		want        []string
	}{
		{"Email Security Analyst without PII", []MemberPolicy{analyst}, nil, []string{`policies role_needs_zero_trust_pii warning`}},
		{"with PII", []MemberPolicy{analyst, pii}, nil, nil},
		{"a denied PII role does not count", []MemberPolicy{analyst, {Access: Str("deny"), Roles: Set("Cloudflare Zero Trust PII")}}, nil,
			[]string{`policies role_needs_zero_trust_pii warning`}},
		// A Super Administrator holds Zero Trust PII Read: no Logpush gap.
		{"a new Super Administrator", []MemberPolicy{super}, nil, []string{`policies grants_super_administrator warning`}},
		{"a Super Administrator kept", []MemberPolicy{super}, []MemberPolicy{super}, nil},
		{"Administrator and Log Share without PII", []MemberPolicy{admin, logShare}, nil, []string{`policies logpush_zero_trust_needs_pii warning`}},
		{"an Administrator kept", []MemberPolicy{admin}, []MemberPolicy{admin}, nil},
		{"PII removed from an Administrator", []MemberPolicy{admin}, []MemberPolicy{admin, pii}, []string{`policies logpush_zero_trust_needs_pii warning`}},
		{"Log Share Reader edits no Logpush job", []MemberPolicy{{Roles: Set("Log Share Reader")}}, nil, nil},
		{"unknown roles and policies grant nothing known", []MemberPolicy{{Roles: UnknownStrings()}, {Unknown: true}}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, MemberGrantWarnings(cat, GranteeMember, tc.plan, tc.prior, nil), tc.want...)
		})
	}
	ps := MemberGrantWarnings(cat, GranteeMember, []MemberPolicy{admin, logShare}, nil, nil)
	if len(ps) != 1 || !strings.HasPrefix(ps[0].Detail, `With "Administrator" and "Log Share" the member may edit Logpush jobs`) {
		t.Errorf("the Logpush warning names both roles: %+v", ps)
	}
}

func TestMemberPolicySpec(t *testing.T) {
	cat := catalog.Embedded()
	a, err := MemberPolicy{Roles: Set("Domain DNS", "domain dns"), ZoneIDs: Set(zone, zone)}.Spec(cat, acct)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := cat.ResolveRole("Domain DNS", catalog.ScopeZone)
	if a.Access != "allow" || a.Scope() != catalog.ScopeZone || strings.Join(a.RoleIDs, ",") != e.ID || strings.Join(a.Objects[catalog.ScopeZone], ",") != zone {
		t.Errorf("spec %+v", a)
	}
	// A Tunnel and a Mesh node: each role at its own kind, both kinds' objects.
	both, err := MemberPolicy{Roles: Set("Cloudflare Mesh Node Admin", "Cloudflare Tunnel Instance Read"), Resources: R(catalog.ScopeTunnel, Set(tunnel), catalog.ScopeMeshNode, Set(mesh))}.Spec(cat, acct)
	if err != nil {
		t.Fatal(err)
	}
	mr, _ := cat.ResolveRole("Cloudflare Mesh Node Admin", catalog.ScopeMeshNode)
	tr, _ := cat.ResolveRole("Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)
	if both.Scope() != "" || both.ScopeLabel() != "tunnel,mesh_node" || len(both.RoleIDs) != 2 ||
		!strings.Contains(strings.Join(both.RoleIDs, ","), mr.ID) || !strings.Contains(strings.Join(both.RoleIDs, ","), tr.ID) ||
		strings.Join(both.Objects[catalog.ScopeTunnel], ",") != tunnel || strings.Join(both.Objects[catalog.ScopeMeshNode], ",") != mesh {
		t.Errorf("spec on both %+v", both)
	}

	b, _ := MemberPolicy{Access: Str("allow"), Roles: Set(e.ID), ZoneIDs: Set(zone)}.Spec(cat, acct)
	if a.Key() != b.Key() {
		t.Errorf("by name and by ID: %q != %q", a.Key(), b.Key())
	}
	if _, err := (MemberPolicy{Roles: Set("Domain DNS")}).Spec(cat, acct); err == nil {
		t.Error("a domain role account-wide resolves")
	}
	if got := (MemberPolicy{Roles: Set("Domain DNS"), Resources: R(catalog.ScopeTunnel, Set(tunnel)), ZoneIDs: Set(zone)}).Describe(); got != "the allow policy on zone_ids and tunnel_ids with roles [Domain DNS]" {
		t.Errorf("Describe = %q", got)
	}
}

func TestPathString(t *testing.T) {
	for p, want := range map[Path]string{
		{Policy: 2}: "policies[2]",
		{Policy: 0, Attribute: "roles", Element: "DNS"}:   `policies[0].roles["DNS"]`,
		{Policy: Whole, Attribute: "policies"}:            "policies",
		{Policy: Whole, Attribute: "roles", Element: "x"}: `roles["x"]`,
	} {
		if got := p.String(); got != want {
			t.Errorf("%#v: %q, want %q", p, got, want)
		}
	}
}

// Every code a check may give is given by some case above. The codes are
// read from the source: a new constant without a case fails here.
func TestEveryCodeProduced(t *testing.T) {
	// Run the cases here too, whatever -run or -shuffle left out.
	for name, test := range map[string]func(*testing.T){
		"member": TestCheckMemberPolicies, "binding": TestCheckBindingRoles, "token": TestCheckTokenPolicies,
		"account token": TestCheckAccountTokenResources, "warnings": TestMemberGrantWarnings,
	} {
		t.Run(name, test)
	}
	codes := codeConstants(t)
	if len(codes) < 10 {
		t.Fatalf("found only %d code constants: %v", len(codes), codes)
	}
	for name, value := range codes {
		if !produced[Code(value)] {
			t.Errorf("%s (%q) is produced by no test case", name, value)
		}
	}
}

// codeConstants maps each Code* constant of this package to its value,
// following the ones defined as catalog.Code* constants.
func codeConstants(t *testing.T) map[string]string {
	t.Helper()
	literals := func(dir string) (map[string]string, map[string]string) {
		lits, refs := map[string]string{}, map[string]string{}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range file.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec) //nolint:forcetypeassert // a const declaration holds value specs
					for i, name := range vs.Names {
						if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
							continue
						}
						switch v := vs.Values[i].(type) {
						case *ast.BasicLit:
							lits[name.Name], _ = strconv.Unquote(v.Value)
						case *ast.SelectorExpr:
							refs[name.Name] = v.Sel.Name
						}
					}
				}
			}
		}
		return lits, refs
	}
	own, refs := literals(".")
	cat, _ := literals(filepath.Join("..", "catalog"))
	for name, ref := range refs {
		v, ok := cat[ref]
		if !ok {
			t.Fatalf("%s refers to catalog.%s, which is no code literal", name, ref)
		}
		own[name] = v
	}
	return own
}

// R builds a MemberPolicy's Resources from scope, IDs pairs.
func R(pairs ...any) map[catalog.Scope]Strings {
	out := map[catalog.Scope]Strings{}
	for i := 0; i+1 < len(pairs); i += 2 {
		scope, ok1 := pairs[i].(catalog.Scope)
		ids, ok2 := pairs[i+1].(Strings)
		if !ok1 || !ok2 {
			panic("R takes catalog.Scope, Strings pairs")
		}
		out[scope] = ids
	}
	return out
}
