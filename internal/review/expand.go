package review

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// The resource types this package reads (type names, not credentials).
//
//nolint:gosec // G101: resource type names
const (
	typeMember          = "cfiam_account_member"
	typeAPIToken        = "cfiam_api_token"
	typeAccountToken    = "cfiam_account_token"
	typeResourceGroup   = "cfiam_resource_group"
	typeGroup           = "cfiam_user_group"
	typeGroupMembers    = "cfiam_user_group_members"
	typeGroupMembership = "cfiam_user_group_membership"

	typeCFMember       = "cloudflare_account_member"
	typeCFAPIToken     = "cloudflare_api_token"
	typeCFAccountToken = "cloudflare_account_token"
	typeCFGroup        = "cloudflare_user_group"
	typeCFGroupMembers = "cloudflare_user_group_members"
	typeCFZone         = "cloudflare_zone"
)

// res is one resource on one side of the plan.
type res struct {
	Address, Type string
	Values        any
}

// names holds what the plan says about objects that grants name by ID.
type names struct {
	zones, groups  map[string]string                   // lower-case ID → name
	objects        map[catalog.Scope]map[string]string // each resource kind's objects: lower-case ID → name
	groupScopes    policy.GroupScopes
	emails         map[string]string    // member ID (lower case) → e-mail
	emailOf        map[string]string    // member resource (or data source) address → e-mail
	idOf           map[string]string    // member resource (or data source) address → ID (lower case)
	liveGroups     map[string][]string  // live mode: each resource group's object keys, by lower-case ID
	liveUserGroups map[string]LiveGroup // live mode: the account's user groups, by lower-case ID
}

func newNames(p *Plan) names {
	n := names{zones: map[string]string{}, objects: map[catalog.Scope]map[string]string{}, groups: map[string]string{},
		groupScopes: policy.GroupScopes{}, emails: map[string]string{}, emailOf: map[string]string{}, idOf: map[string]string{}}
	for _, k := range catalog.Kinds() {
		n.objects[k.Scope] = map[string]string{}
	}
	var all []res
	for _, r := range p.Prior {
		all = append(all, res{r.Address, r.Type, r.Values})
	}
	for _, r := range p.Planned {
		all = append(all, res{r.Address, r.Type, r.Values})
	}
	for _, c := range p.Changes {
		all = append(all, res{c.Address, c.Type, c.Before}, res{c.Address, c.Type, c.After})
	}
	for _, r := range all {
		id, hasID := known(attr(r.Values, "id"))
		name, hasName := known(attr(r.Values, "name"))
		if k, ok := kindOfOfficialType(r.Type); ok {
			if hasID && hasName {
				n.objects[k.Scope][strings.ToLower(id)] = name
			}
			continue
		}
		if k, ok := kindOfDataSource(r.Type); ok {
			items, _ := list(attr(r.Values, k.Plural))
			for _, t := range items {
				tid, ok1 := known(attr(t, "id"))
				tname, ok2 := known(attr(t, "name"))
				if ok1 && ok2 {
					n.objects[k.Scope][strings.ToLower(tid)] = tname
				}
			}
			continue
		}
		switch r.Type {
		case typeCFZone:
			if hasID && hasName {
				n.zones[strings.ToLower(id)] = name
			}
		case typeResourceGroup:
			if hasID && hasName {
				n.groups[strings.ToLower(id)] = name
			}
			for _, s := range catalog.RoleScopes[1:] {
				if hasID && strs(attr(r.Values, catalog.IDsAttribute(s))).IsSet() {
					n.groupScopes[strings.ToLower(id)] = s
					break
				}
			}
		case typeMember, typeCFMember:
			if hasID {
				n.idOf[baseAddress(r.Address)] = strings.ToLower(id)
				n.idOf[r.Address] = strings.ToLower(id)
			}
			if email, ok := known(attr(r.Values, "email")); ok {
				if hasID {
					n.emails[strings.ToLower(id)] = email
				}
				n.emailOf[baseAddress(r.Address)] = email
				n.emailOf[r.Address] = email
			}
		}
	}
	if len(n.groupScopes) == 0 {
		n.groupScopes = nil
	}
	return n
}

// expander turns one side of a plan into grants.
type expander struct {
	cat   *catalog.Catalog
	plan  *Plan
	names names
	n     *int // the last unknownN given
	out   []Grant
	// accepted is whether each member principal has accepted (a pending
	// member holds nothing until then).
	accepted map[string]bool
	// groups are the user groups of this side, by ID and by address.
	groupsByID, groupsByAddr map[string]*group
	// listed and authoritative: what the membership resources of this side
	// say of each group, by lower-case ID (see planGroups).
	listed        map[string]map[string]bool
	authoritative map[string]bool
}

type group struct {
	name    string
	address string // the group resource's address
	grants  []Grant
	id      string // lower-case, "" until apply knows it
}

func (x *expander) add(g Grant) {
	if g.Ref == "" && g.Entry.ID == "" || g.Scope.key() == "" || g.Access == KnownAfterApply {
		*x.n++
		g.unknownN = *x.n
	}
	x.out = append(x.out, g)
}

// resolve names a role or permission group written as a name or an ID.
func (x *expander) resolve(k catalog.Kind, ref policy.String, s catalog.Scope) (catalog.Entry, string) {
	if ref.State != policy.Known {
		return catalog.Entry{}, ""
	}
	if e, err := x.cat.Resolve(k, ref.Value, s); err == nil {
		return e, ref.Value
	}
	if e, ok := x.cat.ByID(ref.Value); ok && e.Kind == k {
		return e, ref.Value
	}
	return catalog.Entry{}, ref.Value
}

func access(v any) string {
	s := str(v)
	switch {
	case s.State == policy.Unknown:
		return KnownAfterApply
	case s.State == policy.Null || s.Value == "":
		return "allow"
	}
	return strings.ToLower(s.Value)
}

func (x *expander) scopes(kind ScopeKind, ids policy.Strings) []Scope {
	if ids.State == policy.Unknown {
		return []Scope{{Kind: kind}}
	}
	var out []Scope
	for _, e := range ids.Elems {
		if kind == ScopeResourceGroup {
			// Live mode knows what the group holds: its objects are the scope.
			if gs, objects, ok := x.names.groupObjects(e.Value); ok {
				out = append(out, x.scopes(groupScopeKind(gs), policy.Set(objects...))...)
				continue
			}
		}
		s := Scope{Kind: kind, ID: e.Value}
		switch kind {
		case ScopeZone:
			s.Name = x.names.zones[strings.ToLower(e.Value)]
		case ScopeResourceGroup:
			s.Name = x.names.groups[strings.ToLower(e.Value)]
		default:
			s.Name = x.names.objects[catalog.Scope(kind)][strings.ToLower(e.Value)]
		}
		out = append(out, s)
	}
	return out
}

// grantAll adds one grant per (reference, scope).
func (x *expander) grantAll(p Principal, k catalog.Kind, refs policy.Strings, cs catalog.Scope, scopes []Scope, acc, via string) {
	elems := refs.Elems
	if refs.State == policy.Unknown {
		elems = []policy.String{policy.UnknownString()}
	}
	for _, ref := range elems {
		e, written := x.resolve(k, ref, cs)
		for _, s := range scopes {
			x.add(Grant{Principal: p, Kind: k, Entry: e, Ref: written, Scope: s, Access: acc, Via: via})
		}
	}
}

func (x *expander) unknownGrant(p Principal, k catalog.Kind, via string) {
	x.add(Grant{Principal: p, Kind: k, Access: KnownAfterApply, Via: via})
}

// memberPrincipal names a member by e-mail, else its ID, else its address.
func (x *expander) memberPrincipal(email, id, address string) Principal {
	switch {
	case email != "":
		return Principal{PrincipalMember, email}
	case x.names.emails[strings.ToLower(id)] != "":
		return Principal{PrincipalMember, x.names.emails[strings.ToLower(id)]}
	case id != "":
		return Principal{PrincipalMember, "member " + id}
	}
	return Principal{PrincipalMember, address}
}

// member is the principal of a member resource (cfiam's or the official
// provider's), its acceptance noted, and the member's account.
func (x *expander) member(r res) (Principal, string) {
	email, _ := known(attr(r.Values, "email"))
	id, _ := known(attr(r.Values, "id"))
	p := x.memberPrincipal(email, id, r.Address)
	x.setAccepted(p, r.Values)
	acct, _ := known(attr(r.Values, "account_id"))
	return p, acct
}

func (x *expander) resource(r res) {
	v := r.Values
	if k, ok := kindOfBinding(r.Type); ok {
		p := x.bindingMember(r)
		x.grantAll(p, catalog.KindRole, strs(attr(v, "roles")), k.Scope,
			x.scopes(ScopeKind(k.Scope), strs(attr(v, k.Attribute))), "allow", r.Address)
		return
	}
	switch r.Type {
	case typeMember:
		p, acct := x.member(r)
		x.memberPolicies(p, attr(v, "policies"), acct, r.Address)
	case typeCFMember:
		p, acct := x.member(r)
		pols := attr(v, "policies")
		if items, ok := list(pols); ok && len(items) == 0 {
			// The legacy form: account-wide roles. With policies set, `roles`
			// is computed from them and is not read.
			roles := strs(attr(v, "roles"))
			if roles.State == policy.Known {
				x.grantAll(p, catalog.KindRole, roles, catalog.ScopeAccount, []Scope{x.account(acct)}, "allow", r.Address)
			}
			return
		}
		x.memberPolicies(p, pols, acct, r.Address)
	case typeAPIToken, typeAccountToken, typeCFAPIToken, typeCFAccountToken:
		p := Principal{PrincipalToken, r.Address}
		if name, ok := known(attr(v, "name")); ok {
			p.Name = name
		}
		for _, tp := range x.tokenPolicies(r) {
			x.grantAll(p, catalog.KindPermissionGroup, tp.groups, tp.catalogScope, tp.scopes, tp.access, r.Address)
		}
	case typeGroup, typeCFGroup:
		name, ok := known(attr(v, "name"))
		if !ok {
			name = r.Address
		}
		p := Principal{PrincipalGroup, name}
		start := len(x.out)
		acct, _ := known(attr(v, "account_id"))
		x.memberPolicies(p, attr(v, "policies"), acct, r.Address)
		g := &group{name: name, address: r.Address, grants: append([]Grant(nil), x.out[start:]...)}
		x.groupsByAddr[baseAddress(r.Address)] = g
		x.groupsByAddr[r.Address] = g
		if id, ok := known(attr(v, "id")); ok {
			g.id = strings.ToLower(id)
			x.groupsByID[g.id] = g
		}
	}
}

func (x *expander) setAccepted(p Principal, v any) {
	st, _ := known(attr(v, "status"))
	x.accepted[p.Name] = st != "pending"
}

func (x *expander) account(id string) Scope {
	return Scope{Kind: ScopeAccount, ID: id}
}

// bindingMember is the member a cfiam_tunnel_binding or cfiam_mesh_node_binding binds.
func (x *expander) bindingMember(r res) Principal {
	id, ok := known(attr(r.Values, "member_id"))
	if !ok {
		if addr := x.plan.ref(baseAddress(r.Address), "member_id", typeMember); addr != "" {
			if email := x.names.emailOf[addr]; email != "" {
				return Principal{PrincipalMember, email}
			}
			return Principal{PrincipalMember, addr}
		}
		return Principal{PrincipalMember, r.Address + " member"}
	}
	return x.memberPrincipal("", id, r.Address)
}

// memberPolicies adds the grants of member policies, in cfiam's shape
// (roles, zone_ids, tunnel_ids, resource_group_ids) or the official
// provider's (permission_groups and resource_groups, of `{ id }` objects).
func (x *expander) memberPolicies(p Principal, v any, accountID, via string) {
	items, ok := list(v)
	if !ok {
		x.unknownGrant(p, catalog.KindRole, via)
		return
	}
	for _, pol := range items {
		if _, isUnknown := pol.(unknown); isUnknown {
			x.unknownGrant(p, catalog.KindRole, via)
			continue
		}
		acc := access(attr(pol, "access"))
		if m, _ := pol.(map[string]any); m != nil {
			if _, official := m["permission_groups"]; official {
				x.grantAll(p, catalog.KindRole, strs(m["permission_groups"]), "", x.scopes(ScopeResourceGroup, strs(m["resource_groups"])), acc, via)
				continue
			}
		}
		in := memberPolicy(pol)
		named := resourceKindsSet(in)
		if !in.ZoneIDs.IsSet() && !in.ResourceGroupIDs.IsSet() && len(named) > 1 {
			x.resourcePolicy(p, in, named, acc, via)
			continue
		}
		var scopes []Scope
		cs := catalog.ScopeAccount
		switch {
		case in.ZoneIDs.IsSet():
			scopes, cs = x.scopes(ScopeZone, in.ZoneIDs), catalog.ScopeZone
		case len(named) > 0:
			scopes, cs = x.scopes(ScopeKind(named[0]), in.Resources[named[0]]), named[0]
		case in.ResourceGroupIDs.IsSet():
			cs = ""
		default:
			scopes = []Scope{x.account(accountID)}
		}
		if in.ResourceGroupIDs.IsSet() {
			scopes = append(scopes, x.scopes(ScopeResourceGroup, in.ResourceGroupIDs)...)
		}
		x.grantAll(p, catalog.KindRole, in.Roles, cs, scopes, acc, via)
	}
}

// resourcePolicy adds the grants of a policy on objects of several resource
// kinds (Tunnels and Mesh nodes): each role on the objects of its own kind
// only, as Cloudflare grants it; a role of none of them (a finding) on all.
func (x *expander) resourcePolicy(p Principal, in policy.MemberPolicy, named []catalog.Scope, acc, via string) {
	objects := map[catalog.Scope][]Scope{}
	var all []Scope
	for _, s := range named {
		objects[s] = x.scopes(ScopeKind(s), in.Resources[s])
		all = append(all, objects[s]...)
	}
	elems := in.Roles.Elems
	if in.Roles.State == policy.Unknown {
		elems = []policy.String{policy.UnknownString()}
	}
	for _, ref := range elems {
		one := policy.Strings{State: policy.Known, Elems: []policy.String{ref}}
		granted := false
		for _, s := range named {
			if _, err := x.cat.ResolveRole(ref.Value, s); ref.State == policy.Known && err == nil {
				x.grantAll(p, catalog.KindRole, one, s, objects[s], acc, via)
				granted = true
				break
			}
		}
		if !granted {
			x.grantAll(p, catalog.KindRole, one, named[0], slices.Clone(all), acc, via)
		}
	}
}

// resourceKindsSet is the resource kinds whose IDs a policy sets, in table order.
func resourceKindsSet(in policy.MemberPolicy) []catalog.Scope {
	var out []catalog.Scope
	for _, s := range catalog.ResourceScopes() {
		if in.Resources[s].IsSet() {
			out = append(out, s)
		}
	}
	return out
}

// kindOfBinding is the resource kind a binding resource type binds (cfiam_tunnel_binding, ...).
func kindOfBinding(typ string) (catalog.ResourceKind, bool) {
	for _, k := range catalog.Kinds() {
		if k.BindingResource() == typ {
			return k, true
		}
	}
	return catalog.ResourceKind{}, false
}

// kindOfOfficialType is the resource kind of an official provider's resource type
// (cloudflare_zero_trust_tunnel_cloudflared, ...).
func kindOfOfficialType(typ string) (catalog.ResourceKind, bool) {
	for _, k := range catalog.Kinds() {
		if k.OfficialType == typ {
			return k, true
		}
	}
	return catalog.ResourceKind{}, false
}

// kindOfDataSource is the resource kind a data source type lists (cfiam_tunnels, ...).
func kindOfDataSource(typ string) (catalog.ResourceKind, bool) {
	for _, k := range catalog.Kinds() {
		if k.DataSource() == typ {
			return k, true
		}
	}
	return catalog.ResourceKind{}, false
}

// memberPolicy reads a cfiam member policy for the checks.
func memberPolicy(v any) policy.MemberPolicy {
	if _, isUnknown := v.(unknown); isUnknown {
		return policy.MemberPolicy{Unknown: true}
	}
	if m, _ := v.(map[string]any); m != nil {
		if _, official := m["permission_groups"]; official {
			return policy.MemberPolicy{Access: str(m["access"]), Roles: strs(m["permission_groups"]), ResourceGroupIDs: strs(m["resource_groups"])}
		}
	}
	in := policy.MemberPolicy{
		Access: str(attr(v, "access")), Roles: strs(attr(v, "roles")), ZoneIDs: strs(attr(v, "zone_ids")),
		ResourceGroupIDs: strs(attr(v, "resource_group_ids")), Resources: map[catalog.Scope]policy.Strings{},
	}
	for _, k := range catalog.Kinds() {
		in.Resources[k.Scope] = strs(attr(v, k.Attribute))
	}
	return in
}

// tokenPolicy is one token policy: what the checks read, and its grants' scopes.
type tokenPolicy struct {
	check        policy.TokenPolicy
	groups       policy.Strings
	access       string
	catalogScope catalog.Scope
	scopes       []Scope
}

func (x *expander) tokenPolicies(r res) []tokenPolicy {
	items, ok := list(attr(r.Values, "policies"))
	if !ok {
		return []tokenPolicy{{check: policy.TokenPolicy{Unknown: true}, groups: policy.UnknownStrings(), access: KnownAfterApply, scopes: []Scope{{}}}}
	}
	var out []tokenPolicy
	for _, pol := range items {
		tp := tokenPolicy{access: access(attr(pol, "effect")), groups: strs(attr(pol, "permission_groups"))}
		tp.check = policy.TokenPolicy{Effect: str(attr(pol, "effect")), PermissionGroups: tp.groups}
		if r.Type == typeCFAPIToken || r.Type == typeCFAccountToken {
			x.officialResources(&tp, attr(pol, "resources"))
		} else {
			tp.check.User = boolean(attr(pol, "user"))
			tp.check.AccountIDs = strs(attr(pol, "account_ids"))
			tp.check.ZoneIDs = strs(attr(pol, "zone_ids"))
			tp.check.AllZonesOfAccount = str(attr(pol, "all_zones_of_account"))
			if tp.check.OnUser() {
				tp.scopes = append(tp.scopes, Scope{Kind: ScopeUser})
			}
			tp.scopes = append(tp.scopes, x.scopes(ScopeAccount, tp.check.AccountIDs)...)
			tp.scopes = append(tp.scopes, x.scopes(ScopeZone, tp.check.ZoneIDs)...)
			if z := tp.check.AllZonesOfAccount; z.IsSet() {
				tp.scopes = append(tp.scopes, Scope{Kind: ScopeAllZones, ID: z.Value})
			}
		}
		if s, problem := tp.check.Scope(); problem == nil {
			tp.catalogScope = s
		}
		if len(tp.scopes) == 0 {
			tp.scopes = []Scope{{}}
		}
		out = append(out, tp)
	}
	return out
}

// officialResources reads the official provider's `resources`, a JSON
// object of resource keys: `{"com.cloudflare.api.account.zone.<id>": "*"}`,
// `{"com.cloudflare.api.account.<id>": "*"}`, `{"com.cloudflare.api.user.*": "*"}`,
// or zones of an account nested under its key.
func (x *expander) officialResources(tp *tokenPolicy, v any) {
	text := str(v)
	if text.State != policy.Known {
		tp.check.Unknown = text.State == policy.Unknown
		tp.scopes = []Scope{{}}
		return
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(text.Value), &m); err != nil {
		tp.scopes = []Scope{{}}
		return
	}
	keys := slices.Sorted(maps.Keys(m))
	accounts, zones := policy.Strings{}, policy.Strings{}
	for _, k := range keys {
		s, id, err := catalog.ParseResourceKey(k)
		if err != nil {
			continue
		}
		switch s {
		case catalog.ScopeUser:
			tp.check.User = policy.True()
			tp.scopes = append(tp.scopes, Scope{Kind: ScopeUser})
		case catalog.ScopeZone:
			zones.State = policy.Known
			zones.Elems = append(zones.Elems, policy.Str(id))
			if id == catalog.AllResources {
				tp.scopes = append(tp.scopes, Scope{Kind: ScopeAllZones})
			} else {
				tp.scopes = append(tp.scopes, x.scopes(ScopeZone, policy.Set(id))...)
			}
		case catalog.ScopeAccount:
			nested, isMap := m[k].(map[string]any)
			if !isMap {
				accounts.State = policy.Known
				accounts.Elems = append(accounts.Elems, policy.Str(id))
				tp.scopes = append(tp.scopes, x.account(id))
				continue
			}
			for nk := range nested {
				ns, nid, err := catalog.ParseResourceKey(nk)
				if err != nil || ns != catalog.ScopeZone {
					continue
				}
				if nid == catalog.AllResources {
					tp.check.AllZonesOfAccount = policy.Str(id)
					tp.scopes = append(tp.scopes, Scope{Kind: ScopeAllZones, ID: id})
				} else {
					zones.State = policy.Known
					zones.Elems = append(zones.Elems, policy.Str(nid))
					tp.scopes = append(tp.scopes, x.scopes(ScopeZone, policy.Set(nid))...)
				}
			}
		}
	}
	tp.check.AccountIDs, tp.check.ZoneIDs = accounts, zones
}

// memberships adds, for each member of a user group, the group's grants.
// Via is the group's address for cfiam_user_group_members (the group's
// policies are what its members hold), the membership's address for
// cfiam_user_group_membership (the one resource that adds the member), and
// the members resource's for the official cloudflare_user_group_members.
func (x *expander) memberships(r res) {
	v := r.Values
	var g *group
	groupID, groupIDKnown := known(attr(v, "user_group_id"))
	if groupIDKnown {
		g = x.groupsByID[strings.ToLower(groupID)]
	}
	if g == nil {
		for _, typ := range []string{typeCFGroup, typeGroup} {
			if addr := x.plan.ref(baseAddress(r.Address), "user_group_id", typ); addr != "" {
				g = x.groupsByAddr[addr]
			}
		}
	}
	if g == nil && groupIDKnown {
		// A group the plan does not declare: live mode read its policies.
		if g = x.liveGroup(groupID, r.Address); g != nil {
			g.id = strings.ToLower(groupID)
		}
	}
	var ids policy.Strings
	idAttr := "member_ids"
	switch r.Type {
	case typeCFGroupMembers:
		ids, idAttr = strs(attr(v, "members")), "members"
	case typeGroupMembers:
		ids = strs(attr(v, "member_ids"))
	case typeGroupMembership:
		idAttr = "member_id"
		if s := str(attr(v, "member_id")); s.IsSet() {
			ids = policy.Strings{State: policy.Known, Elems: []policy.String{s}}
		}
	}
	if g != nil && g.id != "" && (r.Type == typeGroupMembers || r.Type == typeCFGroupMembers) {
		x.authoritative[g.id] = true
	}
	for _, p := range x.groupMembers(r.Address, idAttr, ids) {
		if g != nil && g.id != "" {
			if x.listed[g.id] == nil {
				x.listed[g.id] = map[string]bool{}
			}
			x.listed[g.id][p.Name] = true
		}
		if g == nil {
			x.add(Grant{Principal: p, Kind: catalog.KindRole, Access: KnownAfterApply, Via: r.Address, Group: KnownAfterApply})
			continue
		}
		via := r.Address
		if r.Type == typeGroupMembers {
			via = g.address
		}
		for _, gg := range g.grants {
			gg.Principal, gg.Via, gg.Group, gg.unknownN = p, via, g.name, 0
			x.add(gg)
		}
	}
}

// groupMembers names the members a membership resource puts in a group: by
// e-mail where the plan says it, else by ID. A member whose ID only apply
// knows (created by this plan) is named through the configuration: the
// members the attribute refers to whose IDs are not among the known ones.
// Every member of a group holds the same grants, so which unknown element
// is which member does not matter, only that their numbers match.
func (x *expander) groupMembers(address, idAttr string, ids policy.Strings) []Principal {
	var out []Principal
	knownIDs := map[string]bool{}
	unknownN := 0
	switch ids.State {
	case policy.Unknown:
		unknownN = -1 // how many only apply knows
	case policy.Known:
		for _, id := range ids.Elems {
			if id.State == policy.Known {
				knownIDs[strings.ToLower(id.Value)] = true
				out = append(out, x.memberPrincipal("", id.Value, address+" member"))
			} else {
				unknownN++
			}
		}
	}
	if unknownN == 0 {
		return out
	}
	var refs []string
	for _, ref := range x.plan.memberRefs(baseAddress(address), idAttr) {
		if !knownIDs[x.names.idOf[ref]] {
			refs = append(refs, ref)
		}
	}
	if len(refs) > 0 && (unknownN < 0 || len(refs) == unknownN) {
		for _, ref := range refs {
			p := Principal{PrincipalMember, ref}
			if email := x.names.emailOf[ref]; email != "" {
				p.Name = email
			}
			out = append(out, p)
		}
		return out
	}
	if unknownN < 0 {
		unknownN = 1
	}
	for range unknownN {
		out = append(out, x.memberPrincipal("", "", address+" member"))
	}
	return out
}

// expand returns the grants of one side of the plan, and what it says of user groups.
func expand(cat *catalog.Catalog, p *Plan, n names, counter *int, side []res) ([]Grant, map[string]bool, planGroups) {
	x := &expander{cat: cat, plan: p, names: n, n: counter, accepted: map[string]bool{},
		groupsByID: map[string]*group{}, groupsByAddr: map[string]*group{}, listed: map[string]map[string]bool{}, authoritative: map[string]bool{}}
	for _, r := range side {
		x.resource(r)
	}
	for _, r := range side {
		switch r.Type {
		case typeCFGroupMembers, typeGroupMembers, typeGroupMembership:
			x.memberships(r)
		}
	}
	return x.out, x.accepted, planGroups{declared: x.groupsByID, listed: x.listed, authoritative: x.authoritative}
}

// groupScopeKind is the ScopeKind of a resource group's objects.
func groupScopeKind(s catalog.Scope) ScopeKind {
	switch s {
	case catalog.ScopeAccount:
		return ScopeAccount
	case catalog.ScopeZone:
		return ScopeZone
	}
	if s.ResourceScoped() {
		return ScopeKind(s)
	}
	return ScopeUnknown
}
