package emulator

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// What the network between a client and Cloudflare adds to the API: latency
// (EMULATOR_LATENCY, PUT /__emulator/latency). Only API requests are
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
