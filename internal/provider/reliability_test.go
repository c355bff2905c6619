package provider_test

// Reliability and security (issue 7): fault injection, a run interrupted
// mid-apply, secrets in trace logs, and the last-Super-Administrator guard on
// destroy. The tests that need several terraform runs in one workspace (or a
// signal sent to terraform) use the real terraform binary with the provider
// built from this module (newTFCLI in helpers_test.go, acctest.ProviderBinary).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// faultCountingEmulator serves a fresh emulator and counts, per request, the
// answers that were injected faults (the emulator marks them "(emulated fault)").
type faultCountingEmulator struct {
	emu     *emulator.Emulator
	baseURL string
	ctrlURL string

	mu       sync.Mutex
	requests int
	faults   map[int]int // status -> injected faults
	byMethod map[string]int
}

func newFaultCountingEmulator(t *testing.T) *faultCountingEmulator {
	t.Helper()
	f := &faultCountingEmulator{emu: emulator.New(), faults: map[int]int{}, byMethod: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/client/v4") {
			f.emu.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		f.emu.ServeHTTP(rec, r)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests++
		f.byMethod[r.Method]++
		if rec.status >= 400 && bytes.Contains(rec.head, []byte("(emulated fault)")) {
			f.faults[rec.status]++
		}
	}))
	t.Cleanup(srv.Close)
	f.baseURL = srv.URL + "/client/v4"
	f.ctrlURL = srv.URL + "/__emulator"
	return f
}

// setFaults configures the emulator's fault injection through its control API.
func (f *faultCountingEmulator) setFaults(t *testing.T, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, f.ctrlURL+"/faults", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT /__emulator/faults %s: HTTP %d", body, res.StatusCode)
	}
}

// figures returns and resets the counters.
func (f *faultCountingEmulator) figures() (requests int, faults map[int]int, byMethod map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	requests, faults, byMethod = f.requests, f.faults, f.byMethod
	f.requests, f.faults, f.byMethod = 0, map[int]int{}, map[string]int{}
	return requests, faults, byMethod
}

func totalFaults(faults map[int]int) int {
	n := 0
	for _, c := range faults {
		n += c
	}
	return n
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	head   []byte
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if len(r.head) < 1024 {
		r.head = append(r.head, b[:min(len(b), 1024-len(r.head))]...)
	}
	return r.ResponseWriter.Write(b)
}

// fleet is a set of members with policies at the three scope kinds, some
// with a Tunnel binding, described once for the configuration and once, on
// its own, for what the emulator must hold afterwards.
type fleet struct {
	members, bindings int
	tokens            int // user tokens fleet-token-NN, DNS Read on one zone
	groups            int // user groups fleet-group-N, four members each through memberships
}

// groupMembers is how many members each of the fleet's user groups holds.
const groupMembers = 4

const fleetEmailFormat = "fleet-%03d@example.com"

func (f fleet) zone(i int) string {
	if i%2 == 0 {
		return emulator.ZoneExampleCom
	}
	return emulator.ZoneExampleOrg
}

func (f fleet) tunnel(i int) string {
	if i%3 == 0 {
		return emulator.TunnelAppB
	}
	return emulator.TunnelAppA
}

func (f fleet) bindingTunnel(i int) string {
	if i%2 == 0 {
		return emulator.TunnelAppA
	}
	return emulator.TunnelAppB
}

// retryingProvider is the provider block of the fault tests' workspaces:
// settings from the environment (newTFCLI), retries tuned for faults.
const retryingProvider = `
provider "cfiam" {
  max_retries    = 8
  retry_max_wait = "1s"
}
`

// config is the workspace: provider settings from the environment (newTFCLI),
// retries tuned for the fault tests.
func (f fleet) config() string {
	var b strings.Builder
	b.WriteString(cfiamRequirement + retryingProvider)
	for i := range f.members {
		fmt.Fprintf(&b, `
resource "cfiam_account_member" "m%03[1]d" {
  email  = %[2]q
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%[3]q] },
    { access = "allow", roles = [%[4]q], tunnel_ids = [%[5]q] },
  ]
}
`, i, fmt.Sprintf(fleetEmailFormat, i), f.zone(i), tunnelReadRole, f.tunnel(i))
	}
	for i := range f.tokens {
		fmt.Fprintf(&b, `
resource "cfiam_api_token" "t%02[1]d" {
  name     = "fleet-token-%02[1]d"
  policies = [{ effect = "allow", permission_groups = ["DNS Read"], zone_ids = [%[2]q] }]
}
`, i, f.zone(i))
	}
	for g := range f.groups {
		fmt.Fprintf(&b, `
resource "cfiam_user_group" "g%[1]d" {
  name     = "fleet-group-%[1]d"
  policies = [{ access = "allow", roles = ["Audit Logs Viewer"] }]
}
`, g)
		for k := range groupMembers {
			fmt.Fprintf(&b, `
resource "cfiam_user_group_membership" "g%[1]d_m%03[2]d" {
  user_group_id = cfiam_user_group.g%[1]d.id
  member_id     = cfiam_account_member.m%03[2]d.id
}
`, g, g*groupMembers+k)
		}
	}
	for i := range f.bindings {
		fmt.Fprintf(&b, `
resource "cfiam_tunnel_binding" "b%03[1]d" {
  member_id  = cfiam_account_member.m%03[1]d.id
  roles      = [%[2]q]
  tunnel_ids = [%[3]q]
}
`, i, tunnelAdminRole, f.bindingTunnel(i))
	}
	return b.String()
}

// want is what the emulator must hold for member i: canonical policies
// "roles|objects", sorted.
func (f fleet) want(i int) []string {
	out := []string{
		"Administrator Read Only|" + accountKey,
		"Domain DNS|" + catalog.ResourceKey(catalog.ScopeZone, f.zone(i)),
		tunnelReadRole + "|" + catalog.ResourceKey(catalog.ScopeTunnel, f.tunnel(i)),
	}
	if i < f.bindings {
		out = append(out, tunnelAdminRole+"|"+catalog.ResourceKey(catalog.ScopeTunnel, f.bindingTunnel(i)))
	}
	sort.Strings(out)
	return out
}

// check compares the emulator's members with the fleet: exactly the seeded
// admin and the fleet's members, once each, each with exactly its policies.
func (f fleet) check(t *testing.T, emu *emulator.Emulator) {
	t.Helper()
	byEmail := map[string][]emulator.Member{}
	members := emu.Members(emulator.AccountID)
	for _, m := range members {
		byEmail[strings.ToLower(m.Email)] = append(byEmail[strings.ToLower(m.Email)], m)
	}
	var problems []string
	found, policies := 0, 0
	for i := range f.members {
		email := fmt.Sprintf(fleetEmailFormat, i)
		ms := byEmail[email]
		delete(byEmail, email)
		switch len(ms) {
		case 0:
			problems = append(problems, "missing member "+email)
			continue
		case 1:
		default:
			problems = append(problems, fmt.Sprintf("member %s %d times", email, len(ms)))
		}
		found++
		var got []string
		for _, p := range emulatorPolicies(t, emu, ms[0].ID) {
			if p.access != "allow" {
				problems = append(problems, fmt.Sprintf("%s: policy %s has access %q", email, p.id, p.access))
			}
			got = append(got, strings.Join(p.roles, ",")+"|"+strings.Join(p.objects, ","))
		}
		sort.Strings(got)
		policies += len(got)
		if want := f.want(i); !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("%s policies:\n  got  %q\n  want %q", email, got, want))
		}
		if ms[0].Status != "accepted" {
			problems = append(problems, fmt.Sprintf("%s is %s", email, ms[0].Status))
		}
	}
	if admins := byEmail[emulator.AdminEmail]; len(admins) != 1 {
		problems = append(problems, fmt.Sprintf("the seeded admin is there %d times", len(admins)))
	}
	delete(byEmail, emulator.AdminEmail)
	for email, ms := range byEmail {
		problems = append(problems, fmt.Sprintf("undeclared member %s (%d times)", email, len(ms)))
	}
	problems = append(problems, f.checkTokensAndGroups(emu)...)
	wantPolicies := 3*f.members + f.bindings
	t.Logf("emulator: %d members (seeded admin included); fleet members expected %d, found %d; policies expected %d, found %d",
		len(members), f.members, found, wantPolicies, policies)
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("... and %d more", len(problems)-20))
		}
		t.Fatalf("the emulator does not hold exactly the declared members and policies:\n%s", strings.Join(problems, "\n"))
	}
}

// checkTokensAndGroups compares the emulator's user tokens and user groups
// with the fleet's: each once, no other, each group with exactly its members.
func (f fleet) checkTokensAndGroups(emu *emulator.Emulator) []string {
	var problems []string
	tokens := map[string]int{}
	for _, tok := range emu.UserTokens() {
		tokens[tok.Name]++
	}
	for i := range f.tokens {
		name := fmt.Sprintf("fleet-token-%02d", i)
		if tokens[name] != 1 {
			problems = append(problems, fmt.Sprintf("token %s is there %d times", name, tokens[name]))
		}
		delete(tokens, name)
	}
	for name, n := range tokens {
		if strings.HasPrefix(name, "fleet-") {
			problems = append(problems, fmt.Sprintf("undeclared token %s (%d times)", name, n))
		}
	}
	emails := map[string]string{}
	for _, m := range emu.Members(emulator.AccountID) {
		emails[m.ID] = strings.ToLower(m.Email)
	}
	groups := map[string][]emulator.UserGroup{}
	for _, g := range emu.UserGroups(emulator.AccountID) {
		groups[g.Name] = append(groups[g.Name], g)
	}
	for g := range f.groups {
		name := fmt.Sprintf("fleet-group-%d", g)
		if len(groups[name]) != 1 {
			problems = append(problems, fmt.Sprintf("user group %s is there %d times", name, len(groups[name])))
			continue
		}
		var got, want []string
		for _, m := range groups[name][0].Members {
			got = append(got, emails[m.MemberID])
		}
		for k := range groupMembers {
			want = append(want, fmt.Sprintf(fleetEmailFormat, g*groupMembers+k))
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("user group %s members:\n  got  %q\n  want %q", name, got, want))
		}
		delete(groups, name)
	}
	for name := range groups {
		problems = append(problems, "undeclared user group "+name)
	}
	return problems
}

// resourceGroupFigures reports the resource groups, and how many object keys
// are covered by more than one group of the same name (duplicates that
// parallel creates can leave).
func resourceGroupFigures(emu *emulator.Emulator) (groups int, dupNames []string) {
	seen := map[string]int{}
	for _, g := range emu.ResourceGroups(emulator.AccountID) {
		groups++
		seen[g.Name]++
	}
	for name, n := range seen {
		if n > 1 {
			dupNames = append(dupNames, fmt.Sprintf("%s x%d", name, n))
		}
	}
	sort.Strings(dupNames)
	return groups, dupNames
}

// TestAccReliability_faults applies members with policies at three scope
// kinds, Tunnel bindings, user tokens and user groups with memberships, at
// -parallelism=10 while 20% of API requests fail: half before they take
// effect (429, 500, 502 or 503), half after (a 5xx or a dropped connection:
// the write happened, the provider cannot know it); then, with faults off,
// checks the emulator independently of Terraform (nothing lost, nothing
// duplicated, no resource group orphaned) and expects an empty plan.
func TestAccReliability_faults(t *testing.T) {
	t.Parallel()
	f := newFaultCountingEmulator(t)
	f.emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, f.baseURL)
	dir := filepath.Join(t.TempDir(), "fleet")
	fl := fleet{members: 200, bindings: 50, tokens: 20, groups: 5}

	// No warm-up: the resource groups the fleet needs (example.com,
	// example.org, app-a and app-b for members; app-a and app-b for bindings)
	// are created under faults too, by resources applied in parallel.
	groups, _ := resourceGroupFigures(f.emu)
	writeWorkspace(t, dir, fl.config())

	// Retry-After 0: the client's retries come at once after a 429, and
	// after capped backoff (retry_max_wait 1s) after a 5xx, keeping the test fast.
	f.setFaults(t, `{"rate":0.1,"after_rate":0.1,"statuses":[429,500,502,503],"retry_after_seconds":0}`)
	start := time.Now()
	out, code := tf.run(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	f.setFaults(t, `{"rate":0}`)
	requests, faults, byMethod := f.figures()
	t.Logf("apply of %d members, %d bindings, %d tokens, %d user groups with 20%% faults (half of them after the request took effect): "+
		"%s, exit %d; %d API requests (%v), %d faults answered (%v; dropped connections are not counted)",
		fl.members, fl.bindings, fl.tokens, fl.groups, time.Since(start).Round(time.Millisecond), code, requests, byMethod, totalFaults(faults), faults)
	if code != 0 {
		t.Fatalf("terraform apply with 20%% faults failed (exit %d):\n%s", code, lastLines(out, 60))
	}
	if totalFaults(faults) == 0 {
		t.Fatal("no fault was injected: the test proves nothing")
	}
	fl.check(t, f.emu)
	after, dups := resourceGroupFigures(f.emu)
	t.Logf("resource groups: %d before, %d now; names held by more than one group: %v", groups, after, dups)
	if after != groups+6 || len(dups) > 0 {
		t.Fatalf("the fleet needs 6 new resource groups: %d -> %d, duplicates %v", groups, after, dups)
	}
	tf.expectEmptyPlan(dir, "after the apply with faults (faults off)")
	requests, _, _ = f.figures()
	t.Logf("empty re-plan: %d API requests", requests)
}

// lastLines keeps the end of a long terraform output.
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return fmt.Sprintf("[... %d lines ...]\n", len(lines)-n) + strings.Join(lines[len(lines)-n:], "\n")
}

const memberPostRoute = "POST /accounts/{account_id}/members"

// TestAccReliability_interruptAndReapply interrupts `terraform apply` of 50
// members (10 with a binding) with SIGINT once the emulator has seen some
// member POSTs, then applies again: the result is exactly the declared
// members and policies, and the plan is empty. During the interrupted run
// 30% of requests are refused with 429 and Retry-After: 1, which slows the
// apply down enough for the signal to land in the middle of it.
func TestAccReliability_interruptAndReapply(t *testing.T) {
	t.Parallel()
	f := newFaultCountingEmulator(t)
	f.emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, f.baseURL)
	dir := filepath.Join(t.TempDir(), "fleet")
	fl := fleet{members: 50, bindings: 10}
	writeWorkspace(t, dir, fl.config())

	f.setFaults(t, `{"rate":0.3,"statuses":[429],"retry_after_seconds":1}`)
	cmd := exec.CommandContext(t.Context(), tf.terraform, "-chdir="+dir, "apply", "-auto-approve", "-input=false", "-no-color") //nolint:gosec // G204: the terraform CLI with the test's own arguments
	cmd.Env = tf.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	posts := func() int { return f.emu.Stats().ByRoute[memberPostRoute] }
	deadline := time.After(60 * time.Second)
	var runErr error
	interrupted, finished := false, false
	postsAtSignal := 0
	for !interrupted && !finished {
		select {
		case runErr = <-done:
			finished = true
		case <-deadline:
			t.Fatalf("no member POST within 60s:\n%s", out.String())
		case <-time.After(5 * time.Millisecond):
			if postsAtSignal = posts(); postsAtSignal >= 10 {
				if err := cmd.Process.Signal(os.Interrupt); err != nil {
					t.Fatal(err)
				}
				interrupted = true
			}
		}
	}
	if !finished {
		select {
		case runErr = <-done:
		case <-time.After(90 * time.Second):
			t.Fatalf("terraform did not stop within 90s of SIGINT:\n%s", out.String())
		}
	}
	f.setFaults(t, `{"rate":0}`)
	requests, faults, _ := f.figures()
	held := len(f.emu.Members(emulator.AccountID)) - 1
	inState := countStateResources(t, dir, "cfiam_account_member")
	t.Logf("interrupted apply: SIGINT after %d member POSTs (%d at exit), exit error %v; %d API requests, %d faults injected (%v); "+
		"members in the emulator %d, in the state %d, declared %d",
		postsAtSignal, posts(), runErr, requests, totalFaults(faults), faults, held, inState, fl.members)
	if !interrupted {
		t.Fatalf("the apply finished before the interrupt; the test proves nothing:\n%s", lastLines(out.String(), 30))
	}
	if runErr == nil {
		t.Logf("terraform exited 0 although interrupted:\n%s", lastLines(out.String(), 20))
	}
	if held >= fl.members && inState >= fl.members {
		t.Logf("the interrupt landed after every member was created (bindings may have been pending)")
	}
	if held != inState {
		t.Fatalf("after SIGINT the emulator holds %d fleet members but the state %d: a member was created and not recorded\n%s",
			held, inState, lastLines(out.String(), 30))
	}

	tf.apply(dir, "-parallelism=10")
	requests, _, _ = f.figures()
	t.Logf("re-apply: %d API requests", requests)
	fl.check(t, f.emu)
	tf.expectEmptyPlan(dir, "after the re-apply")
}

// countStateResources counts the instances of a resource type in dir's state file.
func countStateResources(t *testing.T, dir, typ string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")) //nolint:gosec // G304: terraform's state in the test's temp dir
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string            `json:"type"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("decoding the state: %v", err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Type == typ {
			n += len(r.Instances)
		}
	}
	return n
}

// stateAttribute returns attribute attr of the only instance of typ.name in dir's state.
func stateAttribute(t *testing.T, dir, typ, name, attr string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")) //nolint:gosec // G304: terraform's state in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("decoding the state: %v", err)
	}
	for _, r := range st.Resources {
		if r.Type == typ && r.Name == name && len(r.Instances) == 1 {
			v, _ := r.Instances[0].Attributes[attr].(string)
			return v
		}
	}
	t.Fatalf("no %s.%s in the state", typ, name)
	return ""
}

// secretScan looks for secrets in texts and reports every line that holds one.
type secretScan struct {
	t       *testing.T
	secrets map[string]string // label -> value
	scanned int               // bytes
	lines   int
}

func (s *secretScan) scan(where, text string) {
	s.t.Helper()
	s.scanned += len(text)
	for i, line := range strings.Split(text, "\n") {
		s.lines++
		for label, v := range s.secrets {
			if strings.Contains(line, v) {
				s.t.Errorf("%s line %d holds the %s: %s", where, i+1, label, truncate(line, 400))
			}
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// secretsEnv is tf's environment without credentials (the configuration
// holds them), with a trace log to logPath.
func secretsEnv(tf *tfCLI, logPath string) []string {
	var env []string
	for _, kv := range tf.env {
		if !strings.HasPrefix(kv, "CLOUDFLARE_API_TOKEN=") {
			env = append(env, kv)
		}
	}
	return append(env, "TF_LOG=trace", "TF_LOG_PATH="+logPath)
}

// TestAccReliability_secretsNotLogged runs full applies with TF_LOG=trace and
// looks, in the trace log and in terraform's output, for every secret used:
// the provider's API token, the value of the token the apply creates, and,
// in a second workspace, the provider's Global API key.
func TestAccReliability_secretsNotLogged(t *testing.T) {
	t.Parallel()
	f := newFaultCountingEmulator(t)
	f.emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, f.baseURL)
	root := t.TempDir()
	logPath := filepath.Join(root, "trace.log")
	tf.env = secretsEnv(tf, logPath)

	tokenConfig := func(name string) string {
		return cfiamRequirement + fmt.Sprintf(`
provider "cfiam" {
  api_token  = %[1]q
  account_id = %[2]q
  base_url   = %[3]q
}

resource "cfiam_api_token" "ci" {
  name     = %[5]q
  policies = [{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%[4]q] }]
}

resource "cfiam_account_member" "dev" {
  email    = "secrets-dev@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%[4]q] }]
}

output "token_id" {
  value = cfiam_api_token.ci.id
}
`, emulator.AdminToken, emulator.AccountID, f.baseURL, emulator.ZoneExampleCom, name)
	}
	dir := filepath.Join(root, "token")
	writeWorkspace(t, dir, tokenConfig("ci"))
	applyOut, code := tf.run(dir, "apply", "-auto-approve", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("terraform apply failed (exit %d):\n%s", code, applyOut)
	}
	value := stateAttribute(t, dir, "cfiam_api_token", "ci", "value")
	if len(value) < 20 {
		t.Fatalf("the state holds no token value (%q)", value)
	}
	if n := len(f.emu.UserTokens()); n != 1 {
		t.Fatalf("the emulator holds %d user tokens, want 1", n)
	}
	scan := &secretScan{t: t, secrets: map[string]string{
		"provider's api_token":  emulator.AdminToken,
		"created token's value": value,
	}}
	scan.scan("apply output", applyOut)
	if !strings.Contains(applyOut, "(sensitive value)") {
		t.Errorf("the apply's plan does not show the token's value as (sensitive value):\n%s", applyOut)
	}

	// A plan that updates the token in place, and terraform show.
	writeWorkspace(t, dir, tokenConfig("ci-renamed"))
	planOut, code := tf.run(dir, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 2 {
		t.Fatalf("terraform plan after renaming the token: exit %d, want 2:\n%s", code, planOut)
	}
	scan.scan("plan output", planOut)
	showOut, code := tf.run(dir, "show", "-no-color")
	if code != 0 {
		t.Fatalf("terraform show failed (exit %d):\n%s", code, showOut)
	}
	scan.scan("show output", showOut)
	if !strings.Contains(showOut, "(sensitive value)") {
		t.Errorf("terraform show does not hide the token's value:\n%s", showOut)
	}
	destroyOut, code := tf.run(dir, "destroy", "-auto-approve", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("terraform destroy failed (exit %d):\n%s", code, destroyOut)
	}
	scan.scan("destroy output", destroyOut)

	// The Global API key, in a second workspace.
	scan.secrets["provider's api_key"] = emulator.AdminAPIKey
	keyDir := filepath.Join(root, "key")
	writeWorkspace(t, keyDir, cfiamRequirement+fmt.Sprintf(`
provider "cfiam" {
  api_key    = %[1]q
  email      = %[2]q
  account_id = %[3]q
  base_url   = %[4]q
}

resource "cfiam_account_member" "dev" {
  email    = "secrets-key@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
`, emulator.AdminAPIKey, emulator.AdminEmail, emulator.AccountID, f.baseURL))
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"destroy", "-auto-approve", "-input=false", "-no-color"},
	} {
		out, code := tf.run(keyDir, args...)
		if code != 0 {
			t.Fatalf("terraform %s with api_key failed (exit %d):\n%s", args[0], code, out)
		}
		scan.scan(args[0]+" output (api_key)", out)
	}

	logText, err := os.ReadFile(logPath) //nolint:gosec // G304: the provider's log in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logText), "[TRACE]") || !strings.Contains(string(logText), "cfiam") {
		t.Fatalf("the trace log %s does not look like a trace log of cfiam (%d bytes)", logPath, len(logText))
	}
	scan.scan("TF_LOG=trace log", string(logText))
	checkLogSubsystems(t, string(logText))
	requests, _, _ := f.figures()
	t.Logf("secrets: %d API requests; scanned %d lines (%d bytes, trace log %d bytes) for %d secrets",
		requests, scan.lines, scan.scanned, len(logText), len(scan.secrets))
}

// TestAccReliability_destroyLastSuperAdministrator: destroying the account's
// only Super Administrator membership is refused at plan time unless the
// resource says allow_removing_last_super_administrator = true. The seeded
// admin is imported, and forgotten (not destroyed) at the end.
func TestAccReliability_destroyLastSuperAdministrator(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	admin := func(extra string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
import {
  to = cfiam_account_member.admin
  id = "%[1]s/%[2]s"
}

resource "cfiam_account_member" "admin" {
  email    = %[2]q
  status   = "accepted"
  policies = [{ access = "allow", roles = [%[3]q] }]
  %[4]s
}
`, emulator.AccountID, emulator.AdminEmail, catalog.RoleSuperAdministrator, extra))
	}
	stillThere := func(why string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			m, ok := emu.Member(emulator.AccountID, emulator.AdminMemberID)
			if !ok || m.Status != "accepted" || len(m.Policies) != 1 {
				return fmt.Errorf("%s: the seeded admin membership changed: %+v (present %v)", why, m, ok)
			}
			return nil
		}
	}
	refused := 0
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: admin(""), Check: stillThere("after the import")},
			{
				// terraform destroy: refused.
				Config:      admin(""),
				Destroy:     true,
				ExpectError: regexpMust(`Would remove the last Super Administrator .* Destroying this resource removes admin@example.com, the account's last accepted Super Administrator.* allow_removing_last_super_administrator = true`),
			},
			{
				// Still managed and untouched after the refused destroy.
				PreConfig: func() { refused++ },
				Config:    admin(""),
				Check:     stillThere("after the refused destroy"),
			},
			{Config: admin("allow_removing_last_super_administrator = true")},
			{
				// Allowed now: the destroy plan succeeds (not applied: the
				// emulator's admin token acts as this member).
				Config:             admin("allow_removing_last_super_administrator = true"),
				Destroy:            true,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
removed {
  from = cfiam_account_member.admin
  lifecycle {
    destroy = false
  }
}
`),
				Check: stillThere("after removed { destroy = false }"),
			},
		},
	})
	members := emu.Members(emulator.AccountID)
	t.Logf("last Super Administrator: destroy refused %d time(s); allowed destroy planned; members expected 1, found %d", refused, len(members))
	if len(members) != 1 {
		t.Fatalf("the emulator holds %d members, want the seeded admin only", len(members))
	}
}

// checkLogSubsystems: the trace log of an apply holds the API client's lines
// in their subsystem, with timing and Cloudflare's Ray ID, and the scope
// checks' lines in theirs, for both catalogs, with each finding's path.
func checkLogSubsystems(t *testing.T, log string) {
	t.Helper()
	want := map[string][]string{
		"an API request with its timing and Ray ID": {"@module=cfiam.cloudflare_api", "duration_ms=", "status=", "cf_ray="},
		"a check against the embedded catalog":      {"@module=cfiam.validation", "catalog=embedded", "object=cfiam_account_member", "errors=0"},
		"a check against the live catalog":          {"@module=cfiam.validation", "catalog=live", "object=cfiam_api_token", "duration_ms="},
	}
	for what, parts := range want {
		found := false
		for _, line := range strings.Split(log, "\n") {
			if containsAll(line, parts) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("the trace log has no line for %s (a line with all of %q)", what, parts)
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
