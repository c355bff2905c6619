package iampolicy

import (
	"context"
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// BindingGroupPrefix starts the name of every resource group a Tunnel binding
// creates. A policy whose resource groups all carry it belongs to a binding:
// an authoritative writer neither shows it nor removes it.
const BindingGroupPrefix = "cfiam-tunnel-binding:"

// Groups is a family of resource groups the provider makes, one per object:
// how they are named, and how writers of the family share them.
type Groups struct {
	// prefix starts each group's name, before the object's resource key.
	prefix string
	// lockName names the family's account-wide lock.
	lockName string
	// lockAcrossWrite holds that lock for the whole write (re-read, write,
	// clean-up) instead of only while groups are looked up. Bindings on one
	// Tunnel share its group across members, and one binding's clean-up
	// must not delete the group another has just picked. Members, many and
	// applied in parallel, hold it only while looking up, and rely on the
	// retry after an unknown group (1008) when a clean-up wins the race.
	lockAcrossWrite bool
	// additive: the family's policies belong to additive writers, which
	// authoritative writers keep as they are.
	additive bool
}

var (
	// MemberGroups are the groups of a member's own policies, named by
	// their resource key (as the dashboard names them); the account-wide
	// group is Cloudflare's own.
	MemberGroups = Groups{lockName: "member-groups"}
	// BindingGroups are the groups of Tunnel bindings' policies.
	BindingGroups = Groups{prefix: BindingGroupPrefix, lockName: "binding-groups", lockAcrossWrite: true, additive: true}

	// additiveFamilies are the families whose policies authoritative writers keep.
	additiveFamilies = []Groups{BindingGroups}
)

// lockKey is the key of the family's lock over an account's groups. It has
// no slash, so it cannot collide with a holder's key (account/holder).
func (g Groups) lockKey(accountID string) string { return g.lockName + ":" + accountID }

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
// (a cfiam_tunnel_binding): authoritative writers keep it as it is.
func IsBindingPolicy(p cfclient.MemberPolicy) bool {
	return slices.ContainsFunc(additiveFamilies, func(g Groups) bool { return g.owns(p) })
}

// groupService finds or creates the resource groups that policies need, and
// deletes those no policy uses any more. It is the one place that decides how
// concurrent writers share groups (today a lock per family and account), so
// that this can change without touching holders or changes.
type groupService struct {
	client *cfclient.Client
	locks  *keyedMutex
}

// holdForWrite takes the family's lock for a whole write, when the family
// asks for it; it returns the unlock function.
func (s *groupService) holdForWrite(accountID string, g Groups) func() {
	if !g.lockAcrossWrite {
		return func() {}
	}
	return s.locks.lock(g.lockKey(accountID))
}

// resolve turns specs into API policies, the i-th keeping ids[i] ("" for a
// new policy), with their resource groups found or created. It lists the
// account's groups at most once, under the family's lock (already held for
// families that hold it across the write): resources applied in parallel
// share groups (one per zone or Tunnel), and must not create one twice.
func (s *groupService) resolve(ctx context.Context, accountID string, g Groups, specs []policy.MemberSpec, ids []string) ([]cfclient.MemberPolicy, error) {
	if !g.lockAcrossWrite {
		defer s.locks.lock(g.lockKey(accountID))()
	}
	r := &groupResolver{client: s.client, accountID: accountID, prefix: g.prefix}
	out := make([]cfclient.MemberPolicy, 0, len(specs))
	for i, spec := range specs {
		p, err := r.toAPI(ctx, spec, ids[i])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// groupResolver finds or creates the groups of one family, listing the
// account's groups at most once.
type groupResolver struct {
	client    *cfclient.Client
	accountID string
	prefix    string
	groups    []cfclient.ResourceGroup
	listed    bool
}

func (r *groupResolver) list(ctx context.Context) error {
	if r.listed {
		return nil
	}
	groups, err := r.client.ListResourceGroups(ctx, r.accountID)
	if err != nil {
		return err
	}
	r.groups, r.listed = groups, true
	return nil
}

// groupFor returns the ID of the group holding exactly one object, creating it
// (named by autoGroupName, after the family's prefix) when none exists.
func (r *groupResolver) groupFor(ctx context.Context, s catalog.Scope, id string) (string, error) {
	if err := r.list(ctx); err != nil {
		return "", err
	}
	want := r.prefix + autoGroupName(s, id)
	key := catalog.ResourceKey(s, id)
	for _, g := range r.groups {
		keys := g.ObjectKeys()
		if len(keys) != 1 || keys[0] != key {
			continue
		}
		// The account-wide group is Cloudflare's own, whatever its name.
		if g.Name == want || (s == catalog.ScopeAccount && r.prefix == "") {
			return g.ID, nil
		}
	}
	g, err := r.client.CreateResourceGroup(ctx, r.accountID, want, []string{key})
	if err != nil {
		return "", err
	}
	r.groups = append(r.groups, *g)
	return g.ID, nil
}

// toAPI turns a spec into an API policy, with resource groups found or created.
func (r *groupResolver) toAPI(ctx context.Context, spec policy.MemberSpec, policyID string) (cfclient.MemberPolicy, error) {
	rgs := slices.Clone(spec.ResourceGroupIDs)
	for _, id := range spec.ObjectIDs {
		gid, err := r.groupFor(ctx, spec.Scope, id)
		if err != nil {
			return cfclient.MemberPolicy{}, err
		}
		rgs = append(rgs, gid)
	}
	return cfclient.NewMemberPolicy(policyID, spec.Access, spec.RoleIDs, rgs), nil
}

// managedGroups returns the IDs of the provider-made groups a policy uses:
// a member's per-object groups (not the account's own) and every group of an
// additive family.
func managedGroups(p cfclient.MemberPolicy) []string {
	var out []string
	for _, g := range p.ResourceGroups {
		s, _, ok := classifyGroup(g.Name, g.ObjectKeys())
		additive := slices.ContainsFunc(additiveFamilies, func(f Groups) bool { return f.prefix != "" && strings.HasPrefix(g.Name, f.prefix) })
		if (ok && s != catalog.ScopeAccount) || additive {
			out = append(out, g.ID)
		}
	}
	return out
}

// cleanup deletes provider-made groups that the policies before a write used
// and those after it do not. The API refuses (409) while any holder's policy
// still uses one: that is the reuse case, and not an error.
func (s *groupService) cleanup(ctx context.Context, accountID string, before, after []cfclient.MemberPolicy) {
	still := map[string]bool{}
	for _, p := range after {
		for _, id := range p.ResourceGroupIDs() {
			still[id] = true
		}
	}
	done := map[string]bool{}
	for _, p := range before {
		for _, id := range managedGroups(p) {
			if still[id] || done[id] {
				continue
			}
			done[id] = true
			_ = s.client.DeleteResourceGroup(ctx, accountID, id) // best effort: in use elsewhere, or already gone
		}
	}
}
