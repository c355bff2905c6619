package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// The listings of resource-scoped objects, cfiam_tunnels and cfiam_mesh_nodes:
// one implementation (tunnelListDataSource) over a tunnelListKind, as Mesh
// nodes are WARP Connector tunnels of the same shape as Tunnels.

var (
	_ datasource.DataSource              = (*tunnelListDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tunnelListDataSource)(nil)
)

// tunnelListKind is what makes one listing data source: its names, words and API call.
type tunnelListKind struct {
	typeSuffix string // "_tunnels"
	listAttr   string // "tunnels"
	one, many  string // "Tunnel", "Tunnels"
	idsAttr    string // "tunnel_ids", the policy attribute that takes the IDs
	intro      string // the description's first paragraph
	list       func(c *cfclient.Client, ctx context.Context, acct string, f cfclient.TunnelFilter) ([]cfclient.Tunnel, error)
}

var (
	tunnelsList = tunnelListKind{typeSuffix: "_tunnels", listAttr: "tunnels", one: "Tunnel", many: "Tunnels", idsAttr: "tunnel_ids",
		intro: "The Cloudflare Tunnels of an account that the provider's credentials may read.",
		list:  (*cfclient.Client).ListTunnels}
	meshNodesList = tunnelListKind{typeSuffix: "_mesh_nodes", listAttr: "mesh_nodes", one: "Mesh node", many: "Mesh nodes", idsAttr: "mesh_node_ids",
		intro: "The Cloudflare Mesh nodes (the former WARP Connectors, `/accounts/{account_id}/warp_connector` in the API) of an " +
			"account that the provider's credentials may read.",
		list: (*cfclient.Client).ListMeshNodes}
)

// NewTunnelsDataSource returns the cfiam_tunnels data source.
func NewTunnelsDataSource() datasource.DataSource { return &tunnelListDataSource{kind: tunnelsList} }

// NewMeshNodesDataSource returns the cfiam_mesh_nodes data source.
func NewMeshNodesDataSource() datasource.DataSource {
	return &tunnelListDataSource{kind: meshNodesList}
}

type tunnelListDataSource struct {
	kind tunnelListKind
	data *providerData
}

type tunnelModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Status    types.String `tfsdk:"status"`
	CreatedAt types.String `tfsdk:"created_at"`
	DeletedAt types.String `tfsdk:"deleted_at"`
}

func (d *tunnelListDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.kind.typeSuffix
}

func (d *tunnelListDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	resp.Schema = schema.Schema{
		MarkdownDescription: k.intro + "\n\n" +
			"Cloudflare filters " + k.one + " listings by the caller's access: credentials with an account role that covers " + k.many +
			" (such as `Cloudflare Access`) see every " + k.one + ", a member with " + k.one + " bindings sees the bound " + k.many +
			" only. So, with the provider's `api_token` set to a member's own token, this lists what that member can reach " +
			"(see also `cfiam_effective_access`, which answers the same question from the member's policies).",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose " + k.many + " to list. Defaults to the provider's `account_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "List only the " + k.one + " with this exact name.",
				Optional:            true,
			},
			"is_deleted": schema.BoolAttribute{
				MarkdownDescription: "`true` lists only deleted " + k.many + ", `false` (the default, as in Cloudflare's API) only " + k.many + " not deleted.",
				Optional:            true,
			},
			k.listAttr: schema.ListNestedAttribute{
				MarkdownDescription: "The " + k.many + ", in the API's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.StringAttribute{Computed: true, MarkdownDescription: k.one + " ID (a UUID), as `" + k.idsAttr + "` take it."},
						"name":       schema.StringAttribute{Computed: true, MarkdownDescription: k.one + " name."},
						"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "`inactive`, `degraded`, `healthy` or `down`."},
						"created_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When the " + k.one + " was created (RFC 3339)."},
						"deleted_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When the " + k.one + " was deleted (RFC 3339); null if it was not."},
					},
				},
			},
		},
	}
}

func (d *tunnelListDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *tunnelListDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	k := d.kind
	var account, name types.String
	var isDeleted types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("account_id"), &account)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("is_deleted"), &isDeleted)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(account, "reading cfiam"+k.typeSuffix, &resp.Diagnostics)
	if !ok {
		return
	}
	operation := "listing the " + k.many + " of account " + acct
	deleted := false // the API's default, made explicit
	if !isDeleted.IsNull() {
		deleted = isDeleted.ValueBool()
	}
	items, err := k.list(d.data.client, ctx, acct, cfclient.TunnelFilter{Name: name.ValueString(), IsDeleted: &deleted})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	out := make([]tunnelModel, 0, len(items))
	for _, t := range items {
		out = append(out, tunnelModel{
			ID:        types.StringValue(t.ID),
			Name:      types.StringValue(t.Name),
			Status:    types.StringValue(t.Status),
			CreatedAt: stringOrNull(t.CreatedAt),
			DeletedAt: stringOrNull(t.DeletedAt),
		})
	}
	if len(items) == 0 && name.ValueString() != "" {
		resp.Diagnostics.AddWarning("No "+k.one+" matches",
			fmt.Sprintf("Account %s has no %s named %q that these credentials may read.", acct, k.one, name.ValueString()))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), acct)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("is_deleted"), isDeleted)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(k.listAttr), out)...)
}
