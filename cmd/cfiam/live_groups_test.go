package main

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

const superAdmin = "Super Administrator - All Privileges"

// outsideAccount sets up, in liveEnv's emulator and outside any plan, the
// accepted members carol, dave and erin, and two user groups:
// "outside-admins" (Super Administrator account-wide; carol in it) and
// "billing" (Billing account-wide; dave in it). It returns the members' IDs
// by name and the groups' IDs.
func outsideAccount(t *testing.T) (members map[string]string, outsideAdmins, billing string) {
	t.Helper()
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: os.Getenv("CLOUDFLARE_BASE_URL"), AccountID: emulator.AccountID, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	role := func(name string) string {
		e, err := catalog.Embedded().ResolveRole(name, catalog.ScopeAccount)
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	accountWide := func(roleName string) []cfclient.MemberPolicy {
		return []cfclient.MemberPolicy{{Access: "allow", PermissionGroups: []cfclient.IDRef{{ID: role(roleName)}},
			ResourceGroups: []cfclient.RGRef{{ID: emulator.AccountResourceGroupID}}}}
	}
	members = map[string]string{}
	for _, name := range []string{"carol", "dave", "erin"} {
		// Invited, then accepted as the invitee would: the emulator, as
		// Cloudflare, refuses a direct add as accepted.
		m, err := c.CreateMember(t.Context(), emulator.AccountID, name+"@example.com", "pending", accountWide("Administrator Read Only"))
		if err != nil {
			t.Fatal(err)
		}
		accept, err := http.NewRequestWithContext(t.Context(), http.MethodPost, //nolint:gosec // G704: the test's own in-process emulator
			strings.TrimSuffix(os.Getenv("CLOUDFLARE_BASE_URL"), "/client/v4")+"/__emulator/members/"+m.ID+"/accept", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(accept) //nolint:gosec // G704: the test's own in-process emulator
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("accepting %s's invitation: HTTP %d", name, res.StatusCode)
		}
		members[name] = m.ID
	}
	group := func(name, roleName, member string) string {
		g, err := c.CreateUserGroup(t.Context(), emulator.AccountID, name, accountWide(roleName))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddUserGroupMembers(t.Context(), emulator.AccountID, g.ID, []string{members[member]}); err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	return members, group("outside-admins", superAdmin, "carol"), group("billing", "Billing", "dave")
}

// change is one resource_changes entry of a hand-written plan.
func change(address, typ, action, before, after string) string {
	b := "null"
	if before != "" {
		b = before
	}
	a := "null"
	if after != "" {
		a = after
	}
	return `{"address": "` + address + `", "mode": "managed", "type": "` + typ + `", "name": "x", "change": {"actions": ["` + action + `"],
	  "before": ` + b + `, "after": ` + a + `, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}}`
}

func planOf(changes ...string) string {
	return `{"format_version": "1.2", "planned_values": {}, "resource_changes": [` + strings.Join(changes, ",\n") + `]}`
}

func accountPolicy(roles ...string) string {
	return `[{"access": "allow", "roles": ["` + strings.Join(roles, `", "`) + `"], "zone_ids": null, "tunnel_ids": null, "resource_group_ids": null}]`
}

// TestReview_liveOutsideGroupAlreadyGrants: the plan gives carol Super
// Administrator directly; she holds it already through "outside-admins", a
// group and a membership made outside the plan. Without --live that is an
// escalation; with it, not a new grant: only her Administrator Read Only is
// revoked, and her group's Super Administrator counts as unchanged.
func TestReview_liveOutsideGroupAlreadyGrants(t *testing.T) {
	liveEnv(t)
	members, _, _ := outsideAccount(t)
	member := func(roles ...string) string {
		return `{"id": "` + members["carol"] + `", "account_id": "` + emulator.AccountID + `", "email": "carol@example.com", "status": "accepted", "policies": ` + accountPolicy(roles...) + `}`
	}
	plan := planOf(change("cfiam_account_member.carol", "cfiam_account_member", "update", member("Administrator Read Only"), member(superAdmin)))
	acct := "account " + emulator.AccountID

	_, got := reviewJSON(t, plan, "-")
	want := []string{
		"carol@example.com|grant|" + superAdmin + "|" + acct + "|cfiam_account_member.carol|Super Administrator",
		"carol@example.com|revoke|Administrator Read Only|" + acct + "|cfiam_account_member.carol|",
	}
	if rows := changeRows(got); strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("not live:\n got %s\nwant %s", strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}

	code, got := reviewJSON(t, plan, "--live", "--fail-on", "escalation", "-")
	want = []string{"carol@example.com|revoke|Administrator Read Only|" + acct + "|cfiam_account_member.carol|"}
	if rows := changeRows(got); code != 0 || strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("live: exit %d (want 0: no escalation)\n got %s\nwant %s", code, strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}
	// Unchanged: admin's Super Administrator; carol's, through her group;
	// dave's and erin's Administrator Read Only, dave's Billing.
	unchanged := map[string]int{}
	for _, u := range got.Unchanged {
		unchanged[u.Principal] = u.Grants
	}
	wantUnchanged := map[string]int{emulator.AdminEmail: 1, "carol@example.com": 1, "dave@example.com": 2, "erin@example.com": 1}
	if len(unchanged) != len(wantUnchanged) {
		t.Errorf("unchanged: %v, want %v", unchanged, wantUnchanged)
	}
	for who, n := range wantUnchanged {
		if unchanged[who] != n {
			t.Errorf("unchanged: %v, want %v", unchanged, wantUnchanged)
			break
		}
	}
}

// TestReview_liveGroupPolicyChangeReachesOutsideMembers: the plan (which
// declares group "billing" but none of its memberships) changes its policy
// from Billing to Super Administrator. dave, its member by a membership
// made outside the plan, gains Super Administrator through the group: an
// escalation only --live sees. And a membership the plan adds to
// "outside-admins", a group it does not declare, gives erin that group's
// Super Administrator with --live, where without it the group's grants are
// not known; deleting carol's membership of it (made outside the plan,
// now imported) takes that group's Super Administrator from her.
func TestReview_liveGroupPolicyChangeReachesOutsideMembers(t *testing.T) {
	liveEnv(t)
	members, outsideAdmins, billing := outsideAccount(t)
	group := func(roles ...string) string {
		return `{"id": "` + billing + `", "account_id": "` + emulator.AccountID + `", "name": "billing", "policies": ` + accountPolicy(roles...) + `}`
	}
	plan := planOf(
		change("cfiam_user_group.billing", "cfiam_user_group", "update", group("Billing"), group(superAdmin)),
		change("cfiam_user_group_membership.erin", "cfiam_user_group_membership", "create", "",
			`{"account_id": "`+emulator.AccountID+`", "user_group_id": "`+outsideAdmins+`", "member_id": "`+members["erin"]+`"}`),
		change("cfiam_user_group_membership.carol", "cfiam_user_group_membership", "delete",
			`{"id": "x", "account_id": "`+emulator.AccountID+`", "user_group_id": "`+outsideAdmins+`", "member_id": "`+members["carol"]+`"}`, ""),
	)
	acct := "account " + emulator.AccountID

	_, got := reviewJSON(t, plan, "-")
	for _, r := range changeRows(got) {
		if strings.HasPrefix(r, "dave@example.com|") || strings.HasPrefix(r, "erin@example.com|grant|"+superAdmin) {
			t.Errorf("not live, yet a row the plan alone cannot say: %s", r)
		}
	}

	code, got := reviewJSON(t, plan, "--live", "--fail-on", "escalation", "-")
	want := []string{
		"dave@example.com|grant|" + superAdmin + "|" + acct + "|cfiam_user_group.billing|Super Administrator",
		"erin@example.com|grant|" + superAdmin + "|" + acct + "|cfiam_user_group_membership.erin|Super Administrator",
		`user group "billing"|grant|` + superAdmin + "|" + acct + "|cfiam_user_group.billing|Super Administrator",
		"carol@example.com|revoke|" + superAdmin + "|" + acct + "|cfiam_user_group_membership.carol|",
		"dave@example.com|revoke|Billing|" + acct + "|cfiam_user_group.billing|",
		`user group "billing"|revoke|Billing|` + acct + "|cfiam_user_group.billing|",
	}
	if rows := changeRows(got); code != 1 || strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("live: exit %d (want 1)\n got %s\nwant %s", code, strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}
}
