package provider_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// A refresh of many bindings and resource groups reads them from paged lists
// (issue 14, item 5): the members the bindings are on from the member list
// (50 a page) and the resource groups from their one-page list, with at most
// one single read of each kind (the first read of a run is a GET: one
// managed object should not pay for listing a large account).
func TestAccRefresh_bindingsAndResourceGroupsFromPagedLists(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	analytics := roleID(t, "Analytics", catalog.ScopeAccount)
	const members, groups = 60, 12
	ids := make([]string, members)
	for i := range members {
		m, err := api.CreateMember(t.Context(), emulator.AccountID, fmt.Sprintf("binding-%02d@example.com", i), "", []cfclient.MemberPolicy{
			cfclient.NewMemberPolicy("", "allow", []string{analytics}, []string{emulator.AccountResourceGroupID}),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = fmt.Sprintf("%q", m.ID)
	}
	config := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
locals {
  member_ids = [%s]
}

resource "cfiam_tunnel_binding" "b" {
  count      = length(local.member_ids)
  member_id  = local.member_ids[count.index]
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%q]
}

resource "cfiam_resource_group" "g" {
  count    = %d
  name     = "refresh-${count.index}"
  zone_ids = [%q]
}
`, strings.Join(ids, ", "), emulator.TunnelAppA, groups, emulator.ZoneExampleCom))

	const (
		memberGet  = "GET /accounts/{account_id}/members/{member_id}"
		memberList = "GET /accounts/{account_id}/members"
		groupGet   = "GET /accounts/{account_id}/iam/resource_groups/{resource_group_id}"
		groupList  = "GET /accounts/{account_id}/iam/resource_groups"
	)
	var before emulator.Stats
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// A refresh alone, in a provider process of its own.
				PreConfig:    func() { before = emu.Stats() },
				RefreshState: true,
				Check: func(*terraform.State) error {
					after := emu.Stats()
					count := func(route string) int { return after.ByRoute[route] - before.ByRoute[route] }
					// Written by hand: 61 members (the seeded admin and 60) are 2
					// pages of 50; the resource groups are one page.
					if got := count(memberGet); got > 1 {
						return fmt.Errorf("the refresh of %d bindings read %d members one by one, want at most 1 (%v)", members, got, after.ByRoute)
					}
					if got := count(memberList); got > 2 {
						return fmt.Errorf("the refresh listed %d pages of members, want at most 2", got)
					}
					if got := count(groupGet); got > 1 {
						return fmt.Errorf("the refresh of %d resource groups read %d one by one, want at most 1 (%v)", groups, got, after.ByRoute)
					}
					if got := count(groupList); got > 1 {
						return fmt.Errorf("the refresh listed the resource groups %d times, want at most 1", got)
					}
					return nil
				},
			},
			{Config: config, PlanOnly: true}, // and nothing to change
		},
	})
}

// A member changed outside Terraform costs its refresh one read (issue 27,
// item 6): the read that finds the change answers with it, where it used to
// hand the request to the framework, which read again (the second read of a
// run being the account's whole paged list). Run with the provider binary,
// as it ships, and a refresh alone.
func TestAccRefresh_driftedMemberIsOneRead(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	billing := roleID(t, "Billing", catalog.ScopeAccount)
	tf := newTFCLI(t, baseURL)
	dir := t.TempDir()
	writeWorkspace(t, dir, cfiamRequirement+`
resource "cfiam_account_member" "m" {
  email    = "drifted@example.com"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`)
	tf.apply(dir)
	m, err := api.FindMemberByEmail(t.Context(), emulator.AccountID, "drifted@example.com")
	if err != nil || m == nil {
		t.Fatalf("finding the member: %v", err)
	}
	if _, err := api.UpdateMemberPolicies(t.Context(), emulator.AccountID, m.ID, []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{billing}, []string{emulator.AccountResourceGroupID}),
	}); err != nil {
		t.Fatal(err)
	}
	before := emu.Stats()
	tf.apply(dir, "-refresh-only")
	after := emu.Stats()
	const (
		memberGet  = "GET /accounts/{account_id}/members/{member_id}"
		memberList = "GET /accounts/{account_id}/members"
	)
	gets := after.ByRoute[memberGet] - before.ByRoute[memberGet]
	lists := after.ByRoute[memberList] - before.ByRoute[memberList]
	if gets+lists != 1 {
		t.Errorf("the refresh of one drifted member made %d GETs and %d list requests, want 1 request", gets, lists)
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values struct {
						Resolved []struct {
							RoleIDs []string `json:"role_ids"`
						} `json:"resolved_policies"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out, code := tf.run(dir, "show", "-json")
	if code != 0 || json.Unmarshal([]byte(out), &state) != nil || len(state.Values.RootModule.Resources) != 1 {
		t.Fatalf("terraform show -json (exit %d):\n%s", code, out)
	}
	if got := state.Values.RootModule.Resources[0].Values.Resolved; len(got) != 1 || len(got[0].RoleIDs) != 1 || got[0].RoleIDs[0] != billing {
		t.Errorf("the refreshed state's resolved policies are %+v, want the Billing role (%s) the account holds now", got, billing)
	}
}
