package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// newEmulatorGroup creates a resource group through the emulator's API and returns its ID.
func newEmulatorGroup(t *testing.T, baseURL, name string, s catalog.Scope, id string) string {
	t.Helper()
	raw := emulatorAdminCall(t, baseURL, http.MethodPost, "/accounts/"+emulator.AccountID+"/iam/resource_groups", map[string]any{
		"name": name,
		"scope": map[string]any{
			"key":     catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID),
			"objects": []map[string]string{{"key": catalog.ResourceKey(s, id)}},
		},
	})
	var g struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &g); err != nil || g.ID == "" {
		t.Fatalf("resource group %s: %v %s", name, err, raw)
	}
	return g.ID
}

// A policy on resource_group_ids takes the scope of its groups, read from
// the API at plan: a Tunnel role on a group of zones, groups of different
// scopes, and a group the account does not have each fail the plan (where
// Cloudflare would answer 1006 or 1008 at apply), and nothing is written.
func TestAccAccountMember_resourceGroupScopeAtPlan(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	zones := newEmulatorGroup(t, baseURL, "edge-zones", catalog.ScopeZone, emulator.ZoneExampleCom)
	tunnels := newEmulatorGroup(t, baseURL, "edge-tunnels", catalog.ScopeTunnel, emulator.TunnelAppA)
	member := func(policy string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "edge" {
  email    = "edge@example.com"
  status   = "accepted"
  policies = [%s]
}
`, policy))
	}
	membersBefore := len(emu.Members(emulator.AccountID))
	nothingWritten := func() {
		if n := len(emu.Members(emulator.AccountID)); n != membersBefore {
			t.Errorf("a refused plan wrote a member: %d members, %d before", n, membersBefore)
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      member(fmt.Sprintf(`{ access = "allow", roles = ["Cloudflare Tunnel Instance Read"], resource_group_ids = [%q] }`, zones)),
				ExpectError: regexpMust(`Role used at the wrong scope(.|\n)*"Cloudflare Tunnel Instance Read" is a resource-scoped(.|\n)*resource groups hold(.|\n)*zones`),
			},
			{
				PreConfig:   nothingWritten,
				Config:      member(fmt.Sprintf(`{ access = "allow", roles = ["Domain DNS"], resource_group_ids = [%q, %q] }`, zones, tunnels)),
				ExpectError: regexpMust(`Resource groups of different scopes(.|\n)*resource group ` + zones + ` \(zones\);(.|\n)*` + tunnels + `\s+\(Tunnels\)`),
			},
			{
				PreConfig:   nothingWritten,
				Config:      member(fmt.Sprintf(`{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q], resource_group_ids = [%q] }`, emulator.ZoneExampleOrg, tunnels)),
				ExpectError: regexpMust(`Resource groups of different scopes(.|\n)*zone_ids \(zones\)`),
			},
			{
				PreConfig:   nothingWritten,
				Config:      member(`{ access = "allow", roles = ["Domain DNS"], resource_group_ids = ["0123456789abcdef0123456789abcdef"] }`),
				ExpectError: regexpMust(`Unknown resource group(.|\n)*no resource group\s+0123456789abcdef0123456789abcdef`),
			},
			{
				PreConfig: nothingWritten,
				Config:    member(fmt.Sprintf(`{ access = "allow", roles = ["Domain DNS"], resource_group_ids = [%q] }`, zones)),
				Check: func(*terraform.State) error {
					for _, m := range emu.Members(emulator.AccountID) {
						if m.Email == "edge@example.com" && len(m.Policies) == 1 && len(m.Policies[0].ResourceGroups) == 1 &&
							m.Policies[0].ResourceGroups[0] == zones {
							return nil
						}
					}
					return fmt.Errorf("the emulator has no member edge@example.com with one policy on group %s: %+v", zones, emu.Members(emulator.AccountID))
				},
			},
		},
	})
}
