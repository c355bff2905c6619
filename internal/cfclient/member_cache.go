package cfclient

import (
	"context"
	"net/http"
	"sync"
)

// A refresh reads every managed member. One GET each costs one request per
// member; the paged list costs one request per 50. ReadMember answers the
// first read of an account with a GET (one managed member should not pay for
// listing a large account), and from the second on serves reads from one
// snapshot of the whole list, fetched once. The client's own writes remove the
// member from the snapshot, so nothing written in this run is read stale.

type memberSnapshot struct {
	members map[string]Member // by ID
}

type memberCache struct {
	mu        sync.Mutex
	reads     map[string]int  // distinct reads per account
	dirty     map[string]bool // account/member written by this client
	snapshots memo[*memberSnapshot]
}

func (mc *memberCache) markDirty(accountID, memberID string) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.dirty == nil {
		mc.dirty = map[string]bool{}
	}
	mc.dirty[accountID+"/"+memberID] = true
}

// countRead returns how many reads this account has had, this one included.
func (mc *memberCache) countRead(accountID, memberID string) (n int, dirty bool) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.reads == nil {
		mc.reads = map[string]int{}
	}
	mc.reads[accountID]++
	return mc.reads[accountID], mc.dirty[accountID+"/"+memberID]
}

// ReadMember returns a member for a refresh, from the account's snapshot when
// that is cheaper (see above). A member missing from the snapshot is answered
// as the API would: 404.
func (c *Client) ReadMember(ctx context.Context, accountID, memberID string) (*Member, error) {
	n, dirty := c.members.countRead(accountID, memberID)
	if n < 2 || dirty {
		return c.GetMember(ctx, accountID, memberID)
	}
	snap, err := c.members.snapshots.do(ctx, accountID, func(ctx context.Context) (*memberSnapshot, error) {
		list, err := c.ListMembers(ctx, accountID)
		if err != nil {
			return nil, err
		}
		s := &memberSnapshot{members: make(map[string]Member, len(list))}
		for _, m := range list {
			s.members[m.ID] = m
		}
		return s, nil
	})
	if err != nil {
		return c.GetMember(ctx, accountID, memberID) // the list may be forbidden where a GET is not
	}
	m, ok := snap.members[memberID]
	if !ok {
		return nil, &APIError{Status: http.StatusNotFound, Codes: []int{1003}, Messages: []string{"Member not found"},
			Method: http.MethodGet, Path: "/accounts/" + accountID + "/members/" + memberID}
	}
	return &m, nil
}
