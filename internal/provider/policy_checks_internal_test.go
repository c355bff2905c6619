package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// validatePoliciesOffline checks a configuration as Terraform sends it
// (rawMemberPolicies) before it builds the framework's values: both readings
// must give the checks the same inputs, known, null and unknown alike.
func TestRawMemberPoliciesReadAsTheFramework(t *testing.T) {
	ctx := context.Background()
	str := func(v string) attr.Value { return types.StringValue(v) }
	set := func(vs ...attr.Value) types.Set { return types.SetValueMust(types.StringType, vs) }
	policyOf := func(set map[string]attr.Value) attr.Value {
		attrs := map[string]attr.Value{}
		for name, typ := range policyAttrTypes {
			switch {
			case set[name] != nil:
				attrs[name] = set[name]
			case typ == types.StringType:
				attrs[name] = types.StringNull()
			default:
				attrs[name] = types.SetNull(types.StringType)
			}
		}
		return types.ObjectValueMust(policyAttrTypes, attrs)
	}
	tunnels := catalog.Kinds()[0].Attribute
	for name, policies := range map[string]types.Set{
		"null":    types.SetNull(policyObjectType),
		"unknown": types.SetUnknown(policyObjectType),
		"empty":   types.SetValueMust(policyObjectType, nil),
		"several": types.SetValueMust(policyObjectType, []attr.Value{
			policyOf(map[string]attr.Value{"access": str("allow"), "roles": set(str("Analytics"), str("Billing"))}),
			policyOf(map[string]attr.Value{"access": str("deny"), "roles": set(str("DNS")), "zone_ids": set(str("z1"), types.StringUnknown())}),
			policyOf(map[string]attr.Value{"access": types.StringUnknown(), "roles": types.SetUnknown(types.StringType), tunnels: set(str("t1"))}),
			policyOf(map[string]attr.Value{"roles": set(str("x")), "resource_group_ids": types.SetUnknown(types.StringType)}),
			types.ObjectUnknown(policyAttrTypes),
		}),
	} {
		t.Run(name, func(t *testing.T) {
			obj := types.ObjectValueMust(map[string]attr.Type{"policies": types.SetType{ElemType: policyObjectType}, "id": types.StringType},
				map[string]attr.Value{"policies": policies, "id": types.StringNull()})
			raw, err := obj.ToTerraformValue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := rawMemberPolicies(raw)
			if !ok {
				t.Fatal("rawMemberPolicies: not read")
			}
			want, _ := expandMemberPolicies(policies)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("raw\n %+v\nframework\n %+v", got, want)
			}
		})
	}

	// Written out: the one policy of a configuration, as the checks take it.
	policyType, _ := policyObjectType.TerraformType(ctx).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, typ := range policyType.AttributeTypes {
		attrs[name] = tftypes.NewValue(typ, nil)
	}
	attrs["access"] = tftypes.NewValue(tftypes.String, "allow")
	attrs["roles"] = tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "Analytics")})
	config := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"policies": tftypes.Set{ElementType: policyType}}},
		map[string]tftypes.Value{"policies": tftypes.NewValue(tftypes.Set{ElementType: policyType}, []tftypes.Value{tftypes.NewValue(policyType, attrs)})})
	got, ok := rawMemberPolicies(config)
	if !ok || len(got) != 1 {
		t.Fatalf("rawMemberPolicies = %+v, %v; want one policy", got, ok)
	}
	p := got[0]
	if p.Access != policy.Str("allow") || !reflect.DeepEqual(p.Roles, policy.Set("Analytics")) || p.ZoneIDs.IsSet() || p.Unknown {
		t.Errorf("policy %+v: want allow, roles Analytics, no zones", p)
	}
	for scope, ids := range p.Resources {
		if ids.IsSet() {
			t.Errorf("policy names %s objects %+v; it names none", scope, ids)
		}
	}
	if _, ok := rawMemberPolicies(tftypes.NewValue(tftypes.String, "x")); ok {
		t.Error("rawMemberPolicies read a string as a holder's configuration")
	}
}
