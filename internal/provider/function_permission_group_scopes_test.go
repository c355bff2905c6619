package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
)

// The function works offline, from the embedded catalog.
func TestFunctionPermissionGroupScopes(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(acctest.OfflineProviderConfig(), `
output "logs_read" {
  value = provider::cfiam::permission_group_scopes("logs read")
}
output "dns_write" {
  value = provider::cfiam::permission_group_scopes("DNS Write")
}
output "api_tokens_read" {
  value = provider::cfiam::permission_group_scopes("API Tokens Read")
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("logs_read", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("account"), knownvalue.StringExact("zone")})),
					statecheck.ExpectKnownOutputValue("dns_write", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("zone")})),
					statecheck.ExpectKnownOutputValue("api_tokens_read", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("user")})),
				},
			},
			{
				Config: acctest.Config(acctest.OfflineProviderConfig(), `
output "typo" {
  value = provider::cfiam::permission_group_scopes("DNS Wirte")
}
`),
				// One period at the end: Terraform adds it to the provider's message.
				ExpectError: regexpMust(`No API token permission group is named\s+"DNS Wirte". Did you mean "DNS Write"\?(.|\n)*with its\s+scope\.($|\n)`),
			},
			{Config: acctest.OfflineProviderConfig()},
		},
	})
}
