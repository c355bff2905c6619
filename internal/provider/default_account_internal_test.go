package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// objectOf is a value of the schema's object type: every attribute null but
// those given.
func objectOf(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %T is not an object", typ)
	}
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(obj, vals)
}

// Each resource's own ModifyPlan applies the default-account rule (the
// acceptance test TestAccDefaultAccount_providerAccountChangedReplaces
// needs a second account the emulator does not seed for the member and the
// binding, whose plans read that account's catalog): account_id left out,
// the provider's account changed from A to B, offline so that no catalog is
// read. Before, the member, the binding and the account token kept A.
func TestModifyPlan_providerAccountChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const acctA, acctB = "f037e56e89293a057740de681ac9abbe", "0123456789abcdef0123456789abcdef"
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for name, r := range map[string]resource.ResourceWithModifyPlan{
		"cfiam_account_member":    &accountMemberResource{},
		"cfiam_tunnel_binding":    &bindingResource{kind: bindingKindOf(catalog.Kinds()[0])},
		"cfiam_mesh_node_binding": &bindingResource{kind: bindingKindOf(catalog.Kinds()[1])},
		"cfiam_account_token":     &tokenResource{account: true},
		"cfiam_resource_group":    &resourceGroupResource{},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var sresp resource.SchemaResponse
			r.Schema(ctx, resource.SchemaRequest{}, &sresp)
			typ := sresp.Schema.Type().TerraformType(ctx)
			*dataOf(t, r) = &providerData{accountID: acctB}

			prior := objectOf(t, typ, map[string]tftypes.Value{"id": str("x"), "account_id": str(acctA)})
			// Terraform's proposal keeps the prior account (UseStateForUnknown).
			req := resource.ModifyPlanRequest{
				Config: tfsdk.Config{Schema: sresp.Schema, Raw: objectOf(t, typ, nil)},
				State:  tfsdk.State{Schema: sresp.Schema, Raw: prior},
				Plan:   tfsdk.Plan{Schema: sresp.Schema, Raw: prior},
			}
			resp := &resource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("ModifyPlan: %v", resp.Diagnostics)
			}
			var got types.String
			resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("account_id"), &got)...)
			if got.ValueString() != acctB {
				t.Errorf("planned account_id %s, want the provider's %s", got, acctB)
			}
			if !resp.RequiresReplace.Contains(path.Root("account_id")) {
				t.Errorf("RequiresReplace %v, want account_id", resp.RequiresReplace)
			}

			// The same account: no replacement.
			*dataOf(t, r) = &providerData{accountID: acctA}
			resp = &resource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, resp)
			if resp.Diagnostics.HasError() || len(resp.RequiresReplace) != 0 {
				t.Errorf("same account: %v, RequiresReplace %v; want neither", resp.Diagnostics, resp.RequiresReplace)
			}
		})
	}
}

// dataOf is the resource's providerData field, for configure.
func dataOf(t *testing.T, r resource.Resource) **providerData {
	t.Helper()
	switch r := r.(type) {
	case *accountMemberResource:
		return &r.data
	case *bindingResource:
		return &r.data
	case *tokenResource:
		return &r.data
	case *resourceGroupResource:
		return &r.data
	}
	t.Fatalf("no providerData in %T", r)
	return nil
}
