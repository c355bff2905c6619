package provider_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Written by hand, not taken from the code under test: the seeded Mesh nodes
// (PRODUCT.md's seeds), the two seeded Mesh node roles (issue #17), the
// warp_connector resource key and the binding groups' prefix.
const (
	meshOfficeA      = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"
	meshOfficeB      = "3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"
	meshReadRole     = "Cloudflare Mesh Node Read"
	meshAdminRole    = "Cloudflare Mesh Node Admin"
	meshKeyPrefix    = "com.cloudflare.api.account.warp_connector."
	meshBindingGroup = "cfiam-mesh-node-binding:"
)

func meshBindingConfig(baseURL, memberID, roles, nodes string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_mesh_node_binding" "app" {
  member_id     = %[1]q
  roles         = %[2]s
  mesh_node_ids = %[3]s
}
`, memberID, roles, nodes))
}

// meshBindingState checks, in the emulator, that the member keeps its own
// "Analytics" policy and holds exactly the Mesh node binding policies wanted
// ("role,role|node,node"), each on groups named with the Mesh binding prefix.
func meshBindingState(t *testing.T, emu *emulator.Emulator, memberID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var own, got []string
		for _, p := range emulatorPolicies(t, emu, memberID) {
			binding := len(p.groupNames) > 0 && !slices.ContainsFunc(p.groupNames, func(n string) bool { return !strings.HasPrefix(n, meshBindingGroup) })
			if !binding {
				own = append(own, strings.Join(p.roles, ","))
				continue
			}
			var nodes []string
			for _, o := range p.objects {
				id, ok := strings.CutPrefix(o, meshKeyPrefix)
				if !ok {
					return fmt.Errorf("a Mesh node binding's group holds %s", o)
				}
				nodes = append(nodes, id)
			}
			got = append(got, strings.Join(p.roles, ",")+"|"+strings.Join(nodes, ","))
		}
		if !slices.Equal(own, []string{"Analytics"}) {
			return fmt.Errorf("the member's own policies changed: %v", own)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("Mesh node binding policies in the emulator:\n got  %q\n want %q", got, want)
		}
		return nil
	}
}

func TestAccMeshNodeBinding_lifecycle(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	readA := meshBindingConfig(baseURL, memberID, fmt.Sprintf("[%q]", meshReadRole), fmt.Sprintf("[%q]", meshOfficeA))
	adminBoth := meshBindingConfig(baseURL, memberID, fmt.Sprintf("[%q, %q]", strings.ToLower(meshReadRole), meshAdminRole),
		fmt.Sprintf("[%q, %q]", meshOfficeB, meshOfficeA))
	var policyID string
	const address = "cfiam_mesh_node_binding.app"

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(s *terraform.State) error {
			if err := meshBindingState(t, emu, memberID)(s); err != nil {
				return err
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if strings.HasPrefix(g.Name, meshBindingGroup) {
					return fmt.Errorf("Mesh node binding group %s left behind after destroy", g.Name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: readA,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("roles"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(meshReadRole)})),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("mesh_node_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(meshOfficeA)})),
				},
				Check: resource.ComposeTestCheckFunc(
					attr(address, "policy_id", &policyID),
					meshBindingState(t, emu, memberID, meshReadRole+"|"+meshOfficeA),
				),
			},
			{
				Config: adminBoth,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr(address, "policy_id", &policyID),
					meshBindingState(t, emu, memberID, meshAdminRole+","+meshReadRole+"|"+meshOfficeB+","+meshOfficeA),
				),
			},
			{
				ResourceName:      address,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return emulator.AccountID + "/" + memberID + "/" + policyID, nil
				},
				ImportStateVerifyIgnore: []string{"roles"}, // imported as catalog names; one is written in lower case
			},
			{
				// A Tunnel binding's policy is not a Mesh node binding's.
				PreConfig: func() {
					admin := adminClient(t, baseURL)
					m, err := admin.GetMember(t.Context(), emulator.AccountID, memberID)
					if err != nil {
						t.Fatal(err)
					}
					key := "com.cloudflare.api.account.cfd_tunnel." + emulator.TunnelAppA
					rg, err := admin.CreateResourceGroup(t.Context(), emulator.AccountID, bindingPrefix+key, []string{key})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := admin.UpdateMemberPolicies(t.Context(), emulator.AccountID, memberID, append(m.Policies,
						cfclient.NewMemberPolicy("", "allow", []string{roleID(t, tunnelReadRole, catalog.ScopeTunnel)}, []string{rg.ID}))); err != nil {
						t.Fatal(err)
					}
				},
				ResourceName: address,
				ImportState:  true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					for _, p := range emulatorPolicies(t, emu, memberID) {
						if len(p.groupNames) == 1 && strings.HasPrefix(p.groupNames[0], bindingPrefix) {
							return emulator.AccountID + "/" + memberID + "/" + p.id, nil
						}
					}
					return "", fmt.Errorf("no Tunnel binding policy")
				},
				ExpectError: regexpMust(`Not a Mesh node binding's policy`),
			},
			{
				// Drop the Tunnel binding again, so that the destroy check sees the member's own policy only.
				PreConfig: func() {
					admin := adminClient(t, baseURL)
					m, err := admin.GetMember(t.Context(), emulator.AccountID, memberID)
					if err != nil {
						t.Fatal(err)
					}
					keep := slices.DeleteFunc(slices.Clone(m.Policies), func(p cfclient.MemberPolicy) bool {
						return strings.HasPrefix(p.ResourceGroups[0].Name, bindingPrefix)
					})
					if _, err := admin.UpdateMemberPolicies(t.Context(), emulator.AccountID, memberID, keep); err != nil {
						t.Fatal(err)
					}
				},
				Config:           adminBoth,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A Mesh role where the policy does not name Mesh nodes fails at `terraform
// validate`, with no credentials; so does a Tunnel role in a Mesh node binding.
func TestAccMeshNode_validateOffline(t *testing.T) {
	t.Parallel()
	expectInvalidOffline(t, member(fmt.Sprintf(`{ access = "allow", roles = [%q] }`, meshAdminRole)),
		`"Cloudflare Mesh Node Admin" is a resource-scoped role for Cloudflare Mesh nodes but this policy is account-wide`+
			`[\s\S]*put it in a policy with mesh_node_ids \(or a cfiam_mesh_node_binding\)`)
	expectInvalidOffline(t, member(fmt.Sprintf(`{ access = "allow", roles = [%q], tunnel_ids = [%q] }`, meshAdminRole, emulator.TunnelAppA)),
		`'Cloudflare Mesh Node Admin' applies to Mesh nodes, but this policy names only Tunnels: add mesh_node_ids, or use a[\s]+Tunnel role`)
	expectInvalidOffline(t, member(fmt.Sprintf(`{ access = "allow", roles = [%q], zone_ids = [%q], mesh_node_ids = [%q] }`,
		meshReadRole, emulator.ZoneExampleCom, meshOfficeA)), `Policy mixes zones and Mesh nodes`)
	expectInvalidOffline(t, fmt.Sprintf(`
resource "cfiam_mesh_node_binding" "app" {
  member_id     = "0123456789abcdef0123456789abcdef"
  roles         = [%q]
  mesh_node_ids = [%q]
}
`, tunnelAdminRole, meshOfficeA), `"Cloudflare Tunnel Instance Admin" is a resource-scoped role for Cloudflare Tunnel instances,[\s]+and this binding names Mesh nodes only`)
	expectInvalidOffline(t, fmt.Sprintf(`
resource "cfiam_mesh_node_binding" "app" {
  member_id     = "0123456789abcdef0123456789abcdef"
  roles         = ["Cloudflare Access"]
  mesh_node_ids = [%q]
}
`, meshOfficeA), `Account role already covers every Mesh node`)
}

// One policy names one Tunnel and one Mesh node, with a Tunnel role and a Mesh
// role: it applies, re-plans empty, and each role counts on its own kind only,
// in the member's own token's listings and in cfiam_effective_access.
func TestAccMeshNode_policyOnTunnelAndMeshNode(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	cfg := memberConfig(baseURL, fmt.Sprintf(`status = "accepted"
  policies = [{
    access        = "allow"
    roles         = [%q, %q]
    tunnel_ids    = [%q]
    mesh_node_ids = [%q]
  }]`, tunnelReadRole, meshAdminRole, emulator.TunnelAppA, meshOfficeB))
	report := cfg + `
data "cfiam_effective_access" "dev" {
  member_id = cfiam_account_member.dev.id
}
`
	item := func(id, name, access, grant string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "access": knownvalue.StringExact(access),
			"grants": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexpMust(`^policy [0-9a-f]{32} role "` + grant + `"$`))}),
		})
	}
	var memberID string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(attr("cfiam_account_member.dev", "id", &memberID), func(*terraform.State) error {
					ps := emulatorPolicies(t, emu, memberID)
					if len(ps) != 1 || !slices.Equal(ps[0].roles, []string{meshAdminRole, tunnelReadRole}) ||
						!slices.Equal(ps[0].objects, []string{"com.cloudflare.api.account.cfd_tunnel." + emulator.TunnelAppA, meshKeyPrefix + meshOfficeB}) {
						return fmt.Errorf("the member's policy in the emulator: %+v", ps)
					}
					// The member's own token: app-a readable only, office-b only.
					tunnels, _ := emulatorView(t, baseURL, memberID)
					if len(tunnels) != 1 || tunnels[emulator.TunnelAppA] != "read" {
						return fmt.Errorf("the member's token sees Tunnels %v, want app-a (read)", tunnels)
					}
					nodes, err := memberClient(t, baseURL, memberID).ListMeshNodes(t.Context(), emulator.AccountID, cfclient.TunnelFilter{})
					if err != nil || len(nodes) != 1 || nodes[0].ID != meshOfficeB {
						return fmt.Errorf("the member's token lists Mesh nodes %+v (%v), want office-b only", nodes, err) //nolint:errorlint // err is shown, not wrapped
					}
					return nil
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("resolved_policies").AtSliceIndex(0).AtMapKey("scope"),
						knownvalue.StringExact("tunnel,mesh_node")),
				},
			},
			{
				Config: report + `
data "cfiam_account_member" "dev" {
  id = cfiam_account_member.dev.id
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_account_member.dev", tfjsonpath.New("policies").AtSliceIndex(0).AtMapKey("scope"),
						knownvalue.StringExact("tunnel,mesh_node")),
					statecheck.ExpectKnownValue("data.cfiam_account_member.dev", tfjsonpath.New("policies").AtSliceIndex(0).AtMapKey("tunnel_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.TunnelAppA)})),
					statecheck.ExpectKnownValue("data.cfiam_account_member.dev", tfjsonpath.New("policies").AtSliceIndex(0).AtMapKey("mesh_node_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(meshOfficeB)})),
					statecheck.ExpectKnownValue("data.cfiam_effective_access.dev", tfjsonpath.New("tunnels"),
						knownvalue.ListExact([]knownvalue.Check{item(emulator.TunnelAppA, "app-a", "read", tunnelReadRole)})),
					statecheck.ExpectKnownValue("data.cfiam_effective_access.dev", tfjsonpath.New("mesh_nodes"),
						knownvalue.ListExact([]knownvalue.Check{item(meshOfficeB, "office-b", "edit", meshAdminRole)})),
					statecheck.ExpectKnownValue("data.cfiam_effective_access.dev", tfjsonpath.New("all_mesh_nodes_access"), knownvalue.StringExact("none")),
				},
			},
		},
	})
}

// applyTwoWorkspaces applies the platform's workspace (the member, with an
// output member_id), then the application team's (a binding, given
// member_id, with an output policy_id), and expects each to re-plan empty
// after the other's apply; binding names the binding in the messages. It
// returns the member's ID, the binding's policy ID and the app workspace's
// -var arguments.
func (c *tfCLI) applyTwoWorkspaces(platform, app, binding string) (memberID, policyID string, vars []string) {
	c.t.Helper()
	c.apply(platform)
	c.outputJSON(platform, "member_id", &memberID)
	vars = []string{"-var", "member_id=" + memberID}
	c.apply(app, vars...)
	c.outputJSON(app, "policy_id", &policyID)
	c.expectEmptyPlan(platform, "the member after the "+binding+"'s apply (the binding's policy is not drift)")
	c.expectEmptyPlan(app, "the "+binding+" after its own apply", vars...)
	return memberID, policyID, vars
}

// TestAccMeshNodeBinding_twoStates: the platform team's workspace holds the
// member, with a Mesh node policy of its own (read on office-a); the
// application team's workspace binds Mesh Node Admin on office-a. Both re-plan
// empty after the other applies; the member's own token lists exactly the
// bound node from /warp_connector, and cfiam_effective_access agrees, naming
// both grants.
func TestAccMeshNodeBinding_twoStates(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, baseURL)
	root := t.TempDir()
	platform, app, reportDir := filepath.Join(root, "platform"), filepath.Join(root, "app"), filepath.Join(root, "report")
	writeWorkspace(t, platform, cfiamRequirement+fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email  = "mesh-dev@example.com"
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Analytics"] },
    { access = "allow", roles = [%q], mesh_node_ids = [%q] },
  ]
}

output "member_id" {
  value = cfiam_account_member.dev.id
}
`, meshReadRole, meshOfficeA))
	writeWorkspace(t, app, cfiamRequirement+fmt.Sprintf(`
variable "member_id" {
  type = string
}

resource "cfiam_mesh_node_binding" "office" {
  member_id     = var.member_id
  roles         = [%q]
  mesh_node_ids = [%q]
}

output "policy_id" {
  value = cfiam_mesh_node_binding.office.policy_id
}
`, meshAdminRole, meshOfficeA))
	writeWorkspace(t, reportDir, cfiamRequirement+`
variable "member_id" {
  type = string
}

data "cfiam_effective_access" "dev" {
  member_id = var.member_id
}

output "mesh_nodes" {
  value = data.cfiam_effective_access.dev.mesh_nodes
}
`)

	memberID, policyID, vars := tf.applyTwoWorkspaces(platform, app, "Mesh node binding")

	var got []string
	ownMeshPolicy := ""
	for _, p := range emulatorPolicies(t, emu, memberID) {
		line := strings.Join(p.roles, ",") + "|" + strings.Join(p.objects, ",")
		if p.id == policyID {
			line = "binding " + line + "|" + strings.Join(p.groupNames, ",")
		}
		if slices.Equal(p.roles, []string{meshReadRole}) {
			ownMeshPolicy = p.id
		}
		got = append(got, line)
	}
	sort.Strings(got)
	want := []string{
		"Analytics|com.cloudflare.api.account." + emulator.AccountID,
		"Cloudflare Mesh Node Read|" + meshKeyPrefix + meshOfficeA,
		"binding Cloudflare Mesh Node Admin|" + meshKeyPrefix + meshOfficeA + "|" + meshBindingGroup + meshKeyPrefix + meshOfficeA,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the member's policies in the emulator:\n got  %q\n want %q", got, want)
	}

	// The member's own token lists exactly the bound node, and may read it only.
	nodes, err := memberClient(t, baseURL, memberID).ListMeshNodes(t.Context(), emulator.AccountID, cfclient.TunnelFilter{})
	if err != nil || len(nodes) != 1 || nodes[0].ID != meshOfficeA || nodes[0].Name != "office-a" {
		t.Fatalf("the member's token lists %+v (%v), want office-a only", nodes, err)
	}
	if a := callAPI(t, baseURL, memberToken(t, baseURL, memberID), "GET", "/accounts/"+emulator.AccountID+"/warp_connector/"+meshOfficeB, nil); a.status != 403 {
		t.Fatalf("the member reads office-b: HTTP %d", a.status)
	}

	tf.apply(reportDir, vars...)
	var report []struct {
		ID     string   `json:"id"`
		Name   string   `json:"name"`
		Access string   `json:"access"`
		Grants []string `json:"grants"`
	}
	tf.outputJSON(reportDir, "mesh_nodes", &report)
	wantGrants := []string{fmt.Sprintf("binding %s role %q", policyID, meshAdminRole), fmt.Sprintf("policy %s role %q", ownMeshPolicy, meshReadRole)}
	if len(report) == 1 {
		sort.Strings(report[0].Grants)
	}
	if len(report) != 1 || report[0].ID != meshOfficeA || report[0].Name != "office-a" || report[0].Access != "edit" ||
		!slices.Equal(report[0].Grants, wantGrants) {
		t.Fatalf("cfiam_effective_access mesh_nodes: %+v, want office-a edit by %q", report, wantGrants)
	}

	tf.destroy(app, vars...)
	tf.expectEmptyPlan(platform, "the member after the Mesh node binding's destroy")
	for _, g := range emu.ResourceGroups(emulator.AccountID) {
		if strings.HasPrefix(g.Name, meshBindingGroup) {
			t.Fatalf("binding group %s left behind", g.Name)
		}
	}
	tf.destroy(platform)
}

// A resource group of Mesh nodes: created, re-planned empty, updated in
// place, imported; a member policy on it takes Mesh node roles, and a Tunnel
// role on it fails at plan (the group's kind is read from the account).
func TestAccResourceGroup_meshNodes(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	group := func(ids ...string) string {
		return fmt.Sprintf(`
resource "cfiam_resource_group" "test" {
  name          = "offices"
  mesh_node_ids = ["%s"]
}
`, strings.Join(ids, `", "`))
	}
	withMember := func(role string) string {
		return group(meshOfficeA) + fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "offices@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = [%q], resource_group_ids = [cfiam_resource_group.test.id] }]
}
`, role)
	}
	holds := func(keys ...string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id, err := stateID(s, "cfiam_resource_group.test")
			if err != nil {
				return err
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.ID == id {
					if got := slices.Sorted(slices.Values(g.Objects)); !slices.Equal(got, keys) {
						return fmt.Errorf("the group holds %v, want %v", got, keys)
					}
					return nil
				}
			}
			return fmt.Errorf("no group %s in the emulator", id)
		}
	}
	cfg := func(body string) string { return acctest.Config(acctest.ProviderConfig(baseURL), body) }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkResourceGroupsDestroyed(emu),
		Steps: []resource.TestStep{
			{
				Config: cfg(group(meshOfficeA, meshOfficeB)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_resource_group.test", tfjsonpath.New("tunnel_ids"), knownvalue.Null()),
				},
				// Written by hand: sorted, 3f6e… before 8c1d….
				Check: holds("com.cloudflare.api.account.warp_connector.3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877",
					"com.cloudflare.api.account.warp_connector.8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"),
			},
			{Config: cfg(group(meshOfficeB, meshOfficeA)), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				Config: cfg(group(meshOfficeA)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_resource_group.test", plancheck.ResourceActionUpdate),
				}},
				Check: holds("com.cloudflare.api.account.warp_connector.8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"),
			},
			{ResourceName: "cfiam_resource_group.test", ImportState: true, ImportStateVerify: true},
			{Config: cfg(withMember(meshReadRole))},
			{
				Config:      cfg(withMember(tunnelReadRole)),
				ExpectError: regexpMust(`'Cloudflare Tunnel Instance Read' applies to Tunnels, but this policy names only Mesh[\s]+nodes`),
			},
			{Config: cfg(withMember(meshReadRole)), PlanOnly: true},
		},
	})
}
