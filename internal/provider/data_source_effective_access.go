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
// with catalog.EffectiveResourceAccess (each resource kind) and
// EffectiveZoneAccess: the functions the emulator authorizes with, so that
// the report equals what the member's own token is shown. Each resource kind
// of catalog's table adds `all_<plural>_access` and `<plural>`.
type effectiveAccessDataSource struct {
	data *providerData
}

// effectiveAccessModel is the data source's fixed attributes; each
// resource kind's two are read and written by name.
type effectiveAccessModel struct {
	AccountID    types.String
	MemberID     types.String
	Email        types.String
	Status       types.String
	AccountRoles []types.String
	Zones        []effectiveAccessItem
}

// allAccessAttribute is a resource kind's `all_<plural>_access`.
func allAccessAttribute(k catalog.ResourceKind) string { return "all_" + k.Plural + "_access" }

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
				"which covers every " + kind + "), `binding <policy id> role \"Cloudflare Tunnel Instance Read\"` (a binding such as `cfiam_tunnel_binding`), " +
				"`policy <policy id> role \"…\"` (one of the member's own policies bound to this " + kind + ") " +
				"or `via group \"<name>\": …` (a policy of one of the member's user groups)."},
	}
}

func (d *effectiveAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
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
		"zones": schema.ListNestedAttribute{
			MarkdownDescription: "Each zone of the account the member can read or edit, sorted by name.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: effectiveItemAttributes("zone")},
		},
	}
	var kinds, lists []string
	for _, k := range catalog.Kinds() {
		var cover []string
		for name := range k.Coverage {
			cover = append(cover, "`"+name+"`")
		}
		sort.Strings(cover)
		attrs[allAccessAttribute(k)] = schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("The access the member's account roles give to every %s of the account, those created later "+
				"included: `edit`, `read` or `none`. The account roles that cover %s are %s. Bindings are not counted here: they give "+
				"access to their own %s only.", k.Noun, k.Nouns, strings.Join(cover, ", "), k.Nouns),
			Computed: true,
		}
		attrs[k.Plural] = schema.ListNestedAttribute{
			MarkdownDescription: fmt.Sprintf("Each %s the member can read or edit, sorted by name: exactly what the member's own token lists in "+
				"`GET %s`.", k.Noun, k.ListRoute()),
			Computed:     true,
			NestedObject: schema.NestedAttributeObject{Attributes: effectiveItemAttributes(k.Noun)},
		}
		kinds = append(kinds, k.Nouns)
		lists = append(lists, "`"+k.Plural+"`")
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "What one account member can read or edit: each zone and each object of every resource kind (" +
			strings.Join(kinds, ", ") + "), the level, and every grant that gives it, plus the account roles the member holds.\n\n" +
			"It follows Cloudflare's granular permissions: access to an object comes from an account role that covers its kind " +
			"(such as `Cloudflare Access`, edit, or `Administrator Read Only`, read; the scopes guide lists them per kind) or from a " +
			"resource-scoped role of that kind bound to the object (a binding such as `cfiam_tunnel_binding`, or the kind's IDs in a " +
			"member or user-group policy); the highest wins. A role of one kind never gives access to an object of another. Deny policies " +
			"win over allow: a deny on an object or zone removes it, an account-wide deny removes the account roles it names. A member who " +
			"has not accepted the invitation holds nothing. The objects listed are exactly those the member's own token sees in each " +
			"kind's listing.\n\n" +
			"The provider's credentials must be able to read members, roles, user groups, zones and the objects of every kind (" +
			strings.Join(lists, ", ") + ").",
		Attributes: attrs,
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
	for name, target := range map[string]*types.String{"account_id": &state.AccountID, "member_id": &state.MemberID, "email": &state.Email} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), target)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	acct, ok := d.data.ready(state.AccountID, "reading cfiam_effective_access", &resp.Diagnostics)
	if !ok {
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
	objects := map[catalog.Scope][]cfclient.Object{}
	for _, k := range catalog.Kinds() {
		listed, err := client.ListObjects(ctx, k.Scope, acct)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(d.data.auth, operation, err))
			return
		}
		objects[k.Scope] = listed
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
	zoneIDs, zoneNames := make([]string, 0, len(zones)), map[string]string{}
	for _, z := range zones {
		zoneIDs = append(zoneIDs, z.ID)
		zoneNames[z.ID] = z.Name
	}
	state.Zones = effectiveItems(catalog.EffectiveZoneAccess(grants, zoneIDs), zoneNames, bindings)
	for name, value := range map[string]any{"account_id": state.AccountID, "member_id": state.MemberID, "email": state.Email,
		"status": state.Status, "account_roles": state.AccountRoles, "zones": state.Zones} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
	for _, k := range catalog.Kinds() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(allAccessAttribute(k)),
			types.StringValue(catalog.AccountResourceAccess(grants, k.Scope).Access.String()))...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(k.Plural), resourceItems(grants, objects[k.Scope], k.Scope, bindings))...)
	}
}

// resourceItems is the access the grants give to each listed object of a
// resource kind, an attached object's parent counted (an application's own
// Access policies).
func resourceItems(grants []catalog.Grant, listed []cfclient.Object, kind catalog.Scope, bindings map[string]bool) []effectiveAccessItem {
	ids, names, parents := make([]string, 0, len(listed)), map[string]string{}, map[string]string{}
	for _, t := range listed {
		ids = append(ids, t.ID)
		names[t.ID] = t.Name
		if t.Parent != "" {
			parents[strings.ToLower(t.ID)] = t.Parent
		}
	}
	return effectiveItems(catalog.EffectiveAttachedAccess(grants, ids, kind, parents), names, bindings)
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
