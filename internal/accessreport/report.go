// Package accessreport lists every effective grant of a Cloudflare account:
// who (member, user group, API token) holds which role or permission group,
// on which object, allowed or denied, and through what (a policy of its own,
// a binding, a user group, a token policy). `cfiam access` prints it; the
// HTML view also shows a review's changes (FromReview, for `cfiam review
// --format html`).
//
// It evaluates grants with catalog's functions (AccountAccess.MemberGrants,
// EffectiveZoneAccess, EffectiveResourceAccess), the ones the emulator
// authorizes with and cfiam_effective_access reports with, and marks
// escalations with internal/review's rule. Standard library, catalog and
// review only: no HTTP, no Terraform.
package accessreport

import (
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

// Object is a zone or an object of a resource kind, by ID and name.
type Object struct {
	ID   string
	Name string
}

// TokenPolicy is one policy of an API token: its effect, permission group
// IDs and resource keys (an account key may carry zone keys).
type TokenPolicy struct {
	ID                 string
	Effect             string
	PermissionGroupIDs []string
	Resources          map[string]any
}

// Token is an account token or one of the caller's user tokens.
type Token struct {
	ID       string
	Name     string
	Owner    string // "account" or "user"
	Status   string
	Policies []TokenPolicy
}

// Input is an account as read once: who holds what, the catalog, and the
// objects grants are evaluated on.
type Input struct {
	Access      catalog.AccountAccess
	AccountName string
	// Role resolves a role or permission group ID.
	Role func(id string) (catalog.Entry, bool)
	// Bindings holds the (lowercase) IDs of member policies that bindings
	// (cfiam_tunnel_binding, ...) own.
	Bindings map[string]bool
	Zones    []Object
	Objects  map[catalog.Scope][]Object
	Tokens   []Token
	// Parents maps an Access policy attached to an application (the
	// application's own policy) to that application's ID: whoever reads or
	// edits the application reads or edits its own policies.
	Parents map[string]string
	// EachObject lists an account role also on every zone and object it
	// reaches (for --scope: who can do what on this object). Otherwise an
	// account role is one account row, its Reaches naming what it covers,
	// and objects get the rows of grants bound to them (and their denies).
	EachObject bool
}

// Principal kinds.
const (
	KindMember       = "member"
	KindGroup        = "group"
	KindAccountToken = "account_token"
	KindUserToken    = "user_token"
)

// How a grant is held.
const (
	HeldDirect  = "direct"  // one of the member's own policies
	HeldLegacy  = "legacy"  // the member's legacy roles list
	HeldBinding = "binding" // a member policy a binding owns
	HeldGroup   = "group"   // a policy of a user group the member belongs to
	HeldToken   = "token"   // a token's policy
)

// Grant is one row of the report.
type Grant struct {
	Principal     string   `json:"principal"`
	PrincipalKind string   `json:"principal_kind"`
	PrincipalID   string   `json:"principal_id"`
	Role          string   `json:"role"`
	RoleKind      string   `json:"role_kind"` // role or permission_group
	Scope         string   `json:"scope"`     // account, zone or a resource kind (tunnel, access_application, ...)
	ObjectID      string   `json:"object_id"`
	ObjectName    string   `json:"object_name"`
	Effect        string   `json:"effect"` // allow or deny
	Access        string   `json:"access"` // read or edit on an object; "" for an account-wide role or a deny
	Held          string   `json:"held"`
	Group         string   `json:"group,omitempty"`
	Policy        string   `json:"policy,omitempty"`
	Via           string   `json:"via"`  // "direct", "binding <policy id>", "group \"X\" policy <id>", ...
	Path          []string `json:"path"` // principal → group → policy → role → object
	Escalation    string   `json:"escalation,omitempty"`
	// Reaches: for an account role, the scopes (zone, tunnel, ...) on
	// every object of which it gives access, unless a deny bound to an
	// object removes it there.
	Reaches []string `json:"reaches,omitempty"`
	// Change is what a reviewed plan does to the grant (ChangeGained,
	// ChangeLost, ChangeUnchanged); "" in an access report.
	Change string `json:"change,omitempty"`
}

// Where names the grant's scope: `account`, `zone example.com`, `tunnel web`.
func (g Grant) Where() string {
	if g.Scope == string(catalog.ScopeAccount) {
		return "account " + g.ObjectName
	}
	return g.Scope + " " + g.ObjectName
}

// Build evaluates every principal's grants. Rows come escalations first,
// then by principal kind, principal, scope, object, role.
func Build(in Input) []Grant {
	var out []Grant
	acctName := in.AccountName
	if acctName == "" {
		acctName = in.Access.AccountID
	}
	for _, m := range in.Access.Members {
		grants := in.Access.MemberGrants(m, in.Role)
		p := principal{name: m.Email, kind: KindMember, id: m.ID}
		out = append(out, in.evaluate(p, grants, acctName)...)
	}
	for _, g := range in.Access.Groups {
		grants := catalog.MemberGrants(true, in.Access.AccountID, nil, g.Policies, in.Role)
		p := principal{name: g.Name, kind: KindGroup, id: g.ID}
		out = append(out, in.evaluate(p, grants, acctName)...)
	}
	for _, t := range in.Tokens {
		out = append(out, in.tokenGrants(t, acctName)...)
	}
	Sort(out)
	return out
}

// Sort orders rows: escalations first, then members, groups, tokens; by
// principal, scope (account first), object name, role.
func Sort(rows []Grant) {
	kindRank := map[string]int{KindMember: 0, KindGroup: 1, KindAccountToken: 2, KindUserToken: 3}
	scopeRank := func(s string) int {
		switch s {
		case string(catalog.ScopeAccount):
			return 0
		case string(catalog.ScopeZone):
			return 1
		}
		return 2
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.Escalation != "") != (b.Escalation != "") {
			return a.Escalation != ""
		}
		if kindRank[a.PrincipalKind] != kindRank[b.PrincipalKind] {
			return kindRank[a.PrincipalKind] < kindRank[b.PrincipalKind]
		}
		if a.Principal != b.Principal {
			return a.Principal < b.Principal
		}
		if scopeRank(a.Scope) != scopeRank(b.Scope) {
			return scopeRank(a.Scope) < scopeRank(b.Scope)
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		if a.ObjectName != b.ObjectName {
			return a.ObjectName < b.ObjectName
		}
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		return a.Effect < b.Effect
	})
}

type principal struct{ name, kind, id string }

// evaluate turns one principal's grants into rows: the account roles left
// after account-wide denies, the account-wide denies, then for each zone and
// each object of every kind the grants bound to it (and, with EachObject,
// the account roles that cover it) and the denies that remove it.
func (in Input) evaluate(p principal, grants []catalog.Grant, acctName string) []Grant {
	var out []Grant
	acct := Object{ID: in.Access.AccountID, Name: acctName}
	for _, g := range catalog.EffectiveAccountRoles(grants) {
		r := in.row(p, g.Role, g.Via, catalog.ScopeAccount, acct, catalog.EffectAllow, "")
		for _, s := range objectScopes() {
			if catalog.Reaches([]catalog.Grant{g}, s) {
				r.Reaches = append(r.Reaches, string(s))
			}
		}
		if len(r.Reaches) > 0 {
			r.Path = append(r.Path, "every "+strings.Join(r.Reaches, ", "))
		}
		out = append(out, r)
	}
	for _, g := range grants {
		if g.Effect == catalog.EffectDeny && g.Scope == catalog.ScopeAccount {
			out = append(out, in.row(p, g.Role, g.Via, catalog.ScopeAccount, acct, catalog.EffectDeny, ""))
		}
	}
	out = append(out, in.onObjects(p, catalog.ScopeZone, in.Zones, catalog.EffectiveZoneAccess(grants, ids(in.Zones)))...)
	for _, k := range catalog.Kinds() {
		objs := in.Objects[k.Scope]
		out = append(out, in.onObjects(p, k.Scope, objs, catalog.EffectiveAttachedAccess(grants, ids(objs), k.Scope, in.Parents))...)
	}
	return dedupe(out)
}

func (in Input) onObjects(p principal, scope catalog.Scope, objs []Object, eff map[string]catalog.AccessWithReasons) []Grant {
	var out []Grant
	for _, o := range objs {
		a := eff[o.ID]
		for _, r := range a.Denied {
			out = append(out, in.row(p, in.entry(r), r.Via, scope, o, catalog.EffectDeny, ""))
		}
		for _, r := range a.Reasons {
			if r.Scope == catalog.ScopeAccount && !in.EachObject {
				continue // the account row says it, with what it reaches
			}
			g := in.row(p, in.entry(r), r.Via, scope, o, catalog.EffectAllow, r.Access.String())
			if r.Scope != scope && r.Scope != catalog.ScopeAccount {
				// A role bound to the object's parent (catalog.EffectiveAttachedAccess):
				// an application's own Access policy, reached through the application.
				parent := in.Parents[strings.ToLower(o.ID)]
				name := in.objectName(r.Scope, parent)
				g.Via += " through application " + quote(name)
				g.Path = append(g.Path[:len(g.Path)-1], string(r.Scope)+" "+name, g.Where())
			}
			out = append(out, g)
		}
	}
	return out
}

// objectName is the name of an object of a kind, by ID ("" when not listed).
func (in Input) objectName(kind catalog.Scope, id string) string {
	for _, o := range in.Objects[kind] {
		if strings.EqualFold(o.ID, id) {
			return o.Name
		}
	}
	return ""
}

func (in Input) entry(r catalog.Reason) catalog.Entry {
	if e, ok := in.Role(r.RoleID); ok {
		return e
	}
	return catalog.Entry{ID: r.RoleID, Name: r.Role, Kind: catalog.KindRole, Scope: r.Scope}
}

// row builds one row and says how it is held from the grant's Via.
func (in Input) row(p principal, role catalog.Entry, via string, scope catalog.Scope, o Object, effect catalog.Effect, access string) Grant {
	g := Grant{Principal: p.name, PrincipalKind: p.kind, PrincipalID: p.id, Role: role.Name, RoleKind: "role",
		Scope: string(scope), ObjectID: o.ID, ObjectName: o.Name, Effect: string(effect), Access: access}
	if role.Kind == catalog.KindPermissionGroup {
		g.RoleKind = "permission_group"
	}
	path := []string{p.kind + " " + p.name}
	switch group, policyID, isGroup := catalog.GroupFromVia(via); {
	case isGroup:
		g.Held, g.Group, g.Policy = HeldGroup, group, policyID
		g.Via = "group " + quote(group) + " policy " + policyID
		path = append(path, "group "+group, "policy "+policyID)
	case via == catalog.ViaLegacyRoles:
		g.Held, g.Via = HeldLegacy, "legacy roles"
		path = append(path, "legacy roles")
	default:
		id, _ := catalog.PolicyIDFromVia(via)
		g.Policy = id
		if in.Bindings[strings.ToLower(id)] {
			if p.kind == KindGroup {
				g.Held, g.Via = HeldDirect, "policy "+id
			} else {
				g.Held, g.Via = HeldBinding, "binding policy "+id
			}
			path = append(path, "binding policy "+id)
		} else {
			g.Held, g.Via = HeldDirect, "policy "+id
			path = append(path, "policy "+id)
		}
	}
	g.Path = append(path, g.RoleKind+" "+role.Name, g.Where())
	g.Escalation = Escalation(role, effect)
	return g
}

// tokenGrants lists a token's policies: each permission group on each
// resource, named.
func (in Input) tokenGrants(t Token, acctName string) []Grant {
	kind := KindAccountToken
	if t.Owner == "user" {
		kind = KindUserToken
	}
	zoneName := map[string]string{}
	for _, z := range in.Zones {
		zoneName[strings.ToLower(z.ID)] = z.Name
	}
	var out []Grant
	for _, pol := range t.Policies {
		var targets []struct {
			scope catalog.Scope
			obj   Object
		}
		keys := make([]string, 0, len(pol.Resources))
		for k := range pol.Resources {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			scope, id, err := catalog.ParseResourceKey(key)
			if err != nil {
				continue
			}
			add := func(s catalog.Scope, o Object) {
				targets = append(targets, struct {
					scope catalog.Scope
					obj   Object
				}{s, o})
			}
			if nested, ok := pol.Resources[key].(map[string]any); ok {
				for zk := range nested {
					if zs, zid, err := catalog.ParseResourceKey(zk); err == nil {
						add(zs, tokenObject(zs, zid, zoneName, acctName))
					}
				}
				continue
			}
			add(scope, tokenObject(scope, id, zoneName, acctName))
		}
		for _, pgID := range pol.PermissionGroupIDs {
			e, ok := in.Role(pgID)
			if !ok {
				e = catalog.Entry{ID: pgID, Name: pgID, Kind: catalog.KindPermissionGroup}
			}
			for _, tg := range targets {
				g := Grant{Principal: t.Name, PrincipalKind: kind, PrincipalID: t.ID, Role: e.Name, RoleKind: "permission_group",
					Scope: string(tg.scope), ObjectID: tg.obj.ID, ObjectName: tg.obj.Name, Effect: pol.Effect,
					Held: HeldToken, Policy: pol.ID, Via: "token policy " + pol.ID}
				g.Path = []string{strings.ReplaceAll(kind, "_", " ") + " " + t.Name, "token policy " + pol.ID, "permission_group " + e.Name, g.Where()}
				g.Escalation = Escalation(e, catalog.Effect(pol.Effect))
				out = append(out, g)
			}
		}
	}
	return out
}

func tokenObject(s catalog.Scope, id string, zoneName map[string]string, acctName string) Object {
	switch {
	case id == "*" && s == catalog.ScopeZone:
		return Object{ID: "*", Name: "all zones"}
	case s == catalog.ScopeZone && zoneName[strings.ToLower(id)] != "":
		return Object{ID: id, Name: zoneName[strings.ToLower(id)]}
	case s == catalog.ScopeAccount:
		return Object{ID: id, Name: acctName}
	}
	return Object{ID: id, Name: id}
}

// Escalation says why an allowed role or permission group lets its holder
// take more access ("" when it does not): Super Administrator,
// Administrator, a role that manages members or tokens, a permission group
// that edits tokens or members. It is cfiam review's rule (review.Escalates),
// without widening, which only a change has.
func Escalation(e catalog.Entry, effect catalog.Effect) string {
	if effect != catalog.EffectAllow {
		return ""
	}
	return review.Escalates(e)
}

func ids(objs []Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.ID
	}
	return out
}

// dedupe drops rows repeated by two resource groups of one policy.
func dedupe(rows []Grant) []Grant {
	seen := map[string]bool{}
	out := rows[:0]
	for _, r := range rows {
		k := strings.Join([]string{r.Role, r.Scope, r.ObjectID, r.Effect, r.Via}, "\x00")
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// Filter keeps the rows matching every non-empty filter: principal (name or
// ID, substring, any case), role (substring), scope (object name or ID, or a
// scope such as "zone" or "tunnel", substring), and escalations only.
type Filter struct {
	Principal, Role, Scope string
	EscalationsOnly        bool
}

// Apply returns the rows f keeps.
func (f Filter) Apply(rows []Grant) []Grant {
	var out []Grant
	for _, r := range rows {
		switch {
		case f.Principal != "" && !has(r.Principal, f.Principal) && !has(r.PrincipalID, f.Principal):
		case f.Role != "" && !has(r.Role, f.Role):
		case f.Scope != "" && !has(r.Where(), f.Scope) && !has(r.ObjectID, f.Scope):
		case f.EscalationsOnly && r.Escalation == "":
		default:
			out = append(out, r)
		}
	}
	return out
}

// Needs says which scopes' objects the report of in, filtered by f, can
// show: catalog.ScopeZone and each resource kind to whose objects some
// grant of a principal f keeps is bound (catalog.BoundTo) or, with
// in.EachObject, which it reaches (catalog.Reaches: account roles too), and
// zones too when a token names one (rows name it). in holds the members,
// groups, tokens and Role; a scope Needs leaves out gives no row, so its
// objects need not be read.
func Needs(in Input, f Filter) map[catalog.Scope]bool {
	var grants []catalog.Grant
	for _, m := range in.Access.Members {
		if f.keepsPrincipal(m.Email, m.ID) {
			grants = append(grants, f.keptGrants(in, in.Access.MemberGrants(m, in.Role))...)
		}
	}
	for _, g := range in.Access.Groups {
		if f.keepsPrincipal(g.Name, g.ID) {
			grants = append(grants, f.keptGrants(in, catalog.MemberGrants(true, in.Access.AccountID, nil, g.Policies, in.Role))...)
		}
	}
	out := map[catalog.Scope]bool{}
	for _, s := range objectScopes() {
		if catalog.BoundTo(grants, s) || in.EachObject && catalog.Reaches(grants, s) {
			out[s] = true
		}
	}
	for _, t := range in.Tokens {
		if f.keepsPrincipal(t.Name, t.ID) && namesZone(t) {
			out[catalog.ScopeZone] = true
		}
	}
	return out
}

// objectScopes are the scopes whose objects a report names: zones, then
// each resource kind.
func objectScopes() []catalog.Scope {
	out := []catalog.Scope{catalog.ScopeZone}
	for _, k := range catalog.Kinds() {
		out = append(out, k.Scope)
	}
	return out
}

// namesZone: does a policy of the token name a zone by ID (not "all zones")?
func namesZone(t Token) bool {
	for _, p := range t.Policies {
		for key, v := range p.Resources {
			keys := []string{key}
			if nested, ok := v.(map[string]any); ok {
				for k := range nested {
					keys = append(keys, k)
				}
			}
			for _, k := range keys {
				if s, id, err := catalog.ParseResourceKey(k); err == nil && s == catalog.ScopeZone && id != "*" {
					return true
				}
			}
		}
	}
	return false
}

func (f Filter) keepsPrincipal(name, id string) bool {
	return f.Principal == "" || has(name, f.Principal) || has(id, f.Principal)
}

// keptGrants drops the grants whose rows the role and escalation filters
// drop, whichever name the row takes (the grant's or in.Role's).
func (f Filter) keptGrants(in Input, grants []catalog.Grant) []catalog.Grant {
	if f.Role == "" && !f.EscalationsOnly {
		return grants
	}
	var out []catalog.Grant
	for _, g := range grants {
		entries := []catalog.Entry{g.Role}
		if e, ok := in.Role(g.Role.ID); ok {
			entries = append(entries, e)
		}
		for _, e := range entries {
			if (f.Role == "" || has(e.Name, f.Role)) && (!f.EscalationsOnly || Escalation(e, g.Effect) != "") {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

func has(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
