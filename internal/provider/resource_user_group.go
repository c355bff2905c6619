package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// cfiam_user_group: a policy holder (resource_policy_holder.go) whose
// principal is a user group: every member of the group holds its policies.
// What only a group has is its name, renamed in place.

// NewUserGroupResource returns the cfiam_user_group resource.
func NewUserGroupResource() resource.Resource { return &userGroupResource{} }

// newUserGroupListResource returns its list resource.
func newUserGroupListResource() list.ListResource { return &userGroupResource{} }

type userGroupResource struct {
	holderResource[userGroupModel, *cfclient.UserGroup, groupHolder]
}

// groupHolder is cfiam_user_group's kind of policy holder.
type groupHolder struct{}

type userGroupModel struct {
	ID                           types.String `tfsdk:"id"`
	AccountID                    types.String `tfsdk:"account_id"`
	Name                         types.String `tfsdk:"name"`
	Policies                     types.Set    `tfsdk:"policies"`
	ResolvedPolicies             types.List   `tfsdk:"resolved_policies"`
	AllowRemovingLastSuperAdmins types.Bool   `tfsdk:"allow_removing_last_super_administrator"`
}

// userGroupIdentity identifies a cfiam_user_group (Terraform 1.12 and later): see identity.go.
var userGroupIdentity = identityFields{accountIdentityField, {name: "id", description: "ID of the user group."}}

var groupWords = holderWords{
	typeSuffix: "_user_group",
	description: "A user group and the policies it holds: every member of the group holds them too. The policies take " +
		"exactly the shape and the checks of `cfiam_account_member`'s: roles at account scope, domain roles on chosen zones, " +
		"resource-scoped roles on chosen Cloudflare Tunnels, checked against their policy's scope at `terraform validate` and " +
		"`terraform plan`. The provider creates and reuses the resource groups that zone and Tunnel scopes need, shared with " +
		"members, and deletes the ones no policy uses any more.\n\n" +
		"The group's members are managed by `cfiam_user_group_members` (all of them) or `cfiam_user_group_membership` (one at a time).",
	identity: userGroupIdentity,
	id:       "User group ID.",
	owner:    "the group",
	policies: "The group's policies, held by every member of the group.",
	allowRemoving: "Set to `true` to allow a change (or a destroy) that leaves the account without an accepted Super Administrator " +
		"because this group's members held it through the group. Without it, such a plan fails.",
	checking:    "checking the group's roles",
	grantee:     policy.GranteeGroup,
	importRefs:  "group_id or name",
	importForms: "<account_id>/<group_id> or <account_id>/<name>",
	removing:    "deleting",
	creating:    "creating user group %q in account %s",
	reading:     "reading user group %s of account %s",
	updating:    "updating user group %s of account %s",
	deleting:    "deleting user group %s of account %s",
}

func (groupHolder) words() *holderWords { return &groupWords }

func (groupHolder) fields(m *userGroupModel) holderFields {
	return holderFields{id: &m.ID, accountID: &m.AccountID, policies: &m.Policies, resolved: &m.ResolvedPolicies}
}

func (groupHolder) attributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the group, unique in the account. Changing it renames the group in place.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
		},
	}
}

func (groupHolder) name(m *userGroupModel) string { return m.Name.ValueString() }

func (groupHolder) create(ctx context.Context, d *providerData, m *userGroupModel, acct string, policies []cfclient.MemberPolicy) (*cfclient.UserGroup, error) {
	return d.client.CreateUserGroup(ctx, acct, m.Name.ValueString(), policies)
}

func (groupHolder) createError(d *providerData, err error, _ *userGroupModel, _, operation string) diag.Diagnostic {
	return apiErrorDiagnostic(d.auth, operation, err)
}

func (groupHolder) read(ctx context.Context, d *providerData, acct, id string) (*cfclient.UserGroup, error) {
	return d.client.ReadUserGroup(ctx, acct, id)
}

func (groupHolder) holder(d *providerData, acct, id string) iampolicy.Holder[*cfclient.UserGroup] {
	return d.policies.UserGroup(acct, id)
}

// update renames the group when the plan names it otherwise: writing the
// policies leaves the name as it is.
func (groupHolder) update(ctx context.Context, d *providerData, m *userGroupModel, written *cfclient.UserGroup) (*cfclient.UserGroup, error) {
	if written.Name == m.Name.ValueString() {
		return written, nil
	}
	return d.client.RenameUserGroup(ctx, m.AccountID.ValueString(), m.ID.ValueString(), m.Name.ValueString())
}

// setOwn writes the API's group, but for its ID and policies, into the model.
func (groupHolder) setOwn(m *userGroupModel, api *cfclient.UserGroup) (string, []cfclient.MemberPolicy, diag.Diagnostics) {
	m.Name = types.StringValue(api.Name)
	return api.ID, api.Policies, nil
}

// guard fails a plan that takes the account's last Super Administrator from
// the group's members: a destroy, or a change of the group's policies.
func (groupHolder) guard(ctx context.Context, d *providerData, state, plan *userGroupModel, diags *diag.Diagnostics) {
	acct, id := state.AccountID.ValueString(), state.ID.ValueString()
	switch {
	case plan == nil && !state.AllowRemovingLastSuperAdmins.ValueBool():
		d.guardSuperAdministrators(ctx, acct, "Destroying this group removes", path.Root("policies"), diags,
			func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithoutGroup(id) })
	case plan != nil && !plan.Policies.Equal(state.Policies) && !plan.AllowRemovingLastSuperAdmins.ValueBool():
		d.guardPlannedGroupPolicies(ctx, plan.AccountID.ValueString(), id, plan.Policies, diags)
	}
}

// importedID takes a group ID or a group's name.
func (groupHolder) importedID(ctx context.Context, d *providerData, acct, ref, given string, diags *diag.Diagnostics) (string, bool) {
	id, err := d.userGroupID(ctx, acct, ref)
	var apiErr *cfclient.APIError
	switch {
	case errors.As(err, &apiErr):
		diags.Append(apiErrorDiagnostic(d.auth, "importing cfiam_user_group "+given, err))
		return "", false
	case err != nil:
		diags.AddError("No such user group", err.Error())
		return "", false
	}
	return id, true
}

// guardPlannedGroupPolicies fails a change of a group's policies that would
// take the account's last Super Administrator from the group's members.
func (d *providerData) guardPlannedGroupPolicies(ctx context.Context, acct, groupID string, planned types.Set, diags *diag.Diagnostics) {
	cat, _, more := d.catalog(ctx, acct, true, "checking Super Administrators")
	if more.HasError() {
		diags.Append(more...)
		return
	}
	after := plannedAccountPolicies(cat, acct, planned)
	d.guardSuperAdministrators(ctx, acct, "This change of the group's policies removes", path.Root("policies"), diags,
		func(a catalog.AccountAccess) catalog.AccountAccess { return a.WithGroupPolicies(groupID, after) })
}

// userGroupID finds a group by ID or by name: a name must be the account's
// only group of that name.
func (d *providerData) userGroupID(ctx context.Context, acct, ref string) (string, error) {
	if catalog.HexIDPattern.MatchString(ref) {
		return ref, nil
	}
	groups, err := d.client.ListUserGroupsByName(ctx, acct, ref)
	switch {
	case err != nil:
		return "", err
	case len(groups) == 0:
		return "", fmt.Errorf("account %s has no user group named %q", acct, ref)
	case len(groups) > 1:
		ids := make([]string, len(groups))
		for i, g := range groups {
			ids[i] = g.ID
		}
		return "", fmt.Errorf("account %s has %d user groups named %q (%s): name the group by its ID instead", acct, len(groups), ref, strings.Join(ids, ", "))
	}
	return groups[0].ID, nil
}

// --- list resource ---

type userGroupListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Name      types.String `tfsdk:"name"`
}

func (r *userGroupResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the user groups of an account for `terraform query` (Terraform 1.14 and later), each with its policies: " +
			"roles by name, every scope. The groups' members are not listed: manage them with `cfiam_user_group_members`. " +
			"One paged list of the account's user groups, and its role catalog.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listAccountAttribute("user groups"),
			"name":       listNameAttribute("user groups", "Sent to the API as its `name` filter."),
		},
	}
}

func (r *userGroupResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg userGroupListModel
	acct, ok := listQuery(ctx, r.data, req, &cfg, "cfiam_user_group", func() string { return cfg.AccountID.ValueString() }, stream)
	if !ok {
		return
	}
	operation := "listing the user groups of account " + acct
	var groups []cfclient.UserGroup
	var err error
	if name := cfg.Name.ValueString(); name != "" {
		groups, err = r.data.client.ListUserGroupsByName(ctx, acct, name)
	} else {
		groups, err = r.data.client.ListUserGroups(ctx, acct)
	}
	if err != nil {
		listFailed(stream, apiErrorDiagnostic(r.data.auth, operation, err))
		return
	}
	cat, _, diags := r.data.catalog(ctx, acct, true, operation)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	slices.SortStableFunc(groups, func(a, b cfclient.UserGroup) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	objects := make([]listed, 0, len(groups))
	for i := range groups {
		m := userGroupModel{
			AccountID:        types.StringValue(acct),
			ResolvedPolicies: types.ListNull(resolvedPolicyObjectType),
		}
		d := r.setFromAPI(&m, &groups[i], nil, cat)
		objects = append(objects, listed{display: groups[i].Name, model: &m, diags: d})
	}
	stream.Results = listResults(ctx, req, userGroupIdentity, objects)
}
