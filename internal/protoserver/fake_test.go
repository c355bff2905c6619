package protoserver

import (
	"context"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fakeProvider serves fake_thing, a resource with the shortcuts: the
// server's answers are checked against the framework's on it, apart from
// cfiam's resources.
type fakeProvider struct {
	configured atomic.Bool
	thing      *thingBehaviour
}

// thingBehaviour is what fake_thing's methods do, set by each test.
type thingBehaviour struct {
	reads      atomic.Int32
	driftNote  string // Read sets note to it, when not ""
	plansPrior bool   // PlansPriorState's answer
	modifyNote string // ModifyPlan sets note to "m" when not ""
	noIdentity bool   // Read leaves the identity as it got it
}

func (p *fakeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "fake"
}
func (p *fakeProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p *fakeProvider) Configure(_ context.Context, _ provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.configured.Store(true)
	resp.ResourceData = p.thing
}
func (p *fakeProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &thing{} }}
}
func (p *fakeProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p *fakeProvider) ResourceData() any {
	if p.configured.Load() {
		return p.thing
	}
	return nil
}

type thing struct{ b *thingBehaviour }

type thingModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	Note types.String `tfsdk:"note"`
}

func (t *thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (t *thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"name": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		"note": schema.StringAttribute{Optional: true, Computed: true},
	}}
}

func (t *thing) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true},
	}}
}

func (t *thing) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if b, ok := req.ProviderData.(*thingBehaviour); ok {
		t.b = b
	}
}

func (t *thing) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (t *thing) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (t *thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (t *thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	t.b.reads.Add(1)
	var m thingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !t.b.noIdentity {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("id"), m.ID)...)
	}
	if t.b.driftNote != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("note"), t.b.driftNote)...)
	}
}

func (t *thing) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	// Unconfigured, it sets note to "m" too: a test sees the framework answer.
	if (t.b == nil || t.b.modifyNote != "") && !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("note"), "m")...)
	}
}

func (t *thing) PlansPriorState(context.Context, tftypes.Value, tftypes.Value) bool {
	return t.b != nil && t.b.plansPrior
}

var (
	_ ResourceWithUnchangedPlan     = (*thing)(nil)
	_ resource.ResourceWithIdentity = (*thing)(nil)
	_ ProviderWithResourceData      = (*fakeProvider)(nil)
)
