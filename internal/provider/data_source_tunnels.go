package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource              = (*tunnelsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tunnelsDataSource)(nil)
)

// NewTunnelsDataSource returns the cfiam_tunnels data source.
func NewTunnelsDataSource() datasource.DataSource { return &tunnelsDataSource{} }

type tunnelsDataSource struct {
	data *providerData
}

type tunnelsModel struct {
	AccountID types.String  `tfsdk:"account_id"`
	Name      types.String  `tfsdk:"name"`
	IsDeleted types.Bool    `tfsdk:"is_deleted"`
	Tunnels   []tunnelModel `tfsdk:"tunnels"`
}

type tunnelModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Status    types.String `tfsdk:"status"`
	CreatedAt types.String `tfsdk:"created_at"`
	DeletedAt types.String `tfsdk:"deleted_at"`
}

func (d *tunnelsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tunnels"
}

func (d *tunnelsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Cloudflare Tunnels of an account that the provider's credentials may read.\n\n" +
			"Cloudflare filters Tunnel listings by the caller's access: credentials with an account role that covers Tunnels " +
			"(such as `Cloudflare Access`) see every Tunnel, a member with Tunnel bindings sees the bound Tunnels only. So, with the " +
			"provider's `api_token` set to a member's own token, this lists what that member can reach " +
			"(see also `cfiam_effective_access`, which answers the same question from the member's policies).",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose Tunnels to list. Defaults to the provider's `account_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "List only the Tunnel with this exact name.",
				Optional:            true,
			},
			"is_deleted": schema.BoolAttribute{
				MarkdownDescription: "`true` lists only deleted Tunnels, `false` (the default, as in Cloudflare's API) only Tunnels not deleted.",
				Optional:            true,
			},
			"tunnels": schema.ListNestedAttribute{
				MarkdownDescription: "The Tunnels, in the API's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "Tunnel ID (a UUID), as `tunnel_ids` take it."},
						"name":       schema.StringAttribute{Computed: true, MarkdownDescription: "Tunnel name."},
						"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "`inactive`, `degraded`, `healthy` or `down`."},
						"created_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When the Tunnel was created (RFC 3339)."},
						"deleted_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When the Tunnel was deleted (RFC 3339); null if it was not."},
					},
				},
			},
		},
	}
}

func (d *tunnelsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *tunnelsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state tunnelsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct := d.data.account(state.AccountID.ValueString())
	operation := "listing the Tunnels of account " + acct
	if !d.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_tunnels"))
		return
	}
	if acct == "" {
		resp.Diagnostics.Append(missingAccountDiagnostic("reading cfiam_tunnels"))
		return
	}
	filter := cfclient.TunnelFilter{Name: state.Name.ValueString()}
	if !state.IsDeleted.IsNull() {
		v := state.IsDeleted.ValueBool()
		filter.IsDeleted = &v
	} else {
		v := false // the API's default, made explicit
		filter.IsDeleted = &v
	}
	tunnels, err := d.data.client.ListTunnels(ctx, acct, filter)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	state.AccountID = types.StringValue(acct)
	state.Tunnels = make([]tunnelModel, 0, len(tunnels))
	for _, t := range tunnels {
		state.Tunnels = append(state.Tunnels, tunnelModel{
			ID:        types.StringValue(t.ID),
			Name:      types.StringValue(t.Name),
			Status:    types.StringValue(t.Status),
			CreatedAt: stringOrNull(t.CreatedAt),
			DeletedAt: stringOrNull(t.DeletedAt),
		})
	}
	if len(tunnels) == 0 && state.Name.ValueString() != "" {
		resp.Diagnostics.AddWarning("No Tunnel matches",
			fmt.Sprintf("Account %s has no Tunnel named %q that these credentials may read.", acct, state.Name.ValueString()))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
