package provider_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func userGroupConfig(baseURL, name, policies string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_user_group" "g" {
  name     = %q
  policies = [%s]
}
`, name, policies))
}

// checkGroupInEmulator checks, in the emulator, the group's name and its
// policies as "access roles|objects", written out by the test.
func checkGroupInEmulator(t *testing.T, emu *emulator.Emulator, name string, want ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources["cfiam_user_group.g"].Primary.ID
		g, ok := emu.UserGroup(emulator.AccountID, id)
		if !ok {
			return fmt.Errorf("the emulator has no user group %s", id)
		}
		if g.Name != name {
			return fmt.Errorf("group name in the emulator: %q, want %q", g.Name, name)
		}
		var got []string
		for _, p := range emulatorGroupPolicies(t, emu, id) {
			got = append(got, p.access+" "+strings.Join(p.roles, ",")+"|"+strings.Join(p.objects, ","))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("group policies in the emulator:\n got  %q\n want %q", got, want)
		}
		return nil
	}
}

func TestAccUserGroup_lifecycle(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	com, org := emulator.ZoneExampleCom, emulator.ZoneExampleOrg
	accountKey := "com.cloudflare.api.account." + emulator.AccountID
	comKey, orgKey := "com.cloudflare.api.account.zone."+com, "com.cloudflare.api.account.zone."+org
	tunnelKey := "com.cloudflare.api.account.cfd_tunnel." + emulator.TunnelAppA
	created := userGroupConfig(baseURL, "dns-admins", fmt.Sprintf(`
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%q] },`, com))
	updated := userGroupConfig(baseURL, "dns-team", fmt.Sprintf(`
    { access = "allow", roles = ["Domain DNS", "Zone Versioning Read"], zone_ids = [%q, %q] },
    { access = "deny", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%q] },`, com, org, emulator.TunnelAppA))
	var groupID string
	sameID := func(s *terraform.State) error {
		id := s.RootModule().Resources["cfiam_user_group.g"].Primary.ID
		if groupID == "" {
			groupID = id
		} else if id != groupID {
			return fmt.Errorf("the group was replaced: %s -> %s", groupID, id)
		}
		return nil
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(*terraform.State) error {
			if len(emu.UserGroups(emulator.AccountID)) != 0 {
				return fmt.Errorf("user groups left after destroy: %+v", emu.UserGroups(emulator.AccountID))
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.Name == orgKey || g.Name == tunnelKey {
					return fmt.Errorf("resource group %s, made for the group's policies, left behind after destroy", g.Name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_user_group.g", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue("cfiam_user_group.g", tfjsonpath.New("id"), knownvalue.StringRegexp(regexpMust(`^[0-9a-f]{32}$`))),
				},
				Check: resource.ComposeTestCheckFunc(sameID,
					checkGroupInEmulator(t, emu, "dns-admins", "allow Administrator Read Only|"+accountKey, "allow Domain DNS|"+comKey)),
			},
			{
				Config:           created,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group.g", plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeTestCheckFunc(sameID,
					checkGroupInEmulator(t, emu, "dns-team", "allow Domain DNS,Zone Versioning Read|"+comKey+","+orgKey,
						"deny Cloudflare Tunnel Instance Read|"+tunnelKey)),
			},
			{
				Config:           updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName:      "cfiam_user_group.g",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return emulator.AccountID + "/" + s.RootModule().Resources["cfiam_user_group.g"].Primary.ID, nil
				},
			},
			{
				ResourceName:      "cfiam_user_group.g",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateId:     emulator.AccountID + "/dns-team",
			},
			{
				// Deleted outside Terraform: the plan creates it again.
				PreConfig: func() {
					emulatorAdminCall(t, baseURL, "DELETE", "/accounts/"+emulator.AccountID+"/iam/user_groups/"+groupID, nil)
					groupID = ""
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group.g", plancheck.ResourceActionCreate)}},
				Check: resource.ComposeTestCheckFunc(sameID,
					checkGroupInEmulator(t, emu, "dns-team", "allow Domain DNS,Zone Versioning Read|"+comKey+","+orgKey,
						"deny Cloudflare Tunnel Instance Read|"+tunnelKey)),
			},
		},
	})
}

// A group's policies take a member's checks, at validate with no credentials.
func TestAccUserGroup_validation(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ policies, error string }{
		"domain role account-wide": {`{ access = "allow", roles = ["Domain DNS"] }`,
			`Role used at the wrong scope .* "Domain DNS" is a domain-scoped role but this policy is account-wide`},
		"account role on Tunnels": {fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Access"], tunnel_ids = [%q] }`, emulator.TunnelAppA),
			`"Cloudflare Access" is an account-scoped role but this policy applies to Tunnels`},
		"misspelt access": {`{ acess = "deny", roles = ["Analytics"] }`, `attribute "access" is required`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expectInvalidOffline(t, fmt.Sprintf(`
resource "cfiam_user_group" "g" {
  name     = "g"
  policies = [%s]
}
`, tc.policies), tc.error)
		})
	}
}

// outsideGroup makes a user group with one account-wide policy of role and
// puts memberIDs in it, outside Terraform.
func outsideGroup(t *testing.T, api *cfclient.Client, name, role string, memberIDs ...string) string {
	t.Helper()
	g, err := api.CreateUserGroup(t.Context(), emulator.AccountID, name, []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, role, catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(memberIDs) > 0 {
		if _, err := api.AddUserGroupMembers(t.Context(), emulator.AccountID, g.ID, memberIDs); err != nil {
			t.Fatal(err)
		}
	}
	return g.ID
}

// The last-Super-Administrator guard counts a member who holds it only
// through a group: the seeded admin may give up its own.
func TestAccUserGroup_superAdministratorThroughGroupCounts(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	bob := newAcceptedMember(t, baseURL)
	outsideGroup(t, api, "owners", catalog.RoleSuperAdministrator, bob)
	admin := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
import {
  to = cfiam_account_member.admin
  id = "%[1]s/%[2]s"
}

resource "cfiam_account_member" "admin" {
  email    = %[2]q
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Administrator"] }]
}
`, emulator.AccountID, emulator.AdminEmail))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: admin},
			{Config: acctest.Config(acctest.ProviderConfig(baseURL), `
removed {
  from = cfiam_account_member.admin
  lifecycle {
    destroy = false
  }
}
`)},
		},
	})
}

// A user group's policy on a Mesh node: written as the member's is, held by
// its members on that node only (the member's own token lists just it), and
// a Mesh role on Tunnels in a group fails at validate with no credentials.
func TestAccUserGroup_meshNodes(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	dev := outsideMember(t, baseURL, "mesh-dev@example.com")
	const officeA = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f" // the emulator's seeded office-a
	config := userGroupConfig(baseURL, "mesh-ops",
		fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Mesh Node Read"], mesh_node_ids = [%q] }`, officeA)) + fmt.Sprintf(`
resource "cfiam_user_group_membership" "dev" {
  user_group_id = cfiam_user_group.g.id
  member_id     = %q
}
`, dev)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: userGroupConfig(baseURL, "mesh-ops",
					fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Mesh Node Read"], tunnel_ids = [%q] }`, emulator.TunnelAppA)),
				PlanOnly:    true,
				ExpectError: regexpMust(`(?s)'Cloudflare Mesh Node Read' applies to Mesh nodes.*add mesh_node_ids`),
			},
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					checkGroupInEmulator(t, emu, "mesh-ops", "allow Cloudflare Mesh Node Read|com.cloudflare.api.account.warp_connector."+officeA),
					func(*terraform.State) error {
						nodes, err := memberClient(t, baseURL, dev).ListMeshNodes(t.Context(), emulator.AccountID, cfclient.TunnelFilter{})
						if err != nil || len(nodes) != 1 || nodes[0].ID != officeA {
							return fmt.Errorf("the group's member lists %+v, want office-a only (error: %w)", nodes, err)
						}
						return nil
					}),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
