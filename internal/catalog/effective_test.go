package catalog

import (
	"reflect"
	"testing"
)

const (
	tunA, tunB   = "tunnel-a", "tunnel-b"
	zoneA, zoneB = "zone-a", "zone-b"
)

func accountGrant(t *testing.T, eff Effect, name string) Grant {
	return Grant{Effect: eff, Role: role(t, name, ScopeAccount), Scope: ScopeAccount, ResourceIDs: []string{"acct"}, Via: "acct " + name}
}

func boundGrant(t *testing.T, eff Effect, name string, s Scope, ids ...string) Grant {
	return Grant{Effect: eff, Role: role(t, name, s), Scope: s, ResourceIDs: ids, Via: "bound " + name}
}

// The Tunnel matrix, from tunnel-granular-permissions.txt and account-and-domain-roles.txt.
func TestEffectiveTunnelAccess(t *testing.T) {
	access := accountGrant(t, EffectAllow, "Cloudflare Access") // "Can edit Cloudflare Access and Cloudflare Tunnel."
	read := boundGrant(t, EffectAllow, RoleTunnelInstanceRead, ScopeTunnel, tunA)
	admin := boundGrant(t, EffectAllow, RoleTunnelAdmin, ScopeTunnel, tunA)
	for _, tc := range []struct {
		name       string
		grants     []Grant
		wantA      Access
		wantB      Access
		reasonsA   []string // the roles giving access to A, in order
		deniedB    bool
		accountAll Access
	}{
		{"account role only", []Grant{access}, AccessEdit, AccessEdit, []string{"Cloudflare Access"}, false, AccessEdit},
		{"Tunnel read role only", []Grant{read}, AccessRead, AccessNone, []string{RoleTunnelInstanceRead}, false, AccessNone},
		{"Tunnel admin role only", []Grant{admin}, AccessEdit, AccessNone, []string{RoleTunnelAdmin}, false, AccessNone},
		{"both", []Grant{access, read}, AccessEdit, AccessEdit, []string{"Cloudflare Access", RoleTunnelInstanceRead}, false, AccessEdit},
		{"deny on a Tunnel", []Grant{access, boundGrant(t, EffectDeny, RoleTunnelInstanceRead, ScopeTunnel, tunB)},
			AccessEdit, AccessNone, []string{"Cloudflare Access"}, true, AccessEdit},
		{"deny on every Tunnel", []Grant{access, boundGrant(t, EffectDeny, RoleTunnelAdmin, ScopeTunnel, AllResources)},
			AccessNone, AccessNone, nil, true, AccessEdit},
		{"account-wide deny removes the account grant only", []Grant{access, read, accountGrant(t, EffectDeny, "Cloudflare Access")},
			AccessRead, AccessNone, []string{RoleTunnelInstanceRead}, false, AccessNone},
		{"account-wide deny of another role", []Grant{access, accountGrant(t, EffectDeny, "Administrator")},
			AccessEdit, AccessEdit, []string{"Cloudflare Access"}, false, AccessEdit},
		{"read-only account role", []Grant{accountGrant(t, EffectAllow, "Administrator Read Only")},
			AccessRead, AccessRead, []string{"Administrator Read Only"}, false, AccessRead},
		{"Zero Trust", []Grant{accountGrant(t, EffectAllow, "Cloudflare Zero Trust")},
			AccessEdit, AccessEdit, []string{"Cloudflare Zero Trust"}, false, AccessEdit},
		{"a role that does not cover Tunnels", []Grant{accountGrant(t, EffectAllow, "Minimal Account Access")},
			AccessNone, AccessNone, nil, false, AccessNone},
		{"a Tunnel role bound to every Tunnel", []Grant{boundGrant(t, EffectAllow, RoleTunnelAdmin, ScopeTunnel, AllResources)},
			AccessEdit, AccessEdit, []string{RoleTunnelAdmin}, false, AccessNone},
		{"an account role bound to a Tunnel counts for nothing",
			[]Grant{{Effect: EffectAllow, Role: role(t, "Cloudflare Access", ScopeAccount), Scope: ScopeTunnel, ResourceIDs: []string{tunA}}},
			AccessNone, AccessNone, nil, false, AccessNone},
		{"none", nil, AccessNone, AccessNone, nil, false, AccessNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EffectiveTunnelAccess(tc.grants, []string{tunA, tunB})
			if len(got) != 2 {
				t.Fatalf("want an entry per Tunnel, got %v", got)
			}
			if got[tunA].Access != tc.wantA || got[tunB].Access != tc.wantB {
				t.Errorf("access: A=%s B=%s, want A=%s B=%s", got[tunA].Access, got[tunB].Access, tc.wantA, tc.wantB)
			}
			var roles []string
			for _, r := range got[tunA].Reasons {
				roles = append(roles, r.Role)
			}
			if !reflect.DeepEqual(roles, tc.reasonsA) {
				t.Errorf("reasons for A: %v, want %v", roles, tc.reasonsA)
			}
			if (len(got[tunB].Denied) > 0) != tc.deniedB {
				t.Errorf("denied for B: %+v", got[tunB].Denied)
			}
			if a := AccountTunnelAccess(tc.grants).Access; a != tc.accountAll {
				t.Errorf("AccountTunnelAccess = %s, want %s", a, tc.accountAll)
			}
		})
	}
}

// Mesh nodes follow the Tunnel matrix (issue #17): the account roles that
// cover Tunnels cover every Mesh node; a Mesh node role gives access to the
// nodes it is bound to; a Tunnel role gives none to a Mesh node (nor a Mesh
// role to a Tunnel), even bound in one policy that names both.
func TestEffectiveMeshNodeAccess(t *testing.T) {
	const meshA, meshB = "mesh-a", "mesh-b"
	ids := []string{meshA, meshB}
	for _, tc := range []struct {
		name         string
		grants       []Grant
		wantA, wantB Access
		accountAll   Access
	}{
		{"Cloudflare Access", []Grant{accountGrant(t, EffectAllow, "Cloudflare Access")}, AccessEdit, AccessEdit, AccessEdit},
		{"Zero Trust Read Only", []Grant{accountGrant(t, EffectAllow, "Cloudflare Zero Trust Read Only")}, AccessRead, AccessRead, AccessRead},
		{"Mesh read on A", []Grant{boundGrant(t, EffectAllow, RoleMeshNodeRead, ScopeMeshNode, meshA)}, AccessRead, AccessNone, AccessNone},
		{"Mesh admin on A", []Grant{boundGrant(t, EffectAllow, RoleMeshNodeAdmin, ScopeMeshNode, meshA)}, AccessEdit, AccessNone, AccessNone},
		{"a Tunnel role bound to a Mesh node counts for nothing",
			[]Grant{{Effect: EffectAllow, Role: role(t, RoleTunnelAdmin, ScopeTunnel), Scope: ScopeMeshNode, ResourceIDs: []string{meshA}}},
			AccessNone, AccessNone, AccessNone},
		{"a Tunnel role on Tunnels gives no Mesh node", []Grant{boundGrant(t, EffectAllow, RoleTunnelAdmin, ScopeTunnel, AllResources)},
			AccessNone, AccessNone, AccessNone},
		{"deny on B", []Grant{accountGrant(t, EffectAllow, "Cloudflare Access"), boundGrant(t, EffectDeny, RoleMeshNodeRead, ScopeMeshNode, meshB)},
			AccessEdit, AccessNone, AccessEdit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EffectiveResourceAccess(tc.grants, ids, ScopeMeshNode)
			if got[meshA].Access != tc.wantA || got[meshB].Access != tc.wantB {
				t.Errorf("access: A=%s B=%s, want A=%s B=%s", got[meshA].Access, got[meshB].Access, tc.wantA, tc.wantB)
			}
			if a := AccountResourceAccess(tc.grants, ScopeMeshNode).Access; a != tc.accountAll {
				t.Errorf("AccountResourceAccess = %s, want %s", a, tc.accountAll)
			}
		})
	}
	// And a Mesh node role gives nothing on Tunnels.
	if got := EffectiveTunnelAccess([]Grant{{Effect: EffectAllow, Role: role(t, RoleMeshNodeAdmin, ScopeMeshNode), Scope: ScopeTunnel,
		ResourceIDs: []string{tunA}}}, []string{tunA}); got[tunA].Access != AccessNone {
		t.Errorf("a Mesh role bound to a Tunnel: %+v", got)
	}
}

func TestEffectiveTunnelAccessReasons(t *testing.T) {
	g := boundGrant(t, EffectAllow, RoleTunnelInstanceRead, ScopeTunnel, tunA)
	g.Via = "binding app-team"
	got := EffectiveTunnelAccess([]Grant{g}, []string{tunA})[tunA]
	want := AccessWithReasons{Access: AccessRead, Reasons: []Reason{{Role: RoleTunnelInstanceRead, RoleID: g.Role.ID,
		Scope: ScopeTunnel, Access: AccessRead, Via: "binding app-team"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestEffectiveZoneAccess(t *testing.T) {
	for _, tc := range []struct {
		name         string
		grants       []Grant
		wantA, wantB Access
	}{
		{"Super Administrator", []Grant{accountGrant(t, EffectAllow, RoleSuperAdministrator)}, AccessEdit, AccessEdit},
		{"Administrator Read Only", []Grant{accountGrant(t, EffectAllow, "Administrator Read Only")}, AccessRead, AccessRead},
		{"Cloudflare Access", []Grant{accountGrant(t, EffectAllow, "Cloudflare Access")}, AccessNone, AccessNone},
		{"Minimal Account Access", []Grant{accountGrant(t, EffectAllow, "Minimal Account Access")}, AccessNone, AccessNone},
		{"a domain role on one zone", []Grant{boundGrant(t, EffectAllow, "Domain DNS", ScopeZone, zoneA)}, AccessRead, AccessNone},
		{"Domain Administrator", []Grant{boundGrant(t, EffectAllow, "Domain Administrator", ScopeZone, zoneA)}, AccessEdit, AccessNone},
		{"a zone deny", []Grant{accountGrant(t, EffectAllow, "Administrator"), boundGrant(t, EffectDeny, "Domain DNS", ScopeZone, zoneB)},
			AccessEdit, AccessNone},
		{"a Tunnel grant gives no zone", []Grant{boundGrant(t, EffectAllow, RoleTunnelAdmin, ScopeTunnel, AllResources)}, AccessNone, AccessNone},
	} {
		got := EffectiveZoneAccess(tc.grants, []string{zoneA, zoneB})
		if got[zoneA].Access != tc.wantA || got[zoneB].Access != tc.wantB {
			t.Errorf("%s: A=%s B=%s, want A=%s B=%s", tc.name, got[zoneA].Access, got[zoneB].Access, tc.wantA, tc.wantB)
		}
	}
}

func TestAccountAllowsAndSuperAdministrator(t *testing.T) {
	super := accountGrant(t, EffectAllow, RoleSuperAdministrator)
	admin := accountGrant(t, EffectAllow, "Administrator")
	if !AccountAllows([]Grant{super}, OpMembersWrite) || AccountAllows([]Grant{admin}, OpMembersWrite) {
		t.Error("membership writes: Super Administrator only")
	}
	if !AccountAllows([]Grant{admin}, OpResourceGroupsWrite) {
		t.Error("Administrator cannot write resource groups")
	}
	denied := []Grant{super, accountGrant(t, EffectDeny, RoleSuperAdministrator)}
	if AccountAllows(denied, OpMembersRead) || HoldsSuperAdministrator(denied) {
		t.Error("an account-wide deny of Super Administrator left it")
	}
	if !HoldsSuperAdministrator([]Grant{admin, super}) || HoldsSuperAdministrator([]Grant{admin}) {
		t.Error("HoldsSuperAdministrator")
	}
	// A domain role bound to zones allows nothing account-wide.
	if AccountAllows([]Grant{boundGrant(t, EffectAllow, "Domain Administrator", ScopeZone, AllResources)}, OpZonesRead) {
		t.Error("a zone-bound grant allowed an account-wide operation")
	}
}
