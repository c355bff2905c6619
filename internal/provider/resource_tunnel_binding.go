package provider

import (
	"context"
	"errors"
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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ resource.Resource                   = (*tunnelBindingResource)(nil)
	_ resource.ResourceWithConfigure      = (*tunnelBindingResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tunnelBindingResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tunnelBindingResource)(nil)
	_ resource.ResourceWithImportState    = (*tunnelBindingResource)(nil)
	_ resource.ResourceWithIdentity       = (*tunnelBindingResource)(nil)
)

// NewTunnelBindingResource returns the cfiam_tunnel_binding resource.
func NewTunnelBindingResource() resource.Resource { return &tunnelBindingResource{} }

// tunnelBindingResource is the additive side of member access (STYLE §5): it
// owns one policy of a member, found by its policy ID, and nothing else.
// cfiam_account_member is the authoritative side and leaves binding policies
// alone (iampolicy.BindingGroupPrefix). Both write through the provider's
// iampolicy.Updater, which re-reads the member and writes it under a
// per-member lock, so that concurrent applies in one process keep each
// other's policies; across processes, each re-reads just before writing.
type tunnelBindingResource struct {
	data *providerData
}

type tunnelBindingModel struct {
	ID        types.String `tfsdk:"id"`
	AccountID types.String `tfsdk:"account_id"`
	MemberID  types.String `tfsdk:"member_id"`
	PolicyID  types.String `tfsdk:"policy_id"`
	Roles     types.Set    `tfsdk:"roles"`
	TunnelIDs types.Set    `tfsdk:"tunnel_ids"`
}

func (r *tunnelBindingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tunnel_binding"
}

func (r *tunnelBindingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Granular permissions on chosen Cloudflare Tunnels for one account member: resource-scoped Tunnel roles " +
			"(such as `Cloudflare Tunnel Instance Admin`) bound to a set of Tunnels.\n\n" +
			"A binding is **additive**: it adds one policy of its own to the member and manages only that policy. It never changes " +
			"or removes the member's other policies, and `cfiam_account_member` (in the same or another Terraform state) neither " +
			"reports a binding's policy as drift nor removes it. This lets an application team manage access to its own Tunnel in " +
			"its own workspace, while a platform team manages the members. Granular permissions add capability and never remove it: " +
			"a member who holds an account role that covers Tunnels (such as `Cloudflare Access`) keeps access to every Tunnel.\n\n" +
			"The binding's resource groups are named `" + iampolicy.BindingGroupPrefix + "<resource key>`, which is how the provider tells a " +
			"binding's policy from the member's own. Only Tunnel roles are accepted, checked at `terraform validate` (embedded " +
			"catalog) and `terraform plan` (the account's live catalog).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<account_id>/<member_id>/<policy_id>`, also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account of the member. " + accountIDDescription("the binding"),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.AccountID()},
			},
			"member_id": schema.StringAttribute{
				MarkdownDescription: "Membership ID of the member the roles are granted to, such as `cfiam_account_member.example.id` " +
					"or `data.cfiam_account_member.example.id`. Changing it replaces the binding.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal member ID")},
			},
			"policy_id": schema.StringAttribute{
				MarkdownDescription: "ID of the member policy this binding owns. It stays the same when `roles` or `tunnel_ids` change.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"roles": schema.SetAttribute{
				MarkdownDescription: "Resource-scoped roles for Cloudflare Tunnel instances (scope `tunnel`), by name (any case) or ID, " +
					"such as `Cloudflare Tunnel Instance Read` or `Cloudflare Tunnel Instance Admin`. Kept as written. Account roles " +
					"(such as `Cloudflare Access`) are refused: they already cover every Tunnel of the account and belong in a " +
					"`cfiam_account_member` policy.",
				Required:    true,
				ElementType: types.StringType,
				Validators:  []validator.Set{setvalidator.SizeAtLeast(1)},
			},
			"tunnel_ids": schema.SetAttribute{
				MarkdownDescription: "Cloudflare Tunnels (UUIDs) the roles apply to, such as `cloudflare_zero_trust_tunnel_cloudflared.app.id`.",
				Required:            true,
				ElementType:         types.StringType,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.TunnelID("must be a Tunnel ID (a lowercase UUID)"))},
			},
		},
	}
}

func (r *tunnelBindingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ValidateConfig checks the roles against the embedded catalog, offline.
func (r *tunnelBindingResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer startValidation(ctx, "cfiam_tunnel_binding", catalogEmbedded).done(&resp.Diagnostics)
	var roles types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("roles"), &roles)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkBindingRoles(roles, catalog.Embedded(), false)...)
}

// ModifyPlan fills account_id from the provider and checks the roles against
// the account's live catalog.
func (r *tunnelBindingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() { // destroy
		return
	}
	var plan tunnelBindingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.AccountID = r.data.planAccount(ctx, req, resp, "planning cfiam_tunnel_binding"); resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() || plan.AccountID.IsUnknown() {
		return
	}
	cat, _, diags := r.data.catalog(ctx, plan.AccountID.ValueString(), true, "checking the binding's roles")
	resp.Diagnostics.Append(diags...)
	if cat != nil {
		run, found := startValidation(ctx, "cfiam_tunnel_binding", catalogLive), checkBindingRoles(plan.Roles, cat, true)
		run.done(&found)
		resp.Diagnostics.Append(found...)
	}
}

func (r *tunnelBindingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan tunnelBindingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("creating cfiam_tunnel_binding"))
		return
	}
	acct, member := plan.AccountID.ValueString(), plan.MemberID.ValueString()
	operation := fmt.Sprintf("adding a Tunnel binding to member %s of account %s", member, acct)
	spec, cat, diags := r.spec(ctx, &plan, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	p, err := r.writePolicy(ctx, acct, member, "", &spec)
	if err != nil {
		resp.Diagnostics.Append(bindingErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	r.setFromPolicy(ctx, &plan, *p, cat)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	bindingIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *tunnelBindingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	bindingIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var state tunnelBindingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_tunnel_binding"))
		return
	}
	acct, member, policyID := state.AccountID.ValueString(), state.MemberID.ValueString(), state.PolicyID.ValueString()
	operation := fmt.Sprintf("reading Tunnel binding %s of member %s of account %s", policyID, member, acct)
	m, err := r.data.client.GetMember(ctx, acct, member)
	if cfclient.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // the member is gone, and its policies with it
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	i := iampolicy.Index(m.Policies, policyID)
	if i < 0 {
		resp.State.RemoveResource(ctx) // the policy was removed outside Terraform: plan to add it again
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	r.setFromPolicy(ctx, &state, m.Policies[i], cat)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *tunnelBindingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan tunnelBindingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("updating cfiam_tunnel_binding"))
		return
	}
	acct, member, policyID := plan.AccountID.ValueString(), plan.MemberID.ValueString(), plan.PolicyID.ValueString()
	operation := fmt.Sprintf("updating Tunnel binding %s of member %s of account %s", policyID, member, acct)
	spec, cat, diags := r.spec(ctx, &plan, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	p, err := r.writePolicy(ctx, acct, member, policyID, &spec)
	if err != nil {
		resp.Diagnostics.Append(bindingErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	r.setFromPolicy(ctx, &plan, *p, cat)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	bindingIdentity.setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *tunnelBindingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state tunnelBindingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("removing cfiam_tunnel_binding"))
		return
	}
	acct, member, policyID := state.AccountID.ValueString(), state.MemberID.ValueString(), state.PolicyID.ValueString()
	operation := fmt.Sprintf("removing Tunnel binding %s from member %s of account %s", policyID, member, acct)
	if _, err := r.writePolicy(ctx, acct, member, policyID, nil); err != nil &&
		!cfclient.IsNotFound(err) && !errors.Is(err, iampolicy.ErrPolicyGone) {
		resp.Diagnostics.Append(bindingErrorDiagnostic(r.data.auth, operation, err))
	}
}

// ImportState takes `<account_id>/<member_id>/<policy_id>`; the policy must
// be a binding's (its resource groups named with iampolicy.BindingGroupPrefix).
func (r *tunnelBindingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := bindingIdentity.importID(ctx, "cfiam_tunnel_binding", req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "member_id", "policy_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			"Import cfiam_tunnel_binding by <account_id>/<member_id>/<policy_id>: "+err.Error()+
				". The policy ID is the member policy's ID, as data.cfiam_account_member lists it.")
		return
	}
	member, policyID := parts[0], parts[1]
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("importing cfiam_tunnel_binding"))
		return
	}
	m, err := r.data.client.GetMember(ctx, acct, member)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "importing Tunnel binding "+given, err))
		return
	}
	i := iampolicy.Index(m.Policies, policyID)
	if i < 0 {
		resp.Diagnostics.AddError("No such policy",
			fmt.Sprintf("Member %s of account %s has no policy %s.", member, acct, policyID))
		return
	}
	if !iampolicy.IsBindingPolicy(m.Policies[i]) {
		resp.Diagnostics.AddError("Not a Tunnel binding's policy",
			fmt.Sprintf("Policy %s of member %s is not a cfiam_tunnel_binding's: its resource groups are not named %q. "+
				"It belongs to the member's own policies, which cfiam_account_member manages (import the member instead); "+
				"managing it from a binding too would make the two resources fight over it.", policyID, member, iampolicy.BindingGroupPrefix+"…"))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), given)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("member_id"), member)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policy_id"), m.Policies[i].ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("roles"), types.SetNull(types.StringType))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tunnel_ids"), types.SetNull(types.StringType))...)
}

// spec resolves the planned roles and Tunnels against the live catalog.
func (r *tunnelBindingResource) spec(ctx context.Context, plan *tunnelBindingModel, operation string) (policy.MemberSpec, *catalog.Catalog, diag.Diagnostics) {
	cat, _, diags := r.data.catalog(ctx, plan.AccountID.ValueString(), true, operation)
	if diags.HasError() {
		return policy.MemberSpec{}, nil, diags
	}
	spec := policy.MemberSpec{Access: "allow", Scope: catalog.ScopeTunnel, ObjectIDs: policy.SortedUnique(lowerAll(setValues(plan.TunnelIDs)))}
	for _, ref := range setValues(plan.Roles) {
		e, err := cat.ResolveRole(ref, catalog.ScopeTunnel)
		if err != nil {
			diags.AddAttributeError(path.Root("roles").AtSetValue(types.StringValue(ref)), "Invalid Tunnel role", err.Error())
			continue
		}
		spec.RoleIDs = append(spec.RoleIDs, e.ID)
	}
	spec.RoleIDs = policy.SortedUnique(spec.RoleIDs)
	return spec, cat, diags
}

// writePolicy adds (policyID ""), replaces or removes (spec nil) the
// binding's policy on the member, keeping every other policy
// (iampolicy.Additive), and returns the policy written.
func (r *tunnelBindingResource) writePolicy(ctx context.Context, acct, member, policyID string, spec *policy.MemberSpec) (*cfclient.MemberPolicy, error) {
	u := r.data.policies
	return iampolicy.WritePolicy(ctx, u, u.Member(acct, member), iampolicy.BindingGroups, policyID, spec)
}

// setFromPolicy writes the API's policy into the model, keeping roles and
// Tunnel IDs as written when they mean the same.
func (r *tunnelBindingResource) setFromPolicy(_ context.Context, m *tunnelBindingModel, p cfclient.MemberPolicy, cat *catalog.Catalog) {
	acct, member := m.AccountID.ValueString(), m.MemberID.ValueString()
	m.PolicyID = types.StringValue(p.ID)
	m.ID = types.StringValue(acct + "/" + member + "/" + p.ID)

	apiRoles := policy.SortedUnique(lowerAll(p.PermissionGroupIDs()))
	if written, ok := resolvedRoleIDs(cat, m.Roles); !ok || !slices.Equal(written, apiRoles) {
		names := make([]string, 0, len(apiRoles))
		for _, id := range p.PermissionGroupIDs() {
			names = append(names, configRef(cat, catalog.KindRole, catalog.ScopeTunnel, id))
		}
		m.Roles = flattenStrings(names)
	}

	var tunnels []string
	for _, g := range p.ResourceGroups {
		if kind, ids, ok := catalog.GroupObjects(g.ObjectKeys()); ok && kind == catalog.ScopeTunnel {
			tunnels = append(tunnels, ids...)
		}
	}
	tunnels = policy.SortedUnique(lowerAll(tunnels))
	if m.TunnelIDs.IsNull() || m.TunnelIDs.IsUnknown() || !slices.Equal(policy.SortedUnique(lowerAll(setValues(m.TunnelIDs))), tunnels) {
		m.TunnelIDs = flattenStrings(tunnels)
	}
}

// resolvedRoleIDs resolves written roles to sorted, lower-case IDs; false
// when the set is null or unknown or a role does not resolve.
func resolvedRoleIDs(cat *catalog.Catalog, roles types.Set) ([]string, bool) {
	if roles.IsNull() || roles.IsUnknown() {
		return nil, false
	}
	var ids []string
	for _, ref := range setValues(roles) {
		e, err := cat.ResolveRole(ref, catalog.ScopeTunnel)
		if err != nil {
			return nil, false
		}
		ids = append(ids, strings.ToLower(e.ID))
	}
	return policy.SortedUnique(ids), true
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

// bindingErrorDiagnostic adds the binding's own failure to apiErrorDiagnostic.
func bindingErrorDiagnostic(auth authMethod, operation string, err error) diag.Diagnostic {
	switch {
	case errors.Is(err, iampolicy.ErrPolicyGone):
		return diag.NewErrorDiagnostic("Tunnel binding removed outside Terraform while "+operation,
			"The member no longer has this binding's policy: it was removed after the last refresh. "+
				"Run terraform apply again: the refresh will notice and plan to add the binding anew.")
	case cfclient.IsNotFound(err):
		return diag.NewErrorDiagnostic("Member not found while "+operation,
			err.Error()+"\n\nCheck member_id (the membership ID, such as cfiam_account_member.<name>.id) and account_id.")
	}
	return apiErrorDiagnostic(auth, operation, err)
}

// Resource identity (Terraform 1.12 and later), shared by the bindings: a
// binding is identified by its member and the policy it owns. Create, Read
// and Update copy it from the state, ImportState reads it through
// bindingIdentity.importID; identity.go does the rest.

// bindingIdentity is the identity of a binding.
var bindingIdentity = identityFields{
	accountIdentityField,
	{name: "member_id", description: "Membership ID of the member the binding grants roles to."},
	{name: "policy_id", description: "ID of the member policy the binding owns."},
}

func (r *tunnelBindingResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	bindingIdentity.identitySchema(resp)
}
