package catalog

import (
	"fmt"
	"regexp"
	"strings"
)

// HexIDPattern is the shape of Cloudflare's account, zone, member, role and
// permission group IDs: 32 lowercase hexadecimal characters. The one copy
// of it; do not modify.
var HexIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Cloudflare's resource key prefixes. The resource kinds' are in the kinds
// table (KeyForm), and undocumented upstream.
const (
	keyUser    = "com.cloudflare.api.user"
	keyAccount = "com.cloudflare.api.account"
	keyZone    = "com.cloudflare.api.account.zone"
)

// ScopeKey is the scope's key as the API writes it in permission group
// `scopes` and IAM permission group `meta.scopes`: "com.cloudflare.api.account.zone".
func ScopeKey(s Scope) string {
	switch s {
	case ScopeUser:
		return keyUser
	case ScopeAccount:
		return keyAccount
	case ScopeZone:
		return keyZone
	}
	if k, ok := KindOf(s); ok {
		return k.KeyForm
	}
	return ""
}

// ScopeFromKey is the inverse of ScopeKey.
func ScopeFromKey(key string) (Scope, bool) {
	key = strings.TrimSpace(key)
	for _, s := range append([]Scope{ScopeUser}, RoleScopes...) {
		if ScopeKey(s) == key {
			return s, true
		}
	}
	return "", false
}

// ResourceKey names one resource: "com.cloudflare.api.account.zone.<zone_id>".
func ResourceKey(s Scope, id string) string {
	return ScopeKey(s) + "." + id
}

// ParseResourceKey splits a resource key into its scope and ID. The wildcard
// "com.cloudflare.api.account.zone.*" parses as (ScopeZone, "*").
func ParseResourceKey(key string) (Scope, string, error) {
	// Longest prefixes first: the zone and resource kinds' keys extend the account key.
	for _, s := range append(append([]Scope{ScopeZone}, ResourceScopes()...), ScopeAccount, ScopeUser) {
		p := ScopeKey(s) + "."
		if strings.HasPrefix(key, p) {
			id := strings.TrimPrefix(key, p)
			if id == "" || strings.Contains(id, ".") && s != ScopeAccount {
				break
			}
			if s == ScopeAccount && strings.Contains(id, ".") {
				continue
			}
			return s, id, nil
		}
	}
	forms := []string{"user", "account", "account.zone"}
	for _, k := range kinds {
		forms = append(forms, strings.TrimPrefix(k.KeyForm, "com.cloudflare.api."))
	}
	return "", "", fmt.Errorf("invalid resource key %q: expected com.cloudflare.api.{%s}.<id>", key, strings.Join(forms, "|"))
}
