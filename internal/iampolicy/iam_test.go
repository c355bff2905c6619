package iampolicy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
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

const acct = emulator.AccountID

// hooked serves the emulator, letting a test step in before a request: hook
// returns true when it answered the request itself.
type hooked struct {
	emu  *emulator.Emulator
	mu   sync.Mutex
	hook func(w http.ResponseWriter, r *http.Request) bool
}

func (h *hooked) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	hook := h.hook
	h.mu.Unlock()
	if hook != nil && hook(w, r) {
		return
	}
	h.emu.ServeHTTP(w, r)
}

func (h *hooked) setHook(f func(w http.ResponseWriter, r *http.Request) bool) {
	h.mu.Lock()
	h.hook = f
	h.mu.Unlock()
}

type env struct {
	t      *testing.T
	emu    *emulator.Emulator
	h      *hooked
	client *cfclient.Client
	u      *iampolicy.Updater
	// baseURL is the API's, for a second client (another process).
	baseURL string
}

// newEnv starts an emulator and an updater bound to it (one per test, as a
// provider instance would have).
func newEnv(t *testing.T) *env {
	t.Helper()
	emu := emulator.New()
	emu.SetAllowDirectAdd(true) // the members these tests make are added as accepted, as an account that allows it may
	h := &hooked{emu: emu}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, AccountID: acct, BaseURL: srv.URL + "/client/v4", MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, emu: emu, h: h, client: client, u: iampolicy.New(client, iampolicy.Verify{}), baseURL: srv.URL + "/client/v4"}
}

func roleID(t *testing.T, name string, s catalog.Scope) string {
	t.Helper()
	e, err := catalog.Embedded().ResolveRole(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func spec(t *testing.T, role string, s catalog.Scope, objects ...string) policy.MemberSpec {
	t.Helper()
	if s == catalog.ScopeAccount {
		objects = []string{acct}
	}
	return policy.MemberSpec{Access: "allow", RoleIDs: []string{roleID(t, role, s)}, Objects: map[catalog.Scope][]string{s: objects}}
}

func accountRO(t *testing.T) policy.MemberSpec {
	return spec(t, "Administrator Read Only", catalog.ScopeAccount)
}

func dnsOn(t *testing.T, zone string) policy.MemberSpec {
	return spec(t, "Domain DNS", catalog.ScopeZone, zone)
}

func tunnelRole(t *testing.T, role, tunnel string) *policy.MemberSpec {
	s := spec(t, role, catalog.ScopeTunnel, tunnel)
	return &s
}

// create adds a member with policies through the updater.
func (e *env) create(email string, specs ...policy.MemberSpec) *cfclient.Member {
	e.t.Helper()
	return created(e, email, specs, func(ctx context.Context, ps []cfclient.MemberPolicy) (*cfclient.Member, error) {
		return e.client.CreateMember(ctx, acct, email, "accepted", ps)
	})
}

// created makes a holder (what) with policies through the updater: create
// makes it with the policies the updater writes.
func created[T any](e *env, what string, specs []policy.MemberSpec, create func(context.Context, []cfclient.MemberPolicy) (T, error)) T {
	e.t.Helper()
	v, err := iampolicy.Create(e.t.Context(), e.u, acct, specs, create)
	if err != nil {
		e.t.Fatalf("creating %s: %v", what, err)
	}
	return v
}

// policies reads a member's policies from the emulator, independently of
// the updater: "id access roles @ group names", sorted.
func (e *env) policies(memberID string) map[string]string {
	e.t.Helper()
	m, ok := e.emu.Member(acct, memberID)
	if !ok {
		e.t.Fatalf("member %s not in the emulator", memberID)
	}
	return e.described(m.Policies)
}

// described shows policies held in the emulator as policies() does.
func (e *env) described(policies []emulator.MemberPolicy) map[string]string {
	names := map[string]string{}
	for _, g := range e.emu.ResourceGroups(acct) {
		names[g.ID] = g.Name
	}
	out := map[string]string{}
	for _, p := range policies {
		var groups []string
		for _, id := range p.ResourceGroups {
			groups = append(groups, names[id])
		}
		sort.Strings(groups)
		out[p.ID] = p.Access + " " + strings.Join(p.PermissionGroups, ",") + " @ " + strings.Join(groups, ",")
	}
	return out
}

// describe is how policies() shows a spec on provider-made groups.
func describe(s policy.MemberSpec, prefix string) string {
	var groups []string
	for _, kind := range s.Kinds() {
		for _, id := range s.Objects[kind] {
			if kind == catalog.ScopeAccount {
				groups = append(groups, "")
				continue
			}
			groups = append(groups, prefix+catalog.ResourceKey(kind, id))
		}
	}
	return s.Access + " " + strings.Join(s.RoleIDs, ",") + " @ " + strings.Join(groups, ",")
}

// accountGroupName is the name the emulator gives the account-wide group.
func (e *env) accountGroupName() string {
	for _, g := range e.emu.ResourceGroups(acct) {
		if g.ID == emulator.AccountResourceGroupID {
			return g.Name
		}
	}
	e.t.Fatal("no account-wide group in the emulator")
	return ""
}

func (e *env) describe(s policy.MemberSpec, prefix string) string {
	d := describe(s, prefix)
	if s.Scope() == catalog.ScopeAccount {
		d += e.accountGroupName()
	}
	return d
}

func (e *env) groupNames() []string {
	var out []string
	for _, g := range e.emu.ResourceGroups(acct) {
		out = append(out, g.Name)
	}
	return out
}

func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

func idOf(t *testing.T, m map[string]string, want string) string {
	t.Helper()
	for id, v := range m {
		if v == want {
			return id
		}
	}
	t.Fatalf("no policy %q in %v", want, values(m))
	return ""
}

// An authoritative write replaces the member's own policies, keeps the ID of
// one that stays the same, and keeps a binding's policy as it is.
func TestAuthoritative_keepsBindingPolicies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.create("auth@example.com", accountRO(t), dnsOn(t, emulator.ZoneExampleCom))
	holder := e.u.Member(acct, m.ID)
	bound, err := iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, "", tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA))
	if err != nil {
		t.Fatal(err)
	}
	before := e.policies(m.ID)
	roID := idOf(t, before, e.describe(accountRO(t), ""))
	bindingDesc := describe(*tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA), iampolicy.BindingGroupPrefix)
	if before[bound.ID] != bindingDesc {
		t.Fatalf("binding policy %s = %q, want %q", bound.ID, before[bound.ID], bindingDesc)
	}

	read := spec(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel, emulator.TunnelAppB)
	got, err := iampolicy.Update(t.Context(), e.u, holder, iampolicy.Authoritative([]policy.MemberSpec{accountRO(t), read}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Policies) != 3 {
		t.Errorf("the write answered %d policies, want 3", len(got.Policies))
	}
	after := e.policies(m.ID)
	want := []string{e.describe(accountRO(t), ""), bindingDesc, describe(read, "")}
	sort.Strings(want)
	if !slices.Equal(values(after), want) {
		t.Fatalf("after the authoritative write:\n got  %q\n want %q", values(after), want)
	}
	if after[bound.ID] != bindingDesc {
		t.Errorf("the binding's policy lost its ID %s: %v", bound.ID, after)
	}
	if after[roID] == "" {
		t.Errorf("the unchanged account policy lost its ID %s: %v", roID, after)
	}
}

// An additive writer adds, replaces (keeping the ID) and removes its one
// policy, and leaves the member's other policies exactly as they were.
func TestAdditive_addReplaceRemoveKeepsOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.create("add@example.com", accountRO(t), dnsOn(t, emulator.ZoneExampleCom))
	holder := e.u.Member(acct, m.ID)
	own := e.policies(m.ID)
	checkOthers := func(step, bindingID string) map[string]string {
		t.Helper()
		now := e.policies(m.ID)
		for id, d := range own {
			if now[id] != d {
				t.Fatalf("%s: the member's own policy %s (%q) is now %q", step, id, d, now[id])
			}
		}
		if bindingID == "" && len(now) != len(own) {
			t.Fatalf("%s: %d policies, want the member's own %d: %v", step, len(now), len(own), now)
		}
		if bindingID != "" && len(now) != len(own)+1 {
			t.Fatalf("%s: %d policies, want %d: %v", step, len(now), len(own)+1, now)
		}
		return now
	}

	admin := tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA)
	p, err := iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, "", admin)
	if err != nil {
		t.Fatal(err)
	}
	if own[p.ID] != "" || p.ID == "" {
		t.Fatalf("added policy has ID %q, not a new one", p.ID)
	}
	if now := checkOthers("add", p.ID); now[p.ID] != describe(*admin, iampolicy.BindingGroupPrefix) {
		t.Fatalf("added policy = %q", now[p.ID])
	}

	read := tunnelRole(t, catalog.RoleTunnelInstanceRead, emulator.TunnelAppB)
	q, err := iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, p.ID, read)
	if err != nil {
		t.Fatal(err)
	}
	if q.ID != p.ID {
		t.Fatalf("replaced policy has ID %s, want %s kept", q.ID, p.ID)
	}
	if now := checkOthers("replace", p.ID); now[p.ID] != describe(*read, iampolicy.BindingGroupPrefix) {
		t.Fatalf("replaced policy = %q", now[p.ID])
	}

	if r, err := iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, p.ID, nil); err != nil || r != nil {
		t.Fatalf("remove: %v, %v", r, err)
	}
	checkOthers("remove", "")

	for _, s := range []*policy.MemberSpec{read, nil} {
		if _, err := iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, p.ID, s); !errors.Is(err, iampolicy.ErrPolicyGone) {
			t.Errorf("writing removed policy %s (spec %v): %v, want ErrPolicyGone", p.ID, s != nil, err)
		}
	}
	checkOthers("writes to a removed policy", "")
}

// Two writers of one member, an authoritative and an additive one, in
// parallel: each re-reads under the member's lock, so neither loses the
// other's policy. Every read of the member is slowed down, so that without
// the lock both would read the same policies and the last write would win.
func TestUpdate_serializesWritersOfOneHolder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.create("two@example.com", accountRO(t), dnsOn(t, emulator.ZoneExampleCom))
	holder := e.u.Member(acct, m.ID)
	memberPath := "/client/v4/accounts/" + acct + "/members/" + m.ID
	var inFlight, maxInFlight atomic.Int32
	e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == memberPath {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for old := maxInFlight.Load(); n > old && !maxInFlight.CompareAndSwap(old, n); old = maxInFlight.Load() {
			}
			if r.Method == http.MethodGet {
				time.Sleep(200 * time.Millisecond)
			}
		}
		return false
	})

	own := []policy.MemberSpec{accountRO(t), dnsOn(t, emulator.ZoneExampleOrg)}
	admin := tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() {
		_, errs[0] = iampolicy.Update(t.Context(), e.u, holder, iampolicy.Authoritative(own))
	})
	wg.Go(func() {
		_, errs[1] = iampolicy.WritePolicy(t.Context(), e.u, holder, iampolicy.BindingGroups, "", admin)
	})
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	e.h.setHook(nil)
	want := []string{e.describe(own[0], ""), describe(own[1], ""), describe(*admin, iampolicy.BindingGroupPrefix)}
	sort.Strings(want)
	if got := values(e.policies(m.ID)); !slices.Equal(got, want) {
		t.Fatalf("after two parallel writers:\n got  %q\n want %q", got, want)
	}
	if n := maxInFlight.Load(); n != 1 {
		t.Errorf("%d requests on the member at once, want 1 (one writer at a time)", n)
	}
}

// deleteGroups deletes, behind the updater's back, every resource group of
// that name: what another process's clean-up does between a writer's look-up
// and its write.
func (e *env) deleteGroups(name string) {
	for _, g := range e.emu.ResourceGroups(acct) {
		if g.Name != name {
			continue
		}
		req := httptest.NewRequestWithContext(context.Background(), http.MethodDelete, "/client/v4/accounts/"+acct+"/iam/resource_groups/"+g.ID, nil)
		req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
		rec := httptest.NewRecorder()
		e.emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			e.t.Errorf("deleting group %s behind the updater's back: %d %s", g.ID, rec.Code, rec.Body.String())
		}
	}
}

// A write refused because a resource group it names vanished after the
// look-up (1008) looks the groups up again and is made again, once: when the
// group vanishes again, the error stands. Members' creates, authoritative
// writes and additive writes alike.
func TestWrite_retriesUnknownResourceGroupOnce(t *testing.T) {
	t.Parallel()
	orgGroup := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	tunnelGroup := iampolicy.BindingGroupPrefix + catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppB)
	writes := []struct {
		name, method, group string
		write               func(e *env, memberID string) (string, error) // the description of the written policy
	}{
		{"create", http.MethodPost, orgGroup, func(e *env, _ string) (string, error) {
			s := dnsOn(t, emulator.ZoneExampleOrg)
			_, err := iampolicy.Create(t.Context(), e.u, acct, []policy.MemberSpec{s}, func(ctx context.Context, ps []cfclient.MemberPolicy) (*cfclient.Member, error) {
				return e.client.CreateMember(ctx, acct, "new@example.com", "accepted", ps)
			})
			return describe(s, ""), err
		}},
		{"authoritative", http.MethodPut, orgGroup, func(e *env, memberID string) (string, error) {
			s := dnsOn(t, emulator.ZoneExampleOrg)
			_, err := iampolicy.Update(t.Context(), e.u, e.u.Member(acct, memberID), iampolicy.Authoritative([]policy.MemberSpec{s}))
			return describe(s, ""), err
		}},
		{"additive", http.MethodPut, tunnelGroup, func(e *env, memberID string) (string, error) {
			s := tunnelRole(t, catalog.RoleTunnelInstanceRead, emulator.TunnelAppB)
			_, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, memberID), iampolicy.BindingGroups, "", s)
			return describe(*s, iampolicy.BindingGroupPrefix), err
		}},
	}
	for _, w := range writes {
		for _, vanishes := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/vanishes=%d", w.name, vanishes), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				m := e.create("old@example.com", accountRO(t))
				var writesSeen atomic.Int32
				e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
					if r.Method == w.method && strings.Contains(r.URL.Path, "/members") {
						if int(writesSeen.Add(1)) <= vanishes {
							e.deleteGroups(w.group)
						}
					}
					return false
				})
				desc, err := w.write(e, m.ID)
				e.h.setHook(nil)
				if n := writesSeen.Load(); n != 2 {
					t.Errorf("%d writes, want 2 (the first, and one retry)", n)
				}
				var apiErr *cfclient.APIError
				switch vanishes {
				case 1:
					if err != nil {
						t.Fatalf("the retry after one vanished group failed: %v", err)
					}
					found := false
					for _, mm := range e.emu.Members(acct) {
						found = found || slices.Contains(values(e.policies(mm.ID)), desc)
					}
					if !found {
						t.Errorf("no member holds %q after the retry", desc)
					}
				default:
					if !errors.As(err, &apiErr) || !apiErr.HasCode(1008) {
						t.Fatalf("the group vanished twice: got %v, want the API's 1008", err)
					}
				}
			})
		}
	}
}

// Clean-up deletes the provider-made groups that no policy uses any more:
// not a group another member still uses, not a group the user named, not
// the account's own group; a binding's group goes with its last policy.
func TestCleanup_deletesOnlyUnusedProviderGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	comKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	orgKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	named, err := e.client.CreateResourceGroup(ctx, acct, "team zones", []string{comKey})
	if err != nil {
		t.Fatal(err)
	}
	onNamed := policy.MemberSpec{Access: "allow", RoleIDs: dnsOn(t, emulator.ZoneExampleCom).RoleIDs, ResourceGroupIDs: []string{named.ID}}
	a := e.create("a@example.com", accountRO(t), dnsOn(t, emulator.ZoneExampleCom), dnsOn(t, emulator.ZoneExampleOrg), onNamed)
	b := e.create("b@example.com", dnsOn(t, emulator.ZoneExampleOrg))
	binding, err := iampolicy.WritePolicy(ctx, e.u, e.u.Member(acct, a.ID), iampolicy.BindingGroups, "", tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA))
	if err != nil {
		t.Fatal(err)
	}
	bindingGroup := iampolicy.BindingGroupPrefix + catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA)
	accountGroup := e.accountGroupName()
	has := func(name string) bool { return slices.Contains(e.groupNames(), name) }
	for _, name := range []string{comKey, orgKey, "team zones", bindingGroup, accountGroup} {
		if !has(name) {
			t.Fatalf("setup: no group %q in %q", name, e.groupNames())
		}
	}

	if _, err := iampolicy.Update(ctx, e.u, e.u.Member(acct, a.ID), iampolicy.Authoritative([]policy.MemberSpec{accountRO(t)})); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{comKey: false, orgKey: true, "team zones": true, bindingGroup: true, accountGroup: true} {
		if has(name) != want {
			t.Errorf("after a's authoritative write: group %q there = %v, want %v (groups %q)", name, !want, want, e.groupNames())
		}
	}

	if _, err := iampolicy.WritePolicy(ctx, e.u, e.u.Member(acct, a.ID), iampolicy.BindingGroups, binding.ID, nil); err != nil {
		t.Fatal(err)
	}
	if has(bindingGroup) {
		t.Errorf("the binding's group %q outlived its last policy", bindingGroup)
	}

	if err := iampolicy.Delete(ctx, e.u, e.u.Member(acct, b.ID)); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.emu.Member(acct, b.ID); ok {
		t.Error("member b still there after Delete")
	}
	for name, want := range map[string]bool{orgKey: false, "team zones": true, accountGroup: true} {
		if has(name) != want {
			t.Errorf("after deleting b: group %q there = %v, want %v", name, !want, want)
		}
	}
	if err := iampolicy.Delete(ctx, e.u, e.u.Member(acct, b.ID)); err != nil {
		t.Errorf("deleting a member already gone: %v", err)
	}
}

// A binding's policy add cut off by Ctrl-C after it took effect returns the
// policy it added, read back on a context of its own, so that the binding
// reaches state; one cut off before it took effect fails, adding nothing.
func TestWritePolicy_settlesCancelledAdd(t *testing.T) {
	t.Parallel()
	for _, effectDone := range []bool{true, false} {
		t.Run(fmt.Sprintf("effectDone=%v", effectDone), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			m := e.create("cut@example.com", accountRO(t))
			own := e.policies(m.ID)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var puts atomic.Int32
			e.h.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPut || puts.Add(1) > 1 {
					return false
				}
				if effectDone {
					e.emu.ServeHTTP(httptest.NewRecorder(), r)
				} else {
					_, _ = io.Copy(io.Discard, r.Body) // the server notices a hang-up only once the body is read
				}
				cancel()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
				return true
			})
			admin := tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA)
			p, err := iampolicy.WritePolicy(ctx, e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", admin)
			now := e.policies(m.ID)
			switch {
			case effectDone && (err != nil || p == nil):
				t.Fatalf("added, then cancelled: got %v, %v; the member holds %v", p, err, now)
			case effectDone && (own[p.ID] != "" || now[p.ID] != describe(*admin, iampolicy.BindingGroupPrefix) || len(now) != len(own)+1):
				t.Fatalf("added, then cancelled: returned policy %s, the member holds %v", p.ID, now)
			case !effectDone && (err == nil || !errors.Is(err, context.Canceled) || len(now) != len(own)):
				t.Fatalf("cancelled before the add took effect: got %v, %v; the member holds %v", p, err, now)
			}
			if n := puts.Load(); n != 1 {
				t.Errorf("%d PUTs, want exactly the one cut off", n)
			}
		})
	}
}

// A binding's policy write that took effect but whose answer was lost (a
// 502, or the connection dropped) settles: the binding gets the policy it
// added, once, and the member's other policies stay.
func TestWritePolicy_settlesLostAnswer(t *testing.T) {
	t.Parallel()
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprintf("drop=%v", drop), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			m := e.create("lost@example.com", accountRO(t))
			own := e.policies(m.ID)
			var puts atomic.Int32
			e.h.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPut || puts.Add(1) > 1 {
					return false
				}
				e.emu.ServeHTTP(httptest.NewRecorder(), r) // it takes effect
				if drop {
					panic(http.ErrAbortHandler)
				}
				w.WriteHeader(http.StatusBadGateway)
				return true
			})
			admin := tunnelRole(t, catalog.RoleTunnelAdmin, emulator.TunnelAppA)
			p, err := iampolicy.WritePolicy(t.Context(), e.u, e.u.Member(acct, m.ID), iampolicy.BindingGroups, "", admin)
			now := e.policies(m.ID)
			if err != nil || p == nil {
				t.Fatalf("the write took effect, its answer was lost: got %v, %v; the member holds %v", p, err, now)
			}
			if own[p.ID] != "" || now[p.ID] != describe(*admin, iampolicy.BindingGroupPrefix) || len(now) != len(own)+1 {
				t.Fatalf("returned policy %s; the member holds %v, had %v: want exactly one policy more", p.ID, now, own)
			}
			if puts.Load() < 1 {
				t.Error("the hook never cut a PUT off")
			}
		})
	}
}
