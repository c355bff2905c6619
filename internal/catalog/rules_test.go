package catalog

import (
	"slices"
	"strings"
	"testing"
)

func TestMemberPolicyKinds(t *testing.T) {
	for _, tc := range []struct {
		zones, tunnels, mesh bool
		want                 []Scope
		code                 Code
	}{
		{false, false, false, []Scope{ScopeAccount}, ""},
		{true, false, false, []Scope{ScopeZone}, ""},
		{false, true, false, []Scope{ScopeTunnel}, ""},
		{false, false, true, []Scope{ScopeMeshNode}, ""},
		{false, true, true, []Scope{ScopeTunnel, ScopeMeshNode}, ""},
		{true, true, false, nil, "member_policy_mixes_zones_and_tunnels"},
		{true, false, true, nil, "member_policy_mixes_zones_and_mesh_nodes"},
		{true, true, true, nil, "member_policy_mixes_zones_and_tunnels"},
	} {
		var set []Scope
		if tc.tunnels {
			set = append(set, ScopeTunnel)
		}
		if tc.mesh {
			set = append(set, ScopeMeshNode)
		}
		got, p := MemberPolicyKinds(tc.zones, set)
		var code Code
		if p != nil {
			code = p.Code
		}
		if !slices.Equal(got, tc.want) || code != tc.code {
			t.Errorf("MemberPolicyKinds(%v, %v, %v) = %q, %v", tc.zones, tc.tunnels, tc.mesh, got, p)
		}
	}
}

// RoleAppliesTo is the rule the emulator answers 1006 by: written here from
// the issue (#17), not from the code: one policy may name Tunnels and Mesh
// nodes; each role must apply to a kind the policy names.
func TestRoleAppliesTo(t *testing.T) {
	tm := []Scope{ScopeTunnel, ScopeMeshNode}
	for _, tc := range []struct {
		role  Scope
		kinds []Scope
		want  bool
	}{
		{ScopeMeshNode, []Scope{ScopeMeshNode}, true},
		{ScopeMeshNode, []Scope{ScopeTunnel}, false},
		{ScopeMeshNode, []Scope{ScopeAccount}, false},
		{ScopeMeshNode, []Scope{ScopeZone}, false},
		{ScopeMeshNode, tm, true},
		{ScopeTunnel, tm, true},
		{ScopeAccount, tm, false},
		{ScopeZone, []Scope{ScopeZone}, true},
		{ScopeZone, []Scope{ScopeZone, ScopeTunnel}, false},
		{ScopeAccount, []Scope{ScopeAccount, ScopeZone}, false},
		{ScopeTunnel, nil, false},
	} {
		if got := RoleAppliesTo(tc.role, tc.kinds); got != tc.want {
			t.Errorf("RoleAppliesTo(%s, %v) = %v, want %v", tc.role, tc.kinds, got, tc.want)
		}
	}
}

// A Mesh node role where the policy names Tunnels only, or is account-wide;
// a Tunnel role on Mesh nodes only; both on both.
func TestCheckRolesIn_meshNodes(t *testing.T) {
	c := Embedded()
	ps := c.CheckRolesIn([]Scope{ScopeTunnel}, []string{"Cloudflare Tunnel Instance Read", "Cloudflare Mesh Node Admin"})
	const want = "'Cloudflare Mesh Node Admin' applies to Mesh nodes, but this policy names only Tunnels: add mesh_node_ids, or use a Tunnel role."
	if len(ps) != 1 || ps[0].Index != 1 || ps[0].Code != "role_applies_to_kind_not_named" || ps[0].Detail != want {
		t.Errorf("a Mesh role on Tunnels: %+v", ps)
	}
	ps = c.CheckRolesIn([]Scope{ScopeMeshNode}, []string{"Cloudflare Tunnel Instance Admin"})
	if len(ps) != 1 || ps[0].Detail != "'Cloudflare Tunnel Instance Admin' applies to Tunnels, but this policy names only Mesh nodes: add tunnel_ids, or use a Mesh node role." {
		t.Errorf("a Tunnel role on Mesh nodes: %+v", ps)
	}
	ps = c.CheckRoles(ScopeAccount, []string{"Cloudflare Mesh Node Read"})
	if len(ps) != 1 || ps[0].Code != "role_wrong_scope" ||
		!strings.Contains(ps[0].Detail, `"Cloudflare Mesh Node Read" is a resource-scoped role for Cloudflare Mesh nodes but this policy is account-wide`) ||
		!strings.Contains(ps[0].Detail, "put it in a policy with mesh_node_ids (or a cfiam_mesh_node_binding)") {
		t.Errorf("a Mesh role account-wide: %+v", ps)
	}
	if ps := c.CheckRolesIn([]Scope{ScopeTunnel, ScopeMeshNode}, []string{"Cloudflare Tunnel Instance Admin", "cloudflare mesh node read"}); len(ps) != 0 {
		t.Errorf("a Tunnel role and a Mesh role on both: %+v", ps)
	}
	ps = c.CheckRolesIn([]Scope{ScopeTunnel, ScopeMeshNode}, []string{"Cloudflare Access"})
	if len(ps) != 1 || ps[0].Code != "role_wrong_scope" || !strings.Contains(ps[0].Detail, "this policy applies to Tunnels and Mesh nodes (tunnel_ids, mesh_node_ids)") ||
		!strings.Contains(ps[0].Detail, "grant it in an account-wide policy (no tunnel_ids, mesh_node_ids)") {
		t.Errorf("an account role on both: %+v", ps)
	}
	if p := GroupScopesProblem(map[string]Scope{"tunnel_ids": ScopeTunnel, "mesh_node_ids": ScopeMeshNode}); p != nil {
		t.Errorf("Tunnels and Mesh nodes go together: %v", p)
	}
	if p := GroupScopesProblem(map[string]Scope{"zone_ids": ScopeZone, "mesh_node_ids": ScopeMeshNode}); p == nil || !strings.Contains(p.Detail, "zone_ids (zones); mesh_node_ids (Mesh nodes)") {
		t.Errorf("zones and Mesh nodes: %v", p)
	}
}

func TestCheckRoles(t *testing.T) {
	c := Embedded()
	for _, tc := range []struct {
		name    string
		scope   Scope
		roles   []string
		index   int
		summary string
		detail  []string
	}{
		{"domain role account-wide", ScopeAccount, []string{"Domain DNS"}, 0, "Role used at the wrong scope",
			[]string{`"Domain DNS" is a domain-scoped role`, "account-wide", "put it in a policy with zone_ids", `use an account-scoped role "DNS"`}},
		{"account role on zones, second item", ScopeZone, []string{"Domain DNS", "Administrator"}, 1, "Role used at the wrong scope",
			[]string{`"Administrator" is an account-scoped role`, "zone_ids", "account-wide policy", `"Domain Administrator"`, "one scope only"}},
		{"account role on tunnels", ScopeTunnel, []string{"Cloudflare Access"}, 0, "Role used at the wrong scope",
			[]string{"an account-scoped role", "tunnel_ids"}},
		{"tunnel role on zones", ScopeZone, []string{"Cloudflare Tunnel Instance Read"}, 0, "Role used at the wrong scope",
			[]string{"resource-scoped role for Cloudflare Tunnel instances", "cfiam_tunnel_binding"}},
		{"twin: Bot Management account-wide", ScopeAccount, []string{"Bot Management"}, 0, "Role used at the wrong scope",
			[]string{`"Bot Management (Account-wide)"`}},
		{"twin: Page Shield on zones", ScopeZone, []string{"Page Shield"}, 0, "Role used at the wrong scope",
			[]string{`"Domain Page Shield"`}},
		{"twin: Zone Versioning account-wide", ScopeAccount, []string{"Zone Versioning"}, 0, "Role used at the wrong scope",
			[]string{`"Zone Versioning (Account-Wide)"`}},
		{"unknown", ScopeAccount, []string{"Cloudflare Acces"}, 0, "Unknown role",
			[]string{`"Cloudflare Access"`, "cfiam_roles"}},
		{"empty", ScopeAccount, nil, -1, "Policy has no roles", []string{"at least one role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := c.CheckRoles(tc.scope, tc.roles)
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %v", ps)
			}
			p := ps[0]
			// Every problem of the catalog's rules is an error; callers tell them apart by code.
			codes := map[string]Code{"Role used at the wrong scope": CodeRoleWrongScope, "Unknown role": CodeUnknownRole, "Policy has no roles": CodeNoRoles}
			if p.Index != tc.index || p.Summary != tc.summary || p.Code != codes[tc.summary] {
				t.Errorf("got index %d summary %q code %q", p.Index, p.Summary, p.Code)
			}
			if p.Fix == "" || !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(p.Fix)) {
				t.Errorf("fix %q is not part of detail %q", p.Fix, p.Detail)
			}
			for _, d := range tc.detail {
				if !strings.Contains(p.Detail, d) {
					t.Errorf("detail %q lacks %q", p.Detail, d)
				}
			}
		})
	}
	if ps := c.CheckRoles(ScopeZone, []string{"Domain DNS", "", "bot management"}); len(ps) != 0 {
		t.Errorf("valid roles with an unknown value: %v", ps)
	}
}

func TestTokenPolicyScopeAndCheck(t *testing.T) {
	c := Embedded()
	if _, p := TokenPolicyScope(false, true, true, false); p == nil || !strings.Contains(p.Detail, "account_ids and zone_ids") {
		t.Errorf("mixed kinds: %v", p)
	}
	if _, p := TokenPolicyScope(false, false, false, false); p == nil {
		t.Error("no resources must be a problem")
	}
	for _, tc := range []struct {
		user, acc, zones, all bool
		want                  Scope
	}{{true, false, false, false, ScopeUser}, {false, true, false, false, ScopeAccount}, {false, false, true, false, ScopeZone}, {false, false, false, true, ScopeZone}} {
		if got, p := TokenPolicyScope(tc.user, tc.acc, tc.zones, tc.all); got != tc.want || p != nil {
			t.Errorf("TokenPolicyScope = %s, %v; want %s", got, p, tc.want)
		}
	}
	for _, tc := range []struct {
		scope  Scope
		group  string
		detail string
	}{
		{ScopeAccount, "DNS Write", `"DNS Write" is a zone permission group but this policy is on accounts`},
		{ScopeZone, "Account Settings Read", `"Account Settings Read" is an account permission group but this policy is on zones`},
		{ScopeZone, "API Tokens Read", "put it in a policy with user = true"},
		{ScopeUser, "Logs Read", "an account permission group and a zone permission group"},
	} {
		ps := c.CheckPermissionGroups(tc.scope, []string{tc.group})
		if len(ps) != 1 || !strings.Contains(ps[0].Detail, tc.detail) {
			t.Errorf("%s in %s: %v, want detail with %q", tc.group, tc.scope, ps, tc.detail)
		}
	}
	for _, s := range []Scope{ScopeAccount, ScopeZone} {
		if ps := c.CheckPermissionGroups(s, []string{"Logs Read", "API Gateway Read"}); len(ps) != 0 {
			t.Errorf("names in both scopes resolve by the policy's kind (%s): %v", s, ps)
		}
	}
}

func TestTunnelAccessAndPII(t *testing.T) {
	c := Embedded()
	for name, want := range map[string]Access{
		"Cloudflare Access": AccessEdit, "Administrator Read Only": AccessRead, "DNS": AccessNone,
		"Cloudflare Tunnel Instance Read": AccessRead, "Cloudflare Tunnel Instance Admin": AccessEdit,
		"Super Administrator - All Privileges": AccessEdit,
	} {
		found := c.Find(KindRole, name)
		if len(found) != 1 {
			t.Fatalf("role %q not in the catalog", name)
		}
		if got := TunnelAccess(found[0]); got != want {
			t.Errorf("TunnelAccess(%q) = %s, want %s", name, got, want)
		}
		// The account roles that cover Tunnels cover Mesh nodes alike
		// (issue #17: no reference page says otherwise); the Tunnel roles do not.
		wantMesh := want
		if found[0].Scope == ScopeTunnel {
			wantMesh = AccessNone
		}
		if got := ResourceAccess(found[0], ScopeMeshNode); got != wantMesh {
			t.Errorf("MeshNodeAccess(%q) = %s, want %s", name, got, wantMesh)
		}
	}
	for name, want := range map[string]Access{"Cloudflare Mesh Node Read": AccessRead, "Cloudflare Mesh Node Admin": AccessEdit} {
		found := c.Find(KindRole, name)
		if len(found) != 1 || ResourceAccess(found[0], ScopeMeshNode) != want || TunnelAccess(found[0]) != AccessNone {
			t.Errorf("%q: %+v", name, found)
		}
	}
	for _, k := range Kinds() {
		for name := range k.Coverage {
			if len(c.Find(KindRole, name)) == 0 {
				t.Errorf("%s coverage names %q, which the catalog lacks", k.Plural, name)
			}
		}
	}
	var pii []string
	for _, e := range c.Roles() {
		if RequiresZeroTrustPII(e) {
			pii = append(pii, e.Name)
		}
	}
	if strings.Join(pii, ",") != "Email Configuration Admin,Email Security Analyst,Email Security Read Only" {
		t.Errorf("roles requiring Zero Trust PII = %v", pii)
	}
}

// Roles on resource groups are checked against the groups' scope, with the
// groups named as the reason; groups of different scopes are one problem.
func TestCheckRolesOnGroups(t *testing.T) {
	cat := Embedded()
	if p := cat.CheckRolesOnGroups([]Scope{ScopeZone}, []string{"Domain DNS", "domain administrator"}); len(p) != 0 {
		t.Errorf("domain roles on zone groups: %v", p)
	}
	p := cat.CheckRolesOnGroups([]Scope{ScopeTunnel}, []string{"Cloudflare Tunnel Instance Read", "Domain DNS"})
	if len(p) != 1 || p[0].Index != 1 || p[0].Summary != "Role used at the wrong scope" ||
		!strings.Contains(p[0].Detail, `"Domain DNS" is a domain-scoped role but this policy's resource groups hold Tunnels: put it in a policy with zone_ids`) {
		t.Errorf("a domain role on Tunnel groups: %v", p)
	}
	p = cat.CheckRolesOnGroups([]Scope{ScopeAccount}, []string{"Domain DNS"})
	if len(p) != 1 || !strings.Contains(p[0].Detail, "resource groups hold the account (account-wide)") || !strings.Contains(p[0].Detail, `"DNS"`) {
		t.Errorf("a domain role on an account group, with its twin suggested: %v", p)
	}

	if p := GroupScopesProblem(map[string]Scope{"g1": ScopeZone, "g2": ScopeZone, "zone_ids": ScopeZone}); p != nil {
		t.Errorf("groups of one scope: %v", p)
	}
	p1 := GroupScopesProblem(map[string]Scope{"g2": ScopeTunnel, "g1": ScopeZone, "zone_ids": ScopeZone})
	if p1 == nil || p1.Summary != "Resource groups of different scopes" ||
		!strings.Contains(p1.Detail, "g1, zone_ids (zones); g2 (Tunnels).") {
		t.Errorf("zone and Tunnel groups: %v", p1)
	}
}

// Each rule gives its own code, the invalid ones too (a scope that is none of
// Cloudflare's reaches the catch-all branch).
func TestProblemCodes(t *testing.T) {
	c := Embedded()
	first := func(ps []Problem) Code {
		if len(ps) != 1 {
			t.Fatalf("want one problem, got %v", ps)
		}
		return ps[0].Code
	}
	kindsCode := func(_ []Scope, p *Problem) Code {
		if p == nil {
			t.Fatal("want a problem")
		}
		return p.Code
	}
	scopeCode := func(_ Scope, p *Problem) Code {
		if p == nil {
			t.Fatal("want a problem")
		}
		return p.Code
	}
	for _, tc := range []struct {
		got, want Code
	}{
		{kindsCode(MemberPolicyKinds(true, []Scope{ScopeTunnel})), CodeMixesZonesAndTunnels},
		{kindsCode(MemberPolicyKinds(true, []Scope{ScopeMeshNode})), CodeMixesZonesAndMeshNodes},
		{kindsCode(MemberPolicyKinds(false, []Scope{ScopeTunnel, ScopeAccessApplication})), CodeMixesResourceKinds},
		{first(c.CheckRolesIn([]Scope{ScopeTunnel}, []string{RoleMeshNodeRead})), CodeRoleKindNotNamed},
		{GroupScopesProblem(map[string]Scope{"g1": ScopeZone, "g2": ScopeTunnel}).Code, CodeGroupScopesDiffer},
		{first(c.CheckRoles(ScopeAccount, nil)), CodeNoRoles},
		{first(c.CheckRoles(ScopeAccount, []string{"No Such Role"})), CodeUnknownRole},
		{first(c.CheckRoles(ScopeAccount, []string{"Domain DNS"})), CodeRoleWrongScope},
		{first(c.CheckRoles(Scope("bogus"), []string{"Administrator"})), CodeInvalidRole},
		{scopeCode(TokenPolicyScope(false, false, false, false)), CodeTokenNoResources},
		{scopeCode(TokenPolicyScope(true, true, false, false)), CodeTokenMixesKinds},
		{first(c.CheckPermissionGroups(ScopeZone, nil)), CodeNoPermissionGroups},
		{first(c.CheckPermissionGroups(ScopeZone, []string{"No Such Group"})), CodeUnknownPermissionGroup},
		{first(c.CheckPermissionGroups(ScopeZone, []string{"Account Settings Read"})), CodePermissionGroupWrongScope},
		{first(c.CheckPermissionGroups(Scope("bogus"), []string{"DNS Read"})), CodeInvalidPermissionGroup},
	} {
		if tc.got != tc.want {
			t.Errorf("code %q, want %q", tc.got, tc.want)
		}
	}
}
