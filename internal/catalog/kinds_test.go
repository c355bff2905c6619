package catalog

import (
	"strings"
	"testing"
)

// The seven resource-specific scopes of Cloudflare's "Role scopes" page, with
// their routes and roles, written out by hand from resource-scoped-kinds.md
// (and PRODUCT.md for the attribute, binding and data source names).
func TestKinds_table(t *testing.T) {
	want := []struct {
		scope, attr, binding, dataSource, list, get string
		roles                                       []string
	}{
		{"tunnel", "tunnel_ids", "cfiam_tunnel_binding", "cfiam_tunnels",
			"/accounts/{account_id}/cfd_tunnel", "/accounts/{account_id}/cfd_tunnel/{tunnel_id}",
			[]string{"Cloudflare Tunnel Instance Read", "Cloudflare Tunnel Instance Admin"}},
		{"mesh_node", "mesh_node_ids", "cfiam_mesh_node_binding", "cfiam_mesh_nodes",
			"/accounts/{account_id}/warp_connector", "/accounts/{account_id}/warp_connector/{tunnel_id}",
			[]string{"Cloudflare Mesh Node Read", "Cloudflare Mesh Node Admin"}},
		{"access_application", "access_application_ids", "cfiam_access_application_binding", "cfiam_access_applications",
			"/accounts/{account_id}/access/apps", "/accounts/{account_id}/access/apps/{app_id}",
			[]string{"Cloudflare Access App Admin"}},
		{"access_identity_provider", "access_identity_provider_ids", "cfiam_access_identity_provider_binding", "cfiam_access_identity_providers",
			"/accounts/{account_id}/access/identity_providers", "/accounts/{account_id}/access/identity_providers/{identity_provider_id}",
			[]string{"Cloudflare Access Identity Provider Admin"}},
		{"access_policy", "access_policy_ids", "cfiam_access_policy_binding", "cfiam_access_policies",
			"/accounts/{account_id}/access/policies", "/accounts/{account_id}/access/policies/{policy_id}",
			[]string{"Cloudflare Access Policy Admin"}},
		{"access_service_token", "access_service_token_ids", "cfiam_access_service_token_binding", "cfiam_access_service_tokens",
			"/accounts/{account_id}/access/service_tokens", "/accounts/{account_id}/access/service_tokens/{service_token_id}",
			[]string{"Cloudflare Access Service Token Admin"}},
		{"infrastructure_target", "infrastructure_target_ids", "cfiam_infrastructure_target_binding", "cfiam_infrastructure_targets",
			"/accounts/{account_id}/infrastructure/targets", "/accounts/{account_id}/infrastructure/targets/{target_id}",
			[]string{"Access for Infrastructure Target Admin"}},
	}
	got := Kinds()
	if len(got) != len(want) {
		t.Fatalf("%d kinds, want %d", len(got), len(want))
	}
	cat := Embedded()
	for i, w := range want {
		k := got[i]
		if string(k.Scope) != w.scope || k.Attribute != w.attr || k.BindingResource() != w.binding || k.DataSource() != w.dataSource ||
			k.ListRoute() != w.list || k.GetRoute() != w.get || strings.Join(k.RoleNames(), "|") != strings.Join(w.roles, "|") {
			t.Errorf("kind %d = %+v, want %+v", i, k, w)
		}
		for _, r := range w.roles {
			if e, err := cat.ResolveRole(r, Scope(w.scope)); err != nil || e.Scope != Scope(w.scope) {
				t.Errorf("embedded catalog: %q at %s: %v", r, w.scope, err)
			}
		}
		// Every kind's key parses back to its kind, and no key form is a
		// prefix of another's ID part.
		s, id, err := ParseResourceKey(ResourceKey(Scope(w.scope), "0b5f3e4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"))
		if err != nil || s != Scope(w.scope) || id != "0b5f3e4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b" {
			t.Errorf("ParseResourceKey(%s key) = %s, %s, %v", w.scope, s, id, err)
		}
		if op, ok := OperationOf("GET", strings.ReplaceAll(w.get, "{account_id}", "f037e56e89293a057740de681ac9abbe")); !ok || op != k.ReadOperation() {
			t.Errorf("OperationOf(GET %s) = %s, %v", w.get, op, ok)
		}
	}
}

// Which account roles cover every object of an Access kind: zero-trust-roles.md's
// matrix (Access Edit: Super Administrator, Cloudflare Zero Trust, Cloudflare
// Access; Access Read: also Cloudflare Gateway and Cloudflare Zero Trust Read
// Only), account-and-domain-roles.txt for Administrator and its Read Only.
// The Email admin roles name Tunnels, not Access.
func TestResourceAccess_accessKinds(t *testing.T) {
	cat := Embedded()
	for name, want := range map[string]Access{
		"Super Administrator - All Privileges": AccessEdit,
		"Administrator":                        AccessEdit,
		"Administrator Read Only":              AccessRead,
		"Cloudflare Access":                    AccessEdit,
		"Cloudflare Zero Trust":                AccessEdit,
		"Cloudflare Gateway":                   AccessRead,
		"Cloudflare Zero Trust Read Only":      AccessRead,
		"Email Configuration Admin":            AccessNone,
		"Email Integration Admin":              AccessNone,
		"Cloudflare Zero Trust Reporting":      AccessNone,
		"Cloudflare DEX":                       AccessNone,
		"Cloudflare Access App Admin":          AccessEdit, // bound to the application itself
		"Cloudflare Tunnel Instance Admin":     AccessNone,
		"Cloudflare Access Policy Admin":       AccessNone, // another Access kind's role
	} {
		found := cat.Find(KindRole, name)
		if len(found) != 1 {
			t.Fatalf("%q: %d entries", name, len(found))
		}
		if got := ResourceAccess(found[0], ScopeAccessApplication); got != want {
			t.Errorf("ResourceAccess(%q, access_application) = %s, want %s", name, got, want)
		}
	}
	// Cloudflare Gateway reads Access but covers no Tunnel (zero-trust-roles.md; tunnel-granular-permissions.txt).
	if gw := cat.Find(KindRole, "Cloudflare Gateway"); ResourceAccess(gw[0], ScopeTunnel) != AccessNone {
		t.Error("Cloudflare Gateway covers Tunnels")
	}
}

// The message form for a kind's role on another kind, and a policy
// that mixes an Access kind with Tunnels.
func TestCheckRolesIn_accessKinds(t *testing.T) {
	c := Embedded()
	ps := c.CheckRolesIn([]Scope{ScopeTunnel}, []string{"Cloudflare Access App Admin"})
	const want = "'Cloudflare Access App Admin' applies to Access applications, but this policy names only Tunnels: add access_application_ids, or use a Tunnel role."
	if len(ps) != 1 || ps[0].Code != CodeRoleKindNotNamed || ps[0].Detail != want {
		t.Errorf("App Admin on Tunnels: %+v", ps)
	}
	ps = c.CheckRolesIn([]Scope{ScopeAccessPolicy}, []string{"Cloudflare Access App Admin"})
	const wantPolicy = "'Cloudflare Access App Admin' applies to Access applications, but this policy names only Access policies: add access_application_ids, or use an Access policy role."
	if len(ps) != 1 || ps[0].Detail != wantPolicy {
		t.Errorf("App Admin on Access policies: %+v", ps)
	}
	ps = c.CheckRoles(ScopeAccount, []string{"access for infrastructure target admin"})
	if len(ps) != 1 || ps[0].Code != CodeRoleWrongScope ||
		!strings.Contains(ps[0].Detail, "put it in a policy with infrastructure_target_ids (or a cfiam_infrastructure_target_binding)") {
		t.Errorf("target role account-wide: %+v", ps)
	}
	if ps := c.CheckRolesIn([]Scope{ScopeAccessServiceToken}, []string{"Cloudflare Access Service Token Admin"}); len(ps) != 0 {
		t.Errorf("service token role on service tokens: %+v", ps)
	}
	_, p := MemberPolicyKinds(false, []Scope{ScopeAccessApplication, ScopeTunnel})
	if p == nil || p.Code != "member_policy_mixes_resource_kinds" || !strings.Contains(p.Detail, "tunnel_ids and access_application_ids") {
		t.Errorf("Access applications with Tunnels: %+v", p)
	}
	_, p = MemberPolicyKinds(true, []Scope{ScopeAccessIdentityProvider})
	if p == nil || p.Code != "member_policy_mixes_zones_and_access_identity_providers" {
		t.Errorf("zones with identity providers: %+v", p)
	}
	if !RoleAppliesTo(ScopeAccessApplication, []Scope{ScopeAccessApplication}) || RoleAppliesTo(ScopeAccessApplication, []Scope{ScopeAccessPolicy}) {
		t.Error("RoleAppliesTo on Access kinds")
	}
}

// An application's own Access policy is reached through the application
// (resource-scoped-kinds.md: App Admin's policy list "includes the policies
// attached directly to that application"); a reusable policy is not; a deny
// bound to the attached policy wins.
func TestEffectiveAttachedAccess(t *testing.T) {
	const app, own, reusable = "app-1", "own-1", "reusable-1"
	parents := map[string]string{own: app}
	appAdmin := boundGrant(t, EffectAllow, "Cloudflare Access App Admin", ScopeAccessApplication, app)
	got := EffectiveAttachedAccess([]Grant{appAdmin}, []string{own, reusable}, ScopeAccessPolicy, parents)
	if got[own].Access != AccessEdit || got[reusable].Access != AccessNone {
		t.Errorf("App Admin on the application: own %s, reusable %s; want edit, none", got[own].Access, got[reusable].Access)
	}
	deny := boundGrant(t, EffectDeny, "Cloudflare Access Policy Admin", ScopeAccessPolicy, own)
	if got := EffectiveAttachedAccess([]Grant{appAdmin, deny}, []string{own}, ScopeAccessPolicy, parents); got[own].Access != AccessNone {
		t.Errorf("a deny on the policy: %s, want none", got[own].Access)
	}
	if got := EffectiveAttachedAccess([]Grant{appAdmin}, []string{app}, ScopeAccessApplication, parents); got[app].Access != AccessEdit {
		t.Errorf("the application itself: %s, want edit", got[app].Access)
	}
}
