package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	accountA = "023e105f4ecef8ad9ca31a8372d0c353"
	accountB = "0123456789abcdef0123456789abcdef"
)

// memberValue is a cfiam_account_member object with the given top-level
// string attributes set and the others null.
func memberValue(t *testing.T, set map[string]string) *tfprotov6.DynamicValue {
	t.Helper()
	typ := unchangedPlans["cfiam_account_member"].valueType(context.Background())
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("member type is %T", typ)
	}
	attrs := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			attrs[name] = tftypes.NewValue(tftypes.String, v)
		} else {
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// The shortcut answers a member's unchanged plan with its prior state only
// where planAccount would leave the account as it is. The rule, written out
// from the docs of account_id: a member whose configuration names no account
// is in the provider's account, and a change of the provider's account
// replaces it; a provider naming no account leaves it where it is.
func TestAnswerUnchanged_member(t *testing.T) {
	ctx := context.Background()
	inA := map[string]string{"id": "m1", "account_id": accountA, "email": "dev@example.com"}
	prior := memberValue(t, inA)
	changed := memberValue(t, map[string]string{"id": "m1", "account_id": accountA, "email": "ops@example.com"})
	configNoAccount := memberValue(t, map[string]string{"email": "dev@example.com"})
	configAccountA := memberValue(t, map[string]string{"email": "dev@example.com", "account_id": accountA})
	request := func(typeName string, config, proposed *tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeRequest {
		return &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: config, PriorState: prior, ProposedNewState: proposed,
			PriorPrivate: []byte(`{"k":"v"}`)}
	}
	for _, c := range []struct {
		name     string
		provider *providerData
		req      *tfprotov6.PlanResourceChangeRequest
		answered bool
	}{
		{"provider in the member's account", &providerData{accountID: accountA}, request("cfiam_account_member", configNoAccount, prior), true},
		{"provider names no account", &providerData{}, request("cfiam_account_member", configNoAccount, prior), true},
		{"account in the configuration", &providerData{accountID: accountB}, request("cfiam_account_member", configAccountA, prior), true},
		{"provider moved to another account", &providerData{accountID: accountB}, request("cfiam_account_member", configNoAccount, prior), false},
		{"a change proposed", &providerData{accountID: accountA}, request("cfiam_account_member", configNoAccount, changed), false},
		{"provider not configured", nil, request("cfiam_account_member", configNoAccount, prior), false},
		{"a type the shortcut does not serve", &providerData{accountID: accountA}, request("cfiam_user_group", configNoAccount, prior), false},
		{"a create", &providerData{accountID: accountA}, &tfprotov6.PlanResourceChangeRequest{TypeName: "cfiam_account_member",
			Config: configNoAccount, ProposedNewState: prior}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, ok := answerUnchanged(ctx, c.provider, c.req)
			if ok != c.answered {
				t.Fatalf("answered = %v, want %v", ok, c.answered)
			}
			if !ok {
				return
			}
			if string(resp.PlannedState.MsgPack) != string(prior.MsgPack) || string(resp.PlannedPrivate) != `{"k":"v"}` ||
				len(resp.Diagnostics) > 0 || len(resp.RequiresReplace) > 0 {
				t.Fatalf("the answer is not the prior state as it is: %+v", resp)
			}
		})
	}
}

// VerifyUnchangedPlans fails a plan where the framework's answer is not the
// shortcut's.
func TestSameAnswer_findsDisagreements(t *testing.T) {
	ctx := context.Background()
	prior := memberValue(t, map[string]string{"id": "m1", "account_id": accountA, "email": "dev@example.com"})
	other := memberValue(t, map[string]string{"id": "m1", "account_id": accountB, "email": "dev@example.com"})
	req := &tfprotov6.PlanResourceChangeRequest{TypeName: "cfiam_account_member", PriorState: prior, ProposedNewState: prior}
	short := &tfprotov6.PlanResourceChangeResponse{PlannedState: prior}
	if d := sameAnswer(ctx, req, short, &tfprotov6.PlanResourceChangeResponse{PlannedState: prior, PlannedPrivate: []byte("{}")}); d != "" {
		t.Fatalf("equal answers reported as different: %s", d)
	}
	for name, full := range map[string]*tfprotov6.PlanResourceChangeResponse{
		"another planned state": {PlannedState: other},
		"a replacement":         {PlannedState: prior, RequiresReplace: []*tftypes.AttributePath{tftypes.NewAttributePath().WithAttributeName("account_id")}},
		"a warning": {PlannedState: prior, Diagnostics: []*tfprotov6.Diagnostic{{
			Severity: tfprotov6.DiagnosticSeverityWarning, Summary: "Grants Super Administrator"}}},
		"another private state": {PlannedState: prior, PlannedPrivate: []byte(`{"k":"v"}`)},
	} {
		if d := sameAnswer(ctx, req, short, full); d == "" {
			t.Errorf("%s: not reported", name)
		}
	}
}
