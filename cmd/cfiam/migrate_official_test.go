package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
	"github.com/cfiam/terraform-provider-cfiam/internal/sharedtools"
)

// The whole switch, on the real official provider v5.22.0 (from
// ../shared/tools, through dev_overrides) and the terraform on PATH: the
// official provider applies members, a user group with its members and two
// tokens against the emulator; the configuration is replaced by cfiam
// migrate's output; the plan shows only moves; after its apply the plan is
// empty; the emulator saw nothing but reads and its state file is the same
// byte for byte; the tokens keep their values.

type officialWorkspace struct {
	dir, tf  string
	env      []string
	emu      *emulator.Emulator
	url      string // the emulator's root
	state    string // the emulator's state file
	cliCfg   string
	provider string
}

func newOfficialWorkspace(t *testing.T, tfBinary string) *officialWorkspace {
	t.Helper()
	official := sharedtools.CLI(t, "cloudflare-5.22.0")
	tf := tfBinary
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skipf("terraform is not on PATH: %v", err)
		}
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "emulator", "state.json")
	if err := os.MkdirAll(filepath.Dir(state), 0o700); err != nil {
		t.Fatal(err)
	}
	emu, err := emulator.NewFromFile(state)
	if err != nil {
		t.Fatal(err)
	}
	emu.SetAllowDirectAdd(true) // the official configuration adds members as accepted
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	bins := acctest.ProviderBinary(t)
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	cliCfg := filepath.Join(dir, "cli.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cfiam/cfiam\" = %q\n    \"cloudflare/cloudflare\" = %q\n  }\n  direct {}\n}\n",
		bins, filepath.Dir(official))
	if err := os.WriteFile(cliCfg, []byte(cfg), 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	base := srv.URL + "/client/v4"
	return &officialWorkspace{dir: work, tf: tf, emu: emu, url: srv.URL, state: state, cliCfg: cliCfg, provider: official, env: []string{
		"TF_CLI_CONFIG_FILE=" + cliCfg, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"CLOUDFLARE_API_TOKEN=" + emulator.AdminToken, "CLOUDFLARE_ACCOUNT_ID=" + emulator.AccountID,
		"CLOUDFLARE_BASE_URL=" + base,
	}}
}

func (w *officialWorkspace) run(t *testing.T, wantCodes []int, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.tf, args...) //nolint:gosec // G204: terraform with the test's own arguments
	cmd.Dir, cmd.Env = w.dir, append(slices.Clone(w.env), "PATH="+os.Getenv("PATH"), "HOME="+w.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", w.tf, strings.Join(args, " "), err)
	}
	if !slices.Contains(wantCodes, code) {
		t.Fatalf("%s %s: exit %d, want %v\n%s\n%s", filepath.Base(w.tf), strings.Join(args, " "), code, wantCodes, out, stderr.String())
	}
	return string(out), code
}

func (w *officialWorkspace) write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// stateValues returns each resource's values from `show -json` of the
// workspace's state, by address.
func (w *officialWorkspace) stateValues(t *testing.T) map[string]map[string]any {
	t.Helper()
	out, _ := w.run(t, []int{0}, "show", "-json", "-no-color")
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	vals := map[string]map[string]any{}
	for _, r := range show.Values.RootModule.Resources {
		vals[r.Address] = r.Values
	}
	return vals
}

// officialConfig is what the team has before the switch: written by hand in
// the official provider's v5 terms (IDs of permission groups from the
// reference pages, through the embedded catalog that the emulator seeds
// from).
func officialConfig(t *testing.T, base, prodZones, appTunnels string) string {
	t.Helper()
	role := func(name string) string {
		e, err := catalog.Embedded().ResolveRole(name, catalog.ScopeAccount)
		if err != nil {
			if e, err = catalog.Embedded().ResolveRole(name, catalog.ScopeZone); err != nil {
				if e, err = catalog.Embedded().ResolveRole(name, catalog.ScopeTunnel); err != nil {
					t.Fatal(err)
				}
			}
		}
		return e.ID
	}
	pg := func(name string, s catalog.Scope) string {
		e, err := catalog.Embedded().ResolvePermissionGroup(name, s)
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    cloudflare = { source = "cloudflare/cloudflare" }
  }
}
provider "cloudflare" {
  base_url = %[1]q
}

resource "cloudflare_account_member" "alice" {
  account_id = %[2]q
  email      = "alice@example.com"
  status     = "accepted"
  policies = [{ access = "allow", permission_groups = [{ id = %[3]q }], resource_groups = [{ id = %[4]q }] }]
}
resource "cloudflare_account_member" "bob" {
  account_id = %[2]q
  email      = "bob@example.com"
  status     = "accepted"
  policies = [
    { access = "allow", permission_groups = [{ id = %[5]q }], resource_groups = [{ id = %[6]q }] },
    { access = "allow", permission_groups = [{ id = %[7]q }], resource_groups = [{ id = %[8]q }] },
    { access = "deny", permission_groups = [{ id = %[3]q }], resource_groups = [{ id = %[4]q }] },
  ]
}
resource "cloudflare_user_group" "ops" {
  account_id = %[2]q
  name       = "ops"
  policies = [{ access = "allow", permission_groups = [{ id = %[5]q }], resource_groups = [{ id = %[6]q }] }]
}
resource "cloudflare_account_member" "dave" {
  account_id = %[2]q
  email      = "dave@example.com"
  status     = "accepted"
  policies = [{ access = "allow", permission_groups = [{ id = %[3]q }], resource_groups = [{ id = %[4]q }] }]
}
resource "cloudflare_user_group_members" "ops" {
  account_id    = %[2]q
  user_group_id = cloudflare_user_group.ops.id
  members       = [{ id = cloudflare_account_member.dave.id }]
}
resource "cloudflare_api_token" "ci" {
  name = "ci-dns-read"
  policies = [{ effect = "allow", permission_groups = [{ id = %[9]q }], resources = jsonencode({ "com.cloudflare.api.account.zone.%[11]s" = "*" }) }]
  condition  = { request_ip = { in = ["192.0.2.0/24"] } }
  expires_on = "2030-01-01T00:00:00Z"
}
resource "cloudflare_account_token" "audit" {
  account_id = %[2]q
  name       = "audit-read"
  policies = [{ effect = "allow", permission_groups = [{ id = %[10]q }], resources = jsonencode({ "com.cloudflare.api.account.%[2]s" = "*" }) }]
}
`, base, emulator.AccountID, role("Administrator Read Only"), emulator.AccountResourceGroupID,
		role("Domain DNS"), prodZones, role("Cloudflare Tunnel Instance Admin"), appTunnels,
		pg("DNS Read", catalog.ScopeZone), pg("Account Settings Read", catalog.ScopeAccount), emulator.ZoneExampleCom)
}

func TestMigrate_officialProviderEndToEnd(t *testing.T) {
	w := newOfficialWorkspace(t, "")
	ctx := t.Context()
	w.applyOfficial(t)
	stateBefore, err := os.ReadFile(w.state)
	if err != nil {
		t.Fatal(err)
	}
	before := w.stateValues(t)
	resetStats(t, w.url)

	// cfiam migrate, on the configuration directory, with the provider's environment.
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("HOME", w.dir)
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"migrate", "--out", filepath.Join(w.dir, "cfiam.tf"), w.dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("cfiam migrate: exit %d: %s", code, stderr.String())
	}
	w.checkMoves(t, before, stateBefore)
}

// applyOfficial applies the official configuration against the emulator.
func (w *officialWorkspace) applyOfficial(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	admin, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: w.url + "/client/v4"})
	if err != nil {
		t.Fatal(err)
	}
	// Resource groups made outside Terraform, as the team made them in the dashboard.
	prodZones, err := admin.CreateResourceGroup(ctx, emulator.AccountID, "prod-zones", []string{
		catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom), catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)})
	if err != nil {
		t.Fatal(err)
	}
	appTunnels, err := admin.CreateResourceGroup(ctx, emulator.AccountID, "app-tunnels", []string{catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA)})
	if err != nil {
		t.Fatal(err)
	}

	w.write(t, "main.tf", officialConfig(t, w.url+"/client/v4", prodZones.ID, appTunnels.ID))
	w.run(t, []int{0}, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := len(w.stateValues(t)); n != 7 {
		t.Fatalf("the official apply left %d resources, want 7", n)
	}
}

// checkMoves replaces the configuration by cfiam.tf (cfiam migrate's
// output): validate, a plan of moves only, its apply, an empty plan, and
// nothing changed in the account.
func (w *officialWorkspace) checkMoves(t *testing.T, before map[string]map[string]any, stateBefore []byte) {
	t.Helper()
	migrated, err := os.ReadFile(filepath.Join(w.dir, "cfiam.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cfiam migrate wrote:\n%s", migrated)
	// The configuration replaced: the official blocks go, cfiam's come.
	if err := os.Remove(filepath.Join(w.dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	w.run(t, []int{0}, "validate", "-no-color")

	out, code := w.run(t, []int{0, 2}, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=moves.tfplan")
	if code != 2 {
		t.Fatalf("the plan of the moves shows nothing:\n%s", out)
	}
	planJSON, _ := w.run(t, []int{0}, "show", "-json", "-no-color", "moves.tfplan")
	var plan struct {
		ResourceChanges []struct {
			Address         string `json:"address"`
			PreviousAddress string `json:"previous_address"`
			Change          struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatal(err)
	}
	wantMoves := map[string]string{ //nolint:gosec // G101: resource addresses, not credentials
		"cfiam_account_member.alice":   "cloudflare_account_member.alice",
		"cfiam_account_member.bob":     "cloudflare_account_member.bob",
		"cfiam_account_member.dave":    "cloudflare_account_member.dave",
		"cfiam_user_group.ops":         "cloudflare_user_group.ops",
		"cfiam_user_group_members.ops": "cloudflare_user_group_members.ops",
		"cfiam_api_token.ci":           "cloudflare_api_token.ci",
		"cfiam_account_token.audit":    "cloudflare_account_token.audit",
	}
	for _, rc := range plan.ResourceChanges {
		if from, ok := wantMoves[rc.Address]; !ok || rc.PreviousAddress != from || !slices.Equal(rc.Change.Actions, []string{"no-op"}) {
			t.Errorf("plan: %s (from %q) %v, want only moves with no change", rc.Address, rc.PreviousAddress, rc.Change.Actions)
		}
		delete(wantMoves, rc.Address)
	}
	if len(wantMoves) > 0 {
		t.Errorf("the plan does not move %v", wantMoves)
	}
	if !strings.Contains(out, "has moved to") {
		t.Errorf("the plan does not say \"has moved to\":\n%s", out)
	}

	w.run(t, []int{0}, "apply", "-input=false", "-no-color", "moves.tfplan")
	if out, _ := w.run(t, []int{0}, "plan", "-detailed-exitcode", "-input=false", "-no-color"); !strings.Contains(out, "No changes") {
		t.Errorf("the plan after the moves is not empty:\n%s", out)
	}

	after := w.stateValues(t)
	for official, cfiam := range map[string]string{ //nolint:gosec // G101: resource addresses, not credentials
		"cloudflare_api_token.ci": "cfiam_api_token.ci", "cloudflare_account_token.audit": "cfiam_account_token.audit",
	} {
		v := before[official]["value"]
		if s, _ := v.(string); s == "" || after[cfiam]["value"] != v || after[cfiam]["id"] != before[official]["id"] {
			t.Errorf("%s: value or ID changed in the move (ID %v -> %v)", cfiam, before[official]["id"], after[cfiam]["id"])
		}
	}
	stateAfter, err := os.ReadFile(w.state)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stateBefore, stateAfter) {
		t.Errorf("the emulator's state changed during the migration")
	}
	for route, n := range stats(t, w.url) {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("the migration sent %d× %s: it must only read", n, route)
		}
	}
}

func resetStats(t *testing.T, root string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, root+"/__emulator/stats", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // G704: the test's own emulator
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}

func stats(t *testing.T, root string) map[string]int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, root+"/__emulator/stats", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // G704: the test's own emulator
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var s struct {
		ByRoute map[string]int `json:"by_route"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s.ByRoute
}

// OpenTofu 1.12.6 (../shared/tools) and cross-type moved blocks: the same
// switch, cfiam migrate fed with `tofu show -json` of the state.
func TestMigrate_officialProviderOpenTofu(t *testing.T) {
	tofu := sharedtools.CLI(t, "tofu-1.12.6")
	w := newOfficialWorkspace(t, tofu)
	w.applyOfficial(t)
	stateBefore, err := os.ReadFile(w.state)
	if err != nil {
		t.Fatal(err)
	}
	before := w.stateValues(t)
	resetStats(t, w.url)
	show, _ := w.run(t, []int{0}, "show", "-json", "-no-color")
	showFile := filepath.Join(t.TempDir(), "show.json")
	if err := os.WriteFile(showFile, []byte(show), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"migrate", "--out", filepath.Join(w.dir, "cfiam.tf"), showFile}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("cfiam migrate: exit %d: %s", code, stderr.String())
	}
	w.checkMoves(t, before, stateBefore)
}
