package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// getModel must read a holder's state or plan exactly as the framework's
// Get does: the framework's answer is the expectation.
func TestGetModelReadsAsTheFramework(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	(&accountMemberResource{}).Schema(ctx, resource.SchemaRequest{}, &sresp)
	schema := sresp.Schema

	roles := types.SetValueMust(types.StringType, []attr.Value{types.StringValue("Analytics"), types.StringUnknown()})
	policyAttrs := map[string]attr.Value{}
	for name, typ := range policyAttrTypes {
		if typ == types.StringType {
			policyAttrs[name] = types.StringValue("allow")
		} else {
			policyAttrs[name] = types.SetNull(types.StringType)
		}
	}
	policyAttrs["roles"] = roles
	full := importedMember("0123456789abcdef0123456789abcdef")
	full.ID = types.StringValue("m1")
	full.Email = types.StringValue("a@example.com")
	full.Status = types.StringUnknown()
	full.Policies = types.SetValueMust(policyObjectType, []attr.Value{types.ObjectValueMust(policyAttrTypes, policyAttrs)})
	full.AllowRemovingLastSuperAdmins = types.BoolValue(true)

	for name, m := range map[string]accountMemberModel{"imported": importedMember("a"), "full": full} {
		t.Run(name, func(t *testing.T) {
			state := tfsdk.State{Schema: schema, Raw: tftypes.NewValue(schema.Type().TerraformType(ctx), nil)}
			if d := state.Set(ctx, &m); d.HasError() {
				t.Fatal(d)
			}
			plan := tfsdk.Plan{Schema: schema, Raw: state.Raw}
			for from, getter := range map[string]modelGetter{"state": state, "plan": plan} {
				var want, got accountMemberModel
				if d := getter.Get(ctx, &want); d.HasError() {
					t.Fatal(d)
				}
				if !fillModel(ctx, state.Raw, schema.Type(), &got) {
					t.Fatalf("%s: fillModel left it to the framework", from)
				}
				if d := getModel(ctx, getter, &got); d.HasError() || !reflect.DeepEqual(got, want) || !sameModel(got, m) {
					t.Errorf("%s: getModel %+v (%v)\nframework %+v", from, got, d, want)
				}
			}
		})
	}

	// What it leaves to the framework.
	state := tfsdk.State{Schema: schema, Raw: tftypes.NewValue(schema.Type().TerraformType(ctx), nil)}
	var m accountMemberModel
	if fillModel(ctx, state.Raw, schema.Type(), &m) {
		t.Error("fillModel read a null state")
	}
	type withPlainField struct {
		ID   types.String `tfsdk:"id"`
		Name string       `tfsdk:"name"`
	}
	plainType := types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "name": types.StringType}}
	raw := tftypes.NewValue(plainType.TerraformType(ctx), map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "x"), "name": tftypes.NewValue(tftypes.String, "n")})
	var p withPlainField
	if fillModel(ctx, raw, plainType, &p) {
		t.Error("fillModel read a model with a plain string field")
	}
	type missingField struct {
		ID types.String `tfsdk:"id"`
	}
	var mf missingField
	if fillModel(ctx, raw, plainType, &mf) {
		t.Error("fillModel read an object into a model lacking one of its attributes")
	}
}
