package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                = (*userGroupMembersResource)(nil)
	_ resource.ResourceWithConfigure   = (*userGroupMembersResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userGroupMembersResource)(nil)
	_ resource.ResourceWithImportState = (*userGroupMembersResource)(nil)
	_ resource.ResourceWithIdentity    = (*userGroupMembersResource)(nil)
)

// NewUserGroupMembersResource returns the cfiam_user_group_members resource.
func NewUserGroupMembersResource() resource.Resource { return &userGroupMembersResource{} }

type userGroupMembersResource struct {
	data *providerData
}

type userGroupMembersModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	UserGroupID                  types.String `tfsdk:"user_group_id"`
	MemberIDs                    types.Set    `tfsdk:"member_ids"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

func (r *userGroupMembersResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_group_members"
}

func (r *userGroupMembersResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "All the members of one user group, authoritatively: members added outside Terraform show as drift and are " +
			"removed on apply. Every member of the group holds the group's policies.\n\n" +
			"Do not combine it with `cfiam_user_group_membership` on the same group: this resource would remove the members those add, " +
			"and they would add them back, on every apply in turn. Use this one where one team owns the group's whole list, " +
			"`cfiam_user_group_membership` where several teams each add their own people.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user group's ID (one such resource per group).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account of the group. " + accountIDDescription("the group's member list"),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.AccountID()},
			},
			"user_group_id": schema.StringAttribute{
				MarkdownDescription: "ID of the user group (`cfiam_user_group`'s `id`). Changing it replaces the resource.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal user group ID")},
			},
			"member_ids": schema.SetAttribute{
				MarkdownDescription: "IDs of the account members (`cfiam_account_member`'s `id`) in the group: exactly these, no others. " +
					"An empty set empties the group.",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{setvalidator.ValueStringsAre(
					validators.HexID("must be a 32-character lowercase hexadecimal member ID"))},
			},
			"allow_removing_last_super_administrator": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to allow a change (or a destroy) that leaves the account without an accepted Super Administrator " +
					"because the members removed held it through this group. Without it, such a plan fails.",
				Optional: true,
			},
		},
	}
}

// userGroupMembersIdentity identifies a cfiam_user_group_members (Terraform 1.12 and later): see identity.go.
var userGroupMembersIdentity = identityFields{accountIdentityField, {name: "user_group_id", description: "ID of the user group whose member list the resource owns."}}

func (r *userGroupMembersResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	userGroupMembersIdentity.identitySchema(resp)
}

func (r *userGroupMembersResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ModifyPlan plans the account, warns about what the group newly gives the
// members it adds, and guards the last Super Administrator held through the
// group.
func (r *userGroupMembersResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state *userGroupMembersModel
	if !req.State.Raw.IsNull() {
		state = &userGroupMembersModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	var plan *userGroupMembersModel
	if !req.Plan.Raw.IsNull() {
		plan = &userGroupMembersModel{}
		resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
		if plan.AccountID = r.data.planAccount(ctx, req, resp, "planning cfiam_user_group_members"); resp.Diagnostics.HasError() {
			return
		}
	}
	if plan != nil && r.data.online() && !resp.Diagnostics.HasError() {
		r.warnAdded(ctx, state, plan, &resp.Diagnostics)
	}
	if state == nil || !r.data.online() || resp.Diagnostics.HasError() {
		return
	}
	allowed := state.AllowRemovingLastSuperAdmins.ValueBool()
	var after []string // nil: destroyed, the group emptied
	if plan != nil {
		allowed = plan.AllowRemovingLastSuperAdmins.ValueBool()
		if plan.MemberIDs.IsUnknown() || plan.MemberIDs.Equal(state.MemberIDs) {
			return
		}
		after = setValues(plan.MemberIDs)
	}
	if allowed {
		return
	}
	acct, groupID := state.AccountID.ValueString(), state.UserGroupID.ValueString()
	what := "Removing these members from the group removes"
	if plan == nil {
		what = "Destroying this resource empties the group, which removes"
	}
	r.data.guardSuperAdministrators(ctx, acct, what, path.Root("member_ids"), &resp.Diagnostics,
		func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithGroupMembers(groupID, after) })
}

// warnAdded warns about the grants the members the plan adds to the group
// newly hold through it.
func (r *userGroupMembersResource) warnAdded(ctx context.Context, state, plan *userGroupMembersModel, diags *diag.Diagnostics) {
	if plan.AccountID.IsUnknown() || plan.UserGroupID.IsUnknown() || plan.MemberIDs.IsUnknown() {
		return
	}
	var had []string
	if state != nil && state.AccountID.Equal(plan.AccountID) && state.UserGroupID.Equal(plan.UserGroupID) {
		had = setValues(state.MemberIDs)
	}
	groupID, planned := plan.UserGroupID.ValueString(), setValues(plan.MemberIDs)
	var added []string
	for _, id := range planned {
		if !slices.ContainsFunc(had, func(h string) bool { return strings.EqualFold(h, id) }) {
			added = append(added, id)
		}
	}
	r.data.warnMembershipGrants(ctx, plan.AccountID.ValueString(), groupID, added, path.Root("member_ids"), diags,
		func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithGroupMembers(groupID, planned) })
}

func (r *userGroupMembersResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userGroupMembersModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...); !resp.Diagnostics.HasError() {
		r.write(ctx, &plan, &resp.State, &resp.Diagnostics, "creating")
	}
	userGroupMembersIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userGroupMembersResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userGroupMembersModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...); !resp.Diagnostics.HasError() {
		r.write(ctx, &plan, &resp.State, &resp.Diagnostics, "updating")
	}
	userGroupMembersIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// write makes the group's members exactly the planned ones.
func (r *userGroupMembersResource) write(ctx context.Context, plan *userGroupMembersModel, state *tfsdk.State, diags *diag.Diagnostics, verb string) {
	if !r.data.online() {
		diags.Append(offlineDiagnostic(verb + " cfiam_user_group_members"))
		return
	}
	acct, groupID := plan.AccountID.ValueString(), plan.UserGroupID.ValueString()
	members, err := r.data.policies.SetUserGroupMembers(ctx, acct, groupID, setValues(plan.MemberIDs))
	if err != nil {
		diags.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("setting the members of user group %s of account %s", groupID, acct), err))
		return
	}
	plan.ID = types.StringValue(groupID)
	plan.MemberIDs = flattenStrings(groupMemberIDs(members))
	diags.Append(state.Set(ctx, plan)...)
}

// Read is read, with what a state moved from the official provider checks
// at its first read (readMoved).
func (r *userGroupMembersResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readMoved(ctx, r.data, req, resp, func() { r.read(ctx, req, resp) })
}

func (r *userGroupMembersResource) read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	userGroupMembersIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var state userGroupMembersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_user_group_members"))
		return
	}
	acct, groupID := state.AccountID.ValueString(), state.UserGroupID.ValueString()
	members, err := r.data.client.ReadUserGroupMembers(ctx, acct, groupID)
	if cfclient.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("reading the members of user group %s of account %s", groupID, acct), err))
		return
	}
	state.ID = types.StringValue(groupID)
	state.MemberIDs = flattenStrings(groupMemberIDs(members))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete empties the group: the resource owned its whole member list.
func (r *userGroupMembersResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userGroupMembersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("removing cfiam_user_group_members"))
		return
	}
	acct, groupID := state.AccountID.ValueString(), state.UserGroupID.ValueString()
	_, err := r.data.policies.SetUserGroupMembers(ctx, acct, groupID, nil)
	if err != nil && !cfclient.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("emptying user group %s of account %s", groupID, acct), err))
	}
}

// ImportState takes `<account_id>/<group_id>`, or the group ID alone (the
// provider's account).
func (r *userGroupMembersResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := userGroupMembersIdentity.importID(ctx, "cfiam_user_group_members", req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "group_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import cfiam_user_group_members by <account_id>/<group_id>: "+err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_group_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
}

func groupMemberIDs(members []cfclient.UserGroupMember) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.ID
	}
	slices.Sort(out)
	return out
}
