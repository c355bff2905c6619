package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

func TestAPIErrorDiagnostic(t *testing.T) {
	t.Parallel()
	apiErr := func(status int, code int, msg string) error {
		return fmt.Errorf("listing roles of account x: %w", &cfclient.APIError{
			Status: status, Codes: []int{code}, Messages: []string{msg}, Method: "GET", Path: "/client/v4/accounts/x/iam/permission_groups",
		})
	}
	cases := map[string]struct {
		auth          authMethod
		err           error
		summary       string
		detailPhrases []string
	}{
		"invalid token": {authToken, apiErr(403, 9109, "Invalid access token"),
			"Cloudflare rejected the credentials while reading roles",
			[]string{"[9109] Invalid access token", "api_token in the provider block or CLOUDFLARE_API_TOKEN", "GET /client/v4/accounts/x/iam/permission_groups"}},
		"missing credentials": {authNone, apiErr(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"),
			"Cloudflare rejected the credentials", []string{"[9106]", "CLOUDFLARE_API_TOKEN"}},
		"invalid key": {authKey, apiErr(400, 9103, "Unknown X-Auth-Key or X-Auth-Email"),
			"Cloudflare rejected the credentials", []string{"CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL"}},
		"not allowed": {authToken, apiErr(403, 10000, "Authentication error"),
			"Missing permission for reading permission groups while reading roles",
			[]string{"[10000]", "GET /client/v4/accounts/x/iam/permission_groups", `"Account Settings Read" or "Account Settings Edit" on the account`}},
		"not allowed, key": {authKey, apiErr(403, 10000, "Authentication error"),
			"Missing permission for reading permission groups while reading roles", []string{"give the user a role that allows reading permission groups"}},
		"not allowed, unknown route": {authToken, fmt.Errorf("x: %w", &cfclient.APIError{Status: 403, Codes: []int{10000}, Messages: []string{"Authentication error"},
			Method: "GET", Path: "/client/v4/accounts/x/workers/scripts"}),
			"Cloudflare rejected the credentials", []string{"CLOUDFLARE_API_TOKEN"}},
		"forbidden": {authToken, apiErr(403, 1234, "Forbidden"),
			"Cloudflare refused reading roles", []string{"lack a permission"}},
		"rate limited": {authToken, apiErr(429, 971, "Please wait"),
			"Cloudflare rate-limited reading roles", []string{"max_retries"}},
		"not found": {authToken, apiErr(404, 7003, "Could not route"),
			"Not found while reading roles", []string{"CLOUDFLARE_ACCOUNT_ID"}},
		"conflict": {authToken, apiErr(409, 1001, "Conflict"),
			"Conflict while reading roles", []string{"Run Terraform again"}},
		"other api error": {authToken, apiErr(500, 10001, "Internal"),
			"Cloudflare API error while reading roles", []string{"[10001] Internal"}},
		"timeout": {authToken, fmt.Errorf("x: %w", context.DeadlineExceeded),
			"Timed out or cancelled while reading roles", []string{"request_timeout"}},
		"contended": {authToken, fmt.Errorf("%w: the policies of member x were overwritten", iampolicy.ErrContended),
			"Another apply kept undoing this change while reading roles", []string{"two configurations", "run terraform apply again"}},
		"network": {authToken, errors.New("dial tcp 127.0.0.1:1: connection refused"),
			"Could not reach Cloudflare while reading roles", []string{"CLOUDFLARE_BASE_URL", "connection refused"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := apiErrorDiagnostic(tc.auth, "reading roles", tc.err)
			if !strings.HasPrefix(d.Summary(), tc.summary) {
				t.Errorf("summary = %q, want prefix %q", d.Summary(), tc.summary)
			}
			for _, p := range tc.detailPhrases {
				if !strings.Contains(d.Detail(), p) {
					t.Errorf("detail lacks %q:\n%s", p, d.Detail())
				}
			}
		})
	}
}

func TestCatalogErrorDiagnostic(t *testing.T) {
	t.Parallel()
	cat := catalog.Embedded()
	cases := []struct {
		kind    catalog.Kind
		name    string
		scope   catalog.Scope
		summary string
		detail  string
	}{
		{catalog.KindPermissionGroup, "Logs Raed", "", "Unknown permission group", `Did you mean "Logs Read" or "Logs Edit"?`},
		{catalog.KindPermissionGroup, "Logs Read", "", "Ambiguous permission group name", `several scopes: account, zone`},
		{catalog.KindPermissionGroup, "DNS Write", catalog.ScopeAccount, "Wrong scope for permission group",
			`"DNS Write" is a zone permission group, not an account permission group. To look up "DNS Write" itself, set scope to "zone".`},
		{catalog.KindRole, "Domain DNS", catalog.ScopeAccount, "Wrong scope for role",
			`"Domain DNS" is a domain-scoped role, not an account-scoped role. At account scope, use "DNS".`},
	}
	for _, tc := range cases {
		_, err := cat.Resolve(tc.kind, tc.name, tc.scope)
		if err == nil {
			t.Fatalf("%s %q resolved", tc.kind, tc.name)
		}
		summary, detail := catalogErrorDiagnostic(err, "the embedded catalog")
		if summary != tc.summary || !strings.Contains(detail, tc.detail) {
			t.Errorf("%s %q at %q:\n got %q / %q\nwant %q / ...%q...", tc.kind, tc.name, tc.scope, summary, detail, tc.summary, tc.detail)
		}
	}
}
