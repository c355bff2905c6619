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

func TestAccPermissionGroupsDataSource_basic(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	emb := catalog.Embedded()
	count := func(s catalog.Scope) int { return len(emb.InScope(catalog.KindPermissionGroup, s)) }

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_permission_groups" "all" {}
data "cfiam_permission_groups" "user"    { scope = "user" }
data "cfiam_permission_groups" "account" { scope = "account" }
data "cfiam_permission_groups" "zone"    { scope = "zone" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(len(emb.PermissionGroups()))),
				// Sorted by scope (user first), then name.
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("permission_groups").AtSliceIndex(0),
					entryValue(emb.InScope(catalog.KindPermissionGroup, catalog.ScopeUser)[0])),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.user", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(count(catalog.ScopeUser))),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.account", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(count(catalog.ScopeAccount))),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.zone", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(count(catalog.ScopeZone))),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.zone", tfjsonpath.New("permission_groups").AtSliceIndex(0),
					entryValue(emb.InScope(catalog.KindPermissionGroup, catalog.ScopeZone)[0])),
			},
		}},
	})
}

// A permission group the API adds, in two scopes, is listed once per scope.
func TestAccPermissionGroupsDataSource_liveAPIWins(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	const id = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	emu.PutTokenPermissionGroup(id, "AAA Widget Read", catalog.ScopeAccount, catalog.ScopeZone)
	emb := catalog.Embedded()

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_permission_groups" "all" {}
data "cfiam_permission_groups" "zone" { scope = "zone" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(len(emb.PermissionGroups())+2)),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.zone", tfjsonpath.New("permission_groups").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":          knownvalue.StringExact(id),
					"name":        knownvalue.StringExact("AAA Widget Read"),
					"description": knownvalue.StringExact(""),
					"scope":       knownvalue.StringExact("zone"),
				})),
			},
		}},
	})
}

func TestAccPermissionGroupsDataSource_offline(t *testing.T) {
	t.Parallel()
	emb := catalog.Embedded()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(`provider "cfiam" {}`, `data "cfiam_permission_groups" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("source"), knownvalue.StringExact("embedded")),
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("permission_groups"), knownvalue.ListSizeExact(len(emb.PermissionGroups()))),
			},
		}},
	})
}
