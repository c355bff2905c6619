package cfclient

import (
	"context"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// AccountAccess reads what decides who holds what in an account: its members
// (one paged list), its user groups (one paged list) and each group's members
// (one paged list per group).
func (c *Client) AccountAccess(ctx context.Context, accountID string) (catalog.AccountAccess, error) {
	out := catalog.AccountAccess{AccountID: accountID}
	members, err := c.ListMembers(ctx, accountID)
	if err != nil {
		return out, err
	}
	for _, m := range members {
		out.Members = append(out.Members, catalog.AccountMember{ID: m.ID, Accepted: m.Status == "accepted",
			LegacyRoleIDs: m.RoleIDs(), Policies: m.CatalogPolicies()})
	}
	groups, err := c.ListUserGroups(ctx, accountID)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		ids, err := c.ListUserGroupMembers(ctx, accountID, g.ID)
		if err != nil {
			return out, err
		}
		ag := catalog.AccountGroup{ID: g.ID, Name: g.Name, Policies: CatalogPolicies(g.Policies)}
		for _, m := range ids {
			ag.MemberIDs = append(ag.MemberIDs, m.ID)
		}
		out.Groups = append(out.Groups, ag)
	}
	return out, nil
}

// PlannedAccountAccess is AccountAccess read once per Client and account,
// for the plan-time guards: every resource of a plan checks its own change
// against the same reading.
func (c *Client) PlannedAccountAccess(ctx context.Context, accountID string) (catalog.AccountAccess, error) {
	return c.accessReads.do(ctx, accountID, func(ctx context.Context) (catalog.AccountAccess, error) {
		return c.AccountAccess(ctx, accountID)
	})
}

// ReadUserGroupMembership reports whether memberID is in the group, for a
// refresh: from one list of the group's members per Client (one request per
// group, however many memberships name it), as ReadMember does for members;
// a group gone reads as no membership.
func (c *Client) ReadUserGroupMembership(ctx context.Context, accountID, groupID, memberID string) (bool, error) {
	members, err := c.groupMemberReads.do(ctx, accountID+"/"+groupID, func(ctx context.Context) ([]UserGroupMember, error) {
		return c.ListUserGroupMembers(ctx, accountID, groupID)
	})
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, m := range members {
		if strings.EqualFold(m.ID, memberID) {
			return true, nil
		}
	}
	return false, nil
}

// MemberUserGroups returns the user groups memberID is in, with their
// policies: one list of the groups and one of each group's members (the API
// lists no member's groups).
func (c *Client) MemberUserGroups(ctx context.Context, accountID, memberID string) ([]catalog.AccountGroup, error) {
	groups, err := c.ListUserGroups(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var out []catalog.AccountGroup
	for _, g := range groups {
		members, err := c.ListUserGroupMembers(ctx, accountID, g.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if strings.EqualFold(m.ID, memberID) {
				out = append(out, catalog.AccountGroup{ID: g.ID, Name: g.Name, Policies: CatalogPolicies(g.Policies), MemberIDs: []string{m.ID}})
				break
			}
		}
	}
	return out, nil
}

// UserGroupsByMember returns, for every member in at least one user group,
// the groups it is in (with their policies), in the account's order of
// groups: one list of the groups and one of each group's members, however
// many members there are.
func (c *Client) UserGroupsByMember(ctx context.Context, accountID string) (map[string][]catalog.AccountGroup, error) {
	groups, err := c.ListUserGroups(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := map[string][]catalog.AccountGroup{}
	for _, g := range groups {
		members, err := c.ListUserGroupMembers(ctx, accountID, g.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			id := strings.ToLower(m.ID)
			out[id] = append(out[id], catalog.AccountGroup{ID: g.ID, Name: g.Name, Policies: CatalogPolicies(g.Policies), MemberIDs: []string{m.ID}})
		}
	}
	return out, nil
}
