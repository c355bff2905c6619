package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                = (*userGroupMembershipResource)(nil)
	_ resource.ResourceWithConfigure   = (*userGroupMembershipResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userGroupMembershipResource)(nil)
	_ resource.ResourceWithImportState = (*userGroupMembershipResource)(nil)
	_ resource.ResourceWithIdentity    = (*userGroupMembershipResource)(nil)
)

// NewUserGroupMembershipResource returns the cfiam_user_group_membership resource.
func NewUserGroupMembershipResource() resource.Resource { return &userGroupMembershipResource{} }

type userGroupMembershipResource struct {
	data *providerData
}

type userGroupMembershipModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	UserGroupID                  types.String `tfsdk:"user_group_id"`
	MemberID                     types.String `tfsdk:"member_id"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

func (r *userGroupMembershipResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_group_membership"
}

func (r *userGroupMembershipResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	hexID := func(what string) []validator.String {
		return []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal " + what + " ID")}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One member in one user group, additively: it adds the member and never touches the group's other members, " +
			"so an application team can add its people to a group that a platform team owns. The member holds the group's policies.\n\n" +
			"Do not combine it with `cfiam_user_group_members` on the same group: that resource owns the whole list and would remove " +
			"the member this one adds, on every apply in turn.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<user_group_id>/<member_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account of the group and the member. " + accountIDDescription("the membership"),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.AccountID()},
			},
			"user_group_id": schema.StringAttribute{
				MarkdownDescription: "ID of the user group. Changing it moves the member: the old membership goes, a new one comes.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          hexID("user group"),
			},
			"member_id": schema.StringAttribute{
				MarkdownDescription: "ID of the account member (`cfiam_account_member`'s `id`, or the `cfiam_account_member` data source's). " +
					"Changing it replaces the membership.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    hexID("member"),
			},
			"allow_removing_last_super_administrator": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to allow a destroy that leaves the account without an accepted Super Administrator " +
					"because this member held it through this group. Without it, such a plan fails.",
				Optional: true,
			},
		},
	}
}

// userGroupMembershipIdentity identifies a cfiam_user_group_membership (Terraform 1.12 and later): see identity.go.
var userGroupMembershipIdentity = identityFields{accountIdentityField, {name: "user_group_id", description: "ID of the user group."}, {name: "member_id", description: "Membership ID of the account member in the group."}}

func (r *userGroupMembershipResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	userGroupMembershipIdentity.identitySchema(resp)
}

func (r *userGroupMembershipResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ModifyPlan plans the account, warns about what joining the group newly
// gives the member, and guards the last Super Administrator held through the
// group when the membership goes.
func (r *userGroupMembershipResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() {
		acct := r.data.planAccount(ctx, req, resp, "planning cfiam_user_group_membership")
		var plan userGroupMembershipModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if resp.Diagnostics.HasError() || !r.data.online() || acct.IsUnknown() || plan.UserGroupID.IsUnknown() || plan.MemberID.IsUnknown() {
			return
		}
		if !req.State.Raw.IsNull() {
			var state userGroupMembershipModel
			resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
			if state.UserGroupID.Equal(plan.UserGroupID) && state.MemberID.Equal(plan.MemberID) && state.AccountID.Equal(acct) {
				return // already a member
			}
		}
		groupID, memberID := plan.UserGroupID.ValueString(), plan.MemberID.ValueString()
		r.data.warnMembershipGrants(ctx, acct.ValueString(), groupID, []string{memberID}, path.Root("member_id"), &resp.Diagnostics,
			func(a catalog.AccountAccess) catalog.AccountAccess {
				g, _ := a.Group(groupID)
				return a.WithGroupMembers(groupID, append(slices.Clone(g.MemberIDs), memberID))
			})
		return
	}
	var state userGroupMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.data.online() || state.AllowRemovingLastSuperAdmins.ValueBool() {
		return
	}
	groupID, memberID := state.UserGroupID.ValueString(), state.MemberID.ValueString()
	r.data.guardSuperAdministrators(ctx, state.AccountID.ValueString(), "Removing member "+memberID+" from this group removes",
		path.Root("member_id"), &resp.Diagnostics, func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithoutGroupMember(groupID, memberID) })
}

func (r *userGroupMembershipResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userGroupMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("creating cfiam_user_group_membership"))
		return
	}
	acct, groupID, memberID := plan.AccountID.ValueString(), plan.UserGroupID.ValueString(), plan.MemberID.ValueString()
	if err := r.data.policies.AddUserGroupMember(ctx, acct, groupID, memberID); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("adding member %s to user group %s of account %s", memberID, groupID, acct), err))
		return
	}
	plan.ID = types.StringValue(groupID + "/" + memberID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	userGroupMembershipIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userGroupMembershipResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	userGroupMembershipIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var state userGroupMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_user_group_membership"))
		return
	}
	acct, groupID, memberID := state.AccountID.ValueString(), state.UserGroupID.ValueString(), state.MemberID.ValueString()
	in, err := r.data.client.ReadUserGroupMembership(ctx, acct, groupID, memberID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("reading member %s of user group %s of account %s", memberID, groupID, acct), err))
		return
	}
	if !in {
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(groupID + "/" + memberID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update has nothing to write: every attribute but the guard's flag replaces.
func (r *userGroupMembershipResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userGroupMembershipModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	userGroupMembershipIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userGroupMembershipResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userGroupMembershipModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("removing cfiam_user_group_membership"))
		return
	}
	acct, groupID, memberID := state.AccountID.ValueString(), state.UserGroupID.ValueString(), state.MemberID.ValueString()
	if err := r.data.policies.RemoveUserGroupMember(ctx, acct, groupID, memberID); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf("removing member %s from user group %s of account %s", memberID, groupID, acct), err))
	}
}

// ImportState takes `<account_id>/<group_id>/<member_id>`, or
// `<group_id>/<member_id>` (the provider's account).
func (r *userGroupMembershipResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := userGroupMembershipIdentity.importID(ctx, "cfiam_user_group_membership", req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "group_id", "member_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import cfiam_user_group_membership by <account_id>/<group_id>/<member_id>: "+err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), parts[0]+"/"+parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_group_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("member_id"), parts[1])...)
}
