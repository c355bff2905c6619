package provider_test

// Issue 18 item 3: list resources and `terraform query` (Terraform 1.14 and
// later). TestAccQuery_generateConfigOut is the user's workflow with the
// terraform CLI on an account brought up outside Terraform: `terraform query
// -generate-config-out=access.tf` writes import and resource blocks for what
// the account holds, `terraform apply` imports it all and changes nothing,
// and `terraform plan` is then empty. OpenTofu (1.12) has no `terraform
// query`: the test skips there, and on Terraform before 1.14, saying why.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// skipBelowQuery skips a test that runs `terraform query` itself on a CLI
// that has none: Terraform before 1.14, and OpenTofu (no list resources as
// of 1.12). The same words as terraform-plugin-testing's tfversion checks.
func skipBelowQuery(t *testing.T) {
	t.Helper()
	bin := terraformBinary(t)
	out, err := exec.CommandContext(t.Context(), bin, "version", "-json").Output() //nolint:gosec // G204: the CLI under test
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v\n%s", bin, err, out)
	}
	plain, _ := exec.CommandContext(t.Context(), bin, "version").Output() //nolint:gosec // G204: the CLI under test
	if strings.HasPrefix(string(plain), "OpenTofu") {
		t.Skipf("OpenTofu %s has no `query` command (list resources are Terraform 1.14 and later): skipping test", v.Version)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("%s version -json: version %q: %v", bin, v.Version, err)
	}
	if major < 1 || major == 1 && minor < 14 {
		t.Skipf("Terraform CLI version %s is below minimum version 1.14.0 (`terraform query`): skipping test", v.Version)
	}
}

// seeded is what seedAccount made, by the names the test gives it.
type seeded struct {
	members        map[string]string // e-mail -> member ID
	tunnelBindings map[string]string // e-mail -> policy ID
	meshBindings   map[string]string // e-mail -> policy ID
	groups         map[string]string // resource group name -> ID
	userGroup      string
	accountToken   *cfclient.Token
}

// Role names, written here by hand from ../shared/reference/ and the
// emulator's seed (never read from the code under test).
const (
	qAnalytics   = "Analytics"
	qDomainDNS   = "Domain DNS"
	qZoneVersion = "Zone Versioning Read"
	qTunnelRead  = "Cloudflare Tunnel Instance Read"
	qTunnelAdmin = "Cloudflare Tunnel Instance Admin"
	qMeshRead    = "Cloudflare Mesh Node Read"
	qAuditLogs   = "Audit Logs Viewer"
)

func queryMemberEmail(i int) string { return fmt.Sprintf("user%02d@example.com", i) }

// seedAccount fills the emulator, as the dashboard would, with 20 members:
// each with an account-wide, a zone, a Tunnel or a named-group policy (by
// i%4, some also a deny), three with a Tunnel binding's policy and one with a
// Mesh node binding's; two named resource groups, a user group and an
// account token.
func seedAccount(t *testing.T, baseURL string) seeded {
	t.Helper()
	api, ctx := adminClient(t, baseURL), t.Context()
	s := seeded{members: map[string]string{}, tunnelBindings: map[string]string{}, meshBindings: map[string]string{}, groups: map[string]string{}}
	group := func(name string, keys ...string) string {
		g, err := api.CreateResourceGroup(ctx, emulator.AccountID, name, keys)
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	// The groups the dashboard makes for one object, named by its key.
	com, org := group(comKey, comKey), group(orgKey, orgKey)
	appA := group(appAKey, appAKey)
	s.groups["web zones"] = group("web zones", comKey, orgKey)
	s.groups["app tunnels"] = group("app tunnels", appAKey, catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppB))

	role := func(name string, sc catalog.Scope) []string { return []string{roleID(t, name, sc)} }
	for i := range 20 {
		var policies []cfclient.MemberPolicy
		switch i % 4 {
		case 0:
			policies = append(policies, cfclient.NewMemberPolicy("", "allow", role(qAnalytics, catalog.ScopeAccount), []string{emulator.AccountResourceGroupID}))
		case 1:
			policies = append(policies, cfclient.NewMemberPolicy("", "allow",
				[]string{roleID(t, qDomainDNS, catalog.ScopeZone), roleID(t, qZoneVersion, catalog.ScopeZone)}, []string{com, org}))
		case 2:
			policies = append(policies, cfclient.NewMemberPolicy("", "allow", role(qTunnelRead, catalog.ScopeTunnel), []string{appA}))
		case 3:
			policies = append(policies,
				cfclient.NewMemberPolicy("", "allow", role(qDomainDNS, catalog.ScopeZone), []string{s.groups["web zones"]}),
				cfclient.NewMemberPolicy("", "allow", role(qTunnelAdmin, catalog.ScopeTunnel), []string{s.groups["app tunnels"]}))
		}
		if i%5 == 0 {
			policies = append(policies, cfclient.NewMemberPolicy("", "deny", role(qAuditLogs, catalog.ScopeAccount), []string{emulator.AccountResourceGroupID}))
		}
		m, err := api.CreateMember(ctx, emulator.AccountID, queryMemberEmail(i), "", policies)
		if err != nil {
			t.Fatal(err)
		}
		s.members[queryMemberEmail(i)] = m.ID
	}

	// Bindings' policies, made the way the binding resources make them: one
	// group per object, named with the binding's prefix.
	bind := func(email, prefix string, sc catalog.Scope, objectID, roleName string) string {
		key := catalog.ResourceKey(sc, objectID)
		g := group(prefix+key, key)
		id := s.members[email]
		m, err := api.GetMember(ctx, emulator.AccountID, id)
		if err != nil {
			t.Fatal(err)
		}
		policies := append(slices.Clone(m.Policies), cfclient.NewMemberPolicy("", "allow", role(roleName, sc), []string{g}))
		updated, err := api.UpdateMemberPolicies(ctx, emulator.AccountID, id, policies)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range updated.Policies {
			if !memberHasPolicy(m, p.ID) {
				return p.ID
			}
		}
		t.Fatalf("%s has no new policy", email)
		return ""
	}
	for _, i := range []int{1, 2, 7} {
		s.tunnelBindings[queryMemberEmail(i)] = bind(queryMemberEmail(i), bindingPrefix, catalog.ScopeTunnel, emulator.TunnelAppB, qTunnelAdmin)
	}
	s.meshBindings[queryMemberEmail(4)] = bind(queryMemberEmail(4), "cfiam-mesh-node-binding:", catalog.ScopeMeshNode, emulator.MeshNodeOfficeA, qMeshRead)

	ug, err := api.CreateUserGroup(ctx, emulator.AccountID, "auditors", []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", role(qAnalytics, catalog.ScopeAccount), []string{emulator.AccountResourceGroupID}),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.userGroup = ug.ID
	s.accountToken, err = api.CreateToken(ctx, emulator.AccountID, cfclient.TokenInput{
		Name: "deploy",
		Policies: []cfclient.TokenPolicy{
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Zone Read", catalog.ScopeZone)}, Resources: map[string]any{comKey: "*"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// queryFile lists everything cfiam can list, with the resources.
const queryFile = `
list "cfiam_account_member" "member" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_tunnel_binding" "tunnel" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_mesh_node_binding" "mesh" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_resource_group" "group" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_user_group" "team" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_account_token" "token" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_api_token" "user_token" {
  provider         = cfiam
  include_resource = true
}
`

// generatedBlocks parses a configuration terraform generated: its resource
// blocks' attributes as JSON values by address (as generatedAttributes), and
// each import block's target with its identity.
func generatedBlocks(t *testing.T, generated string) (resources map[string]map[string]any, imports map[string]map[string]any) {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(generated), "access.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("access.tf does not parse: %s\n%s", diags.Error(), generated)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("access.tf is not native syntax")
	}
	literal := func(e hclsyntax.Expression, what string) any {
		v, diags := e.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s is not a literal: %s\n%s", what, diags.Error(), generated)
		}
		b, err := ctyjson.SimpleJSONValue{Value: v}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	resources, imports = map[string]map[string]any{}, map[string]map[string]any{}
	for _, b := range body.Blocks {
		switch b.Type {
		case "import":
			to, ok := b.Body.Attributes["to"]
			if !ok {
				t.Fatalf("an import block without `to` in:\n%s", generated)
			}
			address := strings.TrimSpace(string(to.Expr.Range().SliceBytes([]byte(generated))))
			id, ok := b.Body.Attributes["identity"]
			if !ok {
				t.Fatalf("import block for %s has no identity:\n%s", address, generated)
			}
			identity, _ := literal(id.Expr, "identity of "+address).(map[string]any)
			imports[address] = identity
		case "resource":
			address := strings.Join(b.Labels, ".")
			if _, dup := resources[address]; dup || len(b.Labels) != 2 || len(b.Body.Blocks) != 0 {
				t.Fatalf("access.tf holds %s twice, or with nested blocks:\n%s", address, generated)
			}
			attrs := map[string]any{}
			for name, a := range b.Body.Attributes {
				if name == "provider" {
					if p := strings.TrimSpace(string(a.Expr.Range().SliceBytes([]byte(generated)))); p != "cfiam" {
						t.Errorf("%s has provider = %s, want cfiam", address, p)
					}
					continue
				}
				attrs[name] = literal(a.Expr, address+"."+name)
			}
			resources[address] = attrs
		default:
			t.Fatalf("access.tf holds a %s block; want import and resource blocks:\n%s", b.Type, generated)
		}
	}
	return resources, imports
}

func TestAccQuery_generateConfigOut(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	emu, baseURL := newCatalogAheadEmulator(t)
	s := seedAccount(t, baseURL)
	userToken := createUserTokenOutsideTerraform(t, adminClient(t, baseURL))
	beforeUserTokens := emu.UserTokens()
	beforeMembers := map[string][]grant{}
	for email, id := range s.members {
		beforeMembers[email] = grantsOf(t, emu, mustMember(t, emu, id))
	}
	beforeGroups, beforeTokens := emu.ResourceGroups(emulator.AccountID), emu.AccountTokens(emulator.AccountID)
	beforeUserGroups := emu.UserGroups(emulator.AccountID)

	root := t.TempDir()
	writeFile(t, filepath.Join(root, "cli.tfrc"), `disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "`+filepath.ToSlash(filepath.Join(root, "no-mirror"))+`"
    include = ["*/*/*"]
  }
}
`)
	dir := filepath.Join(root, "work")
	writeFile(t, filepath.Join(dir, "main.tf"), acctest.Config(cfiamRequirement, acctest.ProviderConfig(baseURL)))
	writeFile(t, filepath.Join(dir, "access.tfquery.hcl"), queryFile)
	tf := terraformCLI(t, dir, []string{
		"TF_CLI_CONFIG_FILE=" + filepath.Join(root, "cli.tfrc"),
		"TF_REATTACH_PROVIDERS=" + serveProvider(t),
		"HOME=" + root,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	})
	var outputs []string
	run := func(wantCode int, args ...string) string {
		out := tf(wantCode, args...)
		outputs = append(outputs, out)
		return out
	}
	run(0, "init", "-input=false")
	run(0, "query", "-generate-config-out=access.tf")
	b, err := os.ReadFile(filepath.Join(dir, "access.tf")) //nolint:gosec // G304: terraform's output in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	generated := string(b)
	resources, imports := generatedBlocks(t, generated)

	// Every member (the 20, and the emulator's own Super Administrator), every
	// binding, the named groups (not the one-object groups the dashboard made
	// for the members' zones and Tunnels, nor the bindings'), the user group
	// and the token: each once, each with an import block by identity.
	byType := map[string]int{}
	for address := range resources {
		byType[strings.SplitN(address, ".", 2)[0]]++
		if _, ok := imports[address]; !ok {
			t.Errorf("%s has no import block", address)
		}
	}
	wantCounts := map[string]int{"cfiam_account_member": 21, "cfiam_tunnel_binding": 3, "cfiam_mesh_node_binding": 1,
		"cfiam_resource_group": 2, "cfiam_user_group": 1, "cfiam_account_token": 1, "cfiam_api_token": 1}
	if !reflect.DeepEqual(byType, wantCounts) {
		t.Errorf("generated resources by type = %v, want %v", byType, wantCounts)
	}

	// Roles by name, never by ID.
	for _, name := range []string{qAnalytics, qDomainDNS, qZoneVersion, qTunnelRead, qTunnelAdmin, qMeshRead, qAuditLogs, "Zone Read", "DNS Write"} {
		if !strings.Contains(generated, fmt.Sprintf("%q", name)) {
			t.Errorf("access.tf does not name %q", name)
		}
	}
	for _, r := range []struct {
		name string
		s    catalog.Scope
	}{{qAnalytics, catalog.ScopeAccount}, {qDomainDNS, catalog.ScopeZone}, {qTunnelRead, catalog.ScopeTunnel}, {qMeshRead, catalog.ScopeMeshNode}} {
		if id := roleID(t, r.name, r.s); strings.Contains(generated, id) {
			t.Errorf("access.tf names role %q by its ID %s", r.name, id)
		}
	}

	// Members, by e-mail: policies as written by hand above, binding
	// policies left out.
	memberByEmail := map[string]map[string]any{}
	for address, attrs := range resources {
		if strings.HasPrefix(address, "cfiam_account_member.") {
			email, _ := attrs["email"].(string)
			memberByEmail[email] = attrs
			if id := imports[address]["id"]; id != s.members[email] && email != emulator.AdminEmail {
				t.Errorf("%s (%s) imports member %v, want %s", address, email, id, s.members[email])
			}
		}
	}
	policy := func(access string, roles []string, attr string, ids []string) map[string]any {
		p := map[string]any{"access": access, "roles": roles, "zone_ids": nil, "tunnel_ids": nil, "mesh_node_ids": nil, "resource_group_ids": nil}
		for _, a := range accessKindAttrs {
			p[a] = nil
		}
		if attr != "" {
			p[attr] = ids
		}
		return p
	}
	for i := range 20 {
		email := queryMemberEmail(i)
		attrs, ok := memberByEmail[email]
		if !ok {
			t.Errorf("access.tf has no member %s", email)
			continue
		}
		var want []any
		switch i % 4 {
		case 0:
			want = append(want, policy("allow", []string{qAnalytics}, "", nil))
		case 1:
			want = append(want, policy("allow", []string{qDomainDNS, qZoneVersion}, "zone_ids", []string{emulator.ZoneExampleCom, emulator.ZoneExampleOrg}))
		case 2:
			want = append(want, policy("allow", []string{qTunnelRead}, "tunnel_ids", []string{emulator.TunnelAppA}))
		case 3:
			want = append(want,
				policy("allow", []string{qDomainDNS}, "resource_group_ids", []string{s.groups["web zones"]}),
				policy("allow", []string{qTunnelAdmin}, "resource_group_ids", []string{s.groups["app tunnels"]}))
		}
		if i%5 == 0 {
			want = append(want, policy("deny", []string{qAuditLogs}, "", nil))
		}
		if got := asJSON(t, attrs["policies"]); !sameElements(t, got, want) {
			t.Errorf("generated policies of %s = %v, want %v", email, got, asJSON(t, want))
		}
		if attrs["status"] != "pending" {
			t.Errorf("generated status of %s = %v, want pending", email, attrs["status"])
		}
	}
	for address, attrs := range resources {
		var email string
		switch {
		case strings.HasPrefix(address, "cfiam_tunnel_binding."):
			email = emailOf(s.members, attrs["member_id"])
			if imports[address]["policy_id"] != s.tunnelBindings[email] || !reflect.DeepEqual(attrs["roles"], asJSON(t, []string{qTunnelAdmin})) ||
				!reflect.DeepEqual(attrs["tunnel_ids"], asJSON(t, []string{emulator.TunnelAppB})) {
				t.Errorf("generated %s = %v (identity %v), want %s's Tunnel binding %s: %s on app-b", address, attrs, imports[address], email, s.tunnelBindings[email], qTunnelAdmin)
			}
		case strings.HasPrefix(address, "cfiam_mesh_node_binding."):
			email = emailOf(s.members, attrs["member_id"])
			if imports[address]["policy_id"] != s.meshBindings[email] || !reflect.DeepEqual(attrs["roles"], asJSON(t, []string{qMeshRead})) ||
				!reflect.DeepEqual(attrs["mesh_node_ids"], asJSON(t, []string{emulator.MeshNodeOfficeA})) {
				t.Errorf("generated %s = %v (identity %v), want %s's Mesh node binding %s: %s on office-a", address, attrs, imports[address], email, s.meshBindings[email], qMeshRead)
			}
		case strings.HasPrefix(address, "cfiam_resource_group."):
			if name, _ := attrs["name"].(string); imports[address]["id"] != s.groups[name] {
				t.Errorf("generated %s is group %q (identity %v), want one of %v", address, name, imports[address], s.groups)
			}
		case strings.HasPrefix(address, "cfiam_user_group."):
			if attrs["name"] != "auditors" || imports[address]["id"] != s.userGroup ||
				!reflect.DeepEqual(attrs["policies"], asJSON(t, []any{policy("allow", []string{qAnalytics}, "", nil)})) {
				t.Errorf("generated %s = %v (identity %v), want user group auditors %s with %s", address, attrs, imports[address], s.userGroup, qAnalytics)
			}
		case strings.HasPrefix(address, "cfiam_api_token."):
			// A permission group only the live catalog knows is written by ID.
			if attrs["name"] != "dns-ci" || imports[address]["id"] != userToken.ID || attrs["value"] != nil ||
				!strings.Contains(fmt.Sprint(attrs["policies"]), "DNS Write") || !strings.Contains(fmt.Sprint(attrs["policies"]), liveOnlyTokenGroup) {
				t.Errorf("generated %s = %v (identity %v), want user token dns-ci %s with DNS Write by name", address, attrs, imports[address], userToken.ID)
			}
		case strings.HasPrefix(address, "cfiam_account_token."):
			if attrs["name"] != "deploy" || imports[address]["id"] != s.accountToken.ID {
				t.Errorf("generated %s = %v (identity %v), want token deploy %s", address, attrs, imports[address], s.accountToken.ID)
			}
		}
	}
	if t.Failed() {
		t.Fatalf("access.tf:\n%s", generated)
	}

	out := run(0, "apply", "-input=false", "-auto-approve")
	if want := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed", len(resources)); !strings.Contains(out, want) {
		t.Errorf("apply of the import was not a pure import (want %q):\n%s", want, out)
	}
	run(0, "plan", "-input=false", "-detailed-exitcode") // 0: no changes

	// The emulator's own state: nothing changed, nothing added.
	for email, id := range s.members {
		if after := grantsOf(t, emu, mustMember(t, emu, id)); fmt.Sprint(after) != fmt.Sprint(beforeMembers[email]) {
			t.Errorf("the import changed %s's policies in the emulator:\n before %+v\n after  %+v", email, beforeMembers[email], after)
		}
	}
	if after := emu.ResourceGroups(emulator.AccountID); !reflect.DeepEqual(after, beforeGroups) {
		t.Errorf("the import changed the emulator's resource groups:\n before %+v\n after  %+v", beforeGroups, after)
	}
	if after := emu.AccountTokens(emulator.AccountID); !reflect.DeepEqual(after, beforeTokens) {
		t.Errorf("the import changed the emulator's account tokens:\n before %+v\n after  %+v", beforeTokens, after)
	}
	if after := emu.UserTokens(); !reflect.DeepEqual(after, beforeUserTokens) {
		t.Errorf("the import changed the emulator's user tokens:\n before %+v\n after  %+v", beforeUserTokens, after)
	}
	if after := emu.UserGroups(emulator.AccountID); !reflect.DeepEqual(after, beforeUserGroups) {
		t.Errorf("the import changed the emulator's user groups:\n before %+v\n after  %+v", beforeUserGroups, after)
	}

	// No secret anywhere: not in the generated file, not in any output.
	for _, secret := range []string{s.accountToken.Value, userToken.Value, emulator.AdminToken} {
		if secret == "" {
			t.Fatal("the seeded token has no value to look for")
		}
		if strings.Contains(generated, secret) {
			t.Errorf("access.tf holds a token value")
		}
		for _, o := range outputs {
			if strings.Contains(o, secret) {
				t.Errorf("terraform's output holds a token value:\n%s", o)
			}
		}
	}
	if regexp.MustCompile(`(?m)^\s*value\s*=`).MatchString(generated) {
		t.Errorf("access.tf sets a token's value:\n%s", generated)
	}
}

// emailOf is the e-mail of the member with that ID in members.
func emailOf(members map[string]string, id any) string {
	for email, mid := range members {
		if mid == id {
			return email
		}
	}
	return ""
}

// sameElements compares two JSON arrays as sets (the order of a set
// attribute in terraform's output is its own).
func sameElements(t *testing.T, got, want any) bool {
	t.Helper()
	key := func(v any) []string {
		items, _ := asJSON(t, v).([]any)
		out := make([]string, len(items))
		for i, x := range items {
			b, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = string(b)
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(key(got), key(want))
}
