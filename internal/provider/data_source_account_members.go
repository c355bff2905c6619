package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource              = (*accountMembersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*accountMembersDataSource)(nil)
)

// NewAccountMembersDataSource returns the cfiam_account_members data source.
func NewAccountMembersDataSource() datasource.DataSource {
	return &accountMembersDataSource{}
}

type accountMembersDataSource struct {
	data *providerData
}

type accountMembersDataModel struct {
	AccountID types.String      `tfsdk:"account_id"`
	Status    types.String      `tfsdk:"status"`
	Members   []memberDataModel `tfsdk:"members"`
}

func (d *accountMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_members"
}

func (d *accountMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of an account, each with every policy it holds resolved to role names and scopes " +
			"(account-wide, on zones, on Cloudflare Tunnels, or on named resource groups). Policies owned by a `cfiam_tunnel_binding` " +
			"are included and marked `binding = true`. Each member also lists the user groups it is in (`user_groups`), whose policies it holds too.\n\n" +
			"Needs credentials: the members come from one paged list of the account's members, their groups from one list of the account's " +
			"user groups and one list of each group's members, role names and scopes from the account's live catalog.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account whose members to list. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "List only the members with this status: `accepted`, `pending` (invited, not yet accepted) or `rejected`. " +
					"All members when unset.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("accepted", "pending", "rejected")},
			},
			"members": schema.ListNestedAttribute{
				MarkdownDescription: "The members, sorted by e-mail address.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: memberDataAttributes()},
			},
		},
	}
}

func (d *accountMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *accountMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state accountMembersDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(state.AccountID, "reading cfiam_account_members", &resp.Diagnostics)
	if !ok {
		return
	}

	members, err := d.data.client.ListMembers(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, "listing the members of account "+acct, err))
		return
	}
	groups, err := d.data.client.UserGroups(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, "reading the user groups of account "+acct, err))
		return
	}
	cat, _, diags := d.data.catalog(ctx, acct, true, "reading the roles of account "+acct)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	access := catalog.AccountAccess{Groups: groups}
	status := state.Status.ValueString()
	out := make([]memberDataModel, 0, len(members))
	for _, m := range members {
		if status != "" && m.Status != status {
			continue
		}
		out = append(out, flattenMember(m, access.GroupsOf(m.ID), cat))
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Email.ValueString()), strings.ToLower(out[j].Email.ValueString())
		if a != b {
			return a < b
		}
		return out[i].ID.ValueString() < out[j].ID.ValueString()
	})
	state.AccountID = types.StringValue(acct)
	state.Members = out
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
