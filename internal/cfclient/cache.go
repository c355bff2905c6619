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

// peek returns what key's fetch returned, if one has returned without an
// error; it never fetches nor waits.
func (m *memo[T]) peek(key string) (T, bool) {
	m.mu.Lock()
	call, ok := m.calls[key]
	m.mu.Unlock()
	var zero T
	if !ok {
		return zero, false
	}
	select {
	case <-call.done:
		return call.val, call.err == nil
	default:
		return zero, false
	}
}

// forget drops what key's fetch returned: the next caller fetches again.
func (m *memo[T]) forget(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.calls, key)
}

// Catalog returns the live catalog: the account's roles when accountID is
// set, else the API token permission groups. Each is fetched once per Client
// however many data sources, resources and goroutines ask: the roles once per
// account, the permission groups (which belong to no account) once in all.
// The two are apart so that a plan of members never pays for the token
// catalog, and reading permission groups never depends on being allowed to
// read an account's roles.
func (c *Client) Catalog(ctx context.Context, accountID string) (*catalog.Catalog, error) {
	return c.catalogs.do(ctx, accountID, func(ctx context.Context) (*catalog.Catalog, error) {
		var entries []catalog.Entry
		var err error
		if accountID != "" {
			entries, err = c.ListRoles(ctx, accountID)
		} else {
			entries, err = c.fetchPermissionGroups(ctx)
		}
		if err != nil {
			return nil, err
		}
		return catalog.New(entries), nil
	})
}

// fetchPermissionGroups reads the user endpoint and, when that refuses an
// account-owned token, the endpoint of the client's default account.
func (c *Client) fetchPermissionGroups(ctx context.Context) ([]catalog.Entry, error) {
	groups, err := c.ListTokenPermissionGroups(ctx)
	// A 403 here (10000 included) is what an account-owned token gets on
	// the user endpoint: try the account's. Rejected credentials fail
	// there the same way and are reported as such. When the account's
	// refuses too, the user endpoint's refusal is the one reported: it
	// names what a user token lacks (API Tokens Read).
	if err != nil && c.accountID != "" && IsForbidden(err) {
		if accountGroups, aerr := c.ListAccountTokenPermissionGroups(ctx, c.accountID); aerr == nil || !IsForbidden(aerr) {
			return accountGroups, aerr
		}
	}
	return groups, err
}
