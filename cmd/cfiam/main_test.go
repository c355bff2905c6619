package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../internal/review/testdata/official-plans/"

func cfiam(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReview_exitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		// token-widened: two escalations, no finding.
		{"escalation, default fail-on error", []string{"review", fixtures + "token-widened/plan.json"}, 0},
		{"escalation, fail-on escalation", []string{"review", "--fail-on", "escalation", fixtures + "token-widened/plan.json"}, 1},
		{"flags after PLAN", []string{"review", fixtures + "token-widened/plan.json", "--fail-on", "escalation"}, 1},
		{"escalation, fail-on never", []string{"review", "--fail-on=never", fixtures + "token-widened/plan.json"}, 0},
		// account-token-wrong-scope: one blocking finding, no escalation.
		{"blocking finding", []string{"review", fixtures + "account-token-wrong-scope/plan.json"}, 1},
		{"blocking finding, never", []string{"review", "--fail-on", "never", fixtures + "account-token-wrong-scope/plan.json"}, 0},
		{"blocking finding ignored", []string{"review", "--ignore", "cloudflare_account_token.t:permission_group_wrong_scope", fixtures + "account-token-wrong-scope/plan.json"}, 0},
		{"another finding ignored", []string{"review", "--ignore", "cloudflare_account_token.t:unknown_role", fixtures + "account-token-wrong-scope/plan.json"}, 1},
		// member-revoked: a revocation only.
		{"revocation, fail-on escalation", []string{"review", "--fail-on", "escalation", fixtures + "member-revoked/plan.json"}, 0},
		{"help", []string{"review", "-h"}, 0},
		{"no PLAN", []string{"review"}, 2},
		{"two PLANs", []string{"review", "a", "b"}, 2},
		{"bad format", []string{"review", "--format", "xml", fixtures + "member-revoked/plan.json"}, 2},
		{"bad fail-on", []string{"review", "--fail-on", "warning", fixtures + "member-revoked/plan.json"}, 2},
		{"bad ignore", []string{"review", "--ignore", "nocode", fixtures + "member-revoked/plan.json"}, 2},
		{"unknown command", []string{"apply"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := cfiam(t, "", tc.args...); code != tc.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.want, stderr)
			}
		})
	}
}

func TestReview_badInput(t *testing.T) {
	whole, err := os.ReadFile(fixtures + "member-escalation/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.json")
	if err := os.WriteFile(truncated, whole[:len(whole)-100], 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	savedPlan := filepath.Join(dir, "plan.bin")
	if err := os.WriteFile(savedPlan, []byte("PK\x03\x04not really a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		mention     string // a word of the one line that says what is wrong
	}{
		{"truncated file", "", []string{"review", truncated}, "truncated"},
		{"missing file", "", []string{"review", filepath.Join(dir, "nope.json")}, "cannot read"},
		{"not a plan", "terraform plan output, as text", []string{"review", "-"}, "not a plan"},
		{"wrong format_version", `{"format_version": "2.0", "resource_changes": []}`, []string{"review", "-"}, "format_version"},
		{"state", `{"format_version": "1.0", "values": {}}`, []string{"review", "-"}, "state"},
		{"saved plan without terraform", "", []string{"review", savedPlan}, "terraform"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", dir) // no terraform there
			code, stdout, stderr := cfiam(t, tc.stdin, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout: %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.Contains(stderr, tc.mention) ||
				strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr: %q, want one line mentioning %q", stderr, tc.mention)
			}
		})
	}
}

func TestReview_formats(t *testing.T) {
	plan := fixtures + "member-escalation/plan.json"
	// Markdown: the first line names every escalation (alice's Super
	// Administrator) and nothing else (not bob's Domain DNS, not alice's loss).
	_, md, _ := cfiam(t, "", "review", plan)
	first, _, _ := strings.Cut(md, "\n")
	if !strings.Contains(first, "alice@example.com gains Super Administrator - All Privileges") || !strings.Contains(first, "1 escalation") ||
		strings.Contains(first, "bob") || strings.Contains(first, "Read Only") {
		t.Errorf("summary line: %q", first)
	}
	if strings.Count(md, "<details>") != 2 || strings.Index(md, "alice@example.com: +1 −1") > strings.Index(md, "bob@example.com: +1 −0") {
		t.Errorf("want one section per principal, alice (an escalation) first:\n%s", md)
	}

	// JSON: the rows, by hand from the fixture's main.tf and README.
	_, js, _ := cfiam(t, "", "review", "--format", "json", plan)
	var got struct {
		Findings []map[string]any `json:"findings"`
		Changes  []struct {
			Principal, Change, Role, Scope, Access, Via, Escalation string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	want := []string{
		"alice@example.com grant Super Administrator - All Privileges allow cloudflare_account_member.alice Super Administrator",
		"bob@example.com grant Domain DNS allow cloudflare_account_member.bob ",
		"alice@example.com revoke Administrator Read Only allow cloudflare_account_member.alice ",
	}
	if len(got.Changes) != len(want) {
		t.Fatalf("changes: %+v", got.Changes)
	}
	for i, c := range got.Changes {
		if s := strings.Join([]string{c.Principal, c.Change, c.Role, c.Access, c.Via, c.Escalation}, " "); s != want[i] {
			t.Errorf("change %d: %q, want %q", i, s, want[i])
		}
	}
	if got.Findings == nil || len(got.Findings) != 0 {
		t.Errorf("findings: %v, want []", got.Findings)
	}

	// SARIF 2.1.0: the required properties (sarif-schema-2.1.0.json: version,
	// runs; run.tool.driver.name; result.message.text), each ruleId a rule
	// of the driver, levels from the schema's enum.
	_, sarif, _ := cfiam(t, "", "review", "--format", "sarif", fixtures+"account-token-wrong-scope/plan.json")
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatalf("%v\n%s", err, sarif)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "cfiam" || len(log.Runs[0].Results) != 1 {
		t.Fatalf("SARIF: %s", sarif)
	}
	res := log.Runs[0].Results[0]
	if res.RuleID != "permission_group_wrong_scope" || res.Level != "error" || res.Message.Text == "" ||
		len(res.Locations) != 1 || !strings.HasPrefix(res.Locations[0].LogicalLocations[0].FullyQualifiedName, "cloudflare_account_token.t.policies[0]") {
		t.Errorf("result: %+v", res)
	}
	if rules := log.Runs[0].Tool.Driver.Rules; len(rules) != 1 || rules[0].ID != res.RuleID {
		t.Errorf("rules: %+v", rules)
	}
}

// TestReview_secrets: the token value in token-widened's prior state and
// before never reaches any format's output.
func TestReview_secrets(t *testing.T) {
	const value = "HenN5RbwwzttEvd2t-u3nMdd34YRiAOHIXMnmYUA"
	raw, err := os.ReadFile(fixtures + "token-widened/plan.json")
	if err != nil || !bytes.Contains(raw, []byte(value)) {
		t.Fatalf("the fixture must hold the value: %v", err)
	}
	for _, format := range []string{"markdown", "json", "sarif"} {
		_, out, stderr := cfiam(t, string(raw), "review", "--format", format, "-")
		if out == "" || strings.Contains(out+stderr, value) {
			t.Errorf("%s: output empty or holds the token value:\n%s", format, out)
		}
	}
}

// TestGuideExample: the guide's example report is what cfiam review prints
// for the fixture it describes (regenerate the block when the report changes).
func TestGuideExample(t *testing.T) {
	guide, err := os.ReadFile("../../templates/guides/reviewing-access-changes.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(guide), "```markdown\n")
	block, _, ok2 := strings.Cut(block, "```\n\n## GitHub Actions")
	if !ok || !ok2 {
		t.Fatal("the guide has no example report block")
	}
	_, out, _ := cfiam(t, "", "review", fixtures+"member-escalation/plan.json")
	if block != out {
		t.Errorf("the guide's example is stale: want\n%s", out)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // G304: the package's own test data
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
