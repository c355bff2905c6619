package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// User groups (/accounts/{id}/iam/user_groups) travel as raw JSON through the
// SDK's generic methods, as members do: their policies have a member's shape
// (MemberPolicy) and keep their IDs across updates.

// UserGroup is an IAM user group: policies of a member's shape, held by every
// member of the group.
type UserGroup struct {
	ID         string
	Name       string
	CreatedOn  time.Time
	ModifiedOn time.Time
	Policies   []MemberPolicy
}

// UserGroupMember is a member as a user group lists it.
type UserGroupMember struct {
	ID     string `json:"id"`
	Email  string `json:"email"`
	Status string `json:"status"`
}

// userGroupWire is a user group as the API sends it. cloudflare-go v7 types a
// group policy's resource group `scope` as one object where member policies
// carry a list; either is read.
type userGroupWire struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CreatedOn  time.Time `json:"created_on"`
	ModifiedOn time.Time `json:"modified_on"`
	Policies   []struct {
		ID               string  `json:"id"`
		Access           string  `json:"access"`
		PermissionGroups []IDRef `json:"permission_groups"`
		ResourceGroups   []struct {
			ID    string         `json:"id"`
			Name  string         `json:"name"`
			Scope ResourceScopes `json:"scope"`
		} `json:"resource_groups"`
	} `json:"policies"`
}

// UnmarshalJSON reads a user group as the API sends it.
func (g *UserGroup) UnmarshalJSON(b []byte) error {
	var w userGroupWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = UserGroup{ID: w.ID, Name: w.Name, CreatedOn: w.CreatedOn, ModifiedOn: w.ModifiedOn, Policies: []MemberPolicy{}}
	for _, p := range w.Policies {
		mp := MemberPolicy{ID: p.ID, Access: p.Access, PermissionGroups: p.PermissionGroups, ResourceGroups: []RGRef{}}
		if mp.PermissionGroups == nil {
			mp.PermissionGroups = []IDRef{}
		}
		for _, rg := range p.ResourceGroups {
			mp.ResourceGroups = append(mp.ResourceGroups, RGRef{ID: rg.ID, Name: rg.Name, Scope: rg.Scope})
		}
		g.Policies = append(g.Policies, mp)
	}
	return nil
}

func userGroupsPath(accountID string) string {
	return "accounts/" + url.PathEscape(accountID) + "/iam/user_groups"
}

func userGroupPath(accountID, groupID string) string {
	return userGroupsPath(accountID) + "/" + url.PathEscape(groupID)
}

// userGroupsPerPage is the API's maximum page size for user groups and their members.
const userGroupsPerPage = 50

// listPages reads every page of a list, 50 a page, with the query's filters.
func listPages[T any](ctx context.Context, c *Client, path string, filters url.Values) ([]T, error) {
	out := []T{}
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(userGroupsPerPage)}}
		for k, v := range filters {
			q[k] = v
		}
		var env envelope[[]T]
		if err := c.sdk.Get(ctx, path+"?"+q.Encode(), nil, &env); err != nil {
			return nil, err
		}
		out = append(out, env.Result...)
		if len(env.Result) < userGroupsPerPage || env.ResultInfo.TotalPages > 0 && page >= env.ResultInfo.TotalPages {
			return out, nil
		}
	}
}

// ListUserGroups returns every user group of the account, 50 a page.
func (c *Client) ListUserGroups(ctx context.Context, accountID string) ([]UserGroup, error) {
	groups, err := listPages[UserGroup](ctx, c, userGroupsPath(accountID), nil)
	if err != nil {
		return nil, wrapError(err, "listing user groups of account %s", accountID)
	}
	return groups, nil
}

// ListUserGroupsByName returns the user groups with exactly that name (names
// are not unique: there may be several, or none), with the API's name filter.
func (c *Client) ListUserGroupsByName(ctx context.Context, accountID, name string) ([]UserGroup, error) {
	groups, err := listPages[UserGroup](ctx, c, userGroupsPath(accountID), url.Values{"name": {name}})
	if err != nil {
		return nil, wrapError(err, "listing user groups named %q in account %s", name, accountID)
	}
	// The filter is the API's; the exact match is ours.
	return slices.DeleteFunc(groups, func(g UserGroup) bool { return g.Name != name }), nil
}

// GetUserGroup returns one user group.
func (c *Client) GetUserGroup(ctx context.Context, accountID, groupID string) (*UserGroup, error) {
	var env envelope[UserGroup]
	if err := c.sdk.Get(ctx, userGroupPath(accountID, groupID), nil, &env); err != nil {
		return nil, wrapError(err, "reading user group %s of account %s", groupID, accountID)
	}
	return &env.Result, nil
}

// CreateUserGroup creates a user group with policies. When the outcome of the
// POST is unknown (a 5xx or a broken connection after it was sent), it reads
// back: a group of this name with these policies is the one it made (names
// are not unique, so both must match); only if there is none does it try
// again.
func (c *Client) CreateUserGroup(ctx context.Context, accountID, name string, policies []MemberPolicy) (*UserGroup, error) {
	return createOnce(ctx, c, func() (*UserGroup, error) { return c.createUserGroup(ctx, accountID, name, policies) },
		func() (*UserGroup, bool, error) {
			settleCtx, cancel := SettleContext(ctx)
			found, err := c.ListUserGroupsByName(settleCtx, accountID, name)
			cancel()
			if err != nil {
				return nil, false, err
			}
			for i := range found {
				if samePolicies(found[i].Policies, policies) {
					return &found[i], true, nil
				}
			}
			return nil, false, nil
		})
}

func (c *Client) createUserGroup(ctx context.Context, accountID, name string, policies []MemberPolicy) (*UserGroup, error) {
	body := map[string]any{"name": name, "policies": sendablePolicies(policies)}
	var env envelope[UserGroup]
	if err := c.sdk.Post(ctx, userGroupsPath(accountID), body, &env); err != nil {
		return nil, wrapError(err, "creating user group %q in account %s", name, accountID)
	}
	c.groups.markDirty(accountID, env.Result.ID)
	return &env.Result, nil
}

// samePolicies: do two policy lists grant the same (access, permission
// groups, resource groups), whatever their IDs and order?
func samePolicies(a, b []MemberPolicy) bool {
	key := func(ps []MemberPolicy) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			pgs, rgs := p.PermissionGroupIDs(), p.ResourceGroupIDs()
			slices.Sort(pgs)
			slices.Sort(rgs)
			out[i] = fmt.Sprint(p.Access, pgs, rgs)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// UpdateUserGroup replaces a user group's name and policies (PUT). Policies
// that carry an ID keep it.
func (c *Client) UpdateUserGroup(ctx context.Context, accountID, groupID, name string, policies []MemberPolicy) (*UserGroup, error) {
	return c.putUserGroup(ctx, accountID, groupID, map[string]any{"name": name, "policies": sendablePolicies(policies)})
}

// UpdateUserGroupPolicies replaces a user group's policies and leaves its
// name as it is (PUT without a name): the write of iampolicy's UserGroup
// holder, which must not undo a rename it did not read.
func (c *Client) UpdateUserGroupPolicies(ctx context.Context, accountID, groupID string, policies []MemberPolicy) (*UserGroup, error) {
	return c.putUserGroup(ctx, accountID, groupID, map[string]any{"policies": sendablePolicies(policies)})
}

// RenameUserGroup changes a user group's name and leaves its policies as they are.
func (c *Client) RenameUserGroup(ctx context.Context, accountID, groupID, name string) (*UserGroup, error) {
	return c.putUserGroup(ctx, accountID, groupID, map[string]any{"name": name})
}

func (c *Client) putUserGroup(ctx context.Context, accountID, groupID string, body map[string]any) (*UserGroup, error) {
	c.groups.markDirty(accountID, groupID)
	var env envelope[UserGroup]
	if err := c.sdk.Put(ctx, userGroupPath(accountID, groupID), body, &env); err != nil {
		return nil, wrapError(err, "updating user group %s of account %s", groupID, accountID)
	}
	return &env.Result, nil
}

// DeleteUserGroup deletes a user group (its memberships go with it).
func (c *Client) DeleteUserGroup(ctx context.Context, accountID, groupID string) error {
	c.groups.markDirty(accountID, groupID)
	var env envelope[map[string]any]
	if err := c.sdk.Delete(ctx, userGroupPath(accountID, groupID), nil, &env); err != nil {
		return wrapError(err, "deleting user group %s of account %s", groupID, accountID)
	}
	return nil
}

// ListUserGroupMembers returns every member of a user group, 50 a page.
func (c *Client) ListUserGroupMembers(ctx context.Context, accountID, groupID string) ([]UserGroupMember, error) {
	members, err := listPages[UserGroupMember](ctx, c, userGroupPath(accountID, groupID)+"/members", nil)
	if err != nil {
		return nil, wrapError(err, "listing the members of user group %s of account %s", groupID, accountID)
	}
	return members, nil
}

// memberRefs is the body of POST and PUT .../members: a bare JSON array.
func memberRefs(memberIDs []string) []IDRef {
	out := make([]IDRef, len(memberIDs))
	for i, id := range memberIDs {
		out[i] = IDRef{ID: id}
	}
	return out
}

// AddUserGroupMembers adds members to a user group, keeping the others; a
// member already in it stays (the API's add is idempotent). When the outcome
// of the POST is unknown, it reads the group's members back: if every one is
// there, the add took effect; otherwise it tries again.
func (c *Client) AddUserGroupMembers(ctx context.Context, accountID, groupID string, memberIDs []string) ([]UserGroupMember, error) {
	defer c.groupMemberReads.forget(accountID + "/" + groupID)
	return createOnce(ctx, c, func() ([]UserGroupMember, error) {
		var env envelope[[]UserGroupMember]
		if err := c.sdk.Post(ctx, userGroupPath(accountID, groupID)+"/members", memberRefs(memberIDs), &env); err != nil {
			return nil, wrapError(err, "adding members to user group %s of account %s", groupID, accountID)
		}
		return env.Result, nil
	}, func() ([]UserGroupMember, bool, error) {
		settleCtx, cancel := SettleContext(ctx)
		members, err := c.ListUserGroupMembers(settleCtx, accountID, groupID)
		cancel()
		return members, err == nil && containsMembers(members, memberIDs), err
	})
}

func containsMembers(members []UserGroupMember, ids []string) bool {
	for _, id := range ids {
		if !slices.ContainsFunc(members, func(m UserGroupMember) bool { return m.ID == id }) {
			return false
		}
	}
	return true
}

// ReplaceUserGroupMembers makes the group's members exactly these (PUT; an
// empty list empties the group).
func (c *Client) ReplaceUserGroupMembers(ctx context.Context, accountID, groupID string, memberIDs []string) ([]UserGroupMember, error) {
	defer c.groupMemberReads.forget(accountID + "/" + groupID)
	var env envelope[[]UserGroupMember]
	if err := c.sdk.Put(ctx, userGroupPath(accountID, groupID)+"/members", memberRefs(memberIDs), &env); err != nil {
		return nil, wrapError(err, "setting the members of user group %s of account %s", groupID, accountID)
	}
	return env.Result, nil
}

// GetUserGroupMember returns one member of a user group; a member not in the
// group (or a group that is gone) is an error for which IsNotFound is true.
func (c *Client) GetUserGroupMember(ctx context.Context, accountID, groupID, memberID string) (*UserGroupMember, error) {
	var env envelope[UserGroupMember]
	if err := c.sdk.Get(ctx, userGroupPath(accountID, groupID)+"/members/"+url.PathEscape(memberID), nil, &env); err != nil {
		return nil, wrapError(err, "reading member %s of user group %s of account %s", memberID, groupID, accountID)
	}
	return &env.Result, nil
}

// RemoveUserGroupMember removes one member from a user group.
func (c *Client) RemoveUserGroupMember(ctx context.Context, accountID, groupID, memberID string) error {
	defer c.groupMemberReads.forget(accountID + "/" + groupID)
	var env envelope[map[string]any]
	if err := c.sdk.Delete(ctx, userGroupPath(accountID, groupID)+"/members/"+url.PathEscape(memberID), nil, &env); err != nil {
		return wrapError(err, "removing member %s from user group %s of account %s", memberID, groupID, accountID)
	}
	return nil
}
