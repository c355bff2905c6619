package emulator

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What the network between a client and Cloudflare adds to the API: latency
// (EMULATOR_LATENCY, PUT /__emulator/latency) and Cloudflare's rate limit
// (EMULATOR_RATE_LIMIT, PUT /__emulator/rate_limit). Only API requests are
// affected, never /__emulator/ routes.

// MaxLatency bounds the latency the emulator accepts.
const MaxLatency = time.Minute

// ParseLatency reads a latency as a Go duration ("50ms"; "" and "0" are none).
func ParseLatency(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("latency %q: a Go duration such as 50ms", s)
	}
	if d < 0 || d > MaxLatency {
		return 0, fmt.Errorf("latency %q: between 0 and %s", s, MaxLatency)
	}
	return d, nil
}

// SetLatency delays every API response by d from now on (0: none).
func (e *Emulator) SetLatency(d time.Duration) {
	e.smu.Lock()
	e.latency = d
	e.smu.Unlock()
}

// Latency is the delay added to every API response.
func (e *Emulator) Latency() time.Duration {
	e.smu.Lock()
	defer e.smu.Unlock()
	return e.latency
}

// sleepCtx waits d, or until ctx ends (the client went away).
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// delayedWriter holds an API response back by the latency: the request has
// been handled (a write has taken effect) when the delay starts, as on a real
// network, where a client that gives up while waiting does not know whether
// its write happened.
type delayedWriter struct {
	http.ResponseWriter
	ctx     context.Context
	d       time.Duration
	sleep   func(ctx context.Context, d time.Duration)
	delayed bool
}

func (w *delayedWriter) delay() {
	if !w.delayed {
		w.delayed = true
		w.sleep(w.ctx, w.d)
	}
}

func (w *delayedWriter) WriteHeader(status int) {
	w.delay()
	w.ResponseWriter.WriteHeader(status)
}

func (w *delayedWriter) Write(b []byte) (int, error) {
	w.delay()
	return w.ResponseWriter.Write(b)
}

// withLatency returns w, delayed by the emulator's latency when it has one.
func (e *Emulator) withLatency(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
	d := e.Latency()
	if d <= 0 {
		return w
	}
	return &delayedWriter{ResponseWriter: w, ctx: r.Context(), d: d, sleep: e.sleep}
}

// Cloudflare's global API rate limit: 1,200 requests per five minutes per
// user, whatever the credential; past it, every call is refused with 429 for
// the next five minutes (developers.cloudflare.com/fundamentals/api/reference/limits).
// Off by default (EMULATOR_RATE_LIMIT, PUT /__emulator/rate_limit).
const (
	CloudflareRateLimitRequests = 1200
	CloudflareRateLimitWindow   = 5 * time.Minute
	// codeRateLimitExceeded is what Cloudflare's API answers past its limit:
	// "Please wait and consider throttling your request speed [code: 971]",
	// as clients report it (cloudflare/workers-sdk#10025).
	codeRateLimitExceeded = 971
)

// RateLimit is a per-user limit of Requests per Window; Requests 0 is none.
// Past it, the user's requests are refused for one Window.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// String is "off" or REQUESTS/WINDOW, as ParseRateLimit reads it.
func (l RateLimit) String() string {
	if l.Requests <= 0 {
		return "off"
	}
	return fmt.Sprintf("%d/%s", l.Requests, l.Window)
}

// CloudflareRateLimit is Cloudflare's own limit.
var CloudflareRateLimit = RateLimit{Requests: CloudflareRateLimitRequests, Window: CloudflareRateLimitWindow}

// ParseRateLimit reads EMULATOR_RATE_LIMIT: "" or "off" (none), "on"
// (Cloudflare's), or "REQUESTS/WINDOW" such as "1200/5m".
func ParseRateLimit(s string) (RateLimit, error) {
	switch s {
	case "", "off", "0":
		return RateLimit{}, nil
	case "on", "1":
		return CloudflareRateLimit, nil
	}
	n, w, ok := strings.Cut(s, "/")
	req, err := strconv.Atoi(n)
	if !ok || err != nil || req < 1 {
		return RateLimit{}, fmt.Errorf("rate limit %q: off, on (1200/5m, Cloudflare's) or REQUESTS/WINDOW such as 1200/5m", s)
	}
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 || d > 24*time.Hour {
		return RateLimit{}, fmt.Errorf("rate limit %q: the window is a Go duration such as 5m, at most 24h", s)
	}
	return RateLimit{Requests: req, Window: d}, nil
}

// userWindow counts one user's requests in the current window.
type userWindow struct {
	start        time.Time
	count        int
	blockedUntil time.Time
}

// SetRateLimit sets the per-user rate limit (RateLimit{}: none) and forgets
// every user's count.
func (e *Emulator) SetRateLimit(l RateLimit) {
	e.smu.Lock()
	e.rateLimit, e.windows = l, map[string]*userWindow{}
	e.smu.Unlock()
}

// RateLimitConfig is the rate limit in force.
func (e *Emulator) RateLimitConfig() RateLimit {
	e.smu.Lock()
	defer e.smu.Unlock()
	return e.rateLimit
}

// rateLimited counts a request of an authenticated principal, and refuses it
// (before it changes anything) when its user is past the limit.
func (e *Emulator) rateLimited(p *principal) *apiError {
	e.smu.Lock()
	defer e.smu.Unlock()
	l := e.rateLimit
	if l.Requests <= 0 {
		return nil
	}
	key := "user:" + p.userID
	if p.userID == "" { // an account-owned token: counted on its own
		key = "token:" + p.tokenID
	}
	now := e.clock()
	w := e.windows[key]
	if w == nil || (now.Sub(w.start) >= l.Window && !now.Before(w.blockedUntil)) {
		w = &userWindow{start: now}
		e.windows[key] = w
	}
	if now.Before(w.blockedUntil) {
		return rateLimitError(w.blockedUntil.Sub(now))
	}
	if w.count >= l.Requests {
		w.blockedUntil = now.Add(l.Window)
		return rateLimitError(l.Window)
	}
	w.count++
	return nil
}

func rateLimitError(wait time.Duration) *apiError {
	e := errf(http.StatusTooManyRequests, codeRateLimitExceeded, "Please wait and consider throttling your request speed")
	e.RetryAfter = max(1, int(math.Ceil(wait.Seconds())))
	return e
}
