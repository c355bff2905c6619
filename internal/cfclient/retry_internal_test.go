package cfclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// recordedSleeps replaces the client's waits and records them.
type recordedSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recordedSleeps) sleep(_ context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return nil
}

func newRetryClient(t *testing.T, h http.Handler, maxRetries int, maxDelay time.Duration) (*Client, *recordedSleeps) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rec := &recordedSleeps{}
	c, err := New(Config{APIToken: emulator.AdminToken, BaseURL: srv.URL + "/client/v4", MaxRetries: maxRetries,
		RetryMaxDelay: maxDelay, sleep: rec.sleep})
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// failing answers the first n requests matching method with status (and
// Retry-After when set) before passing requests to next; it counts requests.
type failing struct {
	next       http.Handler
	method     string
	n          int32
	status     int
	retryAfter string
	afterNext  bool // fail after the request reached next (effect done, answer lost)
	seen       atomic.Int32
}

func (f *failing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != f.method || !strings.Contains(r.URL.Path, "/client/v4/") {
		f.next.ServeHTTP(w, r)
		return
	}
	if f.seen.Add(1) > f.n {
		f.next.ServeHTTP(w, r)
		return
	}
	if f.afterNext {
		f.next.ServeHTTP(httptest.NewRecorder(), r)
	}
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":10001,"message":"injected"}],"messages":[],"result":null}`))
}

func TestRetry_idempotentRetriedWithBackoff(t *testing.T) {
	f := &failing{next: emulator.New(), method: http.MethodGet, n: 3, status: http.StatusServiceUnavailable}
	c, rec := newRetryClient(t, f, 4, 10*time.Second)
	if _, err := c.ListMembers(t.Context(), emulator.AccountID); err != nil {
		t.Fatalf("three 503s then success, with 4 retries: %v", err)
	}
	if got := f.seen.Load(); got != 4 {
		t.Errorf("requests = %d, want 4", got)
	}
	if len(rec.waits) != 3 {
		t.Fatalf("waits = %v, want 3", rec.waits)
	}
	for i, w := range rec.waits {
		full := retryBaseDelay << i
		if w > full || w < full*3/4 {
			t.Errorf("wait %d = %s, want within [%s, %s] (backoff with up to 25%% jitter)", i, w, full*3/4, full)
		}
	}
}

func TestRetry_givesUpAfterMaxRetries(t *testing.T) {
	f := &failing{next: emulator.New(), method: http.MethodGet, n: 100, status: http.StatusBadGateway}
	c, _ := newRetryClient(t, f, 2, time.Second)
	_, err := c.ListMembers(t.Context(), emulator.AccountID)
	if e := asAPI(err); e == nil || e.Status != http.StatusBadGateway {
		t.Fatalf("want the 502 after giving up, got %v", err)
	}
	if got := f.seen.Load(); got != 3 {
		t.Errorf("requests = %d, want 3 (1 + 2 retries)", got)
	}
}

// A 409 is final (a resource group still in use): sent once, whatever
// MaxRetries says, so that the caller sees the conflict at once.
func TestRetry_conflictNotRetried(t *testing.T) {
	f := &failing{next: emulator.New(), method: http.MethodDelete, n: 100, status: http.StatusConflict}
	c, rec := newRetryClient(t, f, 3, time.Second)
	if err := c.DeleteResourceGroup(t.Context(), emulator.AccountID, emulator.AccountResourceGroupID); !IsConflict(err) {
		t.Fatalf("want the 409, got %v", err)
	}
	if got := f.seen.Load(); got != 1 || len(rec.waits) != 0 {
		t.Errorf("requests = %d, waits = %v: want 1 request, no wait", got, rec.waits)
	}
}

func TestRetry_retryAfterHonouredAndCapped(t *testing.T) {
	for _, tc := range []struct {
		header string
		cap    time.Duration
		want   time.Duration
	}{{"2", 10 * time.Second, 2 * time.Second}, {"120", 5 * time.Second, 5 * time.Second}} {
		f := &failing{next: emulator.New(), method: http.MethodGet, n: 1, status: http.StatusTooManyRequests, retryAfter: tc.header}
		c, rec := newRetryClient(t, f, 4, tc.cap)
		if _, err := c.ListMembers(t.Context(), emulator.AccountID); err != nil {
			t.Fatal(err)
		}
		if len(rec.waits) != 1 || rec.waits[0] != tc.want {
			t.Errorf("Retry-After %s with cap %s: waits %v, want [%s]", tc.header, tc.cap, rec.waits, tc.want)
		}
	}
}

func TestRetry_postRetriedOnlyOn429(t *testing.T) {
	dns, _ := catalog.Embedded().ResolveRole("Administrator", catalog.ScopeAccount)
	policies := []MemberPolicy{NewMemberPolicy("", "allow", []string{dns.ID}, []string{emulator.AccountResourceGroupID})}

	limited := &failing{next: emulator.New(), method: http.MethodPost, n: 1, status: http.StatusTooManyRequests, retryAfter: "1"}
	c, _ := newRetryClient(t, limited, 4, time.Second)
	if _, err := c.CreateMember(t.Context(), emulator.AccountID, "a@example.com", "", policies); err != nil {
		t.Fatalf("a 429 on POST is a refusal and is retried: %v", err)
	}
	if got := limited.seen.Load(); got != 2 {
		t.Errorf("POSTs = %d, want 2", got)
	}
}

// A POST that reached the server but whose answer was lost must not invite
// the member twice: the client reads back and finds it.
func TestCreateMember_unknownOutcomeReadsBack(t *testing.T) {
	admin, _ := catalog.Embedded().ResolveRole("Administrator", catalog.ScopeAccount)
	policies := []MemberPolicy{NewMemberPolicy("", "allow", []string{admin.ID}, []string{emulator.AccountResourceGroupID})}
	for _, tc := range []struct {
		name      string
		afterNext bool
	}{{"done, answer lost", true}, {"not done", false}} {
		t.Run(tc.name, func(t *testing.T) {
			emu := emulator.New()
			f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway, afterNext: tc.afterNext}
			c, _ := newRetryClient(t, f, 4, time.Second)
			m, err := c.CreateMember(t.Context(), emulator.AccountID, "b@example.com", "", policies)
			if err != nil {
				t.Fatalf("create with an unknown outcome: %v", err)
			}
			count := 0
			for _, x := range emu.Members(emulator.AccountID) {
				if x.Email == "b@example.com" {
					count++
					if x.ID != m.ID {
						t.Errorf("returned member %s, emulator holds %s", m.ID, x.ID)
					}
				}
			}
			if count != 1 {
				t.Fatalf("emulator holds %d members b@example.com, want exactly 1", count)
			}
			if got := f.seen.Load(); tc.afterNext && got != 1 || !tc.afterNext && got != 2 {
				t.Errorf("POSTs = %d", got)
			}
		})
	}
}

func TestIsOutcomeUnknown(t *testing.T) {
	if !IsOutcomeUnknown(&APIError{Status: 502, Method: http.MethodPost}) {
		t.Error("a 502 to a POST leaves the outcome unknown")
	}
	if IsOutcomeUnknown(&APIError{Status: 502, Method: http.MethodGet}) {
		t.Error("a GET has no outcome to doubt")
	}
	if IsOutcomeUnknown(&APIError{Status: 400, Method: http.MethodPost}) {
		t.Error("a 400 is a refusal")
	}
}

func asAPI(err error) *APIError {
	var e *APIError
	if err != nil && errors.As(err, &e) {
		return e
	}
	return nil
}

// A resource group POST that reached the server but whose answer was lost is
// found by reading back, not made twice; one that did not reach it is made once.
func TestCreateResourceGroup_unknownOutcomeReadsBack(t *testing.T) {
	key := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	for _, afterNext := range []bool{true, false} {
		emu := emulator.New()
		f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway, afterNext: afterNext}
		c, _ := newRetryClient(t, f, 4, time.Second)
		g, err := c.CreateResourceGroup(t.Context(), emulator.AccountID, key, []string{key})
		if err != nil {
			t.Fatalf("afterNext=%v: %v", afterNext, err)
		}
		count := 0
		for _, x := range emu.ResourceGroups(emulator.AccountID) {
			if x.Name == key {
				count++
				if x.ID != g.ID {
					t.Errorf("returned group %s, emulator holds %s", g.ID, x.ID)
				}
			}
		}
		if count != 1 {
			t.Fatalf("afterNext=%v: emulator holds %d groups named %s, want 1", afterNext, count, key)
		}
	}
}

// A token POST whose answer was lost is found by reading back and its value
// rolled: one token, whose returned value works; a POST that did not reach
// the server is made once.
func TestCreateToken_unknownOutcomeReadsBack(t *testing.T) {
	zoneRead, err := catalog.Embedded().ResolvePermissionGroup("Zone Read", catalog.ScopeZone)
	if err != nil {
		t.Fatal(err)
	}
	in := TokenInput{Name: "ci", Policies: []TokenPolicy{{Effect: "allow", PermissionGroups: []IDRef{{ID: zoneRead.ID}},
		Resources: map[string]any{catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom): "*"}}}}
	for _, afterNext := range []bool{true, false} {
		emu := emulator.New()
		f := &failing{next: emu, method: http.MethodPost, n: 1, status: http.StatusBadGateway, afterNext: afterNext}
		c, _ := newRetryClient(t, f, 4, time.Second)
		tok, err := c.CreateToken(t.Context(), emulator.AccountID, in)
		if err != nil {
			t.Fatalf("afterNext=%v: %v", afterNext, err)
		}
		count := 0
		for _, x := range emu.AccountTokens(emulator.AccountID) {
			if x.Name == "ci" {
				count++
			}
		}
		if count != 1 || tok.Value == "" {
			t.Fatalf("afterNext=%v: %d tokens named ci (want 1), value %q", afterNext, count, tok.Value)
		}
		srv := httptest.NewServer(emu)
		user, err := New(Config{APIToken: tok.Value, BaseURL: srv.URL + "/client/v4"})
		if err != nil {
			t.Fatal(err)
		}
		if id, status, err := user.VerifyToken(t.Context(), emulator.AccountID); err != nil || id != tok.ID || status != "active" {
			t.Fatalf("afterNext=%v: the returned value does not verify as the token: %s %s %v", afterNext, id, status, err)
		}
		srv.Close()
	}
}

// cancelling passes requests to next, except the first request matching
// method: for it, it cancels the caller's context (Terraform's Ctrl-C) either
// after the emulator acted on it (effectDone) or before, and answers nothing
// until the client has hung up.
type cancelling struct {
	next       http.Handler
	method     string
	effectDone bool
	cancel     context.CancelFunc
	seen       atomic.Int32
}

func (c *cancelling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != c.method || c.seen.Add(1) > 1 {
		c.next.ServeHTTP(w, r)
		return
	}
	if c.effectDone {
		c.next.ServeHTTP(httptest.NewRecorder(), r)
	} else {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a hang-up only once the body is read
	}
	c.cancel()
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

// A create cut off by Ctrl-C after it took effect returns the object it made,
// read back on a context of its own, so that Terraform records it; one cut off
// before it took effect fails and is not tried again.
func TestCreate_cancelledMidRequestSettles(t *testing.T) {
	admin, _ := catalog.Embedded().ResolveRole("Administrator", catalog.ScopeAccount)
	zoneRead, err := catalog.Embedded().ResolvePermissionGroup("Zone Read", catalog.ScopeZone)
	if err != nil {
		t.Fatal(err)
	}
	zoneKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	creates := []struct {
		name   string
		create func(context.Context, *Client) (id string, err error)
		held   func(*emulator.Emulator) []string // IDs of what the create may have made
	}{
		{"member", func(ctx context.Context, c *Client) (string, error) {
			m, err := c.CreateMember(ctx, emulator.AccountID, "c@example.com", "",
				[]MemberPolicy{NewMemberPolicy("", "allow", []string{admin.ID}, []string{emulator.AccountResourceGroupID})})
			if m == nil {
				return "", err
			}
			return m.ID, err
		}, func(e *emulator.Emulator) (ids []string) {
			for _, m := range e.Members(emulator.AccountID) {
				if m.Email == "c@example.com" {
					ids = append(ids, m.ID)
				}
			}
			return ids
		}},
		{"resource group", func(ctx context.Context, c *Client) (string, error) {
			g, err := c.CreateResourceGroup(ctx, emulator.AccountID, zoneKey, []string{zoneKey})
			if g == nil {
				return "", err
			}
			return g.ID, err
		}, func(e *emulator.Emulator) (ids []string) {
			for _, g := range e.ResourceGroups(emulator.AccountID) {
				if g.Name == zoneKey {
					ids = append(ids, g.ID)
				}
			}
			return ids
		}},
		{"token", func(ctx context.Context, c *Client) (string, error) {
			tok, err := c.CreateToken(ctx, emulator.AccountID, TokenInput{Name: "cut", Policies: []TokenPolicy{{Effect: "allow",
				PermissionGroups: []IDRef{{ID: zoneRead.ID}}, Resources: map[string]any{zoneKey: "*"}}}})
			if tok == nil {
				return "", err
			}
			if tok.Value == "" {
				t.Error("the settled token has no value: it was not rolled")
			}
			return tok.ID, err
		}, func(e *emulator.Emulator) (ids []string) {
			for _, x := range e.AccountTokens(emulator.AccountID) {
				if x.Name == "cut" {
					ids = append(ids, x.ID)
				}
			}
			return ids
		}},
	}
	for _, tc := range creates {
		for _, effectDone := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/effectDone=%v", tc.name, effectDone), func(t *testing.T) {
				emu := emulator.New()
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				h := &cancelling{next: emu, method: http.MethodPost, effectDone: effectDone, cancel: cancel}
				c, _ := newRetryClient(t, h, 4, time.Second)
				id, err := tc.create(ctx, c)
				held := tc.held(emu)
				switch {
				case effectDone && (err != nil || len(held) != 1 || held[0] != id):
					t.Fatalf("created, then cancelled: got %q, %v; the emulator holds %v", id, err, held)
				case !effectDone && (err == nil || !errors.Is(err, context.Canceled) || len(held) != 0):
					t.Fatalf("cancelled before the create took effect: got %q, %v; the emulator holds %v", id, err, held)
				}
				if n := h.seen.Load(); n != 1 {
					t.Errorf("%d POSTs after the cancel, want exactly the one cut off", n)
				}
			})
		}
	}
}
