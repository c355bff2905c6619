package main

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// TestAccess_requests: `cfiam access` over 121 members (the seeded admin and
// 120 more) and 60 user groups of two members each, every grant an account
// role, reads the members, groups, roles and tokens with one paged list
// each and each group's members once, as a plan of them does (the bench
// measures 1,000 members and 100 groups), and no zone or object: every
// request by route, counted from the emulator's own counters, written out
// by hand.
func TestAccess_requests(t *testing.T) {
	emu := emulator.New()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	base := srv.URL + "/client/v4"
	for k, v := range map[string]string{
		"CLOUDFLARE_API_TOKEN": emulator.AdminToken, "CLOUDFLARE_BASE_URL": base,
		"CLOUDFLARE_ACCOUNT_ID": emulator.AccountID, "CLOUDFLARE_API_KEY": "", "CLOUDFLARE_EMAIL": "",
		"CFIAM_MAX_RETRIES": "", "CFIAM_REQUEST_TIMEOUT": "",
	} {
		t.Setenv(k, v)
	}
	ctx, acct := t.Context(), emulator.AccountID
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: base, AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	role, err := catalog.Embedded().ResolveRole("Analytics", catalog.ScopeAccount)
	if err != nil {
		t.Fatal(err)
	}
	analytics := cfclient.NewMemberPolicy("", "allow", []string{role.ID}, []string{emulator.AccountResourceGroupID})
	var ids []string
	for i := range 120 {
		m, err := c.CreateMember(ctx, acct, fmt.Sprintf("member%03d@example.com", i), "pending", []cfclient.MemberPolicy{analytics})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	for g := range 60 {
		ug, err := c.CreateUserGroup(ctx, acct, fmt.Sprintf("group-%02d", g), []cfclient.MemberPolicy{analytics})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddUserGroupMembers(ctx, acct, ug.ID, []string{ids[g], ids[g+60]}); err != nil {
			t.Fatal(err)
		}
	}

	before := emu.Stats()
	rows := accessJSON(t)
	after := emu.Stats()
	got := map[string]int{}
	for route, n := range after.ByRoute {
		if d := n - before.ByRoute[route]; d > 0 {
			got[route] = d
		}
	}
	want := map[string]int{
		"GET /accounts/{account_id}/members":                                 3,  // 121 members, 50 a page
		"GET /accounts/{account_id}/iam/user_groups":                         2,  // 60 groups, 50 a page
		"GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members": 60, // one list per group
		"GET /accounts/{account_id}/iam/permission_groups":                   2,  // the roles catalog: some 90 roles, 50 a page
		"GET /accounts/{account_id}/tokens":                                  1,
		"GET /user/tokens":                                                   1,
		// no token permission groups: no token holds one to name; no zone
		// and no object of any kind: Analytics and the admin's Super
		// Administrator are account roles, one account row each
	}
	if !maps.Equal(got, want) {
		t.Errorf("requests by route:\n got %v\nwant %v", got, want)
	}
	// The report read them all: each group holds Analytics account-wide.
	groups := 0
	for _, r := range rows {
		if r.PrincipalKind == "group" && r.Role == "Analytics" && r.Scope == "account" {
			groups++
		}
	}
	if groups != 60 {
		t.Errorf("%d groups hold Analytics account-wide in the report, want 60", groups)
	}
}

// TestAccess_requestsByNeed: a kind is listed only when a grant of a
// principal the filters keep is bound to its objects (with --scope: or an
// account role covers it), each kind once, Access applications once for
// themselves and their own policies. Counted from the emulator's counters;
// the expectations are written out by hand from newAccessAccount's setup.
func TestAccess_requestsByNeed(t *testing.T) {
	emu := emulator.New()
	newAccessAccountOn(t, emu)
	principals := map[string]int{
		"GET /accounts/{account_id}/members":                                 1,
		"GET /accounts/{account_id}/iam/user_groups":                         1,
		"GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members": 1,
		"GET /accounts/{account_id}/iam/permission_groups":                   2,
		"GET /accounts/{account_id}/tokens":                                  1,
		"GET /user/tokens":                                                   1,
		// the account token's Account Settings Read is a token permission
		// group, which the roles' list does not name
		"GET /accounts/{account_id}/tokens/permission_groups": 1,
	}
	with := func(routes ...string) map[string]int {
		out := maps.Clone(principals)
		for _, r := range routes {
			out[r]++
		}
		return out
	}
	const (
		zones    = "GET /zones"
		tunnels  = "GET /accounts/{account_id}/cfd_tunnel"
		mesh     = "GET /accounts/{account_id}/warp_connector"
		apps     = "GET /accounts/{account_id}/access/apps"
		idps     = "GET /accounts/{account_id}/access/identity_providers"
		policies = "GET /accounts/{account_id}/access/policies"
		sTokens  = "GET /accounts/{account_id}/access/service_tokens"
		targets  = "GET /accounts/{account_id}/infrastructure/targets"
	)
	for _, tc := range []struct {
		name string
		args []string
		want map[string]int
	}{
		// alice's zone, bob's Tunnel, the group's applications and their
		// own policies; the seeded Super Administrator is one account row.
		{"everyone", nil, with(zones, tunnels, apps, policies)},
		// Who can do what on objects named "app": the Super Administrator
		// covers every kind, so every kind is listed.
		{"everyone, --scope app", []string{"--scope", "app"}, with(zones, tunnels, mesh, apps, idps, policies, sTokens, targets)},
		// Domain DNS on example.com: zones only.
		{"alice", []string{"--principal", "alice@"}, with(zones)},
		// Tunnel Instance Read on app-a (a binding), a deny of Access App
		// Admin on app-b, and the group's Access App Admin on app-a and
		// app-b, which reaches app-a's own policy: no zone, no Mesh node.
		{"bob", []string{"--principal", "bob@"}, with(tunnels, apps, policies)},
		// The account token names the account, not a zone.
		{"the account token", []string{"--principal", "script"}, principals},
		// bob's roles that are not Tunnel roles: the Access ones.
		{"bob, Access roles", []string{"--principal", "bob@", "--role", "access app"}, with(apps, policies)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := emu.Stats()
			rows := accessJSON(t, tc.args...)
			after := emu.Stats()
			got := map[string]int{}
			for route, n := range after.ByRoute {
				if d := n - before.ByRoute[route]; d > 0 {
					got[route] = d
				}
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("requests by route:\n got %v\nwant %v", got, tc.want)
			}
			if len(rows) == 0 {
				t.Error("no rows")
			}
		})
	}
}
