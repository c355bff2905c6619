package iampolicy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// Cloudflare replaces a holder's policies whole and offers no conditional
// write, so two processes (two workspaces, or the platform's member and an
// application team's binding) that read the same member and then write it
// can each drop what the other wrote: the later write carries the earlier
// one's view. The per-holder lock only reaches within one provider process.
// So each write is checked a moment later: the holder is read again, and a
// change found undone is applied again from that fresh read, which carries
// the other process's policy too.
//
// What remains: a process whose read came before this write and whose
// write lands more than Verify.After after it still drops this write's
// change unnoticed; the next refresh of the resource that made the change
// sees it missing and plans to restore it.

// Verify says how an Updater checks its writes against other processes'.
type Verify struct {
	// After is how long after a write the holder is read again: longer than
	// another process takes from reading a holder to writing it. 0 turns
	// the check off.
	After time.Duration
	// Repairs bounds how many times a change found undone is applied again.
	Repairs int
}

// DefaultVerify is the provider's check: one read a second after each
// write, and up to three repairs.
var DefaultVerify = Verify{After: time.Second, Repairs: 3}

// ErrContended: other writers undid a change every time it was applied,
// up to Verify.Repairs times.
var ErrContended = errors.New("another writer kept undoing this change")

// verifyWrite reads the holder again u.verify.After after a write of c
// (which had read before and was answered with after) and, while the change
// does not hold, applies it again. A read that fails, or a context ended
// while waiting, leaves the write as it was answered: it took effect, and
// the next refresh sees the rest. Besides update's results, it returns the
// policies its last read found when the change held (nil when it did not
// read), in which an added policy may stand under a new ID (copyOf).
func verifyWrite[T any](ctx context.Context, u *Updater, h Holder[T], c Change,
	before []cfclient.MemberPolicy, after T) ([]cfclient.MemberPolicy, T, []cfclient.MemberPolicy, error) {
	if u.verify.After <= 0 || c.holds == nil {
		return before, after, nil, nil
	}
	for repairs := 0; ; repairs++ {
		if !wait(ctx, u.verify.After) {
			return before, after, nil, nil
		}
		current, err := h.Get(ctx)
		if err != nil {
			return before, after, nil, nil //nolint:nilerr // the write took effect; see above
		}
		written, now := h.Policies(after), h.Policies(current)
		if c.holds(before, written, now) {
			return before, after, now, nil
		}
		if repairs == u.verify.Repairs {
			var zero T
			return nil, zero, nil, fmt.Errorf("%w: the policies of %s were overwritten by another process %d times in a row after this write; "+
				"two configurations may be managing the same policies", ErrContended, h, repairs+1)
		}
		// A change that added a policy adds it again (its first ID is gone
		// with it), a removal removes the copy that came back; any other
		// change is applied again as it is.
		if c.again != nil {
			c = c.again(before, written, now)
		}
		if before, after, err = write(ctx, u, h, c); err != nil {
			var zero T
			return nil, zero, nil, err
		}
	}
}

// wait sleeps for d unless ctx ends first; it reports whether it slept.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// addedPolicyID is the ID of the policy in written that before did not
// have (the one an adding write created), or "".
func addedPolicyID(before, written []cfclient.MemberPolicy) string {
	for _, p := range written {
		if Index(before, p.ID) < 0 {
			return p.ID
		}
	}
	return ""
}

// copyOf returns the index in current of a copy of p (a policy granting
// the same under an ID that neither before nor written had), or -1.
func copyOf(p cfclient.MemberPolicy, before, written, current []cfclient.MemberPolicy) int {
	for i, q := range current {
		if Index(before, q.ID) < 0 && Index(written, q.ID) < 0 && sameGrants(q, p) {
			return i
		}
	}
	return -1
}

// cameBack reports whether current holds a copy of removed that the write
// removing it (answered with written) did not leave: another process's
// write from an older read puts a removed policy back under a new ID. A
// policy granting exactly the same, added meanwhile by another writer,
// looks the same and is removed too; its writer's next refresh restores it.
func cameBack(removed cfclient.MemberPolicy, written, current []cfclient.MemberPolicy) bool {
	for _, p := range current {
		if Index(written, p.ID) < 0 && sameGrants(p, removed) {
			return true
		}
	}
	return false
}

// ownedPolicies are the policies an authoritative writer owns: all but
// the bindings'.
func ownedPolicies(policies []cfclient.MemberPolicy) []cfclient.MemberPolicy {
	var out []cfclient.MemberPolicy
	for _, p := range policies {
		if !IsBindingPolicy(p) {
			out = append(out, p)
		}
	}
	return out
}

// samePolicies reports whether a and b hold the same policies, IDs
// included, in any order.
func samePolicies(a, b []cfclient.MemberPolicy) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		j := Index(b, p.ID)
		if j < 0 || !samePolicy(p, b[j]) {
			return false
		}
	}
	return true
}

// samePolicy reports whether two policies are one: the same ID, access,
// and permission groups and resource groups in any order.
func samePolicy(a, b cfclient.MemberPolicy) bool {
	return strings.EqualFold(a.ID, b.ID) && sameGrants(a, b)
}

// sameGrants is samePolicy but for the IDs of the policies.
func sameGrants(a, b cfclient.MemberPolicy) bool {
	return a.Access == b.Access && sameIDs(a.PermissionGroupIDs(), b.PermissionGroupIDs()) && sameIDs(a.ResourceGroupIDs(), b.ResourceGroupIDs())
}

func sameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	for i := range a {
		a[i] = strings.ToLower(a[i])
	}
	for i := range b {
		b[i] = strings.ToLower(b[i])
	}
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
