package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
)

func TestAccUserGroupDataSources(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	alice, bob := outsideMember(t, baseURL, "alice@example.com"), outsideMember(t, baseURL, "bob@example.com")
	ops := outsideGroup(t, api, "tunnel-ops", "Cloudflare Access", bob, alice)
	outsideGroup(t, api, "billing", "Billing")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
data "cfiam_user_group" "by_name" {
  name = "tunnel-ops"
}

data "cfiam_user_group" "by_id" {
  id = %q
}

data "cfiam_user_groups" "ops" {
  name_contains = "OPS"
}

data "cfiam_user_groups" "all" {}
`, ops)),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "id", ops),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "policies.#", "1"),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "policies.0.access", "allow"),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "policies.0.scope", "account"),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "policies.0.roles.0.name", "Cloudflare Access"),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "members.#", "2"),
				// Sorted by e-mail address.
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "members.0.email", "alice@example.com"),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "members.0.id", alice),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_name", "members.1.id", bob),
				resource.TestCheckResourceAttr("data.cfiam_user_group.by_id", "name", "tunnel-ops"),
				resource.TestCheckResourceAttr("data.cfiam_user_groups.ops", "user_groups.#", "1"),
				resource.TestCheckResourceAttr("data.cfiam_user_groups.ops", "user_groups.0.name", "tunnel-ops"),
				resource.TestCheckResourceAttr("data.cfiam_user_groups.all", "user_groups.#", "2"),
				resource.TestCheckResourceAttr("data.cfiam_user_groups.all", "user_groups.0.name", "billing"),
				resource.TestCheckResourceAttr("data.cfiam_user_groups.all", "user_groups.0.members.#", "0"),
			),
		}},
	})
}

func TestAccUserGroupDataSource_ambiguousName(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	a := outsideGroup(t, api, "twins", "Billing")
	b := outsideGroup(t, api, "twins", "Analytics")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_user_group" "g" {
  name = "twins"
}
`),
				ExpectError: regexpMust(fmt.Sprintf(`has 2 user groups named "twins"\s+\((%[1]s, %[2]s|%[2]s, %[1]s)\):\s+name\s+the group by its ID`, a, b)),
			},
			{Config: acctest.ProviderConfig(baseURL)},
		},
	})
}
