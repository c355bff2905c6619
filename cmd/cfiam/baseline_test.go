package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	acctGroup = "6d7f2f5f5b1d4a0c9b8e7a6d5c4b3a21" // the emulator's account-wide resource group
	zoneGroup = "47fbf7185b0b6f0c0f1bc7659336079e" // member-escalation's zone resource group
)

// The baseline written from member-escalation's end state, by hand from its
// main.tf: alice's Super Administrator and bob's Domain DNS, each on its
// resource group, sorted by principal.
const escalationBaseline = `{
  "version": 1,
  "grants": [
    {
      "principal_kind": "member",
      "principal": "alice@example.com",
      "role": "Super Administrator - All Privileges",
      "scope": "resource_group:` + acctGroup + `",
      "access": "allow"
    },
    {
      "principal_kind": "member",
      "principal": "bob@example.com",
      "role": "Domain DNS",
      "scope": "resource_group:` + zoneGroup + `",
      "access": "allow"
    }
  ]
}
`

type baselineOut struct {
	Findings []struct{ Code, Address, Message string }
	Baseline *struct {
		Accepted      int `json:"accepted"`
		NotInBaseline int `json:"not_in_baseline"`
		Expired       int `json:"expired"`
	}
}

func reviewBaseline(t *testing.T, args ...string) (int, baselineOut) {
	t.Helper()
	code, out, stderr := cfiam(t, "", append([]string{"review", "--format", "json"}, args...)...)
	var got baselineOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s\nstderr: %s", err, out, stderr)
	}
	return code, got
}

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "baseline.json")
	plan := fixtures + "member-escalation/plan.json"

	// Written from the end state: sorted, only what the plan gives.
	if code, _, stderr := cfiam(t, "", "review", "--write-baseline", file, plan); code != 0 || !strings.Contains(stderr, "wrote the baseline") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if got := mustRead(t, file); got != escalationBaseline {
		t.Errorf("baseline:\n%s\nwant\n%s", got, escalationBaseline)
	}

	// The same plan against it: everything accepted.
	code, got := reviewBaseline(t, "--baseline", file, plan)
	if code != 0 || len(got.Findings) != 0 || got.Baseline == nil || got.Baseline.Accepted != 2 || got.Baseline.Expired != 0 {
		t.Errorf("exit %d, %+v", code, got)
	}

	// An empty baseline: both grants are new access, blocking.
	empty := writeFile(t, "empty.json", `{"version": 1, "grants": []}`)
	code, got = reviewBaseline(t, "--baseline", empty, plan)
	if code != 1 || len(got.Findings) != 2 || got.Baseline.NotInBaseline != 2 || got.Baseline.Accepted != 0 {
		t.Errorf("empty baseline: exit %d, %+v", code, got)
	}
	for _, f := range got.Findings {
		if f.Code != "baseline.not_in_baseline" || !strings.HasPrefix(f.Address, "cloudflare_account_member.") {
			t.Errorf("finding %+v", f)
		}
	}
	if code, _, _ := cfiam(t, "", "review", "--fail-on", "never", "--baseline", empty, plan); code != 0 {
		t.Errorf("--fail-on never: exit %d", code)
	}

	// alice's entry expired yesterday... in 2000; bob's carries a reason and
	// expires in 2999: one accepted, one expired entry, alice's grant a finding.
	edited := strings.Replace(escalationBaseline, `"access": "allow"
    },`, `"access": "allow",
      "expires": "2000-01-01"
    },`, 1)
	edited = strings.Replace(edited, `"scope": "resource_group:`+zoneGroup+`",
      "access": "allow"`, `"scope": "resource_group:`+zoneGroup+`",
      "access": "allow",
      "reason": "DNS on call",
      "expires": "2999-12-31"`, 1)
	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	code, got = reviewBaseline(t, "--baseline", file, plan)
	if code != 1 || got.Baseline.Accepted != 1 || got.Baseline.Expired != 1 || len(got.Findings) != 1 ||
		got.Findings[0].Address != "cloudflare_account_member.alice" || !strings.Contains(got.Findings[0].Message, "expired on 2000-01-01") {
		t.Errorf("expired entry: exit %d, %+v", code, got)
	}
	_, md, _ := cfiam(t, "", "review", "--baseline", file, plan)
	if !strings.Contains(md, "Baseline: 1 grants accepted, 1 not in it, 1 entries expired.") {
		t.Errorf("markdown does not count the baseline:\n%s", md)
	}

	// Rewritten over itself, the reasons and expiry days stay.
	if code, _, stderr := cfiam(t, "", "review", "--write-baseline", file, plan); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if got := mustRead(t, file); got != edited {
		t.Errorf("rewritten baseline:\n%s\nwant\n%s", got, edited)
	}
}

// --live: the baseline holds the account's grants outside the plan too.
func TestBaseline_live(t *testing.T) {
	liveEnv(t)
	file := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := cfiam(t, "", "review", "--live", "--fail-on", "never", "--write-baseline", file, fixtures+"member-escalation/plan.json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The emulator's seeded admin, outside the plan; the account-wide
	// resource group named as the account.
	if got := mustRead(t, file); !strings.Contains(got, `"principal": "admin@example.com"`) || !strings.Contains(got, `"scope": "account:f037e56e89293a057740de681ac9abbe"`) {
		t.Errorf("live baseline:\n%s", got)
	}
	// Against it, nothing is new (bob's resource group is not in this
	// emulator: a finding of its own, not the baseline's).
	code, got := reviewBaseline(t, "--live", "--fail-on", "never", "--baseline", file, fixtures+"member-escalation/plan.json")
	if code != 0 || len(got.Findings) != 1 || got.Findings[0].Code != "unknown_resource_group" || got.Baseline.Accepted < 3 || got.Baseline.NotInBaseline != 0 {
		t.Errorf("exit %d, %+v", code, got)
	}
}

func TestBaseline_malformed(t *testing.T) {
	for _, tc := range []struct{ name, text, mention string }{
		{"not JSON", "{\n  \"version\": 1,\n  \"grants\": [\n    {,\n  ]\n}\n", "line 4"},
		{"wrong type", "{\n  \"version\": \"1\"\n}\n", "line 2"},
		{"unknown field", `{"version": 1, "grants": [], "extra": true}`, "extra"},
		{"version", `{"version": 2, "grants": []}`, "version 2"},
		{"missing field", `{"version": 1, "grants": [{"principal_kind": "member", "principal": "a@example.com"}]}`, "grants[0]"},
		{"bad date", `{"version": 1, "grants": [{"principal_kind": "member", "principal": "a@example.com", "role": "Billing", "scope": "account:x", "access": "allow", "expires": "31/12/2026"}]}`, "YYYY-MM-DD"},
		{"empty", ``, "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "baseline.json", tc.text)
			code, out, stderr := cfiam(t, "", "review", "--baseline", path, fixtures+"member-revoked/plan.json")
			if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, path) || !strings.Contains(stderr, tc.mention) {
				t.Errorf("exit %d, stdout %q, stderr %q: want exit 2 and one line naming %s and %q", code, out, stderr, path, tc.mention)
			}
		})
	}
}
