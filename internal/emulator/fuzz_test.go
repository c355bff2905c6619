package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequest: whatever method, path and body arrive, the emulator answers
// with Cloudflare's envelope and a status below 500, never panics, and a
// rejected write changes nothing.
func FuzzRequest(f *testing.F) {
	acct := "/client/v4/accounts/" + AccountID
	for _, seed := range []struct{ method, path, body string }{
		{"POST", acct + "/members", `{"email":"a@example.com","policies":[{"access":"allow","permission_groups":[{"id":"x"}],"resource_groups":[{"id":"y"}]}]}`},
		{"POST", acct + "/members", `{"email":1}`},
		{"PUT", acct + "/members/" + AdminMemberID, `{"policies":[]}`},
		{"POST", acct + "/iam/resource_groups", `{"name":"x","scope":{"key":"com.cloudflare.api.account.` + AccountID + `","objects":[{"key":"*"}]}}`},
		{"POST", "/client/v4/user/tokens", `{"name":"t","policies":[{"effect":"allow","permission_groups":[{"id":"a"}],"resources":{"com.cloudflare.api.account.zone.*":"*"}}]}`},
		{"GET", acct + "/members?page=-1&per_page=1000", ``},
		{"PATCH", acct + "/cfd_tunnel/" + TunnelAppA, `{"name":null}`},
		{"DELETE", acct + "/iam/resource_groups/" + AccountResourceGroupID, ``},
		{"GET", "/client/v4/zones?name=%zz", ``},
		{"POST", acct + "/teamnet/routes", `{"network":"10.0.0.0/33","tunnel_id":"` + TunnelAppA + `"}`},
	} {
		f.Add(seed.method, seed.path, seed.body)
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n") || method == "" || strings.ContainsAny(method, " \r\n/") {
			return // not an HTTP request line at all
		}
		e := New()
		before := len(e.Members(AccountID)) + len(e.ResourceGroups(AccountID)) + len(e.UserTokens()) + len(e.Tunnels(AccountID)) + len(e.Routes(AccountID))
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", strings.NewReader(body))
		req.Method, req.URL.Path, req.URL.RawQuery = method, path, ""
		if i := strings.IndexByte(path, '?'); i >= 0 {
			req.URL.Path, req.URL.RawQuery = path[:i], path[i+1:]
		}
		req.Header.Set("Authorization", "Bearer "+AdminToken)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: status %d: %s", method, path, body, rec.Code, rec.Body.String())
		}
		if !strings.HasPrefix(req.URL.Path, "/client/v4/") {
			return
		}
		var env struct {
			Success *bool             `json:"success"`
			Errors  []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Success == nil {
			t.Fatalf("%s %s: not an envelope (%v): %s", method, path, err, rec.Body.String())
		}
		if !*env.Success {
			after := len(e.Members(AccountID)) + len(e.ResourceGroups(AccountID)) + len(e.UserTokens()) + len(e.Tunnels(AccountID)) + len(e.Routes(AccountID))
			if after != before || len(env.Errors) == 0 {
				t.Fatalf("%s %s: rejected (%d) but state changed or no error given", method, path, rec.Code)
			}
		}
	})
}
