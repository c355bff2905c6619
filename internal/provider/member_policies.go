package provider

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// This file holds what cfiam_account_member and cfiam_tunnel_binding share:
// the translation between policies as users write them (role names, zone and
// Tunnel IDs) and as the API holds them (permission group and resource group
// IDs), the resource groups the provider manages, and the per-member lock.

// bindingGroupPrefix starts the name of every resource group a Tunnel binding
// creates. A policy whose resource groups all carry it belongs to a binding:
// cfiam_account_member neither shows it nor removes it.
const bindingGroupPrefix = "cfiam-tunnel-binding:"

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

// autoGroupName is the name of the resource group the provider creates for one
// object: Cloudflare's own resource key, as the dashboard names them.
func autoGroupName(s catalog.Scope, id string) string { return catalog.ResourceKey(s, id) }

// classifyGroup says whether a resource group is one the provider manages for
// a single object (returning its scope and ID) or one the user names.
func classifyGroup(name string, objectKeys []string) (catalog.Scope, string, bool) {
	if len(objectKeys) != 1 {
		return "", "", false
	}
	s, id, err := catalog.ParseResourceKey(objectKeys[0])
	if err != nil {
		return "", "", false
	}
	if s == catalog.ScopeAccount || name == autoGroupName(s, id) {
		return s, id, true
	}
	return "", "", false
}

// isBindingPolicy reports whether an API policy belongs to a cfiam_tunnel_binding.
func isBindingPolicy(p cfclient.MemberPolicy) bool {
	if len(p.ResourceGroups) == 0 {
		return false
	}
	for _, g := range p.ResourceGroups {
		if !strings.HasPrefix(g.Name, bindingGroupPrefix) {
			return false
		}
	}
	return true
}

// specFromAPI reduces an API policy to a policy.MemberSpec.
func specFromAPI(p cfclient.MemberPolicy) policy.MemberSpec {
	spec := policy.MemberSpec{Access: p.Access, RoleIDs: sortedCopy(p.PermissionGroupIDs())}
	for _, g := range p.ResourceGroups {
		if s, id, ok := classifyGroup(g.Name, g.ObjectKeys()); ok && (spec.Scope == "" || spec.Scope == s) {
			spec.Scope = s
			spec.ObjectIDs = append(spec.ObjectIDs, id)
			continue
		}
		spec.ResourceGroupIDs = append(spec.ResourceGroupIDs, g.ID)
	}
	spec.ObjectIDs = sortedCopy(spec.ObjectIDs)
	spec.ResourceGroupIDs = sortedCopy(spec.ResourceGroupIDs)
	return spec
}

// inputFromSpec writes an API policy the way a user would: role names from
// the catalog, IDs where the embedded catalog (terraform validate's) would
// not know the name (see configRef).
func inputFromSpec(spec policy.MemberSpec, cat *catalog.Catalog) policy.MemberPolicy {
	roles := make([]string, 0, len(spec.RoleIDs))
	for _, id := range spec.RoleIDs {
		roles = append(roles, configRef(cat, catalog.KindRole, spec.Scope, id))
	}
	in := policy.MemberPolicy{Access: policy.Str(spec.Access), Roles: policy.Set(roles...), ResourceGroupIDs: policy.Set(spec.ResourceGroupIDs...)}
	switch spec.Scope {
	case catalog.ScopeZone:
		in.ZoneIDs = policy.Set(spec.ObjectIDs...)
	case catalog.ScopeTunnel:
		in.TunnelIDs = policy.Set(spec.ObjectIDs...)
	}
	return in
}

// groupResolver finds or creates the resource groups that policies need,
// listing the account's groups at most once.
type groupResolver struct {
	client    *cfclient.Client
	accountID string
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
// (named by autoGroupName, or with the given name prefix) when none exists.
func (r *groupResolver) groupFor(ctx context.Context, s catalog.Scope, id, namePrefix string) (string, error) {
	if err := r.list(ctx); err != nil {
		return "", err
	}
	want := namePrefix + autoGroupName(s, id)
	key := catalog.ResourceKey(s, id)
	for _, g := range r.groups {
		keys := g.ObjectKeys()
		if len(keys) != 1 || keys[0] != key {
			continue
		}
		// The account-wide group is Cloudflare's own, whatever its name.
		if g.Name == want || (s == catalog.ScopeAccount && namePrefix == "") {
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
func (r *groupResolver) toAPI(ctx context.Context, spec policy.MemberSpec, policyID, namePrefix string) (cfclient.MemberPolicy, error) {
	rgs := slices.Clone(spec.ResourceGroupIDs)
	for _, id := range spec.ObjectIDs {
		gid, err := r.groupFor(ctx, spec.Scope, id, namePrefix)
		if err != nil {
			return cfclient.MemberPolicy{}, err
		}
		rgs = append(rgs, gid)
	}
	return cfclient.NewMemberPolicy(policyID, spec.Access, spec.RoleIDs, rgs), nil
}

// managedGroups returns the IDs of the provider-made groups a policy uses.
func managedGroups(p cfclient.MemberPolicy) []string {
	var out []string
	for _, g := range p.ResourceGroups {
		s, _, ok := classifyGroup(g.Name, g.ObjectKeys())
		if (ok && s != catalog.ScopeAccount) || strings.HasPrefix(g.Name, bindingGroupPrefix) {
			out = append(out, g.ID)
		}
	}
	return out
}

// cleanupGroups deletes provider-made groups that no policy uses any more.
// The API refuses (409) while any member's policy still uses one: that is the
// reuse case, and not an error.
func cleanupGroups(ctx context.Context, client *cfclient.Client, accountID string, before, after []cfclient.MemberPolicy) {
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
			_ = client.DeleteResourceGroup(ctx, accountID, id) // best effort: in use elsewhere, or already gone
		}
	}
}

// keyedMutex serialises read-modify-write cycles per key (account/member)
// within one provider process: a member resource and its bindings applied in
// parallel must not overwrite each other's policies.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: map[string]*sync.Mutex{}} }

// lock locks key and returns the unlock function.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	l, ok := k.locks[key]
	if !ok {
		l = &sync.Mutex{}
		k.locks[key] = l
	}
	k.mu.Unlock()
	l.Lock()
	return l.Unlock
}

func memberLockKey(accountID, memberID string) string { return accountID + "/" + memberID }
