package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// writeFile writes a test's input file and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	return p
}

type findingRow struct {
	Code, Severity, Address, Path, Message, File string
	Line                                         int
}

// findingRows: "code|severity|address|path|DIR/FILE:LINE" (the file's last
// two path elements; "-" without a location).
func findingRows(t *testing.T, out string) []string {
	t.Helper()
	var got struct{ Findings []findingRow }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rows []string
	for _, f := range got.Findings {
		at := "-"
		if f.File != "" {
			parts := strings.Split(f.File, "/")
			at = strings.Join(parts[max(0, len(parts)-2):], "/") + ":" + strconv.Itoa(f.Line)
		}
		rows = append(rows, strings.Join([]string{f.Code, f.Severity, f.Address, f.Path, at}, "|"))
	}
	return rows
}

// lineOf is the line of the first occurrence of s in a configuration.
func lineOf(t *testing.T, config, s string) int {
	t.Helper()
	i := strings.Index(config, s)
	if i < 0 {
		t.Fatalf("%q is not in the configuration", s)
	}
	return strings.Count(config[:i], "\n") + 1
}

// Each guardrail kind on the official provider's real plans; expectations
// written from each fixture's main.tf and the fixtures' README.
func TestGuardrails_officialPlans(t *testing.T) {
	for _, tc := range []struct {
		name, fixture, rules string
		want                 []string
		exit                 int
	}{
		{"deny: alice gains Super Administrator directly", "member-escalation", `
rule "super_admin_only_via_admins" {
  kind    = "deny"
  message = "Super Administrator only through the admins group."
  role    = ["Super Administrator - All Privileges"]
  except { via = ["group:admins"] }
}`, []string{"guardrail.super_admin_only_via_admins|error|cloudflare_account_member.alice||member-escalation/main.tf:" + fixtureLine(t, "member-escalation", `"cloudflare_account_member" "alice"`)}, 1},
		{"deny passes: the plan gives no Super Administrator", "member-revoked", `
rule "super_admin_only_via_admins" {
  kind = "deny"
  role = "Super Administrator*"
  except { via = "group:admins" }
}`, nil, 0},
		{"deny by scope and principal kind, warning", "account-token-wrong-scope", `
rule "no_account_wide_tokens" {
  kind      = "deny"
  severity  = "warning"
  principal = ["token:*"]
  scope     = ["account:f037e56e*", "all_zones"]
}
rule "members_only" {
  kind      = "deny"
  principal = "member:*"
}`, []string{
			"permission_group_wrong_scope|error|cloudflare_account_token.t|policies[0].permission_groups[\"14b3766d8ff8cd4ef69c19873120952f\"]|account-token-wrong-scope/main.tf:" + fixtureLine(t, "account-token-wrong-scope", `"cloudflare_account_token" "t"`),
			"guardrail.no_account_wide_tokens|warning|cloudflare_account_token.t||account-token-wrong-scope/main.tf:" + fixtureLine(t, "account-token-wrong-scope", `"cloudflare_account_token" "t"`),
		}, 1},
		{"deny except through a group: its member and the group itself pass", "group-created", `
rule "administrator_only_via_ops" {
  kind = "deny"
  role = "Administrator"
  except { via = "group:ops" }
}`, nil, 0},
		{"deny except through another group", "group-created", `
rule "administrator_only_via_admins" {
  kind = "deny"
  role = "Administrator"
  except { via = "group:admins" }
  except { principal = "token:*" }
}`, []string{
			"guardrail.administrator_only_via_admins|error|cloudflare_user_group.ops||group-created/main.tf:" + fixtureLine(t, "group-created", `"cloudflare_user_group" "ops"`),
			"guardrail.administrator_only_via_admins|error|cloudflare_user_group_members.ops||group-created/main.tf:" + fixtureLine(t, "group-created", `"cloudflare_user_group_members" "ops"`),
		}, 1},
		{"require: carol was the one Administrator", "member-revoked", `
rule "an_administrator" {
  kind = "require"
  role = "Administrator"
}`, []string{"guardrail.an_administrator|error|cloudflare_account_member.carol||member-revoked/main.tf:" + fixtureLine(t, "member-revoked", `"cloudflare_account_member" "carol"`)}, 1},
		{"require passes: two principals hold Domain DNS or Super Administrator", "member-escalation", `
rule "two_admins_or_dns" {
  kind = "require"
  min  = 2
  role = ["Super Administrator - All Privileges", "Domain DNS"]
}`, nil, 0},
		{"limit: the group's member counts, the group does not", "group-created", `
rule "no_administrators" {
  kind     = "limit"
  severity = "warning"
  max      = 0
  role     = "Administrator"
}
rule "one_administrator" {
  kind = "limit"
  max  = 1
  role = "Administrator"
}`, []string{"guardrail.no_administrators|warning|cloudflare_user_group_members.ops||group-created/main.tf:" + fixtureLine(t, "group-created", `"cloudflare_user_group_members" "ops"`)}, 0},
		{"token: every token with an Edit group expires and is IP-restricted", "token-widened", `
rule "edit_tokens" {
  kind                 = "token"
  role                 = ["* Edit"]
  expires_within       = "90d"
  require_ip_condition = true
}`, []string{
			"guardrail.edit_tokens|error|cloudflare_api_token.tokens|expires_on|token-widened/main.tf:" + fixtureLine(t, "token-widened", `"cloudflare_api_token" "tokens"`),
			"guardrail.edit_tokens|error|cloudflare_api_token.tokens|condition.request_ip.in|token-widened/main.tf:" + fixtureLine(t, "token-widened", `"cloudflare_api_token" "tokens"`),
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			policy := writeFile(t, "guardrails.hcl", tc.rules)
			code, out, stderr := cfiam(t, "", "review", "--format", "json", "--policy", policy, "--config-dir", fixtures+tc.fixture, fixtures+tc.fixture+"/plan.json")
			if code != tc.exit {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.exit, stderr)
			}
			if got := findingRows(t, out); !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
			}
		})
	}
}

func fixtureLine(t *testing.T, fixture, block string) string {
	t.Helper()
	data, err := os.ReadFile(fixtures + fixture + "/main.tf") //nolint:gosec // G304: a fixture of this test
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(lineOf(t, string(data), `resource `+block))
}

// The guardrails of the guide, on a plan real terraform made of cfiam's
// resources against the emulator: each kind, its violations at their .tf
// lines, a compliant token passing; with --live, a member outside the plan counts.
func TestGuardrails_terraformPlan(t *testing.T) {
	w := newTFWorkspace(t)
	w.write(t, configBefore)
	w.terraform(t, "apply", "-auto-approve", "-input=false", "-no-color")
	// deploy: DNS Write, expires in 30 days, IP-restricted: compliant.
	config := configAfter + fmt.Sprintf(`
resource "cfiam_api_token" "deploy" {
  name       = "deploy"
  expires_on = %q
  condition  = { request_ip = { in = ["192.0.2.0/24"] } }
  policies   = [{ effect = "allow", permission_groups = ["DNS Write"], zone_ids = [%q] }]
}
`, time.Now().Add(30*24*time.Hour).UTC().Format(time.RFC3339), exampleCom)
	w.write(t, config)
	w.terraform(t, "plan", "-input=false", "-no-color", "-out=plan.bin")
	planJSON := w.terraform(t, "show", "-json", "plan.bin")

	rules := `
rule "super_admin_only_via_admins" {
  kind    = "deny"
  message = "Super Administrator is given through the admins group only."
  role    = ["Super Administrator - All Privileges"]
  except { via = ["group:admins"] }
}
rule "no_account_wide_for_contractors" {
  kind      = "deny"
  severity  = "warning"
  principal = ["carol@*"]
  scope     = ["account", "all_zones"]
}
rule "four_super_admins" {
  kind = "require"
  min  = 4
  role = ["Super Administrator - All Privileges"]
}
rule "one_dns_editor" {
  kind = "limit"
  max  = 1
  role = "Domain DNS"
}
rule "edit_tokens_expire_and_are_ip_restricted" {
  kind                 = "token"
  role                 = ["* Edit", "* Write"]
  expires_within       = "90d"
  require_ip_condition = true
}
`
	policy := writeFile(t, "guardrails.hcl", rules)
	line := func(block string) string { return "main.tf:" + strconv.Itoa(lineOf(t, config, "resource "+block)) }
	dir := "" // the workspace is no Git repository: files are relative to it
	want := []string{
		"guardrail.super_admin_only_via_admins|error|cfiam_account_member.alice||" + dir + line(`"cfiam_account_member" "alice"`),
		// carol holds Billing account-wide through group billing.
		"guardrail.no_account_wide_for_contractors|warning|cfiam_user_group.billing||" + dir + line(`"cfiam_user_group" "billing"`),
		// alice, bob (through admins) and the admin: three of four; no Super Administrator is revoked, so no address.
		"guardrail.four_super_admins|error|||-",
		// bob (example.org) and carol (example.com) gain Domain DNS: located at bob's block.
		"guardrail.one_dns_editor|error|cfiam_account_member.bob, cfiam_account_member.carol||" + dir + line(`"cfiam_account_member" "bob"`),
		"guardrail.edit_tokens_expire_and_are_ip_restricted|error|cfiam_api_token.ci|expires_on|" + dir + line(`"cfiam_api_token" "ci"`),
		"guardrail.edit_tokens_expire_and_are_ip_restricted|error|cfiam_api_token.ci|condition.request_ip.in|" + dir + line(`"cfiam_api_token" "ci"`),
		"guardrail.edit_tokens_expire_and_are_ip_restricted|error|cfiam_api_token.tokens|expires_on|" + dir + line(`"cfiam_api_token" "tokens"`),
		"guardrail.edit_tokens_expire_and_are_ip_restricted|error|cfiam_api_token.tokens|condition.request_ip.in|" + dir + line(`"cfiam_api_token" "tokens"`),
	}
	code, out, stderr := cfiam(t, planJSON, "review", "--format", "json", "--policy", policy, "--config-dir", w.dir, "-")
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr)
	}
	if got := findingRows(t, out); !slices.Equal(got, want) {
		t.Errorf("findings:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// The Markdown names the violations and counts them.
	_, md, _ := cfiam(t, planJSON, "review", "--policy", policy, "-")
	if !strings.Contains(md, "5 guardrails checked, 8 violations.") || !strings.Contains(md, "`guardrail.one_dns_editor`") {
		t.Errorf("markdown:\n%s", md)
	}
	// Ignored, a violation is silenced like any finding.
	_, out, _ = cfiam(t, planJSON, "review", "--format", "json", "--policy", policy, "--ignore", "cfiam_account_member.alice:guardrail.super_admin_only_via_admins", "-")
	if rows := findingRows(t, out); len(rows) != len(want)-1 || strings.Contains(strings.Join(rows, "\n"), "super_admin_only_via_admins") {
		t.Errorf("--ignore left: %s", strings.Join(rows, "\n"))
	}
	// Only warnings fail nothing at --fail-on error.
	warnOnly := writeFile(t, "warn.hcl", `
rule "no_account_wide_for_contractors" {
  kind      = "deny"
  severity  = "warning"
  principal = ["carol@*"]
  scope     = ["account", "all_zones"]
}`)
	if code, out, _ := cfiam(t, planJSON, "review", "--format", "json", "--policy", warnOnly, "-"); code != 0 || len(findingRows(t, out)) != 1 {
		t.Errorf("warning only: exit %d, findings %v", code, findingRows(t, out))
	}

	// --live: dave, a Super Administrator the plan does not manage, makes
	// four, and breaks the deny from outside the plan.
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: os.Getenv("CLOUDFLARE_BASE_URL"), AccountID: emulator.AccountID, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	sa, err := catalog.Embedded().ResolveRole(superAdmin, catalog.ScopeAccount)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateMember(t.Context(), emulator.AccountID, "dave@example.com", "accepted", []cfclient.MemberPolicy{{Access: "allow",
		PermissionGroups: []cfclient.IDRef{{ID: sa.ID}}, ResourceGroups: []cfclient.RGRef{{ID: emulator.AccountResourceGroupID}}}}); err != nil {
		t.Fatal(err)
	}
	_, out, stderr = cfiam(t, planJSON, "review", "--format", "json", "--live", "--policy", policy, "-")
	rows := findingRows(t, out)
	if slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, "guardrail.four_super_admins") }) {
		t.Errorf("--live: dave should make four Super Administrators: %s (stderr %s)", strings.Join(rows, "\n"), stderr)
	}
	if !slices.Contains(rows, "guardrail.super_admin_only_via_admins|error|(outside this plan)||-") {
		t.Errorf("--live: dave's Super Administrator outside the plan is not reported: %s", strings.Join(rows, "\n"))
	}
}

// A malformed guardrails file: one line naming the file and the line, exit 2.
func TestGuardrails_malformed(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		mention    string
	}{
		{"syntax", "rule \"a\" {\n  kind = \"deny\"\n  role = [\n}\n", 4, ""},
		{"unknown kind", "rule \"a\" {\n  kind = \"forbid\"\n}\n", 2, "want deny, require, limit or token"},
		{"no kind", "\n\nrule \"a\" {\n  role = \"x\"\n}\n", 3, "kind is required"},
		{"unknown attribute", "rule \"a\" {\n  kind = \"deny\"\n  roles = [\"x\"]\n}\n", 3, `unexpected attribute "roles"`},
		{"bad severity", "rule \"a\" {\n  kind = \"deny\"\n  severity = \"fatal\"\n}\n", 3, "blocking or warning"},
		{"bad via", "rule \"a\" {\n  kind = \"deny\"\n  via = [\"through:admins\"]\n}\n", 3, "via"},
		{"bad principal kind", "rule \"a\" {\n  kind = \"deny\"\n  principal = \"user:x\"\n}\n", 3, "principal"},
		{"limit without max", "rule \"a\" {\n  kind = \"limit\"\n}\n", 1, "needs max"},
		{"token without a check", "rule \"a\" {\n  kind = \"token\"\n}\n", 1, "expires_within or require_ip_condition"},
		{"bad expires_within", "rule \"a\" {\n  kind = \"token\"\n  expires_within = \"3 months\"\n}\n", 3, "expires_within"},
		{"max on deny", "rule \"a\" {\n  kind = \"deny\"\n  max = 2\n}\n", 1, "max"},
		{"duplicate", "rule \"a\" {\n  kind = \"deny\"\n}\nrule \"a\" {\n  kind = \"deny\"\n}\n", 4, "twice"},
		{"bad name", "rule \"Super Admins\" {\n  kind = \"deny\"\n}\n", 1, "rule name"},
		{"other block", "policy \"a\" {\n}\n", 1, "rule blocks only"},
		{"variables", "rule \"a\" {\n  kind = var.kind\n}\n", 2, ""},
		{"number as a role", "rule \"a\" {\n  kind = \"deny\"\n  role = [1]\n}\n", 3, "string"},
		{"bad except", "rule \"a\" {\n  kind = \"deny\"\n  except {\n    via = [\"nowhere\"]\n  }\n}\n", 4, "via"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "bad.hcl", tc.text)
			code, out, stderr := cfiam(t, "", "review", "--policy", path, fixtures+"member-revoked/plan.json")
			if code != 2 || out != "" {
				t.Errorf("exit %d, want 2; stdout %q", code, out)
			}
			want := fmt.Sprintf("%s:%d: ", path, tc.line)
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, tc.mention) {
				t.Errorf("stderr %q: want one line with %q and %q", stderr, want, tc.mention)
			}
		})
	}
	code, _, stderr := cfiam(t, "", "review", "--policy", filepath.Join(t.TempDir(), "none.hcl"), fixtures+"member-revoked/plan.json")
	if code != 2 || !strings.Contains(stderr, "cannot read the guardrails file") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}

// TestGuideGuardrails: the guide's guardrails file parses, and holds
// member-escalation's plan to its rules: alice's direct Super
// Administrator breaks the first, one Super Administrator the fourth.
func TestGuideGuardrails(t *testing.T) {
	guide := mustRead(t, "../../templates/guides/reviewing-access-changes.md.tmpl")
	_, block, ok := strings.Cut(guide, "## Guardrails")
	_, block, ok2 := strings.Cut(block, "```hcl\n")
	block, _, ok3 := strings.Cut(block, "```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the guide has no guardrails block")
	}
	rules, err := parseGuardrails([]byte(block), "guide.hcl")
	if err != nil || len(rules) != 5 {
		t.Fatalf("%d rules, %v", len(rules), err)
	}
	policy := writeFile(t, "guardrails.hcl", block)
	code, out, stderr := cfiam(t, "", "review", "--format", "json", "--policy", policy, fixtures+"member-escalation/plan.json")
	want := []string{
		"guardrail.super_admin_only_via_admins|error|cloudflare_account_member.alice||-",
		"guardrail.two_super_administrators|warning|||-",
	}
	if got := findingRows(t, out); code != 1 || !slices.Equal(got, want) {
		t.Errorf("exit %d (stderr %s), findings:\n got %s\nwant %s", code, stderr, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// Every field the help names is in the guide's table, and the other way round.
	for _, field := range []string{"kind", "severity", "message", "min", "max", "expires_within", "require_ip_condition", "principal", "role", "scope", "access", "via", "except"} {
		if !strings.Contains(guide, "| `"+field) || !strings.Contains(guardrailsHelp, "  "+field) {
			t.Errorf("field %q is not in both the guide's table and cfiam review -h", field)
		}
	}
}
