package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/planmodifiers"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// cfiam_account_member: a policy holder (resource_policy_holder.go) whose
// principal is a member, with what only a member has: its e-mail address
// and status (invited or added directly), the user behind it, the guards of
// the last Super Administrator and of the provider's own membership
// (resource_account_member_checks.go). protoserver's shortcuts serve it, as
// every policy holder (PlansPriorState, beside ModifyPlan).

// NewAccountMemberResource returns the cfiam_account_member resource.
func NewAccountMemberResource() resource.Resource { return &accountMemberResource{} }

// newAccountMemberListResource returns its list resource.
func newAccountMemberListResource() list.ListResource { return &accountMemberResource{} }

type accountMemberResource struct {
	holderResource[accountMemberModel, *cfclient.Member, memberHolder]
}

// memberHolder is cfiam_account_member's kind of policy holder.
type memberHolder struct{}

type accountMemberModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	Email                        types.String `tfsdk:"email"`
	Status                       types.String `tfsdk:"status"`
	Policies                     types.Set    `tfsdk:"policies"`
	User                         types.Object `tfsdk:"user"`
	ResolvedPolicies             types.List   `tfsdk:"resolved_policies"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

// accountMemberIdentity identifies a cfiam_account_member (Terraform 1.12 and later): see identity.go.
var accountMemberIdentity = identityFields{accountIdentityField, {name: "id", description: "Membership ID of the member."}}

var memberWords = holderWords{
	typeSuffix: "_account_member",
	description: "An account member and the policies it holds: roles at account scope, domain roles on chosen zones, " +
		"and resource-scoped roles on chosen Cloudflare Tunnels. Every role is checked against its policy's scope at " +
		"`terraform validate` (embedded catalog) and `terraform plan` (the account's live catalog).\n\n" +
		"The resource is authoritative for the policies it declares: policies added outside Terraform show as drift and are " +
		"removed on apply. Policies that a `cfiam_tunnel_binding` owns are left alone. The provider creates and reuses the " +
		"resource groups that zone and Tunnel scopes need, and deletes the ones no policy uses any more.",
	identity: accountMemberIdentity,
	id:       "Membership ID.",
	owner:    "the member",
	policies: "The member's policies.",
	allowRemoving: "Set to `true` to allow a change (or a destroy) that leaves the account without an accepted Super Administrator. " +
		"Without it, such a plan fails.",
	checking:    "checking the member's roles",
	grantee:     policy.GranteeMember,
	importRefs:  "member_id or email",
	importForms: "<account_id>/<member_id> or <account_id>/<email>",
	removing:    "removing",
	creating:    "adding member %s to account %s",
	reading:     "reading member %s of account %s",
	updating:    "updating the policies of member %s of account %s",
	deleting:    "removing member %s from account %s",
}

func (memberHolder) words() *holderWords { return &memberWords }

func (memberHolder) fields(m *accountMemberModel) holderFields {
	return holderFields{id: &m.ID, accountID: &m.AccountID, policies: &m.Policies, resolved: &m.ResolvedPolicies}
}

func (memberHolder) attributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"email": schema.StringAttribute{
			MarkdownDescription: "E-mail address of the member. Changing it replaces the member (a new invitation).",
			Required:            true,
			PlanModifiers:       []planmodifier.String{planmodifiers.CaseInsensitiveRequiresReplace()},
			Validators:          []validator.String{validators.Email()},
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "`pending` (invited; the default) or `accepted` (added directly, where the account allows it: Cloudflare may refuse it, " +
				"and the error then says to use `pending`). " +
				"A member who accepts an invitation becomes `accepted`; a configuration that still says `pending` then shows no change. " +
				"Asking for `accepted` while the member is `pending` re-creates the membership.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{stringvalidator.OneOf("pending", "accepted")},
			PlanModifiers: []planmodifier.String{planmodifiers.MemberStatus()},
		},
		"user": schema.SingleNestedAttribute{
			MarkdownDescription: "The user behind the membership, as Cloudflare reports it.",
			Computed:            true,
			PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
			Attributes: map[string]schema.Attribute{
				"id":                                schema.StringAttribute{Computed: true, MarkdownDescription: "User ID."},
				"email":                             schema.StringAttribute{Computed: true, MarkdownDescription: "The user's e-mail address."},
				"first_name":                        schema.StringAttribute{Computed: true, MarkdownDescription: "First name, if the user set one."},
				"last_name":                         schema.StringAttribute{Computed: true, MarkdownDescription: "Last name, if the user set one."},
				"two_factor_authentication_enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user has two-factor authentication on."},
			},
		},
	}
}

func (memberHolder) name(m *accountMemberModel) string { return m.Email.ValueString() }

// plannedStatus is the status a create asks for: "" for Cloudflare's default.
func plannedStatus(m *accountMemberModel) string {
	if m.Status.IsUnknown() || m.Status.IsNull() {
		return ""
	}
	return m.Status.ValueString()
}

func (memberHolder) create(ctx context.Context, d *providerData, m *accountMemberModel, acct string, policies []cfclient.MemberPolicy) (*cfclient.Member, error) {
	return d.client.CreateMember(ctx, acct, m.Email.ValueString(), plannedStatus(m), policies)
}

func (memberHolder) read(ctx context.Context, d *providerData, acct, id string) (*cfclient.Member, error) {
	return d.client.ReadMember(ctx, acct, id)
}

func (memberHolder) holder(d *providerData, acct, id string) iampolicy.Holder[*cfclient.Member] {
	return d.policies.Member(acct, id)
}

// update: writing the policies is the whole update of a member.
func (memberHolder) update(_ context.Context, _ *providerData, _ *accountMemberModel, written *cfclient.Member) (*cfclient.Member, error) {
	return written, nil
}

func (memberHolder) guard(ctx context.Context, d *providerData, state, plan *accountMemberModel, diags *diag.Diagnostics) {
	d.guardLastSuperAdministrator(ctx, state, plan, diags)
	if plan == nil {
		d.warnOwnMembership(ctx, state, diags)
	}
}

// importedID takes a member ID or an e-mail address.
func (memberHolder) importedID(ctx context.Context, d *providerData, acct, ref, _ string, diags *diag.Diagnostics) (string, bool) {
	if !strings.Contains(ref, "@") {
		return ref, true
	}
	m, err := d.client.FindMemberByEmail(ctx, acct, ref)
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, "finding member "+ref, err))
		return "", false
	}
	if m == nil {
		diags.AddError("No such member", fmt.Sprintf("Account %s has no member with e-mail address %s.", acct, ref))
		return "", false
	}
	return m.ID, true
}

// --- list resource ---

type accountMemberListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Email     types.String `tfsdk:"email"`
	Status    types.String `tfsdk:"status"`
}

func (r *accountMemberResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the members of an account for `terraform query` (Terraform 1.14 and later), each with the policies " +
			"`cfiam_account_member` manages: roles by name, every scope (account-wide, `zone_ids`, `tunnel_ids`, `mesh_node_ids`, " +
			"`resource_group_ids`). Policies that a `cfiam_tunnel_binding` or `cfiam_mesh_node_binding` owns are not part of the member: " +
			"list them with those list resources. Invitations the user declined (status `rejected`) are left out. " +
			"One paged list of the account's members, and its role catalog.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute("members"),
			"email": listschema.StringAttribute{
				MarkdownDescription: "List only the member with this e-mail address (any case). Applied by the provider to the list of members.",
				Optional:            true,
				Validators:          []validator.String{validators.Email()},
			},
			"status": listschema.StringAttribute{
				MarkdownDescription: "List only the members with this status: `accepted` or `pending` (invited, not yet accepted). All members when unset.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("accepted", "pending")},
			},
		},
	}
}

func (r *accountMemberResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg accountMemberListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, "cfiam_account_member", func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	operation := "listing the members of account " + acct
	members, err := r.data.client.ListMembers(ctx, acct)
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	members = listedMembers(members, cfg.Email.ValueString(), cfg.Status.ValueString())
	objects := make([]listed, 0, len(members))
	for i := range members {
		m := importedMember(acct)
		d := r.setFromAPI(&m, &members[i], nil, cat)
		objects = append(objects, listed{display: members[i].User.Email, model: &m, diags: d})
	}
	stream.Results = listResults(ctx, req, accountMemberIdentity, objects)
}

// listedMembers is what a member list returns of the account's members:
// those with that e-mail address (any case) and status, when given, sorted
// by e-mail address. A declined invitation (`rejected`) is no access to
// manage, and its status is one a configuration cannot write: left out.
func listedMembers(members []cfclient.Member, email, status string) []cfclient.Member {
	members = slices.DeleteFunc(slices.Clone(members), func(m cfclient.Member) bool {
		return m.Status == "rejected" || email != "" && !strings.EqualFold(m.User.Email, email) || status != "" && m.Status != status
	})
	slices.SortStableFunc(members, func(a, b cfclient.Member) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.User.Email), strings.ToLower(b.User.Email)), cmp.Compare(a.ID, b.ID))
	})
	return members
}

// importedMember is the state ImportState leaves for Read: the account, and
// every other attribute null.
func importedMember(acct string) accountMemberModel {
	return accountMemberModel{
		AccountID:        types.StringValue(acct),
		Policies:         types.SetNull(policyObjectType),
		User:             types.ObjectNull(userAttrTypes),
		ResolvedPolicies: types.ListNull(resolvedPolicyObjectType),
	}
}
