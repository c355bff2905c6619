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

// Cloudflare's resource key prefixes. The Tunnel and Mesh node ones are
// undocumented upstream; they live here and nowhere else. A Mesh node's key
// follows its API path (/accounts/{id}/warp_connector), as a Tunnel's does
// (/accounts/{id}/cfd_tunnel).
const (
	keyUser     = "com.cloudflare.api.user"
	keyAccount  = "com.cloudflare.api.account"
	keyZone     = "com.cloudflare.api.account.zone"
	keyTunnel   = "com.cloudflare.api.account.cfd_tunnel"
	keyMeshNode = "com.cloudflare.api.account.warp_connector"
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
	case ScopeTunnel:
		return keyTunnel
	case ScopeMeshNode:
		return keyMeshNode
	}
	return ""
}

// ScopeFromKey is the inverse of ScopeKey.
func ScopeFromKey(key string) (Scope, bool) {
	switch strings.TrimSpace(key) {
	case keyUser:
		return ScopeUser, true
	case keyAccount:
		return ScopeAccount, true
	case keyZone:
		return ScopeZone, true
	case keyTunnel:
		return ScopeTunnel, true
	case keyMeshNode:
		return ScopeMeshNode, true
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
	// Longest prefixes first: the zone, Tunnel and Mesh node keys extend the account key.
	for _, s := range []Scope{ScopeZone, ScopeTunnel, ScopeMeshNode, ScopeAccount, ScopeUser} {
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
	return "", "", fmt.Errorf("invalid resource key %q: expected com.cloudflare.api.{user|account|account.zone|account.cfd_tunnel|account.warp_connector}.<id>", key)
}
