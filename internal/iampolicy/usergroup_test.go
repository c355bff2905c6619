package iampolicy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// createGroup makes a user group with policies through the updater.
func (e *env) createGroup(name string, specs ...policy.MemberSpec) *cfclient.UserGroup {
	e.t.Helper()
	return created(e, "group "+name, specs, func(ctx context.Context, ps []cfclient.MemberPolicy) (*cfclient.UserGroup, error) {
		return e.client.CreateUserGroup(ctx, acct, name, ps)
	})
}

// groupPolicies reads a user group's policies from the emulator, as
// policies() reads a member's.
func (e *env) groupPolicies(groupID string) map[string]string {
	e.t.Helper()
	g, ok := e.emu.UserGroup(acct, groupID)
	if !ok {
		e.t.Fatalf("user group %s not in the emulator", groupID)
	}
	return e.described(g.Policies)
}

// A group's policies are written as a member's: the same implicit resource
// groups (shared with members), the same IDs kept, the name left alone.
func TestUserGroup_holderCreateUpdateDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	comKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	m := e.create("m@example.com", dnsOn(t, emulator.ZoneExampleCom))
	g := e.createGroup("platform", accountRO(t), dnsOn(t, emulator.ZoneExampleCom))
	want := []string{describe(accountRO(t), "") + e.accountGroupName(), describe(dnsOn(t, emulator.ZoneExampleCom), "")}
	sort.Strings(want)
	if got := values(e.groupPolicies(g.ID)); !slices.Equal(got, want) {
		t.Fatalf("created group:\n got  %q\n want %q", got, want)
	}
	// One resource group for example.com, the member's and the group's.
	count := 0
	for _, name := range e.groupNames() {
		if name == comKey {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("%d groups named %s, want 1 shared by the member and the group: %q", count, comKey, e.groupNames())
	}
	if e.policies(m.ID)[m.Policies[0].ID] != describe(dnsOn(t, emulator.ZoneExampleCom), "") {
		t.Fatalf("member: %v", e.policies(m.ID))
	}

	// Authoritative update: the unchanged spec keeps its policy ID; the name stays.
	if _, err := e.client.RenameUserGroup(ctx, acct, g.ID, "renamed"); err != nil {
		t.Fatal(err)
	}
	roID := idOf(t, e.groupPolicies(g.ID), describe(accountRO(t), "")+e.accountGroupName())
	holder := e.u.UserGroup(acct, g.ID)
	after, err := iampolicy.Update(ctx, e.u, holder, iampolicy.Authoritative([]policy.MemberSpec{accountRO(t), dnsOn(t, emulator.ZoneExampleOrg)}))
	if err != nil {
		t.Fatal(err)
	}
	if after.Name != "renamed" || iampolicy.Index(after.Policies, roID) < 0 || len(after.Policies) != 2 {
		t.Fatalf("after update: %+v", after)
	}
	if !slices.Contains(e.groupNames(), comKey) {
		t.Fatal("the group's update deleted example.com's resource group, which the member still uses")
	}

	if err := iampolicy.Delete(ctx, e.u, holder); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.emu.UserGroup(acct, g.ID); ok {
		t.Fatal("group still there after Delete")
	}
	if slices.Contains(e.groupNames(), catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)) {
		t.Errorf("example.org's group outlived the group's only policy on it: %q", e.groupNames())
	}
	if err := iampolicy.Delete(ctx, e.u, holder); err != nil {
		t.Errorf("deleting a group already gone: %v", err)
	}
	if k1, k2 := e.u.UserGroup(acct, "x").LockKey(), e.u.Member(acct, "x").LockKey(); k1 == k2 || strings.Count(k1, "/") != 1 {
		t.Errorf("lock keys: group %q, member %q", k1, k2)
	}
}

// The clean-up after a member's write never deletes a resource group a user
// group's policy still uses (nor the reverse); once neither uses it, it goes.
func TestCleanup_keepsGroupsUserGroupsUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	comKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	m := e.create("m@example.com", accountRO(t), dnsOn(t, emulator.ZoneExampleCom))
	g := e.createGroup("dns", dnsOn(t, emulator.ZoneExampleCom))

	if _, err := iampolicy.Update(ctx, e.u, e.u.Member(acct, m.ID), iampolicy.Authoritative([]policy.MemberSpec{accountRO(t)})); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(e.groupNames(), comKey) {
		t.Fatalf("the member's clean-up deleted %s, which the user group still uses", comKey)
	}
	if got := values(e.groupPolicies(g.ID)); len(got) != 1 || got[0] != describe(dnsOn(t, emulator.ZoneExampleCom), "") {
		t.Fatalf("the user group's policy lost its resource group: %q", got)
	}
	// The group is intact: a member can join it.
	if _, err := e.client.AddUserGroupMembers(ctx, acct, g.ID, []string{m.ID}); err != nil {
		t.Fatal(err)
	}

	// The reverse: the member takes the zone again, the group drops it.
	if _, err := iampolicy.Update(ctx, e.u, e.u.Member(acct, m.ID), iampolicy.Authoritative([]policy.MemberSpec{dnsOn(t, emulator.ZoneExampleCom)})); err != nil {
		t.Fatal(err)
	}
	if _, err := iampolicy.Update(ctx, e.u, e.u.UserGroup(acct, g.ID), iampolicy.Authoritative(nil)); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(e.groupNames(), comKey) {
		t.Fatalf("the user group's clean-up deleted %s, which the member still uses", comKey)
	}
	// Neither uses it: it goes.
	if _, err := iampolicy.Update(ctx, e.u, e.u.Member(acct, m.ID), iampolicy.Authoritative([]policy.MemberSpec{accountRO(t)})); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(e.groupNames(), comKey) {
		t.Fatalf("%s outlived its last policy: %q", comKey, e.groupNames())
	}
}

// memberIDsOf is a group's members as the emulator holds them, sorted.
func (e *env) memberIDsOf(groupID string) []string {
	e.t.Helper()
	g, ok := e.emu.UserGroup(acct, groupID)
	if !ok {
		e.t.Fatalf("user group %s not in the emulator", groupID)
	}
	out := []string{}
	for _, m := range g.Members {
		out = append(out, m.MemberID)
	}
	sort.Strings(out)
	return out
}

func sortedIDs(ids ...string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return out
}

// Authoritative membership sets exactly the members given, and writes nothing
// when they already are; additive membership adds and removes one member,
// keeping the others, and takes "already there" / "already gone" as done.
func TestUserGroupMembership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	a := e.create("a@example.com", accountRO(t))
	b := e.create("b@example.com", accountRO(t))
	c := e.create("c@example.com", accountRO(t))
	g := e.createGroup("g")

	if _, err := e.u.SetUserGroupMembers(ctx, acct, g.ID, []string{a.ID, b.ID, a.ID}); err != nil {
		t.Fatal(err)
	}
	if got := e.memberIDsOf(g.ID); !slices.Equal(got, sortedIDs(a.ID, b.ID)) {
		t.Fatalf("after set: %v", got)
	}
	puts := func() int {
		return e.emu.Stats().ByRoute["PUT /accounts/{account_id}/iam/user_groups/{user_group_id}/members"]
	}
	before := puts()
	if _, err := e.u.SetUserGroupMembers(ctx, acct, g.ID, []string{b.ID, a.ID}); err != nil {
		t.Fatal(err)
	}
	if n := puts() - before; n != 0 {
		t.Errorf("setting the members a group has wrote %d times, want none", n)
	}

	if err := e.u.AddUserGroupMember(ctx, acct, g.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.u.AddUserGroupMember(ctx, acct, g.ID, c.ID); err != nil {
		t.Fatalf("adding a member already in: %v", err)
	}
	if got := e.memberIDsOf(g.ID); !slices.Equal(got, sortedIDs(a.ID, b.ID, c.ID)) {
		t.Fatalf("after add: %v", got)
	}
	if err := e.u.RemoveUserGroupMember(ctx, acct, g.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.u.RemoveUserGroupMember(ctx, acct, g.ID, a.ID); err != nil {
		t.Fatalf("removing a member already gone: %v", err)
	}
	if got := e.memberIDsOf(g.ID); !slices.Equal(got, sortedIDs(b.ID, c.ID)) {
		t.Fatalf("after remove: %v", got)
	}
	if _, err := e.u.SetUserGroupMembers(ctx, acct, g.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := e.memberIDsOf(g.ID); len(got) != 0 {
		t.Fatalf("after setting none: %v", got)
	}

	if err := e.client.DeleteUserGroup(ctx, acct, g.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.u.RemoveUserGroupMember(ctx, acct, g.ID, b.ID); err != nil {
		t.Errorf("removing from a group that is gone: %v", err)
	}
	if err := e.u.AddUserGroupMember(ctx, acct, g.ID, b.ID); !cfclient.IsNotFound(err) {
		t.Errorf("adding to a group that is gone must be not found, got %v", err)
	}
}

// Many additive writers of one group at once, the API failing a fifth of the
// requests (before they take effect) and every read of the group's members
// slowed down: every member ends up in the group once, and the lock lets one
// writer of the group at a time through.
func TestUserGroupMembership_concurrentAddsUnderFaults(t *testing.T) {
	t.Parallel()
	emu := emulator.New()
	emu.SetAllowDirectAdd(true) // its members are added as accepted, as an account that allows it may
	h := &hooked{emu: emu}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, AccountID: acct, BaseURL: srv.URL + "/client/v4",
		MaxRetries: 10, RetryMaxDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, emu: emu, h: h, client: client, u: iampolicy.New(client, iampolicy.Verify{})}
	g := e.createGroup("g")
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, e.create(fmt.Sprintf("m%02d@example.com", i), accountRO(t)).ID)
	}
	prefix := "/client/v4/accounts/" + acct + "/iam/user_groups/" + g.ID + "/members"
	var inFlight, maxInFlight atomic.Int32
	h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, prefix) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for old := maxInFlight.Load(); n > old && !maxInFlight.CompareAndSwap(old, n); old = maxInFlight.Load() {
			}
			time.Sleep(5 * time.Millisecond)
		}
		return false
	})
	fault := httptestPut(t, srv.URL+"/__emulator/faults", `{"rate": 0.2, "statuses": [429, 500, 502, 503], "retry_after_seconds": 0}`)
	defer fault()

	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() { errs[i] = e.u.AddUserGroupMember(t.Context(), acct, g.ID, id) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("adding %s: %v", ids[i], err)
		}
	}
	fault()
	held, _ := emu.UserGroup(acct, g.ID)
	got := make([]string, len(held.Members))
	for i, m := range held.Members {
		got[i] = m.MemberID
	}
	sort.Strings(got)
	if !slices.Equal(got, sortedIDs(ids...)) {
		t.Fatalf("members after concurrent adds:\n got  %v\n want %v", got, sortedIDs(ids...))
	}
	if n := maxInFlight.Load(); n != 1 {
		t.Errorf("%d membership requests on the group at once, want 1 (one writer at a time)", n)
	}
}

// httptestPut PUTs a JSON body to a control URL and returns a function that
// turns the faults off again (idempotent).
func httptestPut(t *testing.T, url, body string) func() {
	t.Helper()
	put := func(b string) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, url, strings.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("PUT %s: %d", url, res.StatusCode)
		}
	}
	put(body)
	return func() { put(`{"rate": 0}`) }
}
