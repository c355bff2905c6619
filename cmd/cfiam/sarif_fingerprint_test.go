package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

type sarifFull struct {
	Runs []struct {
		AutomationDetails *struct{ ID string } `json:"automationDetails"`
		Invocations       []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID              string
			Level               string
			Message             struct{ Text string }
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		}
	}
}

func sarifOf(t *testing.T, stdin string, args ...string) sarifFull {
	t.Helper()
	_, out, stderr := cfiam(t, stdin, append([]string{"review", "--format", "sarif", "--fail-on", "never"}, args...)...)
	var doc sarifFull
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("%v: %s\nstderr %s", err, out, stderr)
	}
	return doc
}

// fingerprints: "ruleId message → fingerprint", one per result.
func fingerprints(t *testing.T, doc sarifFull) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range doc.Runs[0].Results {
		fp := r.PartialFingerprints["cfiamFinding/v1"]
		if len(fp) != 32 {
			t.Errorf("%s: partialFingerprints %v", r.RuleID, r.PartialFingerprints)
		}
		out[r.RuleID+" "+r.Message.Text] = fp
	}
	return out
}

func TestSARIF_fingerprints(t *testing.T) {
	policy := writeFile(t, "g.hcl", `rule "no_dns_editor" {
  kind    = "limit"
  max     = 0
  role    = "DNS *"
  message = "DNS belongs to the platform team."
}`)
	plan := fixtures + "token-widened/plan.json"
	a := fingerprints(t, sarifOf(t, "", "--policy", policy, plan))
	b := fingerprints(t, sarifOf(t, "", "--policy", policy, "--config-dir", fixtures+"token-widened", plan))
	if len(a) != 3 { // two escalations, one guardrail
		t.Fatalf("results: %v", a)
	}
	// The same findings, with or without physical locations: the same fingerprints.
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("two runs differ:\n%v\n%v", a, b)
	}
	seen := map[string]bool{}
	for _, fp := range a {
		if seen[fp] {
			t.Errorf("two results share fingerprint %s", fp)
		}
		seen[fp] = true
	}
	// A changed finding: the guardrail's message says something else; a new fingerprint.
	policy0 := writeFile(t, "g0.hcl", strings.Replace(mustRead(t, policy), "the platform team", "the network team", 1))
	c := fingerprints(t, sarifOf(t, "", "--policy", policy0, plan))
	if len(c) != 3 {
		t.Fatalf("results: %v", c)
	}
	for k, fp := range c {
		if strings.HasPrefix(k, "guardrail.") {
			if seen[fp] {
				t.Errorf("changed finding %q kept its fingerprint", k)
			}
		} else if a[k] != fp {
			t.Errorf("unchanged escalation %q changed fingerprint", k)
		}
	}
	// Another plan's escalation of another principal: another fingerprint.
	for k, fp := range fingerprints(t, sarifOf(t, "", fixtures+"member-escalation/plan.json")) {
		if seen[fp] {
			t.Errorf("%q shares a fingerprint with token-widened", k)
		}
	}
}

func TestSARIF_category(t *testing.T) {
	doc := sarifOf(t, "", "--sarif-category", "cfiam-prod", fixtures+"token-widened/plan.json")
	if d := doc.Runs[0].AutomationDetails; d == nil || d.ID != "cfiam-prod/" {
		t.Errorf("automationDetails %+v, want id cfiam-prod/", d)
	}
	if doc := sarifOf(t, "", fixtures+"token-widened/plan.json"); doc.Runs[0].AutomationDetails != nil {
		t.Errorf("automationDetails without --sarif-category: %+v", doc.Runs[0].AutomationDetails)
	}
}

// 6,000 findings and escalations: 5,000 results, errors first, and a note.
func TestSARIF_cut(t *testing.T) {
	var changes []string
	for i := range 3000 {
		changes = append(changes, change(fmt.Sprintf("cfiam_account_member.m[%d]", i), "cfiam_account_member", "create", "",
			fmt.Sprintf(`{"email": "user%d@example.com", "status": "accepted", "account_id": "f037e56e89293a057740de681ac9abbe", "policies": %s}`, i, accountPolicy("Administrator"))))
	}
	// A deny on Administrator: 3,000 errors beside 3,000 escalations (warnings).
	policy := writeFile(t, "g.hcl", `rule "no_admins" {
  kind = "deny"
  role = "Administrator"
}`)
	plan := planOf(changes...)
	doc := sarifOf(t, plan, "--policy", policy, "-")
	run := doc.Runs[0]
	if len(run.Results) != 5000 {
		t.Fatalf("%d results, want 5,000", len(run.Results))
	}
	levels := map[string]int{}
	for _, r := range run.Results {
		levels[r.Level]++
	}
	if levels["error"] != 3000 || levels["warning"] != 2000 {
		t.Errorf("levels %v: want the 3,000 errors kept", levels)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 ||
		!strings.Contains(run.Invocations[0].ToolExecutionNotifications[0].Message.Text, "5000 of 6000") {
		t.Errorf("invocations %+v", run.Invocations)
	}
	// And it validates against SARIF's schema.
	raw, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	_, out, _ := cfiam(t, plan, "review", "--format", "sarif", "--policy", policy, "--sarif-category", "prod", "-")
	var any1 any
	if err := json.Unmarshal([]byte(out), &any1); err != nil {
		t.Fatal(err)
	}
	if errs := (&validator{root: schema}).validate(schema, any1, "$"); len(errs) > 0 {
		t.Errorf("cut SARIF does not validate:\n%s", strings.Join(errs[:min(10, len(errs))], "\n"))
	}
	// Under the limit nothing is cut and there is no note.
	small := sarifOf(t, planOf(changes[:10]...), "-")
	if len(small.Runs[0].Results) != 10 || len(small.Runs[0].Invocations) != 0 || slices.ContainsFunc(small.Runs[0].Results, func(r struct {
		RuleID              string
		Level               string
		Message             struct{ Text string }
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}) bool {
		return r.RuleID != "access_escalation"
	}) {
		t.Errorf("10 escalations: %+v", small.Runs[0])
	}
}
