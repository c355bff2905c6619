package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// tokenValueRecorder serves an emulator and keeps every token value its
// answers carry (creates and rolls, user- and account-owned): the secrets a
// scan must not find anywhere else.
type tokenValueRecorder struct {
	emu     *emulator.Emulator
	baseURL string
	mu      sync.Mutex
	values  map[string]string // value -> the request that returned it
}

func newTokenValueRecorder(t *testing.T) *tokenValueRecorder {
	t.Helper()
	r := &tokenValueRecorder{emu: emulator.New(), values: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet || !strings.Contains(req.URL.Path, "/tokens") {
			r.emu.ServeHTTP(w, req)
			return
		}
		rec := httptest.NewRecorder()
		r.emu.ServeHTTP(rec, req)
		var env struct{ Result json.RawMessage }
		if json.Unmarshal(rec.Body.Bytes(), &env) == nil {
			var obj struct{ Value string }
			var s string
			switch {
			case json.Unmarshal(env.Result, &obj) == nil && obj.Value != "":
				s = obj.Value
			case json.Unmarshal(env.Result, &s) == nil:
			}
			if s != "" {
				r.mu.Lock()
				r.values[s] = req.Method + " " + req.URL.Path
				r.mu.Unlock()
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	r.baseURL = srv.URL + "/client/v4"
	return r
}

// secrets is every token value seen so far, labelled by where it came from.
func (r *tokenValueRecorder) secrets() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for v, from := range r.values {
		out["token value from "+from+" ("+v[:4]+"...)"] = v
	}
	return out
}

// TestAccReliability_secretsEverywhere scans terraform's output (plan,
// apply, show, state show, output) and the TF_LOG=trace log for every secret
// the provider handles: the provider's token, user and account token values
// at create and at roll, the ephemeral token's value made at plan and again
// at apply, and a token Cloudflare rejects. The ephemeral tokens are deleted
// when Terraform closes them.
func TestAccReliability_secretsEverywhere(t *testing.T) {
	t.Parallel()
	rec := newTokenValueRecorder(t)
	tf := newTFCLI(t, rec.baseURL)
	root := t.TempDir()
	logPath := filepath.Join(root, "trace.log")
	tf.env = secretsEnv(tf, logPath)
	config := func(roll string) string {
		return cfiamRequirement + fmt.Sprintf(`
provider "cfiam" {
  api_token  = %[1]q
  account_id = %[2]q
  base_url   = %[3]q
}

ephemeral "cfiam_api_token" "run" {
  name = "secrets-ephemeral"
  ttl  = "30m"
  policies = [{ effect = "allow", permission_groups = ["Account Settings Read"], account_ids = [%[2]q] }]
}

provider "cfiam" {
  alias      = "run"
  api_token  = ephemeral.cfiam_api_token.run.value
  account_id = %[2]q
  base_url   = %[3]q
}

data "cfiam_role" "through_ephemeral" {
  provider = cfiam.run
  name     = "Analytics"
}

resource "cfiam_api_token" "user" {
  name                = "secrets-user"
  policies            = [{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%[4]q] }]
  rotate_when_changed = { roll = %[5]q }
}

resource "cfiam_account_token" "account" {
  name                = "secrets-account"
  policies            = [{ effect = "allow", permission_groups = ["Account Settings Read"], account_ids = [%[2]q] }]
  rotate_when_changed = { roll = %[5]q }
}

output "role_id" {
  value = data.cfiam_role.through_ephemeral.id
}
`, emulator.AdminToken, emulator.AccountID, rec.baseURL, emulator.ZoneExampleCom, roll)
	}
	dir := filepath.Join(root, "tokens")
	scan := &secretScan{t: t, secrets: map[string]string{"provider's api_token": emulator.AdminToken}}
	run := func(wantCode int, args ...string) string {
		t.Helper()
		out, code := tf.run(dir, args...)
		if code != wantCode {
			t.Fatalf("terraform %s: exit %d, want %d:\n%s", strings.Join(args, " "), code, wantCode, lastLines(out, 40))
		}
		return out
	}
	noEphemeralLeft := func(when string) {
		t.Helper()
		for _, tok := range rec.emu.UserTokens() {
			if tok.Name == "secrets-ephemeral" {
				t.Errorf("%s: the ephemeral token %s is still there", when, tok.ID)
			}
		}
	}
	var outputs []string
	writeWorkspace(t, dir, config("1"))
	outputs = append(outputs, run(2, "plan", "-detailed-exitcode", "-input=false", "-no-color"))
	noEphemeralLeft("after plan")
	outputs = append(outputs, run(0, "apply", "-auto-approve", "-input=false", "-no-color"))
	noEphemeralLeft("after apply")
	writeWorkspace(t, dir, config("2")) // roll both values
	outputs = append(outputs, run(0, "apply", "-auto-approve", "-input=false", "-no-color"))
	// Not `terraform show -json`: it prints the state's values in clear by
	// design (marked in sensitive_values), the stored tokens' among them.
	outputs = append(outputs, run(0, "show", "-no-color"),
		run(0, "state", "show", "cfiam_api_token.user"), run(0, "state", "show", "cfiam_account_token.account"),
		run(0, "output", "-json"))

	// A token Cloudflare rejects, in the error terraform prints.
	const rejected = "rejectedTokenValue0123456789abcdefABCDEF"
	scan.secrets["rejected token"] = rejected
	bad := filepath.Join(root, "rejected")
	writeWorkspace(t, bad, cfiamRequirement+fmt.Sprintf(`
provider "cfiam" {
  api_token  = %[1]q
  account_id = %[2]q
  base_url   = %[3]q
}
data "cfiam_account_members" "all" {}
`, rejected, emulator.AccountID, rec.baseURL))
	out, code := tf.run(bad, "plan", "-input=false", "-no-color")
	if code != 1 || !strings.Contains(out, "Error") {
		t.Fatalf("a rejected token: exit %d, want 1 with an error:\n%s", code, out)
	}
	outputs = append(outputs, out)

	for label, v := range rec.secrets() {
		scan.secrets[label] = v
	}
	// creates of the user and account tokens, their rolls, and an
	// ephemeral token at plan, at the first apply and at the second.
	if n := len(scan.secrets) - 2; n < 7 {
		t.Fatalf("only %d token values were minted, want at least 7: %v", n, scan.secrets)
	}
	for i, o := range outputs {
		scan.scan(fmt.Sprintf("output %d", i), o)
	}
	logText, err := os.ReadFile(logPath) //nolint:gosec // G304: the provider's log in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logText, []byte("[TRACE]")) {
		t.Fatalf("%s is not a trace log", logPath)
	}
	scan.scan("TF_LOG=trace log", string(logText))
	t.Logf("scanned %d lines (%d bytes) for %d secrets", scan.lines, scan.scanned, len(scan.secrets))
}
