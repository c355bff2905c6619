package provider_test

import (
	"fmt"
	"slices"
	"sort"
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

func wantGrant(access string, roleIDs []string, objects ...string) grant {
	roles := slices.Clone(roleIDs)
	sort.Strings(roles)
	sort.Strings(objects)
	return grant{access, strings.Join(roles, ","), strings.Join(objects, ",")}
}

func sortGrants(gs []grant) []grant {
	sort.Slice(gs, func(i, j int) bool { return gs[i].roleIDs+gs[i].objects < gs[j].roleIDs+gs[j].objects })
	return gs
}

// checkEmulatorGrants compares the emulator's state for dev@example.com, the
// member these tests declare, with want.
func checkEmulatorGrants(t *testing.T, emu *emulator.Emulator, want ...grant) resource.TestCheckFunc {
	const email = "dev@example.com"
	return func(*terraform.State) error {
		m, ok := memberByEmail(emu, email)
		if !ok {
			return fmt.Errorf("the emulator has no member %s", email)
		}
		got := grantsOf(t, emu, m)
		want = sortGrants(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("emulator grants of %s:\n got  %+v\n want %+v", email, got, want)
		}
		return nil
	}
}

func TestAccAccountMember_lifecycle(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	admin := roleID(t, "Administrator Read Only", catalog.ScopeAccount)
	dns := roleID(t, "Domain DNS", catalog.ScopeZone)
	zv := roleID(t, "Zone Versioning Read", catalog.ScopeZone)
	tunnelRead := roleID(t, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)

	threeScopes := memberConfig(baseURL, fmt.Sprintf(`
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%[1]q] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%[2]q] },
  ]`, emulator.ZoneExampleCom, emulator.TunnelAppA))
	updated := memberConfig(baseURL, fmt.Sprintf(`
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Domain DNS", "Zone Versioning Read"], zone_ids = [%[1]q, %[2]q] },
  ]`, emulator.ZoneExampleCom, emulator.ZoneExampleOrg))

	var memberID string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(*terraform.State) error {
			if _, ok := memberByEmail(emu, "dev@example.com"); ok {
				return fmt.Errorf("member still in the emulator after destroy")
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.Name == comKey || g.Name == orgKey || g.Name == appAKey {
					return fmt.Errorf("resource group %s left behind after destroy", g.Name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: threeScopes,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("user").AtMapKey("email"), knownvalue.StringExact("dev@example.com")),
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("policies"), knownvalue.SetSizeExact(3)),
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("resolved_policies"), knownvalue.ListSizeExact(3)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkEmulatorGrants(t, emu,
						wantGrant("allow", []string{admin}, accountKey),
						wantGrant("allow", []string{dns}, comKey),
						wantGrant("allow", []string{tunnelRead}, appAKey)),
					func(s *terraform.State) error {
						memberID = s.RootModule().Resources["cfiam_account_member.dev"].Primary.ID
						return nil
					},
				),
			},
			{
				Config:           threeScopes,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_member.dev", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkEmulatorGrants(t, emu,
						wantGrant("allow", []string{admin}, accountKey),
						wantGrant("allow", []string{dns, zv}, comKey, orgKey)),
					func(s *terraform.State) error {
						if id := s.RootModule().Resources["cfiam_account_member.dev"].Primary.ID; id != memberID {
							return fmt.Errorf("member re-created: id %s, was %s", id, memberID)
						}
						for _, g := range emu.ResourceGroups(emulator.AccountID) {
							if g.Name == appAKey {
								return fmt.Errorf("the Tunnel resource group no policy uses was not cleaned up")
							}
						}
						return nil
					},
				),
			},
			{
				Config:           updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName:            "cfiam_account_member.dev",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return emulator.AccountID + "/" + memberID, nil },
				ImportStateVerifyIgnore: []string{"allow_removing_last_super_administrator"},
			},
			{
				ResourceName:            "cfiam_account_member.dev",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateId:           emulator.AccountID + "/DEV@example.com",
				ImportStateVerifyIgnore: []string{"allow_removing_last_super_administrator"},
			},
		},
	})
}

func TestAccAccountMember_rolesKeptAsWritten(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	dnsID := roleID(t, "Domain DNS", catalog.ScopeZone)
	cfg := memberConfig(baseURL, fmt.Sprintf(`
  status   = "accepted"
  policies = [
    { access = "allow", roles = [%[1]q, "zone versioning read"], zone_ids = [%[2]q] },
    { access = "deny", roles = ["administrator read only"] },
  ]`, dnsID, emulator.ZoneExampleCom))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("policies"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(withAccessKindsNull(map[string]knownvalue.Check{
							"access":             knownvalue.StringExact("allow"),
							"roles":              knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(dnsID), knownvalue.StringExact("zone versioning read")}),
							"zone_ids":           knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.ZoneExampleCom)}),
							"tunnel_ids":         knownvalue.Null(),
							"mesh_node_ids":      knownvalue.Null(),
							"resource_group_ids": knownvalue.Null(),
						})),
						knownvalue.ObjectExact(withAccessKindsNull(map[string]knownvalue.Check{
							"access":             knownvalue.StringExact("deny"),
							"roles":              knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("administrator read only")}),
							"zone_ids":           knownvalue.Null(),
							"tunnel_ids":         knownvalue.Null(),
							"mesh_node_ids":      knownvalue.Null(),
							"resource_group_ids": knownvalue.Null(),
						})),
					})),
				},
				Check: checkEmulatorGrants(t, emu,
					wantGrant("allow", []string{dnsID, roleID(t, "Zone Versioning Read", catalog.ScopeZone)}, comKey),
					wantGrant("deny", []string{roleID(t, "Administrator Read Only", catalog.ScopeAccount)}, accountKey)),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccAccountMember_drift(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	cfg := memberConfig(baseURL, `policies = [{ access = "allow", roles = ["Administrator Read Only"] }]`)
	api := adminClient(t, baseURL)
	ctx := t.Context()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// A policy added outside Terraform shows as a change, and apply removes it.
				PreConfig: func() {
					m, _ := memberByEmail(emu, "dev@example.com")
					cur, err := api.GetMember(ctx, emulator.AccountID, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					extra := cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID})
					if _, err := api.UpdateMemberPolicies(ctx, emulator.AccountID, m.ID, append(cur.Policies, extra)); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_member.dev", plancheck.ResourceActionUpdate),
				}},
				Check: checkEmulatorGrants(t, emu,
					wantGrant("allow", []string{roleID(t, "Administrator Read Only", catalog.ScopeAccount)}, accountKey)),
			},
			{
				// A member removed outside Terraform is planned for re-creation.
				PreConfig: func() {
					m, _ := memberByEmail(emu, "dev@example.com")
					if err := api.DeleteMember(ctx, emulator.AccountID, m.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_member.dev", plancheck.ResourceActionCreate),
				}},
				Check: checkEmulatorGrants(t, emu,
					wantGrant("allow", []string{roleID(t, "Administrator Read Only", catalog.ScopeAccount)}, accountKey)),
			},
		},
	})
}

func TestAccAccountMember_pendingBecomesAccepted(t *testing.T) {
	_, baseURL := acctest.NewEmulator(t)
	cfg := memberConfig(baseURL, `
  status   = "pending"
  policies = [{ access = "allow", roles = ["Analytics"] }]`)
	api := adminClient(t, baseURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// The invitation is accepted outside Terraform: no change to plan.
				PreConfig: func() { acceptInvitation(t, api, baseURL, "dev@example.com") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
			},
		},
	})
}

func TestAccAccountMember_lastSuperAdministrator(t *testing.T) {
	_, baseURL := acctest.NewEmulator(t)
	admin := func(roles string, extra string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
import {
  to = cfiam_account_member.admin
  id = "%[1]s/%[2]s"
}

resource "cfiam_account_member" "admin" {
  email    = %[2]q
  status   = "accepted"
  policies = [{ access = "allow", roles = [%[3]s] }]
  %[4]s
}
`, emulator.AccountID, emulator.AdminEmail, roles, extra))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: admin(`"Super Administrator - All Privileges"`, "")},
			{
				Config:      admin(`"Administrator"`, ""),
				ExpectError: regexpMust(`Would remove the last Super Administrator .* allow_removing_last_super_administrator = true`),
			},
			{
				Config:             admin(`"Administrator"`, "allow_removing_last_super_administrator = true"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Forget the seeded admin instead of destroying the account's only Super Administrator.
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
removed {
  from = cfiam_account_member.admin
  lifecycle {
    destroy = false
  }
}
`),
			},
		},
	})
}

// acceptInvitation stands for the invited user accepting: the member's status
// becomes "accepted" outside Terraform.
func acceptInvitation(t *testing.T, api *cfclient.Client, baseURL, email string) {
	t.Helper()
	m, err := api.FindMemberByEmail(t.Context(), emulator.AccountID, email)
	if err != nil || m == nil {
		t.Fatalf("finding %s: %v", email, err)
	}
	acceptMember(t, baseURL, m.ID)
}
