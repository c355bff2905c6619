package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestAccAccountMemberDataSource_threeScopes(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	cfg := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email = "dev@example.com"
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Zone Versioning Read", "Domain DNS"], zone_ids = [%[1]q, %[2]q] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Admin"], tunnel_ids = [%[3]q, %[4]q] },
    { access = "deny", roles = ["Analytics"] },
  ]
}

data "cfiam_account_member" "by_id" {
  id = cfiam_account_member.dev.id
}

data "cfiam_account_member" "by_email" {
  email      = "DEV@example.com"
  depends_on = [cfiam_account_member.dev]
}
`, emulator.ZoneExampleOrg, emulator.ZoneExampleCom, emulator.TunnelAppB, emulator.TunnelAppA))

	adminRO := roleID(t, "Administrator Read Only", catalog.ScopeAccount)
	dns := roleID(t, "Domain DNS", catalog.ScopeZone)
	zv := roleID(t, "Zone Versioning Read", catalog.ScopeZone)
	tunnelAdmin := roleID(t, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)
	analytics := roleID(t, "Analytics", catalog.ScopeAccount)
	expectPolicies := func() knownvalue.Check {
		email := "dev@example.com"
		return policiesExact(
			policyView{id: policyIDOf(t, emu, email, adminRO), access: "allow", scope: "account",
				roles: []knownvalue.Check{wantRole(t, "Administrator Read Only", catalog.ScopeAccount)}},
			policyView{id: policyIDOf(t, emu, email, dns, zv), access: "allow", scope: "zone",
				roles: []knownvalue.Check{
					wantRole(t, "Domain DNS", catalog.ScopeZone),
					wantRole(t, "Zone Versioning Read", catalog.ScopeZone),
				},
				zoneIDs: []string{emulator.ZoneExampleCom, emulator.ZoneExampleOrg}}, // sorted
			policyView{id: policyIDOf(t, emu, email, tunnelAdmin), access: "allow", scope: "tunnel",
				roles:     []knownvalue.Check{wantRole(t, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)},
				tunnelIDs: []string{emulator.TunnelAppB, emulator.TunnelAppA}}, // sorted: 2d5a… < f70f…
			policyView{id: policyIDOf(t, emu, email, analytics), access: "deny", scope: "account",
				roles: []knownvalue.Check{wantRole(t, "Analytics", catalog.ScopeAccount)}},
		)
	}
	memberChecks := func(address, email string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			lazyCheck(func() statecheck.StateCheck {
				m, _ := memberByEmail(emu, "dev@example.com")
				return statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(m.ID))
			}),
			lazyCheck(func() statecheck.StateCheck {
				m, _ := memberByEmail(emu, "dev@example.com")
				return statecheck.ExpectKnownValue(address, tfjsonpath.New("user_id"), knownvalue.StringExact(m.UserID))
			}),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("email"), knownvalue.StringExact(email)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
			lazyCheck(func() statecheck.StateCheck {
				return statecheck.ExpectKnownValue(address, tfjsonpath.New("policies"), expectPolicies())
			}),
			statecheck.CompareValuePairs(address, tfjsonpath.New("id"), "cfiam_account_member.dev", tfjsonpath.New("id"), compare.ValuesSame()),
		}
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: append(
					memberChecks("data.cfiam_account_member.by_id", "dev@example.com"),
					memberChecks("data.cfiam_account_member.by_email", "DEV@example.com")...),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccAccountMemberDataSource_seededAdmin(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	cfg := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
data "cfiam_account_member" "by_email" {
  email = %[1]q
}

data "cfiam_account_member" "by_id" {
  account_id = %[2]q
  id         = %[3]q
}
`, emulator.AdminEmail, emulator.AccountID, emulator.AdminMemberID))

	seeded, ok := emu.Member(emulator.AccountID, emulator.AdminMemberID)
	if !ok || len(seeded.Policies) != 1 {
		t.Fatalf("the emulator's seeded admin: %+v", seeded)
	}
	admin := policiesExact(policyView{id: seeded.Policies[0].ID, access: "allow", scope: "account",
		roles: []knownvalue.Check{wantRole(t, "Super Administrator - All Privileges", catalog.ScopeAccount)}})
	var checks []statecheck.StateCheck
	for _, address := range []string{"data.cfiam_account_member.by_email", "data.cfiam_account_member.by_id"} {
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(emulator.AdminMemberID)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("email"), knownvalue.StringExact(emulator.AdminEmail)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("user_id"), knownvalue.StringExact(emulator.AdminUserID)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("policies"), admin),
		)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
	})
}

func TestAccAccountMemberDataSource_errors(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	cfg := func(body string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), "data \"cfiam_account_member\" \"x\" {\n"+body+"\n}\n")
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`email = "nobody@example.com"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`No such member .* Account ` + emulator.AccountID + ` has no member with e-mail address nobody@example.com`),
			},
			{
				Config:      cfg(`id = "00000000000000000000000000000000"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`No such member .* Account ` + emulator.AccountID + ` has no member with ID 00000000000000000000000000000000`),
			},
			{
				Config:      cfg(`id = "x"` + "\n" + `email = "admin@example.com"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`Invalid Attribute Combination .* Exactly one of these attributes must be configured: \[id,email\]`),
			},
			{
				Config:      cfg(``),
				PlanOnly:    true,
				ExpectError: regexpMust(`Missing Attribute Configuration .* Exactly one of these attributes must be configured: \[id,email\]`),
			},
			{
				Config:      cfg(`email = "not-an-address"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`must be an e-mail address`),
			},
			{
				Config:      cfg(`id = "alice@example.com"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`must be a 32-character lowercase hexadecimal member ID`),
			},
			{
				Config: cfg(`email = "Admin@Example.com"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_account_member.x", tfjsonpath.New("id"), knownvalue.StringExact(emulator.AdminMemberID)),
					statecheck.ExpectKnownValue("data.cfiam_account_member.x", tfjsonpath.New("email"), knownvalue.StringExact("Admin@Example.com")),
				},
			},
		},
	})
}

func TestAccAccountMemberDataSource_offline(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_account_member" "x" { email = "admin@example.com" }`),
				PlanOnly:    true,
				ExpectError: regexpMust(`Cloudflare credentials needed for reading cfiam_account_member .* Set api_token in the provider block or CLOUDFLARE_API_TOKEN`),
			},
			{
				Config:      acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_account_members" "x" {}`),
				PlanOnly:    true,
				ExpectError: regexpMust(`Cloudflare credentials needed for reading cfiam_account_members`),
			},
			{
				// Offline, the catalog data sources still work.
				Config: acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_role" "x" { name = "Domain DNS" }`),
			},
		},
	})
}
