package accessreport

import (
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

// Changes, for `cfiam review --format html`: what a plan does to a grant.
const (
	ChangeGained    = "gained"
	ChangeLost      = "lost"
	ChangeUnchanged = "unchanged"
)

// FromReview lists a review's grants as rows of the HTML view: each grant
// gained or lost, with the review's escalation (widening included), and
// each grant kept as it was. Rows come in Sort's order, escalations first.
func FromReview(rep *review.Report) []Grant {
	var out []Grant
	for _, c := range rep.Changes {
		change := ChangeGained
		if c.Change == review.ChangeRevoke {
			change = ChangeLost
		}
		g := fromReviewGrant(c.Grant, change)
		g.Escalation = c.Escalation
		out = append(out, g)
	}
	for _, g := range rep.Kept {
		out = append(out, fromReviewGrant(g, ChangeUnchanged))
	}
	Sort(out)
	return out
}

// fromReviewGrant says a review's grant as a row: the Terraform address it
// comes through is its policy, the path principal → group → address → role
// → object.
func fromReviewGrant(g review.Grant, change string) Grant {
	r := Grant{Principal: g.Principal.Name, PrincipalKind: KindMember, Role: g.Role(), RoleKind: "role",
		Effect: g.Access, Policy: g.Via, Group: g.Group, Change: change}
	if g.Kind == catalog.KindPermissionGroup {
		r.RoleKind = "permission_group"
	}
	switch g.Principal.Kind {
	case review.PrincipalGroup:
		r.PrincipalKind = KindGroup
	case review.PrincipalToken:
		r.PrincipalKind = KindUserToken
		if strings.Contains(g.Via, "account_token.") {
			r.PrincipalKind = KindAccountToken
		}
	}
	r.Scope, r.ObjectID, r.ObjectName = reviewScope(g.Scope)
	path := []string{strings.ReplaceAll(r.PrincipalKind, "_", " ") + " " + r.Principal}
	switch {
	case g.Group != "":
		r.Held, r.Via = HeldGroup, "group "+quote(g.Group)+" "+g.Via
		path = append(path, "group "+g.Group)
	case r.PrincipalKind == KindAccountToken || r.PrincipalKind == KindUserToken:
		r.Held, r.Via = HeldToken, g.Via
	case g.Binding():
		r.Held, r.Via = HeldBinding, g.Via
	default:
		r.Held, r.Via = HeldDirect, g.Via
	}
	r.Path = append(path, g.Via, r.RoleKind+" "+r.Role, r.Where())
	return r
}

// reviewScope names a review's scope as the access report does: the scope
// kind (zone, tunnel, ...), the object's ID and its name (the ID where the
// plan names none).
func reviewScope(s review.Scope) (scope, id, name string) {
	name = s.Name
	if name == "" {
		name = s.ID
	}
	switch s.Kind {
	case review.ScopeUnknown:
		return "object", "", review.KnownAfterApply
	case review.ScopeAllZones:
		if s.ID == "" {
			return string(catalog.ScopeZone), "*", "all zones"
		}
		return string(catalog.ScopeZone), "*", "all zones of account " + name
	case review.ScopeUser:
		return "user", s.ID, "(the token's user)"
	case review.ScopeResourceGroup:
		return "resource_group", s.ID, name
	}
	if name == "" {
		name = review.KnownAfterApply
	}
	return string(s.Kind), s.ID, name
}
