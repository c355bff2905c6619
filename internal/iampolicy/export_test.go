package iampolicy

// FlightWaiters is how many writers wait for the create or delete in flight
// of the group of that name holding that one object key (0: none in flight).
func FlightWaiters(u *Updater, accountID, name, objectKey string) int {
	s := u.groups
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.flights[groupFlightKey(accountID, name, []string{objectKey})]; f != nil {
		return f.waiters
	}
	return 0
}
