package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A fault after the request: the write takes effect, and its answer is a
// 5xx or no answer at all.
func TestFaults_afterTheRequestTookEffect(t *testing.T) {
	e, srv := newServer(t)
	for _, bad := range []map[string]any{
		{"rate": 0, "after_rate": 2},
		{"rate": 0.6, "after_rate": 0.6},
		{"rate": 0, "after_rate": -0.1},
	} {
		if r := send(t, srv, "PUT", "/__emulator/faults", bad, map[string]string{}); r.Status != 400 {
			t.Errorf("faults %v accepted: %d", bad, r.Status)
		}
	}
	if r := send(t, srv, "PUT", "/__emulator/faults", map[string]any{"rate": 0, "after_rate": 1, "statuses": []int{429, 503}}, map[string]string{}); r.Status != 200 {
		t.Fatalf("faults: %d %s", r.Status, r.Body)
	}

	role := catalogID(t, "Administrator", "account")
	status, dropped := map[int]int{}, 0
	for i := range 12 {
		email := "after" + string(rune('a'+i)) + "@example.com"
		body, _ := json.Marshal(map[string]any{"email": email, "roles": []string{role}})
		req, _ := http.NewRequestWithContext(context.Background(), "POST", srv.URL+"/client/v4/accounts/"+AccountID+"/members", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+AdminToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := srv.Client().Do(req)
		if err != nil {
			dropped++
		} else {
			status[res.StatusCode]++
			_ = res.Body.Close()
		}
		found := 0
		for _, m := range e.Members(AccountID) {
			if strings.EqualFold(m.Email, email) {
				found++
			}
		}
		if found != 1 {
			t.Fatalf("request %d: the member is there %d times, want once: the write must take effect", i, found)
		}
	}
	// 429 is never an after-fault (Cloudflare answers it before doing anything).
	if status[http.StatusTooManyRequests] > 0 || status[http.StatusOK] > 0 {
		t.Errorf("after-faults answered %v", status)
	}
	if dropped == 0 || status[http.StatusServiceUnavailable] == 0 {
		t.Errorf("12 after-faults: %d dropped, answers %v: want both kinds", dropped, status)
	}
	r := send(t, srv, "GET", "/__emulator/faults", nil, map[string]string{})
	if !strings.Contains(string(r.Body), `"after_rate":1`) {
		t.Errorf("GET /__emulator/faults does not show after_rate: %s", r.Body)
	}
}
