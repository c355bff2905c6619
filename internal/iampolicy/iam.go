// Package iampolicy owns every write of account policies, in the shape of
// hcp's ResourceIamUpdater: a Holder says how to read and write the policies
// of one object (an account member; user groups next), a Change says what to
// do to them (Authoritative: every policy but additive writers'; Additive:
// one policy by ID), and the Updater does the rest: the per-holder lock, the
// re-read, the write, the retry when a resource group vanished under it, the
// clean-up of the provider's groups no policy uses any more, and the settling
// of a write cut off by a cancel (Ctrl-C), and the check, a moment after
// each write, that no other workspace's write undid it (verify.go).
//
// It imports no Terraform code: it returns Go errors (ErrPolicyGone where a
// resource must react), and the provider turns them into diagnostics.
package iampolicy

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// Updater serialises and performs policy writes. One per provider instance:
// its locks are only as wide as the instance.
type Updater struct {
	client *cfclient.Client
	locks  *keyedMutex
	groups *groupService
	verify Verify
}

// New returns the updater of one provider instance; verify says how it
// checks its writes against other processes' (the zero Verify does not).
func New(client *cfclient.Client, verify Verify) *Updater {
	locks := newKeyedMutex()
	return &Updater{client: client, locks: locks, groups: newGroupService(client, locks), verify: verify}
}

// Holder is one object that holds policies, T being the object as the API
// returns it.
type Holder[T any] interface {
	// LockKey names the holder in the updater's lock: one key per holder,
	// with a slash (account/holder), unique across kinds of holder.
	LockKey() string
	// AccountID is the account whose resource groups the policies use.
	AccountID() string
	// String names the holder in errors, such as "member <id>".
	String() string
	Get(ctx context.Context) (T, error)
	Set(ctx context.Context, policies []cfclient.MemberPolicy) (T, error)
	Delete(ctx context.Context) error
	Policies(T) []cfclient.MemberPolicy
}

// Member is the holder of an account member's policies.
type Member struct {
	client            *cfclient.Client
	accountID, member string
}

// Member returns the holder of a member's policies.
func (u *Updater) Member(accountID, memberID string) Member {
	return Member{client: u.client, accountID: accountID, member: memberID}
}

var _ Holder[*cfclient.Member] = Member{}

// LockKey is account/member.
func (m Member) LockKey() string { return m.accountID + "/" + m.member }

// AccountID is the member's account.
func (m Member) AccountID() string { return m.accountID }

func (m Member) String() string { return "member " + m.member }

// Get reads the member.
func (m Member) Get(ctx context.Context) (*cfclient.Member, error) {
	return m.client.GetMember(ctx, m.accountID, m.member)
}

// Set replaces the member's policies.
func (m Member) Set(ctx context.Context, policies []cfclient.MemberPolicy) (*cfclient.Member, error) {
	return m.client.UpdateMemberPolicies(ctx, m.accountID, m.member, policies)
}

// Delete removes the membership.
func (m Member) Delete(ctx context.Context) error {
	return m.client.DeleteMember(ctx, m.accountID, m.member)
}

// Policies returns the member's policies.
func (Member) Policies(x *cfclient.Member) []cfclient.MemberPolicy { return x.Policies }

// ErrPolicyGone: the policy an additive writer owns is no longer on the
// holder (removed outside this writer since it last read it).
var ErrPolicyGone = errors.New("the policy is no longer on its holder")

// Change is what one write does to a holder's policies.
type Change struct {
	groups Groups
	// apply returns the policies to write, given those the holder has.
	apply func(ctx context.Context, current []cfclient.MemberPolicy, resolve resolveFunc) ([]cfclient.MemberPolicy, error)
	// adds: the write adds a policy without an ID, and a write cut off by a
	// cancel is settled by looking for a policy that was not there before.
	// Other writes need no settling: the next refresh sees what they did.
	adds bool
	// holds reports whether the holder's policies (current) still carry what
	// a write of this change did, given the policies it read (before) and
	// those its write was answered with (written).
	holds func(before, written, current []cfclient.MemberPolicy) bool
	// again is the change that repairs this one where holds found it undone
	// (nil: the change itself).
	again func(before, written, current []cfclient.MemberPolicy) Change
}

// resolveFunc finds or creates the resource groups of specs (see groupService.resolve).
type resolveFunc func(ctx context.Context, specs []policy.MemberSpec, ids []string) ([]cfclient.MemberPolicy, error)

// Authoritative owns every policy of the holder but those of additive writers
// (IsBindingPolicy), which it writes back as read. A spec that grants the
// same as a policy the holder has keeps that policy's ID.
func Authoritative(specs []policy.MemberSpec) Change {
	return Change{groups: MemberGroups, apply: func(ctx context.Context, current []cfclient.MemberPolicy, resolve resolveFunc) ([]cfclient.MemberPolicy, error) {
		existing := map[string]string{}
		var keep []cfclient.MemberPolicy
		for _, p := range current {
			if IsBindingPolicy(p) {
				keep = append(keep, p)
				continue
			}
			existing[SpecFromAPI(p).Key()] = p.ID
		}
		ids := make([]string, len(specs))
		for i, s := range specs {
			ids[i] = existing[s.Key()]
		}
		policies, err := resolve(ctx, specs, ids)
		if err != nil {
			return nil, err
		}
		return append(policies, keep...), nil
	}, holds: func(_, written, current []cfclient.MemberPolicy) bool {
		return samePolicies(ownedPolicies(written), ownedPolicies(current))
	}}
}

// Additive owns one policy of the holder, found by its ID, with resource
// groups of family g, and keeps every other policy as read: it adds the
// policy (policyID ""), replaces it (keeping its ID) or removes it (spec
// nil). A policyID the holder no longer has fails with ErrPolicyGone.
func Additive(g Groups, policyID string, spec *policy.MemberSpec) Change {
	return Change{groups: g, adds: policyID == "" && spec != nil,
		apply: func(ctx context.Context, current []cfclient.MemberPolicy, resolve resolveFunc) ([]cfclient.MemberPolicy, error) {
			i := Index(current, policyID)
			if (policyID != "" || spec == nil) && i < 0 {
				return nil, ErrPolicyGone
			}
			policies := slices.Clone(current)
			if spec == nil {
				return slices.Delete(policies, i, i+1), nil
			}
			p, err := resolve(ctx, []policy.MemberSpec{*spec}, []string{policyID})
			if err != nil {
				return nil, err
			}
			if i < 0 {
				return append(policies, p[0]), nil
			}
			policies[i] = p[0]
			return policies, nil
		},
		holds: func(before, written, current []cfclient.MemberPolicy) bool {
			id := policyID
			if id == "" {
				id = addedPolicyID(before, written)
			}
			j := Index(current, id)
			if spec == nil {
				i := Index(before, id) // found: the removing write checked
				return j < 0 && (i < 0 || !cameBack(before[i], written, current))
			}
			k := Index(written, id)
			if j < 0 && k >= 0 && policyID == "" {
				// Another process's write from an older read may have put
				// the new policy back under a new ID: that copy is it.
				return copyOf(written[k], before, written, current) >= 0
			}
			return j >= 0 && k >= 0 && samePolicy(current[j], written[k])
		},
		again: func(before, written, current []cfclient.MemberPolicy) Change {
			if spec != nil || Index(current, policyID) >= 0 {
				return Additive(g, policyID, spec)
			}
			// The removed policy came back under a new ID: remove that one.
			if i := Index(before, policyID); i >= 0 {
				for _, p := range current {
					if Index(written, p.ID) < 0 && sameGrants(p, before[i]) {
						return Additive(g, p.ID, nil)
					}
				}
			}
			return Additive(g, policyID, spec)
		}}
}

// Update applies a change to a holder: under the holder's lock, it re-reads
// the holder (a policy another writer added since the last refresh must
// survive), applies the change, writes, and deletes the provider's groups no
// policy uses any more. A write refused because a resource group vanished
// meanwhile (a clean-up elsewhere) is done again, once, from a fresh read.
// Then it checks that no other process's write undid the change, and
// repairs it if one did (verify.go).
func Update[T any](ctx context.Context, u *Updater, h Holder[T], c Change) (T, error) {
	_, after, _, err := update(ctx, u, h, c)
	return after, err
}

// update is Update, also returning the policies the holder had before its
// last write, and those the check read after it (nil without a check).
func update[T any](ctx context.Context, u *Updater, h Holder[T], c Change) ([]cfclient.MemberPolicy, T, []cfclient.MemberPolicy, error) {
	before, after, err := write(ctx, u, h, c)
	if err != nil {
		return nil, after, nil, err
	}
	return verifyWrite(ctx, u, h, c, before, after)
}

// write is one locked read-change-write of update.
func write[T any](ctx context.Context, u *Updater, h Holder[T], c Change) ([]cfclient.MemberPolicy, T, error) {
	var zero T
	acct := h.AccountID()
	defer u.locks.lock(h.LockKey())()
	for attempt := 0; ; attempt++ {
		var picks []*picked // the groups this attempt picked, pinned until its write is answered
		resolve := func(ctx context.Context, specs []policy.MemberSpec, ids []string) ([]cfclient.MemberPolicy, error) {
			policies, p, err := u.groups.resolve(ctx, acct, c.groups, specs, ids)
			picks = append(picks, p)
			return policies, err
		}
		release := func() {
			for _, p := range picks {
				p.release()
			}
		}
		current, err := h.Get(ctx)
		if err != nil {
			return nil, zero, err
		}
		before := h.Policies(current)
		next, err := c.apply(ctx, before, resolve)
		if err != nil {
			release()
			return nil, zero, err
		}
		after, err := h.Set(ctx, next)
		if err != nil && c.adds && ctx.Err() != nil {
			after, err = settleAdd(ctx, h, before, err)
		}
		release()
		if err != nil && attempt == 0 && isUnknownResourceGroup(err) {
			for _, p := range picks {
				p.stale()
			}
			continue
		}
		if err != nil {
			return nil, zero, err
		}
		u.groups.cleanup(ctx, acct, before, h.Policies(after))
		return before, after, nil
	}
}

// settleAdd decides a policy-adding write cut off by a cancelled context
// (Ctrl-C): if the holder now has a policy it did not have before, the write
// took effect and its writer must record it; otherwise the write's error
// stands. The read-back runs on a context of its own (cfclient.SettleContext).
func settleAdd[T any](ctx context.Context, h Holder[T], before []cfclient.MemberPolicy, setErr error) (T, error) {
	var zero T
	ctx, cancel := cfclient.SettleContext(ctx)
	defer cancel()
	after, err := h.Get(ctx)
	if err != nil {
		return zero, setErr
	}
	for _, p := range h.Policies(after) {
		if Index(before, p.ID) < 0 {
			return after, nil
		}
	}
	return zero, setErr
}

// WritePolicy applies Additive(g, policyID, spec) and returns the policy
// written (nil after a removal): the policy with that ID, or the one the
// holder did not have before.
func WritePolicy[T any](ctx context.Context, u *Updater, h Holder[T], g Groups, policyID string, spec *policy.MemberSpec) (*cfclient.MemberPolicy, error) {
	before, after, observed, err := update(ctx, u, h, Additive(g, policyID, spec))
	if err != nil || spec == nil {
		return nil, err
	}
	policies := h.Policies(after)
	if policyID != "" {
		if j := Index(policies, policyID); j >= 0 {
			return &policies[j], nil
		}
		return nil, fmt.Errorf("the API did not keep policy %s of %s", policyID, h)
	}
	j := Index(policies, addedPolicyID(before, policies))
	if j < 0 {
		return nil, fmt.Errorf("the API answered without the new policy of %s", h)
	}
	if observed != nil && Index(observed, policies[j].ID) < 0 {
		// The check found the policy under a new ID (see Additive's holds).
		if k := copyOf(policies[j], before, policies, observed); k >= 0 {
			return &observed[k], nil
		}
	}
	return &policies[j], nil
}

// Create makes a holder with its policies, create being the holder's POST
// (cfclient.CreateMember settles an unknown outcome itself). The policies'
// groups are found or created as for Authoritative; a create refused because
// one of them vanished meanwhile looks them up again, once.
func Create[T any](ctx context.Context, u *Updater, accountID string, specs []policy.MemberSpec,
	create func(ctx context.Context, policies []cfclient.MemberPolicy) (T, error)) (T, error) {
	var zero T
	ids := make([]string, len(specs))
	for attempt := 0; ; attempt++ {
		policies, picked, err := u.groups.resolve(ctx, accountID, MemberGroups, specs, ids)
		if err != nil {
			picked.release()
			return zero, err
		}
		created, err := create(ctx, policies)
		picked.release()
		if err != nil && attempt == 0 && isUnknownResourceGroup(err) {
			picked.stale()
			continue
		}
		return created, err
	}
}

// Delete removes a holder under its lock, then the provider's groups its
// policies used that no policy uses any more. A holder already gone is not
// an error.
func Delete[T any](ctx context.Context, u *Updater, h Holder[T]) error {
	defer u.locks.lock(h.LockKey())()
	current, err := h.Get(ctx)
	if cfclient.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := h.Delete(ctx); err != nil && !cfclient.IsNotFound(err) {
		return err
	}
	u.groups.cleanup(ctx, h.AccountID(), h.Policies(current), nil)
	return nil
}

// isUnknownResourceGroup: the API refused a policy naming a resource group
// that no longer exists (code 1008 in the emulator; a 400 either way).
func isUnknownResourceGroup(err error) bool {
	var e *cfclient.APIError
	return errors.As(err, &e) && e.HasCode(1008)
}
