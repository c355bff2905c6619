package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
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

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// This file is the one implementation of the binding resources
// (cfiam_tunnel_binding, cfiam_access_application_binding, ...): granular
// permissions on chosen objects of one resource kind for one member. Each
// binding resource is a bindingKind made from a row of catalog's kinds table
// (bindingKindOf), its words included.

var (
	_ resource.Resource                   = (*bindingResource)(nil)
	_ resource.ResourceWithConfigure      = (*bindingResource)(nil)
	_ resource.ResourceWithValidateConfig = (*bindingResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*bindingResource)(nil)
	_ resource.ResourceWithImportState    = (*bindingResource)(nil)
	_ resource.ResourceWithIdentity       = (*bindingResource)(nil)
	_ list.ListResourceWithConfigure      = (*bindingResource)(nil)
)

// bindingKind is what makes one binding resource: the kind of resource it
// binds roles to, its attribute, its resource groups and its words.
type bindingKind struct {
	typeSuffix string             // "_tunnel_binding"
	idsAttr    string             // "tunnel_ids"
	policy     policy.BindingKind // the scope and the role checks' words
	groups     iampolicy.Groups   // the family of its resource groups
	noun       string             // "Tunnel binding", in diagnostics
	intro      string             // the resource description's first paragraph
	roles      string             // the roles attribute's description
	ids        string             // the IDs attribute's description
	idMessage  string             // the IDs validator's message
}

func (k bindingKind) typeName() string { return "cfiam" + k.typeSuffix }

// bindingKindOf makes the binding resource of a resource kind.
func bindingKindOf(rk catalog.ResourceKind) bindingKind {
	p := policy.BindingKindOf(rk.Scope)
	roles := make([]string, len(rk.Roles))
	for i, r := range rk.Roles {
		roles[i] = "`" + r.Name + "`"
	}
	intro := fmt.Sprintf("Granular permissions on chosen %s for one account member: resource-scoped %s roles (such as %s) bound to a set of %s.",
		rk.Nouns, rk.Short, roles[len(roles)-1], rk.Nouns)
	return bindingKind{
		typeSuffix: strings.TrimPrefix(rk.BindingResource(), "cfiam"),
		idsAttr:    rk.Attribute,
		policy:     p,
		groups:     iampolicy.BindingGroupsOf(rk.Scope),
		noun:       rk.Short + " binding",
		intro:      intro + " The other resource kinds have their own bindings (see the scopes guide).",
		roles: fmt.Sprintf("Resource-scoped roles for %s (scope `%s`), by name (any case) or ID: %s. Kept as written. "+
			"Account roles (such as `Cloudflare Access`) are refused: those that cover %s already cover every one of the account and belong in "+
			"a `cfiam_account_member` policy; so are the roles of other resource kinds, which have their own bindings.",
			rk.Title, rk.Scope, catalog.QuoteList(rk.RoleNames(), "or"), rk.Nouns),
		ids: fmt.Sprintf("%s (UUIDs) the roles apply to, such as an `id` from the `%s` data source or `%s.<name>.id` of the official provider.",
			capitalise(rk.Nouns), rk.DataSource(), rk.OfficialType),
		idMessage: "must be " + articled(rk.Short) + " ID (a lowercase UUID)",
	}
}

// bindingResources are the binding resources, one per resource kind.
func bindingResources() []func() resource.Resource {
	var out []func() resource.Resource
	for _, rk := range catalog.Kinds() {
		k := bindingKindOf(rk)
		out = append(out, func() resource.Resource { return &bindingResource{kind: k} })
	}
	return out
}

// bindingListResources are the binding list resources, one per resource kind.
func bindingListResources() []func() list.ListResource {
	var out []func() list.ListResource
	for _, rk := range catalog.Kinds() {
		k := bindingKindOf(rk)
		out = append(out, func() list.ListResource { return &bindingResource{kind: k} })
	}
	return out
}

// bindingResource is the additive side of member access (STYLE §5): it owns
// one policy of a member, found by its policy ID, and nothing else.
// cfiam_account_member is the authoritative side and leaves binding policies
// alone (iampolicy.IsBindingPolicy). Both write through the provider's
// iampolicy.Updater, which re-reads the member and writes it under a
// per-member lock, so that concurrent applies in one process keep each
// other's policies; across processes, each re-reads just before writing.
type bindingResource struct {
	kind bindingKind
	data *providerData
}

// bindingModel is a binding's attributes; IDs is the kind's IDs attribute
// (tunnel_ids, mesh_node_ids), read and written by name (get, set).
type bindingModel struct {
	ID        types.String
	AccountID types.String
	MemberID  types.String
	PolicyID  types.String
	Roles     types.Set
	IDs       types.Set
}

// attributeGetter is a plan, state or configuration.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

func (k bindingKind) get(ctx context.Context, from attributeGetter) (bindingModel, diag.Diagnostics) {
	var m bindingModel
	var diags diag.Diagnostics
	for name, target := range map[string]any{"id": &m.ID, "account_id": &m.AccountID, "member_id": &m.MemberID,
		"policy_id": &m.PolicyID, "roles": &m.Roles, k.idsAttr: &m.IDs} {
		diags.Append(from.GetAttribute(ctx, path.Root(name), target)...)
	}
	return m, diags
}

// attributeSetter is a plan or state.
type attributeSetter interface {
	SetAttribute(ctx context.Context, p path.Path, val any) diag.Diagnostics
}

func (k bindingKind) set(ctx context.Context, to attributeSetter, m bindingModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name  string
		value any
	}{{"id", m.ID}, {"account_id", m.AccountID}, {"member_id", m.MemberID}, {"policy_id", m.PolicyID}, {"roles", m.Roles}, {k.idsAttr, m.IDs}} {
		diags.Append(to.SetAttribute(ctx, path.Root(a.name), a.value)...)
	}
	return diags
}

func (r *bindingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeSuffix
}

func (r *bindingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: k.intro + "\n\n" +
			"A binding is **additive**: it adds one policy of its own to the member and manages only that policy. It never changes " +
			"or removes the member's other policies, and `cfiam_account_member` (in the same or another Terraform state) neither " +
			"reports a binding's policy as drift nor removes it. This lets an application team manage access to its own " +
			k.policy.Objects + " in its own workspace, while a platform team manages the members. Granular permissions add capability " +
			"and never remove it: a member who holds an account role that covers " + k.policy.Plural + " (such as `Cloudflare Access`) " +
			"keeps access to every " + k.policy.Objects + ".\n\n" +
			"The binding's resource groups are named `" + k.groups.Prefix() + "<resource key>`, which is how the provider tells a " +
			"binding's policy from the member's own. Only " + k.policy.RoleWord + " (scope `" + string(k.policy.Scope) + "`) are accepted, " +
			"checked at `terraform validate` (embedded catalog) and `terraform plan` (the account's live catalog).",
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
				MarkdownDescription: "ID of the member policy this binding owns. It stays the same when `roles` or `" + k.idsAttr + "` change.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"roles": schema.SetAttribute{
				MarkdownDescription: k.roles,
				Required:            true,
				ElementType:         types.StringType,
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
			},
			k.idsAttr: schema.SetAttribute{
				MarkdownDescription: k.ids,
				Required:            true,
				ElementType:         types.StringType,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.TunnelID(k.idMessage))},
			},
		},
	}
}

func (r *bindingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ValidateConfig checks the roles against the embedded catalog, offline.
func (r *bindingResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer startValidation(ctx, r.kind.typeName(), catalogEmbedded).done(&resp.Diagnostics)
	var roles types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("roles"), &roles)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkBindingRoles(r.kind.policy, roles, catalog.Embedded(), false)...)
}

// ModifyPlan fills account_id from the provider and checks the roles against
// the account's live catalog.
func (r *bindingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() { // destroy
		return
	}
	var roles types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("roles"), &roles)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct := r.data.planAccount(ctx, req, resp, "planning "+r.kind.typeName())
	if resp.Diagnostics.HasError() || !r.data.online() || acct.IsUnknown() {
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct.ValueString(), true, "checking the binding's roles")
	resp.Diagnostics.Append(diags...)
	if cat != nil {
		run, found := startValidation(ctx, r.kind.typeName(), catalogLive), checkBindingRoles(r.kind.policy, roles, cat, true)
		run.done(&found)
		resp.Diagnostics.Append(found...)
	}
}

func (r *bindingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, false)
}

// write adds the binding's policy (update false) or replaces it, keeping its
// ID, and records the result with its identity.
func (r *bindingResource) write(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State, identity *tfsdk.ResourceIdentity,
	diags *diag.Diagnostics, update bool) {
	plan, more := r.kind.get(ctx, planned)
	if diags.Append(more...); diags.HasError() {
		return
	}
	acct, member, policyID := plan.AccountID.ValueString(), plan.MemberID.ValueString(), ""
	verb, operation := "creating", fmt.Sprintf("adding a %s to member %s of account %s", r.kind.noun, member, acct)
	if update {
		policyID = plan.PolicyID.ValueString()
		verb, operation = "updating", fmt.Sprintf("updating %s %s of member %s of account %s", r.kind.noun, policyID, member, acct)
	}
	if !r.data.online() {
		diags.Append(offlineDiagnostic(verb + " " + r.kind.typeName()))
		return
	}
	spec, cat, more := r.spec(ctx, &plan, operation)
	if diags.Append(more...); more.HasError() {
		return
	}
	p, err := r.writePolicy(ctx, acct, member, policyID, &spec)
	if err != nil {
		diags.Append(r.errorDiagnostic(operation, err))
		return
	}
	r.setFromPolicy(&plan, *p, cat)
	diags.Append(r.kind.set(ctx, state, plan)...)
	bindingIdentity.setIdentity(ctx, *state, identity, diags)
}

func (r *bindingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	bindingIdentity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	state, diags := r.kind.get(ctx, req.State)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading " + r.kind.typeName()))
		return
	}
	acct, member, policyID := state.AccountID.ValueString(), state.MemberID.ValueString(), state.PolicyID.ValueString()
	operation := fmt.Sprintf("reading %s %s of member %s of account %s", r.kind.noun, policyID, member, acct)
	m, err := r.data.client.ReadMember(ctx, acct, member)
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
	r.setFromPolicy(&state, m.Policies[i], cat)
	resp.Diagnostics.Append(r.kind.set(ctx, &resp.State, state)...)
}

func (r *bindingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, true)
}

func (r *bindingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := r.kind.get(ctx, req.State)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("removing " + r.kind.typeName()))
		return
	}
	acct, member, policyID := state.AccountID.ValueString(), state.MemberID.ValueString(), state.PolicyID.ValueString()
	operation := fmt.Sprintf("removing %s %s from member %s of account %s", r.kind.noun, policyID, member, acct)
	if _, err := r.writePolicy(ctx, acct, member, policyID, nil); err != nil &&
		!cfclient.IsNotFound(err) && !errors.Is(err, iampolicy.ErrPolicyGone) {
		resp.Diagnostics.Append(r.errorDiagnostic(operation, err))
	}
}

// ImportState takes `<account_id>/<member_id>/<policy_id>`; the policy must
// be a binding's of this kind (its resource groups named with the kind's prefix).
func (r *bindingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	k := r.kind
	given, ok := bindingIdentity.importID(ctx, k.typeName(), req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), "member_id", "policy_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID",
			"Import "+k.typeName()+" by <account_id>/<member_id>/<policy_id>: "+err.Error()+
				". The policy ID is the member policy's ID, as data.cfiam_account_member lists it.")
		return
	}
	member, policyID := parts[0], parts[1]
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("importing " + k.typeName()))
		return
	}
	m, err := r.data.client.GetMember(ctx, acct, member)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "importing "+k.noun+" "+given, err))
		return
	}
	i := iampolicy.Index(m.Policies, policyID)
	if i < 0 {
		resp.Diagnostics.AddError("No such policy",
			fmt.Sprintf("Member %s of account %s has no policy %s.", member, acct, policyID))
		return
	}
	if !k.groups.Owns(m.Policies[i]) {
		resp.Diagnostics.AddError("Not a "+k.noun+"'s policy",
			fmt.Sprintf("Policy %s of member %s is not a %s's: its resource groups are not named %q. "+
				"If it is another binding's, import it into that binding's resource; if it is one of the member's own policies, "+
				"cfiam_account_member manages it (import the member instead): managing it from a binding too would make the two "+
				"resources fight over it.", policyID, member, k.typeName(), k.groups.Prefix()+"…"))
		return
	}
	resp.Diagnostics.Append(k.set(ctx, &resp.State, bindingModel{
		ID: types.StringValue(given), AccountID: types.StringValue(acct), MemberID: types.StringValue(member),
		PolicyID: types.StringValue(m.Policies[i].ID), Roles: types.SetNull(types.StringType), IDs: types.SetNull(types.StringType),
	})...)
}

// spec resolves the planned roles and resources against the live catalog.
func (r *bindingResource) spec(ctx context.Context, plan *bindingModel, operation string) (policy.MemberSpec, *catalog.Catalog, diag.Diagnostics) {
	cat, _, diags := r.data.catalog(ctx, plan.AccountID.ValueString(), true, operation)
	if diags.HasError() {
		return policy.MemberSpec{}, nil, diags
	}
	s := r.kind.policy.Scope
	spec := policy.MemberSpec{Access: "allow", Objects: map[catalog.Scope][]string{s: policy.SortedUnique(lowerAll(setValues(plan.IDs)))}}
	for _, ref := range setValues(plan.Roles) {
		e, err := cat.ResolveRole(ref, s)
		if err != nil {
			diags.AddAttributeError(path.Root("roles").AtSetValue(types.StringValue(ref)), "Invalid role for a "+r.kind.noun, err.Error())
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
func (r *bindingResource) writePolicy(ctx context.Context, acct, member, policyID string, spec *policy.MemberSpec) (*cfclient.MemberPolicy, error) {
	u := r.data.policies
	return iampolicy.WritePolicy(ctx, u, u.Member(acct, member), r.kind.groups, policyID, spec)
}

// setFromPolicy writes the API's policy into the model, keeping roles and
// resource IDs as written when they mean the same.
func (r *bindingResource) setFromPolicy(m *bindingModel, p cfclient.MemberPolicy, cat *catalog.Catalog) {
	s := r.kind.policy.Scope
	acct, member := m.AccountID.ValueString(), m.MemberID.ValueString()
	m.PolicyID = types.StringValue(p.ID)
	m.ID = types.StringValue(acct + "/" + member + "/" + p.ID)

	apiRoles := policy.SortedUnique(lowerAll(p.PermissionGroupIDs()))
	if written, ok := resolvedRoleIDs(cat, m.Roles, s); !ok || !slices.Equal(written, apiRoles) {
		names := make([]string, 0, len(apiRoles))
		for _, id := range p.PermissionGroupIDs() {
			names = append(names, configRef(cat, catalog.KindRole, s, id))
		}
		m.Roles = flattenStrings(names)
	}

	var ids []string
	for _, g := range p.ResourceGroups {
		if kind, objects, ok := catalog.GroupObjects(g.ObjectKeys()); ok && kind == s {
			ids = append(ids, objects...)
		}
	}
	ids = policy.SortedUnique(lowerAll(ids))
	if m.IDs.IsNull() || m.IDs.IsUnknown() || !slices.Equal(policy.SortedUnique(lowerAll(setValues(m.IDs))), ids) {
		m.IDs = flattenStrings(ids)
	}
}

// resolvedRoleIDs resolves written roles at scope s to sorted, lower-case
// IDs; false when the set is null or unknown or a role does not resolve.
func resolvedRoleIDs(cat *catalog.Catalog, roles types.Set, s catalog.Scope) ([]string, bool) {
	if roles.IsNull() || roles.IsUnknown() {
		return nil, false
	}
	var ids []string
	for _, ref := range setValues(roles) {
		e, err := cat.ResolveRole(ref, s)
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

// errorDiagnostic adds the binding's own failure to apiErrorDiagnostic.
func (r *bindingResource) errorDiagnostic(operation string, err error) diag.Diagnostic {
	switch {
	case errors.Is(err, iampolicy.ErrPolicyGone):
		return diag.NewErrorDiagnostic(r.kind.noun+" removed outside Terraform while "+operation,
			"The member no longer has this binding's policy: it was removed after the last refresh. "+
				"Run terraform apply again: the refresh will notice and plan to add the binding anew.")
	case cfclient.IsNotFound(err):
		return diag.NewErrorDiagnostic("Member not found while "+operation,
			err.Error()+"\n\nCheck member_id (the membership ID, such as cfiam_account_member.<name>.id) and account_id.")
	}
	return apiErrorDiagnostic(r.data.auth, operation, err)
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

func (r *bindingResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	bindingIdentity.identitySchema(resp)
}

// --- list resources ---

type bindingListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	MemberID  types.String `tfsdk:"member_id"`
}

func (r *bindingResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the %ss of an account for `terraform query` (Terraform 1.14 and later): each member policy "+
			"that a `%s` owns (its resource groups carry the binding's prefix), with its roles by name and its `%s`. These policies are "+
			"not part of the `cfiam_account_member` list results. One paged list of the account's members, and its role catalog.",
			r.kind.noun, r.kind.typeName(), r.kind.idsAttr),
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute(r.kind.noun + "s"),
			"member_id": listschema.StringAttribute{
				MarkdownDescription: "List only the bindings of the member with this membership ID.",
				Optional:            true,
				Validators:          []validator.String{validators.HexID("must be a membership ID: 32 hexadecimal characters")},
			},
		},
	}
}

func (r *bindingResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg bindingListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, r.kind.typeName(), func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	operation := fmt.Sprintf("listing the %ss of account %s", r.kind.noun, acct)
	members, err := r.data.client.ListMembers(ctx, acct)
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	memberID := cfg.MemberID.ValueString()
	slices.SortStableFunc(members, func(a, b cfclient.Member) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.User.Email), strings.ToLower(b.User.Email)), cmp.Compare(a.ID, b.ID))
	})
	var objects []listed
	for _, m := range members {
		if memberID != "" && !strings.EqualFold(m.ID, memberID) {
			continue
		}
		policies := slices.Clone(m.Policies)
		slices.SortStableFunc(policies, func(a, b cfclient.MemberPolicy) int { return cmp.Compare(a.ID, b.ID) })
		for _, p := range policies {
			if !r.kind.groups.Owns(p) {
				continue
			}
			b := bindingModel{
				AccountID: types.StringValue(acct),
				MemberID:  types.StringValue(m.ID),
				Roles:     types.SetNull(types.StringType),
				IDs:       types.SetNull(types.StringType),
			}
			r.setFromPolicy(&b, p, cat)
			objects = append(objects, listed{
				display: m.User.Email + " " + r.kind.noun + " " + p.ID,
				set:     func(ctx context.Context, res *tfsdk.Resource) diag.Diagnostics { return r.kind.set(ctx, res, b) },
			})
		}
	}
	stream.Results = listResults(ctx, req, bindingIdentity, objects)
}
