package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestAuthErrors(t *testing.T) {
	_, srv := newServer(t)
	members := "/client/v4/accounts/" + AccountID + "/members"
	cases := []struct {
		name         string
		path         string
		headers      map[string]string
		status, code int
	}{
		{"missing credentials", members, map[string]string{}, 400, 9106},
		{"malformed Authorization", members, map[string]string{"Authorization": "Token abc"}, 400, 6003},
		{"key without e-mail", members, map[string]string{"X-Auth-Key": AdminAPIKey}, 400, 6003},
		{"unknown token", members, bearer("not-a-token"), 403, 9109},
		{"unknown token on verify", "/client/v4/user/tokens/verify", bearer("not-a-token"), 401, 1000},
		{"wrong API key", members, map[string]string{"X-Auth-Email": AdminEmail, "X-Auth-Key": "0000"}, 403, 9103},
		{"another account", "/client/v4/accounts/0123456789abcdef0123456789abcdef/members", nil, 403, 10000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, send(t, srv, "GET", tc.path, nil, tc.headers), tc.status, tc.code)
		})
	}
	r := send(t, srv, "GET", members, nil, map[string]string{"Authorization": "Token abc"})
	if len(r.Env.Errors[0].ErrorChain) != 1 || r.Env.Errors[0].ErrorChain[0].Code != 6111 {
		t.Errorf("6003 error_chain: %s", r.Body)
	}
	mustOK(t, send(t, srv, "GET", members, nil, map[string]string{"X-Auth-Email": AdminEmail, "X-Auth-Key": AdminAPIKey}))
}

func TestRoutingAndValidationErrors(t *testing.T) {
	e, srv := newServer(t)
	acct := "/accounts/" + AccountID
	before, rgsStart := e.Members(AccountID), e.ResourceGroups(AccountID)

	wantErr(t, api(t, srv, "GET", "/no/such/route", nil), 404, 7000)
	wantErr(t, api(t, srv, "PATCH", acct+"/members", nil), 405, 7001)
	wantErr(t, api(t, srv, "GET", "/accounts/not-an-id/members", nil), 404, 7003)
	wantErr(t, api(t, srv, "GET", acct+"/cfd_tunnel/not-a-uuid", nil), 404, 7003)
	wantErr(t, api(t, srv, "GET", acct+"/members/0123456789abcdef0123456789abcdef", nil), 404, 1003)
	wantErr(t, api(t, srv, "POST", acct+"/members", `{"email": "x@example.com", "roles": [`), 400, 6007)
	wantErr(t, api(t, srv, "POST", acct+"/members", `{"email": 42, "roles": []}`), 400, 6007)
	wantErr(t, api(t, srv, "GET", acct+"/members?per_page=51", nil), 400, 1001)
	wantErr(t, api(t, srv, "GET", acct+"/members?per_page=4", nil), 400, 1001)
	wantErr(t, api(t, srv, "GET", acct+"/members?page=0", nil), 400, 1001)
	past := mustOK(t, api(t, srv, "GET", acct+"/members?page=9", nil))
	if string(past.Env.Result) != "[]" || past.Env.ResultInfo == nil || past.Env.ResultInfo.TotalCount != 1 {
		t.Errorf("page past the end: %s", past.Body)
	}

	// A zone-scoped role on an account-wide resource group: 1006.
	zoneRole := catalogID(t, "Domain DNS", "zone")
	wantErr(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": "x@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": zoneRole}}, "resource_groups": []any{map[string]any{"id": AccountResourceGroupID}},
	}}}), 400, 1006)
	if !reflect.DeepEqual(rgsStart, e.ResourceGroups(AccountID)) {
		t.Errorf("rejected requests changed resource groups before any was created")
	}
	// A Tunnel role on a zone resource group: 1006 as well.
	rg := mustOK(t, api(t, srv, "POST", acct+"/iam/resource_groups", zoneRG("zones")))
	var rgOut struct{ ID string }
	rg.result(t, &rgOut)
	rgsBefore := e.ResourceGroups(AccountID)
	wantErr(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": "x@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": catalogID(t, "Cloudflare Tunnel Instance Read", "tunnel")}},
		"resource_groups": []any{map[string]any{"id": rgOut.ID}},
	}}}), 400, 1006)
	wantErr(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": "x@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": "0123456789abcdef0123456789abcdef"}},
		"resource_groups": []any{map[string]any{"id": rgOut.ID}},
	}}}), 400, 1004)
	wantErr(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": "x@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": zoneRole}},
		"resource_groups": []any{map[string]any{"id": "0123456789abcdef0123456789abcdef"}},
	}}}), 400, 1008)
	wantErr(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": AdminEmail, "roles": []string{catalogID(t, "Administrator", "account")}}), 400, 1005)
	// The seeded account-wide group is referenced by the admin's policy.
	wantErr(t, api(t, srv, "DELETE", acct+"/iam/resource_groups/"+AccountResourceGroupID, nil), 409, 1009)
	// Removing the last Super Administrator is refused.
	wantErr(t, api(t, srv, "DELETE", acct+"/members/"+AdminMemberID, nil), 400, 1001)

	if !reflect.DeepEqual(before, e.Members(AccountID)) {
		t.Errorf("rejected requests changed members:\n%+v\n%+v", before, e.Members(AccountID))
	}
	if !reflect.DeepEqual(rgsBefore, e.ResourceGroups(AccountID)) {
		t.Errorf("rejected requests changed resource groups")
	}
}

func TestLiveCatalogWins(t *testing.T) {
	e, srv := newServer(t)
	const id = "abcdefabcdefabcdefabcdefabcdef01"
	e.PutIAMPermissionGroup(AccountID, id, "Brand New Role", "account")
	r := mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/iam/permission_groups/"+id, nil))
	var g struct {
		Name string
		Meta map[string]string
	}
	r.result(t, &g)
	if g.Name != "Brand New Role" || g.Meta["label"] != "brand_new_role" || g.Meta["scopes"] != "com.cloudflare.api.account" {
		t.Errorf("live group: %s", r.Body)
	}
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "new@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": id}}, "resource_groups": []any{map[string]any{"id": AccountResourceGroupID}},
	}}}))
	e.PutTokenPermissionGroup("abcdefabcdefabcdefabcdefabcdef02", "Brand New Group", "zone")
	r = mustOK(t, api(t, srv, "GET", "/user/tokens/permission_groups?name=Brand%20New%20Group", nil))
	if !strings.Contains(string(r.Env.Result), "com.cloudflare.api.account.zone") {
		t.Errorf("live token group: %s", r.Body)
	}
}

func TestControlSurface(t *testing.T) {
	e, srv := newServer(t)
	member := "/accounts/" + AccountID + "/members/" + AdminMemberID
	send(t, srv, "DELETE", "/__emulator/stats", nil, map[string]string{})
	mustOK(t, api(t, srv, "GET", member, nil))
	mustOK(t, api(t, srv, "GET", member, nil))
	api(t, srv, "GET", "/nowhere", nil)
	s := e.Stats()
	if s.Requests != 3 || s.ByRoute["GET /accounts/{account_id}/members/{member_id}"] != 2 {
		t.Errorf("stats: %+v", s)
	}
	r := send(t, srv, "GET", "/__emulator/stats", nil, map[string]string{})
	if !strings.Contains(string(r.Body), `"GET /accounts/{account_id}/members/{member_id}":2`) || !strings.Contains(string(r.Body), `"requests":3`) {
		t.Errorf("GET /__emulator/stats: %s", r.Body)
	}
	send(t, srv, "DELETE", "/__emulator/stats", nil, map[string]string{})
	if s := e.Stats(); s.Requests != 0 || len(s.ByRoute) != 0 {
		t.Errorf("stats after reset: %+v", s)
	}

	// Faults: validated, then every request fails without changing state.
	if r := send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 2}, map[string]string{}); r.Status != 400 {
		t.Errorf("rate 2 accepted: %d", r.Status)
	}
	if r := send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 1, "statuses": []int{200}}, map[string]string{}); r.Status != 400 {
		t.Errorf("status 200 accepted: %d", r.Status)
	}
	if r := send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 1, "statuses": []int{503}}, map[string]string{}); r.Status != 200 {
		t.Fatalf("faults: %d %s", r.Status, r.Body)
	}
	before := e.Members(AccountID)
	for i := 0; i < 5; i++ {
		r := api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "f@example.com", "roles": []string{catalogID(t, "Administrator", "account")}})
		if r.Status != 503 || r.Env.Success {
			t.Fatalf("fault not injected: %d %s", r.Status, r.Body)
		}
	}
	if !reflect.DeepEqual(before, e.Members(AccountID)) {
		t.Error("a failed request changed state")
	}
	send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 1, "statuses": []int{429}, "retry_after_seconds": 7}, map[string]string{})
	r = api(t, srv, "GET", member, nil)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "7" {
		t.Errorf("429 fault: %d Retry-After=%q", r.Status, r.Header.Get("Retry-After"))
	}
	send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 0}, map[string]string{})
	mustOK(t, api(t, srv, "GET", member, nil))
}

func TestMemberToken(t *testing.T) {
	e, srv := newServer(t)
	acct := "/accounts/" + AccountID
	// A Tunnel resource group on app-a, and a member holding Tunnel Instance Read on it.
	rg := mustOK(t, api(t, srv, "POST", acct+"/iam/resource_groups", map[string]any{"name": "app-a", "scope": map[string]any{
		"key": "com.cloudflare.api.account." + AccountID, "objects": []any{map[string]any{"key": "com.cloudflare.api.account.cfd_tunnel." + TunnelAppA}}}}))
	var rgOut struct{ ID string }
	rg.result(t, &rgOut)
	m := addAccepted(t, srv, map[string]any{"email": "reader@example.com", "policies": []any{map[string]any{
		"access": "allow", "permission_groups": []any{map[string]any{"id": catalogID(t, "Cloudflare Tunnel Instance Read", "tunnel")}},
		"resource_groups": []any{map[string]any{"id": rgOut.ID}}}}})
	var mOut struct{ ID string }
	m.result(t, &mOut)

	r := send(t, srv, "POST", "/__emulator/members/"+mOut.ID+"/token", nil, map[string]string{})
	var tok struct{ Token string }
	if r.Status != 200 {
		t.Fatalf("member token: %d %s", r.Status, r.Body)
	}
	if err := jsonUnmarshal(r.Body, &tok); err != nil || tok.Token == "" {
		t.Fatalf("member token: %s", r.Body)
	}
	h := bearer(tok.Token)
	u := mustOK(t, send(t, srv, "GET", "/client/v4/user", nil, h))
	if !strings.Contains(string(u.Env.Result), "reader@example.com") {
		t.Errorf("member token is not the member's user: %s", u.Body)
	}
	list := mustOK(t, send(t, srv, "GET", "/client/v4"+acct+"/cfd_tunnel", nil, h))
	if !strings.Contains(string(list.Env.Result), TunnelAppA) || strings.Contains(string(list.Env.Result), TunnelAppB) {
		t.Errorf("member sees the wrong Tunnels: %s", list.Body)
	}
	wantErr(t, send(t, srv, "GET", "/client/v4"+acct+"/cfd_tunnel/"+TunnelAppB, nil, h), 403, 10000)
	wantErr(t, send(t, srv, "PATCH", "/client/v4"+acct+"/cfd_tunnel/"+TunnelAppA, map[string]any{"name": "x"}, h), 403, 10000)
	wantErr(t, send(t, srv, "GET", "/client/v4"+acct+"/members", nil, h), 403, 10000)
	routes := mustOK(t, send(t, srv, "GET", "/client/v4"+acct+"/teamnet/routes", nil, h))
	if !strings.Contains(string(routes.Env.Result), RouteAppA) || strings.Contains(string(routes.Env.Result), RouteAppB) {
		t.Errorf("member sees the wrong routes: %s", routes.Body)
	}
	if tu := e.Tunnels(AccountID); tu[0].Name != "app-a" {
		t.Error("a refused write changed a Tunnel")
	}
	wantErr(t, send(t, srv, "POST", "/__emulator/members/0123456789abcdef0123456789abcdef/token", nil, map[string]string{}), 404, 1003)
}

func TestConcurrentRequests(t *testing.T) {
	e, srv := newServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			api(t, srv, "POST", "/accounts/"+AccountID+"/teamnet/routes", map[string]any{"network": "10.200." + itoa(i) + ".0/24", "tunnel_id": TunnelAppA})
			api(t, srv, "GET", "/accounts/"+AccountID+"/members", nil)
		}(i)
	}
	wg.Wait()
	if n := len(e.Routes(AccountID)); n != 22 {
		t.Errorf("routes after concurrent creates: %d", n)
	}
}
