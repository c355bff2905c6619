package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

var (
	_ datasource.DataSource                     = (*effectiveAccessDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*effectiveAccessDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*effectiveAccessDataSource)(nil)
)

// NewEffectiveAccessDataSource returns the cfiam_effective_access data source.
func NewEffectiveAccessDataSource() datasource.DataSource { return &effectiveAccessDataSource{} }

// effectiveAccessDataSource reports what a member can reach. It reads the
// member's policies into grants with catalog.MemberGrants and evaluates them
// with catalog.EffectiveTunnelAccess / EffectiveMeshNodeAccess /
// EffectiveZoneAccess: the functions the
// emulator authorizes with, so that the report equals what the member's own
// token is shown.
type effectiveAccessDataSource struct {
	data *providerData
}

type effectiveAccessModel struct {
	AccountID        types.String          `tfsdk:"account_id"`
	MemberID         types.String          `tfsdk:"member_id"`
	Email            types.String          `tfsdk:"email"`
	Status           types.String          `tfsdk:"status"`
	AccountRoles     []types.String        `tfsdk:"account_roles"`
	AllTunnelsAccess types.String          `tfsdk:"all_tunnels_access"`
	Tunnels          []effectiveAccessItem `tfsdk:"tunnels"`
	AllMeshNodes     types.String          `tfsdk:"all_mesh_nodes_access"`
	MeshNodes        []effectiveAccessItem `tfsdk:"mesh_nodes"`
	Zones            []effectiveAccessItem `tfsdk:"zones"`
}

type effectiveAccessItem struct {
	ID     types.String   `tfsdk:"id"`
	Name   types.String   `tfsdk:"name"`
	Access types.String   `tfsdk:"access"`
	Grants []types.String `tfsdk:"grants"`
}

func (d *effectiveAccessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_effective_access"
}

func effectiveItemAttributes(kind string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true, MarkdownDescription: kind + " ID."},
		"name":   schema.StringAttribute{Computed: true, MarkdownDescription: kind + " name."},
		"access": schema.StringAttribute{Computed: true, MarkdownDescription: "`read` or `edit`: the highest access any grant gives."},
		"grants": schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Every grant that gives access, such as `account role \"Cloudflare Access\"` (an account-scoped role, " +
				"which covers every " + kind + "), `binding <policy id> role \"Cloudflare Tunnel Instance Read\"` (a `cfiam_tunnel_binding` " +
				"or `cfiam_mesh_node_binding`) " +
				"or `policy <policy id> role \"…\"` (one of the member's own policies bound to this " + kind + ")."},
	}
}

func (d *effectiveAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What one account member can read or edit: each Cloudflare Tunnel, each Cloudflare Mesh node and each zone, the level, and every grant " +
			"that gives it, plus the account roles the member holds.\n\n" +
			"It follows Cloudflare's granular Tunnel permissions: access to a Tunnel comes from an account role that covers Tunnels " +
			"(such as `Cloudflare Access`, edit, or `Administrator Read Only`, read) or from a resource-scoped Tunnel role bound to " +
			"that Tunnel (`cfiam_tunnel_binding`); the highest wins. Mesh nodes follow the same rules: the account roles that cover Tunnels " +
			"cover every Mesh node, and a Mesh node role bound to a node (`cfiam_mesh_node_binding`, or `mesh_node_ids` in a member policy) " +
			"gives access to that node; a Tunnel role never gives access to a Mesh node, nor a Mesh node role to a Tunnel. Deny policies win over allow: a deny on a Tunnel or zone removes it, " +
			"an account-wide deny removes the account roles it names. A member who has not accepted the invitation holds nothing. " +
			"The Tunnels listed are exactly those that the member's own token sees in `GET /accounts/{account_id}/cfd_tunnel`, and the " +
			"Mesh nodes those it sees in `GET /accounts/{account_id}/warp_connector`.\n\n" +
			"The provider's credentials must be able to read members, roles, Tunnels, Mesh nodes and zones of the account.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account of the member. Defaults to the provider's `account_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.AccountID()},
			},
			"member_id": schema.StringAttribute{
				MarkdownDescription: "Membership ID of the member. Exactly one of `member_id` and `email` is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.HexID("must be a 32-character lowercase hexadecimal member ID")},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "E-mail address of the member (any case). Exactly one of `member_id` and `email` is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.Email()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`accepted` or `pending`. A pending member holds no access yet.",
				Computed:            true,
			},
			"account_roles": schema.ListAttribute{
				MarkdownDescription: "Names of the account-scoped roles the member holds account-wide, after account-wide deny policies, sorted.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"all_tunnels_access": schema.StringAttribute{
				MarkdownDescription: "The access the member's account roles give to every Tunnel of the account, Tunnels created later " +
					"included: `edit`, `read` or `none`. Bindings are not counted here: they give access to their Tunnels only.",
				Computed: true,
			},
			"tunnels": schema.ListNestedAttribute{
				MarkdownDescription: "Each Tunnel (not deleted) the member can read or edit, sorted by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: effectiveItemAttributes("Tunnel")},
			},
			"all_mesh_nodes_access": schema.StringAttribute{
				MarkdownDescription: "The access the member's account roles give to every Mesh node of the account, Mesh nodes created " +
					"later included: `edit`, `read` or `none`. Bindings are not counted here: they give access to their Mesh nodes only.",
				Computed: true,
			},
			"mesh_nodes": schema.ListNestedAttribute{
				MarkdownDescription: "Each Cloudflare Mesh node (not deleted) the member can read or edit, sorted by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: effectiveItemAttributes("Mesh node")},
			},
			"zones": schema.ListNestedAttribute{
				MarkdownDescription: "Each zone of the account the member can read or edit, sorted by name.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: effectiveItemAttributes("zone")},
			},
		},
	}
}

func (d *effectiveAccessDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("member_id"), path.MatchRoot("email")),
	}
}

func (d *effectiveAccessDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(req.ProviderData, &d.data, &resp.Diagnostics)
}

func (d *effectiveAccessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state effectiveAccessModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.online() {
		resp.Diagnostics.Append(offlineDiagnostic("reading cfiam_effective_access"))
		return
	}
	acct := d.data.account(state.AccountID.ValueString())
	if acct == "" {
		resp.Diagnostics.Append(missingAccountDiagnostic("reading cfiam_effective_access"))
		return
	}
	client := d.data.client

	var m *cfclient.Member
	memberID := state.MemberID.ValueString()
	if memberID == "" {
		// The listing carries roles and policies: no second read.
		found, diags := findMemberByEmail(ctx, d.data, acct, state.Email.ValueString())
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		m, memberID = found, found.ID
	}
	operation := fmt.Sprintf("reading the effective access of member %s of account %s", memberID, acct)
	if m == nil {
		var err error
		if m, err = client.GetMember(ctx, acct, memberID); err != nil {
			resp.Diagnostics.Append(noSuchMemberDiagnostic(d.data.auth, operation, path.Root("member_id"), acct, memberID, err))
			return
		}
	}
	cat, _, diags := d.data.catalog(ctx, acct, true, operation)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	notDeleted := false
	tunnels, err := client.ListTunnels(ctx, acct, cfclient.TunnelFilter{IsDeleted: &notDeleted})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	meshNodes, err := client.ListMeshNodes(ctx, acct, cfclient.TunnelFilter{IsDeleted: &notDeleted})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}
	zones, err := client.ListAccountZones(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
		return
	}

	groups, err := client.UserGroups(ctx, acct)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation+" (its user groups)", err))
		return
	}
	grants := catalog.AccountAccess{AccountID: acct, Groups: groups}.MemberGrants(catalog.AccountMember{
		ID: m.ID, Accepted: m.Status == "accepted", LegacyRoleIDs: m.RoleIDs(), Policies: m.CatalogPolicies()}, cat.ByID)
	bindings := map[string]bool{}
	for _, p := range m.Policies {
		if iampolicy.IsBindingPolicy(p) {
			bindings[strings.ToLower(p.ID)] = true
		}
	}

	state.AccountID = types.StringValue(acct)
	state.MemberID = types.StringValue(m.ID)
	state.Email = types.StringValue(m.User.Email)
	state.Status = types.StringValue(m.Status)
	state.AccountRoles = accountRoleNames(grants)
	state.AllTunnelsAccess = types.StringValue(catalog.AccountTunnelAccess(grants).Access.String())

	state.Tunnels = resourceItems(grants, tunnels, catalog.ScopeTunnel, bindings)
	state.AllMeshNodes = types.StringValue(catalog.AccountResourceAccess(grants, catalog.ScopeMeshNode).Access.String())
	state.MeshNodes = resourceItems(grants, meshNodes, catalog.ScopeMeshNode, bindings)
	zoneIDs, zoneNames := make([]string, 0, len(zones)), map[string]string{}
	for _, z := range zones {
		zoneIDs = append(zoneIDs, z.ID)
		zoneNames[z.ID] = z.Name
	}
	state.Zones = effectiveItems(catalog.EffectiveZoneAccess(grants, zoneIDs), zoneNames, bindings)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// resourceItems is the access the grants give to each listed Tunnel or Mesh node (kind).
func resourceItems(grants []catalog.Grant, listed []cfclient.Tunnel, kind catalog.Scope, bindings map[string]bool) []effectiveAccessItem {
	ids, names := make([]string, 0, len(listed)), map[string]string{}
	for _, t := range listed {
		ids = append(ids, t.ID)
		names[t.ID] = t.Name
	}
	return effectiveItems(catalog.EffectiveResourceAccess(grants, ids, kind), names, bindings)
}

// accountRoleNames lists the account roles held after account-wide denies.
func accountRoleNames(grants []catalog.Grant) []types.String {
	var names []string
	for _, g := range catalog.EffectiveAccountRoles(grants) {
		names = append(names, g.Role.Name)
	}
	sort.Strings(names)
	names = slices.Compact(names)
	out := make([]types.String, 0, len(names))
	for _, n := range names {
		out = append(out, types.StringValue(n))
	}
	return out
}

// effectiveItems keeps the resources with some access, sorted by name then ID.
func effectiveItems(eff map[string]catalog.AccessWithReasons, names map[string]string, bindings map[string]bool) []effectiveAccessItem {
	ids := make([]string, 0, len(eff))
	for id, a := range eff {
		if a.Access != catalog.AccessNone {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if names[ids[i]] != names[ids[j]] {
			return names[ids[i]] < names[ids[j]]
		}
		return ids[i] < ids[j]
	})
	out := make([]effectiveAccessItem, 0, len(ids))
	for _, id := range ids {
		a := eff[id]
		var grants []string
		for _, r := range a.Reasons {
			if g := describeReason(r, bindings); !slices.Contains(grants, g) {
				grants = append(grants, g)
			}
		}
		item := effectiveAccessItem{ID: types.StringValue(id), Name: types.StringValue(names[id]),
			Access: types.StringValue(a.Access.String()), Grants: make([]types.String, 0, len(grants))}
		for _, g := range grants {
			item.Grants = append(item.Grants, types.StringValue(g))
		}
		out = append(out, item)
	}
	return out
}

// describeReason names one grant: `account role "Cloudflare Access"`,
// `binding <policy id> role "…"`, `policy <policy id> role "…"`, or for a
// grant held through a user group `via group "platform-admins": account role "…"`.
func describeReason(r catalog.Reason, bindings map[string]bool) string {
	if group, _, ok := catalog.GroupFromVia(r.Via); ok {
		kind := "role"
		if r.Scope == catalog.ScopeAccount {
			kind = "account role"
		}
		return fmt.Sprintf("via group %q: %s %q", group, kind, r.Role)
	}
	if r.Scope == catalog.ScopeAccount {
		return fmt.Sprintf("account role %q", r.Role)
	}
	id, ok := catalog.PolicyIDFromVia(r.Via)
	switch {
	case !ok:
		return fmt.Sprintf("%s role %q", r.Via, r.Role)
	case bindings[strings.ToLower(id)]:
		return fmt.Sprintf("binding %s role %q", id, r.Role)
	}
	return fmt.Sprintf("policy %s role %q", id, r.Role)
}
