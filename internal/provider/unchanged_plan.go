package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A no-op plan asks every resource to plan with Terraform's proposed new
// state equal to the prior state. The plugin framework then decodes the
// config, prior and proposed states, walks every attribute for defaults,
// write-only attributes and plan modifiers, and encodes the answer: 40 % of
// the provider's CPU in a no-op plan of a thousand members (BenchmarkNoopPlan
// profile), for an answer that is the prior state. For the resource types
// listed in unchangedPlans, ProtocolServer answers such a plan itself when
// the type's own condition holds; otherwise, and for every other plan, the
// framework answers.
//
// The shortcut must answer exactly what the framework would. The acceptance
// tests serve the provider with VerifyUnchangedPlans, which asks the framework
// too and fails the plan when the answers differ, so every no-op plan of the
// suite checks it.

// unchangedPlan is a resource type's condition for answering an unchanged
// plan with the prior state: what its ModifyPlan reads besides the proposed
// state (the configuration, the provider's settings) leaves the plan as it is.
type unchangedPlan struct {
	newResource func() resource.Resource
	// holds reports whether the plan is the prior state, given the decoded
	// config and prior state and the provider's settings.
	holds func(d *providerData, config, prior tftypes.Value) bool

	once     sync.Once
	schema   schema.Schema
	typ      tftypes.Type
	identity *identityschema.Schema // nil for a type without identity
}

// unchangedPlans lists the types the shortcut serves: those a large
// workspace holds by the hundred.
var unchangedPlans = map[string]*unchangedPlan{
	"cfiam_account_member": {newResource: NewAccountMemberResource, holds: inPlannedAccount},
}

// inPlannedAccount holds when the object stays in its account: the one its
// configuration names, or else the one planAccount picks from the provider.
func inPlannedAccount(d *providerData, config, prior tftypes.Value) bool {
	configured, ok1 := stringAttribute(config, "account_id")
	held, ok2 := stringAttribute(prior, "account_id")
	if !ok1 || !ok2 || held == nil {
		return false
	}
	if configured != nil {
		return true // the proposed state, equal to the prior one, holds the configured account
	}
	return plannedAccountID(d.accountID, *held) == *held
}

// stringAttribute is the top-level string attribute name of an object value:
// nil when null, ok false when unknown or not a string.
func stringAttribute(v tftypes.Value, name string) (*string, bool) {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return nil, false
	}
	a, found := attrs[name]
	if !found || !a.IsKnown() {
		return nil, false
	}
	if a.IsNull() {
		return nil, true
	}
	var s string
	if err := a.As(&s); err != nil {
		return nil, false
	}
	return &s, true
}

func (u *unchangedPlan) valueType(ctx context.Context) tftypes.Type {
	u.once.Do(func() {
		r := u.newResource()
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		u.schema, u.typ = resp.Schema, resp.Schema.Type().TerraformType(ctx)
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			var iresp resource.IdentitySchemaResponse
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &iresp)
			u.identity = &iresp.IdentitySchema
		}
	})
	return u.typ
}

// answerUnchanged answers req with the prior state when Terraform proposes
// no change and the type's condition holds; ok is false when the framework
// must answer.
func answerUnchanged(ctx context.Context, d *providerData, req *tfprotov6.PlanResourceChangeRequest) (resp *tfprotov6.PlanResourceChangeResponse, ok bool) {
	u := unchangedPlans[req.TypeName]
	if u == nil || d == nil || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil ||
		len(req.PriorState.MsgPack) == 0 || string(req.PriorState.MsgPack) != string(req.ProposedNewState.MsgPack) {
		return nil, false
	}
	typ := u.valueType(ctx)
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil || prior.IsNull() {
		return nil, false
	}
	config, err := req.Config.Unmarshal(typ)
	if err != nil || config.IsNull() || !u.holds(d, config, prior) {
		return nil, false
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState:    req.ProposedNewState,
		PlannedPrivate:  req.PriorPrivate,
		PlannedIdentity: req.PriorIdentity,
	}, true
}

// sameAnswer reports how the shortcut's answer differs from the framework's
// ("" when it does not).
func sameAnswer(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest, short, full *tfprotov6.PlanResourceChangeResponse) string {
	if len(full.Diagnostics) > 0 {
		return fmt.Sprintf("the framework's plan has %d diagnostics (first: %q)", len(full.Diagnostics), full.Diagnostics[0].Summary)
	}
	if len(full.RequiresReplace) > 0 {
		return "the framework's plan requires replacement"
	}
	if full.Deferred != nil {
		return "the framework's plan is deferred"
	}
	typ := unchangedPlans[req.TypeName].valueType(ctx)
	a, err1 := short.PlannedState.Unmarshal(typ)
	b, err2 := full.PlannedState.Unmarshal(typ)
	if err1 != nil || err2 != nil || !a.Equal(b) {
		return fmt.Sprintf("planned states differ:\n shortcut  %v\n framework %v", a, b)
	}
	if string(short.PlannedPrivate) != string(full.PlannedPrivate) && (len(short.PlannedPrivate) != 0 || !emptyPrivate(full.PlannedPrivate)) {
		return fmt.Sprintf("private states differ: %q, %q", short.PlannedPrivate, full.PlannedPrivate)
	}
	if (short.PlannedIdentity == nil) != (full.PlannedIdentity == nil) && req.PriorIdentity != nil {
		return "planned identities differ"
	}
	if short.PlannedIdentity != nil && full.PlannedIdentity != nil &&
		string(short.PlannedIdentity.IdentityData.MsgPack) != string(full.PlannedIdentity.IdentityData.MsgPack) {
		return "planned identities differ"
	}
	return ""
}

// emptyPrivate: the framework answers an empty private state as nil or as
// an empty JSON object.
func emptyPrivate(b []byte) bool { return len(b) == 0 || string(b) == "{}" }

// A refresh that finds an object as the state holds it costs the framework
// twice what the resource's own Read costs (decoding the state, semantic
// equality, nullifying write-only attributes, encoding it again). For the
// types of unchangedPlans, readUnchanged runs the resource's Read itself, as
// the framework does (configured, on a copy of the state and identity), and
// when Read leaves state and identity as they were and says nothing, answers
// with the request's own state. Anything else (a change, a removal, a
// diagnostic, private state such as the framework's mark of an import) goes
// to the framework, which runs Read again.
func readUnchanged(ctx context.Context, d *providerData, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, bool) {
	u := unchangedPlans[req.TypeName]
	if u == nil || d == nil || req.CurrentState == nil || len(req.CurrentState.MsgPack) == 0 || !emptyPrivate(req.Private) {
		return nil, false
	}
	typ := u.valueType(ctx)
	current, err := req.CurrentState.Unmarshal(typ)
	if err != nil || current.IsNull() {
		return nil, false
	}
	var identity *tfsdk.ResourceIdentity
	if req.CurrentIdentity != nil && u.identity != nil {
		raw, err := req.CurrentIdentity.IdentityData.Unmarshal(u.identity.Type().TerraformType(ctx))
		if err != nil || raw.IsNull() {
			return nil, false
		}
		identity = &tfsdk.ResourceIdentity{Schema: u.identity, Raw: raw}
	}
	r, ok := u.configuredResource(ctx, d)
	if !ok {
		return nil, false
	}
	readReq := resource.ReadRequest{ClientCapabilities: resource.ReadClientCapabilities{DeferralAllowed: false},
		State: tfsdk.State{Schema: u.schema, Raw: current.Copy()}}
	readResp := resource.ReadResponse{State: tfsdk.State{Schema: u.schema, Raw: current.Copy()}}
	if identity != nil {
		readReq.Identity = &tfsdk.ResourceIdentity{Schema: identity.Schema, Raw: identity.Raw.Copy()}
		readResp.Identity = &tfsdk.ResourceIdentity{Schema: identity.Schema, Raw: identity.Raw.Copy()}
	}
	r.Read(ctx, readReq, &readResp)
	if len(readResp.Diagnostics) > 0 || readResp.Deferred != nil || !readResp.State.Raw.Equal(current) ||
		(identity != nil && !readResp.Identity.Raw.Equal(identity.Raw)) {
		return nil, false
	}
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, NewIdentity: req.CurrentIdentity}, true
}

// upgradeCurrent answers an UpgradeResourceState of a state already at the
// schema's version, for the types of unchangedPlans, as the framework does
// (the JSON state decoded with the schema's type, attributes the schema no
// longer has dropped) without its walk for null blocks, which these schemas
// do not have: 60 % of the framework's cost of the call.
func upgradeCurrent(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool) {
	u := unchangedPlans[req.TypeName]
	if u == nil || req.RawState == nil || len(req.RawState.JSON) == 0 {
		return nil, false
	}
	typ := u.valueType(ctx)
	if req.Version != u.schema.GetVersion() || len(u.schema.GetBlocks()) > 0 {
		return nil, false
	}
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, false // the framework reports it
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, true
}

// sameUpgrade reports how the shortcut's upgrade differs from the
// framework's ("" when it does not).
func sameUpgrade(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest, short, full *tfprotov6.UpgradeResourceStateResponse) string {
	if len(full.Diagnostics) > 0 {
		return fmt.Sprintf("the framework's upgrade has %d diagnostics (first: %q)", len(full.Diagnostics), full.Diagnostics[0].Summary)
	}
	typ := unchangedPlans[req.TypeName].valueType(ctx)
	if full.UpgradedState == nil {
		return "the framework upgraded to no state"
	}
	a, err1 := short.UpgradedState.Unmarshal(typ)
	b, err2 := full.UpgradedState.Unmarshal(typ)
	if err1 != nil || err2 != nil || !a.Equal(b) {
		return fmt.Sprintf("upgraded states differ:\n shortcut  %v\n framework %v", a, b)
	}
	return ""
}

// configuredResource is a new resource of the type, configured with d as
// the framework configures one before each call; ok false if that fails.
func (u *unchangedPlan) configuredResource(ctx context.Context, d *providerData) (resource.Resource, bool) {
	r := u.newResource()
	if rc, ok := r.(resource.ResourceWithConfigure); ok {
		var resp resource.ConfigureResponse
		rc.Configure(ctx, resource.ConfigureRequest{ProviderData: d}, &resp)
		if resp.Diagnostics.HasError() {
			return nil, false
		}
	}
	return r, true
}
