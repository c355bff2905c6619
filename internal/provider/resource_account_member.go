package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/planmodifiers"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                   = (*accountMemberResource)(nil)
	_ resource.ResourceWithConfigure      = (*accountMemberResource)(nil)
	_ resource.ResourceWithValidateConfig = (*accountMemberResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*accountMemberResource)(nil)
	_ resource.ResourceWithImportState    = (*accountMemberResource)(nil)
	_ resource.ResourceWithIdentity       = (*accountMemberResource)(nil)
)

// NewAccountMemberResource returns the cfiam_account_member resource.
func NewAccountMemberResource() resource.Resource { return &accountMemberResource{} }

type accountMemberResource struct {
	data *providerData
}

type accountMemberModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	Email                        types.String `tfsdk:"email"`
	Status                       types.String `tfsdk:"status"`
	Policies                     types.Set    `tfsdk:"policies"`
	User                         types.Object `tfsdk:"user"`
	ResolvedPolicies             types.List   `tfsdk:"resolved_policies"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

// maxRolesPerPolicy caps a policy's roles well above any real use.
const maxRolesPerPolicy = policy.MaxRolesPerPolicy

func (r *accountMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_member"
}

func (r *accountMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An account member and the policies it holds: roles at account scope, domain roles on chosen zones, " +
			"and resource-scoped roles on chosen Cloudflare Tunnels. Every role is checked against its policy's scope at " +
			"`terraform validate` (embedded catalog) and `terraform plan` (the account's live catalog).\n\n" +
			"The resource is authoritative for the policies it declares: policies added outside Terraform show as drift and are " +
			"removed on apply. Policies that a `cfiam_tunnel_binding` owns are left alone. The provider creates and reuses the " +
			"resource groups that zone and Tunnel scopes need, and deletes the ones no policy uses any more.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Membership ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account the member belongs to. " + accountIDDescription("the member"),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.AccountID()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "E-mail address of the member. Changing it replaces the member (a new invitation).",
				Required:            true,
				PlanModifiers:       []planmodifier.String{planmodifiers.CaseInsensitiveRequiresReplace()},
				Validators:          []validator.String{validators.Email()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`pending` (invited; the default) or `accepted` (added directly, where the account allows it: Cloudflare may refuse it, " +
					"and the error then says to use `pending`). " +
					"A member who accepts an invitation becomes `accepted`; a configuration that still says `pending` then shows no change. " +
					"Asking for `accepted` while the member is `pending` re-creates the membership.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf("pending", "accepted")},
				PlanModifiers: []planmodifier.String{planmodifiers.MemberStatus()},
			},
			"allow_removing_last_super_administrator": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to allow a change (or a destroy) that leaves the account without an accepted Super Administrator. " +
					"Without it, such a plan fails.",
				Optional: true,
			},
			"policies": policiesAttribute("The member's policies."),
			"user": schema.SingleNestedAttribute{
				MarkdownDescription: "The user behind the membership, as Cloudflare reports it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"id":                                schema.StringAttribute{Computed: true, MarkdownDescription: "User ID."},
					"email":                             schema.StringAttribute{Computed: true, MarkdownDescription: "The user's e-mail address."},
					"first_name":                        schema.StringAttribute{Computed: true, MarkdownDescription: "First name, if the user set one."},
					"last_name":                         schema.StringAttribute{Computed: true, MarkdownDescription: "Last name, if the user set one."},
					"two_factor_authentication_enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user has two-factor authentication on."},
				},
			},
			"resolved_policies": resolvedPoliciesAttribute(),
		},
	}
}

// accountMemberIdentity identifies a cfiam_account_member (Terraform 1.12 and later): see identity.go.
var accountMemberIdentity = identityFields{accountIdentityField, {name: "id", description: "Membership ID of the member."}}

func (r *accountMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	accountMemberIdentity.identitySchema(resp)
}

func (r *accountMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ValidateConfig checks every policy against the embedded catalog: it runs at
// `terraform validate`, with no credentials.
func (r *accountMemberResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validatePoliciesOffline(ctx, "cfiam_account_member", req.Config, &resp.Diagnostics)
}

// ModifyPlan checks the policies against the account's live catalog, warns
// about grants the reference pages single out, guards the last Super
// Administrator, and fills defaults from the provider.
func (r *accountMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state *accountMemberModel
	if !req.State.Raw.IsNull() {
		state = &accountMemberModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if req.Plan.Raw.IsNull() { // destroy
		if state != nil && r.data.online() {
			r.guardLastSuperAdministrator(ctx, state, nil, &resp.Diagnostics)
			r.warnOwnMembership(ctx, state, &resp.Diagnostics)
		}
		return
	}
	var plan accountMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	proposed := plan
	if plan.AccountID = r.data.planAccount(ctx, req, resp, "planning cfiam_account_member"); resp.Diagnostics.HasError() {
		return
	}
	plan.ResolvedPolicies = plannedResolvedPolicies(plan.Policies, plan.AccountID, state.held())

	if r.data.online() && !plan.AccountID.IsUnknown() {
		resp.Diagnostics.Append(r.data.checkPlannedPolicies(ctx, "cfiam_account_member", "checking the member's roles",
			plan.AccountID.ValueString(), plan.Policies, statePolicies(state), policy.GranteeMember, existingMemberID(state, plan.AccountID))...)
		if state != nil && !resp.Diagnostics.HasError() {
			r.guardLastSuperAdministrator(ctx, state, &plan, &resp.Diagnostics)
		}
	}
	// Only what this method sets is written back, as the other resources do:
	// setting the whole model cost more than the checks above, in every
	// member of every plan, mostly to write back what Terraform proposed.
	setIfChanged(ctx, &resp.Plan, "resolved_policies", proposed.ResolvedPolicies, plan.ResolvedPolicies, &resp.Diagnostics)
}

// setIfChanged sets the plan's top-level attribute name to now, unless now
// is was, the value Terraform proposed for it.
func setIfChanged(ctx context.Context, plan *tfsdk.Plan, name string, was, now attr.Value, diags *diag.Diagnostics) {
	if !now.Equal(was) {
		diags.Append(plan.SetAttribute(ctx, path.Root(name), now)...)
	}
}

func (r *accountMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accountMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("creating cfiam_account_member"))
		return
	}
	acct, email := plan.AccountID.ValueString(), plan.Email.ValueString()
	operation := fmt.Sprintf("adding member %s to account %s", email, acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, plan.Policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	status := ""
	if !plan.Status.IsUnknown() && !plan.Status.IsNull() {
		status = plan.Status.ValueString()
	}
	m, err := iampolicy.Create(ctx, r.data.policies, acct, specs, func(ctx context.Context, policies []cfclient.MemberPolicy) (*cfclient.Member, error) {
		return r.data.client.CreateMember(ctx, acct, email, status, policies)
	})
	if err != nil {
		resp.Diagnostics.Append(r.createErrorDiagnostic(err, acct, email, status, operation))
		return
	}
	resp.Diagnostics.Append(r.setFromAPI(ctx, &plan, m, inputs, cat)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	accountMemberIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *accountMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	accountMemberIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var state accountMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_account_member"))
		return
	}
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	operation := fmt.Sprintf("reading member %s of account %s", id, acct)
	m, err := r.data.client.ReadMember(ctx, acct, id)
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
	was := state
	prior, _ := expandMemberPolicies(state.Policies)
	resp.Diagnostics.Append(r.setFromAPI(ctx, &state, m, prior, cat)...)
	// The response starts as the prior state: setting an unchanged model
	// again was most of this method's cost in a no-op plan.
	if !state.equal(was) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

// equal reports whether every attribute of m equals o's.
func (m accountMemberModel) equal(o accountMemberModel) bool {
	return m.ID.Equal(o.ID) && m.AccountID.Equal(o.AccountID) && m.Email.Equal(o.Email) && m.Status.Equal(o.Status) &&
		m.Policies.Equal(o.Policies) && m.User.Equal(o.User) && m.ResolvedPolicies.Equal(o.ResolvedPolicies) &&
		m.AllowRemovingLastSuperAdmins.Equal(o.AllowRemovingLastSuperAdmins)
}

func (r *accountMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan accountMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("updating cfiam_account_member"))
		return
	}
	acct, id := plan.AccountID.ValueString(), plan.ID.ValueString()
	operation := fmt.Sprintf("updating the policies of member %s of account %s", id, acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, plan.Policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	// The updater re-reads the member under its lock: a binding's policy
	// written since the last refresh survives.
	m, err := iampolicy.Update(ctx, r.data.policies, r.data.policies.Member(acct, id), iampolicy.Authoritative(specs))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	resp.Diagnostics.Append(r.setFromAPI(ctx, &plan, m, inputs, cat)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	accountMemberIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *accountMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("removing cfiam_account_member"))
		return
	}
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	operation := fmt.Sprintf("removing member %s from account %s", id, acct)
	if err := iampolicy.Delete(ctx, r.data.policies, r.data.policies.Member(acct, id)); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
	}
}

// ImportState takes `<account_id>/<member_id>`, `<account_id>/<email>`, or
// either without the account (the provider's account).
func (r *accountMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := accountMemberIdentity.importID(ctx, "cfiam_account_member", req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "member_id or email")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import cfiam_account_member by <account_id>/<member_id> or <account_id>/<email>: "+err.Error()+".")
		return
	}
	ref := parts[0]
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("importing cfiam_account_member"))
		return
	}
	id := ref
	if strings.Contains(ref, "@") {
		m, err := r.data.client.FindMemberByEmail(ctx, acct, ref)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "finding member "+ref, err))
			return
		}
		if m == nil {
			resp.Diagnostics.AddError("No such member", fmt.Sprintf("Account %s has no member with e-mail address %s.", acct, ref))
			return
		}
		id = m.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policies"), types.SetNull(policyObjectType))...)
}

// held is what the state holds of the policies; nil without a state.
func (m *accountMemberModel) held() *heldPolicies {
	if m == nil {
		return nil
	}
	return &heldPolicies{policies: m.Policies, accountID: m.AccountID, resolved: m.ResolvedPolicies}
}
