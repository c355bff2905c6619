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
