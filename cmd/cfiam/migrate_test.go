package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// cfiam migrate on the official provider's real state (`terraform show
// -json` of what v5.22.0 wrote against the emulator, in
// internal/provider/testdata/official-states), against an emulator holding
// what those states describe. Expected configurations are written here by
// hand: role and permission group names from the reference pages, IDs from
// the state files.

const officialStates = "../../internal/provider/testdata/official-states"

// migrateEnv points cfiam migrate at an emulator loaded with the official
// states' account.
func migrateEnv(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(officialStates, "emulator-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(file, b, 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	emu, err := emulator.NewFromFile(file)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	t.Setenv("CLOUDFLARE_API_TOKEN", emulator.AdminToken)
	t.Setenv("CLOUDFLARE_API_KEY", "")
	t.Setenv("CLOUDFLARE_BASE_URL", srv.URL+"/client/v4")
}

func runMigrateTest(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), append([]string{"migrate"}, args...), nil, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// body is the output without its header comment and terraform block.
func body(out string) string {
	_, after, _ := strings.Cut(out, "\n}\n")
	return strings.TrimSpace(after)
}

func TestMigrate_officialStates(t *testing.T) {
	migrateEnv(t)
	for _, tc := range []struct{ dir, want string }{
		{"member-account", `resource "cfiam_account_member" "alice" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  email      = "alice@example.com"
  status     = "accepted"
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
  ]
}
moved {
  from = cloudflare_account_member.alice
  to   = cfiam_account_member.alice
}`},
		{"member-zones-and-tunnels", `resource "cfiam_account_member" "bob" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  email      = "bob@example.com"
  status     = "accepted"
  policies = [
    { access = "allow", roles = ["Cloudflare Tunnel Instance Admin"], resource_group_ids = ["e141a30f7bb05b5b5a765a1a97e278f9"] },
    { access = "allow", roles = ["Domain DNS"], resource_group_ids = ["47fbf7185b0b6f0c0f1bc7659336079e"] },
    { access = "deny", roles = ["Administrator Read Only"] },
  ]
}
moved {
  from = cloudflare_account_member.bob
  to   = cfiam_account_member.bob
}`},
		{"api-token", `resource "cfiam_api_token" "ci" {
  name = "ci-dns-read"
  policies = [
    { effect = "allow", permission_groups = ["DNS Read"], zone_ids = ["023e105f4ecef8ad9ca31a8372d0c353"] },
  ]
  condition  = { request_ip = { in = ["192.0.2.0/24"] } }
  expires_on = "2030-01-01T00:00:00Z"
}
moved {
  from = cloudflare_api_token.ci
  to   = cfiam_api_token.ci
}`},
		{"account-token", `resource "cfiam_account_token" "audit" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  name       = "audit-read"
  policies = [
    { effect = "allow", permission_groups = ["Account Settings Read"], account_ids = ["f037e56e89293a057740de681ac9abbe"] },
  ]
}
moved {
  from = cloudflare_account_token.audit
  to   = cfiam_account_token.audit
}`},
	} {
		out, errOut, code := runMigrateTest(t, filepath.Join(officialStates, tc.dir, "show.json"))
		if code != 0 || errOut != "" {
			t.Errorf("%s: exit %d: %s", tc.dir, code, errOut)
			continue
		}
		if got := body(out); got != tc.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tc.dir, got, tc.want)
		}
	}
}

// A user group's members refer to the member and the group written beside
// them; legacy roles are left as they are, with a comment saying so.
func TestMigrate_userGroupAndLegacyRoles(t *testing.T) {
	migrateEnv(t)
	out, _, code := runMigrateTest(t, filepath.Join(officialStates, "user-group", "show.json"))
	for _, want := range []string{
		"  user_group_id = cfiam_user_group.ops.id\n  member_ids    = [cfiam_account_member.dave.id]\n",
		"moved {\n  from = cloudflare_user_group_members.ops\n  to   = cfiam_user_group_members.ops\n}",
		"  name       = \"ops\"\n  policies = [\n    { access = \"allow\", roles = [\"Domain DNS\"], resource_group_ids = [\"47fbf7185b0b6f0c0f1bc7659336079e\"] },\n  ]",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d; output lacks\n%s\n---\n%s", code, want, out)
		}
	}
	out, _, code = runMigrateTest(t, filepath.Join(officialStates, "member-legacy-roles", "show.json"))
	if want := "# Member carol@example.com holds legacy roles (Administrator Read Only), which cfiam_account_member\n"; code != 0 ||
		!strings.Contains(out, want) || !strings.Contains(out, "  policies   = []\n") {
		t.Errorf("exit %d; want the legacy roles' comment and no policy:\n%s", code, out)
	}
}

func TestMigrate_help(t *testing.T) {
	out, errOut, code := runMigrateTest(t, "-h")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: cfiam migrate [--out FILE] DIR|STATE.json\n") ||
		!strings.Contains(out, "cloudflare_account_token       -> cfiam_account_token") || !strings.Contains(out, "Terraform 1.8 or later") {
		t.Errorf("cfiam migrate -h: exit %d, stderr %q:\n%s", code, errOut, out)
	}
}

// Bad input: exit 2 and one line saying what is wrong, nothing written.
func TestMigrate_badInput(t *testing.T) {
	t.Setenv("CLOUDFLARE_API_TOKEN", "")
	t.Setenv("CLOUDFLARE_API_KEY", "")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notJSON := write("notjson", "resource {")
	plan := write("plan.json", `{"format_version":"1.2","planned_values":{"root_module":{}}}`)
	empty := write("empty.json", `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"cloudflare_zone.z","mode":"managed","type":"cloudflare_zone","name":"z","provider_name":"registry.terraform.io/cloudflare/cloudflare","values":{}}]}}}`)
	v4 := write("v4.json", `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"cloudflare_account_member.a","mode":"managed","type":"cloudflare_account_member","name":"a","provider_name":"registry.terraform.io/cloudflare/cloudflare","schema_version":0,"values":{"id":"1dc44394086935621066a49ef1a8882d","account_id":"f037e56e89293a057740de681ac9abbe","email_address":"a@example.com","role_ids":["fa512b15d917f7366985dccfb857de9b"]}}]}}}`)
	rawState := filepath.Join(officialStates, "member-account", "terraform.tfstate")
	groups := filepath.Join(officialStates, "member-account", "show.json")
	out := filepath.Join(dir, "out.tf")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "cfiam migrate: give one input: a configuration directory or the output of 'terraform show -json' (see cfiam migrate -h)"},
		{[]string{"a", "b"}, "cfiam migrate: give one input: a configuration directory or the output of 'terraform show -json' (see cfiam migrate -h)"},
		{[]string{"--format", "x", groups}, "cfiam migrate: flag provided but not defined: -format (see cfiam migrate -h)"},
		{[]string{filepath.Join(dir, "missing.json")}, "cfiam migrate: cannot read " + filepath.Join(dir, "missing.json") + ": no such file or directory"},
		{[]string{notJSON}, "cfiam migrate: " + notJSON + " is not the output of 'terraform show -json' (not JSON: invalid character 'r' looking for beginning of value)"},
		{[]string{plan}, "cfiam migrate: " + plan + " is a plan; give 'terraform show -json' of the state (no plan file), or the configuration directory"},
		{[]string{rawState}, "cfiam migrate: " + rawState + " is a raw state file; give 'terraform show -json' of it (run in its configuration's directory), or the directory"},
		{[]string{empty}, "cfiam migrate: " + empty + " holds none of the official provider's resources that cfiam takes (cloudflare_account_member, cloudflare_account_token, cloudflare_api_token, cloudflare_user_group, cloudflare_user_group_members)"},
		{[]string{v4}, "cfiam migrate: cloudflare_account_member.a: The state of cloudflare_account_member is the official provider v4's (schema version 0, attribute email_address). " +
			"cfiam_account_member takes state from cloudflare_account_member of the official provider cloudflare/cloudflare v5 (schema versions 0, 1, 500) only: " +
			"upgrade it first with cloudflare/cloudflare v5 (terraform apply with version = \"~> 5.0\" rewrites the state), then move it."},
		{[]string{"--out", out, groups}, "cfiam migrate: cloudflare_account_member.alice has policies on resource groups, and telling what each holds needs one read of the " +
			"account's resource groups: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)"},
	} {
		stdout, stderr, code := runMigrateTest(t, tc.args...)
		if code != 2 || stdout != "" || stderr != tc.want+"\n" {
			t.Errorf("cfiam migrate %v: exit %d, stdout %q\n got %q\nwant %q", tc.args, code, stdout, stderr, tc.want+"\n")
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed migrate wrote %s", out)
	}
}
