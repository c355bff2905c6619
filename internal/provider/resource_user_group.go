package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                   = (*userGroupResource)(nil)
	_ resource.ResourceWithConfigure      = (*userGroupResource)(nil)
	_ resource.ResourceWithValidateConfig = (*userGroupResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*userGroupResource)(nil)
	_ resource.ResourceWithImportState    = (*userGroupResource)(nil)
	_ resource.ResourceWithIdentity       = (*userGroupResource)(nil)
)

// NewUserGroupResource returns the cfiam_user_group resource.
func NewUserGroupResource() resource.Resource { return &userGroupResource{} }

type userGroupResource struct {
	data *providerData
}

type userGroupModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	Name                         types.String `tfsdk:"name"`
	Policies                     types.Set    `tfsdk:"policies"`
	ResolvedPolicies             types.List   `tfsdk:"resolved_policies"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

func (r *userGroupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_group"
}

func (r *userGroupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user group and the policies it holds: every member of the group holds them too. The policies take " +
			"exactly the shape and the checks of `cfiam_account_member`'s: roles at account scope, domain roles on chosen zones, " +
			"resource-scoped roles on chosen Cloudflare Tunnels, checked against their policy's scope at `terraform validate` and " +
			"`terraform plan`. The provider creates and reuses the resource groups that zone and Tunnel scopes need, shared with " +
			"members, and deletes the ones no policy uses any more.\n\n" +
			"The group's members are managed by `cfiam_user_group_members` (all of them) or `cfiam_user_group_membership` (one at a time).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "User group ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account the group belongs to. " + accountIDDescription("the group"),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.AccountID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the group, unique in the account. Changing it renames the group in place.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"policies": policiesAttribute("The group's policies, held by every member of the group."),
			"allow_removing_last_super_administrator": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to allow a change (or a destroy) that leaves the account without an accepted Super Administrator " +
					"because this group's members held it through the group. Without it, such a plan fails.",
				Optional: true,
			},
			"resolved_policies": resolvedPoliciesAttribute(),
		},
	}
}

// userGroupIdentity identifies a cfiam_user_group (Terraform 1.12 and later): see identity.go.
var userGroupIdentity = identityFields{accountIdentityField, {name: "id", description: "ID of the user group."}}

func (r *userGroupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	userGroupIdentity.identitySchema(resp)
}

func (r *userGroupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ValidateConfig checks every policy against the embedded catalog: it runs at
// `terraform validate`, with no credentials.
func (r *userGroupResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validatePoliciesOffline(ctx, "cfiam_user_group", req.Config, &resp.Diagnostics)
}

// ModifyPlan checks the policies against the account's live catalog, warns
// about the grants the reference pages single out, and guards the last Super
// Administrator held through the group.
func (r *userGroupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state *userGroupModel
	if !req.State.Raw.IsNull() {
		state = &userGroupModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if req.Plan.Raw.IsNull() { // destroy
		if state != nil && r.data.online() && !state.AllowRemovingLastSuperAdmins.ValueBool() {
			acct, id := state.AccountID.ValueString(), state.ID.ValueString()
			r.data.guardSuperAdministrators(ctx, acct, "Destroying this group removes", path.Root("policies"), &resp.Diagnostics,
				func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithoutGroup(id) })
		}
		return
	}
	var plan userGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	proposed := plan
	if plan.AccountID = r.data.planAccount(ctx, req, resp, "planning cfiam_user_group"); resp.Diagnostics.HasError() {
		return
	}
	prior := types.SetNull(policyObjectType)
	if state != nil {
		prior = state.Policies
	}
	plan.ResolvedPolicies = plannedResolvedPolicies(plan.Policies, plan.AccountID, state.held())
	if r.data.online() && !plan.AccountID.IsUnknown() {
		acct := plan.AccountID.ValueString()
		resp.Diagnostics.Append(r.data.checkPlannedPolicies(ctx, "cfiam_user_group", "checking the group's roles", acct, plan.Policies, prior,
			policy.GranteeGroup, "")...)
		if state != nil && !resp.Diagnostics.HasError() && !plan.Policies.Equal(state.Policies) && !plan.AllowRemovingLastSuperAdmins.ValueBool() {
			r.data.guardPlannedGroupPolicies(ctx, acct, state.ID.ValueString(), plan.Policies, &resp.Diagnostics)
		}
	}
	setIfChanged(ctx, &resp.Plan, "resolved_policies", proposed.ResolvedPolicies, plan.ResolvedPolicies, &resp.Diagnostics)
}

func (r *userGroupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("creating cfiam_user_group"))
		return
	}
	acct, name := plan.AccountID.ValueString(), plan.Name.ValueString()
	operation := fmt.Sprintf("creating user group %q in account %s", name, acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, plan.Policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	g, err := iampolicy.Create(ctx, r.data.policies, acct, specs, func(ctx context.Context, policies []cfclient.MemberPolicy) (*cfclient.UserGroup, error) {
		return r.data.client.CreateUserGroup(ctx, acct, name, policies)
	})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	resp.Diagnostics.Append(setUserGroupFromAPI(&plan, g, inputs, cat)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	userGroupIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userGroupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	userGroupIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var state userGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_user_group"))
		return
	}
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	operation := fmt.Sprintf("reading user group %s of account %s", id, acct)
	g, err := r.data.client.ReadUserGroup(ctx, acct, id)
	if cfclient.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	prior, _ := expandMemberPolicies(state.Policies)
	resp.Diagnostics.Append(setUserGroupFromAPI(&state, g, prior, cat)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userGroupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userGroupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("updating cfiam_user_group"))
		return
	}
	acct, id := plan.AccountID.ValueString(), plan.ID.ValueString()
	operation := fmt.Sprintf("updating user group %s of account %s", id, acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, plan.Policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	g, err := iampolicy.Update(ctx, r.data.policies, r.data.policies.UserGroup(acct, id), iampolicy.Authoritative(specs))
	if err == nil && g.Name != plan.Name.ValueString() {
		g, err = r.data.client.RenameUserGroup(ctx, acct, id, plan.Name.ValueString())
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	resp.Diagnostics.Append(setUserGroupFromAPI(&plan, g, inputs, cat)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	userGroupIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userGroupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userGroupModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("deleting cfiam_user_group"))
		return
	}
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	if err := iampolicy.Delete(ctx, r.data.policies, r.data.policies.UserGroup(acct, id)); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("deleting user group %s of account %s", id, acct), err))
	}
}

// ImportState takes `<account_id>/<group_id>`, `<account_id>/<name>`, or
// either without the account (the provider's account).
func (r *userGroupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := userGroupIdentity.importID(ctx, "cfiam_user_group", req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "group_id or name")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import cfiam_user_group by <account_id>/<group_id> or <account_id>/<name>: "+err.Error()+".")
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("importing cfiam_user_group"))
		return
	}
	id, err := r.data.userGroupID(ctx, acct, parts[0])
	var apiErr *cfclient.APIError
	switch {
	case errors.As(err, &apiErr):
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "importing cfiam_user_group "+given, err))
		return
	case err != nil:
		resp.Diagnostics.AddError("No such user group", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policies"), types.SetNull(policyObjectType))...)
}

// setUserGroupFromAPI writes the API's group into the model, keeping each
// policy as written where the API holds the same one.
func setUserGroupFromAPI(m *userGroupModel, api *cfclient.UserGroup, written []policy.MemberPolicy, cat *catalog.Catalog) (diags diag.Diagnostics) {
	m.Policies, m.ResolvedPolicies, diags = flattenAPIPolicies(api.Policies, written, cat, m.AccountID.ValueString())
	m.ID = types.StringValue(api.ID)
	m.Name = types.StringValue(api.Name)
	return diags
}

// guardPlannedGroupPolicies fails a change of a group's policies that would
// take the account's last Super Administrator from the group's members.
func (d *providerData) guardPlannedGroupPolicies(ctx context.Context, acct, groupID string, planned types.Set, diags *diag.Diagnostics) {
	cat, _, more := d.catalog(ctx, acct, true, "checking Super Administrators")
	if more.HasError() {
		diags.Append(more...)
		return
	}
	after := plannedAccountPolicies(cat, acct, planned)
	d.guardSuperAdministrators(ctx, acct, "This change of the group's policies removes", path.Root("policies"), diags,
		func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithGroupPolicies(groupID, after) })
}

// userGroupID finds a group by ID or by name: a name must be the account's
// only group of that name.
func (d *providerData) userGroupID(ctx context.Context, acct, ref string) (string, error) {
	if catalog.HexIDPattern.MatchString(ref) {
		return ref, nil
	}
	groups, err := d.client.ListUserGroupsByName(ctx, acct, ref)
	switch {
	case err != nil:
		return "", err
	case len(groups) == 0:
		return "", fmt.Errorf("account %s has no user group named %q", acct, ref)
	case len(groups) > 1:
		ids := make([]string, len(groups))
		for i, g := range groups {
			ids[i] = g.ID
		}
		return "", fmt.Errorf("account %s has %d user groups named %q (%s): name the group by its ID instead", acct, len(groups), ref, strings.Join(ids, ", "))
	}
	return groups[0].ID, nil
}

// held is what the state holds of the policies; nil without a state.
func (m *userGroupModel) held() *heldPolicies {
	if m == nil {
		return nil
	}
	return &heldPolicies{policies: m.Policies, accountID: m.AccountID, resolved: m.ResolvedPolicies}
}
