package cfclient

// What a refresh has just read, asked again without a request: the read
// after a state move checks the moved object's resource groups against the
// policies the account lists for it (an object holding a policy on a group
// proves the group exists), so that a move costs the refresh's requests and
// no more.

// peek returns object id as this client's reads last found it, without a
// request: from the GET of the first read, or from the snapshot. An object
// this client wrote is never answered (what it read may be stale).
func (rc *readCache[T]) peek(accountID, id string) (*T, bool) {
	rc.mu.Lock()
	x, got := rc.got[accountID+"/"+id]
	dirty := rc.dirty[accountID+"/"+id]
	rc.mu.Unlock()
	if dirty {
		return nil, false
	}
	if got {
		return &x, true
	}
	snap, ok := rc.snapshots.peek(accountID)
	if !ok {
		return nil, false
	}
	if x, ok := snap[id]; ok {
		return &x, true
	}
	return nil, false
}

// MemberAsRead returns the member as ReadMember last found it in this
// client, without a request; false when it has not read it (or wrote it since).
func (c *Client) MemberAsRead(accountID, memberID string) (*Member, bool) {
	return c.members.peek(accountID, memberID)
}

// UserGroupAsRead returns the user group as ReadUserGroup last found it in
// this client, without a request; false when it has not read it (or wrote it since).
func (c *Client) UserGroupAsRead(accountID, groupID string) (*UserGroup, bool) {
	return c.groups.peek(accountID, groupID)
}
