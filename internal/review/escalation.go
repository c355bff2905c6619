package review

import (
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The kinds of escalation, most serious first: the order a review lists them in.
type escalationKind int

const (
	notEscalation escalationKind = iota
	escSuperAdministrator
	escAdministrator
	escManagesMembersOrTokens
	escTokenEditsTokensOrMembers
	escWidened
)

// managing are the operations that hand out access: whoever may do them can
// grant themselves or others more.
var managing = []catalog.Operation{catalog.OpMembersWrite, catalog.OpAccountTokensWrite, catalog.OpTokensWrite}

// escalation says whether a grant gained escalates access, and why. before is
// every grant the plan's principals held before it. This is the one
// definition of an escalation: a review lists these first.
func escalation(g Grant, before []Grant) (escalationKind, string) {
	if g.Access != string(catalog.EffectAllow) {
		return notEscalation, ""
	}
	if kind, why := entryEscalation(g.Entry); kind != notEscalation {
		return kind, why
	}
	if g.Scope.Broad() && widens(g, before) {
		return escWidened, "widened to " + g.Scope.String()
	}
	return notEscalation, ""
}

// Escalates says why holding the role or permission group e (allowed) lets
// its holder take more access, "" when it does not: the escalation rule
// without widening, which needs a before. `cfiam access` marks grants held
// with it.
func Escalates(e catalog.Entry) string {
	_, why := entryEscalation(e)
	return why
}

// entryEscalation is the rule on the role or permission group alone.
func entryEscalation(e catalog.Entry) (escalationKind, string) {
	switch {
	case catalog.IsSuperAdministrator(e):
		return escSuperAdministrator, "Super Administrator"
	case e.Kind == catalog.KindRole && e.Scope == catalog.ScopeAccount && strings.EqualFold(e.Name, "Administrator"):
		return escAdministrator, "Administrator"
	case e.Kind == catalog.KindRole && slices.ContainsFunc(catalog.RoleOperations(e), isManaging):
		return escManagesMembersOrTokens, "role manages members or tokens"
	case e.Kind == catalog.KindPermissionGroup && slices.ContainsFunc(catalog.OperationsOf(e), isManaging):
		return escTokenEditsTokensOrMembers, "permission group edits tokens or members"
	}
	return notEscalation, ""
}

// liftedDeny says whether revoking a deny escalates access: the principal is
// left an allow of the same role or permission group, so the revoke gives
// it, and that allow is an escalation (escalation's kinds, widening aside:
// the allow's scope does not change).
func liftedDeny(g Grant, after []Grant) (escalationKind, string) {
	if g.Access != string(catalog.EffectDeny) {
		return notEscalation, ""
	}
	for _, a := range after {
		if a.Principal != g.Principal || a.Access != string(catalog.EffectAllow) || !sameEntry(a, g) {
			continue
		}
		if kind, why := escalation(a, nil); kind != notEscalation && kind != escWidened {
			return kind, why + ", a deny on it lifted"
		}
	}
	return notEscalation, ""
}

// sameEntry: do two grants name the same role or permission group?
func sameEntry(a, b Grant) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Entry.ID != "" && b.Entry.ID != "" {
		return strings.EqualFold(a.Entry.ID, b.Entry.ID)
	}
	return a.Ref != "" && strings.EqualFold(a.Ref, b.Ref)
}

func isManaging(op catalog.Operation) bool { return slices.Contains(managing, op) }

// widens reports whether the principal held, before, only grants on chosen
// objects (zones, Tunnels, resource groups), none account-wide or on every zone.
func widens(g Grant, before []Grant) bool {
	narrower := false
	for _, b := range before {
		if b.Principal != g.Principal || b.Access != string(catalog.EffectAllow) {
			continue
		}
		if b.Scope.Broad() {
			return false
		}
		narrower = narrower || b.Scope.Narrow()
	}
	return narrower
}
