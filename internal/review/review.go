package review

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// ChangeKind says whether a change gives access or takes it away.
type ChangeKind string

const (
	ChangeGrant  ChangeKind = "grant"
	ChangeRevoke ChangeKind = "revoke"
)

// Change is one grant gained or lost by one principal.
type Change struct {
	Change ChangeKind
	Grant  Grant
	// Escalation is why the grant escalates access, or "".
	Escalation string
	escKind    escalationKind
	// Location is where Grant.Via's block is written, when known.
	Location Location
}

// Location is where a Terraform address's block is written in the
// configuration: a file (slash-separated, relative to the repository or
// configuration root) and the line the block starts on. The zero Location
// is "not known".
type Location struct {
	File string
	Line int
}

// Known reports whether the location names a file.
func (l Location) Known() bool { return l.File != "" && l.Line > 0 }

// Unchanged is how many grants a principal keeps as they were.
type Unchanged struct {
	Principal Principal
	Grants    int
}

// Report is a plan's access diff, in review order.
type Report struct {
	// Changes: escalations (most serious first), then other grants, then revocations.
	Changes []Change
	// LastSuperAdministrator is set when the plan leaves no Super
	// Administrator among the members it manages (also in Findings).
	LastSuperAdministrator *Finding
	Findings               []Finding
	Unchanged              []Unchanged
	// Kept is each grant a principal keeps as it was (Unchanged counts
	// them), for a view that shows them beside the changes.
	Kept []Grant
	// Live says the review counted the account's live members and resource groups.
	Live bool
	// EndState is every grant after the plan (with live mode, the
	// account's): what guardrails and the baseline are held against.
	EndState []Grant
	// Guardrails is how many guardrails the review held the end state against.
	Guardrails int
	// Baseline is what the baseline accepted, when the review had one.
	Baseline *BaselineResult
}

// Escalations returns the changes that escalate access.
func (r *Report) Escalations() []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Escalation != "" {
			out = append(out, c)
		}
	}
	return out
}

// Options tune a review.
type Options struct {
	// Ignore silences findings, each "ADDRESS:CODE".
	Ignore []string
	// Live, when set, is what the account holds beyond the plan.
	Live *Live
	// Locate, when set, says where an address's block is written in the
	// configuration (cmd/cfiam reads the .tf files); findings and changes
	// carry it.
	Locate func(address string) (Location, bool)
	// Guardrails are the rules of a --policy file (guardrails.go).
	Guardrails []Guardrail
	// Baseline, when set, is the approved access (baseline.go).
	Baseline *Baseline
	// Now is the time guardrails and baseline expiries are held against
	// (default: the current time).
	Now time.Time
}

// locate returns the location of address (the first of a comma-separated
// list), or the zero Location.
func (o Options) locate(address string) Location {
	if o.Locate == nil {
		return Location{}
	}
	first, _, _ := strings.Cut(address, ", ")
	if first == "" || first == ViaOutsidePlan {
		return Location{}
	}
	if l, ok := o.Locate(first); ok && l.Known() {
		return l
	}
	return Location{}
}

// Review diffs the access a plan gives before and after, checks its planned
// values, and orders the result for a reviewer.
func Review(cat *catalog.Catalog, p *Plan, opts Options) *Report {
	n := newNames(p)
	n.addLive(opts.Live)
	var before, after []res
	for _, c := range p.Changes {
		if c.Mode == "data" {
			continue
		}
		if c.Before != nil {
			before = append(before, res{c.Address, c.Type, c.Before})
		}
		if c.After != nil {
			after = append(after, res{c.Address, c.Type, c.After})
		}
	}
	counter := 0
	bg, bAccepted, bGroups := expand(cat, p, n, &counter, before)
	ag, aAccepted, aGroups := expand(cat, p, n, &counter, after)
	if opts.Live != nil {
		managed := map[string]bool{}
		for _, g := range append(slices.Clone(bg), ag...) {
			if g.Principal.Kind == PrincipalMember {
				managed[strings.ToLower(g.Principal.Name)] = true
			}
		}
		for who := range bAccepted {
			managed[strings.ToLower(who)] = true
		}
		for who := range aAccepted {
			managed[strings.ToLower(who)] = true
		}
		lb, la, lAccepted := liveGrants(cat, opts.Live, n, managed, planBindingPolicies(p), bGroups, aGroups, &counter)
		bg, ag = append(bg, lb...), append(ag, la...)
		for who, ok := range lAccepted {
			bAccepted[who], aAccepted[who] = ok, ok
		}
	}
	rep := &Report{Live: opts.Live != nil}
	bKeys, aKeys := index(bg), index(ag)
	unchanged := map[Principal]int{}
	for _, g := range dedupe(ag) {
		if _, held := bKeys[g.key()]; held {
			unchanged[g.Principal]++
			rep.Kept = append(rep.Kept, g)
			continue
		}
		kind, why := escalation(g, bg)
		rep.Changes = append(rep.Changes, Change{Change: ChangeGrant, Grant: g, Escalation: why, escKind: kind})
	}
	for _, g := range dedupe(bg) {
		if _, held := aKeys[g.key()]; !held {
			kind, why := liftedDeny(g, ag)
			rep.Changes = append(rep.Changes, Change{Change: ChangeRevoke, Grant: g, Escalation: why, escKind: kind})
		}
	}
	slices.SortStableFunc(rep.Changes, compareChanges)
	for pr, k := range unchanged {
		rep.Unchanged = append(rep.Unchanged, Unchanged{pr, k})
	}
	slices.SortFunc(rep.Unchanged, func(a, b Unchanged) int { return cmp.Compare(a.Principal.String(), b.Principal.String()) })

	x := &expander{cat: cat, plan: p, names: n, n: &counter}
	for _, r := range after {
		rep.Findings = append(rep.Findings, check(cat, x, r)...)
	}
	if f := lastSuperAdministrator(cat, bg, ag, bAccepted, aAccepted, rep.Changes, rep.Live); f != nil {
		rep.Findings = append(rep.Findings, *f)
	}
	rep.EndState, rep.Guardrails = ag, len(opts.Guardrails)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	rep.Findings = append(rep.Findings, checkGuardrails(opts.Guardrails, ag, rep.Changes, endTokens(after), now)...)
	if opts.Baseline != nil {
		fs, res := checkBaseline(opts.Baseline, ag, now)
		rep.Findings, rep.Baseline = append(rep.Findings, fs...), &res
	}
	rep.Findings = slices.DeleteFunc(rep.Findings, func(f Finding) bool {
		return slices.ContainsFunc(opts.Ignore, func(ig string) bool { return strings.EqualFold(ig, f.Address+":"+string(f.Code)) })
	})
	for i := range rep.Findings {
		rep.Findings[i].Location = opts.locate(rep.Findings[i].Address)
	}
	for i := range rep.Changes {
		rep.Changes[i].Location = opts.locate(rep.Changes[i].Grant.Via)
	}
	for i := range rep.Findings {
		if rep.Findings[i].Code == CodeLosesLastSuperAdministrator {
			rep.LastSuperAdministrator = &rep.Findings[i]
		}
	}
	return rep
}

func index(gs []Grant) map[string]struct{} {
	out := make(map[string]struct{}, len(gs))
	for _, g := range gs {
		out[g.key()] = struct{}{}
	}
	return out
}

// dedupe keeps the first grant of each key: the same access from two
// places (a direct policy and a group) is one grant.
func dedupe(gs []Grant) []Grant {
	seen := map[string]bool{}
	var out []Grant
	for _, g := range gs {
		if !seen[g.key()] {
			seen[g.key()] = true
			out = append(out, g)
		}
	}
	return out
}

// rank orders changes: escalations by seriousness, then other grants, then revocations.
func (c Change) rank() int {
	switch {
	case c.escKind != notEscalation:
		return int(c.escKind)
	case c.Change == ChangeGrant:
		return 100
	}
	return 200
}

func compareChanges(a, b Change) int {
	return cmp.Or(
		cmp.Compare(a.rank(), b.rank()),
		cmp.Compare(a.Grant.Principal.String(), b.Grant.Principal.String()),
		cmp.Compare(a.Grant.Role(), b.Grant.Role()),
		cmp.Compare(a.Grant.Scope.String(), b.Grant.Scope.String()),
	)
}

// lastSuperAdministrator asks the catalog's rule whether the plan's members
// lose their last Super Administrator.
func lastSuperAdministrator(cat *catalog.Catalog, before, after []Grant, bAccepted, aAccepted map[string]bool, changes []Change, live bool) *Finding {
	role := func(id string) (catalog.Entry, bool) { return cat.ByID(id) }
	b, a := accountAccess(before, bAccepted), accountAccess(after, aAccepted)
	if !b.LosesLastSuperAdministrator(a, role) {
		return nil
	}
	var vias []string
	for _, c := range changes {
		if c.Change == ChangeRevoke && catalog.IsSuperAdministrator(c.Grant.Entry) && !slices.Contains(vias, c.Grant.Via) {
			vias = append(vias, c.Grant.Via)
		}
	}
	const fix = "Keep at least one accepted member with Super Administrator - All Privileges account-wide."
	who := "no member it manages"
	if live {
		who = "no member of the account"
	}
	return &Finding{Code: CodeLosesLastSuperAdministrator, Blocking: true, Address: strings.Join(vias, ", "),
		Message: "After this plan, " + who + " holds Super Administrator - All Privileges account-wide: " +
			"whoever holds it today loses it, and only a Super Administrator can manage memberships. " + fix, Fix: fix}
}

// accountAccess is the members of one side of the plan as the catalog reads
// an account: each member's grants (its groups' included) as policies.
func accountAccess(gs []Grant, accepted map[string]bool) catalog.AccountAccess {
	var out catalog.AccountAccess
	byMember := map[string]int{}
	for _, g := range gs {
		if g.Principal.Kind != PrincipalMember || g.Kind != catalog.KindRole || g.Entry.ID == "" || !g.known() {
			continue
		}
		var key string
		switch g.Scope.Kind {
		case ScopeAccount:
			key = catalog.ResourceKey(catalog.ScopeAccount, g.Scope.ID)
		case ScopeZone:
			key = catalog.ResourceKey(catalog.ScopeZone, g.Scope.ID)
		default:
			if !catalog.Scope(g.Scope.Kind).ResourceScoped() {
				continue // a resource group whose objects the plan does not say
			}
			key = catalog.ResourceKey(catalog.Scope(g.Scope.Kind), g.Scope.ID)
		}
		i, ok := byMember[g.Principal.Name]
		if !ok {
			i = len(out.Members)
			byMember[g.Principal.Name] = i
			isAccepted, seen := accepted[g.Principal.Name]
			out.Members = append(out.Members, catalog.AccountMember{ID: g.Principal.Name, Accepted: isAccepted || !seen})
		}
		m := &out.Members[i]
		m.Policies = append(m.Policies, catalog.APIPolicy{Access: g.Access, RoleIDs: []string{g.Entry.ID}, ResourceGroups: [][]string{{key}}})
	}
	return out
}
