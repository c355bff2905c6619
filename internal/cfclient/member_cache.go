package cfclient

import (
	"context"
	"net/http"
	"sync"
)

// A refresh reads every managed member (and user group). One GET each costs
// one request per object; the paged list costs one request per 50. A
// readCache answers the first read of an account with a GET (one managed
// object should not pay for listing a large account), and from the second on
// serves reads from one snapshot of the whole list, fetched once. The
// client's own writes mark the object dirty, so nothing written in this run
// is read stale.

type readCache[T any] struct {
	mu        sync.Mutex
	reads     map[string]int  // distinct reads per account
	dirty     map[string]bool // account/object written by this client
	got       map[string]T    // account/object: what a read's GET returned (the first read, and written objects)
	snapshots memo[map[string]T]
}

func (rc *readCache[T]) markDirty(accountID, id string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.dirty == nil {
		rc.dirty = map[string]bool{}
	}
	rc.dirty[accountID+"/"+id] = true
}

// countRead returns how many reads this account has had, this one included.
func (rc *readCache[T]) countRead(accountID, id string) (n int, dirty bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.reads == nil {
		rc.reads = map[string]int{}
	}
	rc.reads[accountID]++
	return rc.reads[accountID], rc.dirty[accountID+"/"+id]
}

// read returns object id of the account, from the snapshot when that is
// cheaper (see above). An object missing from the snapshot is answered as
// the API would: 404 with notFound's code and message, for the path get
// would have read.
func (rc *readCache[T]) read(ctx context.Context, accountID, id string, get func(context.Context) (*T, error),
	list func(context.Context) ([]T, error), idOf func(T) string, notFound *APIError) (*T, error) {
	n, dirty := rc.countRead(accountID, id)
	if n < 2 || dirty {
		x, err := get(ctx)
		if err == nil && x != nil {
			rc.mu.Lock()
			if rc.got == nil {
				rc.got = map[string]T{}
			}
			rc.got[accountID+"/"+id] = *x
			rc.mu.Unlock()
		}
		return x, err
	}
	snap, err := rc.snapshots.do(ctx, accountID, func(ctx context.Context) (map[string]T, error) {
		all, err := list(ctx)
		if err != nil {
			return nil, err
		}
		s := make(map[string]T, len(all))
		for _, x := range all {
			s[idOf(x)] = x
		}
		return s, nil
	})
	if err != nil {
		return get(ctx) // the list may be forbidden where a GET is not
	}
	x, ok := snap[id]
	if !ok {
		return nil, notFound
	}
	return &x, nil
}

// ReadMember returns a member for a refresh (see readCache).
func (c *Client) ReadMember(ctx context.Context, accountID, memberID string) (*Member, error) {
	return c.members.read(ctx, accountID, memberID,
		func(ctx context.Context) (*Member, error) { return c.GetMember(ctx, accountID, memberID) },
		func(ctx context.Context) ([]Member, error) { return c.ListMembers(ctx, accountID) },
		func(m Member) string { return m.ID },
		&APIError{Status: http.StatusNotFound, Codes: []int{1003}, Messages: []string{"Member not found"},
			Method: http.MethodGet, Path: "/accounts/" + accountID + "/members/" + memberID})
}

// ReadUserGroup returns a user group for a refresh (see readCache).
func (c *Client) ReadUserGroup(ctx context.Context, accountID, groupID string) (*UserGroup, error) {
	return c.groups.read(ctx, accountID, groupID,
		func(ctx context.Context) (*UserGroup, error) { return c.GetUserGroup(ctx, accountID, groupID) },
		func(ctx context.Context) ([]UserGroup, error) { return c.ListUserGroups(ctx, accountID) },
		func(g UserGroup) string { return g.ID },
		&APIError{Status: http.StatusNotFound, Codes: []int{1003}, Messages: []string{"User group not found"},
			Method: http.MethodGet, Path: userGroupPath(accountID, groupID)})
}

// ReadResourceGroup returns a resource group for a refresh (see readCache).
func (c *Client) ReadResourceGroup(ctx context.Context, accountID, id string) (*ResourceGroup, error) {
	return c.rgReads.read(ctx, accountID, id,
		func(ctx context.Context) (*ResourceGroup, error) { return c.GetResourceGroup(ctx, accountID, id) },
		func(ctx context.Context) ([]ResourceGroup, error) { return c.ListResourceGroups(ctx, accountID) },
		func(g ResourceGroup) string { return g.ID },
		&APIError{Status: http.StatusNotFound, Codes: []int{1003}, Messages: []string{"Resource group not found"},
			Method: http.MethodGet, Path: resourceGroupsPath(accountID) + "/" + id})
}
