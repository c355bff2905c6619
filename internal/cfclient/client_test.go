package cfclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

const (
	routeIAMGroups   = "GET /accounts/{account_id}/iam/permission_groups"
	routeTokenGroups = "GET /user/tokens/permission_groups" //nolint:gosec // G101: a route name, not a credential
)

// newTestClient starts an emulator and returns a client of it; wrap, when
// set, sees every request before the emulator does.
func newTestClient(t *testing.T, cfg cfclient.Config, wrap func(http.Handler) http.Handler) (*cfclient.Client, *emulator.Emulator) {
	t.Helper()
	emu := emulator.New()
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + "/client/v4"
	client, err := cfclient.New(cfg)
	if err != nil {
		t.Fatalf("cfclient.New: %v", err)
	}
	return client, emu
}

func adminConfig() cfclient.Config {
	return cfclient.Config{APIToken: emulator.AdminToken, AccountID: emulator.AccountID, Version: "1.2.3"}
}

func TestListRoles_decodesScopes(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, adminConfig(), nil)

	roles, err := client.ListRoles(context.Background(), emulator.AccountID)
	if err != nil {
		t.Fatalf("ListRoles: %v", err)
	}
	want := catalog.Embedded().Roles()
	if len(roles) != len(want) {
		t.Fatalf("got %d roles, want %d (all pages)", len(roles), len(want))
	}
	got := catalog.New(roles)
	for _, w := range want {
		e, ok := got.ByID(w.ID)
		if !ok {
			t.Errorf("role %q (%s) missing", w.Name, w.ID)
			continue
		}
		if e.Name != w.Name || e.Scope != w.Scope || e.Kind != catalog.KindRole || e.Description != w.Description {
			t.Errorf("role %s = %+v, want %+v", w.ID, e, w)
		}
	}
	for _, s := range catalog.RoleScopes {
		if len(got.InScope(catalog.KindRole, s)) == 0 {
			t.Errorf("no role decoded at scope %s", s)
		}
	}
}

func TestListRoles_liveValuesWin(t *testing.T) {
	t.Parallel()
	client, emu := newTestClient(t, adminConfig(), nil)
	const id = "aaaabbbbccccddddeeeeffff00001111"
	emu.PutIAMPermissionGroup(emulator.AccountID, id, "Tunnel Instance Auditor", catalog.ScopeTunnel)

	roles, err := client.ListRoles(context.Background(), emulator.AccountID)
	if err != nil {
		t.Fatalf("ListRoles: %v", err)
	}
	e, ok := catalog.New(roles).ByID(id)
	if !ok || e.Name != "Tunnel Instance Auditor" || e.Scope != catalog.ScopeTunnel {
		t.Fatalf("live role = %+v (found %v), want the emulator's tunnel role", e, ok)
	}
}

func TestListTokenPermissionGroups_oneEntryPerScope(t *testing.T) {
	t.Parallel()
	client, emu := newTestClient(t, adminConfig(), nil)
	const id = "0123456789abcdef0123456789abcdef"
	emu.PutTokenPermissionGroup(id, "Widget Read", catalog.ScopeAccount, catalog.ScopeZone)

	groups, err := client.ListTokenPermissionGroups(context.Background())
	if err != nil {
		t.Fatalf("ListTokenPermissionGroups: %v", err)
	}
	cat := catalog.New(groups)
	if got := cat.ScopesOf(catalog.KindPermissionGroup, "Widget Read"); len(got) != 2 || got[0] != catalog.ScopeAccount || got[1] != catalog.ScopeZone {
		t.Errorf("scopes of Widget Read = %v, want [account zone]", got)
	}
	for _, w := range catalog.Embedded().PermissionGroups() {
		e, err := cat.ResolvePermissionGroup(w.Name, w.Scope)
		if err != nil {
			t.Errorf("%s at %s: %v", w.Name, w.Scope, err)
			continue
		}
		if e.ID != w.ID {
			t.Errorf("%s at %s: id %s, want %s", w.Name, w.Scope, e.ID, w.ID)
		}
	}
}

func TestCatalog_fetchedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	client, emu := newTestClient(t, adminConfig(), nil)

	const callers = 20
	var wg sync.WaitGroup
	cats := make([]*catalog.Catalog, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cats[i], errs[i] = client.Catalog(context.Background(), emulator.AccountID)
		}()
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if cats[i] != cats[0] {
			t.Fatalf("caller %d got a different catalog", i)
		}
	}
	if _, err := client.Catalog(context.Background(), emulator.AccountID); err != nil {
		t.Fatal(err)
	}

	stats := emu.Stats()
	pages := (len(catalog.Embedded().Roles()) + 49) / 50
	if got := stats.ByRoute[routeIAMGroups]; got != pages {
		t.Errorf("%s requested %d times, want %d (one fetch of %d pages)", routeIAMGroups, got, pages, pages)
	}
	if got := stats.ByRoute[routeTokenGroups]; got != 0 {
		t.Errorf("%s requested %d times for an account's roles, want 0: members never pay for the token catalog", routeTokenGroups, got)
	}
	if n := len(cats[0].Roles()); n != len(catalog.Embedded().Roles()) {
		t.Errorf("catalog has %d roles, want %d", n, len(catalog.Embedded().Roles()))
	}
	if n := len(cats[0].PermissionGroups()); n != 0 {
		t.Errorf("the account's catalog has %d permission groups, want 0 (they are Catalog(ctx, \"\"))", n)
	}
}

func TestCatalog_failureIsNotCached(t *testing.T) {
	t.Parallel()
	cfg := adminConfig()
	cfg.APIToken = "not-a-token"
	client, emu := newTestClient(t, cfg, nil)
	for range 2 {
		if _, err := client.Catalog(context.Background(), emulator.AccountID); !cfclient.IsUnauthorized(err) {
			t.Fatalf("Catalog error = %v, want unauthorized", err)
		}
	}
	if got := emu.Stats().ByRoute[routeIAMGroups]; got != 2 {
		t.Errorf("%s requested %d times, want 2: a failed fetch must be retried", routeIAMGroups, got)
	}
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var agents []string
	capture := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			agents = append(agents, r.UserAgent())
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}
	cfg := adminConfig()
	cfg.UserAgentExtra = "ci/pipeline-7"
	client, _ := newTestClient(t, cfg, capture)
	if _, err := client.ListTokenPermissionGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(agents) == 0 {
		t.Fatal("no request seen")
	}
	for _, ua := range agents {
		if ua != "terraform-provider-cfiam/1.2.3 ci/pipeline-7" {
			t.Errorf("User-Agent = %q, want terraform-provider-cfiam/1.2.3 ci/pipeline-7", ua)
		}
	}
}

func TestErrors_badToken(t *testing.T) {
	t.Parallel()
	cfg := adminConfig()
	cfg.APIToken = "definitely-not-valid"
	client, _ := newTestClient(t, cfg, nil)

	_, err := client.ListRoles(context.Background(), emulator.AccountID)
	var apiErr *cfclient.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	if !apiErr.HasCode(9109) || apiErr.Status != http.StatusForbidden {
		t.Errorf("APIError = %+v, want 403 with code 9109", apiErr)
	}
	if !cfclient.IsUnauthorized(err) || cfclient.IsNotFound(err) || cfclient.IsRateLimited(err) || cfclient.IsConflict(err) {
		t.Errorf("helpers disagree with %v", err)
	}
	if apiErr.Method != http.MethodGet || !strings.Contains(apiErr.Path, "/iam/permission_groups") {
		t.Errorf("method/path = %s %s", apiErr.Method, apiErr.Path)
	}
	if strings.Contains(err.Error(), "definitely-not-valid") {
		t.Errorf("error leaks the token: %v", err)
	}
	if !strings.Contains(err.Error(), "listing roles of account "+emulator.AccountID) {
		t.Errorf("error lacks context: %v", err)
	}
}

func TestErrors_missingCredentials(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, cfclient.Config{}, nil)

	_, err := client.ListTokenPermissionGroups(context.Background())
	var apiErr *cfclient.APIError
	if !errors.As(err, &apiErr) || !apiErr.HasCode(9106) {
		t.Fatalf("error = %v, want an *APIError with code 9106", err)
	}
	if !cfclient.IsUnauthorized(err) {
		t.Errorf("IsUnauthorized(%v) = false", err)
	}
}

func TestErrors_notFound(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, adminConfig(), nil)
	_, err := client.ListRoles(context.Background(), "00000000000000000000000000000000")
	if err == nil {
		t.Fatal("want an error for an unknown account")
	}
	if !cfclient.IsNotFound(err) && !cfclient.IsForbidden(err) {
		t.Errorf("error = %v, want not found or forbidden", err)
	}
}

func TestNew_rejectsHalfLegacyAuth(t *testing.T) {
	t.Parallel()
	if _, err := cfclient.New(cfclient.Config{APIKey: "k"}); err == nil {
		t.Error("api key without e-mail: want an error")
	}
	if _, err := cfclient.New(cfclient.Config{Email: "a@example.com"}); err == nil {
		t.Error("e-mail without api key: want an error")
	}
	if _, err := cfclient.New(cfclient.Config{APIKey: "k", Email: "a@example.com"}); err != nil {
		t.Errorf("api key with e-mail: %v", err)
	}
}

func TestLegacyAuth(t *testing.T) {
	t.Parallel()
	client, _ := newTestClient(t, cfclient.Config{APIKey: emulator.AdminAPIKey, Email: emulator.AdminEmail}, nil)
	if _, err := client.ListRoles(context.Background(), emulator.AccountID); err != nil {
		t.Fatalf("ListRoles with API key: %v", err)
	}
}

func TestLog_reportsRequestsWithoutSecrets(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []map[string]any
	cfg := adminConfig()
	cfg.Log = func(_ context.Context, _ string, fields map[string]any) {
		mu.Lock()
		lines = append(lines, fields)
		mu.Unlock()
	}
	client, _ := newTestClient(t, cfg, nil)
	if _, err := client.ListTokenPermissionGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1", len(lines))
	}
	f := lines[0]
	if f["method"] != "GET" || f["path"] != "/client/v4/user/tokens/permission_groups" || f["status"] != 200 {
		t.Errorf("log fields = %v", f)
	}
	for k, v := range f {
		if strings.Contains(fmt.Sprint(v), emulator.AdminToken) {
			t.Errorf("log field %s leaks the token", k)
		}
	}
}

// Permission groups belong to no account: they are the catalog without an
// account, fetched once however often asked, and apart from any account's
// roles.
func TestCatalog_permissionGroupsApartFromRoles(t *testing.T) {
	t.Parallel()
	client, emu := newTestClient(t, adminConfig(), nil)
	groupsOnly, err := client.Catalog(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(groupsOnly.Roles()); n != 0 {
		t.Errorf("catalog without account has %d roles, want 0", n)
	}
	if n := len(groupsOnly.PermissionGroups()); n != len(catalog.Embedded().PermissionGroups()) {
		t.Errorf("catalog without account has %d permission groups, want %d", n, len(catalog.Embedded().PermissionGroups()))
	}
	roles, err := client.Catalog(context.Background(), emulator.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := client.Catalog(context.Background(), ""); err != nil || again != groupsOnly {
		t.Errorf("a second read of the permission groups fetched again (%v)", err)
	}
	if len(roles.Roles()) == 0 || len(roles.PermissionGroups()) != 0 {
		t.Errorf("the account's catalog: %d roles, %d permission groups", len(roles.Roles()), len(roles.PermissionGroups()))
	}
	if got := emu.Stats().ByRoute[routeTokenGroups]; got != 1 {
		t.Errorf("%s requested %d times, want 1", routeTokenGroups, got)
	}
}

// putFaults sets the emulator's fault injection through its control surface.
func putFaults(t *testing.T, baseURL, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, strings.TrimSuffix(baseURL, "/client/v4")+"/__emulator/faults", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT /__emulator/faults: %s", res.Status)
	}
}

// newFaultyClient returns a client of an emulator failing as faults says
// (see PUT /__emulator/faults).
func newFaultyClient(t *testing.T, maxRetries int, faults string) *cfclient.Client {
	t.Helper()
	srv := httptest.NewServer(emulator.New())
	t.Cleanup(srv.Close)
	cfg := adminConfig()
	cfg.BaseURL = srv.URL + "/client/v4"
	cfg.MaxRetries = maxRetries
	putFaults(t, cfg.BaseURL, faults)
	client, err := cfclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestErrors_rateLimited(t *testing.T) {
	t.Parallel()
	client := newFaultyClient(t, 0, `{"rate": 1, "statuses": [429], "retry_after_seconds": 0}`)
	_, err := client.ListTokenPermissionGroups(context.Background())
	if !cfclient.IsRateLimited(err) {
		t.Fatalf("error = %v, want rate limited", err)
	}
}

// Transient failures are retried by cloudflare-go up to MaxRetries times.
// Every other API request fails here, alternately 429 and 503, with a short
// Retry-After-Ms so that the test stays fast.
func TestRetries_transientFailures(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	n, failed := 0, 0
	flaky := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			n++
			fail := n%2 == 1
			status := []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}[(n/2)%2]
			if fail {
				failed++
			}
			mu.Unlock()
			if fail {
				w.Header().Set("Retry-After-Ms", "1")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":10429,"message":"try again"}],"messages":[],"result":null}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	cfg := adminConfig()
	cfg.MaxRetries = 1
	client, _ := newTestClient(t, cfg, flaky)
	cat, err := client.Catalog(context.Background(), emulator.AccountID)
	if err != nil {
		t.Fatalf("Catalog with every other request failing: %v", err)
	}
	if len(cat.Roles()) != len(catalog.Embedded().Roles()) {
		t.Errorf("got %d roles", len(cat.Roles()))
	}
	mu.Lock()
	defer mu.Unlock()
	if failed == 0 {
		t.Error("no request failed: the test proves nothing")
	}
}
