package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// CheckBindingRoles checks that each of a cfiam_tunnel_binding's roles is a
// resource-scoped Tunnel role, explaining the account and domain roles
// people reach for. With strictIDs false (the embedded catalog, at
// validate), role IDs the catalog lacks pass: only the live catalog can judge
// them. Unknown values are skipped. Paths are the binding's roles attribute.
func CheckBindingRoles(cat *catalog.Catalog, roles Strings, strictIDs bool) []Problem {
	var out []Problem
	tunnelRoles := tunnelRoleChoices(cat)
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
		_, err := cat.ResolveRole(ref, catalog.ScopeTunnel)
		if err == nil {
			continue
		}
		var nf *catalog.NotFoundError
		var ws *catalog.WrongScopeError
		switch {
		case errors.As(err, &ws):
			out = append(out, bindingWrongScope(ws, tunnelRoles, at))
		case errors.As(err, &nf):
			fix := `The cfiam_roles data source with scope = "tunnel" lists them.`
			detail := fmt.Sprintf("No role is named %q.", ref)
			if len(nf.Suggestions) > 0 {
				fix = "Did you mean " + catalog.QuoteList(nf.Suggestions, "or") + "?"
				detail += " " + fix
			}
			detail += " A Tunnel binding takes resource-scoped Tunnel roles: " + tunnelRoles + ". The cfiam_roles data source with scope = \"tunnel\" lists them."
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

// bindingWrongScope explains a role of another scope than Tunnel's: an
// account role that already covers every Tunnel, or one that gives none.
func bindingWrongScope(ws *catalog.WrongScopeError, tunnelRoles string, at Path) Problem {
	e := ws.Found[0]
	p := Problem{Code: CodeRoleWrongScope, Path: at, Summary: "Role used at the wrong scope"}
	switch {
	case e.Scope == catalog.ScopeAccount && catalog.TunnelAccess(e) != catalog.AccessNone:
		p.Code, p.Summary = CodeAccountRoleCoversTunnels, "Account role already covers every Tunnel"
		p.Fix = fmt.Sprintf("Grant account roles in a cfiam_account_member policy; to give access to chosen Tunnels only, use %s here.", tunnelRoles)
		p.Detail = fmt.Sprintf("%q is an account-scoped role: it already gives %s access to every Tunnel of the account, so it cannot be "+
			"bound to chosen Tunnels (granular permissions are a parallel layer to account roles and never narrow them). %s",
			e.Name, catalog.TunnelAccess(e), p.Fix)
	case e.Scope == catalog.ScopeAccount:
		p.Fix = "Account roles are granted in a cfiam_account_member policy."
		p.Detail = fmt.Sprintf("%q is an account-scoped role and gives no access to Tunnels; account roles are granted in a "+
			"cfiam_account_member policy. A Tunnel binding takes resource-scoped Tunnel roles: %s.", e.Name, tunnelRoles)
	case e.Scope == catalog.ScopeZone:
		p.Fix = "Grant it on zones, in a cfiam_account_member policy with zone_ids."
		p.Detail = fmt.Sprintf("%q is a domain-scoped role: grant it on zones, in a cfiam_account_member policy with zone_ids. "+
			"A Tunnel binding takes resource-scoped Tunnel roles: %s.", e.Name, tunnelRoles)
	default:
		p.Fix = "A Tunnel binding takes resource-scoped Tunnel roles: " + tunnelRoles + "."
		p.Detail = fmt.Sprintf("%q is %s. A Tunnel binding takes resource-scoped Tunnel roles: %s.", e.Name, e.Scope.Describe(catalog.KindRole), tunnelRoles)
	}
	return p
}

// tunnelRoleChoices names the catalog's Tunnel roles with the access each gives.
func tunnelRoleChoices(cat *catalog.Catalog) string {
	var parts []string
	for _, e := range cat.InScope(catalog.KindRole, catalog.ScopeTunnel) {
		if a := catalog.TunnelAccess(e); a != catalog.AccessNone {
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
