package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Requests the emulator refuses because of their shape, checked against the
// contract's request schemas (members, resource groups, user tokens) and
// cloudflare-go v7's params where the contract lacks the route (user groups,
// account tokens) or the SDK is newer. The expected status and code are
// written by hand: 400 with 1001, the emulator's validation code
// (codeValidation), for every one of them; none of them changes anything.
//
// Each case in this table was accepted (200), or refused with another code,
// before the emulator checked it.

// validationSetup holds what a case needs: a pending member, its policy ID,
// a user group and an account token, made before the request.
type validationSetup struct {
	srv                      *httptest.Server
	member, group, userToken string
}

func newValidationSetup(t *testing.T) (*Emulator, validationSetup) {
	t.Helper()
	e, srv := newServer(t)
	s := validationSetup{srv: srv}
	var m struct{ ID string }
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "m@example.com",
		"policies": []any{policyBody("", "allow", catalogID(t, "Analytics", "account"), AccountResourceGroupID)}})).result(t, &m)
	s.member = m.ID
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/iam/user_groups", map[string]any{"name": "g"})).result(t, &m)
	s.group = m.ID
	mustOK(t, api(t, srv, "POST", "/user/tokens", map[string]any{"name": "t", "policies": []any{dnsReadPolicy()}})).result(t, &m)
	s.userToken = m.ID
	return e, s
}

// dnsReadPolicy is a token policy allowing DNS Read on the seeded zone.
func dnsReadPolicy() map[string]any {
	return map[string]any{"effect": "allow", "permission_groups": []any{map[string]any{"id": tokenGroupID("DNS Read")}},
		"resources": map[string]any{catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom): "*"}}
}

// with returns a copy of m with k set to v (v nil: k removed), and the next
// key and value if given.
func with(m map[string]any, k string, v any, more ...any) map[string]any {
	out := make(map[string]any, len(m))
	for mk, mv := range m {
		out[mk] = mv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	if len(more) == 2 {
		if k2, ok := more[0].(string); ok {
			return with(out, k2, more[1])
		}
	}
	return out
}

func TestRequestValidation(t *testing.T) {
	members := "/accounts/" + AccountID + "/members"
	groups := "/accounts/" + AccountID + "/iam/user_groups"
	analytics := func(t *testing.T) map[string]any {
		return policyBody("", "allow", catalogID(t, "Analytics", "account"), AccountResourceGroupID)
	}
	for _, tc := range []struct {
		name, method string
		path         func(s validationSetup) string
		body         func(t *testing.T) any
	}{
		// Member policies: access, permission_groups and resource_groups
		// (each by id) are required; effect is a token policy's field.
		{"member create: effect instead of access", "POST", func(validationSetup) string { return members },
			func(t *testing.T) any {
				return map[string]any{"email": "new@example.com", "policies": []any{with(analytics(t), "access", nil, "effect", "allow")}}
			}},
		{"member create: effect beside access", "POST", func(validationSetup) string { return members },
			func(t *testing.T) any {
				return map[string]any{"email": "new@example.com", "policies": []any{with(analytics(t), "effect", "deny")}}
			}},
		{"member create: a permission group without id", "POST", func(validationSetup) string { return members },
			func(t *testing.T) any {
				return map[string]any{"email": "new@example.com", "policies": []any{with(analytics(t), "permission_groups", []any{map[string]any{"name": "Analytics"}})}}
			}},
		{"member create: a resource group without id", "POST", func(validationSetup) string { return members },
			func(t *testing.T) any {
				return map[string]any{"email": "new@example.com", "policies": []any{with(analytics(t), "resource_groups", []any{map[string]any{}})}}
			}},
		{"member create: policies null", "POST", func(validationSetup) string { return members },
			func(*testing.T) any { return map[string]any{"email": "new@example.com", "policies": nil} }},
		{"member create: roles null", "POST", func(validationSetup) string { return members },
			func(*testing.T) any { return map[string]any{"email": "new@example.com", "roles": nil} }},
		// A member update is one of two forms: roles (the member, its
		// status read-only) or policies (policies only).
		{"member update: status with policies", "PUT", func(s validationSetup) string { return members + "/" + s.member },
			func(t *testing.T) any { return map[string]any{"status": "pending", "policies": []any{analytics(t)}} }},
		{"member update: status changed with roles", "PUT", func(s validationSetup) string { return members + "/" + s.member },
			func(t *testing.T) any {
				return map[string]any{"status": "accepted", "roles": []any{map[string]any{"id": catalogID(t, "Analytics", "account")}}}
			}},
		{"member update: roles and policies", "PUT", func(s validationSetup) string { return members + "/" + s.member },
			func(t *testing.T) any {
				return map[string]any{"roles": []any{map[string]any{"id": catalogID(t, "Analytics", "account")}}, "policies": []any{analytics(t)}}
			}},
		{"member update: effect instead of access", "PUT", func(s validationSetup) string { return members + "/" + s.member },
			func(t *testing.T) any {
				return map[string]any{"policies": []any{with(analytics(t), "access", nil, "effect", "deny")}}
			}},
		// User groups take member policies (cloudflare-go v7's UserGroup*Policy).
		{"user group create: effect instead of access", "POST", func(validationSetup) string { return groups },
			func(t *testing.T) any {
				return map[string]any{"name": "ops", "policies": []any{with(analytics(t), "access", nil, "effect", "allow")}}
			}},
		{"user group update: effect instead of access", "PUT", func(s validationSetup) string { return groups + "/" + s.group },
			func(t *testing.T) any {
				return map[string]any{"policies": []any{with(analytics(t), "access", nil, "effect", "deny")}}
			}},
		{"user group create: a permission group without id", "POST", func(validationSetup) string { return groups },
			func(t *testing.T) any {
				return map[string]any{"name": "ops", "policies": []any{with(analytics(t), "permission_groups", []any{map[string]any{"id": ""}})}}
			}},
		// Token policies: effect, permission_groups (each by id) and
		// resources; access is a member policy's field.
		{"user token create: access beside effect", "POST", func(validationSetup) string { return "/user/tokens" },
			func(*testing.T) any {
				return map[string]any{"name": "t2", "policies": []any{with(dnsReadPolicy(), "access", "deny")}}
			}},
		{"user token update: access beside effect", "PUT", func(s validationSetup) string { return "/user/tokens/" + s.userToken },
			func(*testing.T) any {
				return map[string]any{"name": "t", "policies": []any{with(dnsReadPolicy(), "access", "deny")}}
			}},
		{"account token create: a permission group without id", "POST", func(validationSetup) string { return "/accounts/" + AccountID + "/tokens" },
			func(*testing.T) any {
				return map[string]any{"name": "t3", "policies": []any{with(dnsReadPolicy(), "permission_groups", []any{map[string]any{"meta": map[string]any{}}})}}
			}},
		// Resource groups: name is required on create (cloudflare-go v7's
		// ResourceGroupNewParams; the 2024 contract has it read-only).
		{"resource group create: no name", "POST", func(validationSetup) string { return "/accounts/" + AccountID + "/iam/resource_groups" },
			func(*testing.T) any { return with(zoneRG("x"), "name", nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s := newValidationSetup(t)
			beforeMembers, beforeGroups, beforeRGs := e.Members(AccountID), e.UserGroups(AccountID), e.ResourceGroups(AccountID)
			beforeTokens, beforeAccountTokens := e.UserTokens(), e.AccountTokens(AccountID)
			r := api(t, s.srv, tc.method, tc.path(s), tc.body(t))
			wantErr(t, r, http.StatusBadRequest, codeValidation)
			if len(r.Env.Errors) != 1 || r.Env.Errors[0].Message == "" {
				t.Errorf("want one error that says what is wrong: %s", r.Body)
			}
			if !sameJSON(t, beforeMembers, e.Members(AccountID)) || !sameJSON(t, beforeGroups, e.UserGroups(AccountID)) ||
				!sameJSON(t, beforeRGs, e.ResourceGroups(AccountID)) || !sameJSON(t, beforeTokens, e.UserTokens()) ||
				!sameJSON(t, beforeAccountTokens, e.AccountTokens(AccountID)) {
				t.Error("a refused request changed the emulator's state")
			}
		})
	}
}

// What the checks must still take: the forms the provider and cloudflare-go
// send. A policy's id on update (kept), a roles-form update that echoes the
// member's own status (read-only, unchanged), a user group update without
// policies, a resource group update without scope.
func TestRequestValidationAccepts(t *testing.T) {
	_, s := newValidationSetup(t)
	srv := s.srv
	members := "/accounts/" + AccountID + "/members/" + s.member
	var m struct {
		Policies []wirePolicy
	}
	mustOK(t, api(t, srv, "GET", members, nil)).result(t, &m)
	analyticsID := catalogID(t, "Analytics", "account")
	mustOK(t, api(t, srv, "PUT", members, map[string]any{"policies": []any{policyBody(m.Policies[0].ID, "deny", analyticsID, AccountResourceGroupID)}}))
	mustOK(t, api(t, srv, "PUT", members, map[string]any{"status": "pending", "roles": []any{map[string]any{"id": analyticsID}}}))
	mustOK(t, api(t, srv, "PUT", "/accounts/"+AccountID+"/iam/user_groups/"+s.group, map[string]any{"name": "renamed"}))
	rg := newRG(t, srv, "zones", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	mustOK(t, api(t, srv, "PUT", "/accounts/"+AccountID+"/iam/resource_groups/"+rg, map[string]any{"name": "zones, renamed"}))
}

// sameJSON compares two snapshots by their JSON.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := jsonMarshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := jsonMarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}
