package catalog_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog/reference"
)

// The oracle: reference.Rows, written by hand from ../shared/reference/,
// against the embedded catalog. Each row's name resolves at each of its
// scopes with its kind and its exact spelling, and at no other scope of its
// kind (*catalog.WrongScopeError); the scopes at which the catalog holds the
// name, over both kinds, are exactly the table's.
func TestReferenceOracleCatalog(t *testing.T) {
	cat := catalog.Embedded()
	if len(reference.Rows) < 40 {
		t.Fatalf("the hand table has %d rows, want at least 40", len(reference.Rows))
	}
	type ks struct {
		k catalog.Kind
		s catalog.Scope
	}
	want := map[string][]ks{} // lower-cased name -> every (kind, scope) the table lists
	for _, r := range reference.Rows {
		for _, s := range r.Scopes {
			want[strings.ToLower(r.Name)] = append(want[strings.ToLower(r.Name)], ks{r.Kind, s})
		}
	}
	for _, r := range reference.Rows {
		t.Run(string(r.Kind)+"/"+r.Name, func(t *testing.T) {
			all := catalog.RoleScopes
			if r.Kind == catalog.KindPermissionGroup {
				all = catalog.PermissionGroupScopes
			}
			for _, s := range all {
				e, err := cat.Resolve(r.Kind, r.Name, s)
				if !slices.Contains(r.Scopes, s) {
					var ws *catalog.WrongScopeError
					if !errors.As(err, &ws) {
						t.Errorf("at %s: want a wrong-scope error (%s lists it at %v), got %+v, %v", s, r.Source, r.Scopes, e, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("at %s: %v (%s lists it there)", s, err, r.Source)
					continue
				}
				if e.Name != r.Name || e.Kind != r.Kind || e.Scope != s {
					t.Errorf("at %s: got %q, %s, %s", s, e.Name, e.Kind, e.Scope)
				}
				if got, ok := cat.ByID(e.ID); !ok || got != e {
					t.Errorf("at %s: ByID(%s) = %+v, %v", s, e.ID, got, ok)
				}
			}
			_, err := cat.Resolve(r.Kind, r.Name, "")
			var amb *catalog.AmbiguousError
			if len(r.Scopes) > 1 != errors.As(err, &amb) {
				t.Errorf("with no scope: %v (the table lists %v)", err, r.Scopes)
			}
			var got []ks
			for _, k := range []catalog.Kind{catalog.KindRole, catalog.KindPermissionGroup} {
				for _, e := range cat.Find(k, r.Name) {
					got = append(got, ks{e.Kind, e.Scope})
				}
			}
			w := want[strings.ToLower(r.Name)]
			if len(got) != len(w) || !containsAll(w, got) {
				t.Errorf("the catalog holds %q as %v; the pages as %v", r.Name, got, w)
			}
		})
	}
}

func containsAll[T comparable](set, items []T) bool {
	for _, it := range items {
		if !slices.Contains(set, it) {
			return false
		}
	}
	return true
}

// Every name the pages list at two scopes is in reference.Twins with both
// scopes in the table, and the catalog has no other name at two scopes of
// one kind (a name the generator put at a second scope by mistake).
func TestReferenceOracleTwins(t *testing.T) {
	cat := catalog.Embedded()
	for _, n := range reference.Twins {
		i := slices.IndexFunc(reference.Rows, func(r reference.Row) bool { return r.Name == n && len(r.Scopes) == 2 })
		if i < 0 {
			t.Errorf("twin %q has no two-scope row in the table", n)
		}
	}
	for _, k := range []catalog.Kind{catalog.KindRole, catalog.KindPermissionGroup} {
		seen := map[string]bool{}
		for _, e := range cat.Entries(k) {
			if seen[e.Name] {
				continue
			}
			seen[e.Name] = true
			if sc := cat.ScopesOf(k, e.Name); len(sc) > 1 && !slices.Contains(reference.Twins, e.Name) {
				t.Errorf("the catalog has %s %q at %v; the pages list it at one scope", k, e.Name, sc)
			}
		}
	}
}

// The size of each of the pages' tables, counted by hand, against the catalog.
func TestReferenceOracleCounts(t *testing.T) {
	cat := catalog.Embedded()
	for k, byScope := range reference.Counts {
		for s, n := range byScope {
			if got := len(cat.InScope(k, s)); got != n {
				t.Errorf("%s at %s: the catalog has %d, the pages %d", k, s, got, n)
			}
		}
	}
}

// The Tunnel access matrix, by hand from tunnel-granular-permissions.txt and
// the role descriptions, against EffectiveTunnelAccess (and, for account
// roles, TunnelAccess and AccountTunnelAccess). And the other way round: no
// role of the catalog gives Tunnel access unless the matrix says so.
func TestReferenceOracleTunnelMatrix(t *testing.T) {
	cat := catalog.Embedded()
	ids := map[string]string{reference.TunnelA: "tunnel-a", reference.TunnelB: "tunnel-b"}
	covering := map[string]catalog.Access{} // role name -> access, as the matrix says
	for _, row := range reference.TunnelMatrix {
		var grants []catalog.Grant
		var names []string
		for _, g := range row.Grants {
			e, err := cat.ResolveRole(g.Role, g.Scope)
			if err != nil {
				t.Fatal(err)
			}
			gr := catalog.Grant{Effect: catalog.EffectAllow, Role: e, Scope: g.Scope, ResourceIDs: []string{"acct"}}
			switch g.Scope {
			case catalog.ScopeZone:
				gr.ResourceIDs = []string{"zone-1"}
			case catalog.ScopeTunnel:
				gr.ResourceIDs = nil
				for _, tu := range g.Tunnels {
					gr.ResourceIDs = append(gr.ResourceIDs, ids[tu])
				}
			}
			grants = append(grants, gr)
			names = append(names, g.Role+"@"+string(g.Scope))
		}
		t.Run(strings.Join(names, "+"), func(t *testing.T) {
			eff := catalog.EffectiveTunnelAccess(grants, []string{ids[reference.TunnelA], ids[reference.TunnelB]})
			if a, b := eff[ids[reference.TunnelA]].Access, eff[ids[reference.TunnelB]].Access; a != row.A || b != row.B {
				t.Errorf("Tunnel A %s, B %s; the pages: A %s, B %s (%s)", a, b, row.A, row.B, row.Cite)
			}
			if len(row.Grants) == 1 {
				g := row.Grants[0]
				e, _ := cat.ResolveRole(g.Role, g.Scope)
				want := max(row.A, row.B)
				if g.Scope == catalog.ScopeZone {
					want = catalog.AccessNone
				}
				if got := catalog.TunnelAccess(e); got != want {
					t.Errorf("TunnelAccess(%s) = %s, want %s (%s)", g.Role, got, want, row.Cite)
				}
				if g.Scope == catalog.ScopeAccount {
					if got := catalog.AccountTunnelAccess(grants).Access; got != row.A {
						t.Errorf("AccountTunnelAccess = %s, want %s", got, row.A)
					}
				}
				covering[strings.ToLower(g.Role)] = want
			}
		})
	}
	for _, e := range cat.Roles() {
		if a := catalog.TunnelAccess(e); a != catalog.AccessNone {
			if w, ok := covering[strings.ToLower(e.Name)]; !ok || w != a {
				t.Errorf("the catalog gives %s %s access to Tunnels; the matrix says %s", e.Name, a, w)
			}
		}
	}
}
