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
)

var (
	_ datasource.DataSource              = (*permissionGroupDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*permissionGroupDataSource)(nil)
)

// NewPermissionGroupDataSource returns the cfiam_permission_group data source.
func NewPermissionGroupDataSource() datasource.DataSource {
	return &permissionGroupDataSource{}
}

type permissionGroupDataSource struct {
	data *providerData
}

type permissionGroupModel struct {
	Name        types.String `tfsdk:"name"`
	Scope       types.String `tfsdk:"scope"`
	ID          types.String `tfsdk:"id"`
	Description types.String `tfsdk:"description"`
}

func (d *permissionGroupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_permission_group"
}

func (d *permissionGroupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one API token permission group by name (or ID) and scope, for example to use its ID in " +
			"the official `cloudflare` provider's `cloudflare_api_token`. Names are not unique across scopes (\"Logs Read\" " +
			"exists at account and zone scope): such a name needs `scope`, and the error lists the scopes it has. An unknown " +
			"name fails with the nearest names.\n\n" +
			"With credentials the group comes from the Cloudflare API; without, from the catalog embedded in the provider.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the permission group as shown in the Cloudflare dashboard (case does not matter), or its ID.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "Scope of the token policy the group is for: `user`, `account` or `zone`. " +
					"Needed when the name exists in several scopes; when unset, the group's only scope.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(scopeStrings(catalog.PermissionGroupScopes)...)},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the permission group, as API token policies use it.",
				Computed:            true,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "What the permission group allows.",
				Computed:            true,
			},
		},
	}
}

func (d *permissionGroupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *permissionGroupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state permissionGroupModel
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

	group, err := cat.ResolvePermissionGroup(state.Name.ValueString(), catalog.Scope(state.Scope.ValueString()))
	if err != nil {
		summary, detail := catalogErrorDiagnostic(err, catalogWhere(source, ""))
		resp.Diagnostics.AddAttributeError(path.Root("name"), summary, detail)
		return
	}
	state.ID = types.StringValue(group.ID)
	state.Scope = types.StringValue(string(group.Scope))
	state.Description = types.StringValue(group.Description)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
