package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

const (
	routeIAMGroups   = "GET /accounts/{account_id}/iam/permission_groups"
	routeTokenGroups = "GET /user/tokens/permission_groups" //nolint:gosec // G101: a route name, not a credential
)

// Every data source of one configuration reads the same cached catalog: a
// configuration with eight catalog data sources costs the API exactly what
// one with a single role and a single permission group data source costs
// (one fetch of each per provider instance that Terraform starts).
func TestAccProvider_catalogFetchedOncePerInstance(t *testing.T) {
	t.Parallel()
	run := func(dataSources string) map[string]int {
		emu, baseURL := acctest.NewEmulator(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
			Steps: []resource.TestStep{{
				Config: acctest.Config(acctest.ProviderConfig(baseURL), dataSources),
			}},
		})
		return emu.Stats().ByRoute
	}
	one := run(`
data "cfiam_roles" "all" {}
data "cfiam_permission_groups" "all" {}
`)
	many := run(`
data "cfiam_roles" "all" {}
data "cfiam_roles" "zone" { scope = "zone" }
data "cfiam_role" "admin" { name = "Administrator" }
data "cfiam_role" "dns" { name = "Domain DNS" }
data "cfiam_permission_groups" "all" {}
data "cfiam_permission_groups" "user" { scope = "user" }
data "cfiam_permission_group" "dns_write" { name = "DNS Write" }
data "cfiam_permission_group" "logs" {
  name  = "Logs Read"
  scope = "zone"
}
`)
	for _, route := range []string{routeIAMGroups, routeTokenGroups} {
		t.Logf("%s: %d requests with one data source of each kind, %d with eight", route, one[route], many[route])
		if one[route] == 0 {
			t.Errorf("%s never requested", route)
		}
		if many[route] != one[route] {
			t.Errorf("%s requested %d times for eight data sources, %d times for one of each kind: want the same", route, many[route], one[route])
		}
	}
}

func TestAccProvider_credentialsFromEnvironment(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	env := map[string]string{
		"CLOUDFLARE_API_TOKEN":  emulator.AdminToken,
		"CLOUDFLARE_ACCOUNT_ID": emulator.AccountID,
		"CLOUDFLARE_BASE_URL":   baseURL,
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(env),
		Steps: []resource.TestStep{{
			Config: `data "cfiam_roles" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
			},
		}},
	})
}

func TestAccProvider_configBeatsEnvironment(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	env := map[string]string{
		"CLOUDFLARE_API_TOKEN":  "an-outdated-token",
		"CLOUDFLARE_API_KEY":    "an-outdated-key",
		"CLOUDFLARE_EMAIL":      "someone@example.com",
		"CLOUDFLARE_ACCOUNT_ID": "00000000000000000000000000000000",
		"CLOUDFLARE_BASE_URL":   "http://127.0.0.1:1/client/v4",
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(env),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), `data "cfiam_roles" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
			},
		}},
	})
}

func TestAccProvider_legacyAPIKey(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(map[string]string{"CLOUDFLARE_EMAIL": emulator.AdminEmail}),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cfiam" {
  api_key    = %[1]q
  account_id = %[2]q
  base_url   = %[3]q
}
data "cfiam_roles" "all" {}
`, emulator.AdminAPIKey, emulator.AccountID, baseURL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_roles.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
			},
		}},
	})
}

func TestAccProvider_apiKeyWithoutEmail(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      `provider "cfiam" { api_key = "abc" }` + "\n" + `data "cfiam_roles" "all" {}`,
			ExpectError: regexpMust(`Missing Cloudflare e-mail address.*Set email in the provider block or CLOUDFLARE_EMAIL`),
		}},
	})
}

func TestAccProvider_emailWithoutAPIKey(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      `provider "cfiam" { email = "a@example.com" }` + "\n" + `data "cfiam_roles" "all" {}`,
			ExpectError: regexpMust(`Missing Cloudflare API key.*CLOUDFLARE_API_KEY`),
		}},
	})
}

func TestAccProvider_tokenConflictsWithAPIKey(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: `
provider "cfiam" {
  api_token = "t"
  api_key   = "k"
  email     = "a@example.com"
}
data "cfiam_roles" "all" {}
`,
			ExpectError: regexpMust(`cannot be configured together`),
		}},
	})
}

func TestAccProvider_invalidRequestTimeout(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      `provider "cfiam" { request_timeout = "thirty" }` + "\n" + `data "cfiam_roles" "all" {}`,
			ExpectError: regexpMust(`Invalid duration.*"thirty" is not a duration`),
		}},
	})
}

func TestAccProvider_negativeMaxRetries(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      `provider "cfiam" { max_retries = -1 }` + "\n" + `data "cfiam_roles" "all" {}`,
			ExpectError: regexpMust(`max_retries.*at least 0`),
		}},
	})
}

// A credential known only after apply cannot configure the provider; the
// error names the attribute.
func TestAccProvider_unknownAtConfigure(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "token" {
  input = "later"
}
provider "cfiam" {
  api_token = terraform_data.token.output
}
data "cfiam_roles" "all" {}
`,
			ExpectError: regexpMust(`Provider configuration not known yet.*api_token depends on a value`),
		}},
	})
}

func TestAccProvider_missingAccountID(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfigWithoutAccount(baseURL) + `
data "cfiam_roles" "all" {}
`,
			ExpectError: regexpMust(`Account ID needed.*CLOUDFLARE_ACCOUNT_ID`),
		}},
	})
}

// Permission groups are not account-bound: no account ID is needed.
func TestAccProvider_permissionGroupsWithoutAccount(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfigWithoutAccount(baseURL) + `
data "cfiam_permission_groups" "all" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cfiam_permission_groups.all", tfjsonpath.New("source"), knownvalue.StringExact("api")),
			},
		}},
	})
}

func TestAccProvider_badTokenNamesTheVariable(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.ProviderConfigWithToken(baseURL, "expired-token"), `data "cfiam_permission_groups" "all" {}`),
			ExpectError: regexpMust(`Cloudflare rejected the credentials while reading the API token permission groups.*\[9109\].*Set a valid API token: api_token in the provider block or CLOUDFLARE_API_TOKEN`),
		}},
	})
}

func TestAccProvider_badAPIKeyNamesTheVariables(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cfiam" {
  api_key    = "wrong-key"
  email      = %[1]q
  account_id = %[2]q
  base_url   = %[3]q
}
data "cfiam_roles" "all" {}
`, emulator.AdminEmail, emulator.AccountID, baseURL),
			ExpectError: regexpMust(`Cloudflare rejected the credentials.*CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL`),
		}},
	})
}

func TestAccProvider_userAgent(t *testing.T) {
	t.Parallel()
	emu := emulator.New()
	var mu sync.Mutex
	agents := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cfiam" {
  api_token         = %[1]q
  account_id        = %[2]q
  base_url          = %[3]q
  user_agent_suffix = "pipeline/42"
}
data "cfiam_permission_groups" "all" {}
`, emulator.AdminToken, emulator.AccountID, srv.URL+"/client/v4"),
		}},
	})
	mu.Lock()
	defer mu.Unlock()
	want := "terraform-provider-cfiam/" + acctest.ProviderVersion + " pipeline/42"
	if len(agents) != 1 || !agents[want] {
		t.Errorf("User-Agents seen: %v, want only %q", agents, want)
	}
}
