package cfclient_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestUserGroups_roundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, emu := newTestClient(t, adminConfig(), nil)
	emu.SetAllowDirectAdd(true) // its members are added as accepted, as an account that allows it may
	acct := emulator.AccountID
	access, _ := catalog.Embedded().ResolveRole("Cloudflare Access", catalog.ScopeAccount)
	dns, _ := catalog.Embedded().ResolveRole("Domain DNS", catalog.ScopeZone)
	zoneKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	rg, err := c.CreateResourceGroup(ctx, acct, zoneKey, []string{zoneKey})
	if err != nil {
		t.Fatal(err)
	}

	g, err := c.CreateUserGroup(ctx, acct, "platform", []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{dns.ID}, []string{rg.ID}),
	})
	if err != nil {
		t.Fatal(err)
	}
	held, ok := emu.UserGroup(acct, g.ID)
	if !ok || held.Name != "platform" || len(held.Policies) != 1 || held.Policies[0].ResourceGroups[0] != rg.ID {
		t.Fatalf("emulator holds %+v", held)
	}
	if len(g.Policies) != 1 || g.Policies[0].ID != held.Policies[0].ID || g.Policies[0].PermissionGroups[0].ID != dns.ID || g.CreatedOn.IsZero() {
		t.Fatalf("created group: %+v", g)
	}
	// The policy's resource group is read with its objects (scope is one object on the wire).
	if keys := g.Policies[0].ResourceGroups[0].ObjectKeys(); len(keys) != 1 || keys[0] != zoneKey || g.Policies[0].ResourceGroups[0].Name != zoneKey {
		t.Fatalf("policy resource group: %+v", g.Policies[0].ResourceGroups[0])
	}

	got, err := c.GetUserGroup(ctx, acct, g.ID)
	if err != nil || got.Name != "platform" || got.Policies[0].ID != g.Policies[0].ID {
		t.Fatalf("get: %+v, %v", got, err)
	}
	// PUT name and policies; a policy carrying its ID keeps it.
	keep := g.Policies[0].ID
	upd, err := c.UpdateUserGroup(ctx, acct, g.ID, "platform-admins", []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy(keep, "allow", []string{dns.ID}, []string{rg.ID}),
		cfclient.NewMemberPolicy("", "allow", []string{access.ID}, []string{emulator.AccountResourceGroupID}),
	})
	if err != nil || upd.Name != "platform-admins" || len(upd.Policies) != 2 || upd.Policies[0].ID != keep {
		t.Fatalf("update: %+v, %v", upd, err)
	}
	// Policies only: the name stays; a rename only: the policies stay.
	if upd, err = c.UpdateUserGroupPolicies(ctx, acct, g.ID, upd.Policies[1:]); err != nil || upd.Name != "platform-admins" || len(upd.Policies) != 1 {
		t.Fatalf("update policies: %+v, %v", upd, err)
	}
	if upd, err = c.RenameUserGroup(ctx, acct, g.ID, "admins"); err != nil || upd.Name != "admins" || len(upd.Policies) != 1 {
		t.Fatalf("rename: %+v, %v", upd, err)
	}
	if held, _ = emu.UserGroup(acct, g.ID); held.Name != "admins" || held.Policies[0].PermissionGroups[0] != access.ID {
		t.Fatalf("emulator holds %+v", held)
	}

	// Members.
	var ids []string
	for i := 0; i < 3; i++ {
		m, err := c.CreateMember(ctx, acct, fmt.Sprintf("m%d@example.com", i), "accepted", []cfclient.MemberPolicy{
			cfclient.NewMemberPolicy("", "allow", []string{access.ID}, []string{emulator.AccountResourceGroupID})})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if _, err := c.AddUserGroupMembers(ctx, acct, g.ID, ids[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddUserGroupMembers(ctx, acct, g.ID, ids[1:2]); err != nil {
		t.Fatalf("adding a member again: %v", err)
	}
	members, err := c.ListUserGroupMembers(ctx, acct, g.ID)
	if err != nil || len(members) != 2 || members[0].Email != "m0@example.com" || members[0].Status != "accepted" {
		t.Fatalf("members: %+v, %v", members, err)
	}
	if m, err := c.GetUserGroupMember(ctx, acct, g.ID, ids[1]); err != nil || m.ID != ids[1] {
		t.Fatalf("get member: %+v, %v", m, err)
	}
	if _, err := c.GetUserGroupMember(ctx, acct, g.ID, ids[2]); !cfclient.IsNotFound(err) {
		t.Fatalf("a member not in the group must be not found, got %v", err)
	}
	if _, err := c.ReplaceUserGroupMembers(ctx, acct, g.ID, []string{ids[2], ids[0]}); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveUserGroupMember(ctx, acct, g.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveUserGroupMember(ctx, acct, g.ID, ids[0]); !cfclient.IsNotFound(err) {
		t.Fatalf("removing a member not in the group must be not found, got %v", err)
	}
	held, _ = emu.UserGroup(acct, g.ID)
	if len(held.Members) != 1 || held.Members[0].MemberID != ids[2] {
		t.Fatalf("emulator holds members %+v", held.Members)
	}
	if _, err := c.AddUserGroupMembers(ctx, acct, g.ID, []string{"0123456789abcdef0123456789abcdef"}); err == nil || cfclient.IsNotFound(err) {
		t.Fatalf("adding a stranger must be a validation error, got %v", err)
	}

	// Delete.
	if err := c.DeleteUserGroup(ctx, acct, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUserGroup(ctx, acct, g.ID); !cfclient.IsNotFound(err) {
		t.Fatalf("deleted group: %v", err)
	}
	if err := c.DeleteUserGroup(ctx, acct, g.ID); !cfclient.IsNotFound(err) {
		t.Fatalf("deleting again: %v", err)
	}
	if _, err := c.ListUserGroupMembers(ctx, acct, g.ID); !cfclient.IsNotFound(err) {
		t.Fatalf("members of a deleted group: %v", err)
	}
}

// Lists read every page, and names are matched exactly.
func TestUserGroups_listsEveryPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, emu := newTestClient(t, adminConfig(), nil)
	acct := emulator.AccountID
	minimal, _ := catalog.Embedded().ResolveRole("Minimal Account Access", catalog.ScopeAccount)
	for i := 0; i < 53; i++ {
		if _, err := c.CreateUserGroup(ctx, acct, fmt.Sprintf("group-%02d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateUserGroup(ctx, acct, "Group-07", nil); err != nil {
		t.Fatal(err)
	}
	groups, err := c.ListUserGroups(ctx, acct)
	if err != nil || len(groups) != 54 {
		t.Fatalf("list: %d, %v", len(groups), err)
	}
	named, err := c.ListUserGroupsByName(ctx, acct, "group-07")
	if err != nil || len(named) != 1 || named[0].Name != "group-07" {
		t.Fatalf("by name: %+v, %v", named, err)
	}
	var ids []string
	for i := 0; i < 52; i++ {
		m, err := c.CreateMember(ctx, acct, fmt.Sprintf("p%02d@example.com", i), "pending", []cfclient.MemberPolicy{
			cfclient.NewMemberPolicy("", "allow", []string{minimal.ID}, []string{emulator.AccountResourceGroupID})})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if _, err := c.ReplaceUserGroupMembers(ctx, acct, groups[0].ID, ids); err != nil {
		t.Fatal(err)
	}
	before := emu.Stats().ByRoute["GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"]
	members, err := c.ListUserGroupMembers(ctx, acct, groups[0].ID)
	if err != nil || len(members) != 52 {
		t.Fatalf("members: %d, %v", len(members), err)
	}
	if n := emu.Stats().ByRoute["GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"] - before; n != 2 {
		t.Errorf("listing 52 members took %d requests, want 2 pages", n)
	}
	got := make([]string, len(members))
	for i, m := range members {
		got[i] = m.ID
	}
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Errorf("members listed differ from those set")
	}
}
