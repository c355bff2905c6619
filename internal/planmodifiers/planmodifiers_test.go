package planmodifiers_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/planmodifiers"
)

type stringCase struct {
	state, config, plan types.String
	wantPlan            types.String
	wantReplace         bool
}

func runStringCases(t *testing.T, m planmodifier.String, cases map[string]stringCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := planmodifier.StringRequest{Path: path.Root("attr"), StateValue: tc.state, ConfigValue: tc.config, PlanValue: tc.plan}
			resp := &planmodifier.StringResponse{PlanValue: tc.plan}
			m.PlanModifyString(context.Background(), req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("unexpected error: %v", resp.Diagnostics)
			}
			if !resp.PlanValue.Equal(tc.wantPlan) {
				t.Errorf("plan = %s, want %s", resp.PlanValue, tc.wantPlan)
			}
			if resp.RequiresReplace != tc.wantReplace {
				t.Errorf("RequiresReplace = %v, want %v", resp.RequiresReplace, tc.wantReplace)
			}
		})
	}
}

func TestCaseInsensitiveRequiresReplace(t *testing.T) {
	t.Parallel()
	v := types.StringValue
	null, unknown := types.StringNull(), types.StringUnknown()
	runStringCases(t, planmodifiers.CaseInsensitiveRequiresReplace(), map[string]stringCase{
		"create":             {state: null, config: v("Alice@Example.com"), plan: v("Alice@Example.com"), wantPlan: v("Alice@Example.com")},
		"create, unknown":    {state: null, config: unknown, plan: unknown, wantPlan: unknown},
		"destroy":            {state: v("alice@example.com"), config: null, plan: null, wantPlan: null},
		"unchanged":          {state: v("alice@example.com"), config: v("alice@example.com"), plan: v("alice@example.com"), wantPlan: v("alice@example.com")},
		"case only":          {state: v("alice@example.com"), config: v("Alice@Example.COM"), plan: v("Alice@Example.COM"), wantPlan: v("alice@example.com")},
		"case only, reverse": {state: v("Alice@Example.com"), config: v("alice@example.com"), plan: v("alice@example.com"), wantPlan: v("Alice@Example.com")},
		"another value":      {state: v("alice@example.com"), config: v("bob@example.com"), plan: v("bob@example.com"), wantPlan: v("bob@example.com"), wantReplace: true},
		"another value, other case": {state: v("alice@example.com"), config: v("Alicia@example.com"), plan: v("Alicia@example.com"),
			wantPlan: v("Alicia@example.com"), wantReplace: true},
		"unknown": {state: v("alice@example.com"), config: unknown, plan: unknown, wantPlan: unknown, wantReplace: true},
	})
}

func TestMemberStatus(t *testing.T) {
	t.Parallel()
	v := types.StringValue
	null, unknown := types.StringNull(), types.StringUnknown()
	runStringCases(t, planmodifiers.MemberStatus(), map[string]stringCase{
		"create, unset":                 {state: null, config: null, plan: unknown, wantPlan: unknown},
		"create, accepted":              {state: null, config: v("accepted"), plan: v("accepted"), wantPlan: v("accepted")},
		"unset keeps pending":           {state: v("pending"), config: null, plan: unknown, wantPlan: v("pending")},
		"unset keeps accepted":          {state: v("accepted"), config: null, plan: unknown, wantPlan: v("accepted")},
		"pending in config, accepted":   {state: v("accepted"), config: v("pending"), plan: v("pending"), wantPlan: v("accepted")},
		"pending, unchanged":            {state: v("pending"), config: v("pending"), plan: v("pending"), wantPlan: v("pending")},
		"accepted asked of pending":     {state: v("pending"), config: v("accepted"), plan: v("accepted"), wantPlan: v("accepted"), wantReplace: true},
		"accepted, unchanged":           {state: v("accepted"), config: v("accepted"), plan: v("accepted"), wantPlan: v("accepted")},
		"unknown state left alone":      {state: unknown, config: v("accepted"), plan: v("accepted"), wantPlan: v("accepted")},
		"unknown config, pending state": {state: v("pending"), config: unknown, plan: unknown, wantPlan: unknown},
	})
}

// Each plan modifier that says LeavesUnchangedPlan leaves a plan whose
// value is the prior one as it is, for each configuration that Terraform
// proposes the prior value for: none (an optional, computed attribute), or
// the prior value itself.
func TestLeavesUnchangedPlan(t *testing.T) {
	v := types.StringValue
	for name, m := range map[string]planmodifier.String{
		"MemberStatus":                   planmodifiers.MemberStatus(),
		"CaseInsensitiveRequiresReplace": planmodifiers.CaseInsensitiveRequiresReplace(),
	} {
		if _, ok := m.(interface{ LeavesUnchangedPlan() }); !ok {
			t.Errorf("%s does not say LeavesUnchangedPlan", name)
			continue
		}
		for _, prior := range []string{"accepted", "pending", "Dev@Example.com"} {
			for _, config := range []types.String{types.StringNull(), v(prior)} {
				req := planmodifier.StringRequest{Path: path.Root("attr"), StateValue: v(prior), ConfigValue: config, PlanValue: v(prior)}
				resp := &planmodifier.StringResponse{PlanValue: v(prior)}
				m.PlanModifyString(context.Background(), req, resp)
				if !resp.PlanValue.Equal(v(prior)) || resp.RequiresReplace || resp.Diagnostics.HasError() {
					t.Errorf("%s, prior %q, config %s: plan %s, replace %v, %v", name, prior, config, resp.PlanValue, resp.RequiresReplace, resp.Diagnostics)
				}
			}
		}
	}
}
