package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

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

func TestAccAPIToken_lifecycle(t *testing.T) {
	emu, baseURL, wire := newTokenEmulator(t)
	acct, com, org := emulator.AccountID, emulator.ZoneExampleCom, emulator.ZoneExampleOrg
	zoneRead, dnsRead, dnsWrite := pgID(t, "Zone Read", catalog.ScopeZone), pgID(t, "DNS Read", catalog.ScopeZone), pgID(t, "DNS Write", catalog.ScopeZone)
	settingsRead := pgID(t, "Account Settings Read", catalog.ScopeAccount)
	tokensRead := pgID(t, "API Tokens Read", catalog.ScopeUser)
	accountKey := catalog.ResourceKey(catalog.ScopeAccount, acct)
	userKey := catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID)
	comKey, orgKey := catalog.ResourceKey(catalog.ScopeZone, com), catalog.ResourceKey(catalog.ScopeZone, org)
	allZones := map[string]any{accountKey: map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}}

	created := userTokenResource(baseURL, fmt.Sprintf(`
  name = "ci"
  policies = [
    { effect = "allow", permission_groups = ["Zone Read", "dns read"], zone_ids = [%[2]q] },
    { effect = "allow", permission_groups = ["Account Settings Read"], account_ids = [%[1]q] },
    { effect = "deny", permission_groups = ["DNS Read"], all_zones_of_account = %[1]q },
    { effect = "allow", permission_groups = ["API Tokens Read"], user = true },
  ]
  not_before = "2020-01-01T02:00:00+02:00"
  expires_on = "2099-01-01T00:00:00Z"
  condition = { request_ip = { in = ["127.0.0.0/8", "10.0.0.0/8"], not_in = ["10.1.0.0/16"] } }
  rotate_when_changed = { n = "1" }`, acct, com))
	// Canonical names and times, so that an import reads back the same.
	updated := func(n string) string {
		return userTokenResource(baseURL, fmt.Sprintf(`
  name = "ci-2"
  policies = [
    { effect = "allow", permission_groups = ["Zone Read", "DNS Write"], zone_ids = [%[2]q, %[3]q] },
    { effect = "allow", permission_groups = ["Account Settings Read"], account_ids = [%[1]q] },
    { effect = "allow", permission_groups = ["API Tokens Read"], user = true },
  ]
  expires_on = "2099-01-01T00:00:00Z"
  condition = { request_ip = { in = ["127.0.0.1"] } }
  status = "disabled"
  rotate_when_changed = { n = %[4]q }`, acct, com, org, n))
	}

	var id, value, value2 string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(*terraform.State) error {
			if n := len(emu.UserTokens()); n != 0 {
				return fmt.Errorf("%d user tokens left in the emulator after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("policies").AtSliceIndex(0).AtMapKey("permission_groups"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("Zone Read"), knownvalue.StringExact("dns read")})),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("policies").AtSliceIndex(2).AtMapKey("effect"), knownvalue.StringExact("deny")),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("not_before"), knownvalue.StringExact("2020-01-01T02:00:00+02:00")),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("value"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("issued_on"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					attr("cfiam_api_token.t", "id", &id),
					attr("cfiam_api_token.t", "value", &value),
					checkToken(emu, "", "ci", wantGrants(
						tokenGrant("allow", map[string]any{comKey: "*"}, zoneRead, dnsRead),
						tokenGrant("allow", map[string]any{accountKey: "*"}, settingsRead),
						tokenGrant("deny", allZones, dnsRead),
						tokenGrant("allow", map[string]any{userKey: "*"}, tokensRead),
					)),
					checkToken(emu, "", "ci", func(tok emulator.Token) error {
						c := tok.Condition
						if c == nil || c.WireKey != "request.ip" || !slices.Equal(c.In, []string{"10.0.0.0/8", "127.0.0.0/8"}) && !slices.Equal(c.In, []string{"127.0.0.0/8", "10.0.0.0/8"}) ||
							!slices.Equal(c.NotIn, []string{"10.1.0.0/16"}) {
							return fmt.Errorf("emulator condition: %+v", c)
						}
						if tok.NotBefore == nil || !tok.NotBefore.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) ||
							tok.ExpiresOn == nil || !tok.ExpiresOn.Equal(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)) {
							return fmt.Errorf("emulator validity: %v to %v", tok.NotBefore, tok.ExpiresOn)
						}
						return nil
					}),
					func(*terraform.State) error {
						// On the wire: Cloudflare's "request.ip" key, whatever cloudflare-go's model says.
						bodies := wire.all()
						if len(bodies) == 0 || !strings.Contains(bodies[0], `"condition":{"request.ip":{"in":[`) || strings.Contains(bodies[0], "request_ip") {
							return fmt.Errorf("create body on the wire: %v", bodies)
						}
						return nil
					},
				),
			},
			{
				// The token is used (last_used_on changes) and the API reorders its policies: still no change to plan.
				PreConfig: func() {
					if a := callAPI(t, baseURL, value, http.MethodGet, "/user/tokens", nil); a.status != http.StatusOK {
						t.Errorf("listing tokens with the token's value: HTTP %d %v", a.status, a.codes)
					}
					reorderUserToken(t, baseURL, id)
				},
				Config:           created,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: updated("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_api_token.t", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("value"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("status"), knownvalue.StringExact("disabled")),
					statecheck.ExpectKnownValue("cfiam_api_token.t", tfjsonpath.New("not_before"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr("cfiam_api_token.t", "id", &id),
					resource.TestCheckResourceAttrPtr("cfiam_api_token.t", "value", &value),
					checkToken(emu, "", "ci-2", wantGrants(
						tokenGrant("allow", map[string]any{comKey: "*", orgKey: "*"}, zoneRead, dnsWrite),
						tokenGrant("allow", map[string]any{accountKey: "*"}, settingsRead),
						tokenGrant("allow", map[string]any{userKey: "*"}, tokensRead),
					)),
					checkToken(emu, "", "ci-2", func(tok emulator.Token) error {
						if tok.Status != "disabled" || tok.NotBefore != nil || tok.Condition == nil || !slices.Equal(tok.Condition.In, []string{"127.0.0.1"}) || len(tok.Condition.NotIn) != 0 {
							return fmt.Errorf("emulator token after update: status %s, not_before %v, condition %+v", tok.Status, tok.NotBefore, tok.Condition)
						}
						return nil
					}),
				),
			},
			{
				Config: updated("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_api_token.t", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("cfiam_api_token.t", tfjsonpath.New("value")),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr("cfiam_api_token.t", "id", &id),
					attr("cfiam_api_token.t", "value", &value2),
					func(*terraform.State) error {
						if value2 == "" || value2 == value {
							return fmt.Errorf("value not rolled")
						}
						if n := len(emu.UserTokens()); n != 1 {
							return fmt.Errorf("%d user tokens in the emulator, want 1", n)
						}
						return nil
					},
				),
			},
			{
				Config:                  updated("2"),
				ResourceName:            "cfiam_api_token.t",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value", "rotate_when_changed", "last_used_on"},
			},
			{
				Config:           updated("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// reorderUserToken rewrites a user token through the API with its policies
// and permission groups in reverse order, as Cloudflare may return them.
func reorderUserToken(t *testing.T, baseURL, id string) {
	t.Helper()
	a := callAPI(t, baseURL, emulator.AdminToken, http.MethodGet, "/user/tokens/"+id, nil)
	var tok map[string]any
	if err := json.Unmarshal(a.result, &tok); err != nil {
		t.Fatal(err)
	}
	pols, _ := tok["policies"].([]any)
	slices.Reverse(pols)
	for _, p := range pols {
		pm, ok := p.(map[string]any)
		if !ok {
			t.Fatalf("token %s: policy is not an object: %v", id, p)
		}
		groups, _ := pm["permission_groups"].([]any)
		slices.Reverse(groups)
		delete(pm, "id")
	}
	body := map[string]any{"name": tok["name"], "policies": pols, "condition": tok["condition"], "not_before": tok["not_before"], "expires_on": tok["expires_on"]}
	if a := callAPI(t, baseURL, emulator.AdminToken, http.MethodPut, "/user/tokens/"+id, body); a.status != http.StatusOK {
		t.Fatalf("reordering token %s: HTTP %d %v", id, a.status, a.codes)
	}
}
