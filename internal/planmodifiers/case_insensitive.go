package planmodifiers

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

var _ planmodifier.String = caseInsensitiveReplace{}

// CaseInsensitiveRequiresReplace is for a string that the API compares
// ignoring case and that cannot change in place (a member's e-mail): a new
// value equal to the prior one ignoring case plans the prior value (no
// change shows); any other change requires replacement, an unknown one too.
// It replaces the pair "keep the prior value when equal ignoring case" +
// stringplanmodifier.RequiresReplace(), whose result depended on their order.
func CaseInsensitiveRequiresReplace() planmodifier.String { return caseInsensitiveReplace{} }

type caseInsensitiveReplace struct{}

func (caseInsensitiveReplace) Description(context.Context) string {
	return "differences in case only are ignored; any other change replaces the resource"
}

func (m caseInsensitiveReplace) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (caseInsensitiveReplace) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	// Nothing to compare on create (no prior value) or destroy (no new one).
	if req.StateValue.IsNull() || req.PlanValue.IsNull() {
		return
	}
	if req.PlanValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	if strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
		resp.PlanValue = req.StateValue
		return
	}
	resp.RequiresReplace = true
}

// LeavesUnchangedPlan: with the planned value the prior one, the plan keeps
// it and nothing is replaced. protoserver's shortcut skips it then;
// TestLeavesUnchangedPlan shows it.
func (caseInsensitiveReplace) LeavesUnchangedPlan() {}
