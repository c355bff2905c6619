package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource              = (*userGroupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userGroupsDataSource)(nil)
)

// NewUserGroupsDataSource returns the cfiam_user_groups data source.
func NewUserGroupsDataSource() datasource.DataSource { return &userGroupsDataSource{} }

type userGroupsDataSource struct {
	data *providerData
}

type userGroupsModel struct {
	AccountID    types.String         `tfsdk:"account_id"`
	NameContains types.String         `tfsdk:"name_contains"`
	UserGroups   []userGroupDataModel `tfsdk:"user_groups"`
}

func (d *userGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_groups"
}

func (d *userGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's user groups, each with its policies resolved to role names and scopes and its members. " +
			"One paged list of the groups, and one of each group's members. Needs credentials.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose groups to list. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"name_contains": schema.StringAttribute{
				MarkdownDescription: "List only the groups whose name contains this text (case does not matter).",
				Optional:            true,
			},
			"user_groups": schema.ListNestedAttribute{
				MarkdownDescription: "The groups, sorted by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: userGroupDataAttributes()},
			},
		},
	}
}

func (d *userGroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *userGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state userGroupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(state.AccountID, "reading cfiam_user_groups", &resp.Diagnostics)
	if !ok {
		return
	}
	operation := fmt.Sprintf("listing the user groups of account %s", acct)
	groups, err := d.data.client.ListUserGroups(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	filter := strings.ToLower(state.NameContains.ValueString())
	state.UserGroups = []userGroupDataModel{}
	for _, g := range groups {
		if !strings.Contains(strings.ToLower(g.Name), filter) {
			continue
		}
		one, diags := d.data.flattenUserGroup(ctx, acct, g, operation)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		state.UserGroups = append(state.UserGroups, one)
	}
	state.AccountID = types.StringValue(acct)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
