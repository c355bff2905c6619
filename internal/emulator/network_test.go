package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordSleeps replaces the emulator's sleep with one that records each delay
// (and does not wait).
func recordSleeps(e *Emulator) func() []time.Duration {
	var mu sync.Mutex
	var got []time.Duration
	e.sleep = func(_ context.Context, d time.Duration) {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
}

func TestLatencyDelaysAPIResponsesOnly(t *testing.T) {
	e := New()
	sleeps := recordSleeps(e)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	member := "/accounts/" + AccountID + "/members/" + AdminMemberID

	mustOK(t, api(t, srv, "GET", member, nil))
	if got := sleeps(); len(got) != 0 {
		t.Fatalf("no latency set, yet the response waited %v", got)
	}

	r := send(t, srv, "PUT", "/__emulator/latency", map[string]any{"latency": "50ms"}, map[string]string{})
	if r.Status != http.StatusOK || string(r.Body) != `{"latency":"50ms"}` {
		t.Fatalf("PUT /__emulator/latency: %d %s", r.Status, r.Body)
	}
	if got := sleeps(); len(got) != 0 {
		t.Errorf("a control route waited %v", got)
	}
	mustOK(t, api(t, srv, "GET", member, nil))
	wantErr(t, api(t, srv, "GET", "/accounts/"+AccountID+"/members/00000000000000000000000000000000", nil), 404, codeNotFound)
	send(t, srv, "GET", "/__emulator/stats", nil, map[string]string{})
	if got := sleeps(); len(got) != 2 || got[0] != 50*time.Millisecond || got[1] != 50*time.Millisecond {
		t.Errorf("two API responses (a success and an error) must each wait 50ms, and the control route none: %v", got)
	}

	for _, body := range []any{map[string]any{"latency": "fast"}, map[string]any{"latency": "-1s"}, map[string]any{"latency": "2m"},
		map[string]any{}, map[string]any{"latency": "1s", "jitter": "1s"}} {
		if r := send(t, srv, "PUT", "/__emulator/latency", body, map[string]string{}); r.Status != http.StatusBadRequest {
			t.Errorf("PUT /__emulator/latency %v: %d %s", body, r.Status, r.Body)
		}
	}
	if r := send(t, srv, "GET", "/__emulator/latency", nil, map[string]string{}); string(r.Body) != `{"latency":"50ms"}` {
		t.Errorf("a refused PUT changed the latency: %s", r.Body)
	}
	send(t, srv, "PUT", "/__emulator/latency", map[string]any{"latency": "0"}, map[string]string{})
	mustOK(t, api(t, srv, "GET", member, nil))
	if got := sleeps(); len(got) != 0 {
		t.Errorf("latency 0, yet the response waited %v", got)
	}
}

// The delay is real time, and comes after the request took effect: a client
// that gives up while waiting does not know whether its write happened.
func TestLatencyIsWallTimeAfterTheWrite(t *testing.T) {
	e, srv := newServer(t)
	e.SetLatency(200 * time.Millisecond)
	start := time.Now()
	mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/members/"+AdminMemberID, nil))
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("answered in %s with 200ms latency", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	body := `{"email":"late@example.com","roles":["` + catalogID(t, "Administrator", "account") + `"]}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/client/v4/accounts/"+AccountID+"/members", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+AdminToken)
	req.Header.Set("Content-Type", "application/json")
	if res, err := srv.Client().Do(req); err == nil {
		_ = res.Body.Close()
		t.Fatal("the client gave up after 50ms, yet got an answer")
	}
	found := false
	for _, m := range e.Members(AccountID) {
		found = found || m.Email == "late@example.com"
	}
	if !found {
		t.Error("the write must take effect before the response's delay")
	}
}

// The rate limit is per user, off by default; past it, the user's requests
// are refused with Cloudflare's 429 (code 971, Retry-After) for one window,
// changing nothing, while other users go on.
func TestRateLimitPerUser(t *testing.T) {
	e, srv := newServer(t)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	e.clock = func() time.Time { return now }
	member := "/accounts/" + AccountID + "/members/" + AdminMemberID
	for range 20 {
		mustOK(t, api(t, srv, "GET", member, nil))
	}
	if got := e.RateLimitConfig().String(); got != "off" {
		t.Fatalf("rate limit by default: %s, want off", got)
	}

	if r := send(t, srv, "PUT", "/__emulator/rate_limit", map[string]any{"rate_limit": "on"}, map[string]string{}); string(r.Body) != `{"rate_limit":"1200/5m0s"}` {
		t.Fatalf("PUT rate_limit on: %d %s", r.Status, r.Body)
	}
	for _, bad := range []string{"fast", "0/1m", "3/0s", "3", "3/forever"} {
		if r := send(t, srv, "PUT", "/__emulator/rate_limit", map[string]any{"rate_limit": bad}, map[string]string{}); r.Status != http.StatusBadRequest {
			t.Errorf("rate_limit %q accepted: %d %s", bad, r.Status, r.Body)
		}
	}
	send(t, srv, "PUT", "/__emulator/rate_limit", map[string]any{"rate_limit": "off"}, map[string]string{})
	other := addAccepted(t, srv, map[string]any{"email": "other@example.com",
		"roles": []string{catalogID(t, "Administrator", "account")}})
	var otherMember struct{ ID string }
	other.result(t, &otherMember)
	token := func(memberID string) string {
		r := send(t, srv, "POST", "/__emulator/members/"+memberID+"/token", nil, map[string]string{})
		var tok struct{ Token string }
		if err := jsonUnmarshal(r.Body, &tok); err != nil || tok.Token == "" {
			t.Fatalf("member token: %d %s", r.Status, r.Body)
		}
		return tok.Token
	}
	adminAsMember, otherTok := token(AdminMemberID), token(otherMember.ID)
	if r := send(t, srv, "PUT", "/__emulator/rate_limit", map[string]any{"rate_limit": "3/1m"}, map[string]string{}); r.Status != http.StatusOK {
		t.Fatalf("PUT rate_limit 3/1m: %d %s", r.Status, r.Body)
	}

	for range 3 {
		mustOK(t, api(t, srv, "GET", member, nil))
	}
	before := e.Members(AccountID)
	now = now.Add(30 * time.Second) // the 4th request of the window, 30 s into it
	r := api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "limited@example.com", "roles": []string{catalogID(t, "Administrator", "account")}})
	wantErr(t, r, http.StatusTooManyRequests, 971)
	if r.Header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After %q, want 60 (the window)", r.Header.Get("Retry-After"))
	}
	if len(e.Members(AccountID)) != len(before) {
		t.Error("a rate-limited request changed state")
	}
	// The member token acts as the same user (the admin's membership): limited too.
	wantErr(t, send(t, srv, "GET", "/client/v4"+member, nil, bearer(adminAsMember)), http.StatusTooManyRequests, 971)
	// Another user is counted on their own.
	for range 3 {
		mustOK(t, send(t, srv, "GET", "/client/v4/accounts/"+AccountID+"/members/"+otherMember.ID, nil, bearer(otherTok)))
	}

	// Blocked for a whole window from then on, even once the first window is over.
	now = now.Add(45 * time.Second)
	r = api(t, srv, "GET", member, nil)
	wantErr(t, r, http.StatusTooManyRequests, 971)
	if r.Header.Get("Retry-After") != "15" {
		t.Errorf("Retry-After %q 45 s into a 60 s block, want 15", r.Header.Get("Retry-After"))
	}
	if e.Stats().ByRoute["GET /accounts/{account_id}/members/{member_id}"] == 0 {
		t.Error("refused requests are requests: the stats count them")
	}
	now = now.Add(15 * time.Second)
	mustOK(t, api(t, srv, "GET", member, nil))

	send(t, srv, "PUT", "/__emulator/rate_limit", map[string]any{"rate_limit": "off"}, map[string]string{})
	for range 10 {
		mustOK(t, api(t, srv, "GET", member, nil))
	}
}
