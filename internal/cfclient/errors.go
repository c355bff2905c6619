package cfclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7"
)

// Cloudflare error codes that mean "these credentials are not accepted",
// whatever the HTTP status says (Cloudflare answers some of them with 400).
const (
	codeAuthError           = 10000 // authentication error / not allowed for this token
	codeInvalidAPIToken     = 1000
	codeInvalidHeaders      = 6003
	codeInvalidAuthKeyEmail = 9103
	codeMissingCredentials  = 9106
	codeInvalidAccessToken  = 9109
)

// APIError is an error answered by the Cloudflare API. It carries only what
// is safe to show a user: status, Cloudflare's codes and messages, method and
// path. Headers (and so credentials) are never kept.
type APIError struct {
	Status   int
	Codes    []int
	Messages []string
	Method   string
	Path     string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	for i, m := range e.Messages {
		if i < len(e.Codes) && e.Codes[i] != 0 {
			fmt.Fprintf(&b, "; [%d] %s", e.Codes[i], m)
		} else {
			fmt.Fprintf(&b, "; %s", m)
		}
	}
	return b.String()
}

// HasCode reports whether Cloudflare answered with the given error code.
func (e *APIError) HasCode(code int) bool {
	for _, c := range e.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err is an API answer saying the object does not exist.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// IsUnauthorized reports whether Cloudflare rejected the credentials: missing,
// malformed, invalid or expired token or key.
func IsUnauthorized(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	if e.Status == http.StatusUnauthorized {
		return true
	}
	for _, c := range []int{codeMissingCredentials, codeInvalidAccessToken, codeInvalidAPIToken, codeInvalidAuthKeyEmail, codeInvalidHeaders} {
		if e.HasCode(c) {
			return true
		}
	}
	// 10000 is also used for "this token may not do that"; only a 401 or 403
	// makes it a credentials problem rather than, say, a validation error.
	return e.HasCode(codeAuthError) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)
}

// IsForbidden reports whether the credentials were accepted but lack a permission.
func IsForbidden(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusForbidden
}

// IsRateLimited reports whether Cloudflare throttled the request (after the
// client's own retries were used up: see retry.go; the SDK's are off).
func IsRateLimited(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests
}

// IsConflict reports whether the request conflicted with the object's current state.
func IsConflict(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusConflict
}

// wrapError turns cloudflare-go's *cloudflare.Error into an *APIError and
// adds context; any other error is wrapped as it is.
func wrapError(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	var sdkErr *cloudflare.Error
	if errors.As(err, &sdkErr) {
		return fmt.Errorf("%s: %w", what, fromSDKError(sdkErr))
	}
	return fmt.Errorf("%s: %w", what, err)
}

func fromSDKError(sdkErr *cloudflare.Error) *APIError {
	e := &APIError{Status: sdkErr.StatusCode}
	if sdkErr.Response != nil && e.Status == 0 {
		e.Status = sdkErr.Response.StatusCode
	}
	if sdkErr.Request != nil {
		e.Method = sdkErr.Request.Method
		if sdkErr.Request.URL != nil {
			e.Path = sdkErr.Request.URL.Path // no query string: nothing secret, nothing noisy
		}
	}
	for _, d := range sdkErr.Errors {
		e.Codes = append(e.Codes, int(d.Code))
		e.Messages = append(e.Messages, d.Message)
	}
	return e
}
