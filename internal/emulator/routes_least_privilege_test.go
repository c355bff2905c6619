package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Every route of the emulator's table, with a least-privilege API token as
// well as the admin one (issue 19, item 3): a token holding only a
// permission group that allows the route's operation gets past
// authorization (any answer but 401/403), and a token holding only a group
// that does not (the Read group of the same family, for a write) is
// refused with 403 code 10000, as Cloudflare answers. The groups are those
// of catalog's table, whose rows quote the reference's permission groups;
// the route-to-operation rule is TestOperationOf's, written by hand there.

// routeParams gives each path parameter a value: seeded objects where
// authorization looks them up (the account, a zone, a Tunnel), else an ID
// that does not exist, whose 404 comes from the handler, after
// authorization.
var routeParams = map[string]string{
	"account_id":           AccountID,
	"zone_id":              ZoneExampleCom,
	"tunnel_id":            TunnelAppA,
	"member_id":            "00000000000000000000000000000001",
	"role_id":              "00000000000000000000000000000002",
	"permission_group_id":  "00000000000000000000000000000003",
	"resource_group_id":    "00000000000000000000000000000004",
	"user_group_id":        "00000000000000000000000000000005",
	"token_id":             "00000000000000000000000000000006",
	"route_id":             "00000000-0000-0000-0000-000000000007",
	"app_id":               "00000000-0000-0000-0000-000000000008",
	"identity_provider_id": "00000000-0000-0000-0000-000000000009",
	"policy_id":            "00000000-0000-0000-0000-000000000010",
	"service_token_id":     "00000000-0000-0000-0000-000000000011",
	"target_id":            "00000000-0000-0000-0000-000000000012",
	"ip":                   "192.0.2.1",
	"ip_network_encoded":   "192.0.2.0%2F24",
}

func concretePath(t *testing.T, pattern string) string {
	t.Helper()
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			v, ok := routeParams[strings.Trim(s, "{}")]
			if !ok {
				t.Fatalf("no value for parameter %s of %s", s, pattern)
			}
			segs[i] = v
		}
	}
	return "/" + strings.Join(segs, "/")
}

// tokenHolding has the admin create a user token holding one permission
// group, granted where its scope says: the account, the user, or every
// zone of the account. It returns the token's value.
func tokenHolding(t *testing.T, e *Emulator, post func(body any) *apiResp, name string, scope catalog.Scope) string {
	t.Helper()
	id := ""
	for _, g := range e.TokenPermissionGroups() {
		if strings.EqualFold(g.Name, name) {
			for _, s := range g.Scopes {
				if s == scope {
					id = g.ID
				}
			}
		}
	}
	if id == "" {
		t.Fatalf("no token permission group %q at %s", name, scope)
	}
	var resources map[string]any
	switch scope {
	case catalog.ScopeUser:
		resources = map[string]any{catalog.ResourceKey(catalog.ScopeUser, AdminUserID): "*"}
	case catalog.ScopeZone:
		resources = map[string]any{catalog.ResourceKey(catalog.ScopeAccount, AccountID): map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}}
	default:
		resources = map[string]any{catalog.ResourceKey(catalog.ScopeAccount, AccountID): "*"}
	}
	r := post(map[string]any{"name": "only " + name, "policies": []any{map[string]any{
		"effect": "allow", "permission_groups": []any{map[string]string{"id": id}}, "resources": resources,
	}}})
	var tok struct {
		Value string `json:"value"`
	}
	mustOK(t, r).result(t, &tok)
	return tok.Value
}

// deniedGroup is a permission group at op's scope that does not allow op:
// the Read group of the family for a write, else one of another family.
func deniedGroup(t *testing.T, op catalog.Operation) string {
	t.Helper()
	scope, allowed := catalog.PermissionGroupsFor(op)
	candidates := map[catalog.Scope][]string{
		catalog.ScopeAccount: {"Account Settings Read", "Cloudflare Tunnel Read", "Account Analytics Read"},
		catalog.ScopeUser:    {"User Details Read", "API Tokens Read", "Memberships Read"},
		catalog.ScopeZone:    {"Zone Read", "DNS Read", "Analytics Read"},
	}[scope]
	for _, name := range candidates {
		e, err := catalog.Embedded().ResolvePermissionGroup(name, scope)
		if err != nil {
			continue
		}
		if !catalog.PermissionGroupAllows(e, op) {
			return name
		}
	}
	t.Fatalf("no permission group at %s that does not allow %s (allowed: %v)", scope, op, allowed)
	return ""
}

func TestRoutes_leastPrivilegeTokens(t *testing.T) {
	t.Parallel()
	for _, rt := range apiRoutes() {
		if rt.verify || rt.op == "" {
			continue
		}
		t.Run(rt.key(), func(t *testing.T) {
			t.Parallel()
			e, srv := newServer(t)
			post := func(body any) *apiResp { return api(t, srv, http.MethodPost, "/user/tokens", body) }
			scope, groups := catalog.PermissionGroupsFor(rt.op)
			if len(groups) == 0 {
				t.Fatalf("%s (%s) has no permission group in catalog's table", rt.key(), rt.op)
			}
			allowed := tokenHolding(t, e, post, groups[0], scope)
			denied := tokenHolding(t, e, post, deniedGroup(t, rt.op), scope)
			path := "/client/v4" + concretePath(t, rt.pattern)
			var body any
			if rt.method != http.MethodGet && rt.method != http.MethodDelete {
				body = map[string]any{}
			}
			if rt.key() == "POST /zones" {
				body = map[string]any{"name": "least-privilege.example", "account": map[string]string{"id": AccountID}}
			}
			// The refused token first: a write that gets through (a
			// DELETE) would take away the object the next request needs.
			r := send(t, srv, rt.method, path, body, bearer(denied))
			switch rt.key() {
			case "GET /accounts", "GET /zones":
				// Lists filter what the caller may see: nothing, here.
				var items []map[string]any
				mustOK(t, r).result(t, &items)
				if len(items) != 0 {
					t.Errorf("%s with a token without %v lists %d objects, want none", rt.key(), groups, len(items))
				}
			default:
				if r.Status != http.StatusForbidden || r.code() != codeAuthError {
					t.Errorf("%s with a token without %v: HTTP %d %s, want 403 code %d", rt.key(), groups, r.Status, r.Body, codeAuthError)
				}
			}
			for _, c := range []struct{ who, token string }{{"a token with only " + groups[0], allowed}, {"the admin token", AdminToken}} {
				r := send(t, srv, rt.method, path, body, bearer(c.token))
				if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
					t.Errorf("%s with %s: HTTP %d %s, want past authorization", rt.key(), c.who, r.Status, r.Body)
				}
			}
		})
	}
}
