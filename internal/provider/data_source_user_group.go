package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource                     = (*userGroupDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*userGroupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userGroupDataSource)(nil)
)

// NewUserGroupDataSource returns the cfiam_user_group data source.
func NewUserGroupDataSource() datasource.DataSource { return &userGroupDataSource{} }

type userGroupDataSource struct {
	data *providerData
}

type userGroupLookupModel struct {
	AccountID types.String               `tfsdk:"account_id"`
	ID        types.String               `tfsdk:"id"`
	Name      types.String               `tfsdk:"name"`
	Policies  types.List                 `tfsdk:"policies"` // of memberPolicyDataObjectType
	Members   []userGroupMemberDataModel `tfsdk:"members"`
}

// userGroupDataModel is one group in cfiam_user_groups.
type userGroupDataModel struct {
	ID       types.String               `tfsdk:"id"`
	Name     types.String               `tfsdk:"name"`
	Policies types.List                 `tfsdk:"policies"` // of memberPolicyDataObjectType
	Members  []userGroupMemberDataModel `tfsdk:"members"`
}

type userGroupMemberDataModel struct {
	ID     types.String `tfsdk:"id"`
	Email  types.String `tfsdk:"email"`
	Status types.String `tfsdk:"status"`
}

func (d *userGroupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_group"
}

// userGroupDataAttributes are the computed attributes of one group, shared
// by cfiam_user_group and each element of cfiam_user_groups.
func userGroupDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":   schema.StringAttribute{MarkdownDescription: "User group ID, as `cfiam_user_group` imports it (`<account_id>/<id>`).", Computed: true},
		"name": schema.StringAttribute{MarkdownDescription: "Name of the group.", Computed: true},
		"policies": schema.ListNestedAttribute{
			MarkdownDescription: "The group's policies, held by every member of the group, sorted by policy ID and resolved to role names " +
				"and scopes through the account's live catalog.",
			Computed:     true,
			NestedObject: schema.NestedAttributeObject{Attributes: memberPolicyDataAttributes()},
		},
		"members": schema.ListNestedAttribute{
			MarkdownDescription: "The group's members, sorted by e-mail address.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":     schema.StringAttribute{MarkdownDescription: "Membership ID of the member.", Computed: true},
				"email":  schema.StringAttribute{MarkdownDescription: "E-mail address of the member.", Computed: true},
				"status": schema.StringAttribute{MarkdownDescription: "`accepted` or `pending`.", Computed: true},
			}},
		},
	}
}

func (d *userGroupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := userGroupDataAttributes()
	attrs["account_id"] = schema.StringAttribute{
		MarkdownDescription: "Account to look in. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validators.AccountID()},
	}
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "ID of the group to read. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal user group ID")},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the group to read (exact). Exactly one of `id` and `name` must be set; a name that several groups share is an error that lists their IDs.",
		Optional:            true,
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one user group, by ID or by name, with its policies resolved to role names and scopes, and its members " +
			"with their e-mail addresses. Needs credentials.",
		Attributes: attrs,
	}
}

func (d *userGroupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (d *userGroupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *userGroupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state userGroupLookupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(state.AccountID, "reading cfiam_user_group", &resp.Diagnostics)
	if !ok {
		return
	}
	id := state.ID.ValueString()
	if id == "" {
		found, err := d.data.userGroupID(ctx, acct, state.Name.ValueString())
		var apiErr *cfclient.APIError
		switch {
		case errors.As(err, &apiErr):
			resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, fmt.Sprintf("looking up user group %q in account %s", state.Name.ValueString(), acct), err))
			return
		case err != nil:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "No single user group of that name", err.Error())
			return
		}
		id = found
	}
	operation := fmt.Sprintf("reading user group %s of account %s", id, acct)
	g, err := d.data.client.GetUserGroup(ctx, acct, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	one, diags := d.data.flattenUserGroup(ctx, acct, *g, operation)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.AccountID, state.ID, state.Name, state.Policies, state.Members = types.StringValue(acct), one.ID, one.Name, one.Policies, one.Members
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// flattenUserGroup resolves a group's policies and reads its members.
func (d *providerData) flattenUserGroup(ctx context.Context, acct string, g cfclient.UserGroup, operation string) (userGroupDataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	cat, _, more := d.catalog(ctx, acct, true, operation)
	diags.Append(more...)
	if diags.HasError() {
		return userGroupDataModel{}, diags
	}
	members, err := d.client.ListUserGroupMembers(ctx, acct, g.ID)
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, operation+" (its members)", err))
		return userGroupDataModel{}, diags
	}
	return userGroupDataModel{
		ID:       types.StringValue(g.ID),
		Name:     types.StringValue(g.Name),
		Policies: flattenMemberPolicies(g.Policies, cat),
		Members:  flattenGroupMembers(members),
	}, diags
}

func flattenGroupMembers(members []cfclient.UserGroupMember) []userGroupMemberDataModel {
	out := make([]userGroupMemberDataModel, 0, len(members))
	for _, m := range members {
		out = append(out, userGroupMemberDataModel{ID: types.StringValue(m.ID), Email: types.StringValue(m.Email), Status: stringOrNull(m.Status)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].Email.ValueString()) < strings.ToLower(out[j].Email.ValueString())
	})
	return out
}
