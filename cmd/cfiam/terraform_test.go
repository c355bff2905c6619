package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// These tests plan cfiam's resources with the real terraform, against the
// in-process emulator, with a provider built from this module and installed
// through dev_overrides, and review the plan.

const (
	tfHeader = `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
provider "cfiam" {}
`
	exampleCom = emulator.ZoneExampleCom
	exampleOrg = emulator.ZoneExampleOrg
	appA       = emulator.TunnelAppA
	account    = emulator.AccountID
)

// before: alice reads the account, bob edits DNS on example.com and reads
// Tunnel app-a through a binding, token ci reads DNS on example.com; the
// emulator's admin is in group admins (Super Administrator), alice in group
// readers (Audit Logs Viewer) through a membership.
var configBefore = tfHeader + fmt.Sprintf(`
resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
resource "cfiam_account_member" "bob" {
  email    = "bob@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%[1]q] }]
}
resource "cfiam_tunnel_binding" "bob_app_a" {
  member_id  = cfiam_account_member.bob.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%[3]q]
}
resource "cfiam_api_token" "ci" {
  name     = "ci"
  policies = [{ effect = "allow", permission_groups = ["DNS Read"], zone_ids = [%[1]q] }]
}
data "cfiam_account_member" "admin" {
  email = %[4]q
}
resource "cfiam_user_group" "admins" {
  name     = "admins"
  policies = [{ access = "allow", roles = ["Super Administrator - All Privileges"] }]
}
resource "cfiam_user_group_members" "admins" {
  user_group_id = cfiam_user_group.admins.id
  member_ids    = [data.cfiam_account_member.admin.id]
}
resource "cfiam_user_group" "readers" {
  name     = "readers"
  policies = [{ access = "allow", roles = ["Audit Logs Viewer"] }]
}
resource "cfiam_user_group_membership" "alice_readers" {
  user_group_id = cfiam_user_group.readers.id
  member_id     = cfiam_account_member.alice.id
}
`, exampleCom, exampleOrg, appA, emulator.AdminEmail)

// after: alice escalates to Super Administrator; bob's DNS moves to
// example.org and his binding goes; ci widens to DNS Write on every zone of
// the account; a new token edits tokens; carol joins with DNS on example.com;
// bob joins group admins; alice's membership of readers goes; a new group
// billing (Billing) gets carol, who is new too (her ID known after apply).
var configAfter = tfHeader + fmt.Sprintf(`
data "cfiam_tunnels" "all" {}
resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Super Administrator - All Privileges"] }]
}
resource "cfiam_account_member" "bob" {
  email    = "bob@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%[2]q] }]
}
resource "cfiam_account_member" "carol" {
  email    = "carol@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%[1]q] }]
}
resource "cfiam_api_token" "ci" {
  name     = "ci"
  policies = [{ effect = "allow", permission_groups = ["DNS Write"], all_zones_of_account = %[4]q }]
}
resource "cfiam_api_token" "tokens" {
  name     = "tokens"
  policies = [{ effect = "allow", permission_groups = ["API Tokens Edit"], user = true }]
}
data "cfiam_account_member" "admin" {
  email = %[5]q
}
resource "cfiam_user_group" "admins" {
  name     = "admins"
  policies = [{ access = "allow", roles = ["Super Administrator - All Privileges"] }]
}
resource "cfiam_user_group_members" "admins" {
  user_group_id = cfiam_user_group.admins.id
  member_ids    = [data.cfiam_account_member.admin.id, cfiam_account_member.bob.id]
}
resource "cfiam_user_group" "readers" {
  name     = "readers"
  policies = [{ access = "allow", roles = ["Audit Logs Viewer"] }]
}
resource "cfiam_user_group" "billing" {
  name     = "billing"
  policies = [{ access = "allow", roles = ["Billing"] }]
}
resource "cfiam_user_group_members" "billing" {
  user_group_id = cfiam_user_group.billing.id
  member_ids    = [cfiam_account_member.carol.id]
}
`, exampleCom, exampleOrg, appA, account, emulator.AdminEmail)

// TestMain removes the provider binary the tests built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	acctest.RemoveProviderBinary()
	os.Exit(code)
}

// tfWorkspace is a directory where terraform runs against an emulator.
type tfWorkspace struct {
	dir string
	env []string
	bin string
}

func newTFWorkspace(t *testing.T) *tfWorkspace {
	t.Helper()
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skipf("terraform is not on PATH: %v", err)
	}
	emu := emulator.New()
	emu.SetAllowDirectAdd(true) // the configurations add members as accepted: an account that allows direct adds
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	bins := acctest.ProviderBinary(t)
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "cli.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cfiam/cfiam\" = %q\n  }\n  direct {}\n}\n", bins)
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	return &tfWorkspace{dir: dir, bin: tf, env: []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"CLOUDFLARE_API_TOKEN=" + emulator.AdminToken, "CLOUDFLARE_ACCOUNT_ID=" + emulator.AccountID,
		"CLOUDFLARE_BASE_URL=" + srv.URL + "/client/v4",
	}}
}

func (w *tfWorkspace) write(t *testing.T, config string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (w *tfWorkspace) terraform(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...) //nolint:gosec // G204: terraform with the test's own arguments
	cmd.Dir, cmd.Env = w.dir, append(w.env, "PATH="+os.Getenv("PATH"), "HOME="+w.dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s\n%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

func TestReview_terraformPlanOfCfiamResources(t *testing.T) {
	w := newTFWorkspace(t)
	w.write(t, configBefore)
	w.terraform(t, "apply", "-auto-approve", "-input=false", "-no-color")
	w.write(t, configAfter)
	w.terraform(t, "plan", "-input=false", "-no-color", "-out=plan.bin")
	planJSON := w.terraform(t, "show", "-json", "plan.bin")

	// Rows in review order, written from the two configurations above.
	want := []string{
		// escalations, most serious first
		"alice@example.com|grant|Super Administrator - All Privileges|account " + account + "|cfiam_account_member.alice|Super Administrator",
		// bob joins group admins: Super Administrator through the group
		"bob@example.com|grant|Super Administrator - All Privileges|account " + account + "|cfiam_user_group.admins (group admins)|Super Administrator",
		`token "tokens"|grant|API Tokens Edit|the token's user|cfiam_api_token.tokens|permission group edits tokens or members`,
		`token "ci"|grant|DNS Write|all zones of account ` + account + `|cfiam_api_token.ci|widened to all zones of account ` + account,
		// other grants
		"bob@example.com|grant|Domain DNS|zone " + exampleOrg + "|cfiam_account_member.bob|",
		// carol is named by e-mail though her ID is known only after apply
		"carol@example.com|grant|Billing|account " + account + "|cfiam_user_group.billing (group billing)|",
		"carol@example.com|grant|Domain DNS|zone " + exampleCom + "|cfiam_account_member.carol|",
		`user group "billing"|grant|Billing|account ` + account + `|cfiam_user_group.billing|`,
		// revocations; the Tunnel named from data.cfiam_tunnels
		"alice@example.com|revoke|Administrator Read Only|account " + account + "|cfiam_account_member.alice|",
		"alice@example.com|revoke|Audit Logs Viewer|account " + account + "|cfiam_user_group_membership.alice_readers (group readers)|",
		"bob@example.com|revoke|Cloudflare Tunnel Instance Read|Tunnel app-a|cfiam_tunnel_binding.bob_app_a|",
		"bob@example.com|revoke|Domain DNS|zone " + exampleCom + "|cfiam_account_member.bob|",
		`token "ci"|revoke|DNS Read|zone ` + exampleCom + `|cfiam_api_token.ci|`,
	}
	code, out, stderr := cfiam(t, planJSON, "review", "--format", "json", "--fail-on", "escalation", "-")
	if code != 1 {
		t.Errorf("exit %d, want 1 (escalations); stderr: %s", code, stderr)
	}
	var got struct {
		Findings []any `json:"findings"`
		Changes  []struct{ Principal, Change, Role, Scope, Via, Group, Escalation string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rows []string
	for _, c := range got.Changes {
		if c.Group != "" {
			c.Via += " (group " + c.Group + ")"
		}
		rows = append(rows, strings.Join([]string{c.Principal, c.Change, c.Role, c.Scope, c.Via, c.Escalation}, "|"))
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n got %s\nwant %s", strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}
	if len(got.Findings) != 0 {
		t.Errorf("findings: %v, want none", got.Findings)
	}

	// The saved plan file itself: cfiam runs terraform show -json. The
	// Markdown's first line names the four escalations and nothing else.
	t.Chdir(w.dir)
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	code, md, stderr := cfiam(t, "", "review", "plan.bin")
	first, _, _ := strings.Cut(md, "\n")
	if code != 0 || !strings.Contains(first, "4 escalations") || !strings.Contains(first, "alice@example.com gains Super Administrator") ||
		!strings.Contains(first, "bob@example.com gains Super Administrator") ||
		!strings.Contains(first, `token "tokens" gains API Tokens Edit`) || !strings.Contains(first, `token "ci" gains DNS Write`) ||
		strings.Contains(first, "Domain DNS") || strings.Contains(first, "carol") || strings.Contains(first, "Billing") {
		t.Errorf("exit %d, stderr %q, first line: %q", code, stderr, first)
	}
	// SARIF located in the saved plan file's directory (not the current
	// one): alice's block, at the line configAfter writes it on.
	planFile := filepath.Join(w.dir, "plan.bin")
	t.Chdir(t.TempDir())
	_, sarif, stderr := cfiam(t, "", "review", "--format", "sarif", planFile)
	aliceLine := strings.Count(configAfter[:strings.Index(configAfter, `resource "cfiam_account_member" "alice"`)], "\n") + 1
	if rows := sarifRows(t, sarif); !slices.Contains(rows, "access_escalation cfiam_account_member.alice main.tf:"+strconv.Itoa(aliceLine)) {
		t.Errorf("SARIF rows (stderr %q):\n%s", stderr, strings.Join(rows, "\n"))
	}
	t.Chdir(w.dir)

	// No token value in any format: the applied ci token has one in state.
	state := w.terraform(t, "show", "-json")
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string
					Values  map[string]any
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		t.Fatal(err)
	}
	value := ""
	for _, r := range st.Values.RootModule.Resources {
		if r.Address == "cfiam_api_token.ci" {
			value, _ = r.Values["value"].(string)
		}
	}
	if len(value) < 20 || !strings.Contains(planJSON, value) {
		t.Fatalf("the plan JSON should hold ci's value in clear text (len %d): the check below would prove nothing", len(value))
	}
	for _, format := range []string{"markdown", "json", "sarif"} {
		if _, out, _ := cfiam(t, planJSON, "review", "--format", format, "-"); strings.Contains(out, value) {
			t.Errorf("%s output holds the token's value", format)
		}
	}
}
