package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestAccRoleDataSource_basic(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	admin := embeddedOne(t, catalog.KindRole, "Administrator", catalog.ScopeAccount)
	domainDNS := embeddedOne(t, catalog.KindRole, "Domain DNS", catalog.ScopeZone)
	tunnelRead := embeddedOne(t, catalog.KindRole, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_role" "admin"       { name = "administrator" }
data "cfiam_role" "domain_dns" {
  name  = "Domain DNS"
  scope = "zone"
}
data "cfiam_role" "by_id"       { name = "`+tunnelRead.ID+`" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_role.admin", tfjsonpath.New("id"), knownvalue.StringExact(admin.ID)),
				statecheck.ExpectKnownValue("data.cfiam_role.admin", tfjsonpath.New("scope"), knownvalue.StringExact("account")),
				statecheck.ExpectKnownValue("data.cfiam_role.admin", tfjsonpath.New("description"), knownvalue.StringExact(admin.Description)),
				statecheck.ExpectKnownValue("data.cfiam_role.admin", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
				statecheck.ExpectKnownValue("data.cfiam_role.domain_dns", tfjsonpath.New("id"), knownvalue.StringExact(domainDNS.ID)),
				statecheck.ExpectKnownValue("data.cfiam_role.by_id", tfjsonpath.New("scope"), knownvalue.StringExact("tunnel")),
				statecheck.ExpectKnownValue("data.cfiam_role.by_id", tfjsonpath.New("description"), knownvalue.StringExact(tunnelRead.Description)),
			},
		}},
	})
}

func TestAccRoleDataSource_unknownName(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_role" "x" { name = "Adminstrator" }`), //nolint:misspell // a deliberate typo: the nearest-name suggestion is under test
			ExpectError: regexpMust(`Unknown role.*No role named "Adminstrator".*Did you mean "Administrator"`),             //nolint:misspell // the deliberate typo above, echoed back
		}},
	})
}

func TestAccRoleDataSource_wrongScope(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_role" "x" {
  name  = "Domain DNS"
  scope = "account"
}`),
			ExpectError: regexpMust(`Wrong scope for role.*"Domain DNS" is a domain-scoped role, not an account-scoped role.*use "DNS"`),
		}},
	})
}

// A name the live API has in two scopes needs scope.
func TestAccRoleDataSource_ambiguous(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.PutIAMPermissionGroup(emulator.AccountID, "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", "Analytics", catalog.ScopeZone)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_role" "x" { name = "Analytics" }`),
			ExpectError: regexpMust(`Ambiguous role name.*several scopes: account, zone.*Set scope`),
		}},
	})
}

func TestAccRoleDataSource_ambiguousResolvedByScope(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	const zoneAnalytics = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
	emu.PutIAMPermissionGroup(emulator.AccountID, zoneAnalytics, "Analytics", catalog.ScopeZone)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_role" "x" {
  name  = "Analytics"
  scope = "zone"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_role.x", tfjsonpath.New("id"), knownvalue.StringExact(zoneAnalytics)),
			},
		}},
	})
}

func TestAccRoleDataSource_offline(t *testing.T) {
	t.Parallel()
	admin := embeddedOne(t, catalog.KindRole, "Administrator", catalog.ScopeAccount)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_role" "admin" { name = "Administrator" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_role.admin", tfjsonpath.New("id"), knownvalue.StringExact(admin.ID)),
			},
		}},
	})
}

func TestAccRoleDataSource_badToken(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfigWithToken(baseURL, "not-a-valid-token"), `data "cfiam_role" "x" { name = "Administrator" }`),
			ExpectError: regexpMust(`Cloudflare rejected the credentials while reading the roles of account.*9109.*api_token in the provider block or CLOUDFLARE_API_TOKEN`),
		}},
	})
}
