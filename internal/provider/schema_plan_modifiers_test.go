package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// runStringModifiers applies modifiers the way terraform-plugin-framework
// does: in order, each seeing the plan value the one before left, the
// replacements added up (a later modifier cannot take one back).
func runStringModifiers(mods []planmodifier.String, state, config types.String) (types.String, bool) {
	// An update: neither the prior state nor the plan is null as a whole.
	obj := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{})
	plan, replace := config, false
	for _, m := range mods {
		req := planmodifier.StringRequest{Path: path.Root("email"), StateValue: state, ConfigValue: config, PlanValue: plan,
			State: tfsdk.State{Raw: obj}, Plan: tfsdk.Plan{Raw: obj}}
		resp := &planmodifier.StringResponse{PlanValue: plan}
		m.PlanModifyString(context.Background(), req, resp)
		plan = resp.PlanValue
		replace = replace || resp.RequiresReplace
	}
	return plan, replace
}

// permutations returns every order of mods.
func permutations(mods []planmodifier.String) [][]planmodifier.String {
	if len(mods) <= 1 {
		return [][]planmodifier.String{mods}
	}
	var out [][]planmodifier.String
	for i := range mods {
		rest := append(append([]planmodifier.String{}, mods[:i]...), mods[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]planmodifier.String{mods[i]}, p...))
		}
	}
	return out
}

// The member's e-mail ignores case and replaces on any other change, whatever
// the order of its plan modifiers: the old pair (keep the prior value when
// equal ignoring case, then stringplanmodifier.RequiresReplace) replaced a
// member whose e-mail changed case only when written the other way round.
func TestAccountMemberEmailModifiers_orderIndependent(t *testing.T) {
	t.Parallel()
	var resp resource.SchemaResponse
	NewAccountMemberResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	email, ok := resp.Schema.Attributes["email"].(schema.StringAttribute)
	if !ok {
		t.Fatal("email is not a string attribute")
	}
	if len(email.PlanModifiers) == 0 {
		t.Fatal("email has no plan modifiers")
	}
	state := types.StringValue("alice@example.com")
	for _, mods := range permutations(email.PlanModifiers) {
		if plan, replace := runStringModifiers(mods, state, types.StringValue("Alice@Example.COM")); replace || !plan.Equal(state) {
			t.Errorf("case-only change: plan %s, replace %v; want %s, no replacement", plan, replace, state)
		}
		if plan, replace := runStringModifiers(mods, state, types.StringValue("bob@example.com")); !replace || plan.ValueString() != "bob@example.com" {
			t.Errorf("new address: plan %s, replace %v; want bob@example.com, replacement", plan, replace)
		}
	}
	// The simulation itself tells the orders apart: with RequiresReplace
	// first, a case-only change replaces.
	mods := append([]planmodifier.String{stringplanmodifier.RequiresReplace()}, email.PlanModifiers...)
	if _, replace := runStringModifiers(mods, state, types.StringValue("Alice@Example.COM")); !replace {
		t.Error("RequiresReplace before the e-mail's modifiers should replace on a case-only change")
	}
}
