package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// This file is the one implementation of the resources that hold policies
// authoritatively (the authoritative side of STYLE §5): cfiam_account_member
// and cfiam_user_group, the same resource with another principal. Each is a
// holderResource with its kind (memberHolder in resource_account_member.go,
// groupHolder in resource_user_group.go), which adds only what that
// principal has: its own attributes, its API calls, its Super Administrator
// guard and how an import names it. The policies, their checks, their
// read-modify-write through iampolicy, Read, import and identity are here.

// policyHolder is what each holder resource implements: a resource with
// validation, plan, import and identity, and a list resource.
type policyHolder interface {
	resource.ResourceWithConfigure
	resource.ResourceWithValidateConfig
	resource.ResourceWithModifyPlan
	resource.ResourceWithImportState
	resource.ResourceWithIdentity
	list.ListResourceWithConfigure
}

var (
	_ policyHolder = (*accountMemberResource)(nil)
	_ policyHolder = (*userGroupResource)(nil)
	// The kinds, checked here (and so used, for the linters: a method
	// called through a type parameter only is not).
	_ holderKind[accountMemberModel, *cfclient.Member] = memberHolder{}
	_ holderKind[userGroupModel, *cfclient.UserGroup]  = groupHolder{}
)

// holderResource is a policy holder resource: M is its model, T the API's
// object (*cfclient.Member, *cfclient.UserGroup), K its kind. K is a type
// of no size, so that the zero value of a holder resource is a working one.
type holderResource[M, T any, K holderKind[M, T]] struct {
	data *providerData
	kind K
}

// holderKind is what one holder resource adds to holderResource. Methods
// that call the API get the provider's data.
type holderKind[M, T any] interface {
	words() *holderWords
	// fields are the attributes of m that every holder has.
	fields(m *M) holderFields
	// attributes are the kind's own schema attributes.
	attributes() map[string]schema.Attribute
	// name is how Create's operation names the planned holder.
	name(m *M) string
	// create creates the holder with its policies (iampolicy.Create's create).
	create(ctx context.Context, d *providerData, m *M, acct string, policies []cfclient.MemberPolicy) (T, error)
	// createError explains a failed create.
	createError(d *providerData, err error, m *M, acct, operation string) diag.Diagnostic
	// read reads the holder; cfclient.IsNotFound when it is gone.
	read(ctx context.Context, d *providerData, acct, id string) (T, error)
	// holder is the holder's iampolicy.Holder, for Update and Delete.
	holder(d *providerData, acct, id string) iampolicy.Holder[T]
	// update does what Update adds to writing the policies, given the
	// holder as written.
	update(ctx context.Context, d *providerData, m *M, written T) (T, error)
	// setOwn writes what only the kind has of the API's object into m, and
	// returns the object's ID and policies.
	setOwn(m *M, api T) (id string, policies []cfclient.MemberPolicy, diags diag.Diagnostics)
	// guard checks a planned change of an existing holder against the last
	// Super Administrator (plan nil: a destroy), online.
	guard(ctx context.Context, d *providerData, state, plan *M, diags *diag.Diagnostics)
	// importedID is the ID of the holder ref names (the import ID's last
	// part; given is the whole import ID); false, with a diagnostic, when
	// there is none.
	importedID(ctx context.Context, d *providerData, acct, ref, given string, diags *diag.Diagnostics) (string, bool)
}

// holderWords are a holder resource's type name and words: its
// descriptions, diagnostics and operations.
type holderWords struct {
	typeSuffix    string         // "_account_member"
	description   string         // the resource's description
	identity      identityFields // its identity (identity.go)
	id            string         // the id attribute's description
	owner         string         // "the member", in account_id's description
	policies      string         // the policies attribute's first sentence
	allowRemoving string         // allow_removing_last_super_administrator's description
	checking      string         // the plan's operation: "checking the member's roles"
	grantee       policy.Grantee // whose policies they are, for the grant warnings
	importRefs    string         // what an import ID names besides the account: "member_id or email"
	importForms   string         // the import ID's forms, in its diagnostic
	removing      string         // the verb of a destroy: "removing"
	// The operations, formats of the holder (Create: kind.name; otherwise
	// its ID) and the account.
	creating, reading, updating, deleting string
}

// holderFields point at the attributes every holder's model has.
type holderFields struct {
	id, accountID *types.String
	policies      *types.Set
	resolved      *types.List
}

func (w *holderWords) typeName() string { return "cfiam" + w.typeSuffix }

// maxRolesPerPolicy caps a policy's roles well above any real use.
const maxRolesPerPolicy = policy.MaxRolesPerPolicy

func (r *holderResource[M, T, K]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.words().typeSuffix
}

func (r *holderResource[M, T, K]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	w := r.kind.words()
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: w.id,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"account_id": schema.StringAttribute{
			MarkdownDescription: "Account " + w.owner + " belongs to. " + accountIDDescription(w.owner),
			Optional:            true,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			Validators:          []validator.String{validators.AccountID()},
		},
		"allow_removing_last_super_administrator": schema.BoolAttribute{
			MarkdownDescription: w.allowRemoving,
			Optional:            true,
		},
		"policies":          policiesAttribute(w.policies),
		"resolved_policies": resolvedPoliciesAttribute(),
	}
	for name, a := range r.kind.attributes() {
		attrs[name] = a
	}
	resp.Schema = schema.Schema{MarkdownDescription: w.description, Attributes: attrs}
}

func (r *holderResource[M, T, K]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.kind.words().identity.identitySchema(resp)
}

func (r *holderResource[M, T, K]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// ValidateConfig checks every policy against the embedded catalog: it runs at
// `terraform validate`, with no credentials.
func (r *holderResource[M, T, K]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validatePoliciesOffline(ctx, r.kind.words().typeName(), req.Config, &resp.Diagnostics)
}

// ModifyPlan checks the policies against the account's live catalog, warns
// about the grants the reference pages single out, guards the last Super
// Administrator (the kind's guard), and fills account_id from the provider.
func (r *holderResource[M, T, K]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	w := r.kind.words()
	var state *M
	if !req.State.Raw.IsNull() {
		state = new(M)
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if req.Plan.Raw.IsNull() { // destroy
		if state != nil && r.data.online() {
			r.kind.guard(ctx, r.data, state, nil, &resp.Diagnostics)
		}
		return
	}
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f := r.kind.fields(&plan)
	proposed := *f.resolved
	if *f.accountID = r.data.planAccount(ctx, req, resp, "planning "+w.typeName()); resp.Diagnostics.HasError() {
		return
	}
	held := r.held(state)
	*f.resolved = plannedResolvedPolicies(*f.policies, *f.accountID, held)

	if r.data.online() && !f.accountID.IsUnknown() {
		prior, memberID := types.SetNull(policyObjectType), ""
		if held != nil {
			prior = held.policies
			if w.grantee == policy.GranteeMember && held.accountID.Equal(*f.accountID) {
				// An existing member, staying in its account: its groups' roles count as held.
				memberID = r.kind.fields(state).id.ValueString()
			}
		}
		resp.Diagnostics.Append(r.data.checkPlannedPolicies(ctx, w.typeName(), w.checking,
			f.accountID.ValueString(), *f.policies, prior, w.grantee, memberID)...)
		if state != nil && !resp.Diagnostics.HasError() {
			r.kind.guard(ctx, r.data, state, &plan, &resp.Diagnostics)
		}
	}
	// Only what this method sets is written back: setting the whole model
	// cost more than the checks above, in every member of every plan,
	// mostly to write back what Terraform proposed.
	setIfChanged(ctx, &resp.Plan, "resolved_policies", proposed, *f.resolved, &resp.Diagnostics)
}

// PlansPriorState says when ModifyPlan, given Terraform's proposed state
// equal to the prior state, plans that state as it is
// (protoserver.ResourceWithUnchangedPlan: the server then answers the plan
// without the framework). What ModifyPlan reads besides the proposed state,
// and why each leaves the plan alone:
//   - account_id: planAccount keeps the configured account, or else moves
//     the holder to the provider's account (plannedAccountID); it must be
//     the one the state holds. This is the one condition checked here.
//   - resolved_policies: plannedResolvedPolicies gives the held value back
//     for the held policies in the held account.
//   - checkPlannedPolicies checks only policies the state does not hold,
//     and memberGrantWarnings warns only about grants the state does not
//     hold. Its live catalog was fetched by the refresh's Read, which fails
//     on it first.
//   - the kind's guard acts on a change or removal of a Super
//     Administrator's policies, which an unchanged plan is not.
//
// Change ModifyPlan, and this changes with it.
func (r *holderResource[M, T, K]) PlansPriorState(_ context.Context, config, prior tftypes.Value) bool {
	if r.data == nil {
		return false
	}
	configured, ok1 := stringAttribute(config, "account_id")
	held, ok2 := stringAttribute(prior, "account_id")
	if !ok1 || !ok2 || held == nil {
		return false
	}
	if configured != nil {
		return true // the proposed state, equal to the prior one, holds the configured account
	}
	return plannedAccountID(r.data.accountID, *held) == *held
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

// held is what the state holds of the policies; nil without a state.
func (r *holderResource[M, T, K]) held(state *M) *heldPolicies {
	if state == nil {
		return nil
	}
	f := r.kind.fields(state)
	return &heldPolicies{policies: *f.policies, accountID: *f.accountID, resolved: *f.resolved}
}

// setIfChanged sets the plan's top-level attribute name to now, unless now
// is was, the value Terraform proposed for it.
func setIfChanged(ctx context.Context, plan *tfsdk.Plan, name string, was, now attr.Value, diags *diag.Diagnostics) {
	if !now.Equal(was) {
		diags.Append(plan.SetAttribute(ctx, path.Root(name), now)...)
	}
}

func (r *holderResource[M, T, K]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, f, ok := r.begin(ctx, req.Plan, "creating", &resp.Diagnostics)
	if !ok {
		return
	}
	acct := f.accountID.ValueString()
	operation := fmt.Sprintf(r.kind.words().creating, r.kind.name(plan), acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, *f.policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	api, err := iampolicy.Create(ctx, r.data.policies, acct, specs, func(ctx context.Context, policies []cfclient.MemberPolicy) (T, error) {
		return r.kind.create(ctx, r.data, plan, acct, policies)
	})
	if err != nil {
		resp.Diagnostics.Append(r.kind.createError(r.data, err, plan, acct, operation))
		return
	}
	r.record(ctx, plan, api, inputs, cat, &resp.State, resp.Identity, &resp.Diagnostics)
}

// modelGetter is a plan or a state.
type modelGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// begin is how Create, Read, Update and Delete start: the model read from
// the plan or state, and the provider online to do verb.
func (r *holderResource[M, T, K]) begin(ctx context.Context, from modelGetter, verb string, diags *diag.Diagnostics) (*M, holderFields, bool) {
	m := new(M)
	if diags.Append(getModel(ctx, from, m)...); diags.HasError() {
		return nil, holderFields{}, false
	}
	if !r.data.online() {
		diags.Append(offlineDiagnostic(verb + " " + r.kind.words().typeName()))
		return nil, holderFields{}, false
	}
	return m, r.kind.fields(m), true
}

// record writes the API's holder into m and m into the state, with its
// identity: the end of Create and Update.
func (r *holderResource[M, T, K]) record(ctx context.Context, m *M, api T, written []policy.MemberPolicy, cat *catalog.Catalog,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	diags.Append(r.setFromAPI(m, api, written, cat)...)
	diags.Append(state.Set(ctx, m)...)
	r.kind.words().identity.setIdentity(ctx, *state, identity, diags)
}

// Read is read, with what a state moved from the official provider checks
// at its first read (readMoved).
func (r *holderResource[M, T, K]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readMoved(ctx, r.data, req, resp, func() { r.read(ctx, req, resp) })
}

func (r *holderResource[M, T, K]) read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	w := r.kind.words()
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	w.identity.setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	state, f, ok := r.begin(ctx, req.State, "reading", &resp.Diagnostics)
	if !ok {
		return
	}
	acct, id := f.accountID.ValueString(), f.id.ValueString()
	operation := fmt.Sprintf(w.reading, id, acct)
	api, err := r.kind.read(ctx, r.data, acct, id)
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
	was := *state
	prior, _ := expandMemberPolicies(*f.policies)
	resp.Diagnostics.Append(r.setFromAPI(state, api, prior, cat)...)
	// The response starts as the prior state: setting an unchanged model
	// again was most of this method's cost in a no-op plan.
	if !sameModel(*state, was) {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// sameModel reports whether every attribute of model a equals b's: a
// model is a struct of attr.Value fields; any other field counts as changed.
func sameModel[M any](a, b M) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() != reflect.Struct {
		return false
	}
	for i := range va.NumField() {
		x, ok1 := va.Field(i).Interface().(attr.Value)
		y, ok2 := vb.Field(i).Interface().(attr.Value)
		if !ok1 || !ok2 || !x.Equal(y) {
			return false
		}
	}
	return true
}

func (r *holderResource[M, T, K]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, f, ok := r.begin(ctx, req.Plan, "updating", &resp.Diagnostics)
	if !ok {
		return
	}
	acct, id := f.accountID.ValueString(), f.id.ValueString()
	operation := fmt.Sprintf(r.kind.words().updating, id, acct)
	cat, inputs, specs, diags := r.data.plannedSpecs(ctx, acct, *f.policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	// The updater re-reads the holder under its lock: a binding's policy
	// written since the last refresh survives.
	api, err := iampolicy.Update(ctx, r.data.policies, r.kind.holder(r.data, acct, id), iampolicy.Authoritative(specs))
	if err == nil {
		api, err = r.kind.update(ctx, r.data, plan, api)
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	r.record(ctx, plan, api, inputs, cat, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *holderResource[M, T, K]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	w := r.kind.words()
	_, f, ok := r.begin(ctx, req.State, w.removing, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, id := f.accountID.ValueString(), f.id.ValueString()
	if err := iampolicy.Delete(ctx, r.data.policies, r.kind.holder(r.data, acct, id)); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, fmt.Sprintf(w.deleting, id, acct), err))
	}
}

// ImportState takes `<account_id>/<ref>`, or `<ref>` alone (the provider's
// account), ref being what the kind's importedID looks up; Read does the rest.
func (r *holderResource[M, T, K]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	w := r.kind.words()
	given, ok := w.identity.importID(ctx, w.typeName(), req, &resp.Diagnostics)
	if !ok {
		return
	}
	acct, parts, err := parseImportID(given, r.data.account(""), w.importRefs)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import "+w.typeName()+" by "+w.importForms+": "+err.Error()+".")
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("importing " + w.typeName()))
		return
	}
	id, ok := r.kind.importedID(ctx, r.data, acct, parts[0], given, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policies"), types.SetNull(policyObjectType))...)
}

// setFromAPI writes the API's holder into the model, keeping each policy as
// the user wrote it (role names or IDs, any case) when the API holds the
// same policy, and skipping the policies bindings own.
func (r *holderResource[M, T, K]) setFromAPI(m *M, api T, written []policy.MemberPolicy, cat *catalog.Catalog) diag.Diagnostics {
	id, policies, own := r.kind.setOwn(m, api)
	f := r.kind.fields(m)
	var diags diag.Diagnostics
	*f.policies, *f.resolved, diags = flattenAPIPolicies(policies, written, cat, f.accountID.ValueString())
	*f.id = types.StringValue(id)
	diags.Append(own...)
	return diags
}
