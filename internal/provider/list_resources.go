package provider

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// List resources (Terraform 1.14 and later: `list` blocks in .tfquery.hcl
// files, `terraform query`). Each is the managed resource's own type, which
// adds ListResourceConfigSchema and List: Metadata and Configure are the
// resource's. A listed object carries its identity (identity.go) and, when
// Terraform asks for it (include_resource, -generate-config-out), the state
// that the resource's Read makes of the same object right after an import:
// roles and permission groups by catalog name, every policy and scope, no
// token value. That is what makes the configuration `terraform query
// -generate-config-out` writes plan empty once imported.
//
// Each list costs one paged list of the objects (and the account's catalog
// for the names), never one request per object.

var (
	_ list.ListResourceWithConfigure = (*accountMemberResource)(nil)
	_ list.ListResourceWithConfigure = (*resourceGroupResource)(nil)
	_ list.ListResourceWithConfigure = (*tokenResource)(nil)
	_ list.ListResourceWithConfigure = (*userGroupResource)(nil)
	_ list.ListResourceWithConfigure = (*bindingResource)(nil)
)

// The list resources, as the provider registers them.
func newAccountMemberListResource() list.ListResource { return &accountMemberResource{} }
func newResourceGroupListResource() list.ListResource { return &resourceGroupResource{} }
func newAPITokenListResource() list.ListResource      { return &tokenResource{} }
func newAccountTokenListResource() list.ListResource  { return &tokenResource{account: true} }
func newUserGroupListResource() list.ListResource     { return &userGroupResource{} }

// bindingListResources are the binding list resources, one per resource kind.
func bindingListResources() []func() list.ListResource {
	var out []func() list.ListResource
	for _, rk := range catalog.Kinds() {
		k := bindingKindOf(rk)
		out = append(out, func() list.ListResource { return &bindingResource{kind: k} })
	}
	return out
}

// listAccountAttribute is the account_id of every account-owned list resource.
func listAccountAttribute(what string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "Account whose " + what + " to list. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
		Optional:            true,
		Validators:          []validator.String{validators.AccountID()},
	}
}

// listNameAttribute filters by exact name.
func listNameAttribute(what, how string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "List only the " + what + " with exactly this name (names are not unique). " + how,
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// listQuery is what every List starts with: the config read into cfg, the
// provider online and the account known (when account is set: it reads the
// config's account_id once cfg holds it).
func listQuery(ctx context.Context, d *providerData, req list.ListRequest, cfg any, typeName string, account func() string, stream *list.ListResultsStream) (string, bool) {
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, cfg)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return "", false
	}
	if !d.online() {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{offlineDiagnostic("listing " + typeName)})
		return "", false
	}
	if account == nil {
		return "", true
	}
	acct := d.account(account())
	if acct == "" {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{missingAccountDiagnostic("listing " + typeName)})
		return "", false
	}
	return acct, true
}

// listFailed streams one error diagnostic.
func listFailed(stream *list.ListResultsStream, d diag.Diagnostic) {
	stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{d})
}

// listed is one object found: its name for humans and the state Read would
// make of it: a model of the resource's schema, or set, which writes it.
type listed struct {
	display string
	model   any
	set     func(context.Context, *tfsdk.Resource) diag.Diagnostics
	diags   diag.Diagnostics
}

// listResults streams the objects as list results, at most req.Limit (when
// Terraform sets one): each with its identity (from the state, as the
// resource's Create, Read and Update set it) and its state.
func listResults(ctx context.Context, req list.ListRequest, ids identityFields, objects []listed) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i, o := range objects {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			r := req.NewListResult(ctx)
			r.DisplayName = o.display
			r.Diagnostics.Append(o.diags...)
			if o.set != nil {
				r.Diagnostics.Append(o.set(ctx, r.Resource)...)
			} else {
				r.Diagnostics.Append(r.Resource.Set(ctx, o.model)...)
			}
			if !r.Diagnostics.HasError() {
				ids.setIdentity(ctx, tfsdk.State{Raw: r.Resource.Raw, Schema: r.Resource.Schema}, r.Identity, &r.Diagnostics)
			}
			if !push(r) {
				return
			}
		}
	}
}

// --- cfiam_account_member ---

type accountMemberListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Email     types.String `tfsdk:"email"`
	Status    types.String `tfsdk:"status"`
}

func (r *accountMemberResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the members of an account for `terraform query` (Terraform 1.14 and later), each with the policies " +
			"`cfiam_account_member` manages: roles by name, every scope (account-wide, `zone_ids`, `tunnel_ids`, `mesh_node_ids`, " +
			"`resource_group_ids`). Policies that a `cfiam_tunnel_binding` or `cfiam_mesh_node_binding` owns are not part of the member: " +
			"list them with those list resources. Invitations the user declined (status `rejected`) are left out. " +
			"One paged list of the account's members, and its role catalog.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute("members"),
			"email": listschema.StringAttribute{
				MarkdownDescription: "List only the member with this e-mail address (any case). Applied by the provider to the list of members.",
				Optional:            true,
				Validators:          []validator.String{validators.Email()},
			},
			"status": listschema.StringAttribute{
				MarkdownDescription: "List only the members with this status: `accepted` or `pending` (invited, not yet accepted). All members when unset.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("accepted", "pending")},
			},
		},
	}
}

func (r *accountMemberResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg accountMemberListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, "cfiam_account_member", func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	operation := "listing the members of account " + acct
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
	members = listedMembers(members, cfg.Email.ValueString(), cfg.Status.ValueString())
	objects := make([]listed, 0, len(members))
	for i := range members {
		m := importedMember(acct)
		d := r.setFromAPI(ctx, &m, &members[i], nil, cat)
		objects = append(objects, listed{display: members[i].User.Email, model: &m, diags: d})
	}
	stream.Results = listResults(ctx, req, accountMemberIdentity, objects)
}

// listedMembers is what a member list returns of the account's members:
// those with that e-mail address (any case) and status, when given, sorted
// by e-mail address. A declined invitation (`rejected`) is no access to
// manage, and its status is one a configuration cannot write: left out.
func listedMembers(members []cfclient.Member, email, status string) []cfclient.Member {
	members = slices.DeleteFunc(slices.Clone(members), func(m cfclient.Member) bool {
		return m.Status == "rejected" || email != "" && !strings.EqualFold(m.User.Email, email) || status != "" && m.Status != status
	})
	slices.SortStableFunc(members, func(a, b cfclient.Member) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.User.Email), strings.ToLower(b.User.Email)), cmp.Compare(a.ID, b.ID))
	})
	return members
}

// importedMember is the state ImportState leaves for Read: the account, and
// every other attribute null.
func importedMember(acct string) accountMemberModel {
	return accountMemberModel{
		AccountID:        types.StringValue(acct),
		Policies:         types.SetNull(policyObjectType),
		User:             types.ObjectNull(userAttrTypes),
		ResolvedPolicies: types.ListNull(resolvedPolicyObjectType),
	}
}

// --- cfiam_user_group ---

type userGroupListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Name      types.String `tfsdk:"name"`
}

func (r *userGroupResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the user groups of an account for `terraform query` (Terraform 1.14 and later), each with its policies: " +
			"roles by name, every scope. The groups' members are not listed: manage them with `cfiam_user_group_members`. " +
			"One paged list of the account's user groups, and its role catalog.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute("user groups"),
			"name":       listNameAttribute("user groups", "Sent to the API as its `name` filter."),
		},
	}
}

func (r *userGroupResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg userGroupListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, "cfiam_user_group", func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	operation := "listing the user groups of account " + acct
	var groups []cfclient.UserGroup
	var err error
	if name := cfg.Name.ValueString(); name != "" {
		groups, err = r.data.client.ListUserGroupsByName(ctx, acct, name)
	} else {
		groups, err = r.data.client.ListUserGroups(ctx, acct)
	}
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	slices.SortStableFunc(groups, func(a, b cfclient.UserGroup) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	objects := make([]listed, 0, len(groups))
	for i := range groups {
		m := userGroupModel{
			AccountID:        types.StringValue(acct),
			ResolvedPolicies: types.ListNull(resolvedPolicyObjectType),
		}
		d := setUserGroupFromAPI(&m, &groups[i], nil, cat)
		objects = append(objects, listed{display: groups[i].Name, model: &m, diags: d})
	}
	stream.Results = listResults(ctx, req, userGroupIdentity, objects)
}

// --- cfiam_resource_group ---

type resourceGroupListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Name      types.String `tfsdk:"name"`
}

func (r *resourceGroupResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the named resource groups of an account (groups of zones, of Tunnels or of Mesh nodes) for `terraform query` " +
			"(Terraform 1.14 and later). The groups the provider makes and cleans up itself are left out: the one-object groups behind " +
			"`zone_ids`, `tunnel_ids` and `mesh_node_ids` of member and user group policies, the groups of bindings, and the account-wide group. " +
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

// --- cfiam_api_token, cfiam_account_token ---

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

// --- cfiam_tunnel_binding, cfiam_mesh_node_binding ---

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
