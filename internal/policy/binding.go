package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// BindingKind is what a binding resource binds roles to: one resource kind
// (a row of catalog's kinds table), and the words its problems use.
type BindingKind struct {
	Scope    catalog.Scope
	Binding  string // "A Tunnel binding"
	RoleWord string // "resource-scoped Tunnel roles"
	Objects  string // "Tunnel", singular, capitalised as Cloudflare does: "every Tunnel"
	Plural   string // "Tunnels"
	// CoversAll is the code of an account role that already covers every
	// resource of the kind: "account_role_covers_every_<scope>".
	CoversAll Code
}

// BindingKindOf is the binding kind of a resource kind's scope.
func BindingKindOf(s catalog.Scope) BindingKind {
	k, _ := catalog.KindOf(s)
	art := "A"
	if strings.ContainsRune("AEIOU", rune(k.Short[0]&^0x20)) {
		art = "An"
	}
	return BindingKind{Scope: s, Binding: art + " " + k.Short + " binding", RoleWord: "resource-scoped " + k.Short + " roles",
		Objects: k.Short, Plural: k.Nouns, CoversAll: Code("account_role_covers_every_" + string(s))}
}

// CheckBindingRolesOf checks that each of a binding's roles is a
// resource-scoped role of the binding's kind, explaining the account and
// domain roles people reach for, and the roles of the other resource-scoped
// kind. With strictIDs false (the embedded catalog, at validate), role IDs
// the catalog lacks pass: only the live catalog can judge them. Unknown
// values are skipped. Paths are the binding's roles attribute.
func CheckBindingRolesOf(k BindingKind, cat *catalog.Catalog, roles Strings, strictIDs bool) []Problem {
	var out []Problem
	choices := scopedRoleChoices(cat, k.Scope)
	for _, el := range roles.Elems {
		if el.State != Known {
			continue
		}
		ref := el.Value
		at := Path{Policy: Whole, Attribute: "roles", Element: ref}
		if !strictIDs && isHexID(ref) {
			if _, known := cat.ByID(ref); !known {
				continue
			}
		}
		_, err := cat.ResolveRole(ref, k.Scope)
		if err == nil {
			continue
		}
		var nf *catalog.NotFoundError
		var ws *catalog.WrongScopeError
		switch {
		case errors.As(err, &ws):
			out = append(out, bindingWrongScope(k, ws, choices, at))
		case errors.As(err, &nf):
			lists := fmt.Sprintf("The cfiam_roles data source with scope = %q lists them.", k.Scope)
			fix := lists
			detail := fmt.Sprintf("No role is named %q.", ref)
			if len(nf.Suggestions) > 0 {
				fix = "Did you mean " + catalog.QuoteList(nf.Suggestions, "or") + "?"
				detail += " " + fix
			}
			detail += fmt.Sprintf(" %s takes %s: %s. %s", k.Binding, k.RoleWord, choices, lists)
			if !strictIDs {
				detail += " This check uses the catalog built into the provider; a role newer than it can be named by ID, " +
					"and is then checked against the account's live catalog at plan."
			}
			out = append(out, Problem{Code: CodeUnknownRole, Path: at, Summary: "Unknown role", Detail: detail, Fix: fix})
		default:
			out = append(out, Problem{Code: catalog.CodeInvalidRole, Path: at, Summary: "Invalid role", Detail: err.Error()})
		}
	}
	return out
}

// bindingWrongScope explains a role of another scope than the binding's: an
// account role that already covers every resource of the kind, or one that
// gives none, a domain role, or a role of the other resource-scoped kind.
func bindingWrongScope(k BindingKind, ws *catalog.WrongScopeError, choices string, at Path) Problem {
	e := ws.Found[0]
	p := Problem{Code: CodeRoleWrongScope, Path: at, Summary: "Role used at the wrong scope"}
	takes := fmt.Sprintf("%s takes %s: %s.", k.Binding, k.RoleWord, choices)
	switch {
	case e.Scope == catalog.ScopeAccount && catalog.ResourceAccess(e, k.Scope) != catalog.AccessNone:
		p.Code, p.Summary = k.CoversAll, "Account role already covers every "+k.Objects
		p.Fix = fmt.Sprintf("Grant account roles in a cfiam_account_member policy; to give access to chosen %s only, use %s here.", k.Plural, choices)
		p.Detail = fmt.Sprintf("%q is an account-scoped role: it already gives %s access to every %s of the account, so it cannot be "+
			"bound to chosen %s (granular permissions are a parallel layer to account roles and never narrow them). %s",
			e.Name, catalog.ResourceAccess(e, k.Scope), k.Objects, k.Plural, p.Fix)
	case e.Scope == catalog.ScopeAccount:
		p.Fix = "Account roles are granted in a cfiam_account_member policy."
		p.Detail = fmt.Sprintf("%q is an account-scoped role and gives no access to %s; account roles are granted in a "+
			"cfiam_account_member policy. %s", e.Name, k.Plural, takes)
	case e.Scope == catalog.ScopeZone:
		p.Fix = "Grant it on zones, in a cfiam_account_member policy with zone_ids."
		p.Detail = fmt.Sprintf("%q is a domain-scoped role: grant it on zones, in a cfiam_account_member policy with zone_ids. %s", e.Name, takes)
	case e.Scope.ResourceScoped():
		p.Code, p.Summary = CodeRoleKindNotNamed, "Role applies to another kind of resource"
		p.Fix = fmt.Sprintf("Bind it with %s (%s), or use %s here.", catalog.BindingResource(e.Scope), catalog.IDsAttribute(e.Scope), choices)
		p.Detail = fmt.Sprintf("%q is %s, and this binding names %s only. %s", e.Name, e.Scope.Describe(catalog.KindRole), k.Plural, p.Fix)
	default:
		p.Fix = takes
		p.Detail = fmt.Sprintf("%q is %s. %s", e.Name, e.Scope.Describe(catalog.KindRole), takes)
	}
	return p
}

// scopedRoleChoices names the catalog's roles of scope s with the access each gives.
func scopedRoleChoices(cat *catalog.Catalog, s catalog.Scope) string {
	var parts []string
	for _, e := range cat.InScope(catalog.KindRole, s) {
		if a := catalog.ResourceAccess(e, s); a != catalog.AccessNone {
			parts = append(parts, fmt.Sprintf("%q (%s)", e.Name, a))
		} else {
			parts = append(parts, fmt.Sprintf("%q", e.Name))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "(none in this catalog)"
	}
	return strings.Join(parts, " or ")
}
