package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// The listing data source of each resource kind that has no richer one of
// its own (Tunnels and Mesh nodes: data_source_tunnels.go): cfiam_<plural>
// (cfiam_access_applications, ...), made from a row of catalog's kinds table
// and read through cfclient.ListObjects.

var (
	_ datasource.DataSource              = (*objectsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*objectsDataSource)(nil)
)

// ownListDataSources are the kinds whose listing data source is not this one.
var ownListDataSources = map[catalog.Scope]bool{catalog.ScopeTunnel: true, catalog.ScopeMeshNode: true}

// objectsDataSources are the listing data sources of the resource kinds.
func objectsDataSources() []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, k := range catalog.Kinds() {
		if !ownListDataSources[k.Scope] {
			out = append(out, func() datasource.DataSource { return &objectsDataSource{kind: k} })
		}
	}
	return out
}

type objectsDataSource struct {
	kind catalog.ResourceKind
	data *providerData
}

type objectModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (d *objectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + strings.TrimPrefix(d.kind.DataSource(), "cfiam")
}

func (d *objectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	var cover []string
	for name := range k.Coverage {
		cover = append(cover, "`"+name+"`")
	}
	sort.Strings(cover)
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("The %s of an account that the provider's credentials may read (`GET %s`).\n\n"+
			"Cloudflare filters this listing by the caller's access: %s. Credentials with an account role that covers %s (%s) see "+
			"every one; a member with `%s` on some sees those only. So, with the provider's `api_token` set to a member's own token, "+
			"this lists what that member can reach (see also `cfiam_effective_access`, which answers the same question from the "+
			"member's policies). Use the IDs in `%s` of a member or user-group policy, or in a `%s`.",
			k.Nouns, k.ListRoute(), k.Listing, k.Nouns, strings.Join(cover, ", "), strings.Join(k.RoleNames(), "` or `"),
			k.Attribute, k.BindingResource()),
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account to list. Defaults to the provider's `account_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			k.Plural: schema.ListNestedAttribute{
				MarkdownDescription: fmt.Sprintf("Each %s the credentials may read, sorted by name then ID.", k.Noun),
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.StringAttribute{Computed: true, MarkdownDescription: fmt.Sprintf("ID of the %s (a UUID).", k.Noun)},
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: fmt.Sprintf("Name of the %s%s.", k.Noun, nameNote(k))},
				}},
			},
		},
	}
}

// nameNote says what stands for a name where the API has none.
func nameNote(k catalog.ResourceKind) string {
	if k.Scope == catalog.ScopeInfrastructureTarget {
		return " (its hostname)"
	}
	return ""
}

func (d *objectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *objectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	k := d.kind
	operation := "reading " + k.DataSource()
	var accountID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("account_id"), &accountID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(accountID, operation, &resp.Diagnostics)
	if !ok {
		return
	}
	listed, err := d.data.client.ListObjects(ctx, k.Scope, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	sort.Slice(listed, func(i, j int) bool {
		if listed[i].Name != listed[j].Name {
			return listed[i].Name < listed[j].Name
		}
		return listed[i].ID < listed[j].ID
	})
	objects := make([]objectModel, len(listed))
	for i, o := range listed {
		objects[i] = objectModel{ID: types.StringValue(o.ID), Name: types.StringValue(o.Name)}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), types.StringValue(acct))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(k.Plural), objects)...)
}
