// Package cfclient wraps cloudflare-go v7 for the provider: authentication,
// retries, paging, raw JSON where the SDK's typed model falls short, typed
// errors, and a per-client cache of the live role and permission group catalog.
package cfclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/option"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// DefaultBaseURL is Cloudflare's production API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// Config says how to reach Cloudflare. Exactly one way to authenticate is
// expected: APIToken, or APIKey with Email. With none, requests are sent
// unauthenticated and Cloudflare answers them with an error.
type Config struct {
	APIToken string
	APIKey   string
	Email    string

	// AccountID is the default account. The client falls back to it where an
	// account-owned token is refused the user endpoints: to verify its own
	// token (Caller) and to list permission groups (Catalog).
	AccountID string

	BaseURL        string        // DefaultBaseURL when empty
	MaxRetries     int           // retries of 429 (any method), and of 408, 5xx and connection errors (idempotent methods)
	RetryMaxDelay  time.Duration // caps each wait between attempts, Retry-After included; 10s when 0
	RequestTimeout time.Duration // per attempt; 0 means none
	Version        string        // provider version, for the User-Agent
	UserAgentExtra string        // appended to the User-Agent when set

	// HTTPClient replaces the default HTTP client (tests).
	HTTPClient *http.Client

	// Log, when set, receives one line per HTTP attempt: method, path,
	// status and duration. Never headers, query strings or bodies, so never
	// a credential. The provider passes tflog here; this package stays free
	// of terraform-plugin-* imports.
	Log func(ctx context.Context, msg string, fields map[string]any)

	sleep func(context.Context, time.Duration) error // tests replace the waits
}

// Client talks to the Cloudflare API. It is safe for concurrent use; one
// Client belongs to one provider instance.
type Client struct {
	sdk        *cloudflare.Client
	accountID  string
	userAgent  string
	retry      retryPolicy              // also settles unknown outcomes of creates
	members    readCache[Member]        // refresh reads, see member_cache.go
	groups     readCache[UserGroup]     // the same for user groups
	tokenReads readCache[Token]         // the same for API tokens, by owner ("" for the user's)
	rgReads    readCache[ResourceGroup] // the same for resource groups
	tokens     clientTokenMemos

	// The live catalog, fetched once per Client: see Catalog.
	catalogs memo[*catalog.Catalog]
	// Resource groups for plan-time checks: see PlannedResourceGroups.
	groupLists memo[[]ResourceGroup]
	// Members and user groups for plan-time guards: see PlannedAccountAccess.
	accessReads memo[catalog.AccountAccess]
	// One list of a group's members per refresh: see ReadUserGroupMembership.
	groupMemberReads memo[[]UserGroupMember]
}

// New builds a Client from cfg.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey != "" && cfg.Email == "" {
		return nil, errors.New("cfclient: an API key needs the e-mail address of its user")
	}
	if cfg.Email != "" && cfg.APIKey == "" && cfg.APIToken == "" {
		return nil, errors.New("cfclient: an e-mail address needs an API key")
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("cfclient: max retries must be 0 or more, got %d", cfg.MaxRetries)
	}
	baseURL := strings.TrimSpace(cfg.BaseURL)
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	userAgent := UserAgent(cfg.Version, cfg.UserAgentExtra)

	opts := []option.RequestOption{
		option.WithBaseURL(baseURL),
		option.WithMaxRetries(0), // retries are the client's own: see retry.go
		option.WithHeader("User-Agent", userAgent),
	}
	retryMaxDelay := cfg.RetryMaxDelay
	if retryMaxDelay <= 0 {
		retryMaxDelay = defaultRetryMaxDelay
	}
	sleep := cfg.sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	// Outermost: retries and per-attempt timeouts; the logger below sees every attempt.
	retry := retryPolicy{maxRetries: cfg.MaxRetries, maxDelay: retryMaxDelay, timeout: cfg.RequestTimeout, sleep: sleep}
	opts = append(opts, option.WithMiddleware(retry.middleware()))
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	if cfg.Log != nil {
		opts = append(opts, option.WithMiddleware(logRequests(cfg.Log)))
	}
	// cloudflare.NewClient reads CLOUDFLARE_* credentials from the
	// environment on its own. The provider has already decided which
	// credentials win (configuration over environment), so drop every
	// authentication header it did not choose.
	opts = append(opts,
		option.WithHeaderDel("Authorization"),
		option.WithHeaderDel("X-Auth-Key"),
		option.WithHeaderDel("X-Auth-Email"),
		option.WithHeaderDel("X-Auth-User-Service-Key"),
	)
	switch {
	case cfg.APIToken != "":
		opts = append(opts, option.WithAPIToken(cfg.APIToken))
	case cfg.APIKey != "":
		opts = append(opts, option.WithAPIKey(cfg.APIKey), option.WithAPIEmail(cfg.Email))
	}

	return &Client{
		sdk:       cloudflare.NewClient(opts...),
		accountID: cfg.AccountID,
		userAgent: userAgent,
		retry:     retry,
	}, nil
}

// logRequests is a cloudflare-go middleware that reports each attempt.
func logRequests(log func(context.Context, string, map[string]any)) option.Middleware {
	return func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		start := time.Now()
		res, err := next(req)
		fields := map[string]any{
			"method":      req.Method,
			"path":        req.URL.Path,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if res != nil {
			fields["status"] = res.StatusCode
			if ray := res.Header.Get("Cf-Ray"); ray != "" {
				fields["cf_ray"] = ray // Cloudflare's request ID, for support tickets
			}
		}
		if err != nil {
			fields["error"] = err.Error()
		}
		log(req.Context(), "Cloudflare API request", fields)
		return res, err
	}
}

// UserAgent is the User-Agent the provider sends:
// terraform-provider-cfiam/<version>, then extra if any.
func UserAgent(version, extra string) string {
	if version == "" {
		version = "dev"
	}
	ua := "terraform-provider-cfiam/" + version
	if extra = strings.TrimSpace(extra); extra != "" {
		ua += " " + extra
	}
	return ua
}

// SDK exposes the underlying cloudflare-go client for callers that need an
// endpoint this package does not wrap yet.
func (c *Client) SDK() *cloudflare.Client { return c.sdk }
