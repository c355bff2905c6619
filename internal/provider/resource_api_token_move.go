package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*tokenResource)(nil)

// MoveState takes cloudflare_api_token's (into cfiam_api_token) or
// cloudflare_account_token's (into cfiam_account_token) state, official
// provider v5, through a `moved` block. The token keeps its ID and its
// value (the API never returns it again; nothing is rolled); the refresh
// reads the rest as after an import, the JSON-string resources becoming
// typed attributes. See moveState.
func (r *tokenResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveOfficial}}
}

func (r *tokenResource) moveOfficial(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	target, source := r.typeName(), officialAPIToken
	if r.account {
		source = officialAccountToken
	}
	raw, ok := source.accepts(target, req, resp)
	if !ok {
		return
	}
	var t officialToken
	if err := decodeOfficial(req.SourceTypeName, raw, &t); err != nil || t.ID == "" || (r.account && t.AccountID == "") {
		resp.Diagnostics.AddError(officialMoveError, orMissingID(err, req.SourceTypeName))
		return
	}
	value := types.StringNull()
	if t.Value != "" {
		value = types.StringValue(t.Value)
	}
	set := map[string]attr.Value{
		"id":       types.StringValue(t.ID),
		"name":     types.StringValue(t.Name),
		"value":    value,
		"policies": types.ListNull(tokenPolicyObjectType),
	}
	marker := officialMoveMarker{Source: req.SourceTypeName, Target: target, Describe: "API token " + t.ID + " (" + t.Name + ")"}
	if r.account {
		set["account_id"] = types.StringValue(t.AccountID)
		marker.AccountID = t.AccountID
	}
	moveState(ctx, r.identity(), set, marker, resp)
}
