package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// serveControl serves /__emulator/ (no authentication; never under /client/v4).
//
//	GET    /__emulator/stats                     {"requests": N, "by_route": {...}}
//	DELETE /__emulator/stats                     resets the counters
//	GET    /__emulator/faults                    the fault configuration
//	PUT    /__emulator/faults                    {"rate": 0.2, "after_rate": 0.1, "statuses": [429, 503], "retry_after_seconds": 1}
//	                                             rate: fail before any effect; after_rate: take effect, then
//	                                             answer a 5xx or drop the connection
//	GET    /__emulator/latency                   {"latency": "50ms"}
//	PUT    /__emulator/latency                   {"latency": "50ms"}: every API response from now on waits that long
//	GET    /__emulator/rate_limit                {"rate_limit": "1200/5m0s"} or {"rate_limit": "off"}
//	PUT    /__emulator/rate_limit                {"rate_limit": "on"}: Cloudflare's 1,200 requests per 5 minutes per user
//	                                             ("off", or "REQUESTS/WINDOW" such as "3/1m"); counts start again
//	POST   /__emulator/members/{member_id}/token {"token": "..."}, acting as that member
//	POST   /__emulator/members/{member_id}/accept the invited (pending) member accepts: answers the member,
//	                                             now accepted; 404 for an unknown member, 409 if it is not pending
//
// With a state file (NewFromFile), the member token and an accepted
// invitation are saved before they are answered; stats, faults, latency and the rate limit are never saved.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request, rest string) {
	segs := splitPath(rest)
	bad := func(status int, msg string) {
		writeError(w, errf(status, codeValidation, "%s", msg))
	}
	switch {
	case len(segs) == 1 && segs[0] == "stats":
		switch r.Method {
		case http.MethodGet:
			s := e.Stats()
			writeJSON(w, http.StatusOK, map[string]any{"requests": s.Requests, "by_route": s.ByRoute})
		case http.MethodDelete:
			e.smu.Lock()
			e.stats = Stats{ByRoute: map[string]int{}}
			e.smu.Unlock()
			writeJSON(w, http.StatusOK, map[string]any{"requests": 0, "by_route": map[string]int{}})
		default:
			bad(http.StatusMethodNotAllowed, "use GET or DELETE")
		}
	case len(segs) == 1 && segs[0] == "faults":
		switch r.Method {
		case http.MethodGet:
			e.smu.Lock()
			f := e.faults
			e.smu.Unlock()
			writeJSON(w, http.StatusOK, faultsJSON(f))
		case http.MethodPut:
			f, msg := parseFaults(r)
			if msg != "" {
				bad(http.StatusBadRequest, msg)
				return
			}
			e.smu.Lock()
			e.faults = f
			e.smu.Unlock()
			writeJSON(w, http.StatusOK, faultsJSON(f))
		default:
			bad(http.StatusMethodNotAllowed, "use GET or PUT")
		}
	case len(segs) == 1 && segs[0] == "latency":
		serveSetting(w, r, bad, "latency", `{"latency": "50ms"} (a Go duration; "0" for none)`, func(v string) error {
			d, err := ParseLatency(v)
			if err == nil {
				e.SetLatency(d)
			}
			return err
		}, func() string { return e.Latency().String() })
	case len(segs) == 1 && segs[0] == "rate_limit":
		serveSetting(w, r, bad, "rate_limit", `{"rate_limit": "on"} (or "off", or "1200/5m")`, func(v string) error {
			l, err := ParseRateLimit(v)
			if err == nil {
				e.SetRateLimit(l)
			}
			return err
		}, func() string { return e.RateLimitConfig().String() })
	case len(segs) == 3 && segs[0] == "members" && (segs[2] == "accept" || segs[2] == "token"):
		switch {
		case r.Method != http.MethodPost:
			bad(http.StatusMethodNotAllowed, "use POST")
		case !reHex32.MatchString(segs[1]):
			bad(http.StatusNotFound, "invalid member identifier")
		case segs[2] == "accept":
			e.serveAccept(w, segs[1])
		default:
			e.serveMemberToken(w, segs[1])
		}
	default:
		writeError(w, errf(http.StatusNotFound, codeNoRoute, "No route for that URI"))
	}
}

// serveAccept is POST /__emulator/members/{member_id}/accept.
func (e *Emulator) serveAccept(w http.ResponseWriter, memberID string) {
	e.mu.Lock()
	m, aerr := e.acceptInvitationLocked(memberID)
	e.mu.Unlock()
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// serveMemberToken is POST /__emulator/members/{member_id}/token.
func (e *Emulator) serveMemberToken(w http.ResponseWriter, memberID string) {
	e.mu.Lock()
	var m *Member
	for _, cand := range e.members {
		if cand.ID == memberID {
			m = cand
		}
	}
	if m == nil {
		e.mu.Unlock()
		writeError(w, errNotFound("Member"))
		return
	}
	value := newTokenValue()
	seq := e.idSeq
	e.memberTokens[hashTokenValue(value)] = memberToken{id: e.newID("member-token"), accountID: m.AccountID, memberID: m.ID}
	if err := e.saveLocked(); err != nil {
		delete(e.memberTokens, hashTokenValue(value))
		e.idSeq = seq
		e.mu.Unlock()
		writeError(w, errf(http.StatusInternalServerError, codeInternal, "the emulator could not save its state file; no token was made"))
		return
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"token": value})
}

func faultsJSON(f faultConfig) faultConfig {
	if f.Statuses == nil {
		f.Statuses = []int{}
	}
	return f
}

func parseFaults(r *http.Request) (faultConfig, string) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<16))
	if err != nil {
		return faultConfig{}, "unreadable body"
	}
	var raw struct {
		Rate              *float64 `json:"rate"`
		AfterRate         *float64 `json:"after_rate"`
		Statuses          []int    `json:"statuses"`
		RetryAfterSeconds *int     `json:"retry_after_seconds"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return faultConfig{}, "malformed JSON: expected {\"rate\": 0..1, \"after_rate\": 0..1, \"statuses\": [4xx|5xx, ...], \"retry_after_seconds\": n}"
	}
	if raw.Rate == nil || *raw.Rate < 0 || *raw.Rate > 1 {
		return faultConfig{}, "rate must be a number between 0 and 1"
	}
	f := faultConfig{Rate: *raw.Rate, Statuses: raw.Statuses, RetryAfterSeconds: 1}
	if raw.AfterRate != nil {
		if *raw.AfterRate < 0 || *raw.AfterRate > 1 || f.Rate+*raw.AfterRate > 1 {
			return faultConfig{}, "after_rate must be a number between 0 and 1, and rate + after_rate at most 1"
		}
		f.AfterRate = *raw.AfterRate
	}
	if raw.RetryAfterSeconds != nil {
		if *raw.RetryAfterSeconds < 0 || *raw.RetryAfterSeconds > 3600 {
			return faultConfig{}, "retry_after_seconds must be between 0 and 3600"
		}
		f.RetryAfterSeconds = *raw.RetryAfterSeconds
	}
	if f.Rate > 0 && len(f.Statuses) == 0 {
		return faultConfig{}, "statuses must list at least one HTTP status when rate > 0"
	}
	for _, s := range f.Statuses {
		if s < 400 || s > 599 {
			return faultConfig{}, "statuses must be HTTP error statuses (400-599)"
		}
	}
	return f, ""
}

// fault is how one API request fails, if it does.
type fault struct {
	when       faultWhen
	status     int  // the answer's HTTP status
	retryAfter int  // seconds, for a 429
	drop       bool // after: no answer at all, the connection is closed
}

type faultWhen int

const (
	noFault     faultWhen = iota
	faultBefore           // the request fails and changes nothing
	faultAfter            // the request takes effect, then its answer is lost
)

// pickFaultLocked decides whether this API request fails, and how; e.smu is held.
func (e *Emulator) pickFaultLocked() fault {
	f := e.faults
	if f.Rate+f.AfterRate <= 0 {
		return fault{}
	}
	roll := e.rng.Float64()
	switch {
	case roll < f.Rate && len(f.Statuses) > 0:
		return fault{when: faultBefore, status: f.Statuses[e.rng.IntN(len(f.Statuses))], retryAfter: f.RetryAfterSeconds}
	case roll >= f.Rate && roll < f.Rate+f.AfterRate:
		// Cloudflare refuses with 429 before doing anything, so a request
		// that took effect fails with a server error only.
		var fivexx []int
		for _, s := range f.Statuses {
			if s >= 500 {
				fivexx = append(fivexx, s)
			}
		}
		out := fault{when: faultAfter, status: http.StatusBadGateway, drop: e.rng.IntN(2) == 0}
		if len(fivexx) > 0 {
			out.status = fivexx[e.rng.IntN(len(fivexx))]
		}
		return out
	}
	return fault{}
}

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// hashTokenValue is what the emulator keeps of a token value (in memory and
// in the state file): its SHA-256, hex-encoded.
func hashTokenValue(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// newTokenValue returns a fresh, random 40-character token value.
func newTokenValue() string {
	b := make([]byte, 40)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed") // never happens on supported platforms
	}
	for i := range b {
		b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
	}
	return string(b)
}

// serveSetting serves GET and PUT of one setting of the control API, a
// string under name: PUT takes exactly {name: "..."} (example shows the
// form when the body is not that) and applies it with set; both answer the
// setting as it now is (get).
func serveSetting(w http.ResponseWriter, r *http.Request, bad func(int, string), name, example string, set func(string) error, get func() string) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPut:
		var body map[string]*string
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&body); err != nil || len(body) != 1 || body[name] == nil {
			bad(http.StatusBadRequest, "malformed JSON: expected "+example)
			return
		}
		if err := set(*body[name]); err != nil {
			bad(http.StatusBadRequest, err.Error())
			return
		}
	default:
		bad(http.StatusMethodNotAllowed, "use GET or PUT")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{name: get()})
}
