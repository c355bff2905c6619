package emulator

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

type principalKind int

const (
	pAdmin  principalKind = iota // AdminToken or the admin user's legacy API key
	pMember                      // a token from POST /__emulator/members/{id}/token
	pToken                       // an API token created through the API
)

// principal is who a request acts as.
type principal struct {
	kind    principalKind
	userID  string  // the acting user; empty for account-owned tokens
	member  *Member // pMember
	token   *Token  // pToken
	tokenID string  // what /tokens/verify reports
}

func (e *Emulator) findUser(id string) *User {
	for _, u := range e.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return "", false
	}
	for _, r := range tok {
		if r < 0x21 || r > 0x7e {
			return "", false
		}
	}
	return tok, true
}

func clientIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

func inCIDRs(ip netip.Addr, cidrs []string) bool {
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil && p.Contains(ip) {
			return true
		}
		if a, err := netip.ParseAddr(c); err == nil && a.Unmap() == ip {
			return true
		}
	}
	return false
}

// authenticate resolves the request's credentials; e.mu is held. Credentials
// never appear in errors or logs.
func (e *Emulator) authenticate(c *call) (*principal, *apiError) {
	r := c.r
	verify := c.route.verify
	invalid := func() *apiError {
		if verify {
			return errf(http.StatusUnauthorized, codeInvalidToken, "Invalid API Token")
		}
		return errf(http.StatusForbidden, codeBadToken, "Invalid access token")
	}
	authz := r.Header.Get("Authorization")
	email, key := r.Header.Get("X-Auth-Email"), r.Header.Get("X-Auth-Key")
	switch {
	case authz != "":
		tok, ok := bearerToken(authz)
		if !ok {
			return nil, &apiError{Status: http.StatusBadRequest, Code: codeInvalidHeaders, Message: "Invalid request headers",
				Chain: []apiMessage{{Code: codeBadAuthHeader, Message: "Invalid format for Authorization header"}}}
		}
		p := e.lookupToken(tok)
		if p == nil {
			return nil, invalid()
		}
		if p.kind == pToken {
			if ip, ok := clientIP(r); ok && !tokenIPAllowed(p.token, ip) {
				if verify {
					return nil, invalid()
				}
				return nil, errf(http.StatusForbidden, codeBadToken, "Cannot use the access token from location: %s", ip)
			}
		}
		if verify {
			// User verify takes user tokens (and the emulator's admin and member
			// tokens); account verify takes that account's tokens only.
			acct := c.param("account_id")
			isAcctToken := p.kind == pToken && p.token.AccountID != ""
			if acct == "" && isAcctToken || acct != "" && (!isAcctToken || p.token.AccountID != acct) {
				return nil, invalid()
			}
		}
		return p, nil
	case email != "" || key != "":
		if email == "" || key == "" {
			chain := apiMessage{Code: codeBadAuthEmail, Message: "Invalid format for X-Auth-Email header"}
			if key == "" {
				chain = apiMessage{Code: codeBadAuthKey, Message: "Invalid format for X-Auth-Key header"}
			}
			return nil, &apiError{Status: http.StatusBadRequest, Code: codeInvalidHeaders, Message: "Invalid request headers", Chain: []apiMessage{chain}}
		}
		if verify {
			return nil, invalid()
		}
		if strings.EqualFold(email, AdminEmail) && key == AdminAPIKey {
			return &principal{kind: pAdmin, userID: AdminUserID}, nil
		}
		return nil, errf(http.StatusForbidden, codeUnknownKey, "Unknown X-Auth-Key or X-Auth-Email")
	}
	return nil, errf(http.StatusBadRequest, codeMissingAuth, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
}

// lookupToken finds the principal of a bearer token value, or nil when it is
// unknown, disabled, expired or not yet valid.
func (e *Emulator) lookupToken(value string) *principal {
	if value == AdminToken {
		return &principal{kind: pAdmin, userID: AdminUserID, tokenID: AdminTokenID}
	}
	hash := hashTokenValue(value)
	if mt, ok := e.memberTokens[hash]; ok {
		m := e.findMember(mt.accountID, mt.memberID)
		if m == nil {
			return nil
		}
		return &principal{kind: pMember, userID: m.UserID, member: m, tokenID: mt.id}
	}
	for _, t := range e.tokens {
		if t.valueHash == hash {
			if e.tokenStatus(t) != "active" {
				return nil
			}
			if t.NotBefore != nil && e.now().Before(*t.NotBefore) {
				return nil
			}
			return &principal{kind: pToken, userID: t.OwnerUserID, token: t, tokenID: t.ID}
		}
	}
	return nil
}

func tokenIPAllowed(t *Token, ip netip.Addr) bool {
	if t.Condition == nil {
		return true
	}
	if len(t.Condition.In) > 0 && !inCIDRs(ip, t.Condition.In) {
		return false
	}
	return !inCIDRs(ip, t.Condition.NotIn)
}

// --- authorization ---
//
// Every rule comes from the catalog: which operation a route performs
// (apiRoute.op), which API token permission groups allow an operation
// (catalog.TokenAllows), which member roles allow it (catalog.AccountAllows,
// catalog.EffectiveZoneAccess) and which give access to which objects of a
// resource kind (catalog.EffectiveResourceAccess, over the kinds table; see
// kinds.go). Nothing is cached: a change to a member's
// policies or a token's policies applies to the next request.

// authorize decides whether the principal may call this route on these path
// objects; e.mu is held. Per-object filtering (lists, resource kinds' objects,
// Tunnel routes) happens in the handlers through allowsAccount, allowsZone
// and kindAccess.
func (e *Emulator) authorize(c *call) *apiError {
	p, op := c.p, c.route.op
	if c.route.verify {
		return nil // authenticate already checked the token's owner
	}
	if id := c.param("account_id"); id != "" {
		if e.findAccount(id) == nil || !e.inAccount(p, id) {
			return errForbidden()
		}
		if p.kind == pMember && resourceKindOf(op) != "" {
			return nil // per object, in the handlers (kindAccess)
		}
		if !e.allowsAccount(p, op, id) {
			return errForbidden()
		}
		return nil
	}
	if id := c.param("zone_id"); id != "" {
		z := e.findZone(id)
		if z == nil {
			if p.kind == pAdmin {
				return errNotFound("Zone")
			}
			return errForbidden()
		}
		if !e.allowsZone(p, op, z) {
			return errForbidden()
		}
		return nil
	}
	if strings.HasPrefix(c.route.pattern, "/user") && !e.allowsUser(p, op) {
		return errForbidden()
	}
	// GET /accounts and GET /zones filter per object; POST /zones checks the
	// account named in its body.
	return nil
}

func (e *Emulator) isAcceptedMember(userID, accountID string) bool {
	for _, m := range e.members {
		if m.AccountID == accountID && m.UserID == userID && m.Status == "accepted" {
			return true
		}
	}
	return false
}

// inAccount: may the principal act in this account at all? The admin and
// user tokens through their user's accepted membership, a member token
// through its own accepted membership, an account token in its account.
// Which operations it may perform there is allowsAccount's question.
func (e *Emulator) inAccount(p *principal, accountID string) bool {
	switch p.kind {
	case pAdmin:
		return e.isAcceptedMember(p.userID, accountID)
	case pMember:
		return p.member.AccountID == accountID && p.member.Status == "accepted"
	}
	if p.token.AccountID != "" {
		return p.token.AccountID == accountID
	}
	return e.isAcceptedMember(p.token.OwnerUserID, accountID)
}

// allowsAccount: may the principal perform op across this account? For a
// member, a resource kind's operations mean every object of the kind in the
// account (creating a Tunnel); per-object access is kindAccess.
func (e *Emulator) allowsAccount(p *principal, op catalog.Operation, accountID string) bool {
	if !e.inAccount(p, accountID) {
		return false
	}
	switch p.kind {
	case pAdmin:
		return true // Super Administrator
	case pMember:
		if op == catalog.OpAccountRead {
			// Every accepted member (inAccount, above) views the account it
			// belongs to, whatever its roles: a Tunnel binding or an account
			// role that grants no account read still shows the account.
			return true
		}
		grants := e.memberGrants(p.member)
		if kind := resourceKindOf(op); kind != "" {
			want := catalog.AccessRead
			if op.Write() {
				want = catalog.AccessEdit
			}
			return catalog.AccountResourceAccess(grants, kind).Access >= want
		}
		return catalog.AccountAllows(grants, op)
	}
	return e.tokenAllows(p.token, op, catalog.ResourceKey(catalog.ScopeAccount, accountID), "")
}

// allowsZone: may the principal perform a zone operation on this zone?
func (e *Emulator) allowsZone(p *principal, op catalog.Operation, z *Zone) bool {
	if !e.inAccount(p, z.AccountID) {
		return false
	}
	switch p.kind {
	case pAdmin:
		return true
	case pMember:
		want := catalog.AccessRead
		if op.Write() {
			want = catalog.AccessEdit
		}
		return catalog.EffectiveZoneAccess(e.memberGrants(p.member), []string{z.ID})[z.ID].Access >= want
	}
	return e.tokenAllows(p.token, op, catalog.ResourceKey(catalog.ScopeZone, z.ID), z.AccountID)
}

// allowsNewZone: may the principal create a zone in this account? A token
// needs the operation on every zone of the account (the account resource, or
// the zone wildcard); a member an account-wide role allowing it.
func (e *Emulator) allowsNewZone(p *principal, accountID string) bool {
	if !e.inAccount(p, accountID) {
		return false
	}
	switch p.kind {
	case pAdmin:
		return true
	case pMember:
		return catalog.AccountAllows(e.memberGrants(p.member), catalog.OpZonesWrite)
	}
	return e.tokenAllows(p.token, catalog.OpZonesWrite, catalog.ResourceKey(catalog.ScopeZone, "*"), accountID)
}

// allowsUser: may the principal perform a user operation (its own details,
// its own tokens)? The admin and members act as their own user; API tokens
// need the user permission groups on their owner.
func (e *Emulator) allowsUser(p *principal, op catalog.Operation) bool {
	switch p.kind {
	case pAdmin, pMember:
		return true
	}
	t := p.token
	if t.AccountID != "" || t.OwnerUserID == "" {
		return false
	}
	return e.tokenAllows(t, op, catalog.ResourceKey(catalog.ScopeUser, t.OwnerUserID), "")
}

// tokenResource is the resource a key names, as catalog.TokenPolicyCovers
// takes it: for a zone key, zoneAccount is the zone's account ("*" for every
// account, "" when the zone is in no known account).
func tokenResource(key, zoneAccount string) (catalog.TokenResource, bool) {
	s, id, err := catalog.ParseResourceKey(key)
	if err != nil {
		return catalog.TokenResource{}, false
	}
	r := catalog.TokenResource{Scope: s, ID: id}
	if s == catalog.ScopeZone {
		r.Account = zoneAccount
	}
	return r, true
}

// apiTokenPolicies is the token's policies as the catalog reads them.
func apiTokenPolicies(t *Token) []catalog.APITokenPolicy {
	out := make([]catalog.APITokenPolicy, 0, len(t.Policies))
	for _, pol := range t.Policies {
		ids := make([]string, len(pol.PermissionGroups))
		for i, g := range pol.PermissionGroups {
			ids[i] = g.ID
		}
		out = append(out, catalog.APITokenPolicy{Effect: catalog.Effect(pol.Effect), GroupIDs: ids, Resources: pol.Resources})
	}
	return out
}

// tokenGroupEntries is a live token permission group as catalog entries, one per scope.
func tokenGroupEntries(g *TokenPermissionGroup) []catalog.Entry {
	out := make([]catalog.Entry, 0, len(g.Scopes))
	for _, s := range g.Scopes {
		out = append(out, catalog.Entry{ID: g.ID, Name: g.Name, Scope: s, Kind: catalog.KindPermissionGroup})
	}
	return out
}

// tokenAllows: do the token's policies that cover the resource key allow op
// (catalog.TokenAllows: an allow policy with a permission group allowing it,
// no deny policy with one)?
func (e *Emulator) tokenAllows(t *Token, op catalog.Operation, key, zoneAccount string) bool {
	r, ok := tokenResource(key, zoneAccount)
	if !ok {
		return false
	}
	var grants []catalog.TokenGrant
	for _, pol := range t.Policies {
		if !catalog.TokenPolicyCovers(pol.Resources, r) {
			continue
		}
		for _, ref := range pol.PermissionGroups {
			if g := e.findTokenGroup(ref.ID); g != nil {
				for _, en := range tokenGroupEntries(g) {
					grants = append(grants, catalog.TokenGrant{Effect: catalog.Effect(pol.Effect), Group: en})
				}
			}
		}
	}
	return catalog.TokenAllows(grants, op)
}

// tokenHolds: does the token hold permission group groupID on the resource
// key (catalog.TokenHolds: an allow policy with that group covering it, no
// deny policy with it)?
func tokenHolds(t *Token, groupID, key, zoneAccount string) bool {
	r, ok := tokenResource(key, zoneAccount)
	return ok && catalog.TokenHolds(apiTokenPolicies(t), groupID, r)
}

// --- members ---

// roleEntry resolves an IAM permission group of the account (a role) to a
// catalog entry: the live group as the API holds it, its scope completed from
// the embedded catalog when the live group has none.
func (e *Emulator) roleEntry(accountID, id string) (catalog.Entry, bool) {
	g := e.findIAMGroup(accountID, id)
	if g == nil {
		return catalog.Entry{}, false
	}
	en := catalog.Entry{ID: g.ID, Name: g.Name, Description: g.Description, Scope: g.Scope, Kind: catalog.KindRole, Label: g.Label}
	if en.Scope == "" {
		if emb, ok := catalog.Embedded().ByID(g.ID); ok && emb.Kind == catalog.KindRole {
			en.Scope = emb.Scope
		} else if found := catalog.Embedded().Find(catalog.KindRole, g.Name); len(found) == 1 {
			en.Scope = found[0].Scope
		}
	}
	return en, true
}

// memberGrants is what a member holds, as catalog grants: its own policies
// and those of the user groups it is in, read as catalog.AccountAccess reads
// them, which the provider's cfiam_effective_access and guards use too: the
// report equals this authorization by construction.
func (e *Emulator) memberGrants(m *Member) []catalog.Grant {
	access := catalog.AccountAccess{AccountID: m.AccountID}
	for _, g := range e.userGroups {
		if g.AccountID == m.AccountID && g.hasMember(m.ID) {
			access.Groups = append(access.Groups, catalog.AccountGroup{ID: g.ID, Name: g.Name,
				Policies: e.catalogPolicies(m.AccountID, g.Policies), MemberIDs: []string{m.ID}})
		}
	}
	return access.MemberGrants(catalog.AccountMember{ID: m.ID, Accepted: m.Status == "accepted", LegacyRoleIDs: m.Roles,
		Policies: e.catalogPolicies(m.AccountID, m.Policies)},
		func(id string) (catalog.Entry, bool) { return e.roleEntry(m.AccountID, id) })
}

// catalogPolicies reduces policies to what catalog grants read: each
// resource group by its objects.
func (e *Emulator) catalogPolicies(accountID string, held []MemberPolicy) []catalog.APIPolicy {
	policies := make([]catalog.APIPolicy, 0, len(held))
	for _, pol := range held {
		ap := catalog.APIPolicy{ID: pol.ID, Access: pol.Access, RoleIDs: pol.PermissionGroups}
		for _, rgID := range pol.ResourceGroups {
			if rg := e.findResourceGroup(accountID, rgID); rg != nil {
				ap.ResourceGroups = append(ap.ResourceGroups, rg.Objects)
			}
		}
		policies = append(policies, ap)
	}
	return policies
}

// tunnelAccess returns whether the principal may read / edit a given Tunnel
// of the call's account (and its routes): kindAccess for Tunnels.
func (e *Emulator) tunnelAccess(c *call) (canRead, canWrite func(tunnelID string) bool) {
	return e.kindAccess(c, catalog.ScopeTunnel)
}
