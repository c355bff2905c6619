package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// typedModels switches expand/flatten of member policies to typed models
// (tfsdk tags, reflection), for measuring.
const typedModels = false

type memberPolicyModel struct {
	Access           types.String `tfsdk:"access"`
	Roles            types.Set    `tfsdk:"roles"`
	ZoneIDs          types.Set    `tfsdk:"zone_ids"`
	TunnelIDs        types.Set    `tfsdk:"tunnel_ids"`
	ResourceGroupIDs types.Set    `tfsdk:"resource_group_ids"`
}

func expandMemberPolicyTyped(obj types.Object) policy.MemberPolicy {
	var m memberPolicyModel
	if d := obj.As(context.Background(), &m, basetypes.ObjectAsOptions{}); d.HasError() {
		return policy.MemberPolicy{Unknown: true}
	}
	return policy.MemberPolicy{
		Access:           expandString(m.Access),
		Roles:            expandStrings(m.Roles),
		ZoneIDs:          expandStrings(m.ZoneIDs),
		TunnelIDs:        expandStrings(m.TunnelIDs),
		ResourceGroupIDs: expandStrings(m.ResourceGroupIDs),
	}
}

func flattenMemberPolicyTyped(in policy.MemberPolicy) types.Object {
	access := in.Access.Value
	if access == "" {
		access = "allow"
	}
	m := memberPolicyModel{
		Access:           types.StringValue(access),
		Roles:            flattenStrings(in.Roles.Values()),
		ZoneIDs:          flattenOptionalStrings(in.ZoneIDs.Values(), in.ZoneIDs.IsSet()),
		TunnelIDs:        flattenOptionalStrings(in.TunnelIDs.Values(), in.TunnelIDs.IsSet()),
		ResourceGroupIDs: flattenOptionalStrings(in.ResourceGroupIDs.Values(), len(in.ResourceGroupIDs.Elems) > 0),
	}
	obj, d := types.ObjectValueFrom(context.Background(), policyAttrTypes, m)
	if d.HasError() {
		return types.ObjectUnknown(policyAttrTypes)
	}
	return obj
}
