package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

var (
	_ resource.Resource                   = (*tokenResource)(nil)
	_ resource.ResourceWithConfigure      = (*tokenResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tokenResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tokenResource)(nil)
	_ resource.ResourceWithImportState    = (*tokenResource)(nil)
	_ resource.ResourceWithIdentity       = (*tokenResource)(nil)
	_ list.ListResourceWithConfigure      = (*tokenResource)(nil)
)

// NewAPITokenResource returns the cfiam_api_token resource: a user-owned API token.
func NewAPITokenResource() resource.Resource { return &tokenResource{} }

// The token list resources: the user's tokens and an account's.
func newAPITokenListResource() list.ListResource     { return &tokenResource{} }
func newAccountTokenListResource() list.ListResource { return &tokenResource{account: true} }

// tokenResource implements cfiam_api_token (user-owned, /user/tokens) and,
// with account set, cfiam_account_token (account-owned, /accounts/{id}/tokens).
type tokenResource struct {
	data    *providerData
	account bool
}

func (r *tokenResource) typeName() string {
	if r.account {
		return "cfiam_account_token"
	}
	return "cfiam_api_token"
}

func (r *tokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	if r.account {
		resp.TypeName = req.ProviderTypeName + "_account_token"
		return
	}
	resp.TypeName = req.ProviderTypeName + "_api_token"
}

func (r *tokenResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	if r.account {
		resp.Schema = accountTokenSchema()
		return
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user-owned API token (`/user/tokens`) built from permission groups. Each policy pairs permission groups with " +
			"resources of their kind, checked at `terraform validate` (embedded catalog) and `terraform plan` (live catalog): " +
			"a zone permission group on `account_ids`, or a user permission group anywhere but `user = true`, fails with the path, the reason and the fix. " +
			"The plan also warns when the token would grant a permission group the provider's own token does not hold (Cloudflare refuses that with code 1001).\n\n" +
			"`value` is returned at creation and after a roll (`rotate_when_changed`); it is never read back. Import by token ID.",
		Attributes: tokenSchemaAttributes(false),
	}
}

// apiTokenIdentity and accountTokenIdentity identify a cfiam_api_token and
// a cfiam_account_token (Terraform 1.12 and later): see identity.go.
var (
	apiTokenIdentity     = identityFields{{name: "id", description: "Token ID."}}
	accountTokenIdentity = identityFields{accountIdentityField, {name: "id", description: "Token ID."}}
)

func (r *tokenResource) identity() identityFields {
	if r.account {
		return accountTokenIdentity
	}
	return apiTokenIdentity
}

func (r *tokenResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identity().identitySchema(resp)
}

func (r *tokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

// getModel reads a plan, state or config into the shared model; accountID
// is account_id for account tokens, null for user tokens.
func (r *tokenResource) getModel(ctx context.Context, get func(context.Context, any) diag.Diagnostics) (*tokenModel, types.String, diag.Diagnostics) {
	if r.account {
		var m accountTokenModel
		diags := get(ctx, &m)
		return &m.tokenModel, m.AccountID, diags
	}
	var m tokenModel
	diags := get(ctx, &m)
	return &m, types.StringNull(), diags
}

func (r *tokenResource) setModel(ctx context.Context, state *tfsdk.State, m *tokenModel, accountID types.String) diag.Diagnostics {
	if r.account {
		return state.Set(ctx, &accountTokenModel{tokenModel: *m, AccountID: accountID})
	}
	return state.Set(ctx, m)
}

// ValidateConfig checks every policy against the embedded catalog: it runs
// at `terraform validate`, with no credentials.
func (r *tokenResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer startValidation(ctx, r.typeName(), catalogEmbedded).done(&resp.Diagnostics)
	var policies types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("policies"), &policies)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkTokenPolicies(policies, catalog.Embedded(), false, r.account)...)
	if r.account {
		var acct types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("account_id"), &acct)...)
		if !acct.IsNull() && !acct.IsUnknown() {
			resp.Diagnostics.Append(checkAccountTokenResources(policies, acct.ValueString())...)
		}
	}
}

// ModifyPlan checks the policies against the live catalog, warns about
// permission groups beyond the provider's own token, refuses an active
// token whose expiry has passed, fills account_id from the provider, and
// plans a new value when rotate_when_changed changes.
func (r *tokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() { // destroy
		return
	}
	plan, acct, diags := r.getModel(ctx, req.Plan.Get)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	var state *tokenModel
	if !req.State.Raw.IsNull() {
		state, _, diags = r.getModel(ctx, req.State.Get)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
	}
	if r.account {
		if acct = r.data.planAccount(ctx, req, resp, "planning "+r.typeName()); resp.Diagnostics.HasError() {
			return
		}
	}
	if state != nil && !plan.RotateWhenChanged.Equal(state.RotateWhenChanged) {
		plan.Value = types.StringUnknown()
		plan.ModifiedOn = types.StringUnknown()
	}
	if r.account && !acct.IsUnknown() {
		resp.Diagnostics.Append(checkAccountTokenResources(plan.Policies, acct.ValueString())...)
	}
	resp.Diagnostics.Append(checkTokenExpiry(plan, state)...)

	if r.data.online() {
		cat, diags := r.data.tokenCatalog(ctx, r.owner(acct.ValueString()), "checking the permission groups of "+r.typeName())
		resp.Diagnostics.Append(diags...)
		if cat != nil {
			run, found := startValidation(ctx, r.typeName(), catalogLive), checkTokenPolicies(plan.Policies, cat, true, r.account)
			run.done(&found)
			resp.Diagnostics.Append(found...)
			if !resp.Diagnostics.HasError() && (state == nil || !plan.Policies.Equal(state.Policies)) {
				if caller, err := r.data.client.Caller(ctx); err == nil {
					resp.Diagnostics.Append(callerGrantWarnings(plan.Policies, cat, caller)...)
				}
			}
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if r.account {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &accountTokenModel{tokenModel: *plan, AccountID: acct})...)
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// checkTokenExpiry refuses to plan an active token whose expires_on has
// passed: Cloudflare would keep it expired, whatever status says.
func checkTokenExpiry(plan, state *tokenModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if plan.ExpiresOn.IsNull() || plan.ExpiresOn.IsUnknown() || plan.Status.ValueString() != "active" {
		return diags
	}
	exp, err := time.Parse(time.RFC3339, plan.ExpiresOn.ValueString())
	if err != nil || exp.After(time.Now()) {
		return diags
	}
	what := "This token would be created expired"
	if state != nil {
		what = "This token expired on " + exp.UTC().Format(time.RFC3339)
	}
	diags.AddAttributeError(path.Root("expires_on"), "Token expired",
		what+": status cannot be active while expires_on is in the past. Set expires_on to a later time (or remove it) to renew the token, "+
			"or remove status = \"active\" to keep the token as it is (its status then reads \"expired\").")
	return diags
}

func (r *tokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, acct, diags := r.getModel(ctx, req.Plan.Get)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("creating " + r.typeName()))
		return
	}
	owner := acct.ValueString()
	operation := fmt.Sprintf("creating API token %q", plan.Name.ValueString())
	cat, input, ok := r.input(ctx, plan, acct.ValueString(), operation, &resp.Diagnostics)
	if !ok {
		return
	}
	t, err := r.data.client.CreateToken(ctx, owner, input)
	if err != nil {
		resp.Diagnostics.Append(tokenAPIErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	// The token exists from here on: store it even if asking for a
	// disabled status fails, so that it is not orphaned.
	value := t.Value
	if plan.Status.ValueString() == "disabled" {
		input.Status = "disabled"
		if u, err := r.data.client.UpdateToken(ctx, owner, t.ID, input); err != nil {
			resp.Diagnostics.Append(tokenAPIErrorDiagnostic(r.data.auth, "disabling API token "+t.ID, err))
		} else {
			t = u
		}
	}
	r.setFromAPI(plan, t, cat)
	plan.Value = types.StringValue(value)
	resp.Diagnostics.Append(r.setModel(ctx, &resp.State, plan, acct)...)
	r.identity().setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// Read is read, with what a state moved from the official provider checks
// at its first read (readMoved).
func (r *tokenResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readMoved(ctx, r.data, req, resp, func() { r.read(ctx, req, resp) })
}

func (r *tokenResource) read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity is the prior state's, set first so that it holds even when the
	// object is gone (Terraform before 1.12 stores none to fall back on).
	r.identity().setIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
	state, acct, diags := r.getModel(ctx, req.State.Get)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading " + r.typeName()))
		return
	}
	id := state.ID.ValueString()
	operation := "reading API token " + id
	t, err := r.data.client.ReadToken(ctx, acct.ValueString(), id)
	if cfclient.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, diags := r.data.tokenCatalog(ctx, r.owner(acct.ValueString()), operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	r.setFromAPI(state, t, cat)
	resp.Diagnostics.Append(r.setModel(ctx, &resp.State, state, acct)...)
}

func (r *tokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, acct, diags := r.getModel(ctx, req.Plan.Get)
	resp.Diagnostics.Append(diags...)
	state, _, d := r.getModel(ctx, req.State.Get)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("updating " + r.typeName()))
		return
	}
	owner, id := acct.ValueString(), state.ID.ValueString()
	operation := "updating API token " + id
	cat, input, ok := r.input(ctx, plan, acct.ValueString(), operation, &resp.Diagnostics)
	if !ok {
		return
	}
	changed := !plan.Name.Equal(state.Name) || !plan.Policies.Equal(state.Policies) || !plan.Condition.Equal(state.Condition) ||
		!plan.NotBefore.Equal(state.NotBefore) || !plan.ExpiresOn.Equal(state.ExpiresOn) || !plan.Status.Equal(state.Status)
	if changed {
		if s := plan.Status.ValueString(); s == "active" || s == "disabled" {
			input.Status = s
		}
		if _, err := r.data.client.UpdateToken(ctx, owner, id, input); err != nil {
			resp.Diagnostics.Append(tokenAPIErrorDiagnostic(r.data.auth, operation, err))
			return
		}
	}
	value := state.Value
	if !plan.RotateWhenChanged.Equal(state.RotateWhenChanged) {
		v, err := r.data.client.RollToken(ctx, owner, id)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "rolling the value of API token "+id, err))
			return
		}
		value = types.StringValue(v)
	}
	t, err := r.data.client.GetToken(ctx, owner, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "reading API token "+id, err))
		return
	}
	r.setFromAPI(plan, t, cat)
	plan.Value = value
	resp.Diagnostics.Append(r.setModel(ctx, &resp.State, plan, acct)...)
	r.identity().setIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *tokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, acct, diags := r.getModel(ctx, req.State.Get)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("deleting " + r.typeName()))
		return
	}
	id := state.ID.ValueString()
	if err := r.data.client.DeleteToken(ctx, acct.ValueString(), id); err != nil && !cfclient.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "deleting API token "+id, err))
	}
}

// ImportState takes the token ID; for cfiam_account_token,
// `<account_id>/<token_id>` or the token ID in the provider's account.
func (r *tokenResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	given, ok := r.identity().importID(ctx, r.typeName(), req, &resp.Diagnostics)
	if !ok {
		return
	}
	id := strings.TrimSpace(given)
	if r.account {
		acct, parts, err := parseImportID(id, r.data.account(""), "token_id")
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID", "Import cfiam_account_token by <account_id>/<token_id>: "+err.Error()+".")
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
		id = parts[0]
	}
	if id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Expected a token ID, got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policies"), types.ListNull(tokenPolicyObjectType))...)
}

// owner is the account that owns the token, "" for a user token.
func (r *tokenResource) owner(accountID string) string {
	if r.account {
		return accountID
	}
	return ""
}

// input builds the request body from a plan (every value known).
func (r *tokenResource) input(ctx context.Context, m *tokenModel, owner, operation string, diags *diag.Diagnostics) (*catalog.Catalog, cfclient.TokenInput, bool) {
	cat, d := r.data.tokenCatalog(ctx, r.owner(owner), operation)
	diags.Append(d...)
	if d.HasError() {
		return nil, cfclient.TokenInput{}, false
	}
	in := cfclient.TokenInput{
		Name:      m.Name.ValueString(),
		Condition: expandTokenCondition(m.Condition),
		NotBefore: m.NotBefore.ValueString(),
		ExpiresOn: m.ExpiresOn.ValueString(),
	}
	pols, d := tokenPoliciesToAPI(ctx, r.data, cat, m.Policies, operation)
	diags.Append(d...)
	if d.HasError() {
		return nil, cfclient.TokenInput{}, false
	}
	in.Policies = pols
	return cat, in, true
}

// setFromAPI writes the API's token into m, keeping what was written (policy
// order, permission group spelling, time spelling, condition order) where
// the API means the same. The value is never read back.
func (r *tokenResource) setFromAPI(m *tokenModel, t *cfclient.Token, cat *catalog.Catalog) {
	m.ID = types.StringValue(t.ID)
	m.Name = types.StringValue(t.Name)
	m.Policies = flattenTokenPolicies(t.Policies, m.Policies, cat)
	m.NotBefore = tokenTimeFromAPI(t.NotBefore, m.NotBefore)
	m.ExpiresOn = tokenTimeFromAPI(t.ExpiresOn, m.ExpiresOn)
	m.Condition = flattenTokenCondition(t.Condition, m.Condition)
	m.Status = types.StringValue(t.Status)
	m.IssuedOn = tokenOptionalString(t.IssuedOn)
	m.ModifiedOn = tokenOptionalString(t.ModifiedOn)
	m.LastUsedOn = tokenOptionalString(t.LastUsedOn)
	if m.Value.IsUnknown() {
		m.Value = types.StringNull()
	}
}

func tokenOptionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// tokenAPIErrorDiagnostic is apiErrorDiagnostic with what Cloudflare's
// validation code 1001 means for a token.
func tokenAPIErrorDiagnostic(auth authMethod, operation string, err error) diag.Diagnostic {
	d := apiErrorDiagnostic(auth, operation, err)
	if e := asAPIError(err); e != nil && e.HasCode(1001) {
		return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+
			"\n\nCloudflare refuses a token that grants a permission group the token creating it does not hold there (code 1001): "+
			"give the provider's API token that permission group on those resources, or remove it from this token.")
	}
	return d
}

// --- list resources ---

type apiTokenListModel struct {
	Name types.String `tfsdk:"name"`
}

type accountTokenListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Name      types.String `tfsdk:"name"`
}

func (r *tokenResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	owner, what := "the user's API tokens (`/user/tokens`, the tokens of the user whose credentials the provider uses)", "user tokens"
	if r.account {
		owner, what = "the account-owned API tokens of an account (`/accounts/{account_id}/tokens`)", "account tokens"
	}
	attrs := map[string]listschema.Attribute{
		"name": listNameAttribute("tokens", "Applied by the provider to the list of tokens."),
	}
	if r.account {
		attrs["account_id"] = listAccountAttribute("tokens")
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists " + owner + " for `terraform query` (Terraform 1.14 and later), expired ones included, each with its " +
			"policies (permission groups by name), condition, validity and status. A token's `value` is never listed: Cloudflare returns it only " +
			"at creation and after a roll. An expired token lists with `status = \"expired\"`, which a configuration cannot write: delete that " +
			"line from the generated configuration. One paged list of the " + what + ", and the permission group catalog.",
		Attributes: attrs,
	}
}

func (r *tokenResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var user apiTokenListModel
	var acctCfg accountTokenListModel
	var cfg any = &user
	var account func() string
	if r.account {
		cfg, account = &acctCfg, func() string { return acctCfg.AccountID.ValueString() }
	}
	acct, ok := listQuery(ctx, r.data, req, cfg, r.typeName(), account, stream)
	if !ok {
		return
	}
	name := user.Name.ValueString()
	if r.account {
		name = acctCfg.Name.ValueString()
	}
	operation := "listing the API tokens of " + r.ownerWords(acct)
	tokens, err := r.data.client.ListTokens(ctx, r.owner(acct))
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, diags := r.data.tokenCatalog(ctx, r.owner(acct), operation)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	tokens = slices.DeleteFunc(tokens, func(t cfclient.Token) bool { return name != "" && t.Name != name })
	slices.SortStableFunc(tokens, func(a, b cfclient.Token) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	objects := make([]listed, 0, len(tokens))
	for i := range tokens {
		m := importedToken()
		r.setFromAPI(&m, &tokens[i], cat)
		var model any = &m
		if r.account {
			model = &accountTokenModel{tokenModel: m, AccountID: types.StringValue(acct)}
		}
		objects = append(objects, listed{display: tokens[i].Name, model: model})
	}
	stream.Results = listResults(ctx, req, r.identity(), objects)
}

// ownerWords names whose tokens a list reads, for diagnostics.
func (r *tokenResource) ownerWords(acct string) string {
	if r.account {
		return "account " + acct
	}
	return "the user"
}

// importedToken is the state ImportState leaves for Read: every attribute
// null (the ID and the account are set by the caller and setFromAPI).
func importedToken() tokenModel {
	return tokenModel{
		Policies:          types.ListNull(tokenPolicyObjectType),
		Condition:         types.ObjectNull(tokenConditionAttrTypes),
		RotateWhenChanged: types.MapNull(types.StringType),
	}
}
