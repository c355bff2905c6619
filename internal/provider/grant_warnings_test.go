package provider_test

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// planWarning is one warning of `terraform plan -json`: the resource it is
// about, its summary and its detail.
type planWarning struct{ address, summary, detail string }

// planWarnings runs `terraform plan -json` in dir and returns its warnings,
// in the order terraform printed them, but for dev_overrides' own.
func (c *tfCLI) planWarnings(dir string) []planWarning {
	c.t.Helper()
	out, code := c.run(dir, "plan", "-json", "-input=false")
	if code != 0 {
		c.t.Fatalf("terraform plan in %s failed (exit %d):\n%s", dir, code, out)
	}
	var found []planWarning
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary, Detail, Address string
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "diagnostic" || msg.Diagnostic.Severity != "warning" ||
			msg.Diagnostic.Summary == "Provider development overrides are in effect" {
			continue
		}
		found = append(found, planWarning{msg.Diagnostic.Address, msg.Diagnostic.Summary, msg.Diagnostic.Detail})
	}
	return found
}

const grantWarningsBefore = `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
resource "cfiam_account_member" "bob" {
  email    = "bob@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
resource "cfiam_account_member" "carol" {
  email    = "carol@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
resource "cfiam_user_group" "pii" {
  name     = "pii"
  policies = [{ access = "allow", roles = ["Cloudflare Zero Trust PII"] }]
}
resource "cfiam_user_group_members" "pii" {
  user_group_id = cfiam_user_group.pii.id
  member_ids    = [cfiam_account_member.alice.id]
}
resource "cfiam_user_group" "admins" {
  name     = "admins"
  policies = [{ access = "allow", roles = ["Super Administrator - All Privileges"] }]
}
`

// The grant warnings of real plans count roles held through user groups:
// alice's own new Email Security role needs the PII role her group gives
// her (no warning); bob joining the Super Administrator group, through a
// membership, and carol, through the group's member list, are each named;
// a new group's Email Security role without PII warns in the group's words.
func TestAccGrantWarnings_throughUserGroups(t *testing.T) {
	emu := emulator.New()
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	tf := newTFCLI(t, srv.URL+"/client/v4")
	dir := filepath.Join(t.TempDir(), "warnings")
	writeWorkspace(t, dir, grantWarningsBefore)
	tf.apply(dir)
	if got := tf.planWarnings(dir); len(got) != 0 {
		t.Fatalf("an unchanged configuration warns: %+v", got)
	}

	after := strings.Replace(grantWarningsBefore, `resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]`, `resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only", "Email Security Analyst"] }]`, 1) + `
resource "cfiam_user_group_membership" "bob_admins" {
  user_group_id = cfiam_user_group.admins.id
  member_id     = cfiam_account_member.bob.id
}
resource "cfiam_user_group_members" "admins" {
  user_group_id = cfiam_user_group.admins.id
  member_ids    = [cfiam_account_member.carol.id]
}
resource "cfiam_user_group" "analysts" {
  name     = "analysts"
  policies = [{ access = "allow", roles = ["Email Security Analyst"] }]
}
`
	writeWorkspace(t, dir, after)
	var got []string
	for _, w := range tf.planWarnings(dir) {
		got = append(got, w.address+": "+w.summary+": "+w.detail)
	}
	slices.Sort(got)
	want := []string{
		`cfiam_user_group.analysts: Role needs Cloudflare Zero Trust PII: "Email Security Analyst" requires the Cloudflare Zero Trust PII role ` +
			`(per Cloudflare's role catalog), which this group does not grant: add "Cloudflare Zero Trust PII" to an account-wide policy of the group, ` +
			`or its members who do not hold it otherwise will not see what the role is for.`,
		`cfiam_user_group_members.admins: Grants Super Administrator: This change makes member "carol@example.com" a Super Administrator, ` +
			`who can edit any setting, manage billing and memberships, and revoke other Super Administrators. Make sure that is intended.`,
		`cfiam_user_group_membership.bob_admins: Grants Super Administrator: This change makes member "bob@example.com" a Super Administrator, ` +
			`who can edit any setting, manage billing and memberships, and revoke other Super Administrators. Make sure that is intended.`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// The three grant warnings of a member's own policies, in a real plan: each
// on the change that gives the role, none on the plan after it.
func TestAccGrantWarnings_memberRealPlan(t *testing.T) {
	srv := httptest.NewServer(emulator.New())
	t.Cleanup(srv.Close)
	tf := newTFCLI(t, srv.URL+"/client/v4")
	dir := filepath.Join(t.TempDir(), "member-warnings")
	config := func(roles string) string {
		return `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
resource "cfiam_account_member" "dana" {
  email    = "dana@example.com"
  policies = [{ access = "allow", roles = [` + roles + `] }]
}
`
	}
	writeWorkspace(t, dir, config(`"Administrator Read Only"`))
	tf.apply(dir)
	summaries := func() []string {
		var out []string
		for _, w := range tf.planWarnings(dir) {
			if w.address != "cfiam_account_member.dana" {
				t.Errorf("a warning about %q, not the member: %+v", w.address, w)
			}
			out = append(out, w.summary)
		}
		slices.Sort(out)
		return out
	}
	for _, step := range []struct {
		roles string
		want  []string
	}{
		{`"Administrator Read Only", "Email Security Analyst"`, []string{"Role needs Cloudflare Zero Trust PII"}},
		{`"Administrator", "Log Share"`, []string{"Logpush for Zero Trust datasets needs Cloudflare Zero Trust PII"}},
		{`"Super Administrator - All Privileges"`, []string{"Grants Super Administrator"}},
	} {
		writeWorkspace(t, dir, config(step.roles))
		if got := summaries(); strings.Join(got, "\n") != strings.Join(step.want, "\n") {
			t.Errorf("roles %s: warnings %q, want %q", step.roles, got, step.want)
		}
		tf.apply(dir)
		// Super Administrator and the Logpush gap warn on the change only.
		if got := summaries(); step.want[0] != "Role needs Cloudflare Zero Trust PII" && len(got) != 0 {
			t.Errorf("roles %s, applied: warnings %q, want none", step.roles, got)
		}
	}
}
