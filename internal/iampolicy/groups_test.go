package iampolicy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
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

// guard fails the test when ch does not deliver: a wait that would never end
// (a writer blocked behind a lock held across a request) fails instead of
// hanging the run. It measures nothing.
func guard(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("never happened: %s", what)
	}
}

// gate is a request held until open is called; the test's end opens it, so
// that a failed test does not leave the server waiting.
func gate(t *testing.T) (held chan struct{}, wait func(), open func()) {
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	open = func() { once.Do(func() { close(release) }) }
	t.Cleanup(open)
	return held, func() { <-release }, open
}

// eventually polls cond until it holds (or fails after the guard).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for !cond() {
			time.Sleep(time.Millisecond)
		}
		close(done)
	}()
	guard(t, what, done)
}

// groupIDsNamed returns the IDs of the emulator's groups of that name.
func (e *env) groupIDsNamed(name string) []string {
	var out []string
	for _, g := range e.emu.ResourceGroups(acct) {
		if g.Name == name {
			out = append(out, g.ID)
		}
	}
	return out
}

// memberGroupIDs returns the resource group IDs of a member's policies, from the emulator.
func (e *env) memberGroupIDs(memberID string) []string {
	m, ok := e.emu.Member(acct, memberID)
	if !ok {
		e.t.Fatalf("member %s not in the emulator", memberID)
	}
	var out []string
	for _, p := range m.Policies {
		out = append(out, p.ResourceGroups...)
	}
	return out
}

func (e *env) createAsync(email string, specs ...policy.MemberSpec) func() (*cfclient.Member, error) {
	var m *cfclient.Member
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		m, err = iampolicy.Create(e.t.Context(), e.u, acct, specs, func(ctx context.Context, ps []cfclient.MemberPolicy) (*cfclient.Member, error) {
			return e.client.CreateMember(ctx, acct, email, "accepted", ps)
		})
	}()
	return func() (*cfclient.Member, error) {
		guard(e.t, "the create of "+email+" was answered", done)
		return m, err
	}
}

// Members created in parallel that need the same new zone group create it
// once: while its POST is held, the others wait for it (not for a lock), and
// all use the one group. Meanwhile, members that need no new group, or
// another one, are created without waiting: no lock is held across the
// held request.
func TestCreate_newGroupOnceOthersDoNotWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orgKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	comKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	held, hold, release := gate(t)
	var orgPosts, groupLists atomic.Int32
	e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/iam/resource_groups") {
			if r.Method == http.MethodGet {
				groupLists.Add(1)
			}
			if r.Method == http.MethodPost {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if strings.Contains(string(body), `"name":"`+orgKey+`"`) && orgPosts.Add(1) == 1 {
					close(held)
					hold()
				}
			}
		}
		return false
	})

	const same = 6
	var waits []func() (*cfclient.Member, error)
	for i := range same {
		waits = append(waits, e.createAsync(fmt.Sprintf("org%d@example.com", i), accountRO(t), dnsOn(t, emulator.ZoneExampleOrg)))
	}
	guard(t, "the org group's POST reached the API", held)
	// The org group's POST is still held: these members need no new group,
	// or another one, and must be created now.
	for i := range 3 {
		if _, err := e.createAsync(fmt.Sprintf("plain%d@example.com", i), accountRO(t))(); err != nil {
			t.Fatalf("a member needing no new group, while another group's create is held: %v", err)
		}
	}
	other, err := e.createAsync("com@example.com", dnsOn(t, emulator.ZoneExampleCom))()
	if err != nil {
		t.Fatalf("a member needing another new group, while the org group's create is held: %v", err)
	}
	if got := e.memberGroupIDs(other.ID); len(got) != 1 || len(e.groupIDsNamed(comKey)) != 1 || got[0] != e.groupIDsNamed(comKey)[0] {
		t.Errorf("com member's groups %v, com groups %v", got, e.groupIDsNamed(comKey))
	}
	eventually(t, fmt.Sprintf("%d writers wait for the org group's create", same-1), func() bool {
		return iampolicy.FlightWaiters(e.u, acct, orgKey, orgKey) == same-1
	})

	release()
	for _, wait := range waits {
		if _, err := wait(); err != nil {
			t.Fatal(err)
		}
	}
	e.h.setHook(nil)
	if n := orgPosts.Load(); n != 1 {
		t.Errorf("the org group was POSTed %d times, want once", n)
	}
	org := e.groupIDsNamed(orgKey)
	if len(org) != 1 {
		t.Fatalf("groups named %s: %v, want one", orgKey, org)
	}
	for _, m := range e.emu.Members(acct) {
		if strings.HasPrefix(m.Email, "org") {
			got := e.memberGroupIDs(m.ID)
			if len(got) != 2 || got[1] != org[0] {
				t.Errorf("%s uses groups %v, want the account's and %s", m.Email, got, org[0])
			}
		}
	}
	if n := groupLists.Load(); n != 1 {
		t.Errorf("the account's groups were listed %d times for %d creates, want once", n, same+4)
	}
}

// A clean-up does not delete a group that a write in flight has picked: a
// member being created with the zone group that another member, deleted
// meanwhile, was the last to use keeps that group, with no retry.
func TestCleanup_keepsGroupAWriteInFlightPicked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orgKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	a := e.create("a@example.com", dnsOn(t, emulator.ZoneExampleOrg))
	group := e.groupIDsNamed(orgKey)
	if len(group) != 1 {
		t.Fatalf("setup: groups named %s: %v", orgKey, group)
	}
	held, hold, release := gate(t)
	var memberPosts, groupDeletes atomic.Int32
	e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/members"):
			if memberPosts.Add(1) == 1 {
				close(held)
				hold()
			}
		case r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/iam/resource_groups/"):
			groupDeletes.Add(1)
		}
		return false
	})
	wait := e.createAsync("b@example.com", dnsOn(t, emulator.ZoneExampleOrg))
	guard(t, "b's create reached the API", held)
	if err := iampolicy.Delete(t.Context(), e.u, e.u.Member(acct, a.ID)); err != nil {
		t.Fatal(err)
	}
	release()
	b, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	e.h.setHook(nil)
	if n := groupDeletes.Load(); n != 0 {
		t.Errorf("the clean-up sent %d deletes of a group b's create had picked", n)
	}
	if n := memberPosts.Load(); n != 1 {
		t.Errorf("b's create was sent %d times, want once (no retry after a vanished group)", n)
	}
	if got := e.memberGroupIDs(b.ID); len(got) != 1 || got[0] != group[0] {
		t.Errorf("b uses groups %v, want %s", got, group[0])
	}
}

// A write that needs a group whose deletion is in flight waits for the
// deletion's answer, then makes the group again: it never sends a policy
// naming a group being deleted.
func TestCleanup_writerWaitsForADeleteInFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orgKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	a := e.create("a@example.com", dnsOn(t, emulator.ZoneExampleOrg))
	old := e.groupIDsNamed(orgKey)
	held, hold, release := gate(t)
	var memberPosts atomic.Int32
	e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/members"):
			memberPosts.Add(1)
		case r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/iam/resource_groups/"):
			close(held)
			hold()
		}
		return false
	})
	deleted := make(chan error, 1)
	go func() { deleted <- iampolicy.Delete(t.Context(), e.u, e.u.Member(acct, a.ID)) }()
	guard(t, "the clean-up's delete reached the API", held)
	wait := e.createAsync("b@example.com", dnsOn(t, emulator.ZoneExampleOrg))
	eventually(t, "b's create waits for the delete in flight", func() bool {
		return iampolicy.FlightWaiters(e.u, acct, orgKey, orgKey) == 1
	})
	release()
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	b, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	e.h.setHook(nil)
	now := e.groupIDsNamed(orgKey)
	if len(old) != 1 || len(now) != 1 || now[0] == old[0] {
		t.Fatalf("org groups before %v, after %v: want one, made again", old, now)
	}
	if got := e.memberGroupIDs(b.ID); len(got) != 1 || got[0] != now[0] {
		t.Errorf("b uses groups %v, want %s", got, now[0])
	}
	if n := memberPosts.Load(); n != 1 {
		t.Errorf("b's create was sent %d times, want once", n)
	}
}

// Bindings on two members are written in parallel (issue 14): while one
// member's policy write is held at the API, a binding on another member,
// needing a new group too, is written at once; no account-wide lock is held
// across a request.
func TestWritePolicy_bindingsOfOtherMembersDoNotWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.create("first@example.com", accountRO(t))
	second := e.create("second@example.com", accountRO(t))
	held, hold, release := gate(t)
	var once sync.Once
	e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/members/"+first.ID) {
			once.Do(func() {
				close(held)
				hold()
			})
		}
		return false
	})
	firstDone := make(chan error, 1)
	go func() {
		_, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, first.ID), iampolicy.BindingGroups, "",
			tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA))
		firstDone <- err
	}()
	guard(t, "the first member's write reached the API", held)
	secondDone := make(chan struct{})
	go func() {
		defer close(secondDone)
		if _, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, second.ID), iampolicy.BindingGroups, "",
			tunnelRole(t, catalog.RoleTunnelInstanceRead, emulator.TunnelAppB)); err != nil {
			t.Errorf("the second member's binding: %v", err)
		}
	}()
	guard(t, "the second member's binding was written while the first member's write was held", secondDone)
	release()
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	e.h.setHook(nil)
	for _, m := range []string{first.ID, second.ID} {
		if n := len(e.policies(m)); n != 2 {
			t.Errorf("member %s holds %d policies, want its own and the binding's", m, n)
		}
	}
}
