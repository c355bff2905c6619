package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// catalogKind is what sets cfiam_role apart from cfiam_permission_group (and
// cfiam_roles from cfiam_permission_groups): the one lookup and the one list
// below serve both kinds, and each kind's file holds only its words.
type catalogKind struct {
	kind   catalog.Kind
	what   string          // "role", for descriptions
	scopes []catalog.Scope // the kind's scopes, in listing order
	// perAccount: roles are the account's own (account_id, read with the
	// account); permission groups belong to no account and are read without
	// one, so that a token unable to read the account's roles still lists them.
	perAccount bool
	// reading names the read for diagnostics, given the account ("" when none).
	reading func(accountID string) string
}

// catalogLookupWords are a lookup data source's descriptions.
type catalogLookupWords struct {
	typeSuffix, summary, name, scope, id string
}

// catalogListWords are a list data source's descriptions.
type catalogListWords struct {
	typeSuffix, summary, scope, listAttr, list, source string
}

func (k catalogKind) account(d *providerData, cfg tfsdk.Config, diags *diag.Diagnostics) string {
	if !k.perAccount {
		return ""
	}
	var own types.String
	diags.Append(cfg.GetAttribute(context.Background(), path.Root("account_id"), &own)...)
	return d.account(own.ValueString())
}

func (k catalogKind) accountAttribute(attrs map[string]schema.Attribute, verb string) {
	if !k.perAccount {
		return
	}
	attrs["account_id"] = schema.StringAttribute{
		MarkdownDescription: "Account whose " + k.what + "s to " + verb + ". Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validators.AccountID()},
	}
}

func (k catalogKind) read(ctx context.Context, d *providerData, cfg tfsdk.Config, diags *diag.Diagnostics) (cat *catalog.Catalog, source, accountID string) {
	accountID = k.account(d, cfg, diags)
	if diags.HasError() {
		return nil, "", ""
	}
	cat, source, more := d.catalog(ctx, accountID, k.perAccount, k.reading(accountID))
	diags.Append(more...)
	return cat, source, accountID
}

// setAccount writes the account read, where the kind has one.
func (k catalogKind) setAccount(ctx context.Context, state *tfsdk.State, accountID string, diags *diag.Diagnostics) {
	if k.perAccount {
		diags.Append(state.SetAttribute(ctx, path.Root("account_id"), stringOrNull(accountID))...)
	}
}

var (
	_ datasource.DataSource              = (*catalogLookupDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*catalogLookupDataSource)(nil)
	_ datasource.DataSource              = (*catalogListDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*catalogListDataSource)(nil)
)

// catalogLookupDataSource finds one role or permission group by name or ID.
type catalogLookupDataSource struct {
	catalogKind
	words catalogLookupWords
	data  *providerData
}

func (d *catalogLookupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.words.typeSuffix
}

func (d *catalogLookupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: d.words.name,
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"scope": schema.StringAttribute{
			MarkdownDescription: d.words.scope,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf(scopeStrings(d.scopes)...)},
		},
		"id": schema.StringAttribute{
			MarkdownDescription: d.words.id,
			Computed:            true,
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "What the " + d.what + " allows.",
			Computed:            true,
		},
	}
	d.accountAttribute(attrs, "search")
	resp.Schema = schema.Schema{MarkdownDescription: d.words.summary, Attributes: attrs}
}

func (d *catalogLookupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *catalogLookupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var name, scope types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scope"), &scope)...)
	cat, source, accountID := d.read(ctx, d.data, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	e, err := cat.Resolve(d.kind, name.ValueString(), catalog.Scope(scope.ValueString()))
	if err != nil {
		summary, detail := catalogErrorDiagnostic(err, catalogWhere(source, accountID))
		resp.Diagnostics.AddAttributeError(path.Root("name"), summary, detail)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), e.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("scope"), string(e.Scope))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("description"), e.Description)...)
	d.setAccount(ctx, &resp.State, accountID, &resp.Diagnostics)
}

// catalogListDataSource lists the roles or permission groups, optionally of
// one scope.
type catalogListDataSource struct {
	catalogKind
	words catalogListWords
	data  *providerData
}

func (d *catalogListDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.words.typeSuffix
}

func (d *catalogListDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"scope": schema.StringAttribute{
			MarkdownDescription: d.words.scope,
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(scopeStrings(d.scopes)...)},
		},
		d.words.listAttr: schema.ListNestedAttribute{
			MarkdownDescription: d.words.list,
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: catalogEntryAttributes(d.what)},
		},
		"source": schema.StringAttribute{
			MarkdownDescription: d.words.source,
			Computed:            true,
		},
	}
	d.accountAttribute(attrs, "list")
	resp.Schema = schema.Schema{MarkdownDescription: d.words.summary, Attributes: attrs}
}

func (d *catalogListDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *catalogListDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var scope types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scope"), &scope)...)
	cat, source, accountID := d.read(ctx, d.data, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	entries := sortByScopeThenName(cat.Entries(d.kind), d.scopes)
	if s := scope.ValueString(); s != "" {
		entries = cat.InScope(d.kind, catalog.Scope(s))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("scope"), scope)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.words.listAttr), flattenCatalogEntries(entries))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("source"), source)...)
	d.setAccount(ctx, &resp.State, accountID, &resp.Diagnostics)
}

// stringOrNull maps "" to null, so that unset optional attributes stay unset.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
