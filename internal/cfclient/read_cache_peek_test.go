package cfclient_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// MemberAsRead answers what this client's refresh reads found, without a
// request, and nothing for a member it has not read or has written since.
func TestMemberAsRead_answersWhatTheReadsFound(t *testing.T) {
	ctx := context.Background()
	emu, newClient := readCacheEnv(t)
	setup := newClient()
	var ids []string
	for i := range 3 {
		m, err := setup.CreateMember(ctx, emulator.AccountID, fmt.Sprintf("peek%d@example.com", i), "", analyticsPolicy())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	c := newClient()
	if _, ok := c.MemberAsRead(emulator.AccountID, ids[0]); ok {
		t.Fatal("a member not read yet was answered")
	}
	if _, err := c.ReadMember(ctx, emulator.AccountID, ids[0]); err != nil { // the first read: a GET
		t.Fatal(err)
	}
	if _, err := c.ReadMember(ctx, emulator.AccountID, ids[1]); err != nil { // the second: the list
		t.Fatal(err)
	}
	before := emu.Stats().Requests
	for _, id := range ids { // ids[2]: in the list, though not read itself
		m, ok := c.MemberAsRead(emulator.AccountID, id)
		if !ok || m.ID != id || len(m.Policies) != 1 || m.Policies[0].ResourceGroups[0].ID != emulator.AccountResourceGroupID {
			t.Errorf("MemberAsRead(%s) = %+v, %v; want the member with its account-wide policy", id, m, ok)
		}
	}
	if _, ok := c.MemberAsRead(emulator.AccountID, "0123456789abcdef0123456789abcdef"); ok {
		t.Error("a member the account does not have was answered")
	}
	if n := emu.Stats().Requests - before; n != 0 {
		t.Errorf("MemberAsRead sent %d requests, want none", n)
	}
	if _, err := c.UpdateMemberPolicies(ctx, emulator.AccountID, ids[1], analyticsPolicy()); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.MemberAsRead(emulator.AccountID, ids[1]); ok {
		t.Error("a member this client wrote was answered from what it read before")
	}
}
