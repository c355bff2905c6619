package provider_test

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// reportedItem is one Tunnel or zone of a cfiam_effective_access in state.
type reportedItem struct {
	access string
	grants []string
}

func reported(s *terraform.State, name, list string) (map[string]reportedItem, error) {
	rs, ok := s.RootModule().Resources["data.cfiam_effective_access."+name]
	if !ok {
		return nil, fmt.Errorf("no data.cfiam_effective_access.%s in state", name)
	}
	a := rs.Primary.Attributes
	n, err := strconv.Atoi(a[list+".#"])
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", name, list, err)
	}
	out := map[string]reportedItem{}
	for i := range n {
		p := fmt.Sprintf("%s.%d.", list, i)
		var grants []string
		g, _ := strconv.Atoi(a[p+"grants.#"])
		for j := range g {
			grants = append(grants, a[fmt.Sprintf("%sgrants.%d", p, j)])
		}
		out[a[p+"id"]] = reportedItem{access: a[p+"access"], grants: grants}
	}
	return out, nil
}

// TestAccEffectiveAccess_matrix: for members holding an account role only, a
// binding only, both, deny policies (on a Tunnel, and account-wide), nothing,
// and a pending invitation, cfiam_effective_access reports the expected
// Tunnels, levels and grants, and equals what the emulator shows each
// member's own token (Tunnel listing and edit rights, zone listing).
func TestAccEffectiveAccess_matrix(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	a, b := emulator.TunnelAppA, emulator.TunnelAppB

	// A deleted Tunnel is reported to nobody, as the listing shows it to nobody.
	admin := adminClient(t, baseURL)
	var created struct {
		Result struct {
			ID string `json:"id"`
		} `json:"result"`
	}
	if err := admin.SDK().Post(t.Context(), "accounts/"+emulator.AccountID+"/cfd_tunnel", map[string]any{"name": "old"}, &created); err != nil {
		t.Fatal(err)
	}
	if err := admin.SDK().Delete(t.Context(), "accounts/"+emulator.AccountID+"/cfd_tunnel/"+created.Result.ID, nil, nil); err != nil {
		t.Fatal(err)
	}

	members := []struct{ name, status, policies string }{
		{"account_only", "accepted", `[{ access = "allow", roles = ["Cloudflare Access"] }]`},
		{"binding_only", "accepted", `[{ access = "allow", roles = ["Analytics"] }]`},
		{"both", "accepted", `[{ access = "allow", roles = ["Administrator Read Only"] }]`},
		{"deny_tunnel", "accepted", fmt.Sprintf(`[
    { access = "allow", roles = ["Cloudflare Access"] },
    { access = "deny", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%q] },
  ]`, a)},
		{"deny_account", "accepted", `[
    { access = "allow", roles = ["Cloudflare Zero Trust", "Analytics"] },
    { access = "deny", roles = ["Cloudflare Zero Trust"] },
  ]`},
		{"none", "accepted", `[{ access = "allow", roles = ["Analytics"] }]`},
		{"pending", "pending", `[{ access = "allow", roles = ["Cloudflare Access"] }]`},
	}
	parts := []string{acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_tunnel_binding" "binding_only" {
  member_id  = cfiam_account_member.binding_only.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%[1]q]
}

resource "cfiam_tunnel_binding" "both" {
  member_id  = cfiam_account_member.both.id
  roles      = ["Cloudflare Tunnel Instance Admin"]
  tunnel_ids = [%[2]q]
}

resource "cfiam_tunnel_binding" "deny_account" {
  member_id  = cfiam_account_member.deny_account.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%[2]q]
}

data "cfiam_effective_access" "by_email" {
  email      = "BOTH@example.com"
  depends_on = [cfiam_tunnel_binding.both]
}
`, a, b)}
	for _, m := range members {
		parts = append(parts, fmt.Sprintf(`
resource "cfiam_account_member" %[1]q {
  email    = "%[1]s@example.com"
  status   = %[2]q
  policies = %[3]s
}

data "cfiam_effective_access" %[1]q {
  member_id  = cfiam_account_member.%[1]s.id
  depends_on = [cfiam_tunnel_binding.binding_only, cfiam_tunnel_binding.both, cfiam_tunnel_binding.deny_account]
}
`, m.name, m.status, m.policies))
	}
	cfg := acctest.Config(parts...)

	binding := func(s *terraform.State, name, role string) string {
		return fmt.Sprintf("binding %s role %q", s.RootModule().Resources["cfiam_tunnel_binding."+name].Primary.Attributes["policy_id"], role)
	}
	want := map[string]func(s *terraform.State) map[string]reportedItem{
		"account_only": func(*terraform.State) map[string]reportedItem {
			g := []string{`account role "Cloudflare Access"`}
			return map[string]reportedItem{a: {"edit", g}, b: {"edit", g}}
		},
		"binding_only": func(s *terraform.State) map[string]reportedItem {
			return map[string]reportedItem{a: {"read", []string{binding(s, "binding_only", "Cloudflare Tunnel Instance Read")}}}
		},
		"both": func(s *terraform.State) map[string]reportedItem {
			return map[string]reportedItem{
				a: {"read", []string{`account role "Administrator Read Only"`}},
				b: {"edit", []string{`account role "Administrator Read Only"`, binding(s, "both", "Cloudflare Tunnel Instance Admin")}},
			}
		},
		"deny_tunnel": func(*terraform.State) map[string]reportedItem {
			return map[string]reportedItem{b: {"edit", []string{`account role "Cloudflare Access"`}}}
		},
		"deny_account": func(s *terraform.State) map[string]reportedItem {
			return map[string]reportedItem{b: {"read", []string{binding(s, "deny_account", "Cloudflare Tunnel Instance Read")}}}
		},
		"none":    func(*terraform.State) map[string]reportedItem { return map[string]reportedItem{} },
		"pending": func(*terraform.State) map[string]reportedItem { return map[string]reportedItem{} },
	}

	check := func(s *terraform.State) error {
		for name, wantFn := range want {
			memberID := s.RootModule().Resources["cfiam_account_member."+name].Primary.ID
			tunnels, err := reported(s, name, "tunnels")
			if err != nil {
				return err
			}
			exp := wantFn(s)
			if len(tunnels) != len(exp) {
				return fmt.Errorf("%s: reported Tunnels %+v, want %+v", name, tunnels, exp)
			}
			for id, w := range exp {
				if got := tunnels[id]; got.access != w.access || !slices.Equal(got.grants, w.grants) {
					return fmt.Errorf("%s: Tunnel %s reported %+v, want %+v", name, id, got, w)
				}
			}
			// The report equals the emulator's answer to the member's own token.
			viewTunnels, viewZones := emulatorView(t, baseURL, memberID)
			if len(viewTunnels) != len(tunnels) {
				return fmt.Errorf("%s: the member's token lists %v, the report says %+v", name, viewTunnels, tunnels)
			}
			for id, access := range viewTunnels {
				if tunnels[id].access != access {
					return fmt.Errorf("%s: the member's token has %s on Tunnel %s, the report says %q", name, access, id, tunnels[id].access)
				}
			}
			zones, err := reported(s, name, "zones")
			if err != nil {
				return err
			}
			var reportedZones []string
			for id := range zones {
				reportedZones = append(reportedZones, id)
			}
			sort.Strings(reportedZones)
			if !slices.Equal(reportedZones, viewZones) {
				return fmt.Errorf("%s: the member's token lists zones %v, the report says %v", name, viewZones, reportedZones)
			}
		}
		return nil
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeTestCheckFunc(
				check,
				resource.TestCheckResourceAttr("data.cfiam_effective_access.account_only", "account_roles.#", "1"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.account_only", "account_roles.0", "Cloudflare Access"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.account_only", "all_tunnels_access", "edit"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.both", "all_tunnels_access", "read"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.binding_only", "all_tunnels_access", "none"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.binding_only", "tunnels.0.name", "app-a"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.deny_account", "account_roles.#", "1"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.deny_account", "account_roles.0", "Analytics"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.pending", "status", "pending"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.pending", "account_roles.#", "0"),
				resource.TestCheckResourceAttrPair("data.cfiam_effective_access.by_email", "member_id", "cfiam_account_member.both", "id"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.by_email", "email", "both@example.com"),
				resource.TestCheckResourceAttr("data.cfiam_effective_access.by_email", "tunnels.#", "2"),
			),
		}},
	})
}

func TestAccEffectiveAccess_needsMember(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:      acctest.Config(acctest.OfflineProviderConfig(), `data "cfiam_effective_access" "x" {}`),
			PlanOnly:    true,
			ExpectError: regexpMust(`Exactly one of these attributes must be configured: \[member_id,email\]`),
		}},
	})
}

// A member ID of the wrong shape fails at validate; one the account does
// not have is "No such member" on member_id, not a generic API error.
func TestAccEffectiveAccess_errors(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	cfg := func(body string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), "data \"cfiam_effective_access\" \"x\" {\n"+body+"\n}\n")
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`member_id = "00000000000000000000000000000000"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`No such member(.|\n)*with data.cfiam_effective_access.x(.|\n)*member_id(.|\n)*has no member with ID\s+00000000000000000000000000000000`),
			},
			{
				Config:      cfg(`member_id = "alice@example.com"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`must be a 32-character lowercase hexadecimal member ID`),
			},
			{
				Config:      cfg(`email = "alice"`),
				PlanOnly:    true,
				ExpectError: regexpMust(`must be an e-mail address`),
			},
			{
				Config: cfg(`member_id = "` + emulator.AdminMemberID + `"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_effective_access.x", tfjsonpath.New("email"), knownvalue.StringExact(emulator.AdminEmail)),
				},
			},
		},
	})
}

// A Tunnel reached only through a user group is reported, and its grant names
// the group; the member's own Analytics gives no Tunnel.
func TestAccEffectiveAccess_throughGroup(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	dev := outsideMember(t, baseURL, "dev@example.com")
	outsideGroup(t, api, "tunnel-ops", "Cloudflare Access", dev)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
data "cfiam_effective_access" "dev" {
  member_id = %q
}
`, dev)),
			Check: func(s *terraform.State) error {
				tunnels, err := reported(s, "dev", "tunnels")
				if err != nil {
					return err
				}
				a, ok := tunnels[emulator.TunnelAppA]
				want := `via group "tunnel-ops": account role "Cloudflare Access"`
				if !ok || a.access != "edit" || len(a.grants) != 1 || a.grants[0] != want {
					return fmt.Errorf("Tunnel app-a: %+v (present %v), want edit through %s", a, ok, want)
				}
				return nil
			},
		}},
	})
}
