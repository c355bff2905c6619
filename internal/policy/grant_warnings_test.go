package policy

import (
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Cloudflare's role IDs, written out by hand from the role catalog (not
// looked up by the code under test).
const (
	superAdminRoleID = "8941eae4a66e38162db373df3d63db2e"
	piiRoleID        = "b0ce40ae96fb8b3052e3dfc2c56e1b26"
	analystRoleID    = "ca0da582dd3395a0dbbec804256132a2"
)

func entry(t *testing.T, id string) catalog.Entry {
	t.Helper()
	e, ok := catalog.Embedded().ByID(id)
	if !ok {
		t.Fatalf("role %s is not in the embedded catalog", id)
	}
	return e
}

// Roles a member holds through a group count as held before and after its
// own change.
func TestMemberGrantWarnings_heldThroughGroups(t *testing.T) {
	cat := catalog.Embedded()
	analyst := MemberPolicy{Roles: Set("Email Security Analyst")}
	super := MemberPolicy{Roles: Set("Super Administrator - All Privileges")}
	admin := MemberPolicy{Roles: Set("Administrator")}
	logShare := MemberPolicy{Roles: Set("Log Share")}
	pii, sa := entry(t, piiRoleID), entry(t, superAdminRoleID)
	for _, tc := range []struct {
		name      string
		plan      []MemberPolicy
		elsewhere []catalog.Entry
		want      []string
	}{
		{"PII through a group", []MemberPolicy{analyst}, []catalog.Entry{pii}, nil},
		{"Super Administrator already through a group", []MemberPolicy{super}, []catalog.Entry{sa}, nil},
		{"Super Administrator through a group covers the Logpush gap", []MemberPolicy{admin, logShare}, []catalog.Entry{sa}, nil},
		{"a group's role that needs PII, without it", nil, []catalog.Entry{entry(t, analystRoleID)}, []string{`policies role_needs_zero_trust_pii warning`}},
		{"an unrelated group role changes nothing", []MemberPolicy{super}, []catalog.Entry{pii}, []string{`policies grants_super_administrator warning`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, MemberGrantWarnings(cat, GranteeMember, tc.plan, nil, tc.elsewhere), tc.want...)
		})
	}
}

func TestMemberGrantWarnings_groupWords(t *testing.T) {
	cat := catalog.Embedded()
	ps := MemberGrantWarnings(cat, GranteeGroup, []MemberPolicy{{Roles: Set("Super Administrator - All Privileges")}}, nil, nil)
	if len(ps) != 1 || !strings.HasPrefix(ps[0].Detail, "This change makes every member of this group a Super Administrator,") {
		t.Errorf("a group's Super Administrator warning: %+v", ps)
	}
	ps = MemberGrantWarnings(cat, GranteeGroup, []MemberPolicy{{Roles: Set("Email Security Analyst")}}, nil, nil)
	if len(ps) != 1 || !strings.Contains(ps[0].Detail, "which this group does not grant") {
		t.Errorf("a group's PII warning: %+v", ps)
	}
	ps = MemberGrantWarnings(cat, GranteeGroup, []MemberPolicy{{Roles: Set("Administrator")}}, nil, nil)
	if len(ps) != 1 || !strings.HasPrefix(ps[0].Detail, `With "Administrator" the group's members may edit Logpush jobs`) {
		t.Errorf("a group's Logpush warning: %+v", ps)
	}
}

func TestHeldRoles_afterAccountWideDenies(t *testing.T) {
	sa, pii := entry(t, superAdminRoleID), entry(t, piiRoleID)
	grants := []catalog.Grant{
		{Effect: catalog.EffectAllow, Role: sa, Scope: catalog.ScopeAccount, Via: "a"},
		{Effect: catalog.EffectAllow, Role: pii, Scope: catalog.ScopeAccount, Via: "b"},
		{Effect: catalog.EffectAllow, Role: pii, Scope: catalog.ScopeAccount, Via: "c"},
		{Effect: catalog.EffectDeny, Role: sa, Scope: catalog.ScopeAccount, Via: "d"},
	}
	got := HeldRoles(grants)
	if len(got) != 1 || got[0].Name != "Cloudflare Zero Trust PII" {
		t.Errorf("HeldRoles = %+v", got)
	}
}

func TestMembershipGrantWarnings(t *testing.T) {
	role := catalog.Embedded().ByID
	admins := catalog.AccountGroup{ID: "g-admins", Name: "admins",
		Policies: []catalog.APIPolicy{catalog.AccountWidePolicy("acct", "allow", []string{superAdminRoleID})}}
	analysts := catalog.AccountGroup{ID: "g-analysts", Name: "analysts",
		Policies: []catalog.APIPolicy{catalog.AccountWidePolicy("acct", "allow", []string{analystRoleID})}}
	before := catalog.AccountAccess{AccountID: "acct",
		Members: []catalog.AccountMember{
			{ID: "alice", Accepted: true},
			{ID: "bob", Accepted: true, Policies: []catalog.APIPolicy{catalog.AccountWidePolicy("acct", "allow", []string{superAdminRoleID})}},
			{ID: "carol", Accepted: false},
			{ID: "dave", Accepted: true, Policies: []catalog.APIPolicy{catalog.AccountWidePolicy("acct", "allow", []string{piiRoleID})}},
		},
		Groups: []catalog.AccountGroup{admins, analysts},
	}
	name := func(id string) string { return id + "@example.com" }
	at := Path{Policy: Whole, Attribute: "member_ids"}

	after := before.WithGroupMembers("g-admins", []string{"alice", "bob", "carol"})
	ps := MembershipGrantWarnings(before, after, []string{"alice", "bob", "carol"}, role, name, at)
	// bob is one already; carol has not accepted and holds nothing.
	expect(t, ps, `member_ids grants_super_administrator warning`)
	if !strings.HasPrefix(ps[0].Detail, `This change makes member "alice@example.com" a Super Administrator,`) {
		t.Errorf("the warning names the member: %s", ps[0].Detail)
	}

	after = before.WithGroupMembers("g-analysts", []string{"alice", "dave"})
	// dave holds the PII role himself.
	ps = MembershipGrantWarnings(before, after, []string{"alice", "dave"}, role, name, at)
	expect(t, ps, `member_ids role_needs_zero_trust_pii warning`)
	if !strings.Contains(ps[0].Detail, `which member "alice@example.com" does not hold`) {
		t.Errorf("the warning names the member: %s", ps[0].Detail)
	}

	// A member who needed PII before joining is not this change's to report.
	gapBefore := before.WithGroupMembers("g-analysts", []string{"alice"})
	ps = MembershipGrantWarnings(gapBefore, gapBefore.WithGroupMembers("g-admins", []string{"alice"}), []string{"alice"}, role, name, at)
	expect(t, ps, `member_ids grants_super_administrator warning`)
}
