package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource              = (*rolesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*rolesDataSource)(nil)
)

// NewRolesDataSource returns the cfiam_roles data source.
func NewRolesDataSource() datasource.DataSource {
	return &rolesDataSource{}
}

type rolesDataSource struct {
	data *providerData
}

type rolesModel struct {
	AccountID types.String        `tfsdk:"account_id"`
	Scope     types.String        `tfsdk:"scope"`
	Roles     []catalogEntryModel `tfsdk:"roles"`
	Source    types.String        `tfsdk:"source"`
}

func (d *rolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_roles"
}

func (d *rolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The roles that account member policies can grant: account-scoped roles, domain-scoped roles " +
			"(used with `zone_ids`) and resource-scoped roles for Cloudflare Tunnel instances (used with `tunnel_ids`).\n\n" +
			"With credentials, the roles come from the account's IAM permission groups in the Cloudflare API, so names and IDs " +
			"are the account's own; without credentials, from the catalog embedded in the provider. `source` says which.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose roles to list. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "List only the roles of this scope: `account`, `zone` (domain-scoped roles) or `tunnel` " +
					"(resource-scoped roles for Cloudflare Tunnel instances). All scopes when unset.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(scopeStrings(catalog.RoleScopes)...)},
			},
			"roles": schema.ListNestedAttribute{
				MarkdownDescription: "The roles, sorted by scope (account, zone, tunnel) and then by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: catalogEntryAttributes("role")},
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Where the roles come from: `api` (the live catalog of the account) or `embedded` " +
					"(the catalog built into the provider, used when no credentials are configured).",
				Computed: true,
			},
		},
	}
}

func (d *rolesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *rolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state rolesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	accountID := d.data.account(state.AccountID.ValueString())
	cat, source, diags := d.data.catalog(ctx, accountID, true, readingRoles(accountID))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	roles := sortByScopeThenName(cat.Roles(), catalog.RoleScopes)
	if scope := state.Scope.ValueString(); scope != "" {
		roles = cat.InScope(catalog.KindRole, catalog.Scope(scope))
	}
	state.AccountID = stringOrNull(accountID)
	state.Roles = flattenCatalogEntries(roles)
	state.Source = types.StringValue(source)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// stringOrNull maps "" to null, so that unset optional attributes stay unset.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// readingRoles names the operation of reading an account's roles, for
// diagnostics; with no account ID, there is none to name.
func readingRoles(accountID string) string {
	if accountID == "" {
		return "reading the roles"
	}
	return "reading the roles of account " + accountID
}
