package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	accountA = "023e105f4ecef8ad9ca31a8372d0c353"
	accountB = "0123456789abcdef0123456789abcdef"
)

// memberValue is a cfiam_account_member object with the given top-level
// string attributes set and the others null.
func memberValue(t *testing.T, set map[string]string) tftypes.Value {
	t.Helper()
	var resp resource.SchemaResponse
	NewAccountMemberResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	typ, ok := resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the member's type is not an object")
	}
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			attrs[name] = tftypes.NewValue(tftypes.String, v)
		} else {
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, attrs)
}

// A member's ModifyPlan plans its prior state, given it as proposed, only
// where planAccount leaves the account as it is. The rule, written out from
// the docs of account_id: a member whose configuration names no account is
// in the provider's account, and a change of the provider's account
// replaces it; a provider naming no account leaves it where it is.
func TestPlansPriorState_member(t *testing.T) {
	ctx := context.Background()
	prior := memberValue(t, map[string]string{"id": "m1", "account_id": accountA, "email": "dev@example.com"})
	configNoAccount := memberValue(t, map[string]string{"email": "dev@example.com"})
	configAccountA := memberValue(t, map[string]string{"email": "dev@example.com", "account_id": accountA})
	for _, c := range []struct {
		name     string
		provider *providerData
		config   tftypes.Value
		holds    bool
	}{
		{"provider in the member's account", &providerData{accountID: accountA}, configNoAccount, true},
		{"provider names no account", &providerData{}, configNoAccount, true},
		{"account in the configuration", &providerData{accountID: accountB}, configAccountA, true},
		{"provider moved to another account", &providerData{accountID: accountB}, configNoAccount, false},
		{"provider not configured", nil, configNoAccount, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &accountMemberResource{}
			r.data = c.provider
			if got := r.PlansPriorState(ctx, c.config, prior); got != c.holds {
				t.Fatalf("PlansPriorState = %v, want %v", got, c.holds)
			}
		})
	}
}
