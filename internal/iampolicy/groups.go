package iampolicy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// BindingGroupPrefix starts the name of every resource group a Tunnel binding
// creates, MeshNodeBindingGroupPrefix every one a Mesh node binding creates;
// each resource kind's bindings have theirs (BindingGroupsOf). A policy whose
// resource groups all carry one belongs to a binding: an authoritative writer
// neither shows it nor removes it.
var (
	BindingGroupPrefix         = BindingGroupsOf(catalog.ScopeTunnel).prefix
	MeshNodeBindingGroupPrefix = BindingGroupsOf(catalog.ScopeMeshNode).prefix
)

// BindingGroupsOf is the family of groups of a resource kind's bindings,
// named "cfiam-<scope, dashed>-binding:<resource key>".
func BindingGroupsOf(s catalog.Scope) Groups {
	return Groups{prefix: "cfiam-" + strings.ReplaceAll(string(s), "_", "-") + "-binding:", additive: true}
}

// Groups is a family of resource groups the provider makes, one per object:
// how they are named, and how writers of the family share them.
type Groups struct {
	// prefix starts each group's name, before the object's resource key.
	prefix string
	// additive: the family's policies belong to additive writers, which
	// authoritative writers keep as they are.
	additive bool
}

var (
	// MemberGroups are the groups of a member's own policies, named by
	// their resource key (as the dashboard names them); the account-wide
	// group is Cloudflare's own.
	MemberGroups = Groups{}
	// BindingGroups are the groups of Tunnel bindings' policies.
	BindingGroups = BindingGroupsOf(catalog.ScopeTunnel)
	// MeshNodeBindingGroups are the groups of Mesh node bindings' policies.
	MeshNodeBindingGroups = BindingGroupsOf(catalog.ScopeMeshNode)

	// additiveFamilies are the families whose policies authoritative writers
	// keep: every resource kind's bindings'.
	additiveFamilies = bindingFamilies()
)

func bindingFamilies() []Groups {
	var out []Groups
	for _, k := range catalog.Kinds() {
		out = append(out, BindingGroupsOf(k.Scope))
	}
	return out
}

// Prefix starts the name of each group of the family.
func (g Groups) Prefix() string { return g.prefix }

// Owns reports whether an API policy belongs to this family: every one of
// its resource groups carries the family's prefix.
func (g Groups) Owns(p cfclient.MemberPolicy) bool { return g.owns(p) }

// TrimBindingPrefix returns a group's name without an additive family's
// prefix: the name a member's own group for the same object has.
func TrimBindingPrefix(name string) string {
	for _, f := range additiveFamilies {
		if rest, ok := strings.CutPrefix(name, f.prefix); ok {
			return rest
		}
	}
	return name
}

// lockKey is the key of the family's lock over an account's groups. It has
// no slash, so it cannot collide with a holder's key (account/holder).

// owns reports whether every resource group of an API policy is of this family.
func (g Groups) owns(p cfclient.MemberPolicy) bool {
	if g.prefix == "" || len(p.ResourceGroups) == 0 {
		return false
	}
	for _, rg := range p.ResourceGroups {
		if !strings.HasPrefix(rg.Name, g.prefix) {
			return false
		}
	}
	return true
}

// IsBindingPolicy reports whether an API policy belongs to an additive writer
// (a binding: cfiam_tunnel_binding, ...): authoritative writers
// keep it as it is.
func IsBindingPolicy(p cfclient.MemberPolicy) bool {
	return slices.ContainsFunc(additiveFamilies, func(g Groups) bool { return g.owns(p) })
}

// groupService finds or creates the resource groups that policies need, and
// deletes those no policy uses any more. It is the one place that decides how
// concurrent writers share groups, so that this can change without touching
// holders or changes.
//
// No lock is held across a request. An account's groups are listed once per
// provider instance (one list however many writers ask at once) and shared;
// a missing group is created once (one flight per group: writers needing the
// same group wait for it, writers needing others do not); a write refused
// because a group vanished (1008) drops the list, and its retry lists again.
// A group a write in flight has picked is pinned until the write is answered:
// clean-up never deletes it, and a group being deleted is not picked until
// its deletion is answered (then it is made again, or kept if it stayed).
type groupService struct {
	client *cfclient.Client
	locks  *keyedMutex

	mu      sync.Mutex
	lists   map[string]*groupList // account ID -> its groups, listed once
	flights map[string]*flight    // groupFlightKey -> a create or delete in flight
	pins    map[string]int        // group ID -> writes in flight that picked it
}

func newGroupService(client *cfclient.Client, locks *keyedMutex) *groupService {
	return &groupService{client: client, locks: locks,
		lists: map[string]*groupList{}, flights: map[string]*flight{}, pins: map[string]int{}}
}

// groupList is an account's resource groups as listed once, kept up to date
// with this instance's own creates and deletes. Its fields after ready are
// guarded by groupService.mu.
type groupList struct {
	ready chan struct{} // closed when the list is read (or failed: err)
	err   error
	byKey map[string][]cfclient.ResourceGroup // groups holding exactly one object, by its key
	// created and dropped are this instance's creates and deletes answered
	// while the list was being read, applied to it when it is.
	created []cfclient.ResourceGroup
	dropped []string
}

func (l *groupList) add(g cfclient.ResourceGroup) {
	if keys := g.ObjectKeys(); len(keys) == 1 && !slices.ContainsFunc(l.byKey[keys[0]], func(x cfclient.ResourceGroup) bool { return x.ID == g.ID }) {
		l.byKey[keys[0]] = append(l.byKey[keys[0]], g)
	}
}

func (l *groupList) drop(id string) {
	for k, gs := range l.byKey {
		l.byKey[k] = slices.DeleteFunc(gs, func(g cfclient.ResourceGroup) bool { return g.ID == id })
	}
}

// find returns the group holding exactly the object key, named want (any
// name when anyName).
func (l *groupList) find(key, want string, anyName bool) (string, bool) {
	for _, g := range l.byKey[key] {
		if anyName || g.Name == want {
			return g.ID, true
		}
	}
	return "", false
}

// flight is a create or delete of one group in flight; done closes when it
// is answered. waiters counts the writers waiting for it (guarded by
// groupService.mu; the tests watch it).
type flight struct {
	done    chan struct{}
	waiters int
}

// groupFlightKey names a group by what it is (account, name, objects), the
// same for the writer that makes it and the clean-up that deletes it.
func groupFlightKey(accountID, name string, objectKeys []string) string {
	return accountID + "\x00" + name + "\x00" + strings.Join(objectKeys, "\x00")
}

// wait waits for the flight to land, or for ctx.
func (f *flight) wait(ctx context.Context) error {
	select {
	case <-f.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// list returns the account's groups, listing them when no writer has yet
// (or since a write found the list stale); writers asking meanwhile wait for
// that one list.
func (s *groupService) list(ctx context.Context, accountID string) (*groupList, error) {
	for {
		s.mu.Lock()
		l := s.lists[accountID]
		if l == nil {
			l = &groupList{ready: make(chan struct{})}
			s.lists[accountID] = l
			s.mu.Unlock()
			groups, err := s.client.ListResourceGroups(ctx, accountID)
			s.mu.Lock()
			if err != nil {
				l.err = err
				if s.lists[accountID] == l {
					delete(s.lists, accountID)
				}
			} else {
				l.byKey = map[string][]cfclient.ResourceGroup{}
				for _, g := range groups {
					l.add(g)
				}
				for _, g := range l.created {
					l.add(g)
				}
				for _, id := range l.dropped {
					l.drop(id)
				}
				l.created, l.dropped = nil, nil
			}
			close(l.ready)
			s.mu.Unlock()
			return l, err
		}
		s.mu.Unlock()
		select {
		case <-l.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if l.err == nil {
			return l, nil
		}
		// The writer that listed failed; list again (or fail) on this writer's own context.
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !errors.Is(l.err, context.Canceled) && !errors.Is(l.err, context.DeadlineExceeded) {
			return nil, l.err
		}
	}
}

// updateLocked adds a group this instance created, or drops one it deleted,
// in the account's list, or records it for the list being read; s.mu is held.
func (s *groupService) updateLocked(accountID string, created *cfclient.ResourceGroup, droppedID string) {
	l := s.lists[accountID]
	if l == nil {
		return // not listed: the next list reads the API
	}
	select {
	case <-l.ready:
		if l.err != nil {
			return
		}
		if created != nil {
			l.add(*created)
		}
		if droppedID != "" {
			l.drop(droppedID)
		}
	default:
		if created != nil {
			l.created = append(l.created, *created)
		}
		if droppedID != "" {
			l.dropped = append(l.dropped, droppedID)
		}
	}
}

// picked is what one write resolved: the groups it picked, pinned until
// release, and the list they came from. A nil *picked does nothing.
type picked struct {
	s         *groupService
	accountID string
	list      *groupList
	ids       []string
}

// release unpins the write's groups: call it once the write is answered.
func (p *picked) release() {
	if p == nil {
		return
	}
	p.s.mu.Lock()
	for _, id := range p.ids {
		if p.s.pins[id]--; p.s.pins[id] <= 0 {
			delete(p.s.pins, id)
		}
	}
	p.ids = nil
	p.s.mu.Unlock()
}

// stale drops the list the write's groups came from: the API did not know
// one of them (1008), so the next look-up lists again.
func (p *picked) stale() {
	if p == nil || p.list == nil {
		return
	}
	p.s.mu.Lock()
	if p.s.lists[p.accountID] == p.list {
		delete(p.s.lists, p.accountID)
	}
	p.s.mu.Unlock()
}

// resolve turns specs into API policies, the i-th keeping ids[i] ("" for a
// new policy), with their resource groups found or created. The groups it
// picks stay pinned until the returned picked is released (also after an
// error): the caller releases it once its write is answered.
func (s *groupService) resolve(ctx context.Context, accountID string, g Groups, specs []policy.MemberSpec, ids []string) ([]cfclient.MemberPolicy, *picked, error) {
	p := &picked{s: s, accountID: accountID}
	out := make([]cfclient.MemberPolicy, 0, len(specs))
	for i, spec := range specs {
		rgs := slices.Clone(spec.ResourceGroupIDs)
		for _, kind := range spec.Kinds() {
			for _, id := range spec.Objects[kind] {
				gid, err := s.groupFor(ctx, p, g.prefix, kind, id)
				if err != nil {
					return nil, p, err
				}
				rgs = append(rgs, gid)
			}
		}
		out = append(out, cfclient.NewMemberPolicy(ids[i], spec.Access, spec.RoleIDs, rgs))
	}
	return out, p, nil
}

// groupFor returns the ID of the group holding exactly one object, creating it
// (named by autoGroupName, after the family's prefix) when none exists, and
// pins it for p.
func (s *groupService) groupFor(ctx context.Context, p *picked, prefix string, scope catalog.Scope, id string) (string, error) {
	want := prefix + autoGroupName(scope, id)
	key := catalog.ResourceKey(scope, id)
	// The account-wide group is Cloudflare's own, whatever its name.
	anyName := scope == catalog.ScopeAccount && prefix == ""
	fk := groupFlightKey(p.accountID, want, []string{key})
	for {
		l, err := s.list(ctx, p.accountID)
		if err != nil {
			return "", err
		}
		s.mu.Lock()
		if f := s.flights[fk]; f != nil {
			f.waiters++
			s.mu.Unlock()
			err := f.wait(ctx)
			s.mu.Lock()
			f.waiters--
			s.mu.Unlock()
			if err != nil {
				return "", err
			}
			continue
		}
		if gid, ok := l.find(key, want, anyName); ok {
			s.pins[gid]++
			p.ids, p.list = append(p.ids, gid), l
			s.mu.Unlock()
			return gid, nil
		}
		f := &flight{done: make(chan struct{})}
		s.flights[fk] = f
		s.mu.Unlock()

		g, err := s.client.CreateResourceGroup(ctx, p.accountID, want, []string{key})

		s.mu.Lock()
		delete(s.flights, fk)
		close(f.done)
		if err == nil {
			s.updateLocked(p.accountID, g, "")
			s.pins[g.ID]++
			p.ids, p.list = append(p.ids, g.ID), l
		}
		s.mu.Unlock()
		if err != nil {
			return "", err
		}
		return g.ID, nil
	}
}

// managedGroups returns the provider-made groups a policy uses: a member's
// per-object groups (not the account's own) and every group of an additive
// family.
func managedGroups(p cfclient.MemberPolicy) []cfclient.RGRef {
	var out []cfclient.RGRef
	for _, g := range p.ResourceGroups {
		s, _, ok := classifyGroup(g.Name, g.ObjectKeys())
		additive := slices.ContainsFunc(additiveFamilies, func(f Groups) bool { return f.prefix != "" && strings.HasPrefix(g.Name, f.prefix) })
		if (ok && s != catalog.ScopeAccount) || additive {
			out = append(out, g)
		}
	}
	return out
}

// cleanup deletes provider-made groups that the policies before a write used
// and those after it do not. The API refuses (409) while any holder's policy
// still uses one: that is the reuse case, and not an error. A group a write
// in flight in this instance has picked is kept (deleteUnused).
func (s *groupService) cleanup(ctx context.Context, accountID string, before, after []cfclient.MemberPolicy) {
	still := map[string]bool{}
	for _, p := range after {
		for _, id := range p.ResourceGroupIDs() {
			still[id] = true
		}
	}
	done := map[string]bool{}
	for _, p := range before {
		for _, g := range managedGroups(p) {
			if still[g.ID] || done[g.ID] {
				continue
			}
			done[g.ID] = true
			s.deleteUnused(ctx, accountID, g)
		}
	}
}

// deleteUnused deletes a provider-made group, unless a write in flight has
// picked it or its object's group is being made or deleted. While the delete
// is in flight, writers needing that group wait for its answer: gone, they
// make a new one; refused (in use elsewhere), they use it.
func (s *groupService) deleteUnused(ctx context.Context, accountID string, g cfclient.RGRef) {
	fk := groupFlightKey(accountID, g.Name, g.ObjectKeys())
	s.mu.Lock()
	if s.pins[g.ID] > 0 || s.flights[fk] != nil {
		s.mu.Unlock()
		return
	}
	f := &flight{done: make(chan struct{})}
	s.flights[fk] = f
	s.mu.Unlock()

	err := s.client.DeleteResourceGroup(ctx, accountID, g.ID) // best effort: in use elsewhere, or already gone

	s.mu.Lock()
	if err == nil || cfclient.IsNotFound(err) {
		s.updateLocked(accountID, nil, g.ID)
	}
	delete(s.flights, fk)
	close(f.done)
	s.mu.Unlock()
}
