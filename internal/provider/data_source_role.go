package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource              = (*roleDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*roleDataSource)(nil)
)

// NewRoleDataSource returns the cfiam_role data source.
func NewRoleDataSource() datasource.DataSource {
	return &roleDataSource{}
}

type roleDataSource struct {
	data *providerData
}

type roleModel struct {
	Name        types.String `tfsdk:"name"`
	Scope       types.String `tfsdk:"scope"`
	AccountID   types.String `tfsdk:"account_id"`
	ID          types.String `tfsdk:"id"`
	Description types.String `tfsdk:"description"`
}

func (d *roleDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_role"
}

func (d *roleDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one role of account member policies by name (or ID), for example to pass its ID to " +
			"the official `cloudflare` provider. Fails with the nearest names when no role matches, and with the role's " +
			"actual scope when it is not in `scope`.\n\n" +
			"With credentials the role comes from the account's live catalog; without, from the catalog embedded in the provider.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the role as shown in the Cloudflare dashboard (case does not matter), or its ID.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "Scope the role must have: `account`, `zone` (a domain-scoped role) or `tunnel` " +
					"(a resource-scoped role for Cloudflare Tunnel instances). When unset, the role's own scope; " +
					"set it when a name exists in several scopes.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(scopeStrings(catalog.RoleScopes)...)},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose roles to search. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the role (of its IAM permission group), as member policies and the Cloudflare API use it.",
				Computed:            true,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "What the role allows.",
				Computed:            true,
			},
		},
	}
}

func (d *roleDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *roleDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state roleModel
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

	role, err := cat.ResolveRole(state.Name.ValueString(), catalog.Scope(state.Scope.ValueString()))
	if err != nil {
		summary, detail := catalogErrorDiagnostic(err, catalogWhere(source, accountID))
		resp.Diagnostics.AddAttributeError(path.Root("name"), summary, detail)
		return
	}
	state.AccountID = stringOrNull(accountID)
	state.ID = types.StringValue(role.ID)
	state.Scope = types.StringValue(string(role.Scope))
	state.Description = types.StringValue(role.Description)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
