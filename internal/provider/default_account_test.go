package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Every account-bound resource, written without account_id, as the default
// account rule sees it (planAccount).
var defaultAccountResources = []struct{ address, body string }{
	{"cfiam_account_member.dev", `
resource "cfiam_account_member" "dev" {
  email    = "dev@example.com"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
`},
	{"cfiam_tunnel_binding.app", fmt.Sprintf(`
resource "cfiam_tunnel_binding" "app" {
  member_id  = %q
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%q]
}
`, emulator.AdminMemberID, emulator.TunnelAppA)},
	{"cfiam_account_token.t", fmt.Sprintf(`
resource "cfiam_account_token" "t" {
  name     = "ci"
  policies = [{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }]
}
`, emulator.ZoneExampleCom)},
	{"cfiam_resource_group.test", fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  name     = "edge"
  zone_ids = [%q]
}
`, emulator.ZoneExampleCom)},
}

// One rule for all: account_id left out follows the provider's account, and
// a change of it replaces the object. The emulator seeds one account: the
// resources whose plan reads nothing of the new account are tested here
// end to end; the member and the binding, whose plans read the new account's
// catalog, in TestModifyPlan_providerAccountChanged.
func TestAccDefaultAccount_providerAccountChangedReplaces(t *testing.T) {
	t.Parallel()
	const otherAccount = "0123456789abcdef0123456789abcdef"
	for _, r := range defaultAccountResources[2:] {
		t.Run(strings.Split(r.address, ".")[0], func(t *testing.T) {
			t.Parallel()
			_, baseURL := acctest.NewEmulator(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps: []resource.TestStep{
					{Config: acctest.Config(acctest.ProviderConfig(baseURL), r.body)},
					{
						Config: acctest.Config(strings.Replace(acctest.ProviderConfig(baseURL), emulator.AccountID, otherAccount, 1), r.body),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(r.address, plancheck.ResourceActionReplace),
							plancheck.ExpectKnownValue(r.address, tfjsonpath.New("account_id"), knownvalue.StringExact(otherAccount)),
						}},
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}

// With no account on the resource or the provider, each resource fails at
// plan, at account_id, with the fix.
func TestAccDefaultAccount_missingAccountAtPlan(t *testing.T) {
	t.Parallel()
	for _, r := range defaultAccountResources {
		t.Run(strings.Split(r.address, ".")[0], func(t *testing.T) {
			t.Parallel()
			_, baseURL := acctest.NewEmulator(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfigWithoutAccount(baseURL) + r.body,
					PlanOnly:    true,
					ExpectError: regexpMust(`(?s)Account ID needed for .*with\s+` + strings.ReplaceAll(r.address, ".", `\.`) + `,.*Set account_id on this data source or\s+resource, in the provider block, or with CLOUDFLARE_ACCOUNT_ID`),
				}},
			})
		})
	}
}

// Offline at validate (the provider not configured yet) nothing fails for a
// missing account: it is decided at plan.
func TestAccDefaultAccount_validateOffline(t *testing.T) {
	t.Parallel()
	var all strings.Builder
	for _, r := range defaultAccountResources {
		all.WriteString(r.body)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:             acctest.Config(acctest.OfflineProviderConfig(), all.String()),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}
