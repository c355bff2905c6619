package provider_test

import (
	"fmt"
	"os"
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

func tunnelKeys(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = catalog.ResourceKey(catalog.ScopeTunnel, id)
	}
	sort.Strings(out)
	return out
}

// checkBindingPolicies checks, in the emulator, that the member still holds
// its own "Analytics" policy and exactly the binding policies wanted (by role
// names and Tunnel IDs), each on resource groups named with the binding prefix.
func checkBindingPolicies(t *testing.T, emu *emulator.Emulator, memberID *string, want ...emuPolicy) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var own, bindings []emuPolicy
		for _, p := range emulatorPolicies(t, emu, *memberID) {
			if len(p.groupNames) > 0 && !slices.ContainsFunc(p.groupNames, func(n string) bool { return !strings.HasPrefix(n, bindingPrefix) }) {
				bindings = append(bindings, p)
			} else {
				own = append(own, p)
			}
		}
		if len(own) != 1 || !slices.Equal(own[0].roles, []string{"Analytics"}) {
			return fmt.Errorf("the member's own policies changed: %+v", own)
		}
		key := func(p emuPolicy) string { return strings.Join(p.roles, ",") + "|" + strings.Join(p.objects, ",") }
		var got, exp []string
		for _, p := range bindings {
			got = append(got, key(p))
		}
		for _, p := range want {
			sort.Strings(p.roles)
			exp = append(exp, key(p))
		}
		sort.Strings(got)
		sort.Strings(exp)
		if !slices.Equal(got, exp) {
			return fmt.Errorf("binding policies in the emulator:\n got  %q\n want %q", got, exp)
		}
		return nil
	}
}

func bindingPolicy(roles []string, tunnels ...string) emuPolicy {
	return emuPolicy{roles: roles, objects: tunnelKeys(tunnels...)}
}

func bindingConfig(baseURL, memberID, roles, tunnels string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_tunnel_binding" "app" {
  member_id  = %[1]q
  roles      = %[2]s
  tunnel_ids = %[3]s
}
`, memberID, roles, tunnels))
}

// policyIDUnchanged records the binding's policy ID, then fails if it changes.
func policyIDUnchanged(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		got := s.RootModule().Resources["cfiam_tunnel_binding.app"].Primary.Attributes["policy_id"]
		if got == "" {
			return fmt.Errorf("no policy_id in state")
		}
		if *id == "" {
			*id = got
		} else if got != *id {
			return fmt.Errorf("policy_id changed from %s to %s: the binding's policy must be updated in place", *id, got)
		}
		return nil
	}
}

func TestAccTunnelBinding_lifecycle(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	appA, appB := emulator.TunnelAppA, emulator.TunnelAppB
	readA := bindingConfig(baseURL, memberID, fmt.Sprintf("[%q]", tunnelReadRole), fmt.Sprintf("[%q]", appA))
	// Roles as written: one by name in another case, one by ID.
	bothA := bindingConfig(baseURL, memberID,
		fmt.Sprintf("[%q, %q]", strings.ToLower(tunnelReadRole), roleID(t, tunnelAdminRole, catalog.ScopeTunnel)), fmt.Sprintf("[%q]", appA))
	bothB := bindingConfig(baseURL, memberID,
		fmt.Sprintf("[%q, %q]", strings.ToLower(tunnelReadRole), roleID(t, tunnelAdminRole, catalog.ScopeTunnel)), fmt.Sprintf("[%q]", appB))
	var policyID string

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy: func(*terraform.State) error {
			if err := checkBindingPolicies(t, emu, &memberID)(nil); err != nil {
				return err
			}
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if strings.HasPrefix(g.Name, bindingPrefix) {
					return fmt.Errorf("binding resource group %s left behind after destroy", g.Name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: readA,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_tunnel_binding.app", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue("cfiam_tunnel_binding.app", tfjsonpath.New("roles"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(tunnelReadRole)})),
					statecheck.ExpectKnownValue("cfiam_tunnel_binding.app", tfjsonpath.New("id"),
						knownvalue.StringRegexp(regexpMust("^"+emulator.AccountID+"/"+memberID+"/[0-9a-f]{32}$"))),
				},
				Check: resource.ComposeTestCheckFunc(
					policyIDUnchanged(&policyID),
					checkBindingPolicies(t, emu, &memberID, bindingPolicy([]string{tunnelReadRole}, appA)),
				),
			},
			{
				Config: bothA,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_tunnel_binding.app", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					policyIDUnchanged(&policyID),
					checkBindingPolicies(t, emu, &memberID, bindingPolicy([]string{tunnelReadRole, tunnelAdminRole}, appA)),
				),
			},
			{
				Config: bothB,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_tunnel_binding.app", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					policyIDUnchanged(&policyID),
					checkBindingPolicies(t, emu, &memberID, bindingPolicy([]string{tunnelReadRole, tunnelAdminRole}, appB)),
					func(*terraform.State) error {
						for _, g := range emu.ResourceGroups(emulator.AccountID) {
							if g.Name == bindingPrefix+tunnelKeys(appA)[0] {
								return fmt.Errorf("the binding group of app-a, which no policy uses any more, was not deleted")
							}
						}
						return nil
					},
				),
			},
			{
				ResourceName:      "cfiam_tunnel_binding.app",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return emulator.AccountID + "/" + memberID + "/" + policyID, nil
				},
				// Imported roles are catalog names; the configuration names one by ID.
				ImportStateVerifyIgnore: []string{"roles"},
			},
			{
				// The policy removed outside Terraform: planned for creation again.
				PreConfig: func() {
					api := adminClient(t, baseURL)
					m, err := api.GetMember(t.Context(), emulator.AccountID, memberID)
					if err != nil {
						t.Fatal(err)
					}
					keep := slices.DeleteFunc(slices.Clone(m.Policies), func(p cfclient.MemberPolicy) bool { return p.ID == policyID })
					if _, err := api.UpdateMemberPolicies(t.Context(), emulator.AccountID, memberID, keep); err != nil {
						t.Fatal(err)
					}
				},
				Config: bothB,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_tunnel_binding.app", plancheck.ResourceActionCreate),
				}},
				Check: checkBindingPolicies(t, emu, &memberID, bindingPolicy([]string{tunnelReadRole, tunnelAdminRole}, appB)),
			},
		},
	})
}

func TestAccTunnelBinding_importByNames(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	cfg := bindingConfig(baseURL, memberID, fmt.Sprintf("[%q]", tunnelAdminRole), fmt.Sprintf("[%q, %q]", emulator.TunnelAppA, emulator.TunnelAppB))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:      "cfiam_tunnel_binding.app",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources["cfiam_tunnel_binding.app"].Primary.ID, nil
				},
			},
			{
				// A policy of the member's own is not a binding's: importing it is refused.
				ResourceName: "cfiam_tunnel_binding.app",
				ImportState:  true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					m, err := adminClient(t, baseURL).GetMember(t.Context(), emulator.AccountID, memberID)
					if err != nil {
						return "", err
					}
					for _, p := range m.Policies {
						if !strings.HasPrefix(p.ResourceGroups[0].Name, bindingPrefix) {
							return emulator.AccountID + "/" + memberID + "/" + p.ID, nil
						}
					}
					return "", fmt.Errorf("no own policy")
				},
				ExpectError: regexpMust(`Not a Tunnel binding's policy`),
			},
			{
				ResourceName:  "cfiam_tunnel_binding.app",
				ImportState:   true,
				ImportStateId: memberID,
				ExpectError:   regexpMust(`Import cfiam_tunnel_binding by <account_id>/<member_id>/<policy_id>`),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

func TestAccTunnelBinding_validate(t *testing.T) {
	t.Parallel()
	cfg := func(roles string) string {
		return acctest.Config(acctest.OfflineProviderConfig(), fmt.Sprintf(`
resource "terraform_data" "later" {
  input = "Cloudflare Tunnel Instance Read"
}

resource "cfiam_tunnel_binding" "app" {
  member_id  = "0123456789abcdef0123456789abcdef"
  roles      = %s
  tunnel_ids = [%q]
}
`, roles, emulator.TunnelAppA))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:   cfg(`["Cloudflare Access"]`),
				PlanOnly: true,
				ExpectError: regexpMust(`Account role already covers every Tunnel .* "Cloudflare Access" is an account-scoped role: ` +
					`it already gives edit access to every Tunnel of the account, .* cfiam_account_member .* "Cloudflare Tunnel Instance Admin" \(edit\)`),
			},
			{
				Config:      cfg(`["Domain DNS"]`),
				PlanOnly:    true,
				ExpectError: regexpMust(`"Domain DNS" is a domain-scoped role: grant it on zones, in a cfiam_account_member policy with zone_ids`),
			},
			{
				Config:      cfg(`["DNS"]`),
				PlanOnly:    true,
				ExpectError: regexpMust(`"DNS" is an account-scoped role and gives no access to Tunnels`),
			},
			{
				Config:      cfg(`["Cloudflare Tunel Instance Reed"]`),
				PlanOnly:    true,
				ExpectError: regexpMust(`Unknown role .* Did you mean "Cloudflare Tunnel Instance Read`),
			},
			{
				// An unknown value never fails validation.
				Config:             cfg(`[terraform_data.later.output]`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:             cfg(`["cloudflare tunnel instance admin", "77d2308eacc8420d38c869f7ce517c8c"]`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccTunnelBinding_liveCatalog: at plan, the account's live catalog
// judges roles the embedded one does not know, named by ID.
func TestAccTunnelBinding_liveCatalog(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	const newTunnelRole, newAccountRole = "0000000000000000000000000000aaaa", "0000000000000000000000000000bbbb"
	emu.PutIAMPermissionGroup(emulator.AccountID, newTunnelRole, "Cloudflare Tunnel Instance Operator", catalog.ScopeTunnel)
	emu.PutIAMPermissionGroup(emulator.AccountID, newAccountRole, "Tunnel Fleet Admin", catalog.ScopeAccount)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      bindingConfig(baseURL, memberID, fmt.Sprintf("[%q]", newAccountRole), fmt.Sprintf("[%q]", emulator.TunnelAppA)),
				ExpectError: regexpMust(`"Tunnel Fleet Admin" is an account-scoped role`),
			},
			{
				Config: bindingConfig(baseURL, memberID, fmt.Sprintf("[%q]", newTunnelRole), fmt.Sprintf("[%q]", emulator.TunnelAppA)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_tunnel_binding.app", tfjsonpath.New("roles"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(newTunnelRole)})),
				},
			},
		},
	})
}

// TestAccTunnelBinding_withMember: the member and a binding on it in one
// configuration. The member re-plans empty, and the binding's policy
// survives the member's updates.
func TestAccTunnelBinding_withMember(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	cfg := func(role string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "app-dev@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = [%[1]q] }]
}

resource "cfiam_tunnel_binding" "app" {
  member_id  = cfiam_account_member.dev.id
  roles      = [%[2]q]
  tunnel_ids = [%[3]q]
}
`, role, tunnelAdminRole, emulator.TunnelAppA))
	}
	var memberID, policyID string
	holds := func(role string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			memberID = s.RootModule().Resources["cfiam_account_member.dev"].Primary.ID
			var got []string
			for _, p := range emulatorPolicies(t, emu, memberID) {
				got = append(got, strings.Join(p.roles, ",")+"|"+strings.Join(p.objects, ","))
			}
			sort.Strings(got)
			want := []string{role + "|" + accountKey, tunnelAdminRole + "|" + tunnelKeys(emulator.TunnelAppA)[0]}
			sort.Strings(want)
			if !slices.Equal(got, want) {
				return fmt.Errorf("emulator policies:\n got  %q\n want %q", got, want)
			}
			return nil
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: cfg("Analytics"),
				Check:  resource.ComposeTestCheckFunc(holds("Analytics"), policyIDUnchanged(&policyID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cfiam_account_member.dev", tfjsonpath.New("policies"), knownvalue.SetSizeExact(1)),
				},
			},
			{
				Config: cfg("Administrator Read Only"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_account_member.dev", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("cfiam_tunnel_binding.app", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeTestCheckFunc(holds("Administrator Read Only"), policyIDUnchanged(&policyID)),
			},
		},
	})
}

// TestAccTunnelBinding_parallel: ten bindings on one member, applied with
// Terraform's default parallelism (10), all kept; then all removed.
func TestAccTunnelBinding_parallel(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	cfg := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
locals {
  tunnels = [%[2]q, %[3]q]
  roles   = [%[4]q, %[5]q]
}

resource "cfiam_tunnel_binding" "many" {
  count      = 10
  member_id  = %[1]q
  roles      = [local.roles[count.index %% 2]]
  tunnel_ids = count.index < 5 ? [local.tunnels[count.index %% 2]] : local.tunnels
}
`, memberID, emulator.TunnelAppA, emulator.TunnelAppB, tunnelReadRole, tunnelAdminRole))
	var want []emuPolicy
	for i := range 10 {
		role := []string{tunnelReadRole, tunnelAdminRole}[i%2]
		if i < 5 {
			want = append(want, bindingPolicy([]string{role}, []string{emulator.TunnelAppA, emulator.TunnelAppB}[i%2]))
		} else {
			want = append(want, bindingPolicy([]string{role}, emulator.TunnelAppA, emulator.TunnelAppB))
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             checkBindingPolicies(t, emu, &memberID),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					checkBindingPolicies(t, emu, &memberID, want...),
					func(s *terraform.State) error {
						seen := map[string]bool{}
						for i := range 10 {
							id := s.RootModule().Resources[fmt.Sprintf("cfiam_tunnel_binding.many.%d", i)].Primary.Attributes["policy_id"]
							if id == "" || seen[id] {
								return fmt.Errorf("binding %d has policy_id %q, missing or shared", i, id)
							}
							seen[id] = true
						}
						return nil
					},
				),
			},
		},
	})
}

// --- Two Terraform states against one emulator -----------------------------
//
// plugin-testing runs one configuration (one state) per test case. Two
// workspaces that share an account, as a platform team and an application
// team do, need two states: these tests run the real `terraform` binary in two
// directories, against a provider built from this module for the test and
// installed through a CLI configuration with dev_overrides (as
// scripts/check-examples.sh does), with the emulator's URL and token in the
// environment. No `terraform init` is needed: cfiam is the only provider.

// TestAccTunnelBinding_twoStates: the member in one Terraform state (the
// platform team's), the binding in another (the application team's), against
// one emulator. Each re-plans empty after the other applies, the binding's
// policy survives the member's update, and the member's policies survive the
// binding's changes.
func TestAccTunnelBinding_twoStates(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, baseURL)
	root := t.TempDir()
	platform, app := filepath.Join(root, "platform"), filepath.Join(root, "app")
	member := func(role string) string {
		return cfiamRequirement + fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "app-dev@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = [%q] }]
}

output "member_id" {
  value = cfiam_account_member.dev.id
}
`, role)
	}
	binding := func(role string) string {
		return cfiamRequirement + fmt.Sprintf(`
variable "member_id" {
  type = string
}

resource "cfiam_tunnel_binding" "app" {
  member_id  = var.member_id
  roles      = [%q]
  tunnel_ids = [%q]
}

output "policy_id" {
  value = cfiam_tunnel_binding.app.policy_id
}
`, role, emulator.TunnelAppA)
	}
	writeWorkspace(t, platform, member("Analytics"))
	writeWorkspace(t, app, binding(tunnelReadRole))

	tf.apply(platform)
	var memberID string
	tf.outputJSON(platform, "member_id", &memberID)
	appVars := []string{"-var", "member_id=" + memberID}

	// holds checks the member's policies in the emulator: its own role, and
	// the binding's role on app-a (with the binding's policy ID) or nothing.
	holds := func(role, bindingRole, policyID string) {
		t.Helper()
		var got []string
		for _, p := range emulatorPolicies(t, emu, memberID) {
			s := strings.Join(p.roles, ",") + "|" + strings.Join(p.objects, ",")
			if p.id == policyID {
				s = "binding " + s
			}
			got = append(got, s)
		}
		want := []string{role + "|" + accountKey}
		if bindingRole != "" {
			want = append(want, "binding "+bindingRole+"|"+tunnelKeys(emulator.TunnelAppA)[0])
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Fatalf("emulator policies of the member:\n got  %q\n want %q", got, want)
		}
	}

	tf.apply(app, appVars...)
	var policyID string
	tf.outputJSON(app, "policy_id", &policyID)
	holds("Analytics", tunnelReadRole, policyID)
	tf.expectEmptyPlan(platform, "the member after the binding's apply (the binding's policy is not drift)")
	tf.expectEmptyPlan(app, "the binding after its own apply", appVars...)

	// The platform team changes the member's role: the binding's policy stays, with its ID.
	writeWorkspace(t, platform, member("Administrator Read Only"))
	tf.apply(platform)
	holds("Administrator Read Only", tunnelReadRole, policyID)
	tf.expectEmptyPlan(app, "the binding after the member's update", appVars...)
	tf.expectEmptyPlan(platform, "the member after its own update")

	// The app team changes its role: the member's policy stays; the policy ID too.
	writeWorkspace(t, app, binding(tunnelAdminRole))
	tf.apply(app, appVars...)
	var again string
	tf.outputJSON(app, "policy_id", &again)
	if again != policyID {
		t.Fatalf("the binding's policy ID changed on update: %s, was %s", again, policyID)
	}
	holds("Administrator Read Only", tunnelAdminRole, policyID)
	tf.expectEmptyPlan(platform, "the member after the binding's update")

	// The app team removes its binding: the member keeps its own policy.
	tf.destroy(app, appVars...)
	holds("Administrator Read Only", "", "")
	tf.expectEmptyPlan(platform, "the member after the binding's destroy")
	tf.destroy(platform)
	if _, ok := emu.Member(emulator.AccountID, memberID); ok {
		t.Fatal("the member is still in the emulator after the platform workspace's destroy")
	}
}

// TestAccGuide_tunnelDelegation applies the two workspaces of the guide
// "Delegating Tunnel and Mesh node access to application teams" (examples/guides/
// tunnel-delegation) in order, as the platform team and the application team
// would, and checks the result in the emulator and in the guide's outputs.
func TestAccGuide_tunnelDelegation(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, baseURL)
	root := t.TempDir()
	copyWorkspace := func(name string) string {
		t.Helper()
		src := filepath.Join("..", "..", "examples", "guides", "tunnel-delegation", name)
		dst := filepath.Join(root, name)
		files, err := filepath.Glob(filepath.Join(src, "*.tf"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no .tf files in %s: %v", src, err)
		}
		if err := os.MkdirAll(dst, 0o750); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f) //nolint:gosec // G304: the repository's own example files
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o600); err != nil { //nolint:gosec // G703: a copy into the test's temp dir
				t.Fatal(err)
			}
		}
		return dst
	}
	platform, app := copyWorkspace("platform"), copyWorkspace("app-team")

	tf.apply(platform)
	tf.apply(app)
	tf.expectEmptyPlan(platform, "the platform workspace after the app team's apply")
	tf.expectEmptyPlan(app, "the app-team workspace after its apply")

	var access map[string]map[string]string
	tf.outputJSON(app, "tunnel_access", &access)
	if access["alice"]["app-a"] != "edit" || access["bob"]["app-a"] != "read" || len(access["alice"]) != 1 || len(access["bob"]) != 1 {
		t.Fatalf("tunnel_access output: %v", access)
	}
	var meshAccess map[string]map[string]string
	tf.outputJSON(app, "mesh_node_access", &meshAccess)
	if meshAccess["alice"]["office-a"] != "edit" || len(meshAccess["alice"]) != 1 || len(meshAccess["bob"]) != 0 {
		t.Fatalf("mesh_node_access output: %v", meshAccess)
	}
	for _, email := range []string{"alice@example.com", "bob@example.com"} {
		m, ok := memberByEmail(emu, email)
		if !ok {
			t.Fatalf("no member %s in the emulator", email)
		}
		listed, _ := emulatorView(t, baseURL, m.ID)
		if len(listed) != 1 || listed[emulator.TunnelAppA] == "" {
			t.Fatalf("%s's own token sees %v, want app-a only", email, listed)
		}
	}

	tf.destroy(app)
	tf.expectEmptyPlan(platform, "the platform workspace after the app team's destroy")
	tf.destroy(platform)
}
