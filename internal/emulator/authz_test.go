package emulator

import (
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

const v4 = "/client/v4"

// role is a role of the embedded catalog (the independent expectation).
func role(t *testing.T, name string, s catalog.Scope) catalog.Entry {
	t.Helper()
	e, err := catalog.Embedded().ResolveRole(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newRG creates a resource group on these object keys and returns its ID.
func newRG(t *testing.T, srv *httptest.Server, name string, keys ...string) string {
	t.Helper()
	objs := []any{}
	for _, k := range keys {
		objs = append(objs, map[string]any{"key": k})
	}
	r := mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/iam/resource_groups", map[string]any{"name": name,
		"scope": map[string]any{"key": catalog.ResourceKey(catalog.ScopeAccount, AccountID), "objects": objs}}))
	var out struct{ ID string }
	r.result(t, &out)
	return out.ID
}

type pol struct {
	access string
	roles  []catalog.Entry
	rg     string
}

// newMember creates a member (as the admin) with these policies and returns
// its ID and a token acting as it.
func newMember(t *testing.T, srv *httptest.Server, email, status string, pols ...pol) (string, map[string]string) {
	t.Helper()
	var ps []any
	for _, p := range pols {
		var pgs []any
		for _, r := range p.roles {
			pgs = append(pgs, map[string]any{"id": r.ID})
		}
		ps = append(ps, map[string]any{"access": p.access, "permission_groups": pgs, "resource_groups": []any{map[string]any{"id": p.rg}}})
	}
	// An accepted member is invited, then accepts: the emulator refuses a
	// direct add as accepted, as Cloudflare does.
	invite := status
	if status == "accepted" {
		invite = "pending"
	}
	r := mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": email, "status": invite, "policies": ps}))
	var m struct{ ID string }
	r.result(t, &m)
	if status == "accepted" {
		acceptInvite(t, srv, m.ID)
	}
	tr := send(t, srv, "POST", "/__emulator/members/"+m.ID+"/token", nil, map[string]string{})
	var tok struct{ Token string }
	if err := jsonUnmarshal(tr.Body, &tok); err != nil || tok.Token == "" {
		t.Fatalf("member token: %s", tr.Body)
	}
	return m.ID, bearer(tok.Token)
}

func ids(t *testing.T, r *apiResp) []string {
	t.Helper()
	var items []map[string]any
	r.result(t, &items)
	var out []string
	for _, it := range items {
		id, ok := it["id"].(string)
		if !ok {
			t.Fatalf("item without a string id: %v", it)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// The member matrix: each case asserted through HTTP with the member's own
// token and against catalog.EffectiveTunnelAccess on the same grants.
// Expectations come from tunnel-granular-permissions.txt and the roles page.
func TestMemberTunnelMatrix(t *testing.T) {
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	read := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel)
	admin := role(t, catalog.RoleTunnelAdmin, catalog.ScopeTunnel)
	tunnelKey := func(id string) string { return catalog.ResourceKey(catalog.ScopeTunnel, id) }
	acctGrant := func(eff catalog.Effect, r catalog.Entry) catalog.Grant {
		return catalog.Grant{Effect: eff, Role: r, Scope: catalog.ScopeAccount, ResourceIDs: []string{AccountID}}
	}
	tunGrant := func(eff catalog.Effect, r catalog.Entry, id string) catalog.Grant {
		return catalog.Grant{Effect: eff, Role: r, Scope: catalog.ScopeTunnel, ResourceIDs: []string{id}}
	}
	type tunnelPol struct {
		access string
		role   catalog.Entry
		tunnel string // "" = account-wide
	}
	for _, tc := range []struct {
		name         string
		status       string
		pols         []tunnelPol
		grants       []catalog.Grant // the same grants, for the pure function
		wantA, wantB catalog.Access
	}{
		{"account role only", "accepted", []tunnelPol{{"allow", access, ""}},
			[]catalog.Grant{acctGrant(catalog.EffectAllow, access)}, catalog.AccessEdit, catalog.AccessEdit},
		{"Tunnel read role only", "accepted", []tunnelPol{{"allow", read, TunnelAppA}},
			[]catalog.Grant{tunGrant(catalog.EffectAllow, read, TunnelAppA)}, catalog.AccessRead, catalog.AccessNone},
		{"Tunnel admin role only", "accepted", []tunnelPol{{"allow", admin, TunnelAppA}},
			[]catalog.Grant{tunGrant(catalog.EffectAllow, admin, TunnelAppA)}, catalog.AccessEdit, catalog.AccessNone},
		{"both", "accepted", []tunnelPol{{"allow", access, ""}, {"allow", read, TunnelAppA}},
			[]catalog.Grant{acctGrant(catalog.EffectAllow, access), tunGrant(catalog.EffectAllow, read, TunnelAppA)},
			catalog.AccessEdit, catalog.AccessEdit},
		{"deny removes a Tunnel", "accepted", []tunnelPol{{"allow", access, ""}, {"deny", admin, TunnelAppB}},
			[]catalog.Grant{acctGrant(catalog.EffectAllow, access), tunGrant(catalog.EffectDeny, admin, TunnelAppB)},
			catalog.AccessEdit, catalog.AccessNone},
		{"none", "accepted", []tunnelPol{{"allow", minimal, ""}},
			[]catalog.Grant{acctGrant(catalog.EffectAllow, minimal)}, catalog.AccessNone, catalog.AccessNone},
		{"pending member", "pending", []tunnelPol{{"allow", access, ""}},
			nil, catalog.AccessNone, catalog.AccessNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The pure function first: the expectations hold for the catalog itself.
			pure := catalog.EffectiveTunnelAccess(tc.grants, []string{TunnelAppA, TunnelAppB})
			if pure[TunnelAppA].Access != tc.wantA || pure[TunnelAppB].Access != tc.wantB {
				t.Fatalf("EffectiveTunnelAccess: A=%s B=%s, want A=%s B=%s", pure[TunnelAppA].Access, pure[TunnelAppB].Access, tc.wantA, tc.wantB)
			}

			e, srv := newServer(t)
			var ps []pol
			for _, p := range tc.pols {
				rg := AccountResourceGroupID
				if p.tunnel != "" {
					rg = newRG(t, srv, "rg-"+p.tunnel, tunnelKey(p.tunnel))
				}
				ps = append(ps, pol{p.access, []catalog.Entry{p.role}, rg})
			}
			_, h := newMember(t, srv, "m@example.com", tc.status, ps...)
			acct := v4 + "/accounts/" + AccountID

			// Listings hold exactly the Tunnels (and their routes) readable by the pure function.
			var wantTunnels, wantRoutes []string
			for _, x := range []struct{ tun, route string }{{TunnelAppA, RouteAppA}, {TunnelAppB, RouteAppB}} {
				if pure[x.tun].Access >= catalog.AccessRead {
					wantTunnels = append(wantTunnels, x.tun)
					wantRoutes = append(wantRoutes, x.route)
				}
			}
			lt := send(t, srv, "GET", acct+"/cfd_tunnel", nil, h)
			lr := send(t, srv, "GET", acct+"/teamnet/routes", nil, h)
			if tc.status == "pending" {
				wantErr(t, lt, 403, 10000)
				wantErr(t, lr, 403, 10000)
			} else {
				if got := ids(t, mustOK(t, lt)); !reflect.DeepEqual(got, sorted(wantTunnels...)) {
					t.Errorf("Tunnels listed: %v, want %v", got, wantTunnels)
				}
				if got := ids(t, mustOK(t, lr)); !reflect.DeepEqual(got, sorted(wantRoutes...)) {
					t.Errorf("routes listed: %v, want %v", got, wantRoutes)
				}
			}

			for _, x := range []struct {
				id   string
				want catalog.Access
			}{{TunnelAppA, tc.wantA}, {TunnelAppB, tc.wantB}} {
				path := acct + "/cfd_tunnel/" + x.id
				if g := send(t, srv, "GET", path, nil, h); x.want >= catalog.AccessRead {
					mustOK(t, g)
				} else {
					wantErr(t, g, 403, 10000)
				}
				before := e.Tunnels(AccountID)
				if p := send(t, srv, "PATCH", path, map[string]any{"name": "renamed-" + x.id[:4]}, h); x.want >= catalog.AccessEdit {
					mustOK(t, p)
				} else {
					wantErr(t, p, 403, 10000)
					if !reflect.DeepEqual(before, e.Tunnels(AccountID)) {
						t.Errorf("a refused PATCH changed Tunnels")
					}
				}
				if d := send(t, srv, "DELETE", path, nil, h); x.want < catalog.AccessEdit {
					wantErr(t, d, 403, 10000)
				}
			}
		})
	}
}

// Removing a binding, or adding a deny, applies to the member's next request.
func TestMemberPolicyChangeAppliesAtOnce(t *testing.T) {
	_, srv := newServer(t)
	read := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	rgA := newRG(t, srv, "app-a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	id, h := newMember(t, srv, "m@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID},
		pol{"allow", []catalog.Entry{read}, rgA})
	list := v4 + "/accounts/" + AccountID + "/cfd_tunnel"
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, h))); !reflect.DeepEqual(got, []string{TunnelAppA}) {
		t.Fatalf("with the binding: %v", got)
	}
	policies := func(ps ...pol) map[string]any {
		var out []any
		for _, p := range ps {
			out = append(out, map[string]any{"access": p.access, "permission_groups": []any{map[string]any{"id": p.roles[0].ID}},
				"resource_groups": []any{map[string]any{"id": p.rg}}})
		}
		return map[string]any{"policies": out}
	}
	mustOK(t, api(t, srv, "PUT", "/accounts/"+AccountID+"/members/"+id, policies(pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})))
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, h))); len(got) != 0 {
		t.Fatalf("after removing the binding: %v", got)
	}
	mustOK(t, api(t, srv, "PUT", "/accounts/"+AccountID+"/members/"+id, policies(pol{"allow", []catalog.Entry{access}, AccountResourceGroupID},
		pol{"deny", []catalog.Entry{read}, rgA})))
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, h))); !reflect.DeepEqual(got, []string{TunnelAppB}) {
		t.Fatalf("after a deny on app-a: %v", got)
	}
	// Creating a Tunnel needs an account-wide role that edits Tunnels: Cloudflare Access does.
	mustOK(t, send(t, srv, "POST", list, map[string]any{"name": "app-c"}, h))
}

// Account routes for member tokens follow catalog.RoleOperations.
func TestMemberAccountRoutes(t *testing.T) {
	e, srv := newServer(t)
	acct := v4 + "/accounts/" + AccountID
	member := func(email string, r catalog.Entry, rg string) map[string]string {
		_, h := newMember(t, srv, email, "accepted", pol{"allow", []catalog.Entry{r}, rg})
		return h
	}
	super := member("super@example.com", role(t, catalog.RoleSuperAdministrator, catalog.ScopeAccount), AccountResourceGroupID)
	admin := member("admin2@example.com", role(t, "Administrator", catalog.ScopeAccount), AccountResourceGroupID)
	ro := member("ro@example.com", role(t, "Administrator Read Only", catalog.ScopeAccount), AccountResourceGroupID)
	minimal := member("min@example.com", role(t, "Minimal Account Access", catalog.ScopeAccount), AccountResourceGroupID)
	access := member("access@example.com", role(t, "Cloudflare Access", catalog.ScopeAccount), AccountResourceGroupID)
	zoneRGID := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	dns := member("dns@example.com", role(t, "Domain DNS", catalog.ScopeZone), zoneRGID)
	domAdmin := member("dom@example.com", role(t, "Domain Administrator", catalog.ScopeZone), zoneRGID)

	newMemberBody := func(email string) map[string]any {
		return map[string]any{"email": email, "roles": []string{catalogID(t, "Administrator Read Only", "account")}}
	}
	for _, tc := range []authzCase{
		{"super admin writes members", super, "POST", acct + "/members", newMemberBody("a@example.com"), true},
		{"administrator reads members", admin, "GET", acct + "/members", nil, true},
		{"administrator cannot write members", admin, "POST", acct + "/members", newMemberBody("b@example.com"), false},
		{"administrator writes resource groups", admin, "POST", acct + "/iam/resource_groups", zoneRG("by-admin"), true},
		{"read only reads members", ro, "GET", acct + "/members", nil, true},
		{"read only reads IAM permission groups", ro, "GET", acct + "/iam/permission_groups", nil, true},
		{"read only cannot write resource groups", ro, "POST", acct + "/iam/resource_groups", zoneRG("by-ro"), false},
		{"read only cannot write the account", ro, "PUT", acct, map[string]any{"name": "x"}, false},
		{"minimal reads the account", minimal, "GET", acct, nil, true},
		{"minimal cannot read members", minimal, "GET", acct + "/members", nil, false},
		{"minimal cannot read zones", minimal, "GET", v4 + "/zones/" + ZoneExampleCom, nil, false},
		{"Cloudflare Access cannot read members", access, "GET", acct + "/members", nil, false},
		{"domain role reads its zone", dns, "GET", v4 + "/zones/" + ZoneExampleCom, nil, true},
		{"domain role cannot read another zone", dns, "GET", v4 + "/zones/" + ZoneExampleOrg, nil, false},
		{"domain role cannot edit its zone", dns, "PATCH", v4 + "/zones/" + ZoneExampleCom, map[string]any{"paused": true}, false},
		{"Domain Administrator edits its zone", domAdmin, "PATCH", v4 + "/zones/" + ZoneExampleCom, map[string]any{"paused": true}, true},
		{"domain role cannot create a Tunnel", dns, "POST", acct + "/cfd_tunnel", map[string]any{"name": "x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			membersBefore := len(e.Members(AccountID))
			r := send(t, srv, tc.method, tc.path, tc.body, tc.h)
			if tc.ok {
				mustOK(t, r)
				return
			}
			wantErr(t, r, 403, 10000)
			if len(e.Members(AccountID)) != membersBefore {
				t.Error("a refused request changed members")
			}
		})
	}
	// GET /zones lists only the zones the member reads.
	if got := ids(t, mustOK(t, send(t, srv, "GET", v4+"/zones", nil, dns))); !reflect.DeepEqual(got, []string{ZoneExampleCom}) {
		t.Errorf("domain member's zones: %v", got)
	}
	if got := ids(t, mustOK(t, send(t, srv, "GET", v4+"/zones", nil, ro))); !reflect.DeepEqual(got, sorted(ZoneExampleCom, ZoneExampleOrg)) {
		t.Errorf("read-only member's zones: %v", got)
	}
}

// authzCase is one request, made with the headers h (a caller), and
// whether the caller may make it.
type authzCase struct {
	name   string
	h      map[string]string
	method string
	path   string
	body   any
	ok     bool
}

// newToken creates a user token as the admin (or as headers h) and returns its value.
func newToken(t *testing.T, srv *httptest.Server, h map[string]string, policies ...any) string {
	t.Helper()
	r := mustOK(t, send(t, srv, "POST", v4+"/user/tokens", map[string]any{"name": "t", "policies": policies}, h))
	var out struct{ Value string }
	r.result(t, &out)
	return out.Value
}

func tokenPol(effect string, resources map[string]any, groups ...string) map[string]any {
	var pgs []any
	for _, g := range groups {
		pgs = append(pgs, map[string]any{"id": tokenGroupID(g)})
	}
	return map[string]any{"effect": effect, "permission_groups": pgs, "resources": resources}
}

var (
	onAccount = map[string]any{catalog.ResourceKey(catalog.ScopeAccount, AccountID): "*"}
	onUser    = map[string]any{catalog.ResourceKey(catalog.ScopeUser, AdminUserID): "*"}
)

func onZone(id string) map[string]any {
	return map[string]any{catalog.ResourceKey(catalog.ScopeZone, id): "*"}
}

// API tokens do only what their permission groups allow (catalog.TokenAllows).
func TestTokenEnforcement(t *testing.T) {
	e, srv := newServer(t)
	acct := v4 + "/accounts/" + AccountID
	settingsRead := bearer(newToken(t, srv, nil, tokenPol("allow", onAccount, "Account Settings Read")))
	zoneRead := bearer(newToken(t, srv, nil, tokenPol("allow", onZone(ZoneExampleCom), "Zone Read")))
	tunnelRead := bearer(newToken(t, srv, nil, tokenPol("allow", onAccount, "Cloudflare Tunnel Read")))
	allZonesButOrg := bearer(newToken(t, srv, nil, tokenPol("allow", onAccount, "Zone Read"), tokenPol("deny", onZone(ZoneExampleOrg), "Zone Read")))
	deniedSettings := bearer(newToken(t, srv, nil, tokenPol("allow", onAccount, "Account Settings Read"), tokenPol("deny", onAccount, "Account Settings Edit")))
	userDetails := bearer(newToken(t, srv, nil, tokenPol("allow", onUser, "User Details Read")))

	before := e.Members(AccountID)
	mustOK(t, send(t, srv, "GET", acct+"/members", nil, settingsRead))
	mustOK(t, send(t, srv, "GET", acct, nil, settingsRead))
	wantErr(t, send(t, srv, "POST", acct+"/members", map[string]any{"email": "n@example.com",
		"roles": []string{catalogID(t, "Administrator", "account")}}, settingsRead), 403, 10000)
	wantErr(t, send(t, srv, "GET", acct+"/members", nil, zoneRead), 403, 10000)
	wantErr(t, send(t, srv, "GET", acct+"/members", nil, tunnelRead), 403, 10000)
	wantErr(t, send(t, srv, "GET", acct+"/members", nil, deniedSettings), 403, 10000)
	if !reflect.DeepEqual(before, e.Members(AccountID)) {
		t.Error("refused requests changed members")
	}

	// Zones: a zone-scoped Zone Read sees its zone only; deny subtracts.
	if got := ids(t, mustOK(t, send(t, srv, "GET", v4+"/zones", nil, zoneRead))); !reflect.DeepEqual(got, []string{ZoneExampleCom}) {
		t.Errorf("Zone Read on example.com lists %v", got)
	}
	wantErr(t, send(t, srv, "GET", v4+"/zones/"+ZoneExampleOrg, nil, zoneRead), 403, 10000)
	wantErr(t, send(t, srv, "PATCH", v4+"/zones/"+ZoneExampleCom, map[string]any{"paused": true}, zoneRead), 403, 10000)
	if got := ids(t, mustOK(t, send(t, srv, "GET", v4+"/zones", nil, allZonesButOrg))); !reflect.DeepEqual(got, []string{ZoneExampleCom}) {
		t.Errorf("Zone Read on the account minus example.org lists %v", got)
	}
	if got := ids(t, mustOK(t, send(t, srv, "GET", v4+"/zones", nil, settingsRead))); len(got) != 0 {
		t.Errorf("a token without Zone Read lists zones %v", got)
	}
	for _, z := range e.Zones() {
		if z.Paused {
			t.Error("a refused PATCH paused a zone")
		}
	}

	// Tunnels: Cloudflare Tunnel Read lists and reads, does not write.
	if got := ids(t, mustOK(t, send(t, srv, "GET", acct+"/cfd_tunnel", nil, tunnelRead))); !reflect.DeepEqual(got, sorted(TunnelAppA, TunnelAppB)) {
		t.Errorf("Cloudflare Tunnel Read lists %v", got)
	}
	mustOK(t, send(t, srv, "GET", acct+"/teamnet/routes", nil, tunnelRead))
	tunnels := e.Tunnels(AccountID)
	wantErr(t, send(t, srv, "PATCH", acct+"/cfd_tunnel/"+TunnelAppA, map[string]any{"name": "x"}, tunnelRead), 403, 10000)
	wantErr(t, send(t, srv, "POST", acct+"/cfd_tunnel", map[string]any{"name": "x"}, tunnelRead), 403, 10000)
	wantErr(t, send(t, srv, "GET", acct+"/cfd_tunnel", nil, settingsRead), 403, 10000)
	if !reflect.DeepEqual(tunnels, e.Tunnels(AccountID)) {
		t.Error("refused requests changed Tunnels")
	}

	// The user: User Details Read reads it; API Tokens Read is needed for tokens.
	mustOK(t, send(t, srv, "GET", v4+"/user", nil, userDetails))
	wantErr(t, send(t, srv, "PATCH", v4+"/user", map[string]any{"first_name": "X"}, userDetails), 403, 10000)
	wantErr(t, send(t, srv, "GET", v4+"/user", nil, settingsRead), 403, 10000)
	wantErr(t, send(t, srv, "GET", v4+"/user/tokens", nil, userDetails), 403, 10000)
	// Verify needs no permission group.
	mustOK(t, send(t, srv, "GET", v4+"/user/tokens/verify", nil, zoneRead))
}

// A token creates tokens only with permission groups it holds, where it holds them.
func TestTokenCreationBounded(t *testing.T) {
	e, srv := newServer(t)
	creator := bearer(newToken(t, srv, nil,
		tokenPol("allow", onUser, "API Tokens Edit"),
		tokenPol("allow", onAccount, "Account Settings Read"),
		tokenPol("allow", onZone(ZoneExampleCom), "Zone Read")))
	held := len(e.UserTokens())

	// Within its own permissions: created.
	newToken(t, srv, creator, tokenPol("allow", onAccount, "Account Settings Read"))
	newToken(t, srv, creator, tokenPol("allow", onZone(ZoneExampleCom), "Zone Read"), tokenPol("deny", onAccount, "Account Settings Edit"))
	held += 2
	if n := len(e.UserTokens()); n != held {
		t.Fatalf("tokens held: %d, want %d", n, held)
	}

	for _, tc := range []struct {
		name  string
		pol   map[string]any
		group string
	}{
		{"a group it lacks", tokenPol("allow", onAccount, "Account Settings Edit"), "Account Settings Edit"},
		{"a group it holds, on another zone", tokenPol("allow", onZone(ZoneExampleOrg), "Zone Read"), "Zone Read"},
		{"a zone group on every zone of the account", tokenPol("allow", onAccount, "Zone Read"), "Zone Read"},
		{"a user group it lacks", tokenPol("allow", onUser, "User Details Read"), "User Details Read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, srv, "POST", v4+"/user/tokens", map[string]any{"name": "x", "policies": []any{tc.pol}}, creator)
			wantErr(t, r, 400, 1001)
			if !strings.Contains(r.Env.Errors[0].Message, `"`+tc.group+`"`) {
				t.Errorf("the message does not name %q: %s", tc.group, r.Env.Errors[0].Message)
			}
			if n := len(e.UserTokens()); n != held {
				t.Errorf("a refused create added a token: %d", n)
			}
		})
	}

	// Updating a token beyond the creator's permissions: refused, unchanged.
	tok := e.UserTokens()[held-1]
	before := e.UserTokens()
	r := send(t, srv, "PUT", v4+"/user/tokens/"+tok.ID, map[string]any{"name": "y",
		"policies": []any{tokenPol("allow", onAccount, "Account Settings Edit")}}, creator)
	wantErr(t, r, 400, 1001)
	if !reflect.DeepEqual(before, e.UserTokens()) {
		t.Error("a refused update changed tokens")
	}

	// A zone group held on one zone through a nested account resource does not
	// cover every zone of the account; one held on the account covers each zone.
	nested := bearer(newToken(t, srv, nil, tokenPol("allow", onUser, "API Tokens Edit"),
		tokenPol("allow", map[string]any{catalog.ResourceKey(catalog.ScopeAccount, AccountID): onZone(ZoneExampleCom)}, "Zone Read")))
	wholeAccount := bearer(newToken(t, srv, nil, tokenPol("allow", onUser, "API Tokens Edit"), tokenPol("allow", onAccount, "Zone Read")))
	held = len(e.UserTokens())
	wantErr(t, send(t, srv, "POST", v4+"/user/tokens", map[string]any{"name": "x",
		"policies": []any{tokenPol("allow", onAccount, "Zone Read")}}, nested), 400, 1001)
	newToken(t, srv, nested, tokenPol("allow", onZone(ZoneExampleCom), "Zone Read"))
	newToken(t, srv, wholeAccount, tokenPol("allow", onZone(ZoneExampleOrg), "Zone Read"))
	newToken(t, srv, wholeAccount, tokenPol("allow", onAccount, "Zone Read"))
	if n := len(e.UserTokens()); n != held+3 {
		t.Errorf("tokens held: %d, want %d", n, held+3)
	}

	// A token without API Tokens Edit cannot create tokens at all.
	reader := bearer(newToken(t, srv, nil, tokenPol("allow", onUser, "API Tokens Read")))
	wantErr(t, send(t, srv, "POST", v4+"/user/tokens", map[string]any{"name": "x",
		"policies": []any{tokenPol("allow", onUser, "API Tokens Read")}}, reader), 403, 10000)

	// The admin (Super Administrator) grants anything.
	newToken(t, srv, nil, tokenPol("allow", onAccount, "Account Settings Edit", "Cloudflare Tunnel Edit", "Zone Edit"))

	// Account-owned tokens: the same rule.
	ar := mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/tokens", map[string]any{"name": "acct",
		"policies": []any{tokenPol("allow", onAccount, "Account Settings Edit")}}))
	var at struct{ Value string }
	ar.result(t, &at)
	acctTokens := len(e.AccountTokens(AccountID))
	mustOK(t, send(t, srv, "POST", v4+"/accounts/"+AccountID+"/tokens", map[string]any{"name": "sub",
		"policies": []any{tokenPol("allow", onAccount, "Account Settings Edit")}}, bearer(at.Value)))
	// Holding Edit is not holding Read: a token passes on the groups it holds.
	wantErr(t, send(t, srv, "POST", v4+"/accounts/"+AccountID+"/tokens", map[string]any{"name": "sub1",
		"policies": []any{tokenPol("allow", onAccount, "Account Settings Read")}}, bearer(at.Value)), 400, 1001)
	r = send(t, srv, "POST", v4+"/accounts/"+AccountID+"/tokens", map[string]any{"name": "sub2",
		"policies": []any{tokenPol("allow", onAccount, "Cloudflare Tunnel Edit")}}, bearer(at.Value))
	wantErr(t, r, 400, 1001)
	if !strings.Contains(r.Env.Errors[0].Message, `"Cloudflare Tunnel Edit"`) {
		t.Errorf("message: %s", r.Env.Errors[0].Message)
	}
	if n := len(e.AccountTokens(AccountID)); n != acctTokens+1 {
		t.Errorf("account tokens: %d, want %d", n, acctTokens+1)
	}
}

// A member creates tokens only with permission groups its roles cover.
func TestMemberTokenCreationBounded(t *testing.T) {
	e, srv := newServer(t)
	_, ro := newMember(t, srv, "ro@example.com", "accepted", pol{"allow", []catalog.Entry{role(t, "Administrator Read Only", catalog.ScopeAccount)}, AccountResourceGroupID})
	var u struct{ ID string }
	mustOK(t, send(t, srv, "GET", v4+"/user", nil, ro)).result(t, &u)
	onMe := map[string]any{catalog.ResourceKey(catalog.ScopeUser, u.ID): "*"}
	newToken(t, srv, ro, tokenPol("allow", onAccount, "Account Settings Read"), tokenPol("allow", onMe, "User Details Read"))
	n := len(e.UserTokens())
	for _, g := range []string{"Account Settings Edit", "DNS Read"} {
		res := onAccount
		r := send(t, srv, "POST", v4+"/user/tokens", map[string]any{"name": "x", "policies": []any{tokenPol("allow", res, g)}}, ro)
		wantErr(t, r, 400, 1001)
		if !strings.Contains(r.Env.Errors[0].Message, `"`+g+`"`) {
			t.Errorf("message: %s", r.Env.Errors[0].Message)
		}
	}
	if len(e.UserTokens()) != n {
		t.Error("a refused create added a token")
	}
}
