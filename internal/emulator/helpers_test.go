package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// newServer starts the emulator behind an httptest server. When the test
// ends, the routes it exercised are recorded (routes_coverage_test.go).
func newServer(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	e := New()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { recordExercised(t.Name(), e.Stats().ByRoute) })
	return e, srv
}

type apiResp struct {
	Status int
	Header http.Header
	Body   []byte
	Env    struct {
		Success bool `json:"success"`
		Errors  []struct {
			Code       int    `json:"code"`
			Message    string `json:"message"`
			ErrorChain []struct {
				Code int `json:"code"`
			} `json:"error_chain"`
		} `json:"errors"`
		Messages   []any           `json:"messages"`
		Result     json.RawMessage `json:"result"`
		ResultInfo *resultInfo     `json:"result_info"`
	}
}

func (r *apiResp) code() int {
	if len(r.Env.Errors) == 0 {
		return 0
	}
	return r.Env.Errors[0].Code
}

// result decodes the envelope's result into v.
func (r *apiResp) result(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Env.Result, v); err != nil {
		t.Fatalf("decoding result %s: %v", r.Env.Result, err)
	}
}

// call sends a request with the given headers (nil: the admin token) to
// srv.URL+path and decodes the envelope.
func send(t *testing.T, srv *httptest.Server, method, path string, body any, headers map[string]string) *apiResp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if headers == nil {
		headers = map[string]string{"Authorization": "Bearer " + AdminToken}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	out := &apiResp{Status: res.StatusCode, Header: res.Header}
	if out.Body, err = io.ReadAll(res.Body); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(out.Body, &out.Env)
	return out
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// api is call under /client/v4 with the admin token.
func api(t *testing.T, srv *httptest.Server, method, path string, body any) *apiResp {
	t.Helper()
	return send(t, srv, method, "/client/v4"+path, body, nil)
}

func mustOK(t *testing.T, r *apiResp) *apiResp {
	t.Helper()
	if r.Status != http.StatusOK || !r.Env.Success {
		t.Fatalf("want 200 success, got %d %s", r.Status, r.Body)
	}
	return r
}

func wantErr(t *testing.T, r *apiResp, status, code int) {
	t.Helper()
	if r.Status != status || r.code() != code || r.Env.Success {
		t.Fatalf("want %d code %d, got %d %s", status, code, r.Status, r.Body)
	}
	if string(r.Env.Result) != "null" {
		t.Fatalf("error envelope must carry result null: %s", r.Body)
	}
}

// catalogID is the ID of a role in the embedded catalog (the independent expectation).
func catalogID(t *testing.T, name, scope string) string {
	t.Helper()
	s, err := catalog.ParseScope(scope)
	if err != nil {
		t.Fatal(err)
	}
	e, err := catalog.Embedded().ResolveRole(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// tokenGroupID is the ID of an API token permission group in the embedded catalog.
func tokenGroupID(name string) string {
	for _, g := range catalog.Embedded().PermissionGroups() {
		if g.Name == name {
			return g.ID
		}
	}
	panic("no token permission group " + name)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func itoa(i int) string { return strconv.Itoa(i) }

// acceptInvite accepts the pending member's invitation through the control
// surface, as the invitee would.
func acceptInvite(t *testing.T, srv *httptest.Server, memberID string) {
	t.Helper()
	if r := send(t, srv, "POST", "/__emulator/members/"+memberID+"/accept", nil, map[string]string{}); r.Status != http.StatusOK {
		t.Fatalf("accepting member %s: %d %s", memberID, r.Status, r.Body)
	}
}

// addAccepted invites a member with body (its status, if any, replaced by
// "pending") and accepts the invitation: an accepted member on an emulator
// that refuses direct adds. It returns the member as GET answers it.
func addAccepted(t *testing.T, srv *httptest.Server, body map[string]any) *apiResp {
	t.Helper()
	invite := make(map[string]any, len(body))
	for k, v := range body {
		invite[k] = v
	}
	invite["status"] = "pending"
	var m struct{ ID string }
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", invite)).result(t, &m)
	acceptInvite(t, srv, m.ID)
	return mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/members/"+m.ID, nil))
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
