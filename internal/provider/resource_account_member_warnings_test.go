package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

func policySet(t *testing.T, inputs ...policy.MemberPolicy) types.Set {
	t.Helper()
	var elems []attr.Value
	for _, in := range inputs {
		elems = append(elems, flattenMemberPolicy(in))
	}
	return types.SetValueMust(policyObjectType, elems)
}

func warningSummaries(t *testing.T, plan, prior types.Set) []string {
	t.Helper()
	var out []string
	for _, d := range memberGrantWarnings(plan, prior, catalog.Embedded(), policy.GranteeMember, nil) {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return out
}

func TestMemberGrantWarnings(t *testing.T) {
	none := types.SetNull(policyObjectType)
	analyst := policy.MemberPolicy{Roles: policy.Set("Email Security Analyst")}
	pii := policy.MemberPolicy{Roles: policy.Set("Cloudflare Zero Trust PII")}
	super := policy.MemberPolicy{Roles: policy.Set("Super Administrator - All Privileges")}

	got := warningSummaries(t, policySet(t, analyst), none)
	if len(got) != 1 || !strings.Contains(got[0], "Role needs Cloudflare Zero Trust PII") || !strings.Contains(got[0], `"Email Security Analyst"`) {
		t.Errorf("Email Security Analyst without PII: %v", got)
	}
	if got := warningSummaries(t, policySet(t, analyst, pii), none); len(got) != 0 {
		t.Errorf("with the PII role beside it, no warning: %v", got)
	}
	denied := policy.MemberPolicy{Access: policy.Str("deny"), Roles: policy.Set("Cloudflare Zero Trust PII")}
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
	if got := warningSummaries(t, policySet(t, policy.MemberPolicy{Roles: policy.Set("Analytics")}), none); len(got) != 0 {
		t.Errorf("an ordinary role warns: %v", got)
	}
}

// Logs-permissions.md: Logpush jobs of Zero Trust datasets need Logs Edit and
// Zero Trust PII Read; Administrator and Log Share give only the first. The
// warning comes with the change that opens the gap, not on every plan.
func TestMemberGrantWarnings_logpushZeroTrust(t *testing.T) {
	none := types.SetNull(policyObjectType)
	admin := policy.MemberPolicy{Roles: policy.Set("Administrator")}
	logShare := policy.MemberPolicy{Roles: policy.Set("log share", "Cloudflare Gateway")}
	pii := policy.MemberPolicy{Roles: policy.Set("Cloudflare Zero Trust PII")}
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
	if got := warningSummaries(t, policySet(t, policy.MemberPolicy{Roles: policy.Set("Log Share Reader")}), none); len(got) != 0 {
		t.Errorf("Log Share Reader edits no Logpush job: %v", got)
	}
	if got := warningSummaries(t, policySet(t, policy.MemberPolicy{Access: policy.Str("deny"), Roles: policy.Set("Administrator")}), none); len(got) != 0 {
		t.Errorf("a denied Administrator grants nothing: %v", got)
	}
}
