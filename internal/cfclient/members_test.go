package cfclient_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestMembersAndResourceGroups_roundTrip(t *testing.T) {
	ctx := context.Background()
	c, emu := newTestClient(t, adminConfig(), nil)
	acct := emulator.AccountID

	zoneKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	rg, err := c.CreateResourceGroup(ctx, acct, zoneKey, []string{zoneKey})
	if err != nil {
		t.Fatal(err)
	}
	kind, ids, err := rg.Kind()
	if err != nil || kind != catalog.ScopeZone || len(ids) != 1 || ids[0] != emulator.ZoneExampleCom {
		t.Fatalf("created group kind = %s %v %v", kind, ids, err)
	}
	got, err := c.GetResourceGroup(ctx, acct, rg.ID)
	if err != nil || got.Name != zoneKey || len(got.ObjectKeys()) != 1 {
		t.Fatalf("get resource group: %+v, %v", got, err)
	}

	dns, _ := catalog.Embedded().ResolveRole("Domain DNS", catalog.ScopeZone)
	policies := []cfclient.MemberPolicy{cfclient.NewMemberPolicy("", "allow", []string{dns.ID}, []string{rg.ID})}
	// Where the account refuses a direct add (the emulator's default, as
	// Cloudflare's), the refusal is a typed API error: 400, code 1001.
	_, err = c.CreateMember(ctx, acct, "dev@example.com", "accepted", policies)
	var refused *cfclient.APIError
	if !errors.As(err, &refused) || refused.Status != http.StatusBadRequest || !refused.HasCode(1001) {
		t.Fatalf("a direct add as accepted: %v, want a 400 APIError with code 1001", err)
	}
	emu.SetAllowDirectAdd(true) // an account that allows it
	m, err := c.CreateMember(ctx, acct, "dev@example.com", "accepted", policies)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || m.Status != "accepted" || m.User.Email != "dev@example.com" || len(m.Policies) != 1 || m.Policies[0].ID == "" {
		t.Fatalf("created member: %+v", m)
	}
	state, ok := emu.Member(acct, m.ID)
	if !ok || len(state.Policies) != 1 || state.Policies[0].PermissionGroups[0] != dns.ID || state.Policies[0].ResourceGroups[0] != rg.ID {
		t.Fatalf("emulator holds %+v", state)
	}

	members, err := c.ListMembers(ctx, acct)
	if err != nil || len(members) != 2 {
		t.Fatalf("list members: %d, %v", len(members), err)
	}
	found, err := c.FindMemberByEmail(ctx, acct, "DEV@example.com")
	if err != nil || found == nil || found.ID != m.ID {
		t.Fatalf("find by e-mail: %+v, %v", found, err)
	}

	if err := c.DeleteResourceGroup(ctx, acct, rg.ID); !cfclient.IsConflict(err) {
		t.Fatalf("deleting a group in use must conflict, got %v", err)
	}
	admin, _ := catalog.Embedded().ResolveRole("Administrator", catalog.ScopeAccount)
	upd, err := c.UpdateMemberPolicies(ctx, acct, m.ID, []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{admin.ID}, []string{emulator.AccountResourceGroupID}),
	})
	if err != nil || len(upd.Policies) != 1 || upd.Policies[0].PermissionGroups[0].ID != admin.ID {
		t.Fatalf("update: %+v, %v", upd, err)
	}
	if err := c.DeleteResourceGroup(ctx, acct, rg.ID); err != nil {
		t.Fatalf("deleting an unused group: %v", err)
	}
	if err := c.DeleteMember(ctx, acct, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := emu.Member(acct, m.ID); ok {
		t.Fatal("member still in the emulator after delete")
	}
	if _, err := c.GetMember(ctx, acct, m.ID); !cfclient.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

// Plan-time checks read the account's resource groups once per client; the
// client's own group writes make the next read fetch again.
func TestPlannedResourceGroups_onceUntilOwnWrite(t *testing.T) {
	t.Parallel()
	client, emu := newTestClient(t, adminConfig(), nil)
	ctx := context.Background()
	const route = "GET /accounts/{account_id}/iam/resource_groups"
	lists := func() int { return emu.Stats().ByRoute[route] }
	for range 3 {
		if _, err := client.PlannedResourceGroups(ctx, emulator.AccountID); err != nil {
			t.Fatal(err)
		}
	}
	if n := lists(); n != 1 {
		t.Fatalf("three plan-time reads listed the groups %d times, want 1", n)
	}
	key := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	g, err := client.CreateResourceGroup(ctx, emulator.AccountID, "planned", []string{key})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := client.PlannedResourceGroups(ctx, emulator.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range groups {
		found = found || x.ID == g.ID
	}
	if !found || lists() != 2 {
		t.Fatalf("after this client's create: group listed %v, %d lists (want the new group and 2 lists)", found, lists())
	}
}
