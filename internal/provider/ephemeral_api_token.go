package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ ephemeral.EphemeralResource                   = (*ephemeralTokenResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure      = (*ephemeralTokenResource)(nil)
	_ ephemeral.EphemeralResourceWithValidateConfig = (*ephemeralTokenResource)(nil)
	_ ephemeral.EphemeralResourceWithClose          = (*ephemeralTokenResource)(nil)
)

// NewEphemeralAPITokenResource returns the cfiam_api_token ephemeral
// resource: a short-lived API token that exists while Terraform runs and
// whose value never reaches state or plan files.
func NewEphemeralAPITokenResource() ephemeral.EphemeralResource { return &ephemeralTokenResource{} }

type ephemeralTokenResource struct {
	data *providerData
}

type ephemeralTokenModel struct {
	Name      types.String `tfsdk:"name"`
	AccountID types.String `tfsdk:"account_id"`
	Policies  types.List   `tfsdk:"policies"`
	Condition types.Object `tfsdk:"condition"`
	TTL       types.String `tfsdk:"ttl"`
	ID        types.String `tfsdk:"id"`
	Value     types.String `tfsdk:"value"`
	ExpiresOn types.String `tfsdk:"expires_on"`
}

// ephemeralTokenPrivate is what Close needs to delete the token.
type ephemeralTokenPrivate struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
}

const defaultEphemeralTokenTTL = time.Hour

func (r *ephemeralTokenResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_token"
}

func (r *ephemeralTokenResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	idSet := func(desc, what string) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc, Optional: true, ElementType: types.StringType,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.HexID("must be a 32-character lowercase hexadecimal " + what + " ID"))},
		}
	}
	cidrs := func(desc string, more ...validator.Set) schema.SetAttribute {
		return schema.SetAttribute{MarkdownDescription: desc, Optional: true, ElementType: types.StringType,
			Validators: append([]validator.Set{setvalidator.ValueStringsAre(validators.IPOrCIDR())}, more...)}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A short-lived API token for the length of one Terraform run: created when Terraform opens it (at plan and again at apply), " +
			"deleted when Terraform closes it, and expiring after `ttl` in any case. Its `value` is ephemeral: it never reaches the plan or the state, " +
			"so it suits provider blocks and write-only attributes of other resources. Policies take the same form and the same checks as `cfiam_api_token`. " +
			"For a long-lived token, use the `cfiam_api_token` or `cfiam_account_token` resource.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{MarkdownDescription: "Name of the token.", Required: true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 120)}},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "When set, the token is owned by this account (`/accounts/{account_id}/tokens`, no user policies); otherwise by the user.",
				Optional:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"policies": schema.ListNestedAttribute{
				MarkdownDescription: "The token's policies, as in `cfiam_api_token`: permission groups by name or ID, and exactly one of `user = true`, `account_ids`, `zone_ids`, `all_zones_of_account`.",
				Required:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"effect": schema.StringAttribute{MarkdownDescription: "`allow` or `deny`, required as in `cfiam_api_token`: a misspelt key, " +
						"which Terraform drops, must never leave a default that grants.", Required: true,
						Validators: []validator.String{stringvalidator.OneOf("allow", "deny")}},
					"permission_groups": schema.SetAttribute{MarkdownDescription: "Permission groups, by name (any case) or ID, all of the policy's scope.",
						Required: true, ElementType: types.StringType},
					"user":                 schema.BoolAttribute{MarkdownDescription: "`true`: the policy applies to the user who owns the token.", Optional: true},
					"account_ids":          idSet("Accounts the policy applies to (account permission groups).", "account"),
					"zone_ids":             idSet("Zones the policy applies to (zone permission groups).", "zone"),
					"all_zones_of_account": schema.StringAttribute{MarkdownDescription: "An account ID: every zone of that account (zone permission groups).", Optional: true, Validators: []validator.String{validators.AccountID()}},
				}},
			},
			"condition": schema.SingleNestedAttribute{
				MarkdownDescription: "Where the token may be used from.",
				Optional:            true,
				Attributes: map[string]schema.Attribute{
					"request_ip": schema.SingleNestedAttribute{
						MarkdownDescription: "Client IP restrictions (Cloudflare's `request.ip` condition). Required in `condition`, with `in` or " +
							"`not_in`: a condition in which nothing is set is an error, never \"no restriction\".",
						Required: true,
						Attributes: map[string]schema.Attribute{
							"in": cidrs("IP addresses or CIDR ranges the token may be used from.",
								setvalidator.AtLeastOneOf(path.MatchRelative().AtParent().AtName("not_in"))),
							"not_in": cidrs("IP addresses or CIDR ranges the token may not be used from."),
						},
					},
				},
			},
			"ttl": schema.StringAttribute{
				MarkdownDescription: "How long the token lives at most, as a duration such as `30m` (at least `1m`; default `1h`): its `expires_on`.",
				Optional:            true,
				Validators:          []validator.String{validators.Duration(time.Minute)},
			},
			"id":         schema.StringAttribute{MarkdownDescription: "Token ID.", Computed: true},
			"value":      schema.StringAttribute{MarkdownDescription: "The token's secret.", Computed: true, Sensitive: true},
			"expires_on": schema.StringAttribute{MarkdownDescription: "When the token expires (RFC 3339).", Computed: true},
		},
	}
}

func (r *ephemeralTokenResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	configure(req.ProviderData, &r.data, &resp.Diagnostics)
}

func (r *ephemeralTokenResource) ValidateConfig(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	defer startValidation(ctx, "ephemeral cfiam_api_token", catalogEmbedded).done(&resp.Diagnostics)
	var m ephemeralTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	account := !m.AccountID.IsNull()
	resp.Diagnostics.Append(checkTokenPolicies(m.Policies, catalog.Embedded(), false, account)...)
	if account && !m.AccountID.IsUnknown() {
		resp.Diagnostics.Append(checkAccountTokenResources(m.Policies, m.AccountID.ValueString())...)
	}
}

func (r *ephemeralTokenResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m ephemeralTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	operation := fmt.Sprintf("creating ephemeral API token %q", m.Name.ValueString())
	if !r.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic(operation))
		return
	}
	owner := m.AccountID.ValueString()
	cat, diags := r.data.tokenCatalog(ctx, owner, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(checkTokenPolicies(m.Policies, cat, true, owner != "")...)
	if resp.Diagnostics.HasError() {
		return
	}
	ttl := defaultEphemeralTokenTTL
	if !m.TTL.IsNull() {
		d, err := time.ParseDuration(m.TTL.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ttl"), "Invalid duration", err.Error())
			return
		}
		ttl = d
	}
	pols, diags := tokenPoliciesToAPI(ctx, r.data, cat, m.Policies, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	expires := time.Now().UTC().Add(ttl).Truncate(time.Second).Format(time.RFC3339)
	t, err := r.data.client.CreateToken(ctx, owner, cfclient.TokenInput{
		Name: m.Name.ValueString(), Policies: pols, Condition: expandTokenCondition(m.Condition), ExpiresOn: expires,
	})
	if err != nil {
		resp.Diagnostics.Append(tokenAPIErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	private, _ := json.Marshal(ephemeralTokenPrivate{ID: t.ID, AccountID: owner})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, "token", private)...)
	m.ID, m.Value, m.ExpiresOn = types.StringValue(t.ID), types.StringValue(t.Value), types.StringValue(expires)
	if t.ExpiresOn != "" {
		m.ExpiresOn = types.StringValue(t.ExpiresOn)
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// Close deletes the token. One already gone (deleted, or expired and
// removed) is not an error.
func (r *ephemeralTokenResource) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, diags := req.Private.GetKey(ctx, "token")
	resp.Diagnostics.Append(diags...)
	if raw == nil || !r.data.online() {
		return
	}
	var p ephemeralTokenPrivate
	if err := json.Unmarshal(raw, &p); err != nil || p.ID == "" {
		return
	}
	if err := r.data.client.DeleteToken(ctx, p.AccountID, p.ID); err != nil && !cfclient.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiagnostic(r.data.auth, "deleting ephemeral API token "+p.ID, err))
	}
}
