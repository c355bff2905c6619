package review

import (
	"strconv"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// PrincipalKind is who holds a grant.
type PrincipalKind string

const (
	PrincipalMember PrincipalKind = "member"
	PrincipalToken  PrincipalKind = "token"
	PrincipalGroup  PrincipalKind = "user group"
)

// Principal is a member (by e-mail, or by ID or address where the plan does
// not say the e-mail), an API token (by name) or a user group (by name).
type Principal struct {
	Kind PrincipalKind
	Name string
}

func (p Principal) String() string {
	switch p.Kind {
	case PrincipalToken:
		return "token " + strconv.Quote(p.Name)
	case PrincipalGroup:
		return "user group " + strconv.Quote(p.Name)
	}
	return p.Name
}

// ScopeKind is the kind of object a grant applies to.
type ScopeKind string

const (
	ScopeUnknown ScopeKind = ""
	ScopeAccount ScopeKind = "account"
	ScopeZone    ScopeKind = "zone"
	// Each resource kind's objects have its catalog scope as their kind:
	// ScopeKind(catalog.ScopeTunnel) is "tunnel".
	ScopeTunnel        ScopeKind = ScopeKind(catalog.ScopeTunnel)
	ScopeMeshNode      ScopeKind = ScopeKind(catalog.ScopeMeshNode)
	ScopeUser          ScopeKind = "user"
	ScopeAllZones      ScopeKind = "all zones"
	ScopeResourceGroup ScopeKind = "resource group"
)

// Scope is the object a grant applies to. ID "" with a known Kind is an
// object only apply knows (an ID of a resource not created yet); ID "" with
// ScopeAllZones is every zone of every account the token reaches.
type Scope struct {
	Kind ScopeKind
	ID   string
	Name string // from the plan's own values (a zone's name, a Tunnel's), or ""
}

func (s Scope) String() string {
	what := s.Name
	if what == "" {
		what = s.ID
	}
	if what == "" {
		what = KnownAfterApply
	}
	switch s.Kind {
	case ScopeUnknown:
		return KnownAfterApply
	case ScopeAccount:
		return "account " + what
	case ScopeZone:
		return "zone " + what
	case ScopeUser:
		return "the token's user"
	case ScopeAllZones:
		if s.ID == "" {
			return "all zones"
		}
		return "all zones of account " + what
	case ScopeResourceGroup:
		return "resource group " + what
	}
	if k, ok := catalog.KindOf(catalog.Scope(s.Kind)); ok {
		return k.Short + " " + what
	}
	return what
}

// Broad reports whether the scope is account-wide or every zone.
func (s Scope) Broad() bool { return s.Kind == ScopeAccount || s.Kind == ScopeAllZones }

// Narrow reports whether the scope is chosen objects: zones, objects of a resource kind, a resource group.
func (s Scope) Narrow() bool {
	return s.Kind == ScopeZone || s.Kind == ScopeResourceGroup || catalog.Scope(s.Kind).ResourceScoped()
}

func (s Scope) key() string {
	if s.Kind == ScopeUser || s.Kind == ScopeAllZones && s.ID == "" {
		return string(s.Kind)
	}
	if s.Kind == ScopeUnknown || s.ID == "" {
		return ""
	}
	return string(s.Kind) + ":" + strings.ToLower(s.ID)
}

// Grant is one role (member, user group) or permission group (token) that a
// principal holds, or is denied, on one object, and where it comes from.
type Grant struct {
	Principal Principal
	Kind      catalog.Kind
	// Entry is the role or permission group, named from the catalog; its ID
	// is "" when the catalog does not know Ref, or Ref is not known yet.
	Entry catalog.Entry
	// Ref is the role or permission group as written ("" when only apply knows it).
	Ref    string
	Scope  Scope
	Access string // "allow", "deny", or KnownAfterApply
	// Via is the Terraform address the grant comes from.
	Via string
	// Group is the user group the grant comes through, for a group's members.
	Group string
	// unknownN tells apart grants whose role or scope only apply knows: no
	// two are the same.
	unknownN int
}

// Role names the role or permission group: the catalog's name, else as
// written, else KnownAfterApply.
func (g Grant) Role() string {
	switch {
	case g.Entry.Name != "":
		return g.Entry.Name
	case g.Ref != "":
		return g.Ref
	}
	return KnownAfterApply
}

// Binding reports whether the grant comes from one of cfiam's binding
// resources (cfiam_tunnel_binding, ...).
func (g Grant) Binding() bool { return isBindingAddress(g.Via) }

// known reports whether the role, scope and access are all known.
func (g Grant) known() bool {
	return g.unknownN == 0
}

// key is the same for two grants that give the same access to the same principal.
func (g Grant) key() string {
	role := strings.ToLower(g.Entry.ID)
	if role == "" {
		role = "ref:" + strings.ToLower(g.Ref)
	}
	k := strings.Join([]string{string(g.Principal.Kind), strings.ToLower(g.Principal.Name), string(g.Kind), role, g.Scope.key(), g.Access}, "|")
	if !g.known() {
		k += "|unknown:" + strconv.Itoa(g.unknownN)
	}
	return k
}
