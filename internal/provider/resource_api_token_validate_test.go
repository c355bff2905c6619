package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func userTokenConfig(policies string, extra ...string) string {
	return tokenConfig("cfiam_api_token", policies, extra...)
}

func accountTokenConfig(policies string, extra ...string) string {
	return tokenConfig("cfiam_account_token", policies, extra...)
}

// tokenConfig is a token resource t of type typ with these policies and
// extra attributes.
func tokenConfig(typ, policies string, extra ...string) string {
	more := ""
	for _, e := range extra {
		more += "  " + e + "\n"
	}
	return fmt.Sprintf(`
resource %q "t" {
  name     = "ci"
  policies = [%s]
%s}
`, typ, policies, more)
}

// Every rule runs at validate, from the embedded catalog, with no credentials.
func TestAccAPIToken_validation(t *testing.T) {
	acct, zone := emulator.AccountID, emulator.ZoneExampleCom
	onAccount := fmt.Sprintf("account_ids = [%q]", acct)
	onZone := fmt.Sprintf("zone_ids = [%q]", zone)
	onAllZones := fmt.Sprintf("all_zones_of_account = %q", acct)
	for _, tc := range []struct {
		name, config, error string
	}{
		{"zone group on accounts", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Write"], ` + onAccount + ` }`),
			`Permission group used at the wrong scope .* "DNS Write" is a zone permission group but this policy is on accounts \(account_ids\): put it in a policy with zone_ids or all_zones_of_account`},
		{"account group on zones", userTokenConfig(`{ effect = "allow", permission_groups = ["Account Settings Read"], ` + onZone + ` }`),
			`"Account Settings Read" is an account permission group but this policy is on zones \(zone_ids or all_zones_of_account\): put it in a policy with account_ids`},
		{"account group on all zones", userTokenConfig(`{ effect = "allow", permission_groups = ["Account Settings Read"], ` + onAllZones + ` }`),
			`"Account Settings Read" is an account permission group but this policy is on zones`},
		{"user group on accounts", userTokenConfig(`{ effect = "allow", permission_groups = ["API Tokens Read"], ` + onAccount + ` }`),
			`"API Tokens Read" is a user permission group but this policy is on accounts \(account_ids\): put it in a policy with user = true`},
		{"user group on zones", userTokenConfig(`{ effect = "allow", permission_groups = ["API Tokens Read"], ` + onZone + ` }`),
			`"API Tokens Read" is a user permission group but this policy is on zones .* put it in a policy with user = true`},
		{"user group on all zones", userTokenConfig(`{ effect = "allow", permission_groups = ["api tokens read"], ` + onAllZones + ` }`),
			`"API Tokens Read" is a user permission group but this policy is on zones .* user = true`},
		{"two-scope name on the user", userTokenConfig(`{ effect = "allow", permission_groups = ["Logs Read"], user = true }`),
			`"Logs Read" is an account permission group and a zone permission group but this policy is on the user \(user = true\)`},
		{"groups of two scopes in one policy", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read", "Account Settings Read"], ` + onZone + ` }`),
			`"Account Settings Read" is an account permission group but this policy is on zones`},
		{"unknown name", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Wirte"], ` + onZone + ` }`),
			`Unknown permission group .* No permission group is named "DNS Wirte". Did you mean "DNS Write".* can be named by ID`},
		{"no resources", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"] }`),
			`Token policy has no resources .* Set exactly one of user = true, account_ids, zone_ids or all_zones_of_account`},
		{"user = false is no resource", userTokenConfig(`{ effect = "allow", permission_groups = ["API Tokens Read"], user = false }`),
			`Token policy has no resources`},
		{"two resource kinds", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], ` + onAccount + `, ` + onZone + ` }`),
			`Token policy mixes resource kinds .* This policy sets account_ids and zone_ids: .* Split it into one policy per kind`},
		{"zones and all zones", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], ` + onZone + `, ` + onAllZones + ` }`),
			`sets zone_ids and all_zones_of_account`},
		{"no permission groups", userTokenConfig(`{ effect = "allow", permission_groups = [], ` + onZone + ` }`),
			`Token policy has no permission groups .* add permission_groups, or remove the policy`},
		{"no policies", userTokenConfig(``), `Attribute policies list must contain at least 1 elements`},
		{"bad effect", userTokenConfig(`{ effect = "permit", permission_groups = ["DNS Read"], ` + onZone + ` }`), `value must be one of`},
		{"malformed zone ID", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], zone_ids = ["example.com"] }`),
			`must be a 32-character lowercase hexadecimal zone ID`},
		{"malformed time", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], `+onZone+` }`, `expires_on = "2030-01-01"`),
			`Invalid time .* "2030-01-01" is not an RFC 3339 date-time`},
		{"malformed IP", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], `+onZone+` }`, `condition = { request_ip = { in = ["10.0.0.0/33"] } }`),
			`Invalid IP address or range .* "10.0.0.0/33" must be an IP address or CIDR range`},
		// Terraform drops misspelt keys: none may leave a default that grants.
		{"misspelt effect", userTokenConfig(`{ efect = "deny", permission_groups = ["DNS Read"], ` + onZone + ` }`), `attribute "effect" is required`},
		{"misspelt request_ip", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], `+onZone+` }`, `condition = { requestip = { in = ["192.0.2.0/24"] } }`),
			`attribute "request_ip" is required`},
		{"misspelt in", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], `+onZone+` }`, `condition = { request_ip = { inn = ["192.0.2.0/24"] } }`),
			`(?s)Invalid Attribute Combination.*At least one attribute.*not_in`},
		{"bad status", userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Read"], `+onZone+` }`, `status = "expired"`), `value must be one of`},
		{"account token: user policy", accountTokenConfig(`{ effect = "allow", permission_groups = ["API Tokens Read"], user = true }`),
			`User policy in an account-owned token .* cannot hold user permission groups .* cfiam_api_token`},
		{"account token: another account", accountTokenConfig(`{ effect = "allow", permission_groups = ["Account Settings Read"], account_ids = ["0123456789abcdef0123456789abcdef"] }`, fmt.Sprintf("account_id = %q", acct)),
			`Account outside the token's account .* reaches only its own account, ` + acct},
		{"account token: zone group on accounts", accountTokenConfig(`{ effect = "allow", permission_groups = ["Zone Read"], ` + onAccount + ` }`),
			`"Zone Read" is a zone permission group but this policy is on accounts`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectInvalidOffline(t, tc.config, tc.error)
		})
	}
}

// Names in several scopes resolve by the policy's kind; IDs the embedded
// catalog lacks wait for the live catalog; unknown values never fail.
func TestAccAPIToken_validAtValidate(t *testing.T) {
	acct, zone := emulator.AccountID, emulator.ZoneExampleCom
	unknownZone := `
resource "terraform_data" "zone" {
  input = "` + zone + `"
}
`
	for _, tc := range []struct{ name, config string }{
		{"Logs Read and API Gateway Read on accounts", userTokenConfig(fmt.Sprintf(`{ effect = "allow", permission_groups = ["Logs Read", "API Gateway Read"], account_ids = [%q] }`, acct))},
		{"Logs Read and API Gateway Read on zones", userTokenConfig(fmt.Sprintf(`{ effect = "allow", permission_groups = ["logs read", "API Gateway Read"], zone_ids = [%q] }`, zone))},
		{"Logs Read on all zones", userTokenConfig(fmt.Sprintf(`{ effect = "allow", permission_groups = ["Logs Read"], all_zones_of_account = %q }`, acct))},
		{"user groups on the user", userTokenConfig(`{ effect = "allow", permission_groups = ["API Tokens Read", "User Details Read"], user = true }`)},
		{"an ID the embedded catalog lacks", userTokenConfig(fmt.Sprintf(`{ effect = "allow", permission_groups = ["0123456789abcdef0123456789abcdef"], zone_ids = [%q] }`, zone))},
		{"unknown zone IDs", unknownZone + userTokenConfig(`{ effect = "allow", permission_groups = ["DNS Write"], zone_ids = [terraform_data.zone.output] }`)},
		{"unknown permission groups", unknownZone + userTokenConfig(`{ effect = "allow", permission_groups = [terraform_data.zone.output], user = true }`)},
		{"account token on its zones", accountTokenConfig(fmt.Sprintf(`{ effect = "deny", permission_groups = ["DNS Write"], all_zones_of_account = %q }`, acct))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps: []resource.TestStep{{
					Config:             acctest.Config(acctest.OfflineProviderConfig(), tc.config),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				}},
			})
		})
	}
	t.Run("wrong group with unknown zone IDs still fails", func(t *testing.T) {
		t.Parallel()
		expectInvalidOffline(t, unknownZone+userTokenConfig(`{ effect = "allow", permission_groups = ["Account Settings Read"], zone_ids = [terraform_data.zone.output] }`),
			`"Account Settings Read" is an account permission group but this policy is on zones`)
	})
}

// With credentials, the live catalog decides at plan: an ID only the API
// knows plans and applies; an ID nobody knows fails with the path.
func TestAccAPIToken_liveCatalogAtPlan(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	const widgets, nobody = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", "0123456789abcdef0123456789abcdef"
	emu.PutTokenPermissionGroup(widgets, "Widgets Read", "account")
	config := func(group string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL),
			userTokenConfig(fmt.Sprintf(`{ effect = "allow", permission_groups = [%q], account_ids = [%q] }`, group, emulator.AccountID)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      config(nobody),
				PlanOnly:    true,
				ExpectError: regexpMust(`Unknown permission group .* No permission group is named "` + nobody + `"`),
			},
			{
				Config:      config("Widgets Read"),
				PlanOnly:    true,
				ExpectError: regexpMust(`Unknown permission group .* can be named by ID`), // validate: the embedded catalog lacks the name
			},
			{Config: config(widgets)},
			{Config: config(widgets), PlanOnly: true},
		},
	})
}
