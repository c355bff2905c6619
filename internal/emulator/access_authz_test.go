package emulator

import (
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Authorization-aware Access listings, as Cloudflare's changelog of
// 2026-08-19 describes them (resource-scoped-kinds.md): a member with only
// resource-scoped Access roles lists the objects its policies name (not
// 403); Cloudflare Access App Admin on an application also sees the
// policies attached directly to it; reusable policies only with Cloudflare
// Access Policy Admin on them; account roles that cover Access see all
// (zero-trust-roles.md: Cloudflare Access edits Access, Cloudflare Gateway
// reads it; account-and-domain-roles.txt: the Email roles edit Tunnels, not
// Access). Paths, role names and expected IDs are written out here.

const accessBase = "/client/v4/accounts/" + AccountID

// listIDs lists path with the member's token, which must be answered 200.
func listIDs(t *testing.T, srv *httptest.Server, path string, tok map[string]string) []string {
	t.Helper()
	return ids(t, mustOK(t, send(t, srv, "GET", accessBase+path, nil, tok)))
}

// accessLists are the five Access lists with every seeded object, by hand.
var accessLists = map[string][]string{
	"/access/apps":               sorted(AccessAppA, AccessAppB),
	"/access/identity_providers": sorted(AccessIdentityProviderA, AccessIdentityProviderB),
	"/access/policies":           sorted(AccessPolicyA, AccessPolicyB, AccessPolicyAppA),
	"/access/service_tokens":     sorted(AccessServiceTokenA, AccessServiceTokenB),
	"/infrastructure/targets":    sorted(InfrastructureTargetA, InfrastructureTargetB),
}

// A member with only one kind's Admin role on one object lists exactly that
// object of the kind, reads it, is refused (403 10000, as for a Tunnel) the
// other one, and lists nothing — not 403 — of the other Access kinds.
func TestAccessMemberListsOnlyBoundObject(t *testing.T) {
	cases := []struct {
		kind         catalog.Scope
		role, path   string
		bound, other string
	}{
		{catalog.ScopeAccessApplication, "Cloudflare Access App Admin", "/access/apps", AccessAppB, AccessAppA},
		{catalog.ScopeAccessIdentityProvider, "Cloudflare Access Identity Provider Admin", "/access/identity_providers", AccessIdentityProviderB, AccessIdentityProviderA},
		{catalog.ScopeAccessPolicy, "Cloudflare Access Policy Admin", "/access/policies", AccessPolicyB, AccessPolicyA},
		{catalog.ScopeAccessServiceToken, "Cloudflare Access Service Token Admin", "/access/service_tokens", AccessServiceTokenA, AccessServiceTokenB},
		{catalog.ScopeInfrastructureTarget, "Access for Infrastructure Target Admin", "/infrastructure/targets", InfrastructureTargetA, InfrastructureTargetB},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			_, srv := newServer(t)
			rg := newRG(t, srv, "one", catalog.ResourceKey(tc.kind, tc.bound))
			_, tok := newMember(t, srv, "delegate@example.com", "accepted", pol{"allow", []catalog.Entry{role(t, tc.role, tc.kind)}, rg})
			if got := listIDs(t, srv, tc.path, tok); !reflect.DeepEqual(got, []string{tc.bound}) {
				t.Errorf("%s lists %v, want only %s", tc.path, got, tc.bound)
			}
			mustOK(t, send(t, srv, "GET", accessBase+tc.path+"/"+tc.bound, nil, tok))
			wantErr(t, send(t, srv, "GET", accessBase+tc.path+"/"+tc.other, nil, tok), http.StatusForbidden, codeAuthError)
			for path := range accessLists {
				if path == tc.path {
					continue
				}
				if got := listIDs(t, srv, path, tok); len(got) != 0 {
					t.Errorf("a %s role lists %s: %v", tc.role, path, got)
				}
			}
			if got := listIDs(t, srv, "/cfd_tunnel", tok); len(got) != 0 {
				t.Errorf("an Access role lists Tunnels: %v", got)
			}
		})
	}
}

// App Admin on app-a sees app-a's own policy, not the reusable ones; on
// app-b, which has no policy of its own, no policy. Policy Admin on a
// reusable policy sees that policy only, not an application's own one.
func TestAccessPolicyListing(t *testing.T) {
	_, srv := newServer(t)
	appAdmin := role(t, "Cloudflare Access App Admin", catalog.ScopeAccessApplication)
	policyAdmin := role(t, "Cloudflare Access Policy Admin", catalog.ScopeAccessPolicy)

	_, onA := newMember(t, srv, "app-a@example.com", "accepted",
		pol{"allow", []catalog.Entry{appAdmin}, newRG(t, srv, "app a", catalog.ResourceKey(catalog.ScopeAccessApplication, AccessAppA))})
	if got := listIDs(t, srv, "/access/policies", onA); !reflect.DeepEqual(got, []string{"42e339f7-cab6-47ec-b664-0cba16fbd493"}) {
		t.Errorf("App Admin on app-a lists policies %v, want app-a-own only", got)
	}
	mustOK(t, send(t, srv, "GET", accessBase+"/access/policies/"+AccessPolicyAppA, nil, onA))
	wantErr(t, send(t, srv, "GET", accessBase+"/access/policies/"+AccessPolicyA, nil, onA), http.StatusForbidden, codeAuthError)

	_, onB := newMember(t, srv, "app-b@example.com", "accepted",
		pol{"allow", []catalog.Entry{appAdmin}, newRG(t, srv, "app b", catalog.ResourceKey(catalog.ScopeAccessApplication, AccessAppB))})
	if got := listIDs(t, srv, "/access/policies", onB); len(got) != 0 {
		t.Errorf("App Admin on app-b lists policies %v, want none", got)
	}
	wantErr(t, send(t, srv, "GET", accessBase+"/access/policies/"+AccessPolicyAppA, nil, onB), http.StatusForbidden, codeAuthError)

	_, reusable := newMember(t, srv, "policy-a@example.com", "accepted",
		pol{"allow", []catalog.Entry{policyAdmin}, newRG(t, srv, "policy a", catalog.ResourceKey(catalog.ScopeAccessPolicy, AccessPolicyA))})
	if got := listIDs(t, srv, "/access/policies", reusable); !reflect.DeepEqual(got, []string{"5b94410f-0f2a-4163-a2eb-fd25adb9c250"}) {
		t.Errorf("Policy Admin on policy-a lists %v, want policy-a only", got)
	}
	if got := listIDs(t, srv, "/access/apps", reusable); len(got) != 0 {
		t.Errorf("Policy Admin lists applications: %v", got)
	}

	// Both roles in two policies: the union.
	_, both := newMember(t, srv, "both@example.com", "accepted",
		pol{"allow", []catalog.Entry{appAdmin}, newRG(t, srv, "app a 2", catalog.ResourceKey(catalog.ScopeAccessApplication, AccessAppA))},
		pol{"allow", []catalog.Entry{policyAdmin}, newRG(t, srv, "policy b", catalog.ResourceKey(catalog.ScopeAccessPolicy, AccessPolicyB))})
	if got := listIDs(t, srv, "/access/policies", both); !reflect.DeepEqual(got, sorted(AccessPolicyAppA, AccessPolicyB)) {
		t.Errorf("App Admin on app-a and Policy Admin on policy-b list %v", got)
	}

	// A deny of App Admin bound to app-a takes app-a away from an account
	// role that covers it (deny is evaluated over allow).
	_, denied := newMember(t, srv, "denied@example.com", "accepted",
		pol{"allow", []catalog.Entry{role(t, "Cloudflare Access", catalog.ScopeAccount)}, AccountResourceGroupID},
		pol{"deny", []catalog.Entry{appAdmin}, newRG(t, srv, "app a 3", catalog.ResourceKey(catalog.ScopeAccessApplication, AccessAppA))})
	if got := listIDs(t, srv, "/access/apps", denied); !reflect.DeepEqual(got, []string{AccessAppB}) {
		t.Errorf("Cloudflare Access with App Admin denied on app-a lists %v, want app-b", got)
	}
}

// Account roles: Cloudflare Access (edit) and Cloudflare Gateway (read) see
// every Access object; Email Configuration Admin covers Tunnels, not Access.
func TestAccessAccountRoles(t *testing.T) {
	_, srv := newServer(t)
	for _, name := range []string{"Cloudflare Access", "Cloudflare Gateway", "Cloudflare Zero Trust Read Only"} {
		_, tok := newMember(t, srv, labelOf(name)+"@example.com", "accepted",
			pol{"allow", []catalog.Entry{role(t, name, catalog.ScopeAccount)}, AccountResourceGroupID})
		for path, want := range accessLists {
			if got := listIDs(t, srv, path, tok); !reflect.DeepEqual(got, want) {
				t.Errorf("%s lists %s %v, want %v", name, path, got, want)
			}
		}
		mustOK(t, send(t, srv, "GET", accessBase+"/access/apps/"+AccessAppA, nil, tok))
	}
	_, email := newMember(t, srv, "email@example.com", "accepted",
		pol{"allow", []catalog.Entry{role(t, "Email Configuration Admin", catalog.ScopeAccount)}, AccountResourceGroupID})
	if got := listIDs(t, srv, "/cfd_tunnel", email); !reflect.DeepEqual(got, sorted(TunnelAppA, TunnelAppB)) {
		t.Errorf("Email Configuration Admin lists Tunnels %v, want both", got)
	}
	if got := listIDs(t, srv, "/access/apps", email); len(got) != 0 {
		t.Errorf("Email Configuration Admin lists Access applications %v, want none", got)
	}
	wantErr(t, send(t, srv, "GET", accessBase+"/access/apps/"+AccessAppA, nil, email), http.StatusForbidden, codeAuthError)
}

// API tokens read a kind with its permission groups (api-token-permission-groups.md):
// all of it or 403, as for Tunnels.
func TestAccessTokens(t *testing.T) {
	e, srv := newServer(t)
	post := func(body any) *apiResp { return api(t, srv, http.MethodPost, "/user/tokens", body) }
	apps := bearer(tokenHolding(t, e, post, "Access: Apps and Policies Read", catalog.ScopeAccount))
	tunnels := bearer(tokenHolding(t, e, post, "Cloudflare Tunnel Read", catalog.ScopeAccount))
	tokens := bearer(tokenHolding(t, e, post, "Access: Service Tokens Read", catalog.ScopeAccount))
	if got := listIDs(t, srv, "/access/apps", apps); !reflect.DeepEqual(got, accessLists["/access/apps"]) {
		t.Errorf("Access: Apps and Policies Read lists %v", got)
	}
	if got := listIDs(t, srv, "/access/policies", apps); !reflect.DeepEqual(got, accessLists["/access/policies"]) {
		t.Errorf("Access: Apps and Policies Read lists policies %v", got)
	}
	if got := listIDs(t, srv, "/access/service_tokens", tokens); !reflect.DeepEqual(got, accessLists["/access/service_tokens"]) {
		t.Errorf("Access: Service Tokens Read lists %v", got)
	}
	wantErr(t, send(t, srv, "GET", accessBase+"/access/service_tokens", nil, apps), http.StatusForbidden, codeAuthError)
	wantErr(t, send(t, srv, "GET", accessBase+"/access/apps", nil, tunnels), http.StatusForbidden, codeAuthError)
	wantErr(t, send(t, srv, "GET", accessBase+"/access/apps/"+AccessAppA, nil, tunnels), http.StatusForbidden, codeAuthError)
	wantErr(t, send(t, srv, "GET", accessBase+"/cfd_tunnel", nil, apps), http.StatusForbidden, codeAuthError)
}

// A missing object is 404 1003, an ID that is no UUID 404 7003, for the admin.
func TestAccessGetMissing(t *testing.T) {
	_, srv := newServer(t)
	for path := range accessLists {
		wantErr(t, send(t, srv, "GET", accessBase+path+"/00000000-0000-4000-8000-000000000000", nil, nil), http.StatusNotFound, codeNotFound)
		wantErr(t, send(t, srv, "GET", accessBase+path+"/not-a-uuid", nil, nil), http.StatusNotFound, codeBadIdentifier)
	}
	// A Tunnel's ID is no Access application.
	wantErr(t, send(t, srv, "GET", accessBase+"/access/apps/"+TunnelAppA, nil, nil), http.StatusNotFound, codeNotFound)
}

// Resource groups of Access objects take the key forms of the catalog's
// table (the emulator's assumption: Cloudflare publishes none), written out
// here; unknown objects, an application's own policy and a role on a kind
// it does not apply to are refused.
func TestAccessResourceGroupsAndRoleKinds(t *testing.T) {
	_, srv := newServer(t)
	keys := map[catalog.Scope]string{
		catalog.ScopeAccessApplication:      "com.cloudflare.api.account.access_app." + AccessAppA,
		catalog.ScopeAccessIdentityProvider: "com.cloudflare.api.account.access_identity_provider." + AccessIdentityProviderA,
		catalog.ScopeAccessPolicy:           "com.cloudflare.api.account.access_policy." + AccessPolicyA,
		catalog.ScopeAccessServiceToken:     "com.cloudflare.api.account.access_service_token." + AccessServiceTokenA,
		catalog.ScopeInfrastructureTarget:   "com.cloudflare.api.account.infrastructure_target." + InfrastructureTargetA,
	}
	rgs := map[catalog.Scope]string{}
	for kind, key := range keys {
		rgs[kind] = newRG(t, srv, string(kind), key)
	}
	rgs[catalog.ScopeTunnel] = newRG(t, srv, "tunnel", "com.cloudflare.api.account.cfd_tunnel."+TunnelAppA)

	rgPost := func(keys ...string) *apiResp {
		objs := []any{}
		for _, k := range keys {
			objs = append(objs, map[string]any{"key": k})
		}
		return api(t, srv, "POST", "/accounts/"+AccountID+"/iam/resource_groups", map[string]any{"name": "bad",
			"scope": map[string]any{"key": "com.cloudflare.api.account." + AccountID, "objects": objs}})
	}
	wantErr(t, rgPost("com.cloudflare.api.account.access_app.00000000-0000-4000-8000-000000000000"), http.StatusBadRequest, codeValidation)
	wantErr(t, rgPost("com.cloudflare.api.account.access_app."+TunnelAppA), http.StatusBadRequest, codeValidation)
	wantErr(t, rgPost("com.cloudflare.api.account.access_policy."+AccessPolicyAppA), http.StatusBadRequest, codeValidation)
	wantErr(t, rgPost(keys[catalog.ScopeAccessApplication], keys[catalog.ScopeAccessPolicy]), http.StatusBadRequest, codeValidation)

	member := func(r catalog.Entry, rgID string) *apiResp {
		return api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "kinds@example.com", "status": "pending",
			"policies": []any{map[string]any{"access": "allow", "permission_groups": []any{map[string]any{"id": r.ID}},
				"resource_groups": []any{map[string]any{"id": rgID}}}}})
	}
	appAdmin := role(t, "Cloudflare Access App Admin", catalog.ScopeAccessApplication)
	wantErr(t, member(appAdmin, rgs[catalog.ScopeTunnel]), http.StatusBadRequest, codeBadCombination)
	wantErr(t, member(appAdmin, rgs[catalog.ScopeAccessPolicy]), http.StatusBadRequest, codeBadCombination)
	wantErr(t, member(appAdmin, AccountResourceGroupID), http.StatusBadRequest, codeBadCombination)
	wantErr(t, member(role(t, catalog.RoleTunnelAdmin, catalog.ScopeTunnel), rgs[catalog.ScopeAccessApplication]), http.StatusBadRequest, codeBadCombination)
	wantErr(t, member(role(t, "Cloudflare Access", catalog.ScopeAccount), rgs[catalog.ScopeAccessApplication]), http.StatusBadRequest, codeBadCombination)
	wantErr(t, member(role(t, "Access for Infrastructure Target Admin", catalog.ScopeInfrastructureTarget), rgs[catalog.ScopeAccessServiceToken]),
		http.StatusBadRequest, codeBadCombination)
	mustOK(t, member(appAdmin, rgs[catalog.ScopeAccessApplication]))
}

// The lists' query filters (cloudflare-go v7's *ListParams) and paging,
// read raw: the envelope's result_info as Cloudflare pages lists.
func TestAccessListFiltersAndPaging(t *testing.T) {
	_, srv := newServer(t)
	admin := bearer(AdminToken)
	cases := []struct {
		query string
		want  []string
	}{
		{"/access/apps?name=app-b", []string{AccessAppB}},
		{"/access/apps?domain=app-a.example.com&exact=true", []string{AccessAppA}},
		{"/access/apps?name=app&exact=true", nil},
		{"/access/apps?search=APP-", sorted(AccessAppA, AccessAppB)},
		{"/access/identity_providers?scim_enabled=true", nil},
		{"/access/identity_providers?scim_enabled=false", sorted(AccessIdentityProviderA, AccessIdentityProviderB)},
		{"/access/service_tokens?name=token-a", []string{AccessServiceTokenA}},
		{"/access/service_tokens?search=token", sorted(AccessServiceTokenA, AccessServiceTokenB)},
		{"/infrastructure/targets?hostname=host-b", []string{InfrastructureTargetB}},
		{"/infrastructure/targets?ip_v4=10.0.0.10", []string{InfrastructureTargetA}},
		{"/infrastructure/targets?hostname_contains=host", sorted(InfrastructureTargetA, InfrastructureTargetB)},
		{"/infrastructure/targets?target_ids=" + InfrastructureTargetB + "&target_ids=" + AccessAppA, []string{InfrastructureTargetB}},
	}
	for _, tc := range cases {
		if got := listIDs(t, srv, tc.query, admin); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s lists %v, want %v", tc.query, got, tc.want)
		}
	}
	for _, bad := range []string{"/access/apps?exact=maybe", "/infrastructure/targets?ip_v4=host-a", "/access/policies?per_page=0",
		"/access/policies?per_page=1001", "/access/policies?page=0", "/access/identity_providers?scim_enabled=yes"} {
		wantErr(t, send(t, srv, "GET", accessBase+bad, nil, admin), http.StatusBadRequest, codeValidation)
	}
	r := mustOK(t, send(t, srv, "GET", accessBase+"/access/policies?per_page=2&page=2", nil, admin))
	if got := ids(t, r); !reflect.DeepEqual(got, []string{AccessPolicyAppA}) {
		t.Errorf("page 2 of 2 policies a page: %v, want the third seeded policy", got)
	}
	if ri := r.Env.ResultInfo; ri == nil || *ri != (resultInfo{Page: 2, PerPage: 2, Count: 1, TotalCount: 3, TotalPages: 2}) {
		t.Errorf("result_info %+v", ri)
	}
	// Paging counts what the caller may read only.
	_, onA := newMember(t, srv, "paging@example.com", "accepted", pol{"allow",
		[]catalog.Entry{role(t, "Cloudflare Access App Admin", catalog.ScopeAccessApplication)},
		newRG(t, srv, "app a", catalog.ResourceKey(catalog.ScopeAccessApplication, AccessAppA))})
	r = mustOK(t, send(t, srv, "GET", accessBase+"/access/apps", nil, onA))
	if ri := r.Env.ResultInfo; ri == nil || *ri != (resultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1, TotalPages: 1}) {
		t.Errorf("a delegated member's result_info %+v", ri)
	}
}

// The Access seeds are documented where the Tunnel seeds are: CONTRIBUTING.md
// ("Starting the emulator by hand") and the offline-testing guide (its
// template; docs/ is generated from it).
func TestAccessSeedsDocumented(t *testing.T) {
	seeds := []string{AccessAppA, AccessAppB, AccessIdentityProviderA, AccessIdentityProviderB, AccessPolicyA, AccessPolicyB,
		AccessPolicyAppA, AccessServiceTokenA, AccessServiceTokenB, InfrastructureTargetA, InfrastructureTargetB}
	for _, doc := range []string{"../../CONTRIBUTING.md", "../../templates/guides/testing-offline.md.tmpl"} {
		b, err := os.ReadFile(doc) //nolint:gosec // G304: the repository's own documents
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range seeds {
			if !strings.Contains(string(b), "`"+id+"`") {
				t.Errorf("%s does not name the seed %s", doc, id)
			}
		}
	}
}
