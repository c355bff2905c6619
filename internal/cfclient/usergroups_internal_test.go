package cfclient

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// A user group POST that reached the server but whose answer was lost is
// found by reading back, not made twice; one that did not reach it is made once.
func TestCreateUserGroup_unknownOutcomeReadsBack(t *testing.T) {
	access, _ := catalog.Embedded().ResolveRole("Cloudflare Access", catalog.ScopeAccount)
	policies := []MemberPolicy{NewMemberPolicy("", "allow", []string{access.ID}, []string{emulator.AccountResourceGroupID})}
	for _, afterNext := range []bool{true, false} {
		emu := emulator.New()
		f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway, afterNext: afterNext}
		c, _ := newRetryClient(t, f, 4, time.Second)
		g, err := c.CreateUserGroup(t.Context(), emulator.AccountID, "platform", policies)
		if err != nil {
			t.Fatalf("afterNext=%v: %v", afterNext, err)
		}
		held := emu.UserGroups(emulator.AccountID)
		if len(held) != 1 || held[0].ID != g.ID {
			t.Fatalf("afterNext=%v: emulator holds %+v, returned %s", afterNext, held, g.ID)
		}
	}
}

// A same-named group with other policies is not taken for the one made.
func TestCreateUserGroup_readBackMatchesPolicies(t *testing.T) {
	access, _ := catalog.Embedded().ResolveRole("Cloudflare Access", catalog.ScopeAccount)
	emu := emulator.New()
	f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway}
	c, _ := newRetryClient(t, f, 4, time.Second)
	f.n = 0
	other, err := c.CreateUserGroup(t.Context(), emulator.AccountID, "platform", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.n, f.afterNext = 2, false
	f.seen.Store(0)
	g, err := c.CreateUserGroup(t.Context(), emulator.AccountID, "platform",
		[]MemberPolicy{NewMemberPolicy("", "allow", []string{access.ID}, []string{emulator.AccountResourceGroupID})})
	if err != nil {
		t.Fatal(err)
	}
	if g.ID == other.ID || len(emu.UserGroups(emulator.AccountID)) != 2 {
		t.Fatalf("took the other group %s for the one to make", other.ID)
	}
}

// A members POST whose answer was lost is settled by reading the members
// back: the add is not repeated when it took effect, and is when it did not.
func TestAddUserGroupMembers_unknownOutcomeReadsBack(t *testing.T) {
	for _, afterNext := range []bool{true, false} {
		emu := emulator.New()
		setup, _ := newRetryClient(t, emu, 0, time.Second)
		g, err := setup.CreateUserGroup(t.Context(), emulator.AccountID, "g", nil)
		if err != nil {
			t.Fatal(err)
		}
		f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway, afterNext: afterNext}
		c, _ := newRetryClient(t, f, 4, time.Second)
		if _, err := c.AddUserGroupMembers(t.Context(), emulator.AccountID, g.ID, []string{emulator.AdminMemberID}); err != nil {
			t.Fatalf("afterNext=%v: %v", afterNext, err)
		}
		held, _ := emu.UserGroup(emulator.AccountID, g.ID)
		if len(held.Members) != 1 || held.Members[0].MemberID != emulator.AdminMemberID {
			t.Fatalf("afterNext=%v: members %+v", afterNext, held.Members)
		}
		want := int32(2) // the failed POST and one more
		if afterNext {
			want = 1 // settled by the read-back
		}
		if got := f.seen.Load(); got != want {
			t.Errorf("afterNext=%v: %d POSTs, want %d", afterNext, got, want)
		}
	}
}

// A policy's resource group scope is read whether the API sends one object
// (cloudflare-go v7's UserGroup types) or a list (as in member policies).
func TestUserGroup_scopeObjectOrList(t *testing.T) {
	key := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	acctKey := catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID)
	for _, scope := range []string{
		`{"key": "` + acctKey + `", "objects": [{"key": "` + key + `"}]}`,
		`[{"key": "` + acctKey + `", "objects": [{"key": "` + key + `"}]}]`,
	} {
		var g UserGroup
		doc := `{"id": "g", "name": "n", "created_on": "2024-01-02T03:04:05Z", "modified_on": "2024-01-02T03:04:05Z",
			"policies": [{"id": "p", "access": "allow", "permission_groups": [{"id": "pg"}], "resource_groups": [{"id": "rg", "name": "r", "scope": ` + scope + `}]}]}`
		if err := json.Unmarshal([]byte(doc), &g); err != nil {
			t.Fatalf("%s: %v", scope, err)
		}
		p := g.Policies[0]
		if g.ID != "g" || p.ID != "p" || p.PermissionGroups[0].ID != "pg" || p.ResourceGroups[0].ID != "rg" ||
			len(p.ResourceGroups[0].ObjectKeys()) != 1 || p.ResourceGroups[0].ObjectKeys()[0] != key || g.CreatedOn.IsZero() {
			t.Fatalf("%s: %+v", scope, g)
		}
	}
}
