package cfclient

import (
	"context"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// AccountAccess reads what decides who holds what in an account: its members
// (one paged list) and its user groups (UserGroups).
func (c *Client) AccountAccess(ctx context.Context, accountID string) (catalog.AccountAccess, error) {
	out := catalog.AccountAccess{AccountID: accountID}
	members, err := c.ListMembers(ctx, accountID)
	if err != nil {
		return out, err
	}
	for _, m := range members {
		out.Members = append(out.Members, catalog.AccountMember{ID: m.ID, Email: m.User.Email, Accepted: m.Status == "accepted",
			LegacyRoleIDs: m.RoleIDs(), Policies: m.CatalogPolicies()})
	}
	out.Groups, err = c.UserGroups(ctx, accountID)
	return out, err
}

// UserGroups reads the account's user groups with their policies and member
// IDs: one paged list of the groups and one of each group's members (the API
// lists no member's groups). catalog.AccountAccess.GroupsOf picks a member's.
func (c *Client) UserGroups(ctx context.Context, accountID string) ([]catalog.AccountGroup, error) {
	groups, err := c.ListUserGroups(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.AccountGroup, 0, len(groups))
	for _, g := range groups {
		members, err := c.ListUserGroupMembers(ctx, accountID, g.ID)
		if err != nil {
			return nil, err
		}
		ag := catalog.AccountGroup{ID: g.ID, Name: g.Name, Policies: CatalogPolicies(g.Policies)}
		for _, m := range members {
			ag.MemberIDs = append(ag.MemberIDs, m.ID)
		}
		out = append(out, ag)
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

// ReadUserGroupMembers lists a group's members for a refresh: once per
// Client and group, however many resources read them, until this client
// writes them.
func (c *Client) ReadUserGroupMembers(ctx context.Context, accountID, groupID string) ([]UserGroupMember, error) {
	return c.groupMemberReads.do(ctx, accountID+"/"+groupID, func(ctx context.Context) ([]UserGroupMember, error) {
		return c.ListUserGroupMembers(ctx, accountID, groupID)
	})
}

// ReadUserGroupMembership reports whether memberID is in the group, for a
// refresh: from one list of the group's members per Client (one request per
// group, however many memberships name it), as ReadMember does for members;
// a group gone reads as no membership.
func (c *Client) ReadUserGroupMembership(ctx context.Context, accountID, groupID, memberID string) (bool, error) {
	members, err := c.ReadUserGroupMembers(ctx, accountID, groupID)
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
