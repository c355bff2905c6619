package emulator

import (
	"encoding/json"
	"fmt"
	"testing"
)

// The shapes both current SDKs (cloudflare-go v7.9, the TypeScript SDK 7.3)
// type, checked on the raw JSON: cloudflare-go's decoder leaves a field it
// cannot read empty instead of failing, so decoding alone would not notice.

// scopeIsObject fails unless v's "scope" is one JSON object.
func scopeIsObject(t *testing.T, where string, v json.RawMessage) {
	t.Helper()
	var rg struct{ Scope json.RawMessage }
	if err := json.Unmarshal(v, &rg); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if len(rg.Scope) == 0 || rg.Scope[0] != '{' {
		t.Errorf("%s: scope is %s, want one object (cloudflare-go's ResourceGroup*ResponseScope)", where, rg.Scope)
	}
}

func TestShapes_resourceGroupScopeIsOneObject(t *testing.T) {
	_, srv := newServer(t)
	acct := "/accounts/" + AccountID
	created := mustOK(t, api(t, srv, "POST", acct+"/iam/resource_groups", map[string]any{"name": "zones", "scope": map[string]any{
		"key": "com.cloudflare.api.account." + AccountID, "objects": []any{map[string]any{"key": "com.cloudflare.api.account.zone." + ZoneExampleCom}}}}))
	scopeIsObject(t, "POST resource_groups", created.Env.Result)
	var rg struct{ ID string }
	created.result(t, &rg)
	scopeIsObject(t, "GET resource_groups/{id}", mustOK(t, api(t, srv, "GET", acct+"/iam/resource_groups/"+rg.ID, nil)).Env.Result)
	scopeIsObject(t, "PUT resource_groups/{id}", mustOK(t, api(t, srv, "PUT", acct+"/iam/resource_groups/"+rg.ID, map[string]any{"name": "zones renamed", "scope": map[string]any{
		"key": "com.cloudflare.api.account." + AccountID, "objects": []any{map[string]any{"key": "com.cloudflare.api.account.zone." + ZoneExampleCom}}}})).Env.Result)
	var list []json.RawMessage
	mustOK(t, api(t, srv, "GET", acct+"/iam/resource_groups", nil)).result(t, &list)
	for i, g := range list {
		scopeIsObject(t, fmt.Sprintf("GET resource_groups [%d]", i), g)
	}
	var member struct {
		Policies []struct {
			ResourceGroups []json.RawMessage `json:"resource_groups"`
		}
	}
	mustOK(t, api(t, srv, "GET", acct+"/members/"+AdminMemberID, nil)).result(t, &member)
	if len(member.Policies) == 0 || len(member.Policies[0].ResourceGroups) == 0 {
		t.Fatalf("the seeded admin has no policy on a resource group: %+v", member)
	}
	scopeIsObject(t, "GET members/{id} policies[0].resource_groups[0]", member.Policies[0].ResourceGroups[0])
}

// Both SDKs read the resource-group list as one unpaged page: with more
// groups than a page of the contract's default (20) the answer holds them all.
func TestShapes_resourceGroupListIsOnePage(t *testing.T) {
	e, srv := newServer(t)
	acct := "/accounts/" + AccountID
	for i := range 25 {
		mustOK(t, api(t, srv, "POST", acct+"/iam/resource_groups", map[string]any{"name": fmt.Sprintf("g%02d", i), "scope": map[string]any{
			"key": "com.cloudflare.api.account." + AccountID, "objects": []any{map[string]any{"key": "com.cloudflare.api.account.zone." + ZoneExampleCom}}}}))
	}
	want := len(e.ResourceGroups(AccountID))
	var list []json.RawMessage
	mustOK(t, api(t, srv, "GET", acct+"/iam/resource_groups", nil)).result(t, &list)
	if len(list) != want || want < 26 {
		t.Errorf("the list holds %d of the account's %d groups in one answer", len(list), want)
	}
}

// A role's permissions are one object of read/write grants per area
// (cloudflare-go's shared.RolePermissions), in the roles list and in a
// member's roles alike.
func TestShapes_rolePermissionsAreAnObject(t *testing.T) {
	_, srv := newServer(t)
	acct := "/accounts/" + AccountID
	type grant struct{ Read, Write bool }
	type role struct {
		ID, Name    string
		Permissions map[string]grant
	}
	var roles []role
	mustOK(t, api(t, srv, "GET", acct+"/roles?per_page=50", nil)).result(t, &roles)
	if len(roles) == 0 {
		t.Fatal("no roles listed")
	}
	readOnly := catalogID(t, "Administrator Read Only", "account")
	for _, r := range roles {
		if len(r.Permissions) != 12 {
			t.Errorf("role %q: %d permission areas, want the 12 of shared.RolePermissions", r.Name, len(r.Permissions))
		}
		if r.ID == readOnly && (r.Permissions["zones"] != grant{Read: true} || r.Permissions["billing"] != grant{Read: true}) {
			t.Errorf("Administrator Read Only: %+v, want read and no write on every area", r.Permissions)
		}
	}
	m := mustOK(t, api(t, srv, "POST", acct+"/members", map[string]any{"email": "legacy@example.com", "roles": []string{readOnly}}))
	var member struct{ Roles []role }
	m.result(t, &member)
	if len(member.Roles) != 1 || member.Roles[0].Permissions["dns"] != (grant{Read: true}) {
		t.Errorf("a member's legacy role: %+v", member.Roles)
	}
}
