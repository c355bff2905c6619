package emulator

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

const userGroupsPath = "/accounts/" + AccountID + "/iam/user_groups"

func policiesBody(pols ...pol) []any {
	ps := []any{}
	for _, p := range pols {
		var pgs []any
		for _, r := range p.roles {
			pgs = append(pgs, map[string]any{"id": r.ID})
		}
		ps = append(ps, map[string]any{"access": p.access, "permission_groups": pgs, "resource_groups": []any{map[string]any{"id": p.rg}}})
	}
	return ps
}

// newUserGroup creates a user group (as the admin) and returns its ID.
func newUserGroup(t *testing.T, srv *httptest.Server, name string, pols ...pol) string {
	t.Helper()
	r := mustOK(t, api(t, srv, "POST", userGroupsPath, map[string]any{"name": name, "policies": policiesBody(pols...)}))
	var g struct{ ID string }
	r.result(t, &g)
	if !reHex32.MatchString(g.ID) {
		t.Fatalf("user group id %q is not 32 hex digits", g.ID)
	}
	return g.ID
}

func memberRefs(ids ...string) []any {
	out := []any{}
	for _, id := range ids {
		out = append(out, map[string]any{"id": id})
	}
	return out
}

func names(t *testing.T, r *apiResp) []string {
	t.Helper()
	var items []struct{ Name string }
	r.result(t, &items)
	out := []string{}
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}

func TestUserGroupCRUD(t *testing.T) {
	e, srv := newServer(t)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	ro := role(t, "Administrator Read Only", catalog.ScopeAccount)
	dns := role(t, "Domain DNS", catalog.ScopeZone)
	zoneRG := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))

	id := newUserGroup(t, srv, "platform", pol{"allow", []catalog.Entry{access}, AccountResourceGroupID}, pol{"allow", []catalog.Entry{dns}, zoneRG})
	held, ok := e.UserGroup(AccountID, id)
	if !ok || held.Name != "platform" || len(held.Policies) != 2 || held.Policies[0].PermissionGroups[0] != access.ID ||
		held.Policies[1].ResourceGroups[0] != zoneRG || held.Policies[0].ID == "" {
		t.Fatalf("held group: %+v", held)
	}
	var got struct {
		ID, Name   string
		CreatedOn  string `json:"created_on"`
		ModifiedOn string `json:"modified_on"`
		Policies   []struct {
			ID               string
			Access           string
			PermissionGroups []struct{ ID, Name string } `json:"permission_groups"`
			ResourceGroups   []struct {
				ID    string
				Scope struct {
					Key     string
					Objects []struct{ Key string }
				}
			} `json:"resource_groups"`
		}
	}
	mustOK(t, api(t, srv, "GET", userGroupsPath+"/"+id, nil)).result(t, &got)
	if got.ID != id || got.Name != "platform" || got.CreatedOn == "" || got.ModifiedOn == "" || len(got.Policies) != 2 ||
		got.Policies[0].PermissionGroups[0].Name != "Cloudflare Access" ||
		got.Policies[1].ResourceGroups[0].Scope.Key != catalog.ResourceKey(catalog.ScopeAccount, AccountID) ||
		got.Policies[1].ResourceGroups[0].Scope.Objects[0].Key != catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom) {
		t.Fatalf("GET: %+v", got)
	}

	// PUT: a policy carrying its ID keeps it; name and policies are replaced.
	keep := held.Policies[0].ID
	body := map[string]any{"name": "platform-admins", "policies": []any{
		map[string]any{"id": keep, "access": "allow", "permission_groups": []any{map[string]any{"id": ro.ID}}, "resource_groups": []any{map[string]any{"id": AccountResourceGroupID}}},
	}}
	mustOK(t, api(t, srv, "PUT", userGroupsPath+"/"+id, body))
	held, _ = e.UserGroup(AccountID, id)
	if held.Name != "platform-admins" || len(held.Policies) != 1 || held.Policies[0].ID != keep || held.Policies[0].PermissionGroups[0] != ro.ID {
		t.Fatalf("after PUT: %+v", held)
	}
	// PUT without policies keeps them.
	mustOK(t, api(t, srv, "PUT", userGroupsPath+"/"+id, map[string]any{"name": "admins"}))
	if held, _ = e.UserGroup(AccountID, id); held.Name != "admins" || len(held.Policies) != 1 {
		t.Fatalf("PUT of the name only: %+v", held)
	}

	// Lists: filters, order by name, paging.
	newUserGroup(t, srv, "zeta")
	newUserGroup(t, srv, "Alpha")
	list := func(q string) *apiResp { return mustOK(t, api(t, srv, "GET", userGroupsPath+q, nil)) }
	if n := names(t, list("")); !reflect.DeepEqual(n, []string{"admins", "Alpha", "zeta"}) {
		t.Errorf("list: %v", n)
	}
	if n := names(t, list("?direction=desc")); !reflect.DeepEqual(n, []string{"zeta", "Alpha", "admins"}) {
		t.Errorf("desc: %v", n)
	}
	if n := names(t, list("?name=zeta")); !reflect.DeepEqual(n, []string{"zeta"}) {
		t.Errorf("name filter: %v", n)
	}
	if n := names(t, list("?name=ZETA")); len(n) != 0 {
		t.Errorf("name filter is exact: %v", n)
	}
	if n := names(t, list("?fuzzyName=LPH")); !reflect.DeepEqual(n, []string{"Alpha"}) {
		t.Errorf("fuzzyName: %v", n)
	}
	if n := names(t, list("?id="+id)); !reflect.DeepEqual(n, []string{"admins"}) {
		t.Errorf("id filter: %v", n)
	}
	for i := 0; i < 5; i++ {
		newUserGroup(t, srv, "g"+itoa(i))
	}
	p2 := list("?per_page=5&page=2")
	if info := p2.Env.ResultInfo; info == nil || info.Page != 2 || info.PerPage != 5 || info.Count != 3 || info.TotalCount != 8 || info.TotalPages != 2 {
		t.Errorf("result_info: %+v", p2.Env.ResultInfo)
	}
	wantErr(t, api(t, srv, "GET", userGroupsPath+"?per_page=51", nil), 400, codeValidation)
	wantErr(t, api(t, srv, "GET", userGroupsPath+"?direction=up", nil), 400, codeValidation)

	// Delete: gone.
	mustOK(t, api(t, srv, "DELETE", userGroupsPath+"/"+id, nil))
	if _, ok := e.UserGroup(AccountID, id); ok {
		t.Fatal("deleted group still held")
	}
	wantErr(t, api(t, srv, "GET", userGroupsPath+"/"+id, nil), 404, codeNotFound)
	wantErr(t, api(t, srv, "PUT", userGroupsPath+"/"+id, map[string]any{"name": "x"}), 404, codeNotFound)
	wantErr(t, api(t, srv, "DELETE", userGroupsPath+"/"+id, nil), 404, codeNotFound)
	wantErr(t, api(t, srv, "GET", userGroupsPath+"/not-an-id", nil), 404, codeBadIdentifier)
}

// A group policy is checked exactly as a member's: the same codes for the
// same mistakes, and a refused write changes nothing.
func TestUserGroupValidation(t *testing.T) {
	e, srv := newServer(t)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	dns := role(t, "Domain DNS", catalog.ScopeZone)
	zoneRG := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	id := newUserGroup(t, srv, "g", pol{"allow", []catalog.Entry{access}, AccountResourceGroupID})
	polBody := func(access, pg, rg string) map[string]any {
		return map[string]any{"access": access, "permission_groups": []any{map[string]any{"id": pg}}, "resource_groups": []any{map[string]any{"id": rg}}}
	}
	for _, tc := range []struct {
		name   string
		policy map[string]any
		code   int
	}{
		{"unknown permission group", polBody("allow", "0123456789abcdef0123456789abcdef", AccountResourceGroupID), codeUnknownGroup},
		{"unknown resource group", polBody("allow", access.ID, "0123456789abcdef0123456789abcdef"), codeUnknownResource},
		{"zone role on the account", polBody("allow", dns.ID, AccountResourceGroupID), codeBadCombination},
		{"account role on a zone", polBody("allow", access.ID, zoneRG), codeBadCombination},
		{"bad access", polBody("permit", access.ID, AccountResourceGroupID), codeValidation},
		{"no resource group", map[string]any{"access": "allow", "permission_groups": []any{map[string]any{"id": access.ID}}}, codeValidation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The member's answer is the expectation.
			member := api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "x@example.com", "policies": []any{tc.policy}})
			wantErr(t, member, 400, tc.code)
			wantErr(t, api(t, srv, "POST", userGroupsPath, map[string]any{"name": "n", "policies": []any{tc.policy}}), 400, tc.code)
			wantErr(t, api(t, srv, "PUT", userGroupsPath+"/"+id, map[string]any{"name": "renamed", "policies": []any{tc.policy}}), 400, tc.code)
			if gs := e.UserGroups(AccountID); len(gs) != 1 || gs[0].Name != "g" || gs[0].Policies[0].PermissionGroups[0] != access.ID {
				t.Fatalf("a refused write changed groups: %+v", gs)
			}
		})
	}
	wantErr(t, api(t, srv, "POST", userGroupsPath, map[string]any{"policies": []any{}}), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", userGroupsPath, map[string]any{"name": "  "}), 400, codeValidation)
	wantErr(t, api(t, srv, "PUT", userGroupsPath+"/"+id, map[string]any{"name": ""}), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", userGroupsPath, `{"name": `), 400, codeMalformedJSON)
	// A group with no policies is a group.
	mustOK(t, api(t, srv, "POST", userGroupsPath, map[string]any{"name": "empty"}))
}

func TestUserGroupMembers(t *testing.T) {
	e, srv := newServer(t)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	a, _ := newMember(t, srv, "a@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	b, _ := newMember(t, srv, "b@example.com", "pending", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	c, _ := newMember(t, srv, "c@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	g := newUserGroup(t, srv, "g")
	members := userGroupsPath + "/" + g + "/members"
	held := func() []string {
		gr, _ := e.UserGroup(AccountID, g)
		out := []string{}
		for _, m := range gr.Members {
			out = append(out, m.MemberID)
		}
		return out
	}

	r := mustOK(t, api(t, srv, "POST", members, memberRefs(b, a)))
	if got := ids(t, r); !reflect.DeepEqual(got, sorted(a, b)) {
		t.Errorf("POST answered %v", got)
	}
	// Adding again (and twice in one body) changes nothing.
	mustOK(t, api(t, srv, "POST", members, memberRefs(a, a)))
	if got := held(); !reflect.DeepEqual(got, []string{b, a}) {
		t.Fatalf("held after adds: %v", got)
	}
	var listed []struct{ ID, Email, Status string }
	mustOK(t, api(t, srv, "GET", members, nil)).result(t, &listed)
	if len(listed) != 2 || listed[0].Email != "a@example.com" || listed[1].Status != "pending" {
		t.Errorf("list: %+v", listed)
	}
	if got := ids(t, mustOK(t, api(t, srv, "GET", members+"?fuzzyEmail=B@", nil))); !reflect.DeepEqual(got, []string{b}) {
		t.Errorf("fuzzyEmail: %v", got)
	}
	var one struct {
		ID, Email, Status string
		CreatedAt         string `json:"created_at"`
		User              struct{ ID, Email string }
	}
	mustOK(t, api(t, srv, "GET", members+"/"+a, nil)).result(t, &one)
	if one.ID != a || one.Email != "a@example.com" || one.CreatedAt == "" || one.User.Email != "a@example.com" || one.User.ID == "" {
		t.Errorf("GET member: %+v", one)
	}
	wantErr(t, api(t, srv, "GET", members+"/"+c, nil), 404, codeNotFound)

	// Refused bodies change nothing.
	wantErr(t, api(t, srv, "POST", members, map[string]any{"id": c}), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", members, map[string]any{"members": memberRefs(c)}), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", members, memberRefs(c, "0123456789abcdef0123456789abcdef")), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", members, []any{map[string]any{}}), 400, codeValidation)
	wantErr(t, api(t, srv, "POST", members, []any{}), 400, codeValidation)
	wantErr(t, api(t, srv, "PUT", members, memberRefs("0123456789abcdef0123456789abcdef")), 400, codeValidation)
	if got := held(); !reflect.DeepEqual(got, []string{b, a}) {
		t.Fatalf("a refused write changed members: %v", got)
	}

	// PUT replaces the whole list.
	if got := ids(t, mustOK(t, api(t, srv, "PUT", members, memberRefs(c, a)))); !reflect.DeepEqual(got, sorted(a, c)) {
		t.Errorf("PUT answered %v", got)
	}
	if got := held(); !reflect.DeepEqual(got, []string{c, a}) {
		t.Fatalf("held after PUT: %v", got)
	}
	// DELETE removes one.
	var removed struct{ ID string }
	mustOK(t, api(t, srv, "DELETE", members+"/"+c, nil)).result(t, &removed)
	if removed.ID != c || !reflect.DeepEqual(held(), []string{a}) {
		t.Fatalf("after DELETE: %v (answered %s)", held(), removed.ID)
	}
	wantErr(t, api(t, srv, "DELETE", members+"/"+c, nil), 404, codeNotFound)
	mustOK(t, api(t, srv, "PUT", members, []any{}))
	if got := held(); len(got) != 0 {
		t.Fatalf("PUT [] must empty the group: %v", got)
	}

	// Deleting a member removes it from its groups.
	mustOK(t, api(t, srv, "PUT", members, memberRefs(a, b)))
	mustOK(t, api(t, srv, "DELETE", "/accounts/"+AccountID+"/members/"+a, nil))
	if got := held(); !reflect.DeepEqual(got, []string{b}) {
		t.Fatalf("a deleted member stays in its group: %v", got)
	}
	// Members of a group that is gone: 404.
	mustOK(t, api(t, srv, "DELETE", userGroupsPath+"/"+g, nil))
	wantErr(t, api(t, srv, "GET", members, nil), 404, codeNotFound)
	wantErr(t, api(t, srv, "POST", members, memberRefs(b)), 404, codeNotFound)
	wantErr(t, api(t, srv, "DELETE", members+"/"+b, nil), 404, codeNotFound)
}

// A member holding a role only through a group can do what the role allows,
// at once, and loses it when it leaves the group (or the group goes).
func TestUserGroupGrantsAuthorize(t *testing.T) {
	_, srv := newServer(t)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	ro := role(t, "Administrator Read Only", catalog.ScopeAccount)
	read := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel)
	id, h := newMember(t, srv, "m@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	tunnels := v4 + "/accounts/" + AccountID + "/cfd_tunnel"
	membersList := v4 + "/accounts/" + AccountID + "/members"
	if got := ids(t, mustOK(t, send(t, srv, "GET", tunnels, nil, h))); len(got) != 0 {
		t.Fatalf("before joining: %v", got)
	}
	wantErr(t, send(t, srv, "GET", membersList, nil, h), 403, codeAuthError)

	g := newUserGroup(t, srv, "access", pol{"allow", []catalog.Entry{access}, AccountResourceGroupID})
	gm := userGroupsPath + "/" + g + "/members"
	mustOK(t, api(t, srv, "POST", gm, memberRefs(id)))
	if got := ids(t, mustOK(t, send(t, srv, "GET", tunnels, nil, h))); !reflect.DeepEqual(got, sorted(TunnelAppA, TunnelAppB)) {
		t.Fatalf("through the group: %v", got)
	}
	mustOK(t, send(t, srv, "POST", tunnels, map[string]any{"name": "by-group"}, h))
	mustOK(t, api(t, srv, "DELETE", gm+"/"+id, nil))
	if got := ids(t, mustOK(t, send(t, srv, "GET", tunnels, nil, h))); len(got) != 0 {
		t.Fatalf("after leaving the group: %v", got)
	}
	wantErr(t, send(t, srv, "POST", tunnels, map[string]any{"name": "after"}, h), 403, codeAuthError)

	// A group's Tunnel binding and account role; the group's deletion takes them away.
	rgA := newRG(t, srv, "app-a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	g2 := newUserGroup(t, srv, "readers", pol{"allow", []catalog.Entry{read}, rgA})
	mustOK(t, api(t, srv, "PUT", userGroupsPath+"/"+g2+"/members", memberRefs(id)))
	if got := ids(t, mustOK(t, send(t, srv, "GET", tunnels, nil, h))); !reflect.DeepEqual(got, []string{TunnelAppA}) {
		t.Fatalf("through the binding group: %v", got)
	}
	mustOK(t, api(t, srv, "DELETE", userGroupsPath+"/"+g2, nil))
	if got := ids(t, mustOK(t, send(t, srv, "GET", tunnels, nil, h))); len(got) != 0 {
		t.Fatalf("after the group's deletion: %v", got)
	}
	g3 := newUserGroup(t, srv, "auditors", pol{"allow", []catalog.Entry{ro}, AccountResourceGroupID})
	mustOK(t, api(t, srv, "POST", userGroupsPath+"/"+g3+"/members", memberRefs(id)))
	mustOK(t, send(t, srv, "GET", membersList, nil, h))
	mustOK(t, api(t, srv, "DELETE", userGroupsPath+"/"+g3, nil))
	wantErr(t, send(t, srv, "GET", membersList, nil, h), 403, codeAuthError)

	// A pending member holds nothing through its groups either.
	pid, ph := newMember(t, srv, "p@example.com", "pending", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	mustOK(t, api(t, srv, "POST", gm, memberRefs(pid)))
	wantErr(t, send(t, srv, "GET", tunnels, nil, ph), 403, codeAuthError)
}

// Who may call the user group routes: as for members (Account Settings Read
// or Edit for tokens; read-only roles read, only Super Administrator writes).
func TestUserGroupRoutesAuthorization(t *testing.T) {
	_, srv := newServer(t)
	g := newUserGroup(t, srv, "g")
	member := func(email, name string) (string, map[string]string) {
		return newMember(t, srv, email, "accepted", pol{"allow", []catalog.Entry{role(t, name, catalog.ScopeAccount)}, AccountResourceGroupID})
	}
	_, super := member("super@example.com", catalog.RoleSuperAdministrator)
	adminID, admin := member("admin2@example.com", "Administrator")
	_, ro := member("ro@example.com", "Administrator Read Only")
	_, access := member("access@example.com", "Cloudflare Access")
	readTok := bearer(newToken(t, srv, nil, tokenPol("allow", onAccount, "Account Settings Read")))
	path := v4 + userGroupsPath
	for _, tc := range []authzCase{
		{"read only lists groups", ro, "GET", path, nil, true},
		{"read only reads a group's members", ro, "GET", path + "/" + g + "/members", nil, true},
		{"read only cannot create a group", ro, "POST", path, map[string]any{"name": "x"}, false},
		{"read only cannot add members", ro, "POST", path + "/" + g + "/members", memberRefs(adminID), false},
		{"administrator reads groups", admin, "GET", path + "/" + g, nil, true},
		{"administrator cannot update a group", admin, "PUT", path + "/" + g, map[string]any{"name": "x"}, false},
		{"Cloudflare Access cannot read groups", access, "GET", path, nil, false},
		{"Account Settings Read token lists groups", readTok, "GET", path, nil, true},
		{"Account Settings Read token cannot delete a group", readTok, "DELETE", path + "/" + g, nil, false},
		{"super administrator adds members", super, "POST", path + "/" + g + "/members", memberRefs(adminID), true},
		{"super administrator deletes a group", super, "DELETE", path + "/" + g, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, srv, tc.method, tc.path, tc.body, tc.h)
			if tc.ok {
				mustOK(t, r)
				return
			}
			wantErr(t, r, 403, codeAuthError)
		})
	}
}

// A resource group a user group's policy uses cannot be deleted, nor changed
// into an invalid combination, as for members.
func TestResourceGroupUsedByUserGroup(t *testing.T) {
	e, srv := newServer(t)
	dns := role(t, "Domain DNS", catalog.ScopeZone)
	rg := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	g := newUserGroup(t, srv, "dns", pol{"allow", []catalog.Entry{dns}, rg})
	wantErr(t, api(t, srv, "DELETE", "/accounts/"+AccountID+"/iam/resource_groups/"+rg, nil), 409, codeInUse)
	tunnelScope := map[string]any{"key": catalog.ResourceKey(catalog.ScopeAccount, AccountID),
		"objects": []any{map[string]any{"key": catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA)}}}
	wantErr(t, api(t, srv, "PUT", "/accounts/"+AccountID+"/iam/resource_groups/"+rg, map[string]any{"scope": tunnelScope}), 400, codeBadCombination)
	if len(e.ResourceGroups(AccountID)) != 2 {
		t.Fatal("the resource group must survive")
	}
	mustOK(t, api(t, srv, "PUT", userGroupsPath+"/"+g, map[string]any{"policies": []any{}}))
	mustOK(t, api(t, srv, "DELETE", "/accounts/"+AccountID+"/iam/resource_groups/"+rg, nil))
}

// The last-Super-Administrator rule counts Super Administrators held through
// groups, and guards changes to groups as it guards changes to members.
func TestUserGroupSuperAdministrator(t *testing.T) {
	_, srv := newServer(t)
	super := role(t, catalog.RoleSuperAdministrator, catalog.ScopeAccount)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	id, h := newMember(t, srv, "s@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	g := newUserGroup(t, srv, "supers", pol{"allow", []catalog.Entry{super}, AccountResourceGroupID})
	gm := v4 + userGroupsPath + "/" + g + "/members"
	adminPath := "/accounts/" + AccountID + "/members/" + AdminMemberID

	// Without the group, the seeded admin is the last one.
	wantErr(t, api(t, srv, "DELETE", adminPath, nil), 400, codeValidation)
	wantErr(t, send(t, srv, "GET", gm, nil, h), 403, codeAuthError)
	mustOK(t, api(t, srv, "POST", userGroupsPath+"/"+g+"/members", memberRefs(id)))
	// Through the group, s@ is one: the seeded admin may go, and s@ acts as one.
	mustOK(t, api(t, srv, "DELETE", adminPath, nil))

	// Now every change that would take it from s@ is refused.
	wantErr(t, send(t, srv, "DELETE", gm+"/"+id, nil, h), 400, codeValidation)
	wantErr(t, send(t, srv, "PUT", gm, []any{}, h), 400, codeValidation)
	wantErr(t, send(t, srv, "PUT", v4+userGroupsPath+"/"+g, map[string]any{"policies": policiesBody(pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})}, h), 400, codeValidation)
	wantErr(t, send(t, srv, "DELETE", v4+userGroupsPath+"/"+g, nil, h), 400, codeValidation)
	wantErr(t, send(t, srv, "DELETE", v4+"/accounts/"+AccountID+"/members/"+id, nil, h), 400, codeValidation)
	// ... and nothing changed: s@ still acts as a Super Administrator.
	mustOK(t, send(t, srv, "GET", gm+"/"+id, nil, h))
	mustOK(t, send(t, srv, "PUT", v4+userGroupsPath+"/"+g, map[string]any{"name": "renamed"}, h))
}
