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
// 120 more) and 60 user groups of two members each reads each kind with one
// paged list and each group's members once, as a plan of them does (the
// bench measures 1,000 members and 100 groups): every request by route,
// counted from the emulator's own counters, written out by hand.
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
		"GET /accounts/{account_id}/tokens/permission_groups":                1,  // token permission groups, to name them
		"GET /zones":                                           1,
		"GET /accounts/{account_id}/cfd_tunnel":                1,
		"GET /accounts/{account_id}/warp_connector":            1,
		"GET /accounts/{account_id}/access/apps":               2, // the applications, and again for their own policies
		"GET /accounts/{account_id}/access/identity_providers": 1,
		"GET /accounts/{account_id}/access/policies":           1,
		"GET /accounts/{account_id}/access/service_tokens":     1,
		"GET /accounts/{account_id}/infrastructure/targets":    1,
		"GET /accounts/{account_id}/tokens":                    1,
		"GET /user/tokens":                                     1,
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
