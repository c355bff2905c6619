package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	cloudflare "github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/iam"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/cloudflare-go/v7/shared"
	"github.com/cloudflare/cloudflare-go/v7/user"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"
	"github.com/cloudflare/cloudflare-go/v7/zones"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func sdk(srv *httptest.Server, token string) *cloudflare.Client {
	return cloudflare.NewClient(option.WithBaseURL(srv.URL+"/client/v4/"), option.WithAPIToken(token), option.WithMaxRetries(0))
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestDecodeAccountsUserZones(t *testing.T) {
	_, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()

	accts, err := c.Accounts.List(ctx, accounts.AccountListParams{})
	if err != nil || len(accts.Result) != 1 {
		t.Fatalf("accounts: %v %+v", err, accts)
	}
	check(t, "account id", accts.Result[0].ID, AccountID)
	check(t, "account name", accts.Result[0].Name, AccountName)
	a, err := c.Accounts.Update(ctx, accounts.AccountUpdateParams{AccountID: cloudflare.F(AccountID),
		Account: accounts.AccountParam{ID: cloudflare.F(AccountID), Name: cloudflare.F("Renamed"), Type: cloudflare.F(accounts.AccountTypeStandard)}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "renamed", a.Name, "Renamed")

	u, err := c.User.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "user id", u.ID, AdminUserID)
	check(t, "user email", u.Email, AdminEmail)

	zs, err := c.Zones.List(ctx, zones.ZoneListParams{Account: cloudflare.F(zones.ZoneListParamsAccount{ID: cloudflare.F(AccountID)})})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, z := range zs.Result {
		got[z.Name] = z.ID
		check(t, z.Name+" account", z.Account.ID, AccountID)
	}
	check(t, "example.com", got["example.com"], ZoneExampleCom)
	check(t, "example.org", got["example.org"], ZoneExampleOrg)
	byName, err := c.Zones.List(ctx, zones.ZoneListParams{Name: cloudflare.F("example.org")})
	if err != nil || len(byName.Result) != 1 || byName.Result[0].ID != ZoneExampleOrg {
		t.Fatalf("zone name filter: %v %+v", err, byName)
	}
	nz, err := c.Zones.New(ctx, zones.ZoneNewParams{Name: cloudflare.F("example.net"), Account: cloudflare.F(zones.ZoneNewParamsAccount{ID: cloudflare.F(AccountID)})})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "new zone status", string(nz.Status), "pending")
	ez, err := c.Zones.Edit(ctx, zones.ZoneEditParams{ZoneID: cloudflare.F(nz.ID), Paused: cloudflare.F(true)})
	if err != nil || !ez.Paused {
		t.Fatalf("zone edit: %v %+v", err, ez)
	}
	if _, err := c.Zones.Delete(ctx, zones.ZoneDeleteParams{ZoneID: cloudflare.F(nz.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zones.Get(ctx, zones.ZoneGetParams{ZoneID: cloudflare.F(nz.ID)}); err == nil {
		t.Fatal("deleted zone still readable")
	}
}

func TestDecodeCatalog(t *testing.T) {
	_, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	cat := catalog.Embedded()

	// IAM permission groups: every catalog role, with label and scope key in meta.
	n := 0
	iter := c.IAM.PermissionGroups.ListAutoPaging(ctx, iam.PermissionGroupListParams{AccountID: cloudflare.F(AccountID), PerPage: cloudflare.F(50.0)})
	for iter.Next() {
		g := iter.Current()
		want, ok := cat.ByID(g.ID)
		if !ok || want.Kind != catalog.KindRole {
			t.Fatalf("permission group %s is not a catalog role", g.ID)
		}
		check(t, g.ID+" name", g.Name, want.Name)
		check(t, g.ID+" label", g.Meta.JSON.ExtraFields["label"].Raw(), `"`+want.Label+`"`)
		check(t, g.ID+" scopes", g.Meta.JSON.ExtraFields["scopes"].Raw(), `"`+catalog.ScopeKey(want.Scope)+`"`)
		n++
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	check(t, "permission group count", n, len(cat.Roles()))
	tunnelRole := cat.InScope(catalog.KindRole, catalog.ScopeTunnel)[0]
	g, err := c.IAM.PermissionGroups.Get(ctx, tunnelRole.ID, iam.PermissionGroupGetParams{AccountID: cloudflare.F(AccountID)})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "tunnel role name", g.Name, tunnelRole.Name)
	check(t, "tunnel role scopes", g.Meta.JSON.ExtraFields["scopes"].Raw(), `"`+catalog.ScopeKey(catalog.ScopeTunnel)+`"`)
	filtered, err := c.IAM.PermissionGroups.List(ctx, iam.PermissionGroupListParams{AccountID: cloudflare.F(AccountID), Label: cloudflare.F(tunnelRole.Label)})
	if err != nil || len(filtered.Result) != 1 || filtered.Result[0].ID != tunnelRole.ID {
		t.Fatalf("label filter: %v %+v", err, filtered)
	}

	// Legacy roles: the account-scoped roles.
	roles := 0
	riter := c.Accounts.Roles.ListAutoPaging(ctx, accounts.RoleListParams{AccountID: cloudflare.F(AccountID)}) //nolint:staticcheck // SA1019: the emulator must still serve the deprecated /roles endpoint
	for riter.Next() {
		r := riter.Current()
		want, ok := cat.ByID(r.ID)
		if !ok || want.Scope != catalog.ScopeAccount {
			t.Fatalf("role %s is not an account-scoped catalog role", r.ID)
		}
		check(t, r.ID+" description", r.Description, want.Description)
		roles++
	}
	if err := riter.Err(); err != nil {
		t.Fatal(err)
	}
	check(t, "role count", roles, len(cat.InScope(catalog.KindRole, catalog.ScopeAccount)))
	admin := cat.Find(catalog.KindRole, "Administrator")[0]
	r, err := c.Accounts.Roles.Get(ctx, admin.ID, accounts.RoleGetParams{AccountID: cloudflare.F(AccountID)}) //nolint:staticcheck // SA1019: the emulator must still serve the deprecated /roles endpoint
	if err != nil {
		t.Fatal(err)
	}
	check(t, "role name", r.Name, admin.Name)

	// Token permission groups: user endpoint has every group, account endpoint no user-only ones.
	ug, err := c.User.Tokens.PermissionGroups.List(ctx, user.TokenPermissionGroupListParams{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "user token groups", len(ug.Result), len(cat.PermissionGroups()))
	for _, g := range ug.Result {
		want, ok := cat.ByID(g.ID)
		if !ok || len(g.Scopes) != 1 || string(g.Scopes[0]) != catalog.ScopeKey(want.Scope) {
			t.Fatalf("token group %s: %+v, want scope %s", g.ID, g.Scopes, want.Scope)
		}
	}
	ag, err := c.Accounts.Tokens.PermissionGroups.List(ctx, accounts.TokenPermissionGroupListParams{AccountID: cloudflare.F(AccountID)})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "account token groups", len(ag.Result), len(cat.PermissionGroups())-len(cat.InScope(catalog.KindPermissionGroup, catalog.ScopeUser)))
	zoneOnly, err := c.User.Tokens.PermissionGroups.List(ctx, user.TokenPermissionGroupListParams{Scope: cloudflare.F(catalog.ScopeKey(catalog.ScopeZone))})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "zone token groups", len(zoneOnly.Result), len(cat.InScope(catalog.KindPermissionGroup, catalog.ScopeZone)))
}

func TestDecodeMembersAndResourceGroups(t *testing.T) {
	e, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	acct := cloudflare.F(AccountID)

	ms, err := c.Accounts.Members.List(ctx, accounts.MemberListParams{AccountID: acct})
	if err != nil || len(ms.Result) != 1 {
		t.Fatalf("members: %v %+v", err, ms)
	}
	admin := ms.Result[0]
	check(t, "admin member", admin.ID, AdminMemberID)
	check(t, "admin email", admin.User.Email, AdminEmail)
	check(t, "admin status", string(admin.Status), "accepted")
	superAdmin := catalogID(t, "Super Administrator - All Privileges", "account")
	check(t, "admin role", admin.Roles[0].ID, superAdmin)
	check(t, "admin policy group", admin.Policies[0].PermissionGroups[0].ID, superAdmin)
	check(t, "admin policy resource group", admin.Policies[0].ResourceGroups[0].ID, AccountResourceGroupID)

	rg, err := c.IAM.ResourceGroups.New(ctx, iam.ResourceGroupNewParams{AccountID: acct, Name: cloudflare.F("tunnel a"),
		Scope: cloudflare.F(iam.ResourceGroupNewParamsScope{Key: cloudflare.F(catalog.ResourceKey(catalog.ScopeAccount, AccountID)),
			Objects: cloudflare.F([]iam.ResourceGroupNewParamsScopeObject{{Key: cloudflare.F(catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))}})})})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "new rg scope key", rg.Scope.Key, catalog.ResourceKey(catalog.ScopeAccount, AccountID))
	check(t, "new rg object", rg.Scope.Objects[0].Key, catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	held := e.ResourceGroups(AccountID)
	check(t, "rg held", held[len(held)-1].ID, rg.ID)
	gotRG, err := c.IAM.ResourceGroups.Get(ctx, rg.ID, iam.ResourceGroupGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "rg name", gotRG.Name, "tunnel a")
	if !strings.Contains(gotRG.Scope.JSON.RawJSON(), catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA)) {
		t.Errorf("rg scope: %s", gotRG.Scope.JSON.RawJSON())
	}
	if _, err := c.IAM.ResourceGroups.Update(ctx, rg.ID, iam.ResourceGroupUpdateParams{AccountID: acct, Name: cloudflare.F("tunnel a, renamed")}); err != nil {
		t.Fatal(err)
	}
	list, err := c.IAM.ResourceGroups.List(ctx, iam.ResourceGroupListParams{AccountID: acct})
	if err != nil || len(list.Result) != 2 {
		t.Fatalf("rg list: %v %+v", err, list)
	}

	readRole := catalog.Embedded().InScope(catalog.KindRole, catalog.ScopeTunnel)
	var instanceRead string
	for _, r := range readRole {
		if strings.HasSuffix(r.Name, "Read") {
			instanceRead = r.ID
		}
	}
	newAccepted := accounts.MemberNewParams{AccountID: acct, Body: accounts.MemberNewParamsBodyIAMCreateMemberWithPolicies{
		Email:  cloudflare.F("tunnel-reader@example.com"),
		Status: cloudflare.F(accounts.MemberNewParamsBodyIAMCreateMemberWithPoliciesStatusAccepted),
		Policies: cloudflare.F([]accounts.MemberNewParamsBodyIAMCreateMemberWithPoliciesPolicy{{
			Access:           cloudflare.F(accounts.MemberNewParamsBodyIAMCreateMemberWithPoliciesPoliciesAccessAllow),
			PermissionGroups: cloudflare.F([]accounts.MemberNewParamsBodyIAMCreateMemberWithPoliciesPoliciesPermissionGroup{{ID: cloudflare.F(instanceRead)}}),
			ResourceGroups:   cloudflare.F([]accounts.MemberNewParamsBodyIAMCreateMemberWithPoliciesPoliciesResourceGroup{{ID: cloudflare.F(rg.ID)}}),
		}}),
	}}
	// Refused by default, as Cloudflare refuses it; the SDK reads the refusal.
	_, err = c.Accounts.Members.New(ctx, newAccepted)
	var refused *cloudflare.Error
	if !errors.As(err, &refused) || refused.StatusCode != http.StatusBadRequest || len(refused.Errors) != 1 || refused.Errors[0].Code != 1001 ||
		refused.Errors[0].Message != "Invalid request: automatic verification of new members is not allowed" {
		t.Fatalf("a direct add as accepted must be refused with 400, code 1001, got %v", err)
	}
	// An account that allows it.
	e.SetAllowDirectAdd(true)
	m, err := c.Accounts.Members.New(ctx, newAccepted)
	if err != nil {
		t.Fatal(err)
	}
	held1, ok := e.Member(AccountID, m.ID)
	if !ok {
		t.Fatal("created member not held")
	}
	check(t, "member policy id", m.Policies[0].ID, held1.Policies[0].ID)
	check(t, "member policy group", m.Policies[0].PermissionGroups[0].ID, instanceRead)
	check(t, "member policy rg", m.Policies[0].ResourceGroups[0].ID, rg.ID)
	check(t, "member status", string(m.Status), "accepted")

	got, err := c.Accounts.Members.Get(ctx, m.ID, accounts.MemberGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "member email", got.User.Email, "tunnel-reader@example.com")

	upd, err := c.Accounts.Members.Update(ctx, m.ID, accounts.MemberUpdateParams{AccountID: acct, Body: accounts.MemberUpdateParamsBodyIAMUpdateMemberWithRoles{
		Roles: cloudflare.F([]shared.RoleParam{{ID: cloudflare.F(catalogID(t, "Administrator Read Only", "account"))}}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "updated role", upd.Roles[0].ID, catalogID(t, "Administrator Read Only", "account"))
	if _, err := c.Accounts.Members.Delete(ctx, m.ID, accounts.MemberDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Member(AccountID, m.ID); ok {
		t.Fatal("deleted member still held")
	}
	if _, err := c.IAM.ResourceGroups.Delete(ctx, rg.ID, iam.ResourceGroupDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeTokens(t *testing.T) {
	e, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	pg := tokenGroupID("Account Settings Read")
	pol := []shared.TokenPolicyParam{{
		Effect:           cloudflare.F(shared.TokenPolicyEffectAllow),
		PermissionGroups: cloudflare.F([]shared.TokenPolicyPermissionGroupParam{{ID: cloudflare.F(pg)}}),
		Resources:        cloudflare.F[shared.TokenPolicyResourcesUnionParam](shared.TokenPolicyResourcesIAMResourcesTypeObjectStringParam{catalog.ResourceKey(catalog.ScopeAccount, AccountID): "*"}),
	}}
	tok, err := c.User.Tokens.New(ctx, user.TokenNewParams{Name: cloudflare.F("ci"), Policies: cloudflare.F(pol),
		Condition: cloudflare.F(user.TokenNewParamsCondition{RequestIP: cloudflare.F(user.TokenNewParamsConditionRequestIP{In: cloudflare.F([]string{"127.0.0.0/8", "::1/128"})})})})
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Value) < 40 || tok.ID == "" {
		t.Fatalf("token: %+v", tok)
	}
	check(t, "condition in", strings.Join(tok.Condition.RequestIP.In, ","), "127.0.0.0/8,::1/128")
	held := e.UserTokens()
	check(t, "held token", held[0].ID, tok.ID)
	check(t, "held condition key", held[0].Condition.WireKey, "request_ip")

	got, err := c.User.Tokens.Get(ctx, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "token name", got.Name, "ci")
	check(t, "token group", got.Policies[0].PermissionGroups[0].ID, pg)
	check(t, "token group name", got.Policies[0].PermissionGroups[0].Name, "Account Settings Read")
	if strings.Contains(got.JSON.RawJSON(), tok.Value) {
		t.Fatal("GET returned the token value")
	}

	// The new token authenticates and verifies.
	tc := sdk(srv, tok.Value)
	v, err := tc.User.Tokens.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "verify id", v.ID, tok.ID)
	check(t, "verify status", string(v.Status), "active")
	if _, err := tc.Accounts.Get(ctx, accounts.AccountGetParams{AccountID: cloudflare.F(AccountID)}); err != nil {
		t.Fatalf("token cannot read its account: %v", err)
	}

	upd, err := c.User.Tokens.Update(ctx, tok.ID, user.TokenUpdateParams{Token: shared.TokenParam{Name: cloudflare.F("ci2"), Policies: cloudflare.F(pol),
		Status: cloudflare.F(shared.TokenStatusDisabled)}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "updated status", string(upd.Status), "disabled")
	if _, err := tc.User.Tokens.Verify(ctx); err == nil {
		t.Fatal("a disabled token verified")
	}
	if _, err := c.User.Tokens.Update(ctx, tok.ID, user.TokenUpdateParams{Token: shared.TokenParam{Name: cloudflare.F("ci2"), Policies: cloudflare.F(pol),
		Status: cloudflare.F(shared.TokenStatusActive)}}); err != nil {
		t.Fatal(err)
	}
	rolled, err := c.User.Tokens.Value.Update(ctx, tok.ID, user.TokenValueUpdateParams{Body: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if *rolled == tok.Value || len(*rolled) < 40 {
		t.Fatalf("roll returned %q", *rolled)
	}
	if _, err := tc.User.Tokens.Verify(ctx); err == nil {
		t.Fatal("the old value still verifies after a roll")
	}
	if _, err := sdk(srv, *rolled).User.Tokens.Verify(ctx); err != nil {
		t.Fatalf("the rolled value does not verify: %v", err)
	}
	lst, err := c.User.Tokens.List(ctx, user.TokenListParams{})
	if err != nil || len(lst.Result) != 1 {
		t.Fatalf("token list: %v %+v", err, lst)
	}
	if _, err := c.User.Tokens.Delete(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if len(e.UserTokens()) != 0 {
		t.Fatal("deleted token still held")
	}

	// Account-owned tokens.
	acct := cloudflare.F(AccountID)
	at, err := c.Accounts.Tokens.New(ctx, accounts.TokenNewParams{AccountID: acct, Name: cloudflare.F("acct"), Policies: cloudflare.F(pol)})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "account token held", e.AccountTokens(AccountID)[0].ID, at.ID)
	av, err := sdk(srv, at.Value).Accounts.Tokens.Verify(ctx, accounts.TokenVerifyParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "account verify", av.ID, at.ID)
	if _, err := sdk(srv, at.Value).User.Tokens.Verify(ctx); err == nil {
		t.Fatal("an account token verified as a user token")
	}
	ag, err := c.Accounts.Tokens.Get(ctx, at.ID, accounts.TokenGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "account token name", ag.Name, "acct")
	if _, err := c.Accounts.Tokens.Update(ctx, at.ID, accounts.TokenUpdateParams{AccountID: acct, Token: shared.TokenParam{Name: cloudflare.F("acct2"), Policies: cloudflare.F(pol)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.Tokens.Value.Update(ctx, at.ID, accounts.TokenValueUpdateParams{AccountID: acct, Body: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	al, err := c.Accounts.Tokens.List(ctx, accounts.TokenListParams{AccountID: acct})
	if err != nil || len(al.Result) != 1 || al.Result[0].Name != "acct2" {
		t.Fatalf("account token list: %v %+v", err, al)
	}
	if _, err := c.Accounts.Tokens.Delete(ctx, at.ID, accounts.TokenDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeTunnelsAndRoutes(t *testing.T) {
	e, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	acct := cloudflare.F(AccountID)
	tl, err := c.ZeroTrust.Tunnels.Cloudflared.List(ctx, zero_trust.TunnelCloudflaredListParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, tun := range tl.Result {
		names[tun.Name] = tun.ID
		check(t, tun.Name+" account", tun.AccountTag, AccountID)
	}
	check(t, "app-a", names["app-a"], TunnelAppA)
	check(t, "app-b", names["app-b"], TunnelAppB)

	nt, err := c.ZeroTrust.Tunnels.Cloudflared.New(ctx, zero_trust.TunnelCloudflaredNewParams{AccountID: acct, Name: cloudflare.F("app-c")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ZeroTrust.Tunnels.Cloudflared.Edit(ctx, nt.ID, zero_trust.TunnelCloudflaredEditParams{AccountID: acct, Name: cloudflare.F("app-c2")}); err != nil {
		t.Fatal(err)
	}
	del, err := c.ZeroTrust.Tunnels.Cloudflared.Delete(ctx, nt.ID, zero_trust.TunnelCloudflaredDeleteParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	if del.DeletedAt.IsZero() {
		t.Fatal("deleted Tunnel has no deleted_at")
	}
	// Soft delete: gone from is_deleted=false, listed with is_deleted=true and
	// with no filter (as the API documents), readable by ID.
	live, err := c.ZeroTrust.Tunnels.Cloudflared.List(ctx, zero_trust.TunnelCloudflaredListParams{AccountID: acct, IsDeleted: cloudflare.F(false)})
	if err != nil || len(live.Result) != 2 {
		t.Fatalf("is_deleted=false list: %v %d", err, len(live.Result))
	}
	def, err := c.ZeroTrust.Tunnels.Cloudflared.List(ctx, zero_trust.TunnelCloudflaredListParams{AccountID: acct})
	if err != nil || len(def.Result) != 3 {
		t.Fatalf("default list: %v %d, want the deleted Tunnel too", err, len(def.Result))
	}
	deleted, err := c.ZeroTrust.Tunnels.Cloudflared.List(ctx, zero_trust.TunnelCloudflaredListParams{AccountID: acct, IsDeleted: cloudflare.F(true)})
	if err != nil || len(deleted.Result) != 1 || deleted.Result[0].ID != nt.ID {
		t.Fatalf("is_deleted list: %v %+v", err, deleted)
	}
	gt, err := c.ZeroTrust.Tunnels.Cloudflared.Get(ctx, nt.ID, zero_trust.TunnelCloudflaredGetParams{AccountID: acct})
	if err != nil || gt.DeletedAt.IsZero() || gt.Name != "app-c2" {
		t.Fatalf("get deleted: %v %+v", err, gt)
	}

	rl, err := c.ZeroTrust.Networks.Routes.List(ctx, zero_trust.NetworkRouteListParams{AccountID: acct})
	if err != nil || len(rl.Result) != 2 {
		t.Fatalf("routes: %v %+v", err, rl)
	}
	nets := map[string]string{}
	for _, r := range rl.Result {
		nets[r.TunnelID] = r.Network
	}
	check(t, "route app-a", nets[TunnelAppA], RouteNetworkAppA)
	check(t, "route app-b", nets[TunnelAppB], RouteNetworkAppB)
	nr, err := c.ZeroTrust.Networks.Routes.New(ctx, zero_trust.NetworkRouteNewParams{AccountID: acct, Network: cloudflare.F("10.7.0.0/16"), TunnelID: cloudflare.F(TunnelAppB)})
	if err != nil {
		t.Fatal(err)
	}
	er, err := c.ZeroTrust.Networks.Routes.Edit(ctx, nr.ID, zero_trust.NetworkRouteEditParams{AccountID: acct, Comment: cloudflare.F("edited")})
	if err != nil || er.Comment != "edited" {
		t.Fatalf("route edit: %v %+v", err, er)
	}
	gr, err := c.ZeroTrust.Networks.Routes.Get(ctx, nr.ID, zero_trust.NetworkRouteGetParams{AccountID: acct})
	if err != nil || gr.Network != "10.7.0.0/16" {
		t.Fatalf("route get: %v %+v", err, gr)
	}
	if _, err := c.ZeroTrust.Networks.Routes.Delete(ctx, nr.ID, zero_trust.NetworkRouteDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	routes := e.Routes(AccountID)
	if routes[len(routes)-1].DeletedAt == nil {
		t.Fatal("deleted route has no deleted_at")
	}
}

// Mesh nodes decode into cloudflare-go's zero_trust TunnelWARPConnector*
// types, every field known to them (no extra fields), with is_deleted
// filtering as for Tunnels.
func TestDecodeMeshNodes(t *testing.T) {
	e, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	acct := cloudflare.F(AccountID)
	gone := seedTime.Add(2 * time.Hour)
	e.mu.Lock()
	e.meshNodes = append(e.meshNodes, &Tunnel{ID: "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", AccountID: AccountID, Name: "retired",
		Status: "down", CreatedAt: seedTime, DeletedAt: &gone})
	e.mu.Unlock()

	l, err := c.ZeroTrust.Tunnels.WARPConnector.List(ctx, zero_trust.TunnelWARPConnectorListParams{AccountID: acct, IsDeleted: cloudflare.F(false)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, n := range l.Result {
		names[n.Name] = n.ID
		check(t, n.Name+" account", n.AccountTag, AccountID)
		check(t, n.Name+" tun_type", n.TunType, zero_trust.TunnelWARPConnectorListResponseTunTypeWARPConnector)
		if !n.Status.IsKnown() || n.CreatedAt.IsZero() || !n.DeletedAt.IsZero() {
			t.Errorf("%s: status %q, created %v, deleted %v", n.Name, n.Status, n.CreatedAt, n.DeletedAt)
		}
		if len(n.JSON.ExtraFields) != 0 {
			t.Errorf("%s: fields cloudflare-go does not know: %v", n.Name, n.JSON.ExtraFields)
		}
	}
	if !reflect.DeepEqual(names, map[string]string{"office-a": "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f", "office-b": "3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"}) {
		t.Errorf("live Mesh nodes: %v", names)
	}
	// Connections (deprecated in cloudflare-go) carry the fields of its
	// WARP Connector connection type only: no is_pending_reconnect, which
	// cfd_tunnel connections have.
	for _, n := range l.Result {
		if raw := n.JSON.RawJSON(); strings.Contains(raw, "is_pending_reconnect") || n.Name == "office-a" && !strings.Contains(raw, `"colo_name":"fra02"`) {
			t.Errorf("%s connections: %s", n.Name, raw)
		}
	}
	deleted, err := c.ZeroTrust.Tunnels.WARPConnector.List(ctx, zero_trust.TunnelWARPConnectorListParams{AccountID: acct, IsDeleted: cloudflare.F(true)})
	if err != nil || len(deleted.Result) != 1 || deleted.Result[0].Name != "retired" || deleted.Result[0].DeletedAt.IsZero() {
		t.Fatalf("is_deleted=true: %v %+v", err, deleted)
	}
	all, err := c.ZeroTrust.Tunnels.WARPConnector.List(ctx, zero_trust.TunnelWARPConnectorListParams{AccountID: acct})
	if err != nil || len(all.Result) != 3 {
		t.Fatalf("no is_deleted lists both: %v %d", err, len(all.Result))
	}
	g, err := c.ZeroTrust.Tunnels.WARPConnector.Get(ctx, MeshNodeOfficeA, zero_trust.TunnelWARPConnectorGetParams{AccountID: acct})
	if err != nil || g.Name != "office-a" || g.Status != zero_trust.TunnelWARPConnectorGetResponseStatusHealthy ||
		g.TunType != zero_trust.TunnelWARPConnectorGetResponseTunTypeWARPConnector || len(g.JSON.ExtraFields) != 0 {
		t.Fatalf("get office-a: %v %+v", err, g)
	}
}
