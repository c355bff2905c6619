package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                     = (*resourceGroupResource)(nil)
	_ resource.ResourceWithConfigure        = (*resourceGroupResource)(nil)
	_ resource.ResourceWithConfigValidators = (*resourceGroupResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*resourceGroupResource)(nil)
	_ resource.ResourceWithImportState      = (*resourceGroupResource)(nil)
	_ resource.ResourceWithIdentity         = (*resourceGroupResource)(nil)
	_ list.ListResourceWithConfigure        = (*resourceGroupResource)(nil)
)

// NewResourceGroupResource returns the cfiam_resource_group resource.
func NewResourceGroupResource() resource.Resource {
	return &resourceGroupResource{}
}

// newResourceGroupListResource returns its list resource.
func newResourceGroupListResource() list.ListResource { return &resourceGroupResource{} }

type resourceGroupResource struct {
	data *providerData
}

// resourceGroupModel is a group's attributes: zone_ids, or one resource
// kind's IDs (Objects, by the kind's scope, each read and written by its
// attribute's name).
type resourceGroupModel struct {
	ID        types.String
	AccountID types.String
	Name      types.String
	ZoneIDs   types.Set
	Objects   map[catalog.Scope]types.Set
}

// getResourceGroup reads a group's attributes from a plan or state.
func getResourceGroup(ctx context.Context, from attributeGetter) (resourceGroupModel, diag.Diagnostics) {
	m := resourceGroupModel{Objects: map[catalog.Scope]types.Set{}}
	var diags diag.Diagnostics
	for name, target := range map[string]any{"id": &m.ID, "account_id": &m.AccountID, "name": &m.Name, "zone_ids": &m.ZoneIDs} {
		diags.Append(from.GetAttribute(ctx, path.Root(name), target)...)
	}
	for _, k := range catalog.Kinds() {
		var set types.Set
		diags.Append(from.GetAttribute(ctx, path.Root(k.Attribute), &set)...)
		m.Objects[k.Scope] = set
	}
	return m, diags
}

// set writes a group's attributes to a state.
func (m resourceGroupModel) set(ctx context.Context, to attributeSetter) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, value := range map[string]any{"id": m.ID, "account_id": m.AccountID, "name": m.Name, "zone_ids": m.ZoneIDs} {
		diags.Append(to.SetAttribute(ctx, path.Root(name), value)...)
	}
	for _, k := range catalog.Kinds() {
		set, ok := m.Objects[k.Scope]
		if !ok {
			set = types.SetNull(types.StringType)
		}
		diags.Append(to.SetAttribute(ctx, path.Root(k.Attribute), set)...)
	}
	return diags
}

// groupKindAttributes are the attributes of which a group sets exactly one.
func groupKindAttributes() []string {
	out := []string{"zone_ids"}
	for _, k := range catalog.Kinds() {
		out = append(out, k.Attribute)
	}
	return out
}

func (r *resourceGroupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_resource_group"
}

func (r *resourceGroupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	exactlyOne := "Exactly one of " + quoteAttrs(groupKindAttributes()) + " is required."
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "ID of the resource group, as member policies reference it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"account_id": schema.StringAttribute{
			MarkdownDescription: "ID of the account the group belongs to (account scope). " + accountIDDescription("the group"),
			Optional:            true,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the group, as the Cloudflare dashboard shows it. Can be changed in place.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"zone_ids": schema.SetAttribute{
			MarkdownDescription: "IDs of the zones (zone scope) the group covers: 32 lowercase hexadecimal characters each, " +
				"such as `cloudflare_zone.example.id`. " + exactlyOne + " Can be changed in place.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.HexID(
					"must be a zone ID: 32 lowercase hexadecimal characters, such as 023e105f4ecef8ad9ca31a8372d0c353 " +
						"(cloudflare_zone.<name>.id); a Tunnel ID belongs in tunnel_ids")),
			},
		},
	}
	var kinds []string
	for _, k := range catalog.Kinds() {
		kinds = append(kinds, k.Nouns)
		attrs[k.Attribute] = schema.SetAttribute{
			MarkdownDescription: fmt.Sprintf("IDs of the %s (scope `%s`) the group covers: lowercase UUIDs, such as `%s.example.id` or an `id` "+
				"from the `%s` data source. %s Can be changed in place.", k.Nouns, k.Scope, k.OfficialType, k.DataSource(), exactlyOne),
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.TunnelID(fmt.Sprintf("must be %s ID: a lowercase UUID (%s.<name>.id); a zone ID belongs in zone_ids",
					articled(k.Short), k.OfficialType))),
			},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A named, reusable scope of an account: a set of zones, or of the objects of one resource kind (" +
			strings.Join(kinds, ", ") + "). Member policies can reference it by `id` instead of listing the objects themselves, " +
			"so that teams sharing one scope maintain it in one place.\n\n" +
			"A group holds exactly one kind of resource: set exactly one of " + quoteAttrs(groupKindAttributes()) + " (`zone_ids` for " +
			"domain-scoped roles, a resource kind's IDs for that kind's resource-scoped roles). Cloudflare refuses to delete a group " +
			"that a member policy still uses: remove it from those policies first.",
		Attributes: attrs,
	}
}

// quoteAttrs writes attribute names as code: "`zone_ids`, `tunnel_ids` and `mesh_node_ids`".
func quoteAttrs(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// resourceGroupIdentity identifies a cfiam_resource_group (Terraform 1.12 and later): see identity.go.
var resourceGroupIdentity = identityFields{accountIdentityField, {name: "id", description: "ID of the resource group."}}

func (r *resourceGroupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resourceGroupIdentity.identitySchema(resp)
}

func (r *resourceGroupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

func (r *resourceGroupResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		// A group holds zones or one resource kind's objects. Unknown values
		// (IDs of resources not yet created) pass: the kind is known from
		// which attribute is set.
		resourcevalidator.ExactlyOneOf(groupKindPaths()...),
	}
}

func groupKindPaths() []path.Expression {
	var out []path.Expression
	for _, a := range groupKindAttributes() {
		out = append(out, path.MatchRoot(a))
	}
	return out
}

// ModifyPlan plans account_id (planAccount: the provider's when not set,
// replacing the group when that changes).
func (r *resourceGroupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.planAccount(ctx, req, resp, "creating a resource group")
}

func (r *resourceGroupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := getResourceGroup(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	operation := fmt.Sprintf("creating resource group %q", plan.Name.ValueString())
	accountID, ok := r.data.ready(plan.AccountID, "creating a resource group", &resp.Diagnostics)
	if !ok {
		return
	}
	r.write(ctx, plan, accountID, operation+" in account "+accountID, func(keys []string) (*cfclient.ResourceGroup, error) {
		return r.data.client.CreateResourceGroup(ctx, accountID, plan.Name.ValueString(), keys)
	}, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *resourceGroupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	resourceGroupIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	state, diags := getResourceGroup(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	operation := "reading resource group " + id
	accountID, ok := r.data.ready(state.AccountID, operation, &resp.Diagnostics)
	if !ok {
		return
	}
	group, err := r.data.client.ReadResourceGroup(ctx, accountID, id)
	if cfclient.IsNotFound(err) {
		// Deleted outside Terraform: Terraform reports it and plans to create it again.
		tflog.Info(ctx, "cfiam: resource group not found, removing it from state", map[string]any{"account_id": accountID, "id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation+" of account "+accountID, err))
		return
	}
	newState, diags := flattenResourceGroup(ctx, accountID, group)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(newState.set(ctx, &resp.State)...)
}

func (r *resourceGroupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := getResourceGroup(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	state, diags := getResourceGroup(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	operation := fmt.Sprintf("updating resource group %q (%s)", state.Name.ValueString(), id)
	accountID, ok := r.data.ready(plan.AccountID, operation, &resp.Diagnostics)
	if !ok {
		return
	}
	r.write(ctx, plan, accountID, operation+" of account "+accountID, func(keys []string) (*cfclient.ResourceGroup, error) {
		return r.data.client.UpdateResourceGroup(ctx, accountID, id, plan.Name.ValueString(), keys)
	}, &resp.State, resp.Identity, &resp.Diagnostics)
}

// write sends the plan's objects with send (a create or an update) and sets
// the state, and the identity, from the group it answers.
func (r *resourceGroupResource) write(ctx context.Context, plan resourceGroupModel, accountID, operation string,
	send func(keys []string) (*cfclient.ResourceGroup, error), state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics,
) {
	keys, more := expandObjectKeys(ctx, plan)
	if diags.Append(more...); diags.HasError() {
		return
	}
	group, err := send(keys)
	if err != nil {
		diags.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	written, more := flattenResourceGroup(ctx, accountID, group)
	diags.Append(more...)
	diags.Append(written.set(ctx, state)...)
	resourceGroupIdentity.setIdentity(ctx, *state, identity, diags)
}

func (r *resourceGroupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := getResourceGroup(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, name := state.ID.ValueString(), state.Name.ValueString()
	operation := fmt.Sprintf("deleting resource group %q (%s)", name, id)
	accountID, ok := r.data.ready(state.AccountID, operation, &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.data.client.DeleteResourceGroup(ctx, accountID, id)
	switch {
	case err == nil, cfclient.IsNotFound(err):
		// Deleted, or already gone.
	case cfclient.IsConflict(err):
		resp.Diagnostics.Append(resourceGroupInUseDiagnostic(name, id, accountID, err))
	default:
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation+" of account "+accountID, err))
	}
}

// ImportState accepts "<account_id>/<resource_group_id>" or, in the
// provider's account, "<resource_group_id>".
func (r *resourceGroupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := resourceGroupIdentity.importID(ctx, "cfiam_resource_group", req, &resp.Diagnostics)
	if !ok {
		return
	}
	accountID, parts, err := parseImportID(given, r.data.account(""), "resource_group_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			"Import by <account_id>/<resource_group_id> or <resource_group_id>, for example "+
				"f037e56e89293a057740de681ac9abbe/<resource_group_id>: "+err.Error()+".")
		return
	}
	id := parts[0]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), accountID)...)
}

// resourceGroupInUseDiagnostic explains a refused delete: a member policy
// still references the group.
func resourceGroupInUseDiagnostic(name, id, accountID string, err error) diag.Diagnostic {
	answer := err.Error()
	var apiErr *cfclient.APIError
	if errors.As(err, &apiErr) {
		answer = "Cloudflare answered " + describeAPIError(apiErr)
	}
	return diag.NewErrorDiagnostic(
		fmt.Sprintf("Resource group %q (%s) is still in use", name, id),
		fmt.Sprintf("Cloudflare refused to delete resource group %q (%s) of account %s because a member policy still references it: %s.\n\n"+
			"Remove the group from the policies that use it first (their resource_group_ids, or the member or Tunnel binding that owns "+
			"those policies), apply that change, then delete the group.", name, id, accountID, answer))
}

// expandObjectKeys turns the zone IDs, or one resource kind's IDs, of a plan
// into the object keys of a resource group.
func expandObjectKeys(ctx context.Context, m resourceGroupModel) ([]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	scope, set := catalog.ScopeZone, m.ZoneIDs
	for s, ids := range m.Objects {
		if !ids.IsNull() {
			scope, set = s, ids
		}
	}
	var ids []string
	diags.Append(set.ElementsAs(ctx, &ids, false)...)
	sort.Strings(ids)
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = catalog.ResourceKey(scope, id)
	}
	return keys, diags
}

// flattenResourceGroup turns a resource group from the API into state. A
// group that holds something this resource cannot express (the whole
// account, mixed objects) reads with none of the IDs attributes set, so
// that the plan shows the change back to the configuration, with a warning.
func flattenResourceGroup(ctx context.Context, accountID string, g *cfclient.ResourceGroup) (resourceGroupModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := resourceGroupModel{
		ID:        types.StringValue(g.ID),
		AccountID: types.StringValue(accountID),
		Name:      types.StringValue(g.Name),
		ZoneIDs:   types.SetNull(types.StringType),
		Objects:   map[catalog.Scope]types.Set{},
	}
	kind, ids, err := g.Kind()
	if err == nil && kind != catalog.ScopeZone && !kind.ResourceScoped() {
		err = fmt.Errorf("resource group %s covers the %s itself, not zones or the objects of one resource kind", g.ID, kind)
	}
	if err != nil {
		diags.AddWarning("Resource group holds neither zones nor one kind of resource",
			err.Error()+". cfiam_resource_group manages groups of zones or of one resource kind's objects: the next apply replaces the "+
				"group's objects with the "+quoteAttrs(groupKindAttributes())+" of the configuration.")
		return m, diags
	}
	set, d := types.SetValueFrom(ctx, types.StringType, ids)
	diags.Append(d...)
	if kind == catalog.ScopeZone {
		m.ZoneIDs = set
	} else {
		m.Objects[kind] = set
	}
	return m, diags
}

// --- list resource ---

type resourceGroupListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Name      types.String `tfsdk:"name"`
}

func (r *resourceGroupResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the named resource groups of an account (groups of zones, or of the objects of one resource kind) for `terraform query` " +
			"(Terraform 1.14 and later). The groups the provider makes and cleans up itself are left out: the one-object groups behind " +
			"`zone_ids` and each resource kind's IDs (" + kindAttrsList() + ") of member and user group policies, the groups of bindings, and the account-wide group. " +
			"One paged list of the account's resource groups.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute("resource groups"),
			"name":       listNameAttribute("resource groups", "Applied by the provider to the list of resource groups."),
		},
	}
}

func (r *resourceGroupResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg resourceGroupListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, "cfiam_resource_group", func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	groups, err := r.data.client.ListResourceGroups(ctx, acct)
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, "listing the resource groups of account "+acct, err))
		return
	}
	name := cfg.Name.ValueString()
	groups = slices.DeleteFunc(groups, func(g cfclient.ResourceGroup) bool {
		return iampolicy.IsProviderGroup(g.Name, g.ObjectKeys()) || name != "" && g.Name != name
	})
	slices.SortStableFunc(groups, func(a, b cfclient.ResourceGroup) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	objects := make([]listed, 0, len(groups))
	for i := range groups {
		m, d := flattenResourceGroup(ctx, acct, &groups[i])
		objects = append(objects, listed{display: groups[i].Name, diags: d,
			set: func(ctx context.Context, to *tfsdk.Resource) diag.Diagnostics { return m.set(ctx, to) }})
	}
	stream.Results = listResults(ctx, req, resourceGroupIdentity, objects)
}
