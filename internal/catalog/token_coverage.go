package catalog

import (
	"slices"
	"strings"
)

// This file holds the one rule for "does an API token's policy cover that
// resource", which the emulator's authorization and the provider's warning
// about grants beyond its own token both call. Source: Cloudflare's "Create
// tokens via API" page (fundamentals/api/how-to/create-via-api):
//
//   - an account is "com.cloudflare.api.account.<id>": "*", every account
//     "com.cloudflare.api.account.*": "*";
//   - a zone is "com.cloudflare.api.account.zone.<id>": "*", every zone of an
//     account "com.cloudflare.api.account.<id>": {"com.cloudflare.api.account.zone.*": "*"},
//     every zone of every account "com.cloudflare.api.account.zone.*": "*";
//   - the user is "com.cloudflare.api.user.<id>": "*", and a token can only
//     name its own user;
//   - policies are evaluated explicit deny first, then explicit allow, then
//     an implicit deny of everything.
//
// Two readings go beyond the page's list and follow what the API accepts and
// what the provider writes back from it (tokenSpecsFromAPI): an account with
// "*" also covers every zone of that account (for zone permission groups),
// and zone IDs may be nested under their account instead of "zone.*". A
// nested object denotes zones only: it does not cover the account itself.

// APITokenPolicy is one API token policy as the API holds it.
type APITokenPolicy struct {
	Effect   Effect
	GroupIDs []string // permission group IDs, compared ignoring case
	// Resources maps resource keys to "*" or, under an account key, to an
	// object of zone keys mapped to "*".
	Resources map[string]any
}

// TokenResource is what a permission group is held or granted on.
type TokenResource struct {
	// Scope is ScopeUser, ScopeAccount or ScopeZone.
	Scope Scope
	// ID is the user's, account's or zone's ID. For ScopeZone, "*" means
	// every zone of Account. For ScopeUser, "" means the token's own user
	// when its ID is not known: a token's user policies can only name its
	// own user, so any user key covers it.
	ID string
	// Account is, for ScopeZone, the zone's account ("*": every account).
	// "" when not known: then only keys that do not depend on the account
	// (the zone's own key, "zone.*", "account.*") cover the zone.
	Account string
}

// TokenPolicyCovers reports whether a policy's resources cover r entirely.
// Malformed keys and values cover nothing.
func TokenPolicyCovers(resources map[string]any, r TokenResource) bool {
	for k, v := range resources {
		s, id, err := ParseResourceKey(k)
		if err != nil {
			continue
		}
		switch s {
		case ScopeUser:
			if r.Scope == ScopeUser && isAll(v) && (r.ID == "" || id == "*" || sameID(id, r.ID)) {
				return true
			}
		case ScopeZone:
			if r.Scope == ScopeZone && isAll(v) && zoneKeyCovers(id, r) {
				return true
			}
		case ScopeAccount:
			if accountEntryCovers(id, v, r) {
				return true
			}
		}
	}
	return false
}

// accountEntryCovers: does "com.cloudflare.api.account.<id>": v cover r?
func accountEntryCovers(id string, v any, r TokenResource) bool {
	switch vv := v.(type) {
	case string:
		if vv != "*" {
			return false
		}
		switch r.Scope {
		case ScopeAccount:
			return id == "*" || sameID(id, r.ID)
		case ScopeZone:
			return accountHoldsZonesOf(id, r.Account)
		}
	case map[string]any:
		if r.Scope != ScopeZone || !accountHoldsZonesOf(id, r.Account) {
			return false
		}
		for sk, sv := range vv {
			if ss, sid, err := ParseResourceKey(sk); err == nil && ss == ScopeZone && isAll(sv) && zoneKeyCovers(sid, r) {
				return true
			}
		}
	}
	return false
}

// zoneKeyCovers: does the zone key with this ID ("*" or a zone's) cover the
// zone resource r? A single zone never covers every zone of an account.
func zoneKeyCovers(id string, r TokenResource) bool {
	return id == "*" || r.ID != "*" && sameID(id, r.ID)
}

// accountHoldsZonesOf: does an account key with this ID ("*" or an
// account's) hold the zones of account acct? An unknown account ("") is in
// no account the key names, except every account.
func accountHoldsZonesOf(id, acct string) bool {
	return id == "*" || acct != "" && acct != "*" && sameID(id, acct)
}

func isAll(v any) bool {
	s, ok := v.(string)
	return ok && s == "*"
}

func sameID(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// TokenHolds reports whether the policies hold permission group groupID on r:
// an allow policy with the group covers r and no deny policy with the group
// covers it (deny overrides allow, whatever the order).
func TokenHolds(policies []APITokenPolicy, groupID string, r TokenResource) bool {
	held := false
	for _, p := range policies {
		if !slices.ContainsFunc(p.GroupIDs, func(id string) bool { return strings.EqualFold(id, groupID) }) ||
			!TokenPolicyCovers(p.Resources, r) {
			continue
		}
		switch p.Effect {
		case EffectDeny:
			return false
		case EffectAllow:
			held = true
		}
	}
	return held
}

// TokenPolicyAccounts lists the account IDs (not "*") that the policies'
// resource keys name, sorted and without repeats: the accounts a zone of
// unknown account may belong to, for a caller that must not report a zone as
// uncovered when it cannot tell.
func TokenPolicyAccounts(policies []APITokenPolicy) []string {
	var out []string
	for _, p := range policies {
		for k := range p.Resources {
			if s, id, err := ParseResourceKey(k); err == nil && s == ScopeAccount && id != "*" {
				out = append(out, strings.ToLower(id))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
