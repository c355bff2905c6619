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
