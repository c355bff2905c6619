package catalog

import (
	"slices"
	"testing"
)

// IDs written out by hand (Cloudflare's role IDs), not looked up by the code
// under test.
const (
	superAdminID = "8941eae4a66e38162db373df3d63db2e"
	accessRoleID = "00d9c7b7d16cfe88a3980e5a42791df7"
	testTunnel   = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
)

func embeddedByID(id string) (Entry, bool) { return Embedded().ByID(id) }

func TestViaGroup_roundTrip(t *testing.T) {
	via := ViaGroup(`platform "admins"`, "p1")
	if via != `group "platform \"admins\"" policy p1` {
		t.Errorf("ViaGroup = %s", via)
	}
	name, id, ok := GroupFromVia(via)
	if !ok || name != `platform "admins"` || id != "p1" {
		t.Errorf("GroupFromVia = %q %q %v", name, id, ok)
	}
	for _, bad := range []string{ViaPolicy("p1"), ViaLegacyRoles, `group "unterminated`, `group "x" p1`} {
		if _, _, ok := GroupFromVia(bad); ok {
			t.Errorf("GroupFromVia(%q) parsed", bad)
		}
	}
}

func TestAccountAccess_grantsThroughGroups(t *testing.T) {
	a := AccountAccess{
		AccountID: "acct",
		Members: []AccountMember{
			{ID: "m1", Accepted: true},
			{ID: "m2", Accepted: false},
		},
		Groups: []AccountGroup{{
			ID: "g1", Name: "platform-admins", MemberIDs: []string{"M1", "m2"},
			Policies: []APIPolicy{AccountWidePolicy("acct", "allow", []string{accessRoleID})},
		}},
	}
	m1, _ := a.Member("m1")
	got := a.MemberGrants(m1, embeddedByID)
	if len(got) != 1 || got[0].Role.Name != "Cloudflare Access" || got[0].Via != `group "platform-admins" policy ` {
		t.Fatalf("m1's grants: %+v", got)
	}
	// A Tunnel reached only through the group, naming it.
	eff := EffectiveTunnelAccess(got, []string{testTunnel})[testTunnel]
	if eff.Access != AccessEdit || len(eff.Reasons) != 1 {
		t.Fatalf("Tunnel access through the group: %+v", eff)
	}
	if name, _, ok := GroupFromVia(eff.Reasons[0].Via); !ok || name != "platform-admins" {
		t.Errorf("reason does not name the group: %+v", eff.Reasons[0])
	}
	m2, _ := a.Member("m2")
	if g := a.MemberGrants(m2, embeddedByID); len(g) != 0 {
		t.Errorf("a member who has not accepted holds nothing through a group: %+v", g)
	}
	// A deny in the member's own policies removes what the group allows.
	m1.Policies = []APIPolicy{AccountWidePolicy("acct", "deny", []string{accessRoleID})}
	if AccountTunnelAccess(a.MemberGrants(m1, embeddedByID)).Access != AccessNone {
		t.Error("the member's own deny did not remove the group's allow")
	}
}

func TestAccountAccess_superAdministratorsThroughGroups(t *testing.T) {
	sa := []APIPolicy{AccountWidePolicy("acct", "allow", []string{superAdminID})}
	a := AccountAccess{
		AccountID: "acct",
		Members: []AccountMember{
			{ID: "direct", Accepted: true, Policies: sa},
			{ID: "viagroup", Accepted: true},
			{ID: "pending", Accepted: false},
			{ID: "plain", Accepted: true},
		},
		Groups: []AccountGroup{{ID: "g1", Name: "owners", Policies: sa, MemberIDs: []string{"viagroup", "pending"}}},
	}
	if got := a.SuperAdministrators(embeddedByID); !slices.Equal(got, []string{"direct", "viagroup"}) {
		t.Fatalf("SuperAdministrators = %v, want [direct viagroup]", got)
	}

	// The direct one leaves: the member held through the group still counts.
	withoutDirect := a.WithoutMember("direct")
	if a.LosesLastSuperAdministrator(withoutDirect, embeddedByID) {
		t.Error("the member holding Super Administrator through a group was not counted")
	}
	// Then the group loses its policy, or its member, or goes: the last one is lost.
	for name, after := range map[string]AccountAccess{
		"group policy removed":  withoutDirect.WithGroupPolicies("G1", nil),
		"group emptied":         withoutDirect.WithGroupMembers("g1", nil),
		"member left group":     withoutDirect.WithoutGroupMember("g1", "VIAGROUP"),
		"group deleted":         withoutDirect.WithoutGroup("g1"),
		"member deleted":        withoutDirect.WithoutMember("viagroup"),
		"group replaced, empty": withoutDirect.WithGroup(AccountGroup{ID: "g1", Name: "owners", Policies: sa}),
	} {
		if !withoutDirect.LosesLastSuperAdministrator(after, embeddedByID) {
			t.Errorf("%s: the last Super Administrator's loss was not seen", name)
		}
	}
	// A change to a group that is not there changes nothing.
	if withoutDirect.LosesLastSuperAdministrator(withoutDirect.WithGroupPolicies("nope", nil), embeddedByID) {
		t.Error("changing an unknown group took Super Administrator away")
	}
	// Another member leaving the group keeps it.
	if withoutDirect.LosesLastSuperAdministrator(withoutDirect.WithoutGroupMember("g1", "pending"), embeddedByID) {
		t.Error("a pending member leaving the group took Super Administrator away")
	}
	// An account that had none loses none.
	none := AccountAccess{AccountID: "acct", Members: []AccountMember{{ID: "plain", Accepted: true}}}
	if none.LosesLastSuperAdministrator(none.WithoutMember("plain"), embeddedByID) {
		t.Error("an account with no Super Administrator cannot lose its last")
	}
	// The copies do not change the original.
	if len(a.Members) != 4 || len(a.Groups[0].MemberIDs) != 2 {
		t.Errorf("With*/Without* changed the original: %+v", a)
	}
}
