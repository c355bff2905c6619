package emulator

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog/reference"
)

// The oracle of internal/catalog/reference (a table written by hand from
// ../shared/reference/) driven through the emulator's API: what the
// emulator offers and refuses, not what the catalog says. Role and
// permission group IDs are looked up by name in the emulator's own lists.

// oracleRoleIDs returns the emulator's IAM permission groups (member roles)
// named name, by scope.
func oracleRoleIDs(t *testing.T, srv *httptest.Server, name string) map[catalog.Scope]string {
	t.Helper()
	var items []struct {
		ID, Name string
		Meta     struct{ Scopes string }
	}
	mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/iam/permission_groups?per_page=50&name="+url.QueryEscape(name), nil)).result(t, &items)
	out := map[catalog.Scope]string{}
	for _, it := range items {
		s, ok := catalog.ScopeFromKey(it.Meta.Scopes)
		if !ok || it.Name != name {
			t.Fatalf("role %q: unexpected item %+v", name, it)
		}
		out[s] = it.ID
	}
	return out
}

// oracleTokenGroupIDs returns the emulator's API token permission groups named name, by scope.
func oracleTokenGroupIDs(t *testing.T, srv *httptest.Server, name string) map[catalog.Scope]string {
	t.Helper()
	var items []struct {
		ID, Name string
		Scopes   []string
	}
	mustOK(t, api(t, srv, "GET", "/user/tokens/permission_groups?name="+url.QueryEscape(name), nil)).result(t, &items)
	out := map[catalog.Scope]string{}
	for _, it := range items {
		for _, k := range it.Scopes {
			s, ok := catalog.ScopeFromKey(k)
			if !ok || it.Name != name {
				t.Fatalf("permission group %q: unexpected item %+v", name, it)
			}
			out[s] = it.ID
		}
	}
	return out
}

func scopesOf(m map[catalog.Scope]string) []catalog.Scope {
	var out []catalog.Scope
	for s := range m {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func sortedScopes(s []catalog.Scope) []catalog.Scope {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// oracleRG creates a resource group holding the objects of one kind and returns its ID.
func oracleRG(t *testing.T, srv *httptest.Server, name string, s catalog.Scope, ids ...string) string {
	t.Helper()
	var objs []any
	for _, id := range ids {
		objs = append(objs, map[string]any{"key": catalog.ResourceKey(s, id)})
	}
	var out struct{ ID string }
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/iam/resource_groups", map[string]any{"name": name, "scope": map[string]any{
		"key": catalog.ResourceKey(catalog.ScopeAccount, AccountID), "objects": objs}})).result(t, &out)
	return out.ID
}

func oraclePolicy(roleID, rgID string) map[string]any {
	return map[string]any{"access": "allow", "permission_groups": []any{map[string]any{"id": roleID}},
		"resource_groups": []any{map[string]any{"id": rgID}}}
}

// Each role of the table: offered by the emulator at exactly its scopes; a
// member policy giving it on a resource group of its scope is accepted, on
// one of another scope refused (400, 1006). Each permission group: offered
// at exactly its scopes; a token policy granting it on a resource of its
// scope is accepted, on another scope refused (400, 1006) — except a zone
// group on an account resource, which the API reads as every zone of the
// account (groupFits).
func TestReferenceOracleEmulatorScopes(t *testing.T) {
	_, srv := newServer(t)
	rgs := map[catalog.Scope]string{
		catalog.ScopeAccount: AccountResourceGroupID,
		catalog.ScopeZone:    oracleRG(t, srv, "oracle-zone", catalog.ScopeZone, ZoneExampleCom),
		catalog.ScopeTunnel:  oracleRG(t, srv, "oracle-tunnel", catalog.ScopeTunnel, TunnelAppA),
		// Mesh nodes (issue 17) are not on the reference pages; a role of
		// the table must be refused there too.
		catalog.ScopeMeshNode: oracleRG(t, srv, "oracle-mesh-node", catalog.ScopeMeshNode, MeshNodeOfficeA),
		// The five Access kinds (issue 26), on seeded objects.
		catalog.ScopeAccessApplication:      oracleRG(t, srv, "oracle-app", catalog.ScopeAccessApplication, AccessAppA),
		catalog.ScopeAccessIdentityProvider: oracleRG(t, srv, "oracle-idp", catalog.ScopeAccessIdentityProvider, AccessIdentityProviderA),
		catalog.ScopeAccessPolicy:           oracleRG(t, srv, "oracle-policy", catalog.ScopeAccessPolicy, AccessPolicyA),
		catalog.ScopeAccessServiceToken:     oracleRG(t, srv, "oracle-token", catalog.ScopeAccessServiceToken, AccessServiceTokenA),
		catalog.ScopeInfrastructureTarget:   oracleRG(t, srv, "oracle-target", catalog.ScopeInfrastructureTarget, InfrastructureTargetA),
	}
	resources := map[catalog.Scope]map[string]any{
		catalog.ScopeUser:    {catalog.ResourceKey(catalog.ScopeUser, AdminUserID): "*"},
		catalog.ScopeAccount: {catalog.ResourceKey(catalog.ScopeAccount, AccountID): "*"},
		catalog.ScopeZone:    {catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom): "*"},
	}
	n := 0
	member := func(roleID, rgID string) *apiResp {
		n++
		return api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{
			"email": fmt.Sprintf("oracle-%d@example.com", n), "status": "pending", "policies": []any{oraclePolicy(roleID, rgID)}})
	}
	token := func(groupID string, s catalog.Scope) *apiResp {
		return api(t, srv, "POST", "/user/tokens", map[string]any{"name": "oracle", "policies": []any{
			map[string]any{"effect": "allow", "permission_groups": []any{map[string]any{"id": groupID}}, "resources": resources[s]}}})
	}
	for _, r := range reference.Rows {
		t.Run(string(r.Kind)+"/"+r.Name, func(t *testing.T) {
			if r.Kind == catalog.KindRole {
				got := oracleRoleIDs(t, srv, r.Name)
				if !reflect.DeepEqual(scopesOf(got), sortedScopes(r.Scopes)) {
					t.Fatalf("the emulator offers role %q at %v; %s lists it at %v", r.Name, scopesOf(got), r.Source, r.Scopes)
				}
				for _, own := range r.Scopes {
					mustOK(t, member(got[own], rgs[own]))
					for _, s := range catalog.RoleScopes {
						if !slices.Contains(r.Scopes, s) {
							wantErr(t, member(got[own], rgs[s]), 400, codeBadCombination)
						}
					}
				}
				return
			}
			got := oracleTokenGroupIDs(t, srv, r.Name)
			if !reflect.DeepEqual(scopesOf(got), sortedScopes(r.Scopes)) {
				t.Fatalf("the emulator offers permission group %q at %v; %s lists it at %v", r.Name, scopesOf(got), r.Source, r.Scopes)
			}
			for _, own := range r.Scopes {
				mustOK(t, token(got[own], own))
				for _, s := range catalog.PermissionGroupScopes {
					if s == own || own == catalog.ScopeZone && s == catalog.ScopeAccount {
						continue
					}
					wantErr(t, token(got[own], s), 400, codeBadCombination)
				}
			}
		})
	}
}

// The Tunnel matrix: a member holding only a row's grants, with its own
// token, lists exactly the Tunnels it may read, reads those and no other,
// and edits (PATCH) only those the matrix says edit.
func TestReferenceOracleEmulatorTunnels(t *testing.T) {
	e, srv := newServer(t)
	tunnelIDs := map[string]string{reference.TunnelA: TunnelAppA, reference.TunnelB: TunnelAppB}
	zoneRG := oracleRG(t, srv, "oracle-zone", catalog.ScopeZone, ZoneExampleCom)
	tunnelRG := map[string]string{}
	rgFor := func(g reference.TunnelGrant) string {
		switch g.Scope {
		case catalog.ScopeAccount:
			return AccountResourceGroupID
		case catalog.ScopeZone:
			return zoneRG
		}
		var ids []string
		for _, tu := range g.Tunnels {
			ids = append(ids, tunnelIDs[tu])
		}
		key := fmt.Sprint(ids)
		if tunnelRG[key] == "" {
			tunnelRG[key] = oracleRG(t, srv, "oracle-tunnels-"+fmt.Sprint(len(tunnelRG)), catalog.ScopeTunnel, ids...)
		}
		return tunnelRG[key]
	}
	acct := v4 + "/accounts/" + AccountID
	for i, row := range reference.TunnelMatrix {
		var names []string
		var pols []any
		for _, g := range row.Grants {
			n := g.Role + "@" + string(g.Scope)
			if len(g.Tunnels) > 0 {
				n += fmt.Sprint(g.Tunnels)
			}
			names = append(names, n)
			id, ok := oracleRoleIDs(t, srv, g.Role)[g.Scope]
			if !ok {
				t.Fatalf("the emulator has no role %q at %s", g.Role, g.Scope)
			}
			pols = append(pols, oraclePolicy(id, rgFor(g)))
		}
		t.Run(strings.Join(names, "+"), func(t *testing.T) {
			var m struct{ ID string }
			addAccepted(t, srv, map[string]any{
				"email": fmt.Sprintf("tunnel-oracle-%d@example.com", i), "policies": pols}).result(t, &m)
			r := send(t, srv, "POST", "/__emulator/members/"+m.ID+"/token", nil, map[string]string{})
			var tok struct{ Token string }
			if r.Status != 200 || jsonUnmarshal(r.Body, &tok) != nil || tok.Token == "" {
				t.Fatalf("member token: %d %s", r.Status, r.Body)
			}
			h := bearer(tok.Token)
			want := map[string]catalog.Access{TunnelAppA: row.A, TunnelAppB: row.B}
			var readable []string
			for id, a := range want {
				if a >= catalog.AccessRead {
					readable = append(readable, id)
				}
			}
			slices.Sort(readable)
			if got := ids(t, mustOK(t, send(t, srv, "GET", acct+"/cfd_tunnel", nil, h))); !reflect.DeepEqual(got, readable) && len(got)+len(readable) > 0 {
				t.Errorf("lists Tunnels %v, want %v (%s)", got, readable, row.Cite)
			}
			for _, tu := range e.Tunnels(AccountID) {
				get := send(t, srv, "GET", acct+"/cfd_tunnel/"+tu.ID, nil, h)
				patch := send(t, srv, "PATCH", acct+"/cfd_tunnel/"+tu.ID, map[string]any{"name": tu.Name}, h)
				if ok := get.Status == 200; ok != (want[tu.ID] >= catalog.AccessRead) {
					t.Errorf("GET %s: %d, want access %s (%s)", tu.Name, get.Status, want[tu.ID], row.Cite)
				} else if !ok {
					wantErr(t, get, 403, codeAuthError)
				}
				if ok := patch.Status == 200; ok != (want[tu.ID] == catalog.AccessEdit) {
					t.Errorf("PATCH %s: %d, want access %s (%s)", tu.Name, patch.Status, want[tu.ID], row.Cite)
				} else if !ok {
					wantErr(t, patch, 403, codeAuthError)
				}
			}
		})
	}
}
