package provider_test

import (
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
