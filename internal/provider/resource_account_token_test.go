package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func accountTokenResource(baseURL, body string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), "resource \"cfiam_account_token\" \"t\" {\n"+body+"\n}\n")
}

// zoneNames lists the zones a token sees.
func zoneNames(t *testing.T, baseURL, token string) ([]string, error) {
	a := callAPI(t, baseURL, token, http.MethodGet, "/zones", nil)
	if a.status != http.StatusOK {
		return nil, fmt.Errorf("GET /zones: HTTP %d %v", a.status, a.codes)
	}
	var zones []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(a.result, &zones); err != nil {
		return nil, err
	}
	var out []string
	for _, z := range zones {
		out = append(out, z.Name)
	}
	return out, nil
}

// checkTokenCan uses a token's value against the emulator: it can do exactly
// what its policies say (Account Settings Read on the account, Zone Read on
// example.com, and Cloudflare Tunnel Read when tunnels is true), nothing more.
func checkTokenCan(t *testing.T, baseURL string, value *string, tunnels bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		v, acct := *value, "/accounts/"+emulator.AccountID
		for _, c := range []struct {
			method, path string
			body         any
			status, code int
		}{
			{http.MethodGet, acct + "/tokens/verify", nil, http.StatusOK, 0},
			{http.MethodGet, acct + "/members", nil, http.StatusOK, 0},
			{http.MethodPost, acct + "/members", map[string]any{"email": "x@example.com", "roles": []string{}}, http.StatusForbidden, 10000},
			{http.MethodGet, acct + "/tokens", nil, http.StatusOK, 0},
			{http.MethodPost, acct + "/tokens", map[string]any{"name": "x"}, http.StatusForbidden, 10000},
			{http.MethodGet, "/zones/" + emulator.ZoneExampleCom, nil, http.StatusOK, 0},
			{http.MethodPatch, "/zones/" + emulator.ZoneExampleCom, map[string]any{"paused": true}, http.StatusForbidden, 10000},
			{http.MethodGet, "/zones/" + emulator.ZoneExampleOrg, nil, http.StatusForbidden, 10000},
			{http.MethodGet, "/user/tokens", nil, http.StatusForbidden, 10000},
		} {
			if err := expectAnswer(t, callAPI(t, baseURL, v, c.method, c.path, c.body), c.status, c.code, c.method+" "+c.path); err != nil {
				return err
			}
		}
		tunnelStatus, tunnelCode := http.StatusForbidden, 10000
		if tunnels {
			tunnelStatus, tunnelCode = http.StatusOK, 0
		}
		if err := expectAnswer(t, callAPI(t, baseURL, v, http.MethodGet, acct+"/cfd_tunnel", nil), tunnelStatus, tunnelCode, "GET "+acct+"/cfd_tunnel"); err != nil {
			return err
		}
		zones, err := zoneNames(t, baseURL, v)
		if err != nil {
			return err
		}
		if !slices.Equal(zones, []string{"example.com"}) {
			return fmt.Errorf("GET /zones with the token lists %v, want only example.com", zones)
		}
		return nil
	}
}

func TestAccAccountToken_lifecycle(t *testing.T) {
	emu, baseURL, _ := newTokenEmulator(t)
	acct, com := emulator.AccountID, emulator.ZoneExampleCom
	settingsRead := pgID(t, "Account Settings Read", catalog.ScopeAccount)
	tunnelRead := pgID(t, "Cloudflare Tunnel Read", catalog.ScopeAccount)
	zoneRead := pgID(t, "Zone Read", catalog.ScopeZone)
	accountKey := catalog.ResourceKey(catalog.ScopeAccount, acct)
	comKey := catalog.ResourceKey(catalog.ScopeZone, com)

	config := func(name, accountGroups, rotation string) string {
		return accountTokenResource(baseURL, fmt.Sprintf(`
  name = %[3]q
  policies = [
    { effect = "allow", permission_groups = [%[4]s], account_ids = [%[1]q] },
    { effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%[2]q] },
  ]
  condition = { request_ip = { in = ["127.0.0.0/8", "::1/128"] } }
  status = "active"
  rotate_when_changed = { rotation = %[5]q }`, acct, com, name, accountGroups, rotation))
	}
	created := config("deploy", `"Account Settings Read"`, "a")
	updated := config("deploy-2", `"Account Settings Read", "Cloudflare Tunnel Read"`, "a")
	rolled := config("deploy-2", `"Account Settings Read", "Cloudflare Tunnel Read"`, "b")

	var id, value, oldValue string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(*terraform.State) error {
			if n := len(emu.AccountTokens(acct)); n != 0 {
				return fmt.Errorf("%d account tokens left in the emulator after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_token.t", tfjsonpath.New("account_id"), knownvalue.StringExact(acct)),
					statecheck.ExpectKnownValue("cfiam_account_token.t", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("cfiam_account_token.t", tfjsonpath.New("policies"), knownvalue.ListSizeExact(2)),
				},
				Check: resource.ComposeTestCheckFunc(
					attr("cfiam_account_token.t", "id", &id),
					attr("cfiam_account_token.t", "value", &value),
					checkToken(emu, acct, "deploy", wantGrants(
						tokenGrant("allow", map[string]any{accountKey: "*"}, settingsRead),
						tokenGrant("allow", map[string]any{comKey: "*"}, zoneRead),
					)),
					func(*terraform.State) error {
						if len(emu.UserTokens()) != 0 {
							return fmt.Errorf("an account token was created as a user token")
						}
						return nil
					},
					checkTokenCan(t, baseURL, &value, false),
				),
			},
			{
				Config:           created,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_token.t", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr("cfiam_account_token.t", "id", &id),
					resource.TestCheckResourceAttrPtr("cfiam_account_token.t", "value", &value),
					checkToken(emu, acct, "deploy-2", wantGrants(
						tokenGrant("allow", map[string]any{accountKey: "*"}, settingsRead, tunnelRead),
						tokenGrant("allow", map[string]any{comKey: "*"}, zoneRead),
					)),
					checkTokenCan(t, baseURL, &value, true),
				),
			},
			{
				PreConfig: func() { oldValue = value },
				Config:    rolled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_token.t", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("cfiam_account_token.t", tfjsonpath.New("value")),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr("cfiam_account_token.t", "id", &id),
					attr("cfiam_account_token.t", "value", &value),
					func(*terraform.State) error {
						if value == oldValue {
							return fmt.Errorf("value not rolled")
						}
						return expectAnswer(t, callAPI(t, baseURL, oldValue, http.MethodGet, "/accounts/"+acct+"/members", nil), http.StatusForbidden, 0, "the rolled-away value")
					},
					checkTokenCan(t, baseURL, &value, true),
				),
			},
			{
				Config:                  rolled,
				ResourceName:            "cfiam_account_token.t",
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return acct + "/" + id, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value", "rotate_when_changed", "last_used_on"},
			},
			{
				// Out of band: renamed, a policy dropped, disabled. The plan shows it and the apply restores it.
				PreConfig: func() {
					body := map[string]any{"name": "renamed", "status": "disabled", "policies": []any{map[string]any{
						"effect": "allow", "permission_groups": []any{map[string]any{"id": zoneRead}}, "resources": map[string]any{comKey: "*"}}}}
					if a := callAPI(t, baseURL, emulator.AdminToken, http.MethodPut, "/accounts/"+acct+"/tokens/"+id, body); a.status != http.StatusOK {
						t.Fatalf("changing the token out of band: HTTP %d %v", a.status, a.codes)
					}
				},
				Config: rolled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_token.t", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkToken(emu, acct, "deploy-2", func(tok emulator.Token) error {
						if tok.Status != "active" || len(tok.Policies) != 2 || tok.Condition == nil {
							return fmt.Errorf("token not restored: status %s, %d policies, condition %+v", tok.Status, len(tok.Policies), tok.Condition)
						}
						return nil
					}),
					checkTokenCan(t, baseURL, &value, true),
				),
			},
			{
				Config:           rolled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A token whose expires_on has passed reads "expired"; asking for it to be
// active again fails at plan with the fix; a later expires_on renews it.
func TestAccAPIToken_expired(t *testing.T) {
	_, baseURL := acctest.NewEmulator(t)
	config := func(expires, status string) string {
		return userTokenResource(baseURL, fmt.Sprintf(`
  name       = "old"
  policies   = [{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }]
  expires_on = %q
  %s`, emulator.ZoneExampleCom, expires, status))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("2001-01-01T00:00:00Z", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("status"), knownvalue.StringExact("expired")),
				},
			},
			{
				Config:           config("2001-01-01T00:00:00Z", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:      config("2001-01-01T00:00:00Z", `status = "active"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`Token expired .* This token expired on 2001-01-01T00:00:00Z: .* Set expires_on to a later time`),
			},
			{
				Config: config("2099-01-01T00:00:00Z", `status = "active"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
		},
	})
}

// With an API token that holds less than the token it creates, Cloudflare
// refuses the token (1001), and the error says what to do.
func TestAccAccountToken_beyondCaller(t *testing.T) {
	_, baseURL := acctest.NewEmulator(t)
	acct := emulator.AccountID
	settingsRead := pgID(t, "Account Settings Read", catalog.ScopeAccount)
	settingsEdit := pgID(t, "Account Settings Edit", catalog.ScopeAccount)
	a := callAPI(t, baseURL, emulator.AdminToken, http.MethodPost, "/accounts/"+acct+"/tokens", map[string]any{
		"name": "terraform",
		"policies": []any{map[string]any{"effect": "allow",
			"permission_groups": []any{map[string]any{"id": settingsRead}, map[string]any{"id": settingsEdit}},
			"resources":         map[string]any{catalog.ResourceKey(catalog.ScopeAccount, acct): "*"}}},
	})
	var caller struct {
		Value string `json:"value"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.result, &caller) != nil || caller.Value == "" {
		t.Fatalf("creating the provider's token: HTTP %d %v", a.status, a.codes)
	}
	provider := acctest.ProviderConfigWithToken(baseURL, caller.Value)
	token := func(policy string) string {
		return acctest.Config(provider, fmt.Sprintf(`
resource "cfiam_account_token" "t" {
  name     = "child"
  policies = [%s]
}
`, policy))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      token(fmt.Sprintf(`{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }`, emulator.ZoneExampleCom)),
				ExpectError: regexpMust(`\[1001\] .* cannot grant permission group "Zone Read" .* give the provider's API token that permission group`),
			},
			{
				Config: token(fmt.Sprintf(`{ effect = "allow", permission_groups = ["Account Settings Read"], account_ids = [%q] }`, acct)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_token.t", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
		},
	})
}
