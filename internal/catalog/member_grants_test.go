package catalog

import "testing"

func TestMemberGrants(t *testing.T) {
	cat := Embedded()
	byID := func(id string) (Entry, bool) { return cat.ByID(id) }
	access, _ := cat.ResolveRole("Cloudflare Access", ScopeAccount)
	read, _ := cat.ResolveRole(RoleTunnelInstanceRead, ScopeTunnel)
	const tun1, tun2 = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415", "2d5a8c1e-7b3f-4e9a-8c6d-1f0e2b3a4c5d"
	policies := []APIPolicy{
		{ID: "p1", Access: "allow", RoleIDs: []string{read.ID, "unknown-role"},
			ResourceGroups: [][]string{{ResourceKey(ScopeTunnel, tun1)}, {ResourceKey(ScopeTunnel, tun2)}}},
		{ID: "p2", Access: "deny", RoleIDs: []string{access.ID}, ResourceGroups: [][]string{{ResourceKey(ScopeAccount, "acct")}}},
		// A group mixing kinds, and one with a bad key, grant nothing.
		{ID: "p3", Access: "allow", RoleIDs: []string{access.ID},
			ResourceGroups: [][]string{{ResourceKey(ScopeAccount, "acct"), ResourceKey(ScopeTunnel, tun1)}, {"bogus"}, {}}},
	}
	got := MemberGrants(true, "acct", []string{access.ID}, policies, byID)
	if len(got) != 4 {
		t.Fatalf("got %d grants, want 4: %+v", len(got), got)
	}
	if got[0].Via != ViaLegacyRoles || got[0].Scope != ScopeAccount || got[0].Role.ID != access.ID {
		t.Errorf("legacy role grant: %+v", got[0])
	}
	for _, g := range got[1:3] {
		if g.Via != ViaPolicy("p1") || g.Scope != ScopeTunnel || g.Effect != EffectAllow || len(g.ResourceIDs) != 1 {
			t.Errorf("binding grant: %+v", g)
		}
	}
	if id, ok := PolicyIDFromVia(got[3].Via); !ok || id != "p2" || got[3].Effect != EffectDeny {
		t.Errorf("deny grant: %+v", got[3])
	}
	// The account-wide deny removes the legacy Cloudflare Access; the binding stays.
	eff := EffectiveTunnelAccess(got, []string{tun1, tun2})
	if eff[tun1].Access != AccessRead || eff[tun2].Access != AccessRead {
		t.Errorf("effective access: %+v", eff)
	}
	if MemberGrants(false, "acct", []string{access.ID}, policies, byID) != nil {
		t.Error("a member who has not accepted holds nothing")
	}
	if _, ok := PolicyIDFromVia(ViaLegacyRoles); ok {
		t.Error("legacy roles have no policy ID")
	}
}
