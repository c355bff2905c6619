package protoserver

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	thingType    = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "name": tftypes.String, "note": tftypes.String}}
	thingIDType  = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
	emptyObjType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
)

func thingValue(t *testing.T, id, name, note any) *tfprotov6.DynamicValue { //nolint:unparam // name is the Required attribute a case may change
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(thingType, tftypes.NewValue(thingType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, id), "name": tftypes.NewValue(tftypes.String, name), "note": tftypes.NewValue(tftypes.String, note)}))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func decode(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// fakeServer is a wrapped server of fakeProvider, configured unless
// unconfigured, with b as fake_thing's behaviour.
func fakeServer(t *testing.T, b *thingBehaviour, configure bool, opts ...Option) tfprotov6.ProviderServer {
	t.Helper()
	p := &fakeProvider{thing: b}
	s := Wrap(p, providerserver.NewProtocol6(p), opts...)()
	ctx := context.Background()
	if _, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	if configure {
		cfg, err := tfprotov6.NewDynamicValue(emptyObjType, tftypes.NewValue(emptyObjType, map[string]tftypes.Value{}))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("configure: %v %v", err, resp)
		}
	}
	return s
}

// A state written by Terraform before 1.12 has no identity: a read fills it
// in, as the framework does, and keeps the state's own bytes.
func TestRead_fillsInAMissingIdentity(t *testing.T) {
	b := &thingBehaviour{}
	s := fakeServer(t, b, true)
	state := thingValue(t, "t1", "a", nil)
	resp, err := s.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "fake_thing", CurrentState: state})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("read: %v %v", err, resp.Diagnostics)
	}
	if resp.NewIdentity == nil || resp.NewIdentity.IdentityData == nil {
		t.Fatal("the read answered no identity: Terraform keeps the state without one")
	}
	if id := decode(t, thingIDType, resp.NewIdentity.IdentityData)["id"]; !id.Equal(tftypes.NewValue(tftypes.String, "t1")) {
		t.Fatalf("identity id = %v, want t1", id)
	}
	if string(resp.NewState.MsgPack) != string(state.MsgPack) || b.reads.Load() != 1 {
		t.Fatalf("want the state as it was, read once; read %d times", b.reads.Load())
	}
}

// A read that finds a change answers it from the one Read.
func TestRead_driftIsOneRead(t *testing.T) {
	b := &thingBehaviour{driftNote: "changed"}
	s := fakeServer(t, b, true)
	resp, err := s.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "fake_thing", CurrentState: thingValue(t, "t1", "a", "before")})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("read: %v %v", err, resp.Diagnostics)
	}
	if note := decode(t, thingType, resp.NewState)["note"]; !note.Equal(tftypes.NewValue(tftypes.String, "changed")) {
		t.Fatalf("note = %v, want changed", note)
	}
	if n := b.reads.Load(); n != 1 {
		t.Fatalf("Read ran %d times, want 1", n)
	}
}

// Verify reads again through the framework and fails a read the two answer
// differently; a read the two agree on is the shortcut's.
func TestRead_verified(t *testing.T) {
	b := &thingBehaviour{}
	s := fakeServer(t, b, true, Verify(false))
	req := &tfprotov6.ReadResourceRequest{TypeName: "fake_thing", CurrentState: thingValue(t, "t1", "a", nil)}
	resp, err := s.ReadResource(context.Background(), req)
	if err != nil || len(resp.Diagnostics) > 0 || b.reads.Load() != 2 {
		t.Fatalf("read: %v %v, Read ran %d times (want 2: the shortcut's and the framework's)", err, resp.Diagnostics, b.reads.Load())
	}
	b.noIdentity = true // the shortcut then goes to the framework, which fails the read itself
	b.driftNote = "x"
	resp, _ = s.ReadResource(context.Background(), req)
	if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Summary, "Missing Resource Identity") {
		t.Fatalf("a read leaving no identity: got %v, want the framework's error", resp.Diagnostics)
	}
}

// The unchanged-plan shortcut answers with the prior state only when
// Terraform proposes it, for a configured provider whose resource says
// PlansPriorState; Verify fails a plan the resource's ModifyPlan would
// change (a declaration that no longer says what ModifyPlan does).
func TestPlan_unchanged(t *testing.T) {
	ctx := context.Background()
	prior := thingValue(t, "t1", "a", "n")
	config := thingValue(t, nil, "a", nil)
	req := func(prior, proposed *tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeRequest {
		return &tfprotov6.PlanResourceChangeRequest{TypeName: "fake_thing", Config: config, PriorState: prior, ProposedNewState: proposed,
			PriorPrivate: []byte(`{"k":"InYi"}`)}
	}
	// ModifyPlan sets note to "m": an answer of the framework's shows in it.
	for _, c := range []struct {
		name       string
		configured bool
		plansPrior bool
		req        *tfprotov6.PlanResourceChangeRequest
		short      bool
	}{
		{"unchanged", true, true, req(prior, prior), true},
		{"the resource says no", true, false, req(prior, prior), false},
		{"provider not configured", false, true, req(prior, prior), false},
		{"a change proposed", true, true, req(prior, thingValue(t, "t1", "a", "other")), false},
		{"a create", true, true, req(nil, thingValue(t, nil, "a", nil)), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := fakeServer(t, &thingBehaviour{plansPrior: c.plansPrior, modifyNote: "m"}, c.configured)
			resp, err := s.PlanResourceChange(ctx, c.req)
			if err != nil || len(resp.Diagnostics) > 0 {
				t.Fatalf("plan: %v %s: %s", err, resp.Diagnostics[0].Summary, resp.Diagnostics[0].Detail)
			}
			note := decode(t, thingType, resp.PlannedState)["note"]
			if short := !note.Equal(tftypes.NewValue(tftypes.String, "m")); short != c.short {
				t.Fatalf("answered by the shortcut: %v, want %v (note %v)", short, c.short, note)
			}
			if c.short && (string(resp.PlannedState.MsgPack) != string(prior.MsgPack) || string(resp.PlannedPrivate) != `{"k":"InYi"}`) {
				t.Fatal("the shortcut's answer is not the prior state and private state as they are")
			}
		})
	}
	s := fakeServer(t, &thingBehaviour{plansPrior: true, modifyNote: "m"}, true, Verify(false))
	resp, err := s.PlanResourceChange(ctx, req(prior, prior))
	if err != nil || len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Summary, "Plan shortcut disagrees") {
		t.Fatalf("Verify: got %v %v, want the disagreement alone", err, resp)
	}
	s = fakeServer(t, &thingBehaviour{plansPrior: true}, true, Verify(false))
	if resp, err := s.PlanResourceChange(ctx, req(prior, prior)); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("Verify of a true declaration: %v %s %s", err, resp.Diagnostics[0].Summary, resp.Diagnostics[0].Detail)
	}
}

// Unsupported names what the shortcuts do not reproduce, attribute by
// attribute, nested ones included.
func TestUnsupported(t *testing.T) {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"plain":    schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()}},
		"status":   schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("accepted")},
		"secret":   schema.StringAttribute{Optional: true, WriteOnly: true},
		"modified": schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), upper{}}},
		"set": schema.SetNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"inner": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("x")},
		}}},
		"old": schema.StringAttribute{Optional: true, DeprecationMessage: "use plain"},
		"ids": schema.SetAttribute{Optional: true, ElementType: types.StringType},
	}}
	want := []string{
		"modified: plan modifier protoserver.upper",
		"old: deprecated (the framework warns in validation)",
		"secret: write-only (the framework nulls it in every answer)",
		"set.inner: a default (the framework applies it in every plan)",
		"status: a default (the framework applies it in every plan)",
	}
	if got := Unsupported(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Unsupported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

type upper struct{}

func (upper) Description(context.Context) string         { return "upper-cases" }
func (upper) MarkdownDescription(context.Context) string { return "upper-cases" }
func (upper) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.PlanValue = types.StringValue(strings.ToUpper(req.PlanValue.ValueString()))
}

// A state at the schema's version is upgraded as the framework does it
// (attributes the schema no longer has dropped): Verify finds no
// difference. Another version goes to the framework.
func TestUpgrade_currentVersion(t *testing.T) {
	s := fakeServer(t, &thingBehaviour{}, false, Verify(false))
	resp, err := s.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{TypeName: "fake_thing", Version: 0,
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"t1","name":"a","note":null,"dropped":"x"}`)}})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("upgrade: %v %v", err, resp)
	}
	if id := decode(t, thingType, resp.UpgradedState)["id"]; !id.Equal(tftypes.NewValue(tftypes.String, "t1")) {
		t.Fatalf("id = %v, want t1", id)
	}
	resp, _ = s.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{TypeName: "fake_thing", Version: 3,
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"t1","name":"a","note":null}`)}})
	if len(resp.Diagnostics) != 1 || strings.Contains(resp.Diagnostics[0].Summary, "shortcut") {
		t.Fatalf("a state at another version: %v, want the framework's own error", resp.Diagnostics)
	}
}
