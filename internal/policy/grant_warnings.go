package policy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The grant warnings: roles the reference pages single out, warned about
// when a change gives them. Whoever holds them (a member, through its own
// policies or a user group's) the rule is the same; only the words differ.

// Grantee says whose grants the warnings are about.
type Grantee int

const (
	// GranteeMember: a member's own policies (cfiam_account_member).
	GranteeMember Grantee = iota
	// GranteeGroup: a user group's policies, which every member of the
	// group holds (cfiam_user_group).
	GranteeGroup
)

// words is how a warning names the grantee: "the member", a member by
// e-mail, or a group's members.
type words struct {
	subject string // who gains: "the member", "member \"a@example.com\""
	makes   string // "makes the member a Super Administrator"
	lacks   string // what follows the PII role's name when it is missing
}

func (g Grantee) words() words {
	if g == GranteeGroup {
		return words{subject: "the group's members", makes: "makes every member of this group a Super Administrator",
			lacks: "which this group does not grant: add \"Cloudflare Zero Trust PII\" to an account-wide policy of the group, " +
				"or its members who do not hold it otherwise will not see what the role is for."}
	}
	return memberWords("the member", "this member")
}

func memberWords(subject, holder string) words {
	return words{subject: subject, makes: "makes " + subject + " a Super Administrator",
		lacks: "which " + holder + " does not hold: add \"Cloudflare Zero Trust PII\" to an account-wide policy, " +
			"or the member will not see what the role is for."}
}

// MemberGrantWarnings warns about grants the reference pages single out, in
// a holder's policies after a change (plan) against before it (prior; nil
// for a new holder): an Email Security role that needs Cloudflare Zero Trust
// PII without it (account-and-domain-roles.txt), a new Super Administrator,
// and roles that newly edit Logpush jobs but not those of the Zero Trust
// datasets (logs-permissions.md). Denied roles grant nothing. elsewhere is
// what a member holds otherwise, through its user groups (HeldRoles), which
// the change leaves as it is: a member who is a Super Administrator through
// a group is not made one by its own policy, and holds the PII role a group
// gives it.
func MemberGrantWarnings(cat *catalog.Catalog, who Grantee, plan, prior []MemberPolicy, elsewhere []catalog.Entry) []Problem {
	now, before := heldRoles(cat, plan), heldRoles(cat, prior)
	for _, e := range elsewhere {
		now[e.Name], before[e.Name] = e, e
	}
	return grantWarnings(now, before, who.words(), Path{Policy: Whole, Attribute: "policies"})
}

// HeldRoles is the roles the grants leave a member account-wide, after
// account-wide denies, by catalog name: what the grant warnings weigh.
func HeldRoles(grants []catalog.Grant) []catalog.Entry {
	var out []catalog.Entry
	for _, g := range catalog.EffectiveAccountRoles(grants) {
		if !slices.ContainsFunc(out, func(e catalog.Entry) bool { return e.Name == g.Role.Name }) {
			out = append(out, g.Role)
		}
	}
	return out
}

// MembershipGrantWarnings warns about the grants that joining user groups
// newly gives members: for each of memberIDs (those the change adds to a
// group), what the member holds in after against what it held in before,
// own policies and every group counted. name says how a member is called
// (an e-mail, where known); at is where the warnings point.
func MembershipGrantWarnings(before, after catalog.AccountAccess, memberIDs []string, role func(id string) (catalog.Entry, bool),
	name func(id string) string, at Path) []Problem {
	var out []Problem
	for _, id := range memberIDs {
		m, ok := after.Member(id)
		if !ok || !m.Accepted {
			continue // a member who has not accepted holds nothing yet
		}
		prior, _ := before.Member(id)
		now := byName(HeldRoles(after.MemberGrants(m, role)))
		was := byName(HeldRoles(before.MemberGrants(prior, role)))
		who := fmt.Sprintf("member %q", name(id))
		for _, p := range grantWarnings(now, was, memberWords(who, who), at) {
			// Joining a group is a change: a PII gap the member had
			// before is not this change's to report.
			if p.Code == CodeNeedsZeroTrustPII && !newPIIGap(now, was) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

func byName(es []catalog.Entry) map[string]catalog.Entry {
	out := make(map[string]catalog.Entry, len(es))
	for _, e := range es {
		out[e.Name] = e
	}
	return out
}

// newPIIGap: does now hold a role that needs Zero Trust PII, without it,
// that before did not leave without it?
func newPIIGap(now, before map[string]catalog.Entry) bool {
	gap := func(held map[string]catalog.Entry) map[string]bool {
		out := map[string]bool{}
		if _, ok := held[catalog.RoleZeroTrustPII]; ok {
			return out
		}
		for name, e := range held {
			if catalog.RequiresZeroTrustPII(e) {
				out[name] = true
			}
		}
		return out
	}
	was := gap(before)
	for name := range gap(now) {
		if !was[name] {
			return true
		}
	}
	return false
}

// grantWarnings is the three warnings on roles held now against before.
func grantWarnings(now, before map[string]catalog.Entry, w words, at Path) []Problem {
	var out []Problem
	_, hasPII := now[catalog.RoleZeroTrustPII]
	for _, name := range slices.Sorted(maps.Keys(now)) {
		e := now[name]
		if catalog.RequiresZeroTrustPII(e) && !hasPII {
			const fix = `Add "Cloudflare Zero Trust PII" to an account-wide policy.`
			out = append(out, Problem{Code: CodeNeedsZeroTrustPII, Severity: Warning, Path: at, Summary: "Role needs Cloudflare Zero Trust PII", Fix: fix,
				Detail: fmt.Sprintf("%q requires the Cloudflare Zero Trust PII role (per Cloudflare's role catalog), %s", e.Name, w.lacks)})
		}
		if _, had := before[name]; catalog.IsSuperAdministrator(e) && !had {
			const fix = "Make sure that is intended."
			out = append(out, Problem{Code: CodeGrantsSuperAdministrator, Severity: Warning, Path: at, Summary: "Grants Super Administrator", Fix: fix,
				Detail: "This change " + w.makes + ", who can edit any setting, manage billing and memberships, " +
					"and revoke other Super Administrators. " + fix})
		}
	}
	if gap := newLogpushGap(now, before); len(gap) > 0 {
		const fix = `If they are to manage them, add "Cloudflare Zero Trust PII" to an account-wide policy.`
		out = append(out, Problem{Code: CodeLogpushZeroTrustGap, Severity: Warning, Path: at,
			Summary: "Logpush for Zero Trust datasets needs Cloudflare Zero Trust PII", Fix: fix,
			Detail: fmt.Sprintf("With %s %s may edit Logpush jobs, but not those of the Zero Trust datasets (Access, Gateway, DEX): "+
				"those need Zero Trust PII Read beside Logs Edit, which only a Super Administrator or the Cloudflare Zero Trust PII "+
				"role gives. %s", catalog.QuoteList(gap, "and"), w.subject, fix)})
	}
	return out
}

// heldRoles is the roles the policies allow, by catalog name.
func heldRoles(cat *catalog.Catalog, policies []MemberPolicy) map[string]catalog.Entry {
	out := map[string]catalog.Entry{}
	for _, in := range policies {
		if in.Unknown || in.Denies() {
			continue
		}
		for _, ref := range in.Roles.refs() {
			if found := cat.Find(catalog.KindRole, ref); len(found) > 0 {
				out[found[0].Name] = found[0]
			}
		}
	}
	return out
}

// newLogpushGap returns the names of the roles that, after this change and
// not before it, edit Logpush jobs but not those of the Zero Trust datasets
// (catalog.LogpushZeroTrustGap): a warning on the change, not on every plan.
func newLogpushGap(now, before map[string]catalog.Entry) []string {
	gapBefore := map[string]bool{}
	for _, e := range catalog.LogpushZeroTrustGap(slices.Collect(maps.Values(before))) {
		gapBefore[e.Name] = true
	}
	var out []string
	for _, e := range catalog.LogpushZeroTrustGap(slices.Collect(maps.Values(now))) {
		if !gapBefore[e.Name] {
			out = append(out, e.Name)
		}
	}
	slices.Sort(out)
	return out
}
