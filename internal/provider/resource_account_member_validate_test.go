package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestAccAccountMember_validation(t *testing.T) {
	zone, tunnel := emulator.ZoneExampleCom, emulator.TunnelAppA
	for _, tc := range []struct {
		name, policies, error string
	}{
		{"domain role account-wide", `{ access = "allow", roles = ["Domain DNS"] }`,
			`Role used at the wrong scope .* "Domain DNS" is a domain-scoped role but this policy is account-wide .* put it in a policy with zone_ids, or use an account-scoped role "DNS"`},
		{"account role on zones", fmt.Sprintf(`{ access = "allow", roles = ["Administrator"], zone_ids = [%q] }`, zone),
			`"Administrator" is an account-scoped role but this policy applies to zones \(zone_ids\): grant it in an account-wide policy .* or use a domain-scoped role "Domain Administrator"`},
		{"account role on Tunnels", fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Access"], tunnel_ids = [%q] }`, tunnel),
			`"Cloudflare Access" is an account-scoped role but this policy applies to Tunnels \(tunnel_ids\): grant it in an account-wide policy`},
		{"Tunnel role on zones", fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Tunnel Instance Read"], zone_ids = [%q] }`, zone),
			`"Cloudflare Tunnel Instance Read" is a resource-scoped role for Cloudflare Tunnel instances but this policy applies to zones .* tunnel_ids`},
		{"roles of two scopes in one policy", fmt.Sprintf(`{ access = "allow", roles = ["Domain DNS", "Administrator Read Only"], zone_ids = [%q] }`, zone),
			`"Administrator Read Only" is an account-scoped role .* A policy holds roles of one scope only`},
		{"zones and Tunnels", fmt.Sprintf(`{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q], tunnel_ids = [%q] }`, zone, tunnel),
			`Policy mixes zones and Tunnels .* set zone_ids \(domain roles\) or tunnel_ids \(Tunnel roles\), not both`},
		{"empty roles", `{ access = "allow", roles = [] }`, `Policy has no roles .* add roles, or remove the policy`},
		{"unknown role", `{ access = "allow", roles = ["Cloudflare Acces"] }`, `Unknown role .* No role is named "Cloudflare Acces". Did you mean "Cloudflare Access",.* can be named by ID`},
		{"twin: Bot Management account-wide", `{ access = "allow", roles = ["Bot Management"] }`, `or use an account-scoped role "Bot Management \(Account-wide\)"`},
		{"twin: Bot Management (Account-wide) on zones", fmt.Sprintf(`{ access = "allow", roles = ["Bot Management (Account-wide)"], zone_ids = [%q] }`, zone),
			`or use a domain-scoped role "Bot Management"`},
		{"twin: Page Shield on zones", fmt.Sprintf(`{ access = "allow", roles = ["Page Shield"], zone_ids = [%q] }`, zone), `or use a domain-scoped role "Domain Page Shield"`},
		{"twin: Domain Page Shield account-wide", `{ access = "allow", roles = ["Domain Page Shield"] }`, `or use an account-scoped role "Page Shield"`},
		{"twin: Zone Versioning account-wide", `{ access = "allow", roles = ["Zone Versioning"] }`, `or use an account-scoped role "Zone Versioning \(Account-Wide\)"`},
		{"twin: Zone Versioning (Account-Wide) on zones", fmt.Sprintf(`{ access = "allow", roles = ["Zone Versioning (Account-Wide)"], zone_ids = [%q] }`, zone),
			`or use a domain-scoped role "Zone Versioning"`},
		{"malformed zone ID", `{ access = "allow", roles = ["Domain DNS"], zone_ids = ["example.com"] }`, `must be a 32-character lowercase hexadecimal zone ID`},
		{"malformed Tunnel ID", `{ access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = ["app-a"] }`, `must be a Tunnel ID \(a UUID\)`},
		{"bad access", `{ access = "maybe", roles = ["Analytics"] }`, `value must be one of`},
		// Terraform drops the misspelt key: with a default, this would grant Analytics.
		{"misspelt access", `{ acess = "deny", roles = ["Analytics"] }`, `attribute "access" is required`},
		{"1,000 roles in one policy", `{ access = "allow", roles = [for i in range(1000) : "role ${i}"] }`, `set must contain at most 100 elements`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectInvalidOffline(t, member(tc.policies), tc.error)
		})
	}
}

// Zone IDs unknown at plan (from resources not yet created) never fail
// validation, and never hide a wrong role: the scope is known from which
// attribute is set.
func TestAccAccountMember_unknownZoneIDs(t *testing.T) {
	zones := `
resource "terraform_data" "zone" {
  input = "` + emulator.ZoneExampleCom + `"
}
`
	t.Run("wrong role still fails", func(t *testing.T) {
		expectInvalidOffline(t, zones+member(`{ access = "allow", roles = ["Administrator"], zone_ids = [terraform_data.zone.output] }`),
			`"Administrator" is an account-scoped role but this policy applies to zones`)
	})
	t.Run("right role plans", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
			Steps: []resource.TestStep{{
				Config:             acctest.Config(acctest.OfflineProviderConfig(), zones, member(`{ access = "allow", roles = ["Domain DNS"], zone_ids = [terraform_data.zone.output] }`)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			}},
		})
	})
}

// With credentials, the account's live catalog decides at plan: a role the
// API lacks fails even though the embedded catalog knows it, and the
// suggestions come from the live names.
func TestAccAccountMember_liveCatalogAtPlan(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	analytics := roleID(t, "Analytics", catalog.ScopeAccount)
	emu.PutIAMPermissionGroup(emulator.AccountID, analytics, "Analytics Viewer", catalog.ScopeAccount)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      acctest.Config(acctest.ProviderConfig(baseURL), member(`{ access = "allow", roles = ["Analytics"] }`)),
				PlanOnly:    true,
				ExpectError: regexpMust(`Unknown role .* No role is named "Analytics". Did you mean "Analytics Viewer"`),
			},
			{
				// A name only the live catalog has is written through the data source.
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_role" "viewer" {
  name = "Analytics Viewer"
}
`, member(`{ access = "allow", roles = [data.cfiam_role.viewer.id] }`)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Two policies granting the same thing, written differently (a role by name
// and by ID), fail at plan: they would read back as one policy, after the API
// had already accepted both.
func TestAccAccountMember_samePolicyTwiceFailsAtPlan(t *testing.T) {
	_, baseURL := acctest.NewEmulator(t)
	twice := memberConfig(baseURL, fmt.Sprintf(`
  policies = [
    { access = "allow", roles = ["Analytics"] },
    { access = "allow", roles = [%q] },
  ]`, roleID(t, "Analytics", catalog.ScopeAccount)))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: twice, ExpectError: regexpMust(`Same policy twice .* grants the same as`)},
			{Config: memberConfig(baseURL, `policies = [{ access = "allow", roles = ["Analytics"] }]`)},
		},
	})
	expectInvalidOffline(t, member(`{ access = "allow", roles = ["Analytics"] }, { access = "allow", roles = ["analytics"] }`), `Same policy twice`)
}

func TestAccAccountMember_malformedEmail(t *testing.T) {
	expectInvalidOffline(t, `
resource "cfiam_account_member" "dev" {
  email    = "dev.example.com"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`, `must be an e-mail address such as alice@example.com`)
}
