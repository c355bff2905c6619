package cfclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/cloudflare/cloudflare-go/v7/option"
)

// The client retries on its own terms rather than the SDK's: the SDK retries
// every method on 5xx and connection errors, so a create whose effect is
// unknown (the server may have done it) would run twice — a second invitation,
// a second token. Here only idempotent methods are retried after such
// failures; a POST is retried only when Cloudflare refused it outright (429).
// Callers read back to settle an unknown outcome (IsOutcomeUnknown).

const (
	retryBaseDelay       = 500 * time.Millisecond
	defaultRetryMaxDelay = 10 * time.Second
)

// settleTimeout bounds the read-back that settles a write cut off by a
// cancelled context (Ctrl-C in Terraform).
const settleTimeout = 30 * time.Second

// SettleContext returns ctx while it is live. Once Terraform has cancelled it
// (Ctrl-C), a create already sent may have taken effect: the read-back that
// settles it runs on a bounded context of its own, so that the object is
// recorded in state instead of being left behind, unmanaged, in the account.
func SettleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
}

// retryPolicy is how many times and how long to retry.
type retryPolicy struct {
	maxRetries int
	maxDelay   time.Duration // caps every wait, Retry-After included
	timeout    time.Duration // per attempt; 0 means none
	sleep      func(context.Context, time.Duration) error
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryable says whether an attempt's outcome is worth another attempt.
func (p retryPolicy) retryable(method string, res *http.Response, err error) bool {
	if err != nil {
		return idempotent(method) && !errors.Is(err, context.Canceled)
	}
	switch {
	case res.StatusCode == http.StatusTooManyRequests:
		return true // refused before any effect, whatever the method
	case res.StatusCode == http.StatusRequestTimeout, res.StatusCode >= 500:
		return idempotent(method)
	}
	return false
}

// delay is the wait before retry n (0-based): Retry-After when Cloudflare
// sends it, else capped exponential backoff with jitter; never above maxDelay.
func (p retryPolicy) delay(res *http.Response, n int) time.Duration {
	if res != nil {
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s >= 0 {
			return min(time.Duration(s)*time.Second, p.maxDelay)
		}
	}
	d := min(retryBaseDelay<<min(n, 10), p.maxDelay)
	return d - time.Duration(rand.Int64N(int64(d)/4+1)) //nolint:gosec // G404: jitter needs no crypto randomness; up to 25% less, so clients spread out
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// middleware runs each attempt with its own timeout and retries as above.
func (p retryPolicy) middleware() option.Middleware {
	return func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		for attempt := 0; ; attempt++ {
			try := req
			if attempt > 0 && req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				try = req.Clone(req.Context())
				try.Body = body
			}
			ctx, cancel := req.Context(), context.CancelFunc(func() {})
			if p.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, p.timeout)
			}
			res, err := next(try.WithContext(ctx))
			last := attempt >= p.maxRetries || (req.Body != nil && req.GetBody == nil)
			if last || !p.retryable(req.Method, res, err) {
				if res != nil && res.Body != nil {
					res.Body = cancelOnClose{res.Body, cancel} // the caller reads the body after we return
				} else {
					cancel()
				}
				if err != nil && !idempotent(req.Method) {
					err = &OutcomeUnknownError{Method: req.Method, Path: req.URL.Path, Err: err}
				}
				return res, err
			}
			wait := p.delay(res, attempt)
			if res != nil && res.Body != nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
				_ = res.Body.Close()
			}
			cancel()
			if err := p.sleep(req.Context(), wait); err != nil {
				return nil, err
			}
		}
	}
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// OutcomeUnknownError: a request that is not safe to repeat failed in a way
// that leaves open whether the server acted on it (a connection error).
type OutcomeUnknownError struct {
	Method, Path string
	Err          error
}

func (e *OutcomeUnknownError) Error() string {
	return e.Method + " " + e.Path + ": outcome unknown: " + e.Err.Error()
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// createOutcomeUnknown is IsOutcomeUnknown for a create made with ctx: a
// create cut off by ctx's cancellation may also have been sent and done (the
// SDK then answers with the context's error alone).
func createOutcomeUnknown(ctx context.Context, err error) bool {
	return IsOutcomeUnknown(err) ||
		ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// createOnce runs create, trying again as the client retries, so that an
// object is never made twice: when a create's outcome is unknown
// (createOutcomeUnknown), readBack looks for what it may have made, and what
// it finds is the answer; only when it finds nothing does create run again.
func createOnce[T any](ctx context.Context, c *Client, create func() (T, error), readBack func() (T, bool, error)) (T, error) {
	var none T
	for attempt := 0; ; attempt++ {
		v, err := create()
		if !createOutcomeUnknown(ctx, err) {
			return v, err
		}
		made, found, rerr := readBack()
		switch {
		case rerr != nil:
			return none, fmt.Errorf("%w (and reading back failed: %v)", err, rerr) //nolint:errorlint // only the create's error is wrapped: callers act on it, not on the read-back's
		case found:
			return made, nil
		case ctx.Err() != nil || attempt >= c.retry.maxRetries:
			return none, err
		}
		if err := c.retry.sleep(ctx, c.retry.delay(nil, attempt)); err != nil {
			return none, err
		}
	}
}

// IsOutcomeUnknown reports whether err leaves open whether a create (or other
// non-idempotent request) took effect: a connection error, a timeout, or a
// 5xx/408 answer to a POST. The caller must read back before trying again.
func IsOutcomeUnknown(err error) bool {
	var unknown *OutcomeUnknownError
	if errors.As(err, &unknown) {
		return true
	}
	var e *APIError
	return errors.As(err, &e) && !idempotent(e.Method) && e.Method != "" &&
		(e.Status >= 500 || e.Status == http.StatusRequestTimeout)
}
