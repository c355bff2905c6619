package planmodifiers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

var _ planmodifier.String = memberStatus{}

// MemberStatus is for cfiam_account_member's status ("pending" or
// "accepted"): it keeps "accepted" when the configuration still says
// "pending" (the member accepted the invitation) or says nothing, and
// requires replacement (a new membership) when "accepted" is asked of a
// pending member, which the API cannot change in place.
func MemberStatus() planmodifier.String { return memberStatus{} }

type memberStatus struct{}

func (memberStatus) Description(context.Context) string {
	return "keeps an accepted status; re-creates a pending member asked to be accepted"
}

func (m memberStatus) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (memberStatus) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	switch {
	case req.ConfigValue.IsNull():
		resp.PlanValue = req.StateValue
	case req.StateValue.ValueString() == "accepted":
		resp.PlanValue = req.StateValue
	case req.ConfigValue.ValueString() == "accepted" && req.StateValue.ValueString() == "pending":
		resp.RequiresReplace = true
	}
}

// LeavesUnchangedPlan: with the planned status the prior one, the plan stays
// as it is (an accepted or a pending status is kept; a re-creation needs
// "accepted" planned over "pending"). protoserver's shortcut skips it then;
// TestLeavesUnchangedPlan shows it.
func (memberStatus) LeavesUnchangedPlan() {}
