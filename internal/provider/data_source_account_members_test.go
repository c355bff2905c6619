package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// bindingGroupName is how cfiam_tunnel_binding names the resource group of
// one Tunnel (the prefix marks the policy as the binding's).
func bindingGroupName(tunnelID string) string {
	return "cfiam-tunnel-binding:" + catalog.ResourceKey(catalog.ScopeTunnel, tunnelID)
}

func TestAccAccountMembersDataSource_statusFilterAndScopes(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	ctx := t.Context()

	// ops@example.com is made outside Terraform: an account-wide policy, a
	// policy on a named resource group of two zones, and a Tunnel binding's policy.
	analytics := roleID(t, "Analytics", catalog.ScopeAccount)
	dns := roleID(t, "Domain DNS", catalog.ScopeZone)
	tunnelRead := roleID(t, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)
	teamZones, err := api.CreateResourceGroup(ctx, emulator.AccountID, "team-zones", []string{
		catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom),
		catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg),
	})
	if err != nil {
		t.Fatal(err)
	}
	bindingGroup, err := api.CreateResourceGroup(ctx, emulator.AccountID, bindingGroupName(emulator.TunnelAppB),
		[]string{catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppB)})
	if err != nil {
		t.Fatal(err)
	}
	opsID := invitedAndAccepted(t, baseURL, "ops@example.com",
		cfclient.NewMemberPolicy("", "allow", []string{analytics}, []string{emulator.AccountResourceGroupID}),
		cfclient.NewMemberPolicy("", "allow", []string{dns}, []string{teamZones.ID}),
		cfclient.NewMemberPolicy("", "allow", []string{tunnelRead}, []string{bindingGroup.ID}),
	)
	ops, ok := emu.Member(emulator.AccountID, opsID)
	if !ok {
		t.Fatal("ops@example.com not held")
	}

	cfg := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "dev@example.com"
  policies = [{ access = "allow", roles = ["Zone Versioning Read"], zone_ids = [%[1]q] }]
}

data "cfiam_account_members" "all" {
  depends_on = [cfiam_account_member.dev]
}

data "cfiam_account_members" "accepted" {
  status     = "accepted"
  depends_on = [cfiam_account_member.dev]
}

data "cfiam_account_members" "pending" {
  account_id = %[2]q
  status     = "pending"
  depends_on = [cfiam_account_member.dev]
}
`, emulator.ZoneExampleOrg, emulator.AccountID))

	seeded, _ := emu.Member(emulator.AccountID, emulator.AdminMemberID)
	adminView := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":          knownvalue.StringExact(emulator.AdminMemberID),
		"email":       knownvalue.StringExact(emulator.AdminEmail),
		"status":      knownvalue.StringExact("accepted"),
		"user_id":     knownvalue.StringExact(emulator.AdminUserID),
		"user_groups": knownvalue.ListExact([]knownvalue.Check{}),
		"policies": policiesExact(policyView{id: seeded.Policies[0].ID, access: "allow", scope: "account",
			roles: []knownvalue.Check{wantRole(t, "Super Administrator - All Privileges", catalog.ScopeAccount)}}),
	})
	opsView := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":          knownvalue.StringExact(ops.ID),
		"email":       knownvalue.StringExact("ops@example.com"),
		"status":      knownvalue.StringExact("accepted"),
		"user_id":     knownvalue.StringExact(ops.UserID),
		"user_groups": knownvalue.ListExact([]knownvalue.Check{}),
		"policies": policiesExact(
			policyView{id: policyIDOf(t, emu, "ops@example.com", analytics), access: "allow", scope: "account",
				roles: []knownvalue.Check{wantRole(t, "Analytics", catalog.ScopeAccount)}},
			policyView{id: policyIDOf(t, emu, "ops@example.com", dns), access: "allow", scope: "",
				roles:           []knownvalue.Check{wantRole(t, "Domain DNS", catalog.ScopeZone)},
				resourceGroupID: []string{teamZones.ID}},
			policyView{id: policyIDOf(t, emu, "ops@example.com", tunnelRead), access: "allow", scope: "tunnel",
				roles:     []knownvalue.Check{wantRole(t, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)},
				tunnelIDs: []string{emulator.TunnelAppB}, binding: true},
		),
	})
	zvRead := roleID(t, "Zone Versioning Read", catalog.ScopeZone)
	devView := func() knownvalue.Check {
		m, _ := memberByEmail(emu, "dev@example.com")
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":          knownvalue.StringExact(m.ID),
			"email":       knownvalue.StringExact("dev@example.com"),
			"status":      knownvalue.StringExact("pending"),
			"user_id":     knownvalue.StringExact(m.UserID),
			"user_groups": knownvalue.ListExact([]knownvalue.Check{}),
			"policies": policiesExact(policyView{id: policyIDOf(t, emu, "dev@example.com", zvRead), access: "allow", scope: "zone",
				roles:   []knownvalue.Check{wantRole(t, "Zone Versioning Read", catalog.ScopeZone)},
				zoneIDs: []string{emulator.ZoneExampleOrg}}),
		})
	}
	members := tfjsonpath.New("members")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				// Sorted by e-mail address.
				lazyCheck(func() statecheck.StateCheck {
					return statecheck.ExpectKnownValue("data.cfiam_account_members.all", members,
						knownvalue.ListExact([]knownvalue.Check{adminView, devView(), opsView}))
				}),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("status"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.cfiam_account_members.accepted", members,
					knownvalue.ListExact([]knownvalue.Check{adminView, opsView})),
				lazyCheck(func() statecheck.StateCheck {
					return statecheck.ExpectKnownValue("data.cfiam_account_members.pending", members,
						knownvalue.ListExact([]knownvalue.Check{devView()}))
				}),
			},
			// The data source agrees with the emulator's own list.
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources["data.cfiam_account_members.all"].Primary.Attributes
				want := emu.Members(emulator.AccountID)
				if attrs["members.#"] != fmt.Sprint(len(want)) {
					return fmt.Errorf("members.# = %s, the emulator has %d", attrs["members.#"], len(want))
				}
				return nil
			},
		}},
	})
}

// More members than one page (the API's maximum is 50) are all listed, with
// one list request per page and no request per member.
func TestAccAccountMembersDataSource_paged(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	analytics := roleID(t, "Analytics", catalog.ScopeAccount)
	const extra = 60
	for i := range extra {
		_, err := api.CreateMember(t.Context(), emulator.AccountID, fmt.Sprintf("user-%02d@example.com", i), "", []cfclient.MemberPolicy{
			cfclient.NewMemberPolicy("", "allow", []string{analytics}, []string{emulator.AccountResourceGroupID}),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const (
		listRoute = "GET /accounts/{account_id}/members"
		getRoute  = "GET /accounts/{account_id}/members/{member_id}"
	)
	var before emulator.Stats
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			PreConfig: func() { before = emu.Stats() },
			Config:    acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_account_members" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members"), knownvalue.ListSizeExact(extra+1)),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members").AtSliceIndex(0).AtMapKey("email"),
					knownvalue.StringExact(emulator.AdminEmail)),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members").AtSliceIndex(extra).AtMapKey("email"),
					knownvalue.StringExact(fmt.Sprintf("user-%02d@example.com", extra-1))),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members").AtSliceIndex(1).AtMapKey("policies"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"scope": knownvalue.StringExact("account"),
						"roles": knownvalue.ListExact([]knownvalue.Check{wantRole(t, "Analytics", catalog.ScopeAccount)}),
					})})),
			},
			Check: func(*terraform.State) error {
				after := emu.Stats()
				lists := after.ByRoute[listRoute] - before.ByRoute[listRoute]
				gets := after.ByRoute[getRoute] - before.ByRoute[getRoute]
				// Each read of the data source lists 2 pages (50 + 11).
				if gets != 0 || lists == 0 || lists%2 != 0 {
					return fmt.Errorf("member requests: %d list pages, %d single reads; want 2 pages a read and no single reads", lists, gets)
				}
				return nil
			},
		}},
	})
}

// Each member lists the user groups it is in, from one list of the groups
// and one list of each group's members per read, never one request per
// member: alice is in platform and billing, bob in platform, ops@ (and the
// seeded admin) in none; a group with no members is listed under nobody.
func TestAccAccountMemberDataSources_userGroups(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	alice, bob := outsideMember(t, baseURL, "alice@example.com"), outsideMember(t, baseURL, "bob@example.com")
	outsideMember(t, baseURL, "ops@example.com")
	platform := outsideGroup(t, api, "platform", "Administrator Read Only", alice, bob)
	billing := outsideGroup(t, api, "billing", "Billing", alice)
	outsideGroup(t, api, "empty", "Analytics")
	group := func(id, name string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name)})
	}
	none := knownvalue.ListExact([]knownvalue.Check{})
	// Sorted by name: billing before platform.
	aliceGroups := knownvalue.ListExact([]knownvalue.Check{group(billing, "billing"), group(platform, "platform")})
	bobGroups := knownvalue.ListExact([]knownvalue.Check{group(platform, "platform")})
	userGroups := func(i int) tfjsonpath.Path { return tfjsonpath.New("members").AtSliceIndex(i).AtMapKey("user_groups") }

	const (
		groupsRoute  = "GET /accounts/{account_id}/iam/user_groups"
		membersRoute = "GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"
		memberRoute  = "GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members/{member_id}"
	)
	var before emulator.Stats
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			PreConfig: func() { before = emu.Stats() },
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_account_members" "all" {}

data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

data "cfiam_account_member" "ops" {
  email = "ops@example.com"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Members sorted by e-mail: admin@, alice@, bob@, ops@.
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", tfjsonpath.New("members").AtSliceIndex(1).AtMapKey("id"),
					knownvalue.StringExact(alice)),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", userGroups(0), none),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", userGroups(1), aliceGroups),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", userGroups(2), bobGroups),
				statecheck.ExpectKnownValue("data.cfiam_account_members.all", userGroups(3), none),
				statecheck.ExpectKnownValue("data.cfiam_account_member.alice", tfjsonpath.New("user_groups"), aliceGroups),
				statecheck.ExpectKnownValue("data.cfiam_account_member.ops", tfjsonpath.New("user_groups"), none),
			},
			Check: func(*terraform.State) error {
				after := emu.Stats()
				groupLists := after.ByRoute[groupsRoute] - before.ByRoute[groupsRoute]
				memberLists := after.ByRoute[membersRoute] - before.ByRoute[membersRoute]
				singles := after.ByRoute[memberRoute] - before.ByRoute[memberRoute]
				// Three data sources, three groups: each read lists the groups
				// once and each group's members once.
				if groupLists == 0 || singles != 0 || memberLists != 3*groupLists {
					return fmt.Errorf("user group requests: %d group lists, %d member lists, %d single member reads; "+
						"want 3 member lists (one a group) per group list and no single reads", groupLists, memberLists, singles)
				}
				return nil
			},
		}},
	})
}
