package provider_test

// The five Access kinds end to end (issue 26), each as Tunnels are: a member
// policy and a binding in another workspace on one object, the member's own
// token, cfiam_effective_access, the binding's lifecycle, import, identity
// and `terraform query`, validation of a kind's role on another kind, and a
// user-group policy that reaches its members.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// accessKindCase is one Access kind, written out by hand from PRODUCT.md
// (attribute, binding, data source, role), resource-scoped-kinds.md (the
// list route) and the emulator's seeds (two objects of each kind); the key
// form is this project's assumption (the scopes guide), written here as the
// docs state it.
type accessKindCase struct {
	attr, binding, dataSource, plural, role string
	a, aName, b                             string
	listPath, keyPrefix, groupPrefix        string
	// alsoListed are the objects of another kind the bound role lists too:
	// App Admin on an application lists the policies attached to it.
	alsoListed map[string][]string
}

var accessKindCases = []accessKindCase{
	{attr: "access_application_ids", binding: "cfiam_access_application_binding", dataSource: "cfiam_access_applications",
		plural: "access_applications", role: "Cloudflare Access App Admin",
		a: emulator.AccessAppA, aName: "app-a", b: emulator.AccessAppB, listPath: "/access/apps",
		keyPrefix: "com.cloudflare.api.account.access_app.", groupPrefix: "cfiam-access-application-binding:",
		alsoListed: map[string][]string{"/access/policies": {emulator.AccessPolicyAppA}}},
	{attr: "access_identity_provider_ids", binding: "cfiam_access_identity_provider_binding", dataSource: "cfiam_access_identity_providers",
		plural: "access_identity_providers", role: "Cloudflare Access Identity Provider Admin",
		a: emulator.AccessIdentityProviderA, aName: "idp-a", b: emulator.AccessIdentityProviderB, listPath: "/access/identity_providers",
		keyPrefix: "com.cloudflare.api.account.access_identity_provider.", groupPrefix: "cfiam-access-identity-provider-binding:"},
	{attr: "access_policy_ids", binding: "cfiam_access_policy_binding", dataSource: "cfiam_access_policies",
		plural: "access_policies", role: "Cloudflare Access Policy Admin",
		a: emulator.AccessPolicyA, aName: "policy-a", b: emulator.AccessPolicyB, listPath: "/access/policies",
		keyPrefix: "com.cloudflare.api.account.access_policy.", groupPrefix: "cfiam-access-policy-binding:"},
	{attr: "access_service_token_ids", binding: "cfiam_access_service_token_binding", dataSource: "cfiam_access_service_tokens",
		plural: "access_service_tokens", role: "Cloudflare Access Service Token Admin",
		a: emulator.AccessServiceTokenA, aName: "token-a", b: emulator.AccessServiceTokenB, listPath: "/access/service_tokens",
		keyPrefix: "com.cloudflare.api.account.access_service_token.", groupPrefix: "cfiam-access-service-token-binding:"},
	{attr: "infrastructure_target_ids", binding: "cfiam_infrastructure_target_binding", dataSource: "cfiam_infrastructure_targets",
		plural: "infrastructure_targets", role: "Access for Infrastructure Target Admin",
		a: emulator.InfrastructureTargetA, aName: "host-a", b: emulator.InfrastructureTargetB, listPath: "/infrastructure/targets",
		keyPrefix: "com.cloudflare.api.account.infrastructure_target.", groupPrefix: "cfiam-infrastructure-target-binding:"},
}

// accessPaths are the list routes of the five Access kinds.
var accessPaths = []string{"/access/apps", "/access/identity_providers", "/access/policies", "/access/service_tokens", "/infrastructure/targets"}

// listedIDs lists a route with a token and returns the IDs, sorted.
func listedIDs(t *testing.T, baseURL, token, route string) []string {
	t.Helper()
	a := callAPI(t, baseURL, token, "GET", "/accounts/"+emulator.AccountID+route, nil)
	if a.status != 200 {
		t.Fatalf("GET %s: HTTP %d %v", route, a.status, a.codes)
	}
	var objects []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(a.result, &objects); err != nil {
		t.Fatalf("GET %s: %v", route, err)
	}
	ids := make([]string, 0, len(objects))
	for _, o := range objects {
		ids = append(ids, o.ID)
	}
	sort.Strings(ids)
	return ids
}

// expectListings checks what a member's own token lists on every Access
// route: want by route, nothing elsewhere.
func expectListings(t *testing.T, baseURL, token string, want map[string][]string) {
	t.Helper()
	for _, route := range accessPaths {
		w := slices.Clone(want[route])
		sort.Strings(w)
		if got := listedIDs(t, baseURL, token, route); !slices.Equal(got, w) {
			t.Errorf("the member's token lists %s: %q, want %q", route, got, w)
		}
	}
}

// A member policy on object A (the platform's workspace) and a binding on
// A (the application team's): both re-plan empty after the other's apply;
// the member's own token lists exactly A (and, for App Admin, the policy
// attached to it); cfiam_effective_access names both grants; the kind's
// data source, with the member's token, lists A only.
func TestAccAccessKinds_twoWorkspaces(t *testing.T) {
	t.Parallel()
	for _, k := range accessKindCases {
		t.Run(k.plural, func(t *testing.T) {
			t.Parallel()
			emu, baseURL := acctest.NewEmulator(t)
			emu.SetAllowDirectAdd(true) // its configuration adds members as accepted
			tf := newTFCLI(t, baseURL)
			root := t.TempDir()
			platform, app, report := filepath.Join(root, "platform"), filepath.Join(root, "app"), filepath.Join(root, "report")
			email := strings.ReplaceAll(k.plural, "_", "-") + "@example.com"
			writeWorkspace(t, platform, cfiamRequirement+fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email  = %q
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Analytics"] },
    { access = "allow", roles = [%q], %s = [%q] },
  ]
}

output "member_id" {
  value = cfiam_account_member.dev.id
}
`, email, k.role, k.attr, k.a))
			writeWorkspace(t, app, cfiamRequirement+fmt.Sprintf(`
variable "member_id" {
  type = string
}

resource %q "team" {
  member_id = var.member_id
  roles     = [%q]
  %s = [%q]
}

output "policy_id" {
  value = %s.team.policy_id
}
`, k.binding, strings.ToLower(k.role), k.attr, k.a, k.binding))
			writeWorkspace(t, report, cfiamRequirement+fmt.Sprintf(`
variable "member_id" {
  type = string
}

data "cfiam_effective_access" "dev" {
  member_id = var.member_id
}

output "objects" {
  value = data.cfiam_effective_access.dev.%s
}

output "all" {
  value = data.cfiam_effective_access.dev.all_%s_access
}
`, k.plural, k.plural))

			memberID, policyID, vars := tf.applyTwoWorkspaces(platform, app, "binding")

			var got []string
			ownPolicy := ""
			for _, p := range emulatorPolicies(t, emu, memberID) {
				line := strings.Join(p.roles, ",") + "|" + strings.Join(p.objects, ",")
				if p.id == policyID {
					line = "binding " + line + "|" + strings.Join(p.groupNames, ",")
				} else if slices.Equal(p.roles, []string{k.role}) {
					ownPolicy = p.id
				}
				got = append(got, line)
			}
			sort.Strings(got)
			want := []string{
				"Analytics|com.cloudflare.api.account." + emulator.AccountID,
				k.role + "|" + k.keyPrefix + k.a,
				"binding " + k.role + "|" + k.keyPrefix + k.a + "|" + k.groupPrefix + k.keyPrefix + k.a,
			}
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("the member's policies in the emulator:\n got  %q\n want %q", got, want)
			}

			token := memberToken(t, baseURL, memberID)
			listings := map[string][]string{k.listPath: {k.a}}
			for route, ids := range k.alsoListed {
				listings[route] = append(listings[route], ids...)
			}
			expectListings(t, baseURL, token, listings)
			if a := callAPI(t, baseURL, token, "GET", "/accounts/"+emulator.AccountID+k.listPath+"/"+k.b, nil); a.status != 403 {
				t.Errorf("the member reads %s: HTTP %d, want 403", k.b, a.status)
			}

			tf.apply(report, vars...)
			var objects []struct {
				ID     string   `json:"id"`
				Name   string   `json:"name"`
				Access string   `json:"access"`
				Grants []string `json:"grants"`
			}
			tf.outputJSON(report, "objects", &objects)
			wantGrants := []string{fmt.Sprintf("binding %s role %q", policyID, k.role), fmt.Sprintf("policy %s role %q", ownPolicy, k.role)}
			sort.Strings(wantGrants)
			if len(objects) == 1 {
				sort.Strings(objects[0].Grants)
			}
			if len(objects) != 1 || objects[0].ID != k.a || objects[0].Name != k.aName || objects[0].Access != "edit" ||
				!slices.Equal(objects[0].Grants, wantGrants) {
				t.Errorf("cfiam_effective_access.%s: %+v, want %s (%s) edit by %q", k.plural, objects, k.aName, k.a, wantGrants)
			}
			var all string
			tf.outputJSON(report, "all", &all)
			if all != "none" {
				t.Errorf("all_%s_access = %q, want none (no account role covers them)", k.plural, all)
			}

			// The kind's data source with the member's own token: A only.
			listing := filepath.Join(root, "listing")
			writeWorkspace(t, listing, cfiamRequirement+fmt.Sprintf(`
data %q "mine" {}

output "ids" {
  value = [for o in data.%s.mine.%s : o.id]
}
`, k.dataSource, k.dataSource, k.plural))
			memberTF := newTFCLIWithToken(t, baseURL, token)
			memberTF.apply(listing)
			var ids []string
			memberTF.outputJSON(listing, "ids", &ids)
			if !slices.Equal(ids, []string{k.a}) {
				t.Errorf("data.%s with the member's token lists %q, want [%s]", k.dataSource, ids, k.a)
			}

			tf.destroy(app, vars...)
			tf.expectEmptyPlan(platform, "the member after the binding's destroy")
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if strings.HasPrefix(g.Name, k.groupPrefix) {
					t.Errorf("binding group %s left behind", g.Name)
				}
			}
			tf.destroy(platform)
		})
	}
}

// Each Access binding: create, empty re-plan, in-place update, import by ID,
// destroy, with the emulator's own state checked.
func TestAccAccessKindBindings_lifecycle(t *testing.T) {
	t.Parallel()
	for _, k := range accessKindCases {
		t.Run(k.binding, func(t *testing.T) {
			t.Parallel()
			emu, baseURL := acctest.NewEmulator(t)
			memberID := newAcceptedMember(t, baseURL)
			cfg := func(ids ...string) string {
				quoted := make([]string, len(ids))
				for i, id := range ids {
					quoted[i] = fmt.Sprintf("%q", id)
				}
				return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource %q "app" {
  member_id = %q
  roles     = [%q]
  %s = [%s]
}
`, k.binding, memberID, k.role, k.attr, strings.Join(quoted, ", ")))
			}
			address := k.binding + ".app"
			state := func(ids ...string) resource.TestCheckFunc {
				return func(*terraform.State) error {
					var got []string
					for _, p := range emulatorPolicies(t, emu, memberID) {
						if slices.Equal(p.roles, []string{"Analytics"}) {
							continue
						}
						for _, n := range p.groupNames {
							if !strings.HasPrefix(n, k.groupPrefix) {
								return fmt.Errorf("a binding policy on group %s", n)
							}
						}
						got = append(got, strings.Join(p.roles, ",")+"|"+strings.Join(p.objects, ","))
					}
					var want []string
					if len(ids) > 0 {
						keys := make([]string, len(ids))
						for i, id := range ids {
							keys[i] = k.keyPrefix + id
						}
						sort.Strings(keys)
						want = []string{k.role + "|" + strings.Join(keys, ",")}
					}
					if !slices.Equal(got, want) {
						return fmt.Errorf("binding policies in the emulator: %q, want %q", got, want)
					}
					return nil
				}
			}
			var policyID string
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				CheckDestroy:             state(),
				Steps: []resource.TestStep{
					{
						Config: cfg(k.a),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(address, tfjsonpath.New(k.attr), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(k.a)})),
						},
						Check: resource.ComposeTestCheckFunc(attr(address, "policy_id", &policyID), state(k.a)),
					},
					{Config: cfg(k.a), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
					{
						Config: cfg(k.a, k.b),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}},
						Check: resource.ComposeTestCheckFunc(resource.TestCheckResourceAttrPtr(address, "policy_id", &policyID), state(k.a, k.b)),
					},
					{
						ResourceName:      address,
						ImportState:       true,
						ImportStateVerify: true,
						ImportStateIdFunc: func(*terraform.State) (string, error) {
							return emulator.AccountID + "/" + memberID + "/" + policyID, nil
						},
					},
				},
			})
		})
	}
}

// Each Access binding imports by identity (Terraform 1.12 and later).
func TestAccAccessKindBindings_importByIdentity(t *testing.T) {
	t.Parallel()
	for _, k := range accessKindCases {
		t.Run(k.binding, func(t *testing.T) {
			t.Parallel()
			emu, baseURL := acctest.NewEmulator(t)
			memberID := newAcceptedMember(t, baseURL)
			testAccImportByIdentity(t, identityCase{
				address: k.binding + ".app",
				config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource %q "app" {
  member_id = %q
  roles     = [%q]
  %s = [%q]
}
`, k.binding, memberID, k.role, k.attr, k.a)),
				want: func(t *testing.T) map[string]string {
					for _, p := range emulatorPolicies(t, emu, memberID) {
						if slices.Equal(p.roles, []string{k.role}) {
							return map[string]string{"account_id": emulator.AccountID, "member_id": memberID, "policy_id": p.id}
						}
					}
					t.Fatal("no binding policy in the emulator")
					return nil
				},
			})
		})
	}
}

// Each Access binding is a list resource (Terraform 1.14 and later): the
// binding made with Terraform is listed with its identity and attributes.
func TestAccAccessKindBindings_list(t *testing.T) {
	t.Parallel()
	for _, k := range accessKindCases {
		t.Run(k.binding, func(t *testing.T) {
			t.Parallel()
			_, baseURL := acctest.NewEmulator(t)
			memberID := newAcceptedMember(t, baseURL)
			api := adminClient(t, baseURL)
			key := k.keyPrefix + k.a
			g, err := api.CreateResourceGroup(t.Context(), emulator.AccountID, k.groupPrefix+key, []string{key})
			if err != nil {
				t.Fatal(err)
			}
			m, err := api.GetMember(t.Context(), emulator.AccountID, memberID)
			if err != nil {
				t.Fatal(err)
			}
			role := catalog.Embedded().Find(catalog.KindRole, k.role)
			if len(role) != 1 {
				t.Fatalf("role %q: %d in the embedded catalog", k.role, len(role))
			}
			policies := append(m.Policies[:len(m.Policies):len(m.Policies)], cfclient.NewMemberPolicy("", "allow", []string{role[0].ID}, []string{g.ID}))
			updated, err := api.UpdateMemberPolicies(t.Context(), emulator.AccountID, memberID, policies)
			if err != nil {
				t.Fatal(err)
			}
			var policyID string
			for _, p := range updated.Policies {
				if !memberHasPolicy(m, p.ID) {
					policyID = p.ID
				}
			}
			identity := map[string]knownvalue.Check{
				"account_id": knownvalue.StringExact(emulator.AccountID),
				"member_id":  knownvalue.StringExact(memberID),
				"policy_id":  knownvalue.StringExact(policyID),
			}
			queryTest(t, baseURL, fmt.Sprintf(`
list %q "all" {
  provider         = cfiam
  include_resource = true
}
`, k.binding),
				querycheck.ExpectLength(k.binding+".all", 1),
				querycheck.ExpectIdentity(k.binding+".all", identity),
				querycheck.ExpectResourceKnownValues(k.binding+".all", queryfilter.ByResourceIdentity(identity), values(map[string]knownvalue.Check{
					"roles": setOf(k.role),
					k.attr:  setOf(k.a),
				})),
			)
		})
	}
}

// A kind's role where the policy names another kind, or none, fails at
// `terraform validate` with the reviewer's message; so does another kind's
// role in a kind's binding.
func TestAccAccessKinds_validateOffline(t *testing.T) {
	t.Parallel()
	for _, k := range accessKindCases {
		t.Run(k.plural, func(t *testing.T) {
			t.Parallel()
			nouns := map[string]string{"access_application_ids": "Access applications", "access_identity_provider_ids": "Access identity providers",
				"access_policy_ids": "Access policies", "access_service_token_ids": "Access service tokens",
				"infrastructure_target_ids": "infrastructure targets"}[k.attr]
			expectInvalidOffline(t, member(fmt.Sprintf(`{ access = "allow", roles = [%q], tunnel_ids = [%q] }`, k.role, emulator.TunnelAppA)),
				fmt.Sprintf(`'%s' applies to %s, but this policy names only Tunnels: add %s, or use a[\s]+Tunnel role`,
					k.role, strings.ReplaceAll(nouns, " ", `[\s]+`), k.attr))
			expectInvalidOffline(t, member(fmt.Sprintf(`{ access = "allow", roles = [%q] }`, k.role)),
				fmt.Sprintf(`put it in a policy with %s \(or a[\s]+%s\)`, k.attr, k.binding))
			expectInvalidOffline(t, fmt.Sprintf(`
resource %q "app" {
  member_id = "0123456789abcdef0123456789abcdef"
  roles     = [%q]
  %s = [%q]
}
`, k.binding, tunnelAdminRole, k.attr, k.a), `"Cloudflare Tunnel Instance Admin" is a resource-scoped role for Cloudflare Tunnel instances,[\s]+and this binding names `+strings.ReplaceAll(nouns, " ", `[\s]+`)+` only`)
		})
	}
}

// A user group's policy on an Access application reaches its members: the
// member's own token lists the application (and its own policy), and
// cfiam_effective_access names the group behind the grant.
func TestAccAccessKinds_userGroupReachesMembers(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	memberID := newAcceptedMember(t, baseURL)
	tf := newTFCLI(t, baseURL)
	dir := filepath.Join(t.TempDir(), "group")
	writeWorkspace(t, dir, cfiamRequirement+fmt.Sprintf(`
resource "cfiam_user_group" "app_team" {
  name     = "app-a team"
  policies = [{ access = "allow", roles = ["Cloudflare Access App Admin"], access_application_ids = [%q] }]
}

resource "cfiam_user_group_membership" "dev" {
  user_group_id = cfiam_user_group.app_team.id
  member_id     = %q
}

data "cfiam_effective_access" "dev" {
  member_id  = %q
  depends_on = [cfiam_user_group_membership.dev]
}

output "apps" {
  value = data.cfiam_effective_access.dev.access_applications
}

output "policies" {
  value = data.cfiam_effective_access.dev.access_policies
}
`, emulator.AccessAppA, memberID, memberID))
	tf.apply(dir)
	tf.expectEmptyPlan(dir, "the group and its membership after apply")
	expectListings(t, baseURL, memberToken(t, baseURL, memberID), map[string][]string{
		"/access/apps": {emulator.AccessAppA}, "/access/policies": {emulator.AccessPolicyAppA}})
	var apps []struct {
		ID     string   `json:"id"`
		Access string   `json:"access"`
		Grants []string `json:"grants"`
	}
	tf.outputJSON(dir, "apps", &apps)
	want := `via group "app-a team": role "Cloudflare Access App Admin"`
	if len(apps) != 1 || apps[0].ID != emulator.AccessAppA || apps[0].Access != "edit" || !slices.Equal(apps[0].Grants, []string{want}) {
		t.Errorf("cfiam_effective_access.access_applications: %+v, want app-a edit by %q", apps, want)
	}
	// The application's own policy, reached through the application
	// (resource-scoped-kinds.md), as the member's token lists it.
	var policies []struct {
		ID     string   `json:"id"`
		Access string   `json:"access"`
		Grants []string `json:"grants"`
	}
	tf.outputJSON(dir, "policies", &policies)
	if len(policies) != 1 || policies[0].ID != emulator.AccessPolicyAppA || policies[0].Access != "edit" || !slices.Equal(policies[0].Grants, []string{want}) {
		t.Errorf("cfiam_effective_access.access_policies: %+v, want app-a-own edit by %q", policies, want)
	}
	tf.destroy(dir)
	expectListings(t, baseURL, memberToken(t, baseURL, memberID), nil)
}
