package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestAccRolesDataSource_basic(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	emb := catalog.Embedded()
	firstAccount := emb.InScope(catalog.KindRole, catalog.ScopeAccount)[0]
	firstZone := emb.InScope(catalog.KindRole, catalog.ScopeZone)[0]
	nAccount := len(emb.InScope(catalog.KindRole, catalog.ScopeAccount))

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_roles" "all" {}
data "cfiam_roles" "account" { scope = "account" }
data "cfiam_roles" "zone"    { scope = "zone" }
data "cfiam_roles" "tunnel"  { scope = "tunnel" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("roles"), knownvalue.ListSizeExact(len(emb.Roles()))),
				// Sorted by scope, then name: account roles first, zone roles right after them.
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("roles").AtSliceIndex(0), entryValue(firstAccount)),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("roles").AtSliceIndex(nAccount), entryValue(firstZone)),
				statecheck.ExpectKnownValue("data.cfiam_roles.account", tfjsonpath.New("roles"), knownvalue.ListSizeExact(nAccount)),
				statecheck.ExpectKnownValue("data.cfiam_roles.zone", tfjsonpath.New("roles"), knownvalue.ListSizeExact(len(emb.InScope(catalog.KindRole, catalog.ScopeZone)))),
				statecheck.ExpectKnownValue("data.cfiam_roles.tunnel", tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{
					entryValue(embeddedOne(t, catalog.KindRole, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)),
					entryValue(embeddedOne(t, catalog.KindRole, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)),
				})),
			},
		}},
	})
}

// The live catalog wins over the embedded one: a role renamed and a role
// added in the account show up as the API says.
func TestAccRolesDataSource_liveAPIWins(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	admin := embeddedOne(t, catalog.KindRole, "Administrator", catalog.ScopeAccount)
	emu.PutIAMPermissionGroup(emulator.AccountID, admin.ID, "Account Administrator", catalog.ScopeAccount)
	const auditorID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	emu.PutIAMPermissionGroup(emulator.AccountID, auditorID, "Cloudflare Tunnel Instance Auditor", catalog.ScopeTunnel)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_roles" "tunnel" { scope = "tunnel" }
data "cfiam_role" "renamed" { name = "Account Administrator" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.tunnel", tfjsonpath.New("roles"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.cfiam_roles.tunnel", tfjsonpath.New("roles").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"id":    knownvalue.StringExact(auditorID),
					"name":  knownvalue.StringExact("Cloudflare Tunnel Instance Auditor"),
					"scope": knownvalue.StringExact("tunnel"),
				})),
				statecheck.ExpectKnownValue("data.cfiam_role.renamed", tfjsonpath.New("id"), knownvalue.StringExact(admin.ID)),
				statecheck.ExpectKnownValue("data.cfiam_role.renamed", tfjsonpath.New("scope"), knownvalue.StringExact("account")),
				// The API sends no description; the embedded entry with the same ID fills it in.
				statecheck.ExpectKnownValue("data.cfiam_role.renamed", tfjsonpath.New("description"), knownvalue.StringExact(admin.Description)),
			},
		}},
	})
}

func TestAccRolesDataSource_offline(t *testing.T) {
	t.Parallel()
	emb := catalog.Embedded()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.OfflineProviderConfig(), `
data "cfiam_roles" "all" {}
data "cfiam_roles" "zone" { scope = "zone" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("source"), knownvalue.StringExact("embedded")),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("roles"), knownvalue.ListSizeExact(len(emb.Roles()))),
				statecheck.ExpectKnownValue("data.cfiam_roles.zone", tfjsonpath.New("roles").AtSliceIndex(0),
					entryValue(emb.InScope(catalog.KindRole, catalog.ScopeZone)[0])),
			},
		}},
	})
}

func TestAccRolesDataSource_invalidScope(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_roles" "x" { scope = "user" }`),
			ExpectError: regexpMust(`value must be one of`),
		}},
	})
}

func TestAccRolesDataSource_otherAccount(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	const other = "00000000000000000000000000000001"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`data "cfiam_roles" "x" { account_id = %q }`, other)),
			ExpectError: regexpMust(`reading the roles of account ` + other),
		}},
	})
}

// With credentials but no account ID anywhere, the roles data sources say
// which setting is missing, without a dangling "of account".
func TestAccRolesDataSource_noAccount(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	provider := acctest.ProviderConfigWithoutAccount(baseURL)
	for _, ds := range []string{`data "cfiam_roles" "x" {}`, `data "cfiam_role" "x" { name = "Administrator" }`} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
			Steps: []resource.TestStep{{
				Config:      acctest.Config(provider, ds),
				PlanOnly:    true,
				ExpectError: regexpMust(`Account ID needed for reading the roles\s*\n(.|\n)*CLOUDFLARE_ACCOUNT_ID`),
			}},
		})
	}
}

func TestAccRolesDataSource_accountIDShape(t *testing.T) {
	t.Parallel()
	for _, ds := range []string{`data "cfiam_roles" "x" { account_id = "my-account" }`, `data "cfiam_role" "x" {
  name       = "Administrator"
  account_id = "my-account"
}`} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
			Steps: []resource.TestStep{{
				Config:      acctest.Config(acctest.OfflineProviderConfig(), ds),
				PlanOnly:    true,
				ExpectError: regexpMust(`Invalid Attribute Value Match(.|\n)*account_id`),
			}},
		})
	}
}
