package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

const rgAddress = "cfiam_resource_group.test"

// testAccResourceGroupConfig is a cfiam_resource_group named name whose attr
// (zone_ids or tunnel_ids) lists ids.
func testAccResourceGroupConfig(baseURL, name, attr string, ids ...string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  name = %[1]q
  %[2]s = [%[3]s]
}
`, name, attr, strings.Join(quoted, ", ")))
}

// expectedObjectKeys builds the object keys the emulator should hold, independently
// of the provider.
func expectedObjectKeys(scope catalog.Scope, ids ...string) []string {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = catalog.ResourceKey(scope, id)
	}
	slices.Sort(keys)
	return keys
}

func knownStringSet(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return knownvalue.SetExact(checks)
}

func stateID(s *terraform.State, address string) (string, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return "", fmt.Errorf("%s not in state", address)
	}
	return rs.Primary.ID, nil
}

// checkEmulatorResourceGroup reads the emulator's own state: the group of
// address exists in the seeded account with that name and exactly those
// object keys, under the account's scope key.
func checkEmulatorResourceGroup(emu *emulator.Emulator, address, name string, scope catalog.Scope, ids ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := stateID(s, address)
		if err != nil {
			return err
		}
		for _, g := range emu.ResourceGroups(emulator.AccountID) {
			if g.ID != id {
				continue
			}
			if g.Name != name {
				return fmt.Errorf("emulator: resource group %s is named %q, want %q", id, g.Name, name)
			}
			if want := catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID); g.ScopeKey != want {
				return fmt.Errorf("emulator: resource group %s has scope key %q, want %q", id, g.ScopeKey, want)
			}
			got := slices.Sorted(slices.Values(g.Objects))
			if want := expectedObjectKeys(scope, ids...); !slices.Equal(got, want) {
				return fmt.Errorf("emulator: resource group %s holds %v, want %v", id, got, want)
			}
			return nil
		}
		return fmt.Errorf("emulator: no resource group %s in account %s", id, emulator.AccountID)
	}
}

// checkResourceGroupsDestroyed checks that no group of the state is left in the emulator.
func checkResourceGroupsDestroyed(emu *emulator.Emulator) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "cfiam_resource_group" {
				continue
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.ID == rs.Primary.ID {
					return fmt.Errorf("emulator: resource group %s (%q) still exists after destroy", g.ID, g.Name)
				}
			}
		}
		return nil
	}
}

// emulatorGroupID returns the ID of the emulator's group named name.
func emulatorGroupID(t *testing.T, emu *emulator.Emulator, name string) string {
	t.Helper()
	for _, g := range emu.ResourceGroups(emulator.AccountID) {
		if g.Name == name {
			return g.ID
		}
	}
	t.Fatalf("emulator: no resource group named %q", name)
	return ""
}

func rgPath(id string) string {
	return "/accounts/" + emulator.AccountID + "/iam/resource_groups/" + id
}

func TestAccResourceGroup_zones(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	created := testAccResourceGroupConfig(baseURL, "edge", "zone_ids", emulator.ZoneExampleCom)
	updated := testAccResourceGroupConfig(baseURL, "edge-all", "zone_ids", emulator.ZoneExampleCom, emulator.ZoneExampleOrg)
	explicitAccount := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  account_id = %[1]q
  name       = "edge-all"
  zone_ids   = [%[2]q, %[3]q]
}
`, emulator.AccountID, emulator.ZoneExampleOrg, emulator.ZoneExampleCom))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	accountAndID := func(s *terraform.State) (string, error) {
		id, err := stateID(s, rgAddress)
		return emulator.AccountID + "/" + id, err
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(rgAddress, tfjsonpath.New("id")),
					plancheck.ExpectKnownValue(rgAddress, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(regexpMust(`^[0-9a-f]{32}$`))),
					sameID.AddStateValue(rgAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("name"), knownvalue.StringExact("edge")),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("zone_ids"), knownStringSet(emulator.ZoneExampleCom)),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("tunnel_ids"), knownvalue.Null()),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "edge", catalog.ScopeZone, emulator.ZoneExampleCom),
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(rgAddress, tfjsonpath.New("id")), // updated in place
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("name"), knownvalue.StringExact("edge-all")),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("zone_ids"), knownStringSet(emulator.ZoneExampleCom, emulator.ZoneExampleOrg)),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "edge-all", catalog.ScopeZone, emulator.ZoneExampleCom, emulator.ZoneExampleOrg),
			},
			{
				// Writing the provider's account explicitly, in another
				// order of zones, changes nothing.
				Config: explicitAccount,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:      rgAddress,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: accountAndID,
			},
			{
				ResourceName:      rgAddress,
				ImportState:       true,
				ImportStateVerify: true, // <resource_group_id> alone: the provider's account
			},
			{
				Config:            updated,
				ResourceName:      rgAddress,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: accountAndID,
			},
			{
				Config:          updated,
				ResourceName:    rgAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccResourceGroup_tunnels(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	both := testAccResourceGroupConfig(baseURL, "apps", "tunnel_ids", emulator.TunnelAppA, emulator.TunnelAppB)
	one := testAccResourceGroupConfig(baseURL, "app-a", "tunnel_ids", emulator.TunnelAppA)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{
				Config: both,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("tunnel_ids"), knownStringSet(emulator.TunnelAppA, emulator.TunnelAppB)),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("zone_ids"), knownvalue.Null()),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "apps", catalog.ScopeTunnel, emulator.TunnelAppA, emulator.TunnelAppB),
			},
			{
				Config: one,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("tunnel_ids"), knownStringSet(emulator.TunnelAppA)),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "app-a", catalog.ScopeTunnel, emulator.TunnelAppA),
			},
			{
				ResourceName:      rgAddress,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

// A group deleted outside Terraform is planned for creation again.
func TestAccResourceGroup_deletedOutsideTerraform(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	config := testAccResourceGroupConfig(baseURL, "edge", "zone_ids", emulator.ZoneExampleCom)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					emulatorAdminCall(t, baseURL, http.MethodDelete, rgPath(emulatorGroupID(t, emu, "edge")), nil)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionCreate),
				}},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "edge", catalog.ScopeZone, emulator.ZoneExampleCom),
			},
		},
	})
}

// A group changed outside Terraform to hold Tunnels instead of zones shows
// as an in-place update back to the configuration.
func TestAccResourceGroup_kindChangedOutsideTerraform(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	config := testAccResourceGroupConfig(baseURL, "edge", "zone_ids", emulator.ZoneExampleCom)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					emulatorAdminCall(t, baseURL, http.MethodPut, rgPath(emulatorGroupID(t, emu, "edge")), map[string]any{
						"name": "edge",
						"scope": map[string]any{
							"key":     catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID),
							"objects": []map[string]string{{"key": catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA)}},
						},
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("zone_ids"), knownStringSet(emulator.ZoneExampleCom)),
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("tunnel_ids"), knownvalue.Null()),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "edge", catalog.ScopeZone, emulator.ZoneExampleCom),
			},
		},
	})
}

// Cloudflare refuses to delete a group that a member policy uses; the error
// says which group and what to do. Once the policy is gone, destroy works.
func TestAccResourceGroup_inUse(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	config := testAccResourceGroupConfig(baseURL, "edge", "zone_ids", emulator.ZoneExampleCom)
	domainDNS := embeddedOne(t, catalog.KindRole, "Domain DNS", catalog.ScopeZone)
	var memberID string

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					raw := emulatorAdminCall(t, baseURL, http.MethodPost, "/accounts/"+emulator.AccountID+"/members", map[string]any{
						"email":  "dns-team@example.com",
						"status": "accepted",
						"policies": []map[string]any{{
							"access":            "allow",
							"permission_groups": []map[string]string{{"id": domainDNS.ID}},
							"resource_groups":   []map[string]string{{"id": emulatorGroupID(t, emu, "edge")}},
						}},
					})
					var m struct {
						ID string `json:"id"`
					}
					if err := json.Unmarshal(raw, &m); err != nil || m.ID == "" {
						t.Fatalf("member: %v %s", err, raw)
					}
					memberID = m.ID
				},
				Config:      acctest.ProviderConfig(baseURL), // the group removed from the configuration
				ExpectError: regexpMust(`Resource group "edge" \([0-9a-f]{32}\) is still in use.*a member policy still references it.*409.*Remove the group from the policies that use it first`),
			},
			{
				PreConfig: func() {
					emulatorAdminCall(t, baseURL, http.MethodDelete, "/accounts/"+emulator.AccountID+"/members/"+memberID, nil)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// IDs known only after apply never fail validation.
func TestAccResourceGroup_unknownIDs(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "terraform_data" "tunnel" {
  input = %[1]q
}
resource "terraform_data" "zones" {
  input = [%[2]q]
}
resource "cfiam_resource_group" "test" {
  name       = "app-a"
  tunnel_ids = [terraform_data.tunnel.output]
}
resource "cfiam_resource_group" "zones" {
  name     = "zones"
  zone_ids = terraform_data.zones.output
}
`, emulator.TunnelAppA, emulator.ZoneExampleOrg)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(rgAddress, tfjsonpath.New("tunnel_ids").AtSliceIndex(0)),
				plancheck.ExpectUnknownValue("cfiam_resource_group.zones", tfjsonpath.New("zone_ids")),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkEmulatorResourceGroup(emu, rgAddress, "app-a", catalog.ScopeTunnel, emulator.TunnelAppA),
				checkEmulatorResourceGroup(emu, "cfiam_resource_group.zones", "zones", catalog.ScopeZone, emulator.ZoneExampleOrg),
			),
		}},
	})
}

func TestAccResourceGroup_invalidConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	for name, tc := range map[string]struct {
		body, want string
	}{
		"both kinds": {
			body: `
  zone_ids   = ["` + emulator.ZoneExampleCom + `"]
  tunnel_ids = ["` + emulator.TunnelAppA + `"]`,
			want: `Invalid Attribute Combination.*Exactly one of these attributes must be configured:[\s]+\[zone_ids,tunnel_ids,mesh_node_ids,access_application_ids,access_identity_provider_ids,access_policy_ids,access_service_token_ids,infrastructure_target_ids\]`,
		},
		"neither kind": {
			want: `Missing Attribute Configuration.*Exactly one of these attributes must be configured:[\s]+\[zone_ids,tunnel_ids,mesh_node_ids,access_application_ids,access_identity_provider_ids,access_policy_ids,access_service_token_ids,infrastructure_target_ids\]`,
		},
		"empty zone_ids": {
			body: `
  zone_ids = []`,
			want: `zone_ids.*set must contain at least 1 elements`,
		},
		"malformed zone ID": {
			body: `
  zone_ids = ["023E105F4ECEF8AD9CA31A8372D0C353"]`,
			want: `zone_ids.*must be a zone ID: 32 lowercase hexadecimal characters`,
		},
		"Tunnel ID in zone_ids": {
			body: `
  zone_ids = ["` + emulator.TunnelAppA + `"]`,
			want: `zone_ids.*must be a zone ID.*a Tunnel ID belongs in tunnel_ids`,
		},
		"zone ID in tunnel_ids": {
			body: `
  tunnel_ids = ["` + emulator.ZoneExampleCom + `"]`,
			want: `tunnel_ids.*must be a Tunnel ID: a lowercase UUID.*a zone ID belongs in zone_ids`,
		},
		"empty name": {
			body: `
  zone_ids = ["` + emulator.ZoneExampleCom + `"]`,
			want: `Attribute name string length must be at least 1`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			groupName := "edge"
			if name == "empty name" {
				groupName = ""
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps: []resource.TestStep{{
					Config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  name = %q%s
}
`, groupName, tc.body)),
					PlanOnly:    true,
					ExpectError: regexpMust(tc.want),
				}},
			})
		})
	}
}

func TestAccResourceGroup_offline(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.OfflineProviderConfig(), `
resource "cfiam_resource_group" "test" {
  name     = "edge"
  zone_ids = ["`+emulator.ZoneExampleCom+`"]
}
`),
			ExpectError: regexpMust(`Cloudflare credentials needed for creating a resource group.*CLOUDFLARE_API_TOKEN`),
		}},
	})
}

func TestAccResourceGroup_missingAccount(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfigWithoutAccount(baseURL) + `
resource "cfiam_resource_group" "test" {
  name     = "edge"
  zone_ids = ["` + emulator.ZoneExampleCom + `"]
}
`,
			ExpectError: regexpMust(`Account ID needed for creating a resource group.*Set account_id on this data source or resource, in the provider block, or with CLOUDFLARE_ACCOUNT_ID`),
		}},
	})
}

// account_id on the resource works without a provider-level account.
func TestAccResourceGroup_accountOnResource(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	config := fmt.Sprintf(`
provider "cfiam" {
  api_token   = %[1]q
  base_url    = %[2]q
  max_retries = 0
}
resource "cfiam_resource_group" "test" {
  account_id = %[3]q
  name       = "edge"
  zone_ids   = [%[4]q]
}
`, emulator.AdminToken, baseURL, emulator.AccountID, emulator.ZoneExampleCom)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(rgAddress, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
				},
				Check: checkEmulatorResourceGroup(emu, rgAddress, "edge", catalog.ScopeZone, emulator.ZoneExampleCom),
			},
			{
				ResourceName:      rgAddress,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					id, err := stateID(s, rgAddress)
					return emulator.AccountID + "/" + id, err
				},
			},
		},
	})
}

func TestAccResourceGroup_invalidImportID(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:        testAccResourceGroupConfig(baseURL, "edge", "zone_ids", emulator.ZoneExampleCom),
			ResourceName:  rgAddress,
			ImportState:   true,
			ImportStateId: emulator.AccountID + "/",
			ExpectError:   regexpMust(`Invalid import ID.*<account_id>/<resource_group_id> or <resource_group_id>`),
		}},
	})
}

// A group that takes the provider's account is replaced when that default
// changes, as if account_id had changed in its configuration.
func TestAccResourceGroup_providerAccountChanged(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	group := fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  name     = "edge"
  zone_ids = [%q]
}
`, emulator.ZoneExampleCom)
	const otherAccount = "0123456789abcdef0123456789abcdef"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{Config: acctest.Config(acctest.ProviderConfig(baseURL), group)},
			{
				Config: acctest.Config(strings.Replace(acctest.ProviderConfig(baseURL), emulator.AccountID, otherAccount, 1), group),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rgAddress, plancheck.ResourceActionReplace),
					plancheck.ExpectKnownValue(rgAddress, tfjsonpath.New("account_id"), knownvalue.StringExact(otherAccount)),
				}},
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
