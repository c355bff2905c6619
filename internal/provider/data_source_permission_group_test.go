package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func TestAccPermissionGroupDataSource_basic(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	dnsWrite := embeddedOne(t, catalog.KindPermissionGroup, "DNS Write", catalog.ScopeZone)
	logsReadZone := embeddedOne(t, catalog.KindPermissionGroup, "Logs Read", catalog.ScopeZone)
	logsReadAccount := embeddedOne(t, catalog.KindPermissionGroup, "Logs Read", catalog.ScopeAccount)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_permission_group" "dns_write" {
  name = "dns write"
}
data "cfiam_permission_group" "logs_zone" {
  name  = "Logs Read"
  scope = "zone"
}
data "cfiam_permission_group" "logs_account" {
  name  = "Logs Read"
  scope = "account"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_group.dns_write", tfjsonpath.New("id"), knownvalue.StringExact(dnsWrite.ID)),
				statecheck.ExpectKnownValue("data.cfiam_permission_group.dns_write", tfjsonpath.New("scope"), knownvalue.StringExact("zone")),
				statecheck.ExpectKnownValue("data.cfiam_permission_group.dns_write", tfjsonpath.New("description"), knownvalue.StringExact(dnsWrite.Description)),
				statecheck.ExpectKnownValue("data.cfiam_permission_group.logs_zone", tfjsonpath.New("id"), knownvalue.StringExact(logsReadZone.ID)),
				statecheck.ExpectKnownValue("data.cfiam_permission_group.logs_account", tfjsonpath.New("id"), knownvalue.StringExact(logsReadAccount.ID)),
			},
		}},
	})
}

func TestAccPermissionGroupDataSource_ambiguous(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_permission_group" "x" { name = "Logs Read" }`),
			ExpectError: regexpMust(`Ambiguous permission group name.*"Logs Read" is a permission group in several scopes: account, zone.*Set scope to one of "account" or "zone"`),
		}},
	})
}

func TestAccPermissionGroupDataSource_wrongScope(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_permission_group" "x" {
  name  = "DNS Write"
  scope = "account"
}`),
			ExpectError: regexpMust(`Wrong scope for permission group.*"DNS Write" is a zone permission group, not an account permission group.*set scope to "zone"`),
		}},
	})
}

func TestAccPermissionGroupDataSource_unknownName(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_permission_group" "x" { name = "DNS Writ" }`),
			ExpectError: regexpMust(`Unknown permission group.*Did you mean "DNS Write"`),
		}},
	})
}

func TestAccPermissionGroupDataSource_offline(t *testing.T) {
	t.Parallel()
	dnsWrite := embeddedOne(t, catalog.KindPermissionGroup, "DNS Write", catalog.ScopeZone)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_permission_group" "x" { name = "DNS Write" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_group.x", tfjsonpath.New("id"), knownvalue.StringExact(dnsWrite.ID)),
			},
		}},
	})
}
