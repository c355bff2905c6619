// Package catalog owns cfiam's domain: the roles and permission groups that
// Cloudflare defines, the scope each belongs to, and the rules for using them.
// It imports no Terraform, HTTP or Cloudflare SDK code, so that the provider's
// validators and the emulator's authorization share one set of rules.
package catalog

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Scope is where a role or permission group may be used.
type Scope string

const (
	// ScopeAccount: account-scoped roles, and account permission groups of API tokens.
	ScopeAccount Scope = "account"
	// ScopeZone: domain-scoped roles, and zone permission groups of API tokens.
	ScopeZone Scope = "zone"
	// The resource-scoped scopes (roles only) are the rows of the kinds
	// table (kinds.go): ScopeTunnel, ScopeMeshNode, ScopeAccessApplication, ...
	// ScopeUser: user permission groups of API tokens (permission groups only).
	ScopeUser Scope = "user"
)

// Kind tells the two catalogs apart: member roles and API token permission groups.
type Kind string

const (
	KindRole            Kind = "role"
	KindPermissionGroup Kind = "permission group"
)

// RoleScopes and PermissionGroupScopes list the scopes valid for each kind, in display order.
var (
	RoleScopes            = append([]Scope{ScopeAccount, ScopeZone}, ResourceScopes()...)
	PermissionGroupScopes = []Scope{ScopeUser, ScopeAccount, ScopeZone}
)

// ParseScope turns "account", "zone", "user" or a resource kind's scope
// ("tunnel", "access_application", ...) into a Scope.
func ParseScope(s string) (Scope, error) {
	if slices.Contains(RoleScopes, Scope(s)) || Scope(s) == ScopeUser {
		return Scope(s), nil
	}
	return "", fmt.Errorf("unknown scope %q: expected one of %s", s, scopeList())
}

// scopeList names every scope for messages: "account, zone, tunnel, ..., user".
func scopeList() string {
	names := make([]string, 0, len(RoleScopes)+1)
	for _, s := range RoleScopes {
		names = append(names, string(s))
	}
	return strings.Join(append(names, string(ScopeUser)), ", ")
}

// ResourceScoped reports whether s is a kind of individual resource that
// resource-scoped roles are bound to (a row of the kinds table).
func (s Scope) ResourceScoped() bool {
	_, ok := KindOf(s)
	return ok
}

// Describe names a scope the way Cloudflare's docs do, for diagnostics.
func (s Scope) Describe(k Kind) string {
	switch {
	case k == KindRole && s == ScopeAccount:
		return "an account-scoped role"
	case k == KindRole && s == ScopeZone:
		return "a domain-scoped role"
	case k == KindRole && s.ResourceScoped():
		kind, _ := KindOf(s)
		return "a resource-scoped role for " + kind.Title
	case s == ScopeAccount:
		return "an account " + string(k)
	default:
		return fmt.Sprintf("a %s %s", s, k)
	}
}

// Entry is one role or permission group.
type Entry struct {
	ID          string
	Name        string
	Description string
	Scope       Scope
	Kind        Kind
	// Label is Cloudflare's machine name (the `label` in an IAM permission group's meta).
	Label string
}

// Catalog is an indexed set of roles and permission groups. It is immutable
// once built and safe for concurrent use.
type Catalog struct {
	entries []Entry
	byID    map[string]int
	byName  map[Kind]map[string][]int // lower-cased name -> indexes, one per scope
}

// New indexes entries. Later entries with the same kind, scope and name replace earlier ones.
func New(entries []Entry) *Catalog {
	c := &Catalog{byID: map[string]int{}, byName: map[Kind]map[string][]int{}}
	for _, e := range entries {
		key := strings.ToLower(e.Name)
		if c.byName[e.Kind] == nil {
			c.byName[e.Kind] = map[string][]int{}
		}
		replaced := false
		for _, i := range c.byName[e.Kind][key] {
			if c.entries[i].Scope == e.Scope {
				delete(c.byID, c.entries[i].ID)
				c.entries[i] = e
				c.byID[e.ID] = i
				replaced = true
			}
		}
		if replaced {
			continue
		}
		c.entries = append(c.entries, e)
		i := len(c.entries) - 1
		c.byID[e.ID] = i
		c.byName[e.Kind][key] = append(c.byName[e.Kind][key], i)
	}
	return c
}

// Entries returns the entries of kind k, sorted by scope (display order) then name.
func (c *Catalog) Entries(k Kind) []Entry {
	var out []Entry
	for _, e := range c.entries {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	sortEntries(out)
	return out
}

// Roles returns every member role; PermissionGroups every API token permission group.
func (c *Catalog) Roles() []Entry            { return c.Entries(KindRole) }
func (c *Catalog) PermissionGroups() []Entry { return c.Entries(KindPermissionGroup) }

// InScope returns the entries of kind k in scope s, sorted by name.
func (c *Catalog) InScope(k Kind, s Scope) []Entry {
	var out []Entry
	for _, e := range c.entries {
		if e.Kind == k && e.Scope == s {
			out = append(out, e)
		}
	}
	sortEntries(out)
	return out
}

// ByID returns the entry with that ID, of any kind.
func (c *Catalog) ByID(id string) (Entry, bool) {
	i, ok := c.byID[strings.ToLower(strings.TrimSpace(id))]
	if !ok {
		i, ok = c.byID[id]
	}
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Find returns every entry of kind k whose name (case-insensitive) or ID is ref, in any scope.
func (c *Catalog) Find(k Kind, ref string) []Entry {
	if e, ok := c.ByID(ref); ok && e.Kind == k {
		return []Entry{e}
	}
	var out []Entry
	for _, i := range c.byName[k][strings.ToLower(strings.TrimSpace(ref))] {
		out = append(out, c.entries[i])
	}
	sortEntries(out)
	return out
}

// scopeRank orders scopes for display: user, then RoleScopes' order.
func scopeRank(s Scope) int {
	if s == ScopeUser {
		return 0
	}
	if i := slices.Index(RoleScopes, s); i >= 0 {
		return i + 1
	}
	return len(RoleScopes) + 1
}

func sortEntries(es []Entry) {
	sort.SliceStable(es, func(a, b int) bool {
		if es[a].Scope != es[b].Scope {
			return scopeRank(es[a].Scope) < scopeRank(es[b].Scope)
		}
		return es[a].Name < es[b].Name
	})
}
