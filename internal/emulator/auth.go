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
	if mt, ok := e.memberTokens[value]; ok {
		m := e.findMember(mt.accountID, mt.memberID)
		if m == nil {
			return nil
		}
		return &principal{kind: pMember, userID: m.UserID, member: m, tokenID: mt.id}
	}
	for _, t := range e.tokens {
		if t.value == value {
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

// authorize decides whether the principal may call this route on these path
// objects; e.mu is held. Per-object filtering (lists, Tunnels) happens in the
// handlers through canSeeAccount, canSeeZone and tunnelAccess.
func (e *Emulator) authorize(c *call) *apiError {
	p := c.p
	if c.route.verify {
		return nil // authenticate already checked the token's owner
	}
	if id := c.param("account_id"); id != "" {
		if e.findAccount(id) == nil || !e.canSeeAccount(p, id) {
			return errForbidden()
		}
		if p.kind == pMember {
			return e.authorizeMemberAccountRoute(c)
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
		if !e.canSeeZone(p, z) {
			return errForbidden()
		}
		if p.kind == pMember && c.r.Method != http.MethodGet && !e.memberAccess(p.member).accountWrite {
			return errForbidden()
		}
		return nil
	}
	if strings.HasPrefix(c.route.pattern, "/user") {
		return authorizeUserRoute(p)
	}
	return nil
}

// authorizeUserRoute: /user and /user/tokens act on the principal's own user.
func authorizeUserRoute(p *principal) *apiError {
	switch p.kind {
	case pAdmin, pMember:
		return nil
	}
	if p.token.AccountID != "" || p.userID == "" {
		return errForbidden()
	}
	if !tokenAllows(p.token, catalog.ResourceKey(catalog.ScopeUser, p.userID), "") {
		return errForbidden()
	}
	return nil
}

// authorizeMemberAccountRoute is the coarse rule for member tokens outside
// Tunnels: reads need an account-wide read role, writes an account-wide
// administrator role, membership writes Super Administrator. Tunnel and route
// endpoints check per Tunnel in their handlers (tunnelAccess).
func (e *Emulator) authorizeMemberAccountRoute(c *call) *apiError {
	pat := c.route.pattern
	if strings.Contains(pat, "/cfd_tunnel") || strings.Contains(pat, "/teamnet/") {
		return nil
	}
	acc := e.memberAccess(c.p.member)
	switch {
	case c.r.Method == http.MethodGet:
		if acc.accountRead {
			return nil
		}
	case strings.Contains(pat, "/members"):
		if acc.superAdmin {
			return nil
		}
	case acc.accountWrite:
		return nil
	}
	return errForbidden()
}

func (e *Emulator) isAcceptedMember(userID, accountID string) bool {
	for _, m := range e.members {
		if m.AccountID == accountID && m.UserID == userID && m.Status == "accepted" {
			return true
		}
	}
	return false
}

// canSeeAccount: may the principal act in this account at all?
func (e *Emulator) canSeeAccount(p *principal, accountID string) bool {
	switch p.kind {
	case pAdmin:
		return e.isAcceptedMember(p.userID, accountID)
	case pMember:
		return p.member.AccountID == accountID && p.member.Status == "accepted"
	}
	t := p.token
	if t.AccountID != "" {
		return t.AccountID == accountID
	}
	return e.isAcceptedMember(t.OwnerUserID, accountID) &&
		tokenAllows(t, catalog.ResourceKey(catalog.ScopeAccount, accountID), "")
}

// canSeeZone: may the principal read this zone?
func (e *Emulator) canSeeZone(p *principal, z *Zone) bool {
	switch p.kind {
	case pAdmin:
		return e.isAcceptedMember(p.userID, z.AccountID)
	case pMember:
		if p.member.AccountID != z.AccountID || p.member.Status != "accepted" {
			return false
		}
		acc := e.memberAccess(p.member)
		return acc.accountRead || acc.zones[z.ID]
	}
	t := p.token
	if t.AccountID != "" {
		return t.AccountID == z.AccountID && tokenAllows(t, catalog.ResourceKey(catalog.ScopeZone, z.ID), z.AccountID)
	}
	return e.isAcceptedMember(t.OwnerUserID, z.AccountID) &&
		tokenAllows(t, catalog.ResourceKey(catalog.ScopeZone, z.ID), z.AccountID)
}

// keyMatches: does the policy resource key pattern cover key? "…zone.*"
// covers every zone key.
func keyMatches(pattern, key string) bool {
	if pattern == key {
		return true
	}
	ps, pid, err1 := catalog.ParseResourceKey(pattern)
	ks, kid, err2 := catalog.ParseResourceKey(key)
	return err1 == nil && err2 == nil && ps == ks && pid == "*" && kid != ""
}

// policyCovers: does a token policy's resources object cover key? For a zone
// key, zoneAccount is the zone's account: an account key with "*" covers its
// zones, and nested {account: {zone keys}} is searched.
func policyCovers(res map[string]any, key, zoneAccount string) bool {
	acctKey := ""
	if zoneAccount != "" {
		acctKey = catalog.ResourceKey(catalog.ScopeAccount, zoneAccount)
	}
	for k, v := range res {
		if keyMatches(k, key) {
			return true
		}
		if acctKey == "" || !keyMatches(k, acctKey) {
			continue
		}
		switch vv := v.(type) {
		case string:
			if vv == "*" {
				return true
			}
		case map[string]any:
			for sk := range vv {
				if keyMatches(sk, key) {
					return true
				}
			}
		}
	}
	return false
}

// tokenAllows is the token authorization hook: an allow policy covers the
// resource and no deny policy does. It checks resource scope only; which
// permission groups a route needs is not enforced yet.
func tokenAllows(t *Token, key, zoneAccount string) bool {
	allowed := false
	for _, p := range t.Policies {
		if !policyCovers(p.Resources, key, zoneAccount) {
			continue
		}
		if p.Effect == "deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

// access is what a member may do, from its roles and allow policies.
type access struct {
	superAdmin, accountWrite, accountRead bool
	tunnelReadAll, tunnelWriteAll         bool
	tunnelRead, tunnelWrite               map[string]bool
	zones                                 map[string]bool // zones with any zone-scoped role
}

// Role labels (Cloudflare's machine names, from the catalog) that carry
// account-wide capabilities the emulator enforces for member tokens.
var (
	labelsSuperAdmin     = []string{"super_administrator_all_privileges"}
	labelsAccountWrite   = []string{"super_administrator_all_privileges", "administrator"}
	labelsAccountRead    = []string{"super_administrator_all_privileges", "administrator", "administrator_read_only"}
	labelsTunnelWriteAll = []string{"super_administrator_all_privileges", "administrator", "cloudflare_zero_trust",
		"email_configuration_admin", "email_integration_admin"}
	labelsTunnelReadAll = []string{"super_administrator_all_privileges", "administrator", "administrator_read_only",
		"cloudflare_zero_trust", "cloudflare_zero_trust_read_only", "email_configuration_admin", "email_integration_admin"}
	labelsTunnelInstanceRead  = []string{"cloudflare_tunnel_instance_read", "cloudflare_tunnel_instance_admin"}
	labelsTunnelInstanceWrite = []string{"cloudflare_tunnel_instance_admin"}
)

func hasLabel(set []string, l string) bool {
	for _, s := range set {
		if s == l {
			return true
		}
	}
	return false
}

// memberAccess computes a member's capabilities from its legacy roles
// (account-wide) and its allow policies (account-, zone- or Tunnel-scoped
// resource groups). Deny policies are not evaluated yet.
func (e *Emulator) memberAccess(m *Member) access {
	acc := access{tunnelRead: map[string]bool{}, tunnelWrite: map[string]bool{}, zones: map[string]bool{}}
	if m.Status != "accepted" {
		return acc
	}
	accountWide := func(label string) {
		acc.superAdmin = acc.superAdmin || hasLabel(labelsSuperAdmin, label)
		acc.accountWrite = acc.accountWrite || hasLabel(labelsAccountWrite, label)
		acc.accountRead = acc.accountRead || hasLabel(labelsAccountRead, label)
		acc.tunnelWriteAll = acc.tunnelWriteAll || hasLabel(labelsTunnelWriteAll, label)
		acc.tunnelReadAll = acc.tunnelReadAll || hasLabel(labelsTunnelReadAll, label)
	}
	for _, id := range m.Roles {
		if g := e.findIAMGroup(m.AccountID, id); g != nil {
			accountWide(g.Label)
		}
	}
	for _, pol := range m.Policies {
		if pol.Access != "allow" {
			continue
		}
		for _, rgID := range pol.ResourceGroups {
			rg := e.findResourceGroup(m.AccountID, rgID)
			if rg == nil {
				continue
			}
			kind, ids, err := e.rgKind(rg)
			if err != nil {
				continue
			}
			for _, pgID := range pol.PermissionGroups {
				g := e.findIAMGroup(m.AccountID, pgID)
				if g == nil {
					continue
				}
				switch kind {
				case catalog.ScopeAccount:
					accountWide(g.Label)
				case catalog.ScopeZone:
					for _, z := range e.expandIDs(ids, catalog.ScopeZone, m.AccountID) {
						acc.zones[z] = true
					}
				case catalog.ScopeTunnel:
					for _, t := range e.expandIDs(ids, catalog.ScopeTunnel, m.AccountID) {
						if hasLabel(labelsTunnelInstanceRead, g.Label) {
							acc.tunnelRead[t] = true
						}
						if hasLabel(labelsTunnelInstanceWrite, g.Label) {
							acc.tunnelWrite[t] = true
						}
					}
				}
			}
		}
	}
	return acc
}

// expandIDs turns object IDs (possibly "*") into the account's zone or Tunnel IDs.
func (e *Emulator) expandIDs(ids []string, s catalog.Scope, accountID string) []string {
	var all []string
	if s == catalog.ScopeZone {
		for _, z := range e.zones {
			if z.AccountID == accountID {
				all = append(all, z.ID)
			}
		}
	} else {
		for _, t := range e.tunnels {
			if t.AccountID == accountID {
				all = append(all, t.ID)
			}
		}
	}
	for _, id := range ids {
		if id == "*" {
			return all
		}
	}
	return ids
}

// tunnelAccess returns whether the principal may read / edit a given Tunnel
// (and its routes). Admin and API tokens that reached an account route may do
// both; member tokens follow their roles (memberAccess).
func (e *Emulator) tunnelAccess(p *principal) (canRead, canWrite func(tunnelID string) bool) {
	if p.kind != pMember {
		yes := func(string) bool { return true }
		return yes, yes
	}
	acc := e.memberAccess(p.member)
	return func(id string) bool { return acc.tunnelReadAll || acc.tunnelRead[id] },
		func(id string) bool { return acc.tunnelWriteAll || acc.tunnelWrite[id] }
}
