package iampolicy_test

// Two processes writing one member (issue 19, item 2): each test has a
// second updater, with a client of its own (another workspace's provider
// process: no lock in common), read the member before the test's write and
// write it after, carrying what the member held before: the lost update
// that Cloudflare's whole-list PUT allows. The test's updater must find its
// change undone and apply it again; with the check off, the same
// interleaving loses it, which shows that the scenario bites.

import (
	"errors"
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

const otherProcess = "other-process"

var verifyQuickly = iampolicy.Verify{After: 100 * time.Millisecond, Repairs: 2}

// withVerify replaces the env's updater with one that checks its writes.
func (e *env) withVerify(v iampolicy.Verify) *env {
	e.u = iampolicy.New(e.client, v)
	return e
}

// otherProcessUpdater is an updater of its own (no lock shared with e.u)
// whose requests the hook can tell apart by their User-Agent.
func (e *env) otherProcessUpdater() *iampolicy.Updater {
	e.t.Helper()
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, AccountID: acct, BaseURL: e.baseURL,
		MaxRetries: 1, UserAgentExtra: otherProcess})
	if err != nil {
		e.t.Fatal(err)
	}
	return iampolicy.New(c, iampolicy.Verify{})
}

// interleave runs the other process's write to memberID (a binding's
// policy, otherSpec, added by e.otherProcessUpdater) so that it reads the
// member before mine writes it and writes after mine's first write is
// answered, then waits for both; either write failing fails the test.
func (e *env) interleave(memberID string, mine func() error, otherSpec *policy.MemberSpec) {
	e.t.Helper()
	other := e.otherProcessUpdater()
	memberPath := "/members/" + memberID
	otherRead := make(chan struct{})
	mineWrote := make(chan struct{})
	var readOnce, wroteOnce sync.Once
	e.h.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, memberPath) {
			return false
		}
		fromOther := strings.Contains(r.UserAgent(), otherProcess)
		switch {
		case fromOther && r.Method == http.MethodGet:
			e.emu.ServeHTTP(w, r)
			readOnce.Do(func() { close(otherRead) })
		case fromOther && r.Method == http.MethodPut:
			<-mineWrote
			e.emu.ServeHTTP(w, r)
		case r.Method == http.MethodPut:
			e.emu.ServeHTTP(w, r)
			wroteOnce.Do(func() { close(mineWrote) })
		default:
			return false
		}
		return true
	})
	defer e.h.setHook(nil)
	done := make(chan error, 1)
	go func() {
		_, err := iampolicy.WritePolicy(e.t.Context(), other, other.Member(acct, memberID), iampolicy.BindingGroups, "", otherSpec)
		done <- err
	}()
	select {
	case <-otherRead:
	case <-time.After(10 * time.Second):
		e.t.Fatal("the other process never read the member")
	}
	if mineErr, otherErr := mine(), <-done; mineErr != nil || otherErr != nil {
		e.t.Fatalf("writes: mine %v, other %v", mineErr, otherErr)
	}
}

// afterEachWrite answers each of this process's writes of memberID, then
// runs then (what another process does right after it).
func (e *env) afterEachWrite(memberID string, then func()) {
	e.h.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/members/"+memberID) || strings.Contains(r.UserAgent(), otherProcess) {
			return false
		}
		e.emu.ServeHTTP(w, r)
		then()
		return true
	})
}

// wantPolicies fails the test unless got (policies()) holds exactly want.
func wantPolicies(t *testing.T, got map[string]string, want ...string) {
	t.Helper()
	if g, w := strings.Join(values(got), "\n"), strings.Join(sortedIDs(want...), "\n"); g != w {
		t.Fatalf("member's policies:\n%s\nwant:\n%s", g, w)
	}
}

// bindingSpecs are two bindings' policies, written by hand: Tunnel Admin
// on app-a (this process) and Tunnel Read on app-b (the other one).
func bindingSpecs(t *testing.T) (mine, other *policy.MemberSpec) {
	return tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA), tunnelRole(t, catalog.RoleTunnelInstanceRead, emulator.TunnelAppB)
}

// Two bindings added to one member at once by two processes: both stay.
// Without the check, mine is lost (the other process's write carries the
// member as it was before mine).
func TestVerify_addDroppedByAnotherProcessIsRepaired(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		verify   iampolicy.Verify
		mineKept bool
	}{
		{"checked", verifyQuickly, true},
		{"unchecked", iampolicy.Verify{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t).withVerify(tc.verify)
			m := e.create("two-bindings@example.com", accountRO(t))
			own := e.policies(m.ID)
			mineSpec, otherSpec := bindingSpecs(t)
			var p *cfclient.MemberPolicy
			e.interleave(m.ID, func() (err error) {
				p, err = iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", mineSpec)
				return err
			}, otherSpec)
			now := e.policies(m.ID)
			want := append(values(own), describe(*otherSpec, iampolicy.BindingGroupPrefix))
			if tc.mineKept {
				want = append(want, describe(*mineSpec, iampolicy.BindingGroupPrefix))
				if now[p.ID] != describe(*mineSpec, iampolicy.BindingGroupPrefix) {
					t.Errorf("the policy WritePolicy returned (%s) is %q, not mine", p.ID, now[p.ID])
				}
			}
			wantPolicies(t, now, want...)
		})
	}
}

// The member's owner changes its policies while another process adds a
// binding from an older read: the owner's new policies and the binding
// both stay, and the owner's old policy does not come back.
func TestVerify_authoritativeChangeUndoneIsRepaired(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withVerify(verifyQuickly)
	m := e.create("owner@example.com", accountRO(t))
	_, otherSpec := bindingSpecs(t)
	dns := dnsOn(t, emulator.ZoneExampleCom)
	e.interleave(m.ID, func() error {
		_, err := iampolicy.Update(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.Authoritative([]policy.MemberSpec{dns}))
		return err
	}, otherSpec)
	wantPolicies(t, e.policies(m.ID), describe(dns, ""), describe(*otherSpec, iampolicy.BindingGroupPrefix))
}

// A binding removed while another process writes the member from a read
// that still had it: the removal is done again. A second binding on the
// same Tunnel keeps the removed policy's resource group in use, so that the
// other process's write is not refused for naming a deleted group.
func TestVerify_removalUndoneIsRepaired(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withVerify(verifyQuickly)
	m := e.create("removal@example.com", accountRO(t))
	mineSpec, otherSpec := bindingSpecs(t)
	sameTunnel := tunnelRole(t, catalog.RoleTunnelInstanceRead, emulator.TunnelAppA)
	var p *cfclient.MemberPolicy
	for _, s := range []*policy.MemberSpec{sameTunnel, mineSpec} {
		var err error
		if p, err = iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", s); err != nil {
			t.Fatal(err)
		}
	}
	e.interleave(m.ID, func() error {
		_, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, p.ID, nil)
		return err
	}, otherSpec)
	now := e.policies(m.ID)
	if d, ok := now[p.ID]; ok {
		t.Fatalf("removed policy %s is back: %q", p.ID, d)
	}
	wantPolicies(t, now, describe(accountRO(t), "")+e.accountGroupName(), describe(*sameTunnel, iampolicy.BindingGroupPrefix),
		describe(*otherSpec, iampolicy.BindingGroupPrefix))
}

// A change undone after every write (two configurations owning the same
// policies) ends in ErrContended after Repairs repairs, not in a loop.
func TestVerify_boundedRepairs(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withVerify(verifyQuickly)
	m := e.create("contended@example.com", accountRO(t))
	snapshot, err := e.client.GetMember(t.Context(), acct, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	other := e.otherProcessUpdater()
	var writes atomic.Int32
	e.afterEachWrite(m.ID, func() {
		writes.Add(1)
		// The other writer puts back what it read at the start, every time.
		if _, err := other.Member(acct, m.ID).Set(t.Context(), snapshot.Policies); err != nil {
			t.Errorf("the other process's write: %v", err)
		}
	})
	mineSpec, _ := bindingSpecs(t)
	_, err = iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", mineSpec)
	if !errors.Is(err, iampolicy.ErrContended) {
		t.Fatalf("err = %v, want ErrContended", err)
	}
	// The first write and two repairs, written by hand from verifyQuickly.
	if n := writes.Load(); n != 3 {
		t.Fatalf("%d writes of the member, want 3", n)
	}
}

// Another process's write from a read that had the new policy puts it back
// under a new ID after a third one dropped it (the emulator, like the
// contract, gives a policy whose ID the member no longer has a new one):
// the check takes that copy for the policy and adds no second one, and
// WritePolicy returns the copy's ID.
func TestVerify_addPutBackUnderNewIDIsAdopted(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withVerify(verifyQuickly)
	m := e.create("copied@example.com", accountRO(t))
	mineSpec, _ := bindingSpecs(t)
	other := e.otherProcessUpdater()
	var once sync.Once
	e.afterEachWrite(m.ID, func() {
		once.Do(func() {
			// The member as the other process read it, after this write,
			// every policy written back with no ID: the new ones.
			now, err := other.Member(acct, m.ID).Get(t.Context())
			if err != nil {
				t.Errorf("the other process's read: %v", err)
				return
			}
			policies := make([]cfclient.MemberPolicy, len(now.Policies))
			for i, p := range now.Policies {
				policies[i] = cfclient.NewMemberPolicy("", p.Access, p.PermissionGroupIDs(), p.ResourceGroupIDs())
			}
			if _, err := other.Member(acct, m.ID).Set(t.Context(), policies); err != nil {
				t.Errorf("the other process's write: %v", err)
			}
		})
	})
	p, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", mineSpec)
	if err != nil {
		t.Fatal(err)
	}
	e.h.setHook(nil)
	now := e.policies(m.ID)
	wantPolicies(t, now, describe(accountRO(t), "")+e.accountGroupName(), describe(*mineSpec, iampolicy.BindingGroupPrefix))
	if now[p.ID] != describe(*mineSpec, iampolicy.BindingGroupPrefix) {
		t.Fatalf("WritePolicy returned %s, which the member holds as %q", p.ID, now[p.ID])
	}
}
