package cfclient

import (
	"context"
	"fmt"
	"sync"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// memo runs a fetch once per key and remembers its result; callers that
// arrive while it runs wait for it instead of fetching again. A failed fetch
// is forgotten, so the next caller tries again.
type memo[T any] struct {
	mu    sync.Mutex
	calls map[string]*memoCall[T]
}

type memoCall[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func (m *memo[T]) do(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.calls == nil {
		m.calls = map[string]*memoCall[T]{}
	}
	call, ok := m.calls[key]
	if !ok {
		call = &memoCall[T]{done: make(chan struct{})}
		m.calls[key] = call
	}
	m.mu.Unlock()

	if ok {
		select {
		case <-call.done:
			return call.val, call.err
		case <-ctx.Done():
			var zero T
			return zero, fmt.Errorf("waiting for the Cloudflare catalog: %w", ctx.Err())
		}
	}

	call.val, call.err = fetch(ctx)
	if call.err != nil {
		m.mu.Lock()
		delete(m.calls, key)
		m.mu.Unlock()
	}
	close(call.done)
	return call.val, call.err
}

// Catalog returns the live catalog: the account's roles (when accountID is
// set) and the API token permission groups. Each is fetched once per Client
// however many data sources, resources and goroutines ask: the roles once
// per account, the permission groups (which belong to no account) once in
// all. Without an account ID the catalog holds permission groups only, so
// that reading them never depends on being allowed to read an account's roles.
func (c *Client) Catalog(ctx context.Context, accountID string) (*catalog.Catalog, error) {
	return c.catalogs.do(ctx, accountID, func(ctx context.Context) (*catalog.Catalog, error) {
		var entries []catalog.Entry
		if accountID != "" {
			roles, err := c.roles.do(ctx, accountID, func(ctx context.Context) ([]catalog.Entry, error) {
				return c.ListRoles(ctx, accountID)
			})
			if err != nil {
				return nil, err
			}
			entries = append(entries, roles...)
		}
		groups, err := c.groups.do(ctx, "", c.fetchPermissionGroups(accountID))
		if err != nil {
			return nil, err
		}
		return catalog.New(append(entries, groups...)), nil
	})
}

// fetchPermissionGroups reads the user endpoint and, when that refuses an
// account-owned token, the endpoint of the account (accountID, else the
// client's default account).
func (c *Client) fetchPermissionGroups(accountID string) func(context.Context) ([]catalog.Entry, error) {
	if accountID == "" {
		accountID = c.accountID
	}
	return func(ctx context.Context) ([]catalog.Entry, error) {
		groups, err := c.ListTokenPermissionGroups(ctx)
		// A 403 here (10000 included) is what an account-owned token gets on
		// the user endpoint: try the account's. Rejected credentials fail
		// there the same way and are reported as such.
		if err != nil && accountID != "" && IsForbidden(err) {
			groups, err = c.ListAccountTokenPermissionGroups(ctx, accountID)
		}
		return groups, err
	}
}
