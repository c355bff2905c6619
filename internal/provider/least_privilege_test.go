package provider_test

// Least-privilege credentials (issue 19, item 3): every resource's
// lifecycle (create, empty re-plan, in-place update, import, destroy) and
// every data source's read, with an API token holding exactly the minimum
// permission groups the provider's documentation lists for it; and for each
// group of a minimum, the same token without it fails with a diagnostic
// naming that group. The minimum table below is written by hand from the
// reference's permission groups (api-token-permission-groups.md) and the
// API calls each resource makes; TestDocsMinimumPermissions holds the docs
// to it.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// minimumPermissions: the API token permission groups each resource, data
// source and ephemeral resource needs for everything it does (plan, apply,
// import, destroy, read), each granted at the level it belongs to: account
// groups on the account, user groups on the token's user.
var minimumPermissions = map[string][]string{
	"cfiam_account_member":    {"Account Settings Edit"},
	"cfiam_resource_group":    {"Account Settings Edit"},
	"cfiam_tunnel_binding":    {"Account Settings Edit"},
	"cfiam_mesh_node_binding": {"Account Settings Edit"},

	"cfiam_access_application_binding":       {"Account Settings Edit"},
	"cfiam_access_identity_provider_binding": {"Account Settings Edit"},
	"cfiam_access_policy_binding":            {"Account Settings Edit"},
	"cfiam_access_service_token_binding":     {"Account Settings Edit"},
	"cfiam_infrastructure_target_binding":    {"Account Settings Edit"},
	"cfiam_user_group":                       {"Account Settings Edit"},
	"cfiam_user_group_members":               {"Account Settings Edit"},
	"cfiam_user_group_membership":            {"Account Settings Edit"},
	"cfiam_api_token":                        {"API Tokens Edit"},
	"cfiam_account_token":                    {"Account Settings Edit"},

	"data.cfiam_roles":             {"Account Settings Read"},
	"data.cfiam_role":              {"Account Settings Read"},
	"data.cfiam_permission_groups": {"API Tokens Read"},
	"data.cfiam_permission_group":  {"API Tokens Read"},
	"data.cfiam_account_member":    {"Account Settings Read"},
	"data.cfiam_account_members":   {"Account Settings Read"},
	"data.cfiam_user_group":        {"Account Settings Read"},
	"data.cfiam_user_groups":       {"Account Settings Read"},
	"data.cfiam_tunnels":           {"Cloudflare Tunnel Read"},
	"data.cfiam_mesh_nodes":        {"Cloudflare Tunnel Read"},
	// api-token-permission-groups.md: "Access: Apps and Policies Read" reads
	// Access applications and policies (and, in this project, infrastructure
	// targets), "Access: Organizations, Identity Providers, and Groups Read"
	// identity providers, "Access: Service Tokens Read" service tokens.
	"data.cfiam_access_applications":       {"Access: Apps and Policies Read"},
	"data.cfiam_access_identity_providers": {"Access: Organizations, Identity Providers, and Groups Read"},
	"data.cfiam_access_policies":           {"Access: Apps and Policies Read"},
	"data.cfiam_access_service_tokens":     {"Access: Service Tokens Read"},
	"data.cfiam_infrastructure_targets":    {"Access: Apps and Policies Read"},
	"data.cfiam_effective_access": {"Account Settings Read", "Cloudflare Tunnel Read", "Access: Apps and Policies Read",
		"Access: Organizations, Identity Providers, and Groups Read", "Access: Service Tokens Read"},

	"ephemeral.cfiam_api_token": {"API Tokens Edit"},
}

// leastPrivilegeToken has the emulator's administrator create a user token
// holding exactly groups, each on the account or on the user, as the
// permission group's scope says, and returns its value.
func leastPrivilegeToken(t *testing.T, emu *emulator.Emulator, baseURL string, extra []map[string]any, groups ...string) string {
	t.Helper()
	policies := slices.Clone(extra)
	for _, name := range groups {
		var g *emulator.TokenPermissionGroup
		for _, pg := range emu.TokenPermissionGroups() {
			if pg.Name == name {
				g = &pg
				break
			}
		}
		if g == nil {
			t.Fatalf("the emulator has no token permission group %q", name)
		}
		key := catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID)
		if !slices.Contains(g.Scopes, catalog.ScopeAccount) {
			key = catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID)
		}
		policies = append(policies, map[string]any{
			"effect": "allow", "permission_groups": []map[string]string{{"id": g.ID}}, "resources": map[string]string{key: "*"},
		})
	}
	if len(policies) == 0 {
		// A token needs a policy: one that allows nothing this provider does.
		policies = append(policies, grantOn(t, "Zone Read", catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)))
	}
	name := "least privilege: " + strings.Join(groups, ", ")
	if len(name) > 120 { // Cloudflare's limit on a token's name
		name = name[:117] + "..."
	}
	return adminMadeToken(t, baseURL, "/user/tokens", name, policies)
}

// adminMadeToken has the emulator's administrator create a token at
// tokensPath (/user/tokens, or an account's) and returns its value.
func adminMadeToken(t *testing.T, baseURL, tokensPath, name string, policies []map[string]any) string {
	t.Helper()
	a := callAPI(t, baseURL, emulator.AdminToken, http.MethodPost, tokensPath, map[string]any{"name": name, "policies": policies})
	var tok struct {
		Value string `json:"value"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.result, &tok) != nil || tok.Value == "" {
		t.Fatalf("creating token %q at %s: HTTP %d %v %s", name, tokensPath, a.status, a.codes, a.result)
	}
	return tok.Value
}

// missingGroupError matches the missing-permission diagnostic naming group,
// however Terraform wraps its lines.
func missingGroupError(group string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Missing\s+permission\s+for .*"` + strings.Join(strings.Fields(regexp.QuoteMeta(group)), `\s+`) + `"`)
}

// without returns groups without one.
func without(groups []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(groups), func(g string) bool { return g == drop })
}

// lifecycleCase is one resource's least-privilege lifecycle: its
// configuration at two versions (in-place update between them), whatever
// it needs made outside Terraform first, and how its import ID is built.
type lifecycleCase struct {
	typ      string
	setup    func(t *testing.T, baseURL string) map[string]string
	config   func(v int, env map[string]string) string
	importID func(s *terraform.State) (string, error)
	ignore   []string // attributes import cannot know
	// inPlace: version 2 changes the resource in place (false: only create,
	// import and destroy, for a resource with nothing to update in place).
	inPlace bool
	// check reads the emulator's own state after each version.
	check func(t *testing.T, emu *emulator.Emulator, v int) error
	// grants are token policies the provider's token needs besides the
	// minimum: a token may only grant what its creator holds.
	grants []map[string]any
}

// grantOn is a token policy allowing one permission group on one resource.
func grantOn(t *testing.T, group, key string) map[string]any {
	t.Helper()
	e := embeddedOne(t, catalog.KindPermissionGroup, group, scopeOfKey(t, key))
	return map[string]any{"effect": "allow", "permission_groups": []map[string]string{{"id": e.ID}}, "resources": map[string]string{key: "*"}}
}

func scopeOfKey(t *testing.T, key string) catalog.Scope {
	t.Helper()
	s, _, err := catalog.ParseResourceKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func attrOf(s *terraform.State, address, name string) string {
	if r, ok := s.RootModule().Resources[address]; ok {
		return r.Primary.Attributes[name]
	}
	return ""
}

func idOfResource(address string) func(*terraform.State) (string, error) {
	return func(s *terraform.State) (string, error) { return attrOf(s, address, "id"), nil }
}

// leastPrivilegeCases are the resources, each on a fresh emulator.
func leastPrivilegeCases(t *testing.T) []lifecycleCase {
	t.Helper()
	accountRole := []string{"Analytics", "Administrator Read Only"}
	tunnelRole := []string{catalog.RoleTunnelAdmin, catalog.RoleTunnelInstanceRead}
	meshRole := []string{"Cloudflare Mesh Node Admin", "Cloudflare Mesh Node Read"}
	groupWith := func(t *testing.T, baseURL string, memberIDs ...string) string {
		t.Helper()
		return outsideGroup(t, adminClient(t, baseURL), "lp-group", "Analytics", memberIDs...)
	}
	cases := []lifecycleCase{
		{
			typ: "cfiam_account_member", inPlace: true,
			config: func(v int, _ map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_account_member" "lp" {
  email    = "least-privilege@example.com"
  policies = [{ access = "allow", roles = [%q] }]
}
`, accountRole[v-1])
			},
			importID: idOfResource("cfiam_account_member.lp"),
			ignore:   []string{"allow_removing_last_super_administrator"},
			check: func(t *testing.T, emu *emulator.Emulator, v int) error {
				m, ok := memberByEmail(emu, "least-privilege@example.com")
				if !ok {
					return fmt.Errorf("no member least-privilege@example.com in the emulator")
				}
				ps := emulatorPolicies(t, emu, m.ID)
				if len(ps) != 1 || strings.Join(ps[0].roles, ",") != accountRole[v-1] {
					return fmt.Errorf("the member holds %+v, want %s", ps, accountRole[v-1])
				}
				return nil
			},
		},
		{
			typ: "cfiam_resource_group", inPlace: true,
			config: func(v int, _ map[string]string) string {
				zones := []string{emulator.ZoneExampleCom, emulator.ZoneExampleOrg}[:v]
				return fmt.Sprintf(`
resource "cfiam_resource_group" "lp" {
  name     = "least-privilege zones"
  zone_ids = [%s]
}
`, quoteAll(zones))
			},
			importID: idOfResource("cfiam_resource_group.lp"),
			check: func(_ *testing.T, emu *emulator.Emulator, v int) error {
				for _, g := range emu.ResourceGroups(emulator.AccountID) {
					if g.Name == "least-privilege zones" {
						if len(g.Objects) != v {
							return fmt.Errorf("the group holds %v, want %d zones", g.Objects, v)
						}
						return nil
					}
				}
				return fmt.Errorf("no resource group least-privilege zones in the emulator")
			},
		},
		{
			typ: "cfiam_tunnel_binding", inPlace: true,
			setup: func(t *testing.T, baseURL string) map[string]string {
				return map[string]string{"member": newAcceptedMember(t, baseURL)}
			},
			config: func(v int, env map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_tunnel_binding" "lp" {
  member_id  = %q
  roles      = [%q]
  tunnel_ids = [%q]
}
`, env["member"], tunnelRole[v-1], emulator.TunnelAppA)
			},
			importID: idOfResource("cfiam_tunnel_binding.lp"),
			check: func(t *testing.T, emu *emulator.Emulator, v int) error {
				m, _ := memberByEmail(emu, "app-dev@example.com")
				return holdsRole(t, emu, m.ID, tunnelRole[v-1])
			},
		},
		{
			typ: "cfiam_mesh_node_binding", inPlace: true,
			setup: func(t *testing.T, baseURL string) map[string]string {
				return map[string]string{"member": newAcceptedMember(t, baseURL)}
			},
			config: func(v int, env map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_mesh_node_binding" "lp" {
  member_id     = %q
  roles         = [%q]
  mesh_node_ids = [%q]
}
`, env["member"], meshRole[v-1], emulator.MeshNodeOfficeA)
			},
			importID: idOfResource("cfiam_mesh_node_binding.lp"),
			check: func(t *testing.T, emu *emulator.Emulator, v int) error {
				m, _ := memberByEmail(emu, "app-dev@example.com")
				return holdsRole(t, emu, m.ID, meshRole[v-1])
			},
		},
		{
			typ: "cfiam_user_group", inPlace: true,
			config: func(v int, _ map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_user_group" "lp" {
  name     = "least-privilege group"
  policies = [{ access = "allow", roles = [%q] }]
}
`, accountRole[v-1])
			},
			importID: idOfResource("cfiam_user_group.lp"),
			check: func(t *testing.T, emu *emulator.Emulator, v int) error {
				for _, g := range emu.UserGroups(emulator.AccountID) {
					if g.Name == "least-privilege group" {
						ps := emulatorGroupPolicies(t, emu, g.ID)
						if len(ps) != 1 || strings.Join(ps[0].roles, ",") != accountRole[v-1] {
							return fmt.Errorf("the group holds %+v, want %s", ps, accountRole[v-1])
						}
						return nil
					}
				}
				return fmt.Errorf("no user group least-privilege group in the emulator")
			},
		},
		{
			typ: "cfiam_user_group_members", inPlace: true,
			setup: func(t *testing.T, baseURL string) map[string]string {
				m := newAcceptedMember(t, baseURL)
				return map[string]string{"member": m, "admin": emulator.AdminMemberID, "group": groupWith(t, baseURL)}
			},
			config: func(v int, env map[string]string) string {
				ids := []string{env["member"], env["admin"]}[:v]
				return fmt.Sprintf(`
resource "cfiam_user_group_members" "lp" {
  user_group_id = %q
  member_ids    = [%s]
}
`, env["group"], quoteAll(ids))
			},
			importID: idOfResource("cfiam_user_group_members.lp"),
			check:    func(_ *testing.T, emu *emulator.Emulator, v int) error { return lpGroupMembers(emu, v) },
		},
		{
			typ: "cfiam_user_group_membership",
			setup: func(t *testing.T, baseURL string) map[string]string {
				return map[string]string{"member": newAcceptedMember(t, baseURL), "group": groupWith(t, baseURL, emulator.AdminMemberID)}
			},
			config: func(_ int, env map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_user_group_membership" "lp" {
  user_group_id = %q
  member_id     = %q
}
`, env["group"], env["member"])
			},
			importID: idOfResource("cfiam_user_group_membership.lp"),
			// The administrator, a member from the start, and app-dev.
			check: func(_ *testing.T, emu *emulator.Emulator, _ int) error { return lpGroupMembers(emu, 2) },
		},
		{
			typ: "cfiam_api_token", inPlace: true,
			config: func(v int, _ map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_api_token" "lp" {
  name     = "least-privilege token %d"
  policies = [{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }]
}
`, v, emulator.ZoneExampleCom)
			},
			importID: idOfResource("cfiam_api_token.lp"),
			grants:   []map[string]any{grantOn(t, "Zone Read", catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom))},
			ignore:   []string{"value", "rotate_when_changed", "last_used_on"},
			check: func(_ *testing.T, emu *emulator.Emulator, v int) error {
				if _, ok := findToken(emu, "", fmt.Sprintf("least-privilege token %d", v)); !ok {
					return fmt.Errorf("no user token least-privilege token %d in the emulator", v)
				}
				return nil
			},
		},
		{
			typ: "cfiam_account_token", inPlace: true,
			config: func(v int, _ map[string]string) string {
				return fmt.Sprintf(`
resource "cfiam_account_token" "lp" {
  name     = "least-privilege account token %d"
  policies = [{ effect = "allow", permission_groups = ["Cloudflare Tunnel Read"], account_ids = [%q] }]
}
`, v, emulator.AccountID)
			},
			importID: func(s *terraform.State) (string, error) {
				return emulator.AccountID + "/" + attrOf(s, "cfiam_account_token.lp", "id"), nil
			},
			ignore: []string{"value", "rotate_when_changed", "last_used_on"},
			grants: []map[string]any{grantOn(t, "Cloudflare Tunnel Read", catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID))},
			check: func(_ *testing.T, emu *emulator.Emulator, v int) error {
				if _, ok := findToken(emu, emulator.AccountID, fmt.Sprintf("least-privilege account token %d", v)); !ok {
					return fmt.Errorf("no account token least-privilege account token %d in the emulator", v)
				}
				return nil
			},
		},
	}
	// The Access bindings: the in-place change moves the binding from object A to B.
	for _, k := range accessKindCases {
		objects := []string{k.a, k.b}
		cases = append(cases, lifecycleCase{
			typ: k.binding, inPlace: true,
			setup: func(t *testing.T, baseURL string) map[string]string {
				return map[string]string{"member": newAcceptedMember(t, baseURL)}
			},
			config: func(v int, env map[string]string) string {
				return fmt.Sprintf(`
resource %q "lp" {
  member_id = %q
  roles     = [%q]
  %s = [%q]
}
`, k.binding, env["member"], k.role, k.attr, objects[v-1])
			},
			importID: idOfResource(k.binding + ".lp"),
			check: func(t *testing.T, emu *emulator.Emulator, v int) error {
				m, _ := memberByEmail(emu, "app-dev@example.com")
				for _, p := range emulatorPolicies(t, emu, m.ID) {
					if slices.Equal(p.roles, []string{k.role}) && slices.Equal(p.objects, []string{k.keyPrefix + objects[v-1]}) {
						return nil
					}
				}
				return fmt.Errorf("no %s policy on %s in the emulator", k.role, objects[v-1])
			},
		})
	}
	return cases
}

// lpGroupMembers checks that the emulator's group lp-group has want members.
func lpGroupMembers(emu *emulator.Emulator, want int) error {
	for _, g := range emu.UserGroups(emulator.AccountID) {
		if g.Name == "lp-group" {
			if len(g.Members) != want {
				return fmt.Errorf("the group has %d members, want %d", len(g.Members), want)
			}
			return nil
		}
	}
	return fmt.Errorf("no user group lp-group in the emulator")
}

func quoteAll(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}

// holdsRole checks that the member holds role through exactly one of its
// policies besides its own account-wide Analytics.
func holdsRole(t *testing.T, emu *emulator.Emulator, memberID, role string) error {
	t.Helper()
	var roles []string
	for _, p := range emulatorPolicies(t, emu, memberID) {
		roles = append(roles, p.roles...)
	}
	slices.Sort(roles)
	want := []string{"Analytics", role}
	slices.Sort(want)
	if !slices.Equal(roles, want) {
		return fmt.Errorf("member %s holds %v, want %v", memberID, roles, want)
	}
	return nil
}

func TestAccLeastPrivilege_resources(t *testing.T) {
	t.Parallel()
	for _, tc := range leastPrivilegeCases(t) {
		t.Run(tc.typ, func(t *testing.T) {
			t.Parallel()
			emu, baseURL := acctest.NewEmulator(t)
			env := map[string]string{}
			if tc.setup != nil {
				env = tc.setup(t, baseURL)
			}
			token := leastPrivilegeToken(t, emu, baseURL, tc.grants, minimumPermissions[tc.typ]...)
			config := func(v int) string {
				return acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), tc.config(v, env))
			}
			check := func(v int) resource.TestCheckFunc {
				return func(*terraform.State) error { return tc.check(t, emu, v) }
			}
			address := tc.typ + ".lp"
			steps := []resource.TestStep{{Config: config(1), Check: check(1)}}
			last := 1
			if tc.inPlace {
				steps = append(steps, resource.TestStep{Config: config(2), Check: check(2),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}}})
				last = 2
			}
			steps = append(steps, resource.TestStep{ResourceName: address, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: tc.importID, ImportStateVerifyIgnore: tc.ignore, Config: config(last)})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps:                    steps,
			})
		})
	}
}

// Each group of a resource's minimum is needed: without it, creating the
// resource fails, naming the group, and leaves nothing behind.
func TestAccLeastPrivilege_missingGroupNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range leastPrivilegeCases(t) {
		for _, group := range minimumPermissions[tc.typ] {
			t.Run(tc.typ+" without "+group, func(t *testing.T) {
				t.Parallel()
				emu, baseURL := acctest.NewEmulator(t)
				env := map[string]string{}
				if tc.setup != nil {
					env = tc.setup(t, baseURL)
				}
				token := leastPrivilegeToken(t, emu, baseURL, tc.grants, without(minimumPermissions[tc.typ], group)...)
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
					Steps: []resource.TestStep{{
						Config:      acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), tc.config(1, env)),
						ExpectError: missingGroupError(group),
					}},
				})
				if err := tc.check(t, emu, 1); err == nil {
					t.Fatalf("the emulator holds what the refused %s would have made", tc.typ)
				}
			})
		}
	}
}

// dataSourceCases: each data source (and the ephemeral token) in a
// configuration of its own, with what it reads outside Terraform made first.
var dataSourceCases = map[string]string{ //nolint:gosec // G101: data source configurations; "token" is in their names only
	"data.cfiam_roles":             `data "cfiam_roles" "lp" {}`,
	"data.cfiam_role":              `data "cfiam_role" "lp" { name = "Analytics" }`,
	"data.cfiam_permission_groups": `data "cfiam_permission_groups" "lp" {}`,
	"data.cfiam_permission_group":  `data "cfiam_permission_group" "lp" { name = "DNS Write" }`,
	"data.cfiam_account_member":    `data "cfiam_account_member" "lp" { email = "app-dev@example.com" }`,
	"data.cfiam_account_members":   `data "cfiam_account_members" "lp" {}`,
	"data.cfiam_user_group":        `data "cfiam_user_group" "lp" { name = "lp-group" }`,
	"data.cfiam_user_groups":       `data "cfiam_user_groups" "lp" {}`,
	"data.cfiam_tunnels":           `data "cfiam_tunnels" "lp" {}`,
	"data.cfiam_mesh_nodes":        `data "cfiam_mesh_nodes" "lp" {}`,
	"data.cfiam_effective_access":  `data "cfiam_effective_access" "lp" { email = "app-dev@example.com" }`,

	"data.cfiam_access_applications":       `data "cfiam_access_applications" "lp" {}`,
	"data.cfiam_access_identity_providers": `data "cfiam_access_identity_providers" "lp" {}`,
	"data.cfiam_access_policies":           `data "cfiam_access_policies" "lp" {}`,
	"data.cfiam_access_service_tokens":     `data "cfiam_access_service_tokens" "lp" {}`,
	"data.cfiam_infrastructure_targets":    `data "cfiam_infrastructure_targets" "lp" {}`,
	"ephemeral.cfiam_api_token": `
ephemeral "cfiam_api_token" "lp" {
  name     = "least privilege run"
  ttl      = "30m"
  policies = [{ effect = "allow", permission_groups = ["API Tokens Read"], user = true }]
}

provider "echo" {
  data = ephemeral.cfiam_api_token.lp
}

resource "echo" "lp" {}`,
}

// dataSourceSetup makes the member and the user group the data sources read.
func dataSourceSetup(t *testing.T, baseURL string) {
	t.Helper()
	member := newAcceptedMember(t, baseURL)
	api := adminClient(t, baseURL)
	g, err := api.CreateUserGroup(t.Context(), emulator.AccountID, "lp-group", []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.AddUserGroupMembers(t.Context(), emulator.AccountID, g.ID, []string{member}); err != nil {
		t.Fatal(err)
	}
}

// Every data source reads with exactly its minimum, and fails naming each
// group of it when the token lacks that group. The ephemeral token also
// needs to grant only what its creator holds: API Tokens Read is in Edit.
func TestAccLeastPrivilege_dataSources(t *testing.T) {
	t.Parallel()
	for name, config := range dataSourceCases {
		groups := minimumPermissions[name]
		if len(groups) == 0 {
			t.Fatalf("no minimum permissions listed for %s", name)
		}
		run := func(t *testing.T, groups []string, expect *regexp.Regexp) {
			emu, baseURL := acctest.NewEmulator(t)
			dataSourceSetup(t, baseURL)
			var grants []map[string]any
			if name == "ephemeral.cfiam_api_token" {
				// The run's token grants API Tokens Read on the user: its creator must hold it.
				grants = append(grants, grantOn(t, "API Tokens Read", catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID)))
			}
			token := leastPrivilegeToken(t, emu, baseURL, grants, groups...)
			factories := acctest.ProviderFactories(nil)
			factories["echo"] = func() (tfprotov6.ProviderServer, error) { return echoprovider.NewProviderServer()() }
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
				ProtoV6ProviderFactories: factories,
				Steps: []resource.TestStep{{
					Config:      acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), config),
					ExpectError: expect,
				}},
			})
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run(t, groups, nil)
		})
		for _, group := range groups {
			t.Run(name+" without "+group, func(t *testing.T) {
				t.Parallel()
				run(t, without(groups, group), missingGroupError(group))
			})
		}
	}
}

// The provider's docs list, for every resource, data source and ephemeral
// resource that has a docs page, exactly the minimum above.
func TestDocsMinimumPermissions(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "## Minimum permissions")
	if start < 0 {
		t.Fatal("docs/index.md has no section ## Minimum permissions")
	}
	prefix := map[string]string{"resource": "", "data source": "data.", "ephemeral resource": "ephemeral."}
	listed := map[string][]string{}
	for _, line := range strings.Split(doc[start:], "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 4 {
			continue
		}
		p, ok := prefix[strings.TrimSpace(cells[0])]
		if !ok {
			continue
		}
		// Groups are separated by "; ": a group's name may hold a comma.
		groups := strings.Split(strings.TrimSpace(cells[2]), "; ")
		for _, name := range strings.Split(cells[1], ",") {
			listed[p+strings.Trim(strings.TrimSpace(name), "`")] = groups
		}
	}
	for name, want := range minimumPermissions {
		if got := listed[name]; !slices.Equal(got, want) {
			t.Errorf("docs/index.md lists %v for %s, want %v", got, name, want)
		}
	}
	for name := range listed {
		if _, ok := minimumPermissions[name]; !ok {
			t.Errorf("docs/index.md lists %s, which the least-privilege tests do not cover", name)
		}
	}
	for dir, p := range map[string]string{"resources": "", "data-sources": "data.", "ephemeral-resources": "ephemeral."} {
		pages, err := filepath.Glob(filepath.Join("..", "..", "docs", dir, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, page := range pages {
			name := p + "cfiam_" + strings.TrimSuffix(filepath.Base(page), ".md")
			if _, ok := minimumPermissions[name]; !ok {
				t.Errorf("%s has a docs page but no minimum permissions", name)
			}
		}
	}
}

// The README's provider example: an account-owned token holding only
// Account Settings Edit manages a member with a zone policy.
func TestAccLeastPrivilege_readmeAccountToken(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	token := adminMadeToken(t, baseURL, "/accounts/"+emulator.AccountID+"/tokens", "terraform-cfiam",
		[]map[string]any{grantOn(t, "Account Settings Edit", catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID))})
	config := acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), fmt.Sprintf(`
resource "cfiam_account_member" "alice" {
  email    = "alice@example.com"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q] }]
}
`, emulator.ZoneExampleCom))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{Config: config, Check: func(*terraform.State) error {
			m, ok := memberByEmail(emu, "alice@example.com")
			if !ok {
				return fmt.Errorf("no member alice@example.com in the emulator")
			}
			ps := emulatorPolicies(t, emu, m.ID)
			if len(ps) != 1 || strings.Join(ps[0].roles, ",") != "Domain DNS" || strings.Join(ps[0].objects, ",") != catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom) {
				return fmt.Errorf("alice holds %+v, want Domain DNS on example.com", ps)
			}
			return nil
		}}},
	})
}
