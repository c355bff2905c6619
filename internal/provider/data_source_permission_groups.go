package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

var (
	_ datasource.DataSource              = (*permissionGroupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*permissionGroupsDataSource)(nil)
)

// NewPermissionGroupsDataSource returns the cfiam_permission_groups data source.
func NewPermissionGroupsDataSource() datasource.DataSource {
	return &permissionGroupsDataSource{}
}

type permissionGroupsDataSource struct {
	data *providerData
}

type permissionGroupsModel struct {
	Scope            types.String        `tfsdk:"scope"`
	PermissionGroups []catalogEntryModel `tfsdk:"permission_groups"`
	Source           types.String        `tfsdk:"source"`
}

func (d *permissionGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_permission_groups"
}

func (d *permissionGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The permission groups that API token policies can grant, one entry per scope a group supports: " +
			"`user` (a policy on the token's user), `account` (on accounts) and `zone` (on zones). A group such as " +
			"\"Logs Read\" that exists at account and zone scope appears once for each.\n\n" +
			"With credentials, the groups come from the Cloudflare API; without credentials, from the catalog embedded in the " +
			"provider. `source` says which.",
		Attributes: map[string]schema.Attribute{
			"scope": schema.StringAttribute{
				MarkdownDescription: "List only the permission groups of this scope: `user`, `account` or `zone`. All scopes when unset.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(scopeStrings(catalog.PermissionGroupScopes)...)},
			},
			"permission_groups": schema.ListNestedAttribute{
				MarkdownDescription: "The permission groups, sorted by scope (user, account, zone) and then by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: catalogEntryAttributes("permission group")},
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Where the permission groups come from: `api` (the live catalog) or `embedded` " +
					"(the catalog built into the provider, used when no credentials are configured).",
				Computed: true,
			},
		},
	}
}

func (d *permissionGroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *permissionGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state permissionGroupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Permission groups belong to no account: read them without one, so
	// that a token unable to read the account's roles can still list them.
	cat, source, diags := d.data.catalog(ctx, "", false, "reading the API token permission groups")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	groups := sortByScopeThenName(cat.PermissionGroups(), catalog.PermissionGroupScopes)
	if scope := state.Scope.ValueString(); scope != "" {
		groups = cat.InScope(catalog.KindPermissionGroup, catalog.Scope(scope))
	}
	state.PermissionGroups = flattenCatalogEntries(groups)
	state.Source = types.StringValue(source)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
