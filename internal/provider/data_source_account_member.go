package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource                     = (*accountMemberDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*accountMemberDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*accountMemberDataSource)(nil)
)

// NewAccountMemberDataSource returns the cfiam_account_member data source.
func NewAccountMemberDataSource() datasource.DataSource {
	return &accountMemberDataSource{}
}

type accountMemberDataSource struct {
	data *providerData
}

type accountMemberDataModel struct {
	AccountID  types.String           `tfsdk:"account_id"`
	ID         types.String           `tfsdk:"id"`
	Email      types.String           `tfsdk:"email"`
	Status     types.String           `tfsdk:"status"`
	UserID     types.String           `tfsdk:"user_id"`
	Policies   types.List             `tfsdk:"policies"` // of memberPolicyDataObjectType
	UserGroups []memberGroupDataModel `tfsdk:"user_groups"`
}

// memberDataModel is one member in cfiam_account_members.
type memberDataModel struct {
	ID         types.String           `tfsdk:"id"`
	Email      types.String           `tfsdk:"email"`
	Status     types.String           `tfsdk:"status"`
	UserID     types.String           `tfsdk:"user_id"`
	Policies   types.List             `tfsdk:"policies"` // of memberPolicyDataObjectType
	UserGroups []memberGroupDataModel `tfsdk:"user_groups"`
}

// memberGroupDataModel is one user group a member is in.
type memberGroupDataModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

// memberPolicyDataObjectType is a member policy as the data sources show
// it: resolved to role names and a scope kind, with each resource kind's IDs
// (memberPolicyDataAttributes).
var memberPolicyDataObjectType = func() types.ObjectType {
	t := map[string]attr.Type{
		"id": types.StringType, "access": types.StringType, "scope": types.StringType,
		"roles":    types.ListType{ElemType: memberRoleDataObjectType},
		"zone_ids": types.ListType{ElemType: types.StringType}, "resource_group_ids": types.ListType{ElemType: types.StringType},
		"binding": types.BoolType,
	}
	for _, k := range catalog.Kinds() {
		t[k.Attribute] = types.ListType{ElemType: types.StringType}
	}
	return types.ObjectType{AttrTypes: t}
}()

var memberRoleDataObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "scope": types.StringType}}

type memberRoleDataModel struct {
	ID    types.String `tfsdk:"id"`
	Name  types.String `tfsdk:"name"`
	Scope types.String `tfsdk:"scope"`
}

func (d *accountMemberDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_member"
}

func (d *accountMemberDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := memberDataAttributes()
	attrs["account_id"] = schema.StringAttribute{
		MarkdownDescription: "Account to look in. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validators.AccountID()},
	}
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Membership ID of the member to read. Exactly one of `id` and `email` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal member ID")},
	}
	attrs["email"] = schema.StringAttribute{
		MarkdownDescription: "E-mail address of the member to read (case does not matter). Exactly one of `id` and `email` must be set. " +
			"When set, it is kept as written; when looking up by `id`, it is the member's address as Cloudflare reports it.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{validators.Email()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one account member, by membership ID or by e-mail address, with every policy the member holds " +
			"resolved to role names and scopes: account-wide, on zones (domain-scoped roles), on Cloudflare Tunnels (resource-scoped roles) " +
			"or on named resource groups. Policies owned by a `cfiam_tunnel_binding` are included and marked `binding = true`. " +
			"It also lists the user groups the member is in (`user_groups`), whose policies it holds too.\n\n" +
			"Needs credentials: role names and scopes come from the account's live catalog; the groups from one list of the account's " +
			"user groups and one list of each group's members.",
		Attributes: attrs,
	}
}

// memberDataAttributes are the computed attributes of one member, shared by
// cfiam_account_member and each element of cfiam_account_members.
func memberDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Membership ID, as `cfiam_account_member` imports it (`<account_id>/<id>`).",
			Computed:            true,
		},
		"email": schema.StringAttribute{
			MarkdownDescription: "E-mail address of the member.",
			Computed:            true,
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "`accepted` (an active member) or `pending` (invited, not yet accepted).",
			Computed:            true,
		},
		"user_id": schema.StringAttribute{
			MarkdownDescription: "ID of the Cloudflare user behind the membership.",
			Computed:            true,
		},
		"policies": schema.ListNestedAttribute{
			MarkdownDescription: "The member's policies, sorted by policy ID.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: memberPolicyDataAttributes()},
		},
		"user_groups": schema.ListNestedAttribute{
			MarkdownDescription: "The user groups the member is in, sorted by name then ID; the member holds each group's policies too " +
				"(the `cfiam_user_group` data source shows them, `cfiam_effective_access` shows what they grant).",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":   schema.StringAttribute{MarkdownDescription: "ID of the user group.", Computed: true},
				"name": schema.StringAttribute{MarkdownDescription: "Name of the user group.", Computed: true},
			}},
		},
	}
}

func memberPolicyDataAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Policy ID.",
			Computed:            true,
		},
		"access": schema.StringAttribute{
			MarkdownDescription: "`allow` or `deny`.",
			Computed:            true,
		},
		"scope": schema.StringAttribute{
			MarkdownDescription: "Where the policy applies: `account` (account-wide), `zone` (on `zone_ids`), a resource kind's scope " +
				"(`tunnel` on `tunnel_ids`, `access_application` on `access_application_ids`, ...; `tunnel,mesh_node` for a policy on both), " +
				"or `\"\"` for a policy on named resource groups only (`resource_group_ids`).",
			Computed: true,
		},
		"roles": schema.ListNestedAttribute{
			MarkdownDescription: "The roles the policy grants (or denies), sorted by name, resolved through the account's live catalog.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id": schema.StringAttribute{
					MarkdownDescription: "ID of the role (its IAM permission group).",
					Computed:            true,
				},
				"name": schema.StringAttribute{
					MarkdownDescription: "Name of the role, as shown in the Cloudflare dashboard.",
					Computed:            true,
				},
				"scope": schema.StringAttribute{
					MarkdownDescription: "Scope of the role: `account`, `zone` (a domain-scoped role), or a resource kind's scope " +
						"(`tunnel`, `access_application`, ...: a resource-scoped role). Null when the account's catalog does not know the role.",
					Computed: true,
				},
			}},
		},
		"zone_ids": schema.ListAttribute{
			MarkdownDescription: "Zones the policy applies to, sorted; empty unless `scope` is `zone`.",
			Computed:            true,
			ElementType:         types.StringType,
		},
		"resource_group_ids": schema.ListAttribute{
			MarkdownDescription: "Named resource groups (such as `cfiam_resource_group`) the policy applies to, sorted. " +
				"The single-object groups the provider manages for `zone_ids` and each resource kind's IDs are not listed here.",
			Computed:    true,
			ElementType: types.StringType,
		},
		"binding": schema.BoolAttribute{
			MarkdownDescription: "Whether a binding (`cfiam_tunnel_binding`, `cfiam_access_application_binding`, ...) owns the policy. `cfiam_account_member` neither shows nor removes such policies.",
			Computed:            true,
		},
	}
	for _, k := range catalog.Kinds() {
		attrs[k.Attribute] = schema.ListAttribute{
			MarkdownDescription: fmt.Sprintf("%s the policy applies to, sorted; empty unless `scope` names `%s`.", capitalise(k.Nouns), k.Scope),
			Computed:            true,
			ElementType:         types.StringType,
		}
	}
	return attrs
}

func (d *accountMemberDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("email")),
	}
}

func (d *accountMemberDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *accountMemberDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state accountMemberDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(state.AccountID, "reading cfiam_account_member", &resp.Diagnostics)
	if !ok {
		return
	}

	var m *cfclient.Member
	if email := state.Email.ValueString(); email != "" {
		found, diags := findMemberByEmail(ctx, d.data, acct, email)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		m = found
	} else {
		id := state.ID.ValueString()
		operation := fmt.Sprintf("reading member %s of account %s", id, acct)
		found, err := d.data.client.GetMember(ctx, acct, id)
		if err != nil {
			resp.Diagnostics.Append(noSuchMemberDiagnostic(d.data.auth, operation, path.Root("id"), acct, id, err))
			return
		}
		m = found
		state.Email = types.StringValue(m.User.Email)
	}

	cat, _, diags := d.data.catalog(ctx, acct, true, "reading the roles of account "+acct)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.AccountID = types.StringValue(acct)
	state.ID = types.StringValue(m.ID)
	state.Status = types.StringValue(m.Status)
	state.UserID = stringOrNull(m.User.ID)
	state.Policies = flattenMemberPolicies(m.Policies, cat)
	groups, err := d.data.client.UserGroups(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, fmt.Sprintf("reading the user groups of member %s of account %s", m.ID, acct), err))
		return
	}
	state.UserGroups = flattenMemberGroups(catalog.AccountAccess{Groups: groups}.GroupsOf(m.ID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// flattenMemberGroups lists a member's user groups, sorted by name then ID,
// empty rather than null.
func flattenMemberGroups(groups []catalog.AccountGroup) []memberGroupDataModel {
	out := make([]memberGroupDataModel, 0, len(groups))
	for _, g := range groups {
		out = append(out, memberGroupDataModel{ID: types.StringValue(g.ID), Name: types.StringValue(g.Name)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Name.ValueString(), out[j].Name.ValueString(); a != b {
			return a < b
		}
		return out[i].ID.ValueString() < out[j].ID.ValueString()
	})
	return out
}

// flattenMember turns an API member into one element of cfiam_account_members.
func flattenMember(m cfclient.Member, groups []catalog.AccountGroup, cat *catalog.Catalog) memberDataModel {
	return memberDataModel{
		UserGroups: flattenMemberGroups(groups),
		ID:         types.StringValue(m.ID),
		Email:      types.StringValue(m.User.Email),
		Status:     types.StringValue(m.Status),
		UserID:     stringOrNull(m.User.ID),
		Policies:   flattenMemberPolicies(m.Policies, cat),
	}
}

// flattenMemberPolicies resolves API policies to role names and scope kinds,
// sorted by policy ID (the order cfiam_account_member's resolved_policies uses).
func flattenMemberPolicies(policies []cfclient.MemberPolicy, cat *catalog.Catalog) types.List {
	sorted := slices.Clone(policies)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	out := make([]attr.Value, 0, len(sorted))
	for _, p := range sorted {
		binding := iampolicy.IsBindingPolicy(p)
		spec := iampolicy.SpecFromAPI(bindingAsManaged(p))
		attrs := map[string]attr.Value{
			"id":                 types.StringValue(p.ID),
			"access":             types.StringValue(p.Access),
			"scope":              types.StringValue(spec.ScopeLabel()),
			"roles":              flattenPolicyRoles(p.PermissionGroups, cat),
			"zone_ids":           stringList(spec.Objects[catalog.ScopeZone]),
			"resource_group_ids": stringList(spec.ResourceGroupIDs),
			"binding":            types.BoolValue(binding),
		}
		for _, k := range catalog.Kinds() {
			attrs[k.Attribute] = stringList(spec.Objects[k.Scope])
		}
		out = append(out, types.ObjectValueMust(memberPolicyDataObjectType.AttrTypes, attrs))
	}
	return types.ListValueMust(memberPolicyDataObjectType, out)
}

// stringList is a known list of strings, empty rather than null.
func stringList(in []string) types.List {
	out := make([]attr.Value, 0, len(in))
	for _, s := range in {
		out = append(out, types.StringValue(s))
	}
	return types.ListValueMust(types.StringType, out)
}

// bindingAsManaged reads a binding's policy as if its groups were the member
// resource's own single-object groups (the binding's names only add a
// binding prefix, iampolicy.TrimBindingPrefix), so that its Tunnels and Mesh
// nodes show in tunnel_ids and mesh_node_ids.
func bindingAsManaged(p cfclient.MemberPolicy) cfclient.MemberPolicy {
	if !iampolicy.IsBindingPolicy(p) {
		return p
	}
	c := p
	c.ResourceGroups = make([]cfclient.RGRef, len(p.ResourceGroups))
	for i, g := range p.ResourceGroups {
		g.Name = iampolicy.TrimBindingPrefix(g.Name)
		c.ResourceGroups[i] = g
	}
	return c
}

// flattenPolicyRoles resolves permission groups to roles through cat, sorted
// by name then ID. A role the catalog lacks keeps the name the API gave it
// (if any) and a null scope.
func flattenPolicyRoles(groups []cfclient.IDRef, cat *catalog.Catalog) types.List {
	out := make([]memberRoleDataModel, 0, len(groups))
	for _, g := range groups {
		role := memberRoleDataModel{ID: types.StringValue(g.ID), Name: stringOrNull(g.Name), Scope: types.StringNull()}
		if e, ok := cat.ByID(g.ID); ok && e.Kind == catalog.KindRole {
			role.Name = types.StringValue(e.Name)
			role.Scope = types.StringValue(string(e.Scope))
		}
		out = append(out, role)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Name.ValueString(), out[j].Name.ValueString(); a != b {
			return a < b
		}
		return out[i].ID.ValueString() < out[j].ID.ValueString()
	})
	values := make([]attr.Value, len(out))
	for i, r := range out {
		values[i] = types.ObjectValueMust(memberRoleDataObjectType.AttrTypes, map[string]attr.Value{"id": r.ID, "name": r.Name, "scope": r.Scope})
	}
	return types.ListValueMust(memberRoleDataObjectType, values)
}

// noSuchMemberDiagnostic reports a failed read of member id: "No such member"
// on the attribute that named it when the API says not found, else the API
// error.
func noSuchMemberDiagnostic(auth authMethod, operation string, at path.Path, acct, id string, err error) diag.Diagnostic {
	if cfclient.IsNotFound(err) {
		return diag.NewAttributeErrorDiagnostic(at, "No such member",
			fmt.Sprintf("Account %s has no member with ID %s. Check the ID (the membership ID, such as cfiam_account_member.x.id, "+
				"not the user ID) and account_id; the cfiam_account_members data source lists the account's members.", acct, id))
	}
	return apiErrorDiagnostic(auth, operation, err)
}

// findMemberByEmail looks a member up by e-mail address for a data source;
// no such member is an error on the `email` attribute.
func findMemberByEmail(ctx context.Context, data *providerData, acct, email string) (*cfclient.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	found, err := data.client.FindMemberByEmail(ctx, acct, email)
	if err != nil {
		diags.Append(apiErrorDiagnostic(data.auth, fmt.Sprintf("looking up member %s in account %s", email, acct), err))
		return nil, diags
	}
	if found == nil {
		diags.AddAttributeError(path.Root("email"), "No such member",
			fmt.Sprintf("Account %s has no member with e-mail address %s. The cfiam_account_members data source lists the account's members.", acct, email))
	}
	return found, diags
}
