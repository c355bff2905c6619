package emulator

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// --- token permission groups ---

func tokenGroupJSON(g *TokenPermissionGroup) map[string]any {
	scopes := make([]string, 0, len(g.Scopes))
	for _, s := range g.Scopes {
		scopes = append(scopes, catalog.ScopeKey(s))
	}
	return map[string]any{"id": g.ID, "name": g.Name, "scopes": scopes}
}

func (e *Emulator) listTokenGroups(c *call, accountOwned bool) (any, *resultInfo, error) {
	name, scope := c.query.Get("name"), c.query.Get("scope")
	out := []map[string]any{}
	for _, g := range e.tokenGroups {
		if accountOwned && len(g.Scopes) == 1 && g.Scopes[0] == catalog.ScopeUser {
			continue // account-owned tokens cannot hold user permission groups
		}
		if name != "" && !strings.EqualFold(g.Name, name) {
			continue
		}
		if scope != "" && !slices.ContainsFunc(g.Scopes, func(s catalog.Scope) bool { return catalog.ScopeKey(s) == scope }) {
			continue
		}
		out = append(out, tokenGroupJSON(g))
	}
	return out, &resultInfo{Page: 1, PerPage: len(out), Count: len(out), TotalCount: len(out), TotalPages: 1}, nil
}

func listUserTokenPermissionGroups(e *Emulator, c *call) (any, *resultInfo, error) {
	return e.listTokenGroups(c, false)
}

func listAccountTokenPermissionGroups(e *Emulator, c *call) (any, *resultInfo, error) {
	return e.listTokenGroups(c, true)
}

func (e *Emulator) findTokenGroup(id string) *TokenPermissionGroup {
	for _, g := range e.tokenGroups {
		if strings.EqualFold(g.ID, id) {
			return g
		}
	}
	return nil
}

// --- tokens ---

// tokenStatus is the status as reported: "expired" once expires_on has passed.
func (e *Emulator) tokenStatus(t *Token) string {
	if t.Status == "disabled" {
		return "disabled"
	}
	if t.ExpiresOn != nil && !e.now().Before(*t.ExpiresOn) {
		return "expired"
	}
	return "active"
}

func (e *Emulator) tokenJSON(t *Token) map[string]any {
	pols := make([]map[string]any, 0, len(t.Policies))
	for _, p := range t.Policies {
		pgs := make([]map[string]any, 0, len(p.PermissionGroups))
		for _, ref := range p.PermissionGroups {
			pg := map[string]any{"id": ref.ID}
			if g := e.findTokenGroup(ref.ID); g != nil {
				pg["name"] = g.Name
			}
			if ref.Meta != nil {
				pg["meta"] = ref.Meta
			}
			pgs = append(pgs, pg)
		}
		pols = append(pols, map[string]any{"id": p.ID, "effect": p.Effect, "permission_groups": pgs, "resources": p.Resources})
	}
	out := map[string]any{"id": t.ID, "name": t.Name, "status": e.tokenStatus(t),
		"issued_on": ts(t.IssuedOn), "modified_on": ts(t.ModifiedOn), "policies": pols}
	if t.NotBefore != nil {
		out["not_before"] = ts(*t.NotBefore)
	}
	if t.ExpiresOn != nil {
		out["expires_on"] = ts(*t.ExpiresOn)
	}
	if t.LastUsedOn != nil {
		out["last_used_on"] = ts(*t.LastUsedOn)
	}
	if t.Condition != nil {
		ip := map[string]any{}
		if t.Condition.In != nil {
			ip["in"] = t.Condition.In
		}
		if t.Condition.NotIn != nil {
			ip["not_in"] = t.Condition.NotIn
		}
		out["condition"] = map[string]any{t.Condition.WireKey: ip}
	}
	return out
}

type tokenIn struct {
	Name      *string                    `json:"name"`
	Status    *string                    `json:"status"`
	Policies  *[]tokenPolicyIn           `json:"policies"`
	Condition map[string]json.RawMessage `json:"condition"`
	NotBefore *string                    `json:"not_before"`
	ExpiresOn *string                    `json:"expires_on"`
}

// tokenPolicyIn is a token policy as sent: effect, permission_groups (each
// by id) and resources are required (the contract's
// policy_with_permission_groups_and_resources, cloudflare-go v7's
// shared.TokenPolicyParam). Access is there to be refused: it is a member
// policy's field.
type tokenPolicyIn struct {
	Effect           string          `json:"effect"`
	Access           json.RawMessage `json:"access"`
	PermissionGroups []struct {
		ID   *string        `json:"id"`
		Meta map[string]any `json:"meta"`
	} `json:"permission_groups"`
	Resources map[string]any `json:"resources"`
}

// tokenOwner is who owns the tokens of this route: an account (account
// tokens) or the principal's user (user tokens).
func tokenOwner(c *call) (accountID, userID string) {
	if a := c.param("account_id"); a != "" {
		return a, ""
	}
	return "", c.p.userID
}

// checkResourceKey validates one resources key for the owner and returns its scope.
func (e *Emulator) checkResourceKey(key, accountID, userID string) (catalog.Scope, error) {
	s, id, err := catalog.ParseResourceKey(key)
	if err != nil {
		return "", errValidation("resources: %v", err)
	}
	switch s {
	case catalog.ScopeUser:
		if accountID != "" {
			return "", errValidation("resources: an account-owned token cannot hold user resources")
		}
		if id != userID {
			return "", errValidation("resources: %s is not your user", key)
		}
	case catalog.ScopeAccount:
		if accountID != "" && id != accountID {
			return "", errValidation("resources: an account-owned token can only reach its own account")
		}
		if id != "*" && e.findAccount(id) == nil {
			return "", errValidation("resources: account %s not found", id)
		}
	case catalog.ScopeZone:
		if z := e.findZone(id); id != "*" && (z == nil || accountID != "" && z.AccountID != accountID) {
			return "", errValidation("resources: zone %s not found", id)
		}
	default:
		return "", errValidation("resources: %s cannot be used in a token policy", key)
	}
	return s, nil
}

// groupFits: may a permission group with these scopes be granted on a resource of scope s?
func groupFits(g *TokenPermissionGroup, s catalog.Scope) bool {
	for _, gs := range g.Scopes {
		if gs == s || s == catalog.ScopeAccount && gs == catalog.ScopeZone {
			return true // zone groups on an account mean every zone of it
		}
	}
	return false
}

func (e *Emulator) parseTokenPolicies(in []tokenPolicyIn, accountID, userID string) ([]TokenPolicy, error) {
	if len(in) == 0 {
		return nil, errValidation("policies must hold at least one policy")
	}
	var out []TokenPolicy
	for i, p := range in {
		if p.Access != nil {
			return nil, errValidation("policies[%d].access is not a field of an API token policy: a token policy takes effect (allow or deny); access is a member policy's", i)
		}
		if p.Effect != "allow" && p.Effect != "deny" {
			return nil, errValidation("policies[%d].effect must be allow or deny", i)
		}
		if len(p.PermissionGroups) == 0 {
			return nil, errValidation("policies[%d].permission_groups must not be empty", i)
		}
		for j, ref := range p.PermissionGroups {
			if ref.ID == nil || *ref.ID == "" {
				return nil, errValidation("policies[%d].permission_groups[%d].id is required", i, j)
			}
		}
		if len(p.Resources) == 0 {
			return nil, errValidation("policies[%d].resources must not be empty", i)
		}
		var scopes []catalog.Scope
		for k, v := range p.Resources {
			s, err := e.checkResourceKey(k, accountID, userID)
			if err != nil {
				return nil, err
			}
			switch vv := v.(type) {
			case string:
				if vv != "*" {
					return nil, errValidation("policies[%d].resources[%q] must be \"*\" or an object", i, k)
				}
				scopes = append(scopes, s)
			case map[string]any:
				if s != catalog.ScopeAccount {
					return nil, errValidation("policies[%d].resources: only an account key may nest zone keys", i)
				}
				for sk, sv := range vv {
					ss, err := e.checkResourceKey(sk, accountID, userID)
					if err != nil {
						return nil, err
					}
					if ss != catalog.ScopeZone || sv != "*" {
						return nil, errValidation("policies[%d].resources[%q] must map zone keys to \"*\"", i, k)
					}
					scopes = append(scopes, catalog.ScopeZone)
				}
			default:
				return nil, errValidation("policies[%d].resources[%q] must be \"*\" or an object", i, k)
			}
		}
		pol := TokenPolicy{Effect: p.Effect, Resources: p.Resources}
		for _, ref := range p.PermissionGroups {
			g := e.findTokenGroup(*ref.ID)
			if g == nil {
				return nil, errf(http.StatusBadRequest, codeUnknownGroup, "unknown permission group %s", *ref.ID)
			}
			for _, s := range scopes {
				if !groupFits(g, s) {
					return nil, errf(http.StatusBadRequest, codeBadCombination,
						"invalid permission group and resource combination: %q cannot be granted on %s resources", g.Name, s)
				}
			}
			pol.PermissionGroups = append(pol.PermissionGroups, TokenPolicyPermissionGroup{ID: g.ID, Meta: ref.Meta})
		}
		out = append(out, pol)
	}
	return out, nil
}

// grantTarget is one resource a token policy grants its permission groups
// on: the key to look up in the creator's policies, and for a zone key the
// zone's account. An account key with "*" grants zone groups on every zone
// of the account: that is the zone wildcard in that account.
type grantTarget struct{ key, zoneAccount string }

func (e *Emulator) grantTargets(res map[string]any, g *TokenPermissionGroup) []grantTarget {
	var out []grantTarget
	for k, v := range res {
		s, id, err := catalog.ParseResourceKey(k)
		if err != nil {
			continue
		}
		switch s {
		case catalog.ScopeZone:
			acct := ""
			if z := e.findZone(id); z != nil {
				acct = z.AccountID
			}
			out = append(out, grantTarget{k, acct})
		case catalog.ScopeAccount:
			if sub, ok := v.(map[string]any); ok {
				for sk := range sub {
					out = append(out, grantTarget{sk, id})
				}
				continue
			}
			if !slices.Contains(g.Scopes, catalog.ScopeAccount) {
				out = append(out, grantTarget{catalog.ResourceKey(catalog.ScopeZone, "*"), id}) // a zone group on every zone of the account
				continue
			}
			out = append(out, grantTarget{k, ""})
		default:
			out = append(out, grantTarget{k, ""})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// checkGrantable refuses (400, code 1001) a token whose allow policies grant
// a permission group on a resource where the principal creating or updating
// it does not hold that group: a token may pass on only what it holds. The
// admin (Super Administrator) may grant anything; a member may grant a
// permission group where its roles allow every operation the group allows
// (catalog.OperationsOf), and one that maps to no emulated operation only as
// a Super Administrator. Deny policies only take away and are not checked.
func (e *Emulator) checkGrantable(p *principal, pols []TokenPolicy) error {
	if p.kind == pAdmin {
		return nil
	}
	for i, pol := range pols {
		if pol.Effect != "allow" {
			continue
		}
		for _, ref := range pol.PermissionGroups {
			g := e.findTokenGroup(ref.ID)
			if g == nil {
				continue
			}
			for _, tg := range e.grantTargets(pol.Resources, g) {
				if !e.holdsGroup(p, g, tg) {
					who := "the token making this request"
					if p.kind == pMember {
						who = "you"
					}
					return errValidation("policies[%d]: cannot grant permission group %q on %s: %s does not hold %q there",
						i, g.Name, tg.key, who, g.Name)
				}
			}
		}
	}
	return nil
}

// holdsGroup: does the principal hold token permission group g on the target?
func (e *Emulator) holdsGroup(p *principal, g *TokenPermissionGroup, tg grantTarget) bool {
	if p.kind == pToken {
		return tokenHolds(p.token, g.ID, tg.key, tg.zoneAccount)
	}
	// A member: every operation the group allows, on that resource.
	s, id, err := catalog.ParseResourceKey(tg.key)
	if err != nil {
		return false
	}
	if s == catalog.ScopeUser {
		return id == p.userID // a member acts as its own user
	}
	acct := id
	if s == catalog.ScopeZone {
		acct = tg.zoneAccount
	}
	if acct == "" || acct == "*" || !e.inAccount(p, acct) {
		return false
	}
	var ops []catalog.Operation
	for _, en := range tokenGroupEntries(g) {
		ops = append(ops, catalog.OperationsOf(en)...)
	}
	grants := e.memberGrants(p.member)
	if len(ops) == 0 {
		return catalog.HoldsSuperAdministrator(grants)
	}
	for _, op := range ops {
		switch {
		case s == catalog.ScopeZone && id != "*":
			z := e.findZone(id)
			if z == nil || !e.allowsZone(p, op, z) {
				return false
			}
		case !e.allowsAccount(p, op, acct):
			return false
		}
	}
	return true
}

func parseCondition(raw map[string]json.RawMessage) (*TokenCondition, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var cond *TokenCondition
	for k, v := range raw {
		if k != "request.ip" && k != "request_ip" {
			return nil, errValidation("condition: unknown key %q (expected request.ip)", k)
		}
		var ip struct {
			In    []string `json:"in"`
			NotIn []string `json:"not_in"`
		}
		if err := json.Unmarshal(v, &ip); err != nil {
			return nil, errf(http.StatusBadRequest, codeMalformedJSON, "Malformed JSON in request body")
		}
		for _, c := range append(slices.Clone(ip.In), ip.NotIn...) {
			if _, err := netip.ParsePrefix(c); err != nil {
				if _, err := netip.ParseAddr(c); err != nil {
					return nil, errValidation("condition: %q is not an IP address or CIDR", c)
				}
			}
		}
		cond = &TokenCondition{WireKey: k, In: ip.In, NotIn: ip.NotIn}
	}
	return cond, nil
}

func parseTime(name string, s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil, errValidation("%s must be an RFC 3339 date-time", name)
	}
	t = t.UTC()
	return &t, nil
}

// applyTokenInput validates the whole input and only then writes it to t.
func (e *Emulator) applyTokenInput(p *principal, t *Token, in *tokenIn, accountID, userID string, update bool) error {
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" || len(*in.Name) > 120 {
		return errValidation("name is required (1 to 120 characters)")
	}
	if in.Policies == nil {
		return errValidation("policies is required")
	}
	pols, err := e.parseTokenPolicies(*in.Policies, accountID, userID)
	if err != nil {
		return err
	}
	if err := e.checkGrantable(p, pols); err != nil {
		return err
	}
	cond, err := parseCondition(in.Condition)
	if err != nil {
		return err
	}
	nb, err := parseTime("not_before", in.NotBefore)
	if err != nil {
		return err
	}
	exp, err := parseTime("expires_on", in.ExpiresOn)
	if err != nil {
		return err
	}
	if nb != nil && exp != nil && !exp.After(*nb) {
		return errValidation("expires_on must be after not_before")
	}
	status := t.Status
	if in.Status != nil {
		if !update || *in.Status != "active" && *in.Status != "disabled" && *in.Status != "expired" {
			return errValidation("status must be active or disabled")
		}
		if *in.Status != "expired" { // "expired" is derived, never set
			status = *in.Status
		}
	}
	for i := range pols {
		pols[i].ID = e.newID("token-policy")
	}
	t.Name, t.Policies, t.Condition, t.NotBefore, t.ExpiresOn, t.Status = *in.Name, pols, cond, nb, exp, status
	t.ModifiedOn = e.now()
	return nil
}

func (e *Emulator) ownedTokens(c *call) []*Token {
	acct, user := tokenOwner(c)
	var out []*Token
	for _, t := range e.tokens {
		if acct != "" && t.AccountID == acct || acct == "" && t.AccountID == "" && t.OwnerUserID == user {
			out = append(out, t)
		}
	}
	return out
}

func (e *Emulator) findOwnedToken(c *call) (*Token, error) {
	for _, t := range e.ownedTokens(c) {
		if strings.EqualFold(t.ID, c.param("token_id")) {
			return t, nil
		}
	}
	return nil, errNotFound("Token")
}

func listTokens(e *Emulator, c *call) (any, *resultInfo, error) {
	desc, err := direction(c.query)
	if err != nil {
		return nil, nil, err
	}
	inclExpired, _, err := queryBool(c.query, "include_expired")
	if err != nil {
		return nil, nil, err
	}
	var out []map[string]any
	for _, t := range e.ownedTokens(c) {
		if !inclExpired && e.tokenStatus(t) == "expired" {
			continue
		}
		out = append(out, e.tokenJSON(t))
	}
	if desc {
		reverse(out)
	}
	return paginateAny(c, out, 5, 50)
}

func createToken(e *Emulator, c *call) (any, *resultInfo, error) {
	var in tokenIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	acct, user := tokenOwner(c)
	if acct == "" && user == "" {
		return nil, nil, errForbidden()
	}
	now := e.now()
	t := &Token{Status: "active", AccountID: acct, OwnerUserID: user, IssuedOn: now}
	if err := e.applyTokenInput(c.p, t, &in, acct, user, false); err != nil {
		return nil, nil, err
	}
	t.ID = e.newID("token")
	value := newTokenValue()
	t.valueHash = hashTokenValue(value)
	e.tokens = append(e.tokens, t)
	out := e.tokenJSON(t)
	out["value"] = value // returned once, here and on roll
	return out, nil, nil
}

func getToken(e *Emulator, c *call) (any, *resultInfo, error) {
	t, err := e.findOwnedToken(c)
	if err != nil {
		return nil, nil, err
	}
	return e.tokenJSON(t), nil, nil
}

func updateToken(e *Emulator, c *call) (any, *resultInfo, error) {
	var in tokenIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	t, err := e.findOwnedToken(c)
	if err != nil {
		return nil, nil, err
	}
	acct, user := tokenOwner(c)
	next := *t
	if err := e.applyTokenInput(c.p, &next, &in, acct, user, true); err != nil {
		return nil, nil, err
	}
	*t = next
	return e.tokenJSON(t), nil, nil
}

func deleteToken(e *Emulator, c *call) (any, *resultInfo, error) {
	t, err := e.findOwnedToken(c)
	if err != nil {
		return nil, nil, err
	}
	e.tokens = slices.DeleteFunc(e.tokens, func(x *Token) bool { return x == t })
	return map[string]any{"id": t.ID}, nil, nil
}

func rollToken(e *Emulator, c *call) (any, *resultInfo, error) {
	var body map[string]any
	if err := c.decode(&body); err != nil {
		return nil, nil, err
	}
	t, err := e.findOwnedToken(c)
	if err != nil {
		return nil, nil, err
	}
	value := newTokenValue()
	t.valueHash = hashTokenValue(value)
	t.ModifiedOn = e.now()
	return value, nil, nil
}

func verifyToken(e *Emulator, c *call) (any, *resultInfo, error) {
	out := map[string]any{"id": c.p.tokenID, "status": "active"}
	if t := c.p.token; t != nil {
		if t.NotBefore != nil {
			out["not_before"] = ts(*t.NotBefore)
		}
		if t.ExpiresOn != nil {
			out["expires_on"] = ts(*t.ExpiresOn)
		}
	}
	c.messages = []apiMessage{{Code: codeTokenValidMessage, Message: "This API Token is valid and active"}}
	return out, nil, nil
}
