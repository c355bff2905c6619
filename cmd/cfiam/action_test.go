package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

type actionFile struct {
	Name   string
	Inputs map[string]struct {
		Description string
		Required    bool
		Default     *string
	}
	Runs struct {
		Using string
		Steps []struct {
			Name  string
			Shell string
			Env   map[string]string
			Run   string
		}
	}
}

// runAction runs action.yml's steps as a runner would for a composite
// action: each step's env with its ${{ }} expressions replaced, its script
// with bash -eo pipefail, PATH extended by what earlier steps wrote to
// GITHUB_PATH. It returns the exit status of the step that stopped (0 when
// all ran) and the step summary.
func runAction(t *testing.T, action actionFile, inputs map[string]string, env []string) (int, string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	temp := t.TempDir()
	pathFile, summary := filepath.Join(temp, "github_path"), filepath.Join(temp, "step_summary")
	for _, f := range []string{pathFile, summary} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	expr := regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	for _, step := range action.Runs.Steps {
		if step.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", step.Name, step.Shell)
		}
		// Inputs reach scripts through env only: an expression in a script
		// would be pasted into it unquoted (script injection).
		if strings.Contains(step.Run, "${{") {
			t.Errorf("step %q: an expression in its script", step.Name)
		}
		added, err := os.ReadFile(pathFile) //nolint:gosec // G304: the test's own file
		if err != nil {
			t.Fatal(err)
		}
		path := os.Getenv("PATH")
		for _, dir := range strings.Fields(string(added)) {
			path = dir + string(os.PathListSeparator) + path
		}
		stepEnv := append(slices.Clone(env), "PATH="+path, "RUNNER_TEMP="+temp, "GITHUB_PATH="+pathFile, "GITHUB_STEP_SUMMARY="+summary,
			"GITHUB_ACTION_PATH="+root)
		for k, v := range step.Env {
			v = expr.ReplaceAllStringFunc(v, func(m string) string {
				name := expr.FindStringSubmatch(m)[1]
				switch {
				case strings.HasPrefix(name, "inputs."):
					in := strings.TrimPrefix(name, "inputs.")
					def, declared := action.Inputs[in]
					if !declared {
						t.Errorf("step %q: undeclared input %q", step.Name, in)
					}
					if v, ok := inputs[in]; ok {
						return v
					}
					if def.Default != nil {
						return *def.Default
					}
					return ""
				case name == "github.token":
					return "gh-token"
				case name == "github.action_path":
					return root
				}
				t.Errorf("step %q: expression %q the test does not know", step.Name, name)
				return ""
			})
			stepEnv = append(stepEnv, k+"="+v)
		}
		script := filepath.Join(temp, "step.sh")
		if err := os.WriteFile(script, []byte(step.Run), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), "bash", "--noprofile", "--norc", "-eo", "pipefail", script) //nolint:gosec // G204: the action's own step, as the runner runs it
		cmd.Env, cmd.Dir = stepEnv, temp
		out, err := cmd.CombinedOutput()
		if err != nil {
			var exit *exec.ExitError
			if !errorsAs(err, &exit) {
				t.Fatalf("step %q: %v", step.Name, err)
			}
			t.Logf("step %q exited %d:\n%s", step.Name, exit.ExitCode(), out)
			s, _ := os.ReadFile(summary) //nolint:gosec // G304: the test's own file
			return exit.ExitCode(), string(s)
		}
	}
	s, err := os.ReadFile(summary) //nolint:gosec // G304: the test's own file
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(s)
}

func errorsAs(err error, target **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError) //nolint:errorlint // exec returns it unwrapped
	if ok {
		*target = e
	}
	return ok
}

func TestAction(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skipf("bash is not on PATH: %v", err)
	}
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action actionFile
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range action.Inputs {
		names = append(names, k)
	}
	slices.Sort(names)
	want := []string{"baseline", "comment-mode", "fail-on", "live", "plan", "policy", "sarif-file", "skip-no-change", "version"}
	if action.Runs.Using != "composite" || !slices.Equal(names, want) || !action.Inputs["plan"].Required {
		t.Fatalf("action.yml: using %q, inputs %v (want %v)", action.Runs.Using, names, want)
	}
	for _, in := range want {
		if action.Inputs[in].Description == "" {
			t.Errorf("input %q has no description", in)
		}
	}

	f := newFakeComments()
	srv := githubServer(t, f)
	event := writeFile(t, "event.json", `{"pull_request": {"number": 7}}`)
	home := os.Getenv("HOME")
	gocache, _ := exec.CommandContext(t.Context(), "go", "env", "GOCACHE").Output()
	gomodcache, _ := exec.CommandContext(t.Context(), "go", "env", "GOMODCACHE").Output()
	env := []string{
		"HOME=" + home, "GOCACHE=" + strings.TrimSpace(string(gocache)), "GOMODCACHE=" + strings.TrimSpace(string(gomodcache)),
		"GOPROXY=off", "GOFLAGS=-buildvcs=false", "GOTOOLCHAIN=local", // no network: every module is in the cache
		"GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH=" + event, "GITHUB_REPOSITORY=o/r", "GITHUB_API_URL=" + srv.URL,
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := filepath.Abs(fixtures + "token-widened/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	policy := writeFile(t, "guardrails.hcl", `rule "edit_tokens_expire" {
  kind           = "token"
  role           = "* Edit"
  expires_within = "90d"
}`)
	sarif := filepath.Join(t.TempDir(), "cfiam.sarif")
	inputs := map[string]string{"plan": plan, "policy": policy, "version": root, "sarif-file": sarif}

	// The guardrail is blocking: the review step fails, after writing the
	// SARIF, the step summary and the comment.
	code, summary := runAction(t, action, inputs, env)
	if code != 1 {
		t.Errorf("exit %d, want 1 (a blocking guardrail)", code)
	}
	var doc sarifFull
	if err := json.Unmarshal([]byte(mustRead(t, sarif)), &doc); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	rules := map[string]bool{}
	for _, r := range doc.Runs[0].Results {
		rules[r.RuleID] = true
	}
	if !rules["guardrail.edit_tokens_expire"] || !rules["access_escalation"] {
		t.Errorf("SARIF rules %v", rules)
	}
	if !strings.HasPrefix(summary, "**cfiam review: 2 escalations:**") {
		t.Errorf("step summary: %q", summary)
	}
	marked := f.marked()
	if len(marked) != 1 || !strings.Contains(f.body(marked[0]), "`guardrail.edit_tokens_expire`") {
		t.Fatalf("comments: %v", marked)
	}

	// Again, failing on nothing, with the defaults for the rest: the same comment updated.
	inputs["fail-on"] = "never"
	if code, _ := runAction(t, action, inputs, env); code != 0 {
		t.Errorf("fail-on never: exit %d", code)
	}
	if got := f.marked(); !slices.Equal(got, marked) {
		t.Errorf("second run: comments %v, want %v updated", got, marked)
	}

	// comment-mode off, and not a pull request: no comment requests.
	f.requests = nil
	inputs["comment-mode"] = "off"
	if code, _ := runAction(t, action, inputs, env); code != 0 || len(f.requests) != 0 {
		t.Errorf("comment-mode off: exit %d, requests %v", code, f.requests)
	}

	// A version that is neither a release nor a checkout stops the install.
	if code, _ := runAction(t, action, map[string]string{"plan": plan, "version": "1.0; rm -rf /"}, env); code != 1 {
		t.Errorf("a bad version: exit %d, want 1", code)
	}
}
