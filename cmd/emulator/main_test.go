package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// buildEmulator builds this command into a temporary directory.
func buildEmulator(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the emulator")
	}
	bin := filepath.Join(t.TempDir(), "cfiam-emulator")
	out, err := exec.CommandContext(t.Context(), goBin, "build", "-o", bin, ".").CombinedOutput() //nolint:gosec // G204: the go command from PATH, building this package
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type child struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
	mu     *sync.Mutex
}

// start runs the emulator on a free port with these extra environment
// variables and arguments, and waits until it listens.
func start(t *testing.T, bin string, env []string, args ...string) *child {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...) //nolint:gosec // G204: the emulator binary this test built, with the test's own flags
	cmd.Env = append(os.Environ(), env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: &bytes.Buffer{}, mu: &sync.Mutex{}}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.stderr.WriteString(line + "\n")
			c.mu.Unlock()
			if _, rest, ok := strings.Cut(line, "listening on http://"); ok {
				addr, _, _ := strings.Cut(rest, "/")
				addrc <- addr
			}
		}
		close(addrc)
	}()
	select {
	case addr, ok := <-addrc:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("the emulator exited before listening:\n%s", c.log())
		}
		c.addr = addr
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the emulator did not start:\n%s", c.log())
	}
	return c
}

func (c *child) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// createRG creates a zone resource group; it reports the new ID, or "" when
// the request was not acknowledged (the process is gone, or an error).
func createRG(client *http.Client, addr string, n int) string {
	body := fmt.Sprintf(`{"name":"rg-%d","scope":{"key":%q,"objects":[{"key":%q}]}}`, n,
		catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID), catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom))
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
		"http://"+addr+"/client/v4/accounts/"+emulator.AccountID+"/iam/resource_groups", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return ""
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return ""
	}
	var env struct {
		Success bool
		Result  struct{ ID string }
	}
	if json.Unmarshal(b, &env) != nil || !env.Success {
		return ""
	}
	return env.Result.ID
}

// The emulator is SIGKILLed at random moments while it takes writes; every
// restart must load a valid state holding every acknowledged write.
func TestKillDuringWrites(t *testing.T) {
	bin := buildEmulator(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	env := []string{"EMULATOR_STATE=" + path}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)) //nolint:gosec // kill timing
	const kills = 6
	acked := map[string]bool{}
	var ackMu sync.Mutex
	loads, strays, n := 0, 0, 0
	client := &http.Client{Timeout: 5 * time.Second}

	for k := 0; k < kills; k++ {
		c := start(t, bin, env)
		if k > 0 && !strings.Contains(c.log(), "state loaded from "+path) {
			t.Fatalf("restart %d did not load the state file:\n%s", k, c.log())
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if id := createRG(client, c.addr, k*1_000_000+w*100_000+i); id != "" {
						ackMu.Lock()
						acked[id] = true
						ackMu.Unlock()
					}
				}
			}(w)
		}
		time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
		if err := c.cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		_ = c.cmd.Wait()
		close(stop)
		wg.Wait()

		// What the kill left: count stray temporary files, then load.
		entries, _ := os.ReadDir(dir)
		for _, en := range entries {
			if strings.HasPrefix(en.Name(), ".state.json.tmp-") {
				strays++
			}
		}
		e, err := emulator.NewFromFile(path)
		if err != nil {
			t.Fatalf("after kill %d the state does not load: %v", k+1, err)
		}
		loads++
		have := map[string]bool{}
		for _, g := range e.ResourceGroups(emulator.AccountID) {
			if have[g.ID] {
				t.Fatalf("after kill %d: duplicate resource group ID %s (the ID counter was not kept)", k+1, g.ID)
			}
			have[g.ID] = true
		}
		ackMu.Lock()
		for id := range acked {
			if !have[id] {
				t.Fatalf("after kill %d: acknowledged write %s is missing from the state", k+1, id)
			}
		}
		n = len(have) - 1 // minus the seeded account-wide group
		ackMu.Unlock()
	}
	// The last restart through the command itself, and the API agrees.
	c := start(t, bin, env)
	defer func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() }()
	if !strings.Contains(c.log(), "state loaded from "+path) {
		t.Fatalf("final restart did not load the state file:\n%s", c.log())
	}
	loads++
	if id := createRG(client, c.addr, -1); id == "" || acked[id] {
		t.Fatalf("a write after the last restart: %q", id)
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged: the test proved nothing")
	}
	t.Logf("kills: %d, writes acknowledged: %d, state loads OK: %d, resource groups in the state: %d, stray temp files seen after kills: %d",
		kills, len(acked), loads, n, strays)
}

// A corrupt state file stops the command with an error naming the file; the
// -state flag overrides EMULATOR_STATE.
func TestStateFileCommandLine(t *testing.T) {
	bin := buildEmulator(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format": "cfiam-emulator-state", "vers`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0") //nolint:gosec // G204: the emulator binary this test built
	cmd.Env = append(os.Environ(), "EMULATOR_STATE="+bad)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the emulator must not start on a corrupt state file:\n%s", out)
	}
	if !strings.Contains(string(out), bad) {
		t.Errorf("the error must name the file %s:\n%s", bad, out)
	}
	if b, _ := os.ReadFile(bad); !strings.HasSuffix(string(b), `"vers`) { //nolint:gosec // G304: the test's own file in t.TempDir()
		t.Error("the corrupt file was overwritten")
	}

	good := filepath.Join(dir, "good.json")
	c := start(t, bin, []string{"EMULATOR_STATE=" + bad}, "-state", good)
	defer func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() }()
	if !strings.Contains(c.log(), "state seeded, saved to "+good) {
		t.Errorf("-state must override EMULATOR_STATE:\n%s", c.log())
	}
	if _, err := emulator.NewFromFile(good); err != nil {
		t.Errorf("the seeded state file: %v", err)
	}
}

// EMULATOR_LATENCY and EMULATOR_RATE_LIMIT reach the emulator: a bad value
// stops the command; a good one delays API answers / limits requests, and
// GET /__emulator/ shows it.
func TestNetworkFromEnvironment(t *testing.T) {
	bin := buildEmulator(t)
	for _, env := range []string{"EMULATOR_LATENCY=fast", "EMULATOR_RATE_LIMIT=lots"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0") //nolint:gosec // G204: the emulator binary this test built
		cmd.Env = append(os.Environ(), env)
		out, err := cmd.CombinedOutput()
		cancel()
		if err == nil {
			t.Errorf("the emulator must not start with %s:\n%s", env, out)
		}
	}
	c := start(t, bin, []string{"EMULATOR_LATENCY=300ms", "EMULATOR_RATE_LIMIT=2/1m"})
	defer func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() }()
	get := func(path string) (int, string, time.Duration) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+c.addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), time.Since(start)
	}
	if _, body, _ := get("/__emulator/latency"); body != `{"latency":"300ms"}` {
		t.Errorf("GET /__emulator/latency: %s", body)
	}
	if _, body, _ := get("/__emulator/rate_limit"); body != `{"rate_limit":"2/1m0s"}` {
		t.Errorf("GET /__emulator/rate_limit: %s", body)
	}
	member := "/client/v4/accounts/" + emulator.AccountID + "/members/" + emulator.AdminMemberID
	for i := range 3 {
		status, _, took := get(member)
		if took < 300*time.Millisecond {
			t.Errorf("request %d answered in %s with EMULATOR_LATENCY=300ms", i, took)
		}
		if want := map[bool]int{true: http.StatusOK, false: http.StatusTooManyRequests}[i < 2]; status != want {
			t.Errorf("request %d with EMULATOR_RATE_LIMIT=2/1m: %d, want %d", i, status, want)
		}
	}
}

// EMULATOR_ALLOW_DIRECT_ADD=1 (or -allow-direct-add) lets a member be added
// as accepted; without it the add is refused (400, code 1001) and the
// invited member accepts through POST /__emulator/members/{id}/accept. A
// value that is not a boolean stops the command.
func TestDirectAddFromEnvironment(t *testing.T) {
	bin := buildEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0") //nolint:gosec // G204: the emulator binary this test built
	cmd.Env = append(os.Environ(), "EMULATOR_ALLOW_DIRECT_ADD=maybe")
	out, err := cmd.CombinedOutput()
	cancel()
	if err == nil || !strings.Contains(string(out), "EMULATOR_ALLOW_DIRECT_ADD") {
		t.Errorf("the emulator must not start with EMULATOR_ALLOW_DIRECT_ADD=maybe, and must say why:\n%s", out)
	}
	post := func(c *child, path, body string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+c.addr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	analytics, err := catalog.Embedded().ResolveRole("Analytics", catalog.ScopeAccount)
	if err != nil {
		t.Fatal(err)
	}
	add := func(status string) string {
		return fmt.Sprintf(`{"email":"direct@example.com","status":%q,"roles":[%q]}`, status, analytics.ID)
	}
	members := "/client/v4/accounts/" + emulator.AccountID + "/members"
	for _, tc := range []struct {
		env, flag string
		allowed   bool
	}{{"EMULATOR_ALLOW_DIRECT_ADD=", "", false}, {"EMULATOR_ALLOW_DIRECT_ADD=0", "", false}, {"EMULATOR_ALLOW_DIRECT_ADD=1", "", true}, {"EMULATOR_ALLOW_DIRECT_ADD=0", "-allow-direct-add", true}} {
		t.Run(tc.env+tc.flag, func(t *testing.T) {
			var args []string
			if tc.flag != "" {
				args = append(args, tc.flag)
			}
			c := start(t, bin, []string{tc.env}, args...)
			defer func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() }()
			status, body := post(c, members, add("accepted"))
			if tc.allowed {
				if status != http.StatusOK || !strings.Contains(body, `"status":"accepted"`) {
					t.Errorf("direct add with %s%s: %d %s", tc.env, tc.flag, status, body)
				}
				return
			}
			if status != http.StatusBadRequest || !strings.Contains(body, `"code":1001`) || !strings.Contains(body, "automatic verification of new members is not allowed") {
				t.Errorf("direct add with %q: %d %s, want 400 code 1001", tc.env, status, body)
			}
			status, body = post(c, members, add("pending"))
			var m struct {
				Result struct{ ID string } `json:"result"`
			}
			if status != http.StatusOK || json.Unmarshal([]byte(body), &m) != nil || m.Result.ID == "" {
				t.Fatalf("invitation: %d %s", status, body)
			}
			if status, body := post(c, "/__emulator/members/"+m.Result.ID+"/accept", ""); status != http.StatusOK || !strings.Contains(body, `"status":"accepted"`) {
				t.Errorf("accept: %d %s", status, body)
			}
		})
	}
}
