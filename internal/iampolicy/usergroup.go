package iampolicy

import (
	"context"
	"slices"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// UserGroup is the holder of a user group's policies. Its policies use the
// same provider-made resource groups as members' (MemberGroups: one per zone
// or Tunnel, named by its resource key), so Update, Create and Delete work
// for groups exactly as for members, and a resource group shared by a member
// and a group is cleaned up only when neither uses it: the clean-up's delete
// is refused (409) while any holder's policy, a member's or a group's, still
// uses it, and that refusal is what keeps it.
type UserGroup struct {
	client           *cfclient.Client
	accountID, group string
}

// UserGroup returns the holder of a user group's policies.
func (u *Updater) UserGroup(accountID, groupID string) UserGroup {
	return UserGroup{client: u.client, accountID: accountID, group: groupID}
}

var _ Holder[*cfclient.UserGroup] = UserGroup{}

// LockKey is account/group:<id>: one slash, as every holder's, and apart
// from members' keys (account/<member id>) even if the IDs were equal.
func (g UserGroup) LockKey() string { return g.accountID + "/group:" + g.group }

// AccountID is the group's account.
func (g UserGroup) AccountID() string { return g.accountID }

func (g UserGroup) String() string { return "user group " + g.group }

// Get reads the group.
func (g UserGroup) Get(ctx context.Context) (*cfclient.UserGroup, error) {
	return g.client.GetUserGroup(ctx, g.accountID, g.group)
}

// Set replaces the group's policies, leaving its name as it is.
func (g UserGroup) Set(ctx context.Context, policies []cfclient.MemberPolicy) (*cfclient.UserGroup, error) {
	return g.client.UpdateUserGroupPolicies(ctx, g.accountID, g.group, policies)
}

// Delete deletes the group (its memberships go with it).
func (g UserGroup) Delete(ctx context.Context) error {
	return g.client.DeleteUserGroup(ctx, g.accountID, g.group)
}

// Policies returns the group's policies.
func (UserGroup) Policies(x *cfclient.UserGroup) []cfclient.MemberPolicy { return x.Policies }

// --- membership ---
//
// Who is in a group is written two ways, as policies are: authoritatively
// (SetUserGroupMembers: exactly these members, the future
// cfiam_user_group_members) and additively (AddUserGroupMember and
// RemoveUserGroupMember: one member, never touching others, the future
// cfiam_user_group_membership). Each holds the group's membership lock,
// account/group-members:<id>, for its read and its write, so that writers of
// one group in one provider instance never interleave.
//
// That lock is not the group's policy lock (LockKey): a group's policies
// (PUT of the group) and its members (the .../members routes) are separate
// objects in the API, neither write carries the other, so a policy write and
// a membership write cannot undo each other and need not wait for each other.
// Across processes no lock helps: the additive writers use only the API's
// own add (POST, which keeps every other member) and remove (DELETE of one),
// never a read-modify-write of the whole list, so two workspaces adding
// members to one group lose nothing; only the authoritative writer replaces
// the whole list, which is why the two must not be combined on one group.

func membershipLockKey(accountID, groupID string) string {
	return accountID + "/group-members:" + groupID
}

// SetUserGroupMembers makes the group's members exactly memberIDs. Under the
// group's membership lock it reads the members and writes (PUT) only if they
// differ; it returns the members after.
func (u *Updater) SetUserGroupMembers(ctx context.Context, accountID, groupID string, memberIDs []string) ([]cfclient.UserGroupMember, error) {
	defer u.locks.lock(membershipLockKey(accountID, groupID))()
	current, err := u.client.ListUserGroupMembers(ctx, accountID, groupID)
	if err != nil {
		return nil, err
	}
	if sameMemberSet(current, memberIDs) {
		return current, nil
	}
	return u.client.ReplaceUserGroupMembers(ctx, accountID, groupID, uniqueIDs(memberIDs))
}

// AddUserGroupMember puts one member in the group, keeping every other. Under
// the group's membership lock it reads whether the member is in already, and
// adds it only if not. A group that is gone is an error for which
// cfclient.IsNotFound is true.
func (u *Updater) AddUserGroupMember(ctx context.Context, accountID, groupID, memberID string) error {
	defer u.locks.lock(membershipLockKey(accountID, groupID))()
	_, err := u.client.GetUserGroupMember(ctx, accountID, groupID, memberID)
	if err == nil {
		return nil
	}
	if !cfclient.IsNotFound(err) {
		return err
	}
	_, err = u.client.AddUserGroupMembers(ctx, accountID, groupID, []string{memberID})
	return err
}

// RemoveUserGroupMember takes one member out of the group, keeping every
// other, under the group's membership lock. A member no longer in the group,
// or a group that is gone, is not an error: what the removal wants holds.
// It needs no read first: the API's removal of one member is the whole
// change, and its 404 says the member was not there.
func (u *Updater) RemoveUserGroupMember(ctx context.Context, accountID, groupID, memberID string) error {
	defer u.locks.lock(membershipLockKey(accountID, groupID))()
	err := u.client.RemoveUserGroupMember(ctx, accountID, groupID, memberID)
	if cfclient.IsNotFound(err) {
		return nil
	}
	return err
}

func uniqueIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func sameMemberSet(members []cfclient.UserGroupMember, ids []string) bool {
	have := make([]string, len(members))
	for i, m := range members {
		have[i] = m.ID
	}
	want := uniqueIDs(ids)
	slices.Sort(have)
	slices.Sort(want)
	return slices.Equal(have, want)
}
