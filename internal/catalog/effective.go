package catalog

import "strings"

// Effect is what a policy does: allow or deny.
type Effect string

const (
	EffectAllow Effect = "allow"
	EffectDeny  Effect = "deny"
)

// AllResources in Grant.ResourceIDs means every resource of the grant's scope.
const AllResources = "*"

// Grant is one role a member holds (or is denied) at one scope: the input of
// the effective-access functions below, shared by the emulator's
// authorization and the provider's cfiam_effective_access data source.
//
// Scope is where the role is bound: ScopeAccount (account-wide; ResourceIDs
// is ignored), ScopeZone (ResourceIDs are zone IDs) or a resource kind's
// scope (ResourceIDs are IDs of that kind: Tunnels, Access applications, ...);
// AllResources stands for every zone or object of the kind.
// A grant whose role belongs to another scope than the grant's is invalid
// (the API refuses it) and counts for nothing.
type Grant struct {
	Effect      Effect
	Role        Entry
	Scope       Scope
	ResourceIDs []string
	// Via says where the grant comes from (a policy ID, "roles", a binding's
	// name); it is copied into Reasons and never interpreted.
	Via string
}

// Reason is one grant that gives (or, in Denied, takes away) access.
type Reason struct {
	Role   string // the role's name
	RoleID string
	Scope  Scope  // ScopeAccount: an account-wide role; ScopeZone or a resource kind: a role bound to this resource
	Access Access // what this grant alone gives (for a deny: what it names)
	Via    string
}

// AccessWithReasons is the effective access to one resource and why.
type AccessWithReasons struct {
	Access  Access
	Reasons []Reason // the allow grants that give access, in input order
	Denied  []Reason // the deny grants that removed this resource, in input order
}

func (g Grant) valid() bool {
	return g.Role.Kind == KindRole && (g.Role.Scope == "" || g.Role.Scope == g.Scope) &&
		(g.Effect == EffectAllow || g.Effect == EffectDeny)
}

func (g Grant) covers(id string) bool {
	for _, r := range g.ResourceIDs {
		if r == AllResources || strings.EqualFold(r, id) {
			return true
		}
	}
	return false
}

func (g Grant) reason(a Access) Reason {
	return Reason{Role: g.Role.Name, RoleID: g.Role.ID, Scope: g.Scope, Access: a, Via: g.Via}
}

func sameRole(a, b Entry) bool {
	if a.ID != "" && b.ID != "" {
		return strings.EqualFold(a.ID, b.ID)
	}
	return strings.EqualFold(a.Name, b.Name) && a.Scope == b.Scope
}

// EffectiveAccountRoles returns the account-wide allow grants left once the
// account-wide deny grants are applied: a deny on the account removes the
// account-wide grants of the roles it names (Cloudflare evaluates deny over
// allow). Grants at other scopes are not returned.
func EffectiveAccountRoles(grants []Grant) []Grant {
	var out []Grant
	for _, g := range grants {
		if g.valid() && g.Scope == ScopeAccount && g.Effect == EffectAllow && !accountDenied(grants, g.Role) {
			out = append(out, g)
		}
	}
	return out
}

// accountDenied: does an account-wide deny name role?
func accountDenied(grants []Grant, role Entry) bool {
	for _, d := range grants {
		if d.valid() && d.Scope == ScopeAccount && d.Effect == EffectDeny && sameRole(d.Role, role) {
			return true
		}
	}
	return false
}

// HoldsSuperAdministrator reports whether the grants leave Super
// Administrator account-wide.
func HoldsSuperAdministrator(grants []Grant) bool {
	for _, g := range EffectiveAccountRoles(grants) {
		if IsSuperAdministrator(g.Role) {
			return true
		}
	}
	return false
}

// AccountTunnelAccess is the access the grants give to every Tunnel of the
// account, Tunnels created later included: account-scoped roles only
// (TunnelAccess), after account-wide denies. Creating a Tunnel needs AccessEdit here.
func AccountTunnelAccess(grants []Grant) AccessWithReasons {
	return AccountResourceAccess(grants, ScopeTunnel)
}

// AccountResourceAccess is AccountTunnelAccess for any resource kind: the access account-scoped roles give to
// every resource of that kind (ResourceAccess), after account-wide denies.
func AccountResourceAccess(grants []Grant, kind Scope) AccessWithReasons {
	var out AccessWithReasons
	for _, g := range EffectiveAccountRoles(grants) {
		if a := ResourceAccess(g.Role, kind); a != AccessNone {
			out.Reasons = append(out.Reasons, g.reason(a))
			out.Access = max(out.Access, a)
		}
	}
	return out
}

// EffectiveTunnelAccess returns, for each of tunnelIDs, the access the grants
// give and which grants give it, following tunnel-granular-permissions.txt:
// access to a Tunnel comes from "an account-level role that covers Tunnels
// (for example, Cloudflare Access)" or "a resource-scoped role bound to that
// specific Tunnel" (TunnelAccess says which roles, and read or edit); the
// highest wins. Deny is evaluated over allow: a deny bound to a Tunnel
// removes that Tunnel whatever else grants it, and an account-wide deny
// removes the account-wide grants of the roles it names.
func EffectiveTunnelAccess(grants []Grant, tunnelIDs []string) map[string]AccessWithReasons {
	return EffectiveResourceAccess(grants, tunnelIDs, ScopeTunnel)
}

// EffectiveResourceAccess is EffectiveTunnelAccess for any resource kind:
// account roles that cover the kind (its Coverage) or a role of the kind
// bound to the object. A role of one kind grants nothing on another, even in
// a policy that names both.
func EffectiveResourceAccess(grants []Grant, ids []string, kind Scope) map[string]AccessWithReasons {
	return effectiveOn(grants, ids, kind, func(e Entry) Access { return ResourceAccess(e, kind) })
}

// EffectiveAttachedAccess is EffectiveResourceAccess for a kind whose objects
// may be attached to another's (ResourceKind.AttachedTo: an application's own
// Access policies): parents maps an attached object's ID to its parent's. An
// attached object also gets the access that roles bound to its parent give
// (Cloudflare Access App Admin on an application reads and edits the
// policies attached to it), unless a deny is bound to the object itself;
// account roles already reach it on their own.
func EffectiveAttachedAccess(grants []Grant, ids []string, kind Scope, parents map[string]string) map[string]AccessWithReasons {
	out := EffectiveResourceAccess(grants, ids, kind)
	k, _ := KindOf(kind)
	if k.AttachedTo == "" || len(parents) == 0 {
		return out
	}
	var parentIDs []string
	for _, id := range ids {
		if p := parents[strings.ToLower(id)]; p != "" {
			parentIDs = append(parentIDs, p)
		}
	}
	onParents := EffectiveResourceAccess(grants, parentIDs, k.AttachedTo)
	for _, id := range ids {
		p := parents[strings.ToLower(id)]
		r := out[id]
		if p == "" || len(r.Denied) > 0 {
			continue
		}
		for _, reason := range onParents[p].Reasons {
			if reason.Scope == k.AttachedTo {
				r.Reasons = append(r.Reasons, reason)
				r.Access = max(r.Access, reason.Access)
			}
		}
		out[id] = r
	}
	return out
}

// Reaches reports whether the grants can give or deny anything on some zone
// (kind ScopeZone) or object of a resource kind: a grant BoundTo the kind,
// or an allowed account role that covers the kind. When it is false,
// EffectiveZoneAccess, EffectiveResourceAccess and EffectiveAttachedAccess
// find neither a reason nor a deny on any object of the kind, so its objects
// need not be read.
func Reaches(grants []Grant, kind Scope) bool {
	access := func(e Entry) Access { return ResourceAccess(e, kind) }
	if kind == ScopeZone {
		access = zoneAccess
	}
	for _, g := range grants {
		if g.valid() && g.Scope == ScopeAccount && g.Effect == EffectAllow && access(g.Role) != AccessNone {
			return true
		}
	}
	return BoundTo(grants, kind)
}

// BoundTo reports whether some valid grant, allow or deny, is bound to
// zones (kind ScopeZone) or objects of the kind, or, for a kind attached to
// another (AttachedTo), to objects of that other kind: the grants whose
// reasons and denies on those objects are not account roles.
func BoundTo(grants []Grant, kind Scope) bool {
	k, _ := KindOf(kind)
	for _, g := range grants {
		if g.valid() && (g.Scope == kind || k.AttachedTo != "" && g.Scope == k.AttachedTo) {
			return true
		}
	}
	return false
}

// EffectiveZoneAccess is EffectiveTunnelAccess for zones: AccessRead where
// the grants allow OpZonesRead on the zone, AccessEdit where they allow
// OpZonesWrite (RoleOperations: account-scoped roles on every zone,
// domain-scoped roles on their zones). A deny bound to a zone removes it.
func EffectiveZoneAccess(grants []Grant, zoneIDs []string) map[string]AccessWithReasons {
	return effectiveOn(grants, zoneIDs, ScopeZone, zoneAccess)
}

func zoneAccess(e Entry) Access {
	switch {
	case roleAllows(e, OpZonesWrite):
		return AccessEdit
	case roleAllows(e, OpZonesRead):
		return AccessRead
	}
	return AccessNone
}

func effectiveOn(grants []Grant, ids []string, scope Scope, access func(Entry) Access) map[string]AccessWithReasons {
	out := make(map[string]AccessWithReasons, len(ids))
	for _, id := range ids {
		var r AccessWithReasons
		for _, g := range grants {
			if g.valid() && g.Scope == scope && g.Effect == EffectDeny && g.covers(id) {
				r.Denied = append(r.Denied, g.reason(access(g.Role)))
			}
		}
		if len(r.Denied) == 0 {
			for _, g := range grants {
				if !g.valid() || g.Effect != EffectAllow {
					continue
				}
				switch {
				case g.Scope == ScopeAccount && !accountDenied(grants, g.Role):
				case g.Scope == scope && g.covers(id):
				default:
					continue
				}
				if a := access(g.Role); a != AccessNone {
					r.Reasons = append(r.Reasons, g.reason(a))
					r.Access = max(r.Access, a)
				}
			}
		}
		out[id] = r
	}
	return out
}

// AccountAllows reports whether the grants allow an account operation
// account-wide (RoleOperations of the account-scoped roles left after
// account-wide denies). Zone operations here mean every zone of the account;
// per-zone access is EffectiveZoneAccess.
func AccountAllows(grants []Grant, op Operation) bool {
	for _, g := range EffectiveAccountRoles(grants) {
		if roleAllows(g.Role, op) {
			return true
		}
	}
	return false
}
