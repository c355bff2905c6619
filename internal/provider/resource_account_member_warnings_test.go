package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func policySet(t *testing.T, inputs ...memberPolicyInput) types.Set {
	t.Helper()
	var elems []attr.Value
	for _, in := range inputs {
		obj, diags := policyObject(in)
		if diags.HasError() {
			t.Fatal(diags)
		}
		elems = append(elems, obj)
	}
	return types.SetValueMust(policyObjectType, elems)
}

func warningSummaries(t *testing.T, plan, prior types.Set) []string {
	t.Helper()
	var out []string
	for _, d := range memberGrantWarnings(plan, prior, catalog.Embedded()) {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return out
}

func TestMemberGrantWarnings(t *testing.T) {
	none := types.SetNull(policyObjectType)
	analyst := memberPolicyInput{Roles: []string{"Email Security Analyst"}}
	pii := memberPolicyInput{Roles: []string{"Cloudflare Zero Trust PII"}}
	super := memberPolicyInput{Roles: []string{"Super Administrator - All Privileges"}}

	got := warningSummaries(t, policySet(t, analyst), none)
	if len(got) != 1 || !strings.Contains(got[0], "Role needs Cloudflare Zero Trust PII") || !strings.Contains(got[0], `"Email Security Analyst"`) {
		t.Errorf("Email Security Analyst without PII: %v", got)
	}
	if got := warningSummaries(t, policySet(t, analyst, pii), none); len(got) != 0 {
		t.Errorf("with the PII role beside it, no warning: %v", got)
	}
	denied := memberPolicyInput{Access: "deny", Roles: []string{"Cloudflare Zero Trust PII"}}
	if got := warningSummaries(t, policySet(t, analyst, denied), none); len(got) != 1 {
		t.Errorf("a denied PII role does not count: %v", got)
	}

	got = warningSummaries(t, policySet(t, super), none)
	if len(got) != 1 || !strings.Contains(got[0], "Grants Super Administrator") {
		t.Errorf("granting Super Administrator: %v", got)
	}
	if got := warningSummaries(t, policySet(t, super), policySet(t, super)); len(got) != 0 {
		t.Errorf("keeping Super Administrator is not a new grant: %v", got)
	}
	if got := warningSummaries(t, policySet(t, memberPolicyInput{Roles: []string{"Analytics"}}), none); len(got) != 0 {
		t.Errorf("an ordinary role warns: %v", got)
	}
}

// Logs-permissions.md: Logpush jobs of Zero Trust datasets need Logs Edit and
// Zero Trust PII Read; Administrator and Log Share give only the first. The
// warning comes with the change that opens the gap, not on every plan.
func TestMemberGrantWarnings_logpushZeroTrust(t *testing.T) {
	none := types.SetNull(policyObjectType)
	admin := memberPolicyInput{Roles: []string{"Administrator"}}
	logShare := memberPolicyInput{Roles: []string{"log share", "Cloudflare Gateway"}}
	pii := memberPolicyInput{Roles: []string{"Cloudflare Zero Trust PII"}}
	const summary = "Logpush for Zero Trust datasets needs Cloudflare Zero Trust PII"

	got := warningSummaries(t, policySet(t, admin), none)
	if len(got) != 1 || !strings.HasPrefix(got[0], summary) || !strings.Contains(got[0], `With "Administrator" the member`) {
		t.Errorf("Administrator without PII: %v", got)
	}
	got = warningSummaries(t, policySet(t, admin, logShare), none)
	if len(got) != 1 || !strings.Contains(got[0], `With "Administrator" and "Log Share" the member`) {
		t.Errorf("Administrator and Log Share without PII: one warning naming both: %v", got)
	}
	if got := warningSummaries(t, policySet(t, admin, pii), none); len(got) != 0 {
		t.Errorf("with the PII role, no warning: %v", got)
	}
	if got := warningSummaries(t, policySet(t, admin), policySet(t, admin)); len(got) != 0 {
		t.Errorf("an unchanged Administrator warns on every plan: %v", got)
	}
	got = warningSummaries(t, policySet(t, admin), policySet(t, admin, pii))
	if len(got) != 1 || !strings.HasPrefix(got[0], summary) {
		t.Errorf("removing the PII role from an Administrator: %v", got)
	}
	if got := warningSummaries(t, policySet(t, memberPolicyInput{Roles: []string{"Log Share Reader"}}), none); len(got) != 0 {
		t.Errorf("Log Share Reader edits no Logpush job: %v", got)
	}
	if got := warningSummaries(t, policySet(t, memberPolicyInput{Access: "deny", Roles: []string{"Administrator"}}), none); len(got) != 0 {
		t.Errorf("a denied Administrator grants nothing: %v", got)
	}
}
