package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// liveEnv points --live at a fresh in-process emulator as its seeded Super
// Administrator.
func liveEnv(t *testing.T) {
	t.Helper()
	srv := httptest.NewServer(emulator.New())
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"CLOUDFLARE_API_TOKEN": emulator.AdminToken, "CLOUDFLARE_BASE_URL": srv.URL + "/client/v4",
		"CLOUDFLARE_ACCOUNT_ID": "", "CLOUDFLARE_API_KEY": "", "CLOUDFLARE_EMAIL": "",
	} {
		t.Setenv(k, v)
	}
}

type jsonOut struct {
	Findings  []struct{ Code, Address, Path string }
	Changes   []struct{ Principal, Change, Role, Scope, Via, Escalation string }
	Unchanged []struct {
		Principal string
		Grants    int
	}
	Coverage string
}

func reviewJSON(t *testing.T, stdin string, args ...string) (int, jsonOut) {
	t.Helper()
	code, out, stderr := cfiam(t, stdin, append([]string{"review", "--format", "json"}, args...)...)
	var got jsonOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s\nstderr: %s", err, out, stderr)
	}
	return code, got
}

func changeRows(o jsonOut) []string {
	var rows []string
	for _, c := range o.Changes {
		rows = append(rows, strings.Join([]string{c.Principal, c.Change, c.Role, c.Scope, c.Via, c.Escalation}, "|"))
	}
	return rows
}

// TestReview_live: with --live, the emulator's account-wide resource group
// (seeded, 6d7f…) is named as the account, and its seeded Super
// Administrator (admin@example.com, outside the plan) counts as unchanged.
func TestReview_live(t *testing.T) {
	liveEnv(t)
	_, got := reviewJSON(t, "", "--live", fixtures+"member-escalation/plan.json")
	want := []string{
		"alice@example.com|grant|Super Administrator - All Privileges|account " + emulator.AccountID + "|cloudflare_account_member.alice|Super Administrator",
		// 47fbf718… was created for the fixture's run: a fresh emulator does not hold it.
		"bob@example.com|grant|Domain DNS|resource group 47fbf7185b0b6f0c0f1bc7659336079e|cloudflare_account_member.bob|",
		"alice@example.com|revoke|Administrator Read Only|account " + emulator.AccountID + "|cloudflare_account_member.alice|",
	}
	if rows := changeRows(got); strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n got %s\nwant %s", strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}
	if len(got.Unchanged) != 1 || got.Unchanged[0].Principal != emulator.AdminEmail || got.Unchanged[0].Grants != 1 {
		t.Errorf("unchanged: %+v, want the seeded admin's one grant", got.Unchanged)
	}
	if !strings.Contains(got.Coverage, "Live mode") {
		t.Errorf("coverage: %q", got.Coverage)
	}
}

// TestReview_liveLastSuperAdministrator: the plan removes the Super
// Administrator of admin@example.com, the account's only one: blocking with
// and without --live. Removing alice's (the plan's only one) is blocking
// without --live, and not with it: the seeded admin keeps it.
func TestReview_liveLastSuperAdministrator(t *testing.T) {
	liveEnv(t)
	plan := "../../internal/review/testdata/cfiam-plans/last-super-admin.json"
	for _, live := range []bool{false, true} {
		args := []string{plan}
		if live {
			args = []string{"--live", plan}
		}
		if code, got := reviewJSON(t, "", args...); code != 1 || len(got.Findings) != 1 || got.Findings[0].Code != "loses_last_super_administrator" {
			t.Errorf("live %v: exit %d, findings %+v", live, code, got.Findings)
		}
	}
	alicePlan := strings.NewReplacer("admin@example.com", "alice@example.com", "4536bcfad5faccb111b47003c79917fa", "8a3546a494c9edeb634ef9dc31dcff63")
	data := mustRead(t, plan)
	if code, got := reviewJSON(t, alicePlan.Replace(data), "-"); code != 1 || len(got.Findings) != 1 {
		t.Errorf("alice, not live: exit %d, findings %+v", code, got.Findings)
	}
	if code, got := reviewJSON(t, alicePlan.Replace(data), "--live", "-"); code != 0 || len(got.Findings) != 0 {
		t.Errorf("alice, live: exit %d, findings %+v, want none: admin@example.com keeps Super Administrator", code, got.Findings)
	}
}

// TestReview_liveDomainRoleOnAccountGroup: a domain role on the account-wide
// resource group is a finding once --live says what the group holds.
func TestReview_liveDomainRoleOnAccountGroup(t *testing.T) {
	liveEnv(t)
	plan := `{"format_version": "1.2", "planned_values": {}, "resource_changes": [{"address": "cfiam_account_member.dana", "mode": "managed",
	  "type": "cfiam_account_member", "change": {"actions": ["create"], "before": null,
	  "after": {"account_id": "` + emulator.AccountID + `", "email": "dana@example.com", "status": "accepted",
	    "policies": [{"access": "allow", "roles": ["Domain DNS"], "resource_group_ids": ["` + emulator.AccountResourceGroupID + `"], "zone_ids": null, "tunnel_ids": null}]},
	  "after_unknown": {"id": true}, "before_sensitive": false, "after_sensitive": {}}}]}`
	if _, got := reviewJSON(t, plan, "-"); len(got.Findings) != 0 {
		t.Errorf("not live: findings %+v, want none (the plan does not say what the group holds)", got.Findings)
	}
	code, got := reviewJSON(t, plan, "--live", "-")
	if code != 1 || len(got.Findings) != 1 || got.Findings[0].Code != "role_wrong_scope" || got.Findings[0].Address != "cfiam_account_member.dana" {
		t.Errorf("live: exit %d, findings %+v", code, got.Findings)
	}
}

func TestReview_liveWithoutCredentials(t *testing.T) {
	t.Setenv("CLOUDFLARE_API_TOKEN", "")
	t.Setenv("CLOUDFLARE_API_KEY", "")
	code, out, stderr := cfiam(t, "", "review", "--live", fixtures+"member-revoked/plan.json")
	if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "CLOUDFLARE_API_TOKEN") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
