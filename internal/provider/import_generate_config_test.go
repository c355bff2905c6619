package provider_test

// Issue 6: `import {}` blocks and `terraform plan -generate-config-out` for
// every resource. cfiam_account_member's tests are in
// resource_account_member_import_test.go; this file has the same two tests
// for cfiam_api_token, cfiam_account_token, cfiam_resource_group and
// cfiam_tunnel_binding. Each object is made outside Terraform (through the
// emulator's API), then:
//
//   - *_importGenerateConfig: terraform-plugin-testing's GenerateConfig step:
//     an import block planned with -generate-config-out is a no-op import;
//   - *_cliGenerateConfigOut: the user's workflow with the terraform CLI:
//     `terraform plan -generate-config-out=generated.tf` writes exactly the
//     attributes expected (parsed and compared value by value: nothing
//     missing, no computed-only attribute), `terraform apply` imports and
//     does nothing else (the emulator's objects are unchanged and none is
//     added), and `terraform plan -detailed-exitcode` is then empty.
//
// The tokens and the binding use a permission group or role that only the
// live catalog knows (newer than the catalog embedded in the provider): the
// generated configuration names it by ID, which `terraform validate` lets
// through, not by a name it would refuse.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// IDs that only the emulator's live catalog knows, not the embedded one.
const (
	liveOnlyTokenGroup     = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d" //nolint:gosec // G101: a permission group ID ("Widgets Read", account scope), not a credential
	liveOnlyTunnelRole     = "0000000000000000000000000000aaaa" // "Cloudflare Tunnel Instance Operator"
	liveOnlyTokenName      = "Widgets Read"
	liveOnlyTunnelRoleName = "Cloudflare Tunnel Instance Operator"
)

// newCatalogAheadEmulator is acctest.NewEmulator whose live catalog has a
// token permission group and a Tunnel role the embedded catalog lacks.
func newCatalogAheadEmulator(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	emu, baseURL := acctest.NewEmulator(t)
	emu.PutTokenPermissionGroup(liveOnlyTokenGroup, liveOnlyTokenName, catalog.ScopeAccount)
	emu.PutIAMPermissionGroup(emulator.AccountID, liveOnlyTunnelRole, liveOnlyTunnelRoleName, catalog.ScopeTunnel)
	return emu, baseURL
}

// generateConfigTest runs terraform-plugin-testing's GenerateConfig step:
// an import block for address with importID, planned with
// -generate-config-out, must plan a no-op import.
func generateConfigTest(t *testing.T, baseURL, address, importID string) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:          acctest.ProviderConfig(baseURL),
			ResourceName:    address,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   importID,
			GenerateConfig:  true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop),
			}},
		}},
	})
}

// importBlock is one `import {}` block: the resource address and the import ID.
type importBlock struct{ to, id string }

// generatedWorkspace is a terraform working directory holding a provider
// block and import blocks; terraform is served the provider from this
// process, as in TestAccAccountMember_generateConfigOutCLI.
type generatedWorkspace struct {
	t       *testing.T
	dir     string
	imports []importBlock
	tf      func(wantCode int, args ...string) string
}

// newGeneratedWorkspace writes the workspace for the import blocks and runs
// terraform init.
func newGeneratedWorkspace(t *testing.T, baseURL string, imports ...importBlock) *generatedWorkspace {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "cli.tfrc"), `disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "`+filepath.ToSlash(filepath.Join(root, "no-mirror"))+`"
    include = ["*/*/*"]
  }
}
`)
	w := &generatedWorkspace{t: t, dir: filepath.Join(root, "work"), imports: imports}
	blocks := []string{cfiamRequirement, acctest.ProviderConfig(baseURL)}
	for _, i := range imports {
		blocks = append(blocks, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", i.to, i.id))
	}
	writeFile(t, filepath.Join(w.dir, "main.tf"), acctest.Config(blocks...))
	w.tf = terraformCLI(t, w.dir, []string{
		"TF_CLI_CONFIG_FILE=" + filepath.Join(root, "cli.tfrc"),
		"TF_REATTACH_PROVIDERS=" + serveProvider(t),
		"HOME=" + root,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	})
	w.tf(0, "init", "-input=false")
	return w
}

// generate runs `terraform plan -generate-config-out=generated.tf`, which
// must exit with wantCode (0, or 1 when the generated configuration is
// invalid), and returns its output and the generated file.
func (w *generatedWorkspace) generate(wantCode int) (out, generated string) {
	w.t.Helper()
	out = w.tf(wantCode, "plan", "-input=false", "-generate-config-out=generated.tf")
	b, err := os.ReadFile(filepath.Join(w.dir, "generated.tf")) //nolint:gosec // G304: terraform's output in the test's temp dir
	if err != nil {
		w.t.Fatal(err)
	}
	return out, string(b)
}

// edit rewrites generated.tf, as the user would before applying.
func (w *generatedWorkspace) edit(generated string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "generated.tf"), generated)
}

// importAndReplan runs `terraform apply`, which must import the resources
// and do nothing else, then `terraform plan -detailed-exitcode`, which must
// be empty.
func (w *generatedWorkspace) importAndReplan() {
	w.t.Helper()
	out := w.tf(0, "apply", "-input=false", "-auto-approve")
	if want := fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", len(w.imports)); !strings.Contains(out, want) {
		w.t.Fatalf("apply of the import was not a pure import (want %q):\n%s", want, out)
	}
	w.tf(0, "plan", "-input=false", "-detailed-exitcode") // 0: no changes
}

// expectState checks attributes of address in state, as `terraform show
// -json` writes them (sensitive values included).
func (w *generatedWorkspace) expectState(address string, want map[string]any) {
	w.t.Helper()
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out := w.tf(0, "show", "-json")
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Address != address {
			continue
		}
		for name, v := range want {
			if got := r.Values[name]; !reflect.DeepEqual(got, asJSON(w.t, v)) {
				w.t.Errorf("state of %s after the import: %s = %v, want %v", address, name, got, asJSON(w.t, v))
			}
		}
		return
	}
	w.t.Fatalf("%s is not in state:\n%s", address, out)
}

// generatedAttributes parses terraform's generated.tf, which must hold
// resource blocks with literal attributes only, and returns each block's
// attributes as JSON values (a set or list as an array, null as nil), by
// resource address.
func generatedAttributes(t *testing.T, generated string) map[string]map[string]any {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(generated), "generated.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("generated.tf does not parse: %s\n%s", diags.Error(), generated)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok || len(body.Attributes) != 0 {
		t.Fatalf("generated.tf should hold resource blocks only:\n%s", generated)
	}
	out := map[string]map[string]any{}
	for _, block := range body.Blocks {
		address := strings.Join(block.Labels, ".")
		if block.Type != "resource" || len(block.Labels) != 2 || len(block.Body.Blocks) != 0 {
			t.Fatalf("generated.tf holds a %s block %q or nested blocks; want resource blocks of attributes:\n%s", block.Type, address, generated)
		}
		if _, dup := out[address]; dup {
			t.Fatalf("generated.tf holds %s twice:\n%s", address, generated)
		}
		attrs := map[string]any{}
		for name, a := range block.Body.Attributes {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("generated %s: %s is not a literal: %s\n%s", address, name, diags.Error(), generated)
			}
			b, err := ctyjson.SimpleJSONValue{Value: v}.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var decoded any
			if err := json.Unmarshal(b, &decoded); err != nil {
				t.Fatal(err)
			}
			attrs[name] = decoded
		}
		out[address] = attrs
	}
	return out
}

// asJSON is v as encoding/json decodes it into any, so that values written
// with Go's own types compare with decoded ones.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// expectGenerated compares generated.tf with want (address -> attribute ->
// value) exactly: a resource or attribute missing, a value that differs, or
// an attribute too many (such as a computed-only one, which would make the
// configuration invalid) fails the test. Sets are compared in the order
// terraform writes them (sorted).
func expectGenerated(t *testing.T, generated string, want map[string]map[string]any) {
	t.Helper()
	got := generatedAttributes(t, generated)
	for address, wantAttrs := range want {
		gotAttrs, ok := got[address]
		if !ok {
			t.Errorf("generated.tf lacks resource %s", address)
			continue
		}
		for name := range wantAttrs {
			if _, ok := gotAttrs[name]; !ok {
				t.Errorf("generated %s lacks %s", address, name)
			}
		}
		for name, v := range gotAttrs {
			w, ok := wantAttrs[name]
			switch {
			case !ok:
				t.Errorf("generated %s has %s = %v, which it should not", address, name, v)
			case !reflect.DeepEqual(v, asJSON(t, w)):
				t.Errorf("generated %s has %s = %v, want %v", address, name, v, asJSON(t, w))
			}
		}
	}
	for address := range got {
		if _, ok := want[address]; !ok {
			t.Errorf("generated.tf has resource %s, which it should not", address)
		}
	}
	if t.Failed() {
		t.Fatalf("generated.tf:\n%s", generated)
	}
}

// --- cfiam_api_token ---

// tokenPolicyAttrs is one generated token policy: every attribute written,
// null but for effect, permission_groups and the policy's one kind of
// resource.
func tokenPolicyAttrs(effect string, groups []string, kind string, ids any) map[string]any {
	p := map[string]any{"effect": effect, "permission_groups": groups,
		"user": nil, "account_ids": nil, "zone_ids": nil, "all_zones_of_account": nil}
	p[kind] = ids
	return p
}

func pgRef(t *testing.T, name string, s catalog.Scope) cfclient.IDRef {
	t.Helper()
	return cfclient.IDRef{ID: pgID(t, name, s)}
}

// createUserTokenOutsideTerraform creates, as the dashboard would, a user
// token with a policy of each kind (zones, the account, all zones of the
// account, the user), one of them with a permission group only the live
// catalog knows, an IP condition and validity times. The condition admits
// 127.0.0.1, so that the test can use the token's value.
func createUserTokenOutsideTerraform(t *testing.T, api *cfclient.Client) *cfclient.Token {
	t.Helper()
	tok, err := api.CreateToken(t.Context(), "", cfclient.TokenInput{
		Name: "dns-ci",
		Policies: []cfclient.TokenPolicy{
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Zone Read", catalog.ScopeZone), pgRef(t, "DNS Write", catalog.ScopeZone)},
				Resources: map[string]any{comKey: "*", orgKey: "*"}},
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Account Settings Read", catalog.ScopeAccount), {ID: liveOnlyTokenGroup}},
				Resources: map[string]any{accountKey: "*"}},
			{Effect: "deny", PermissionGroups: []cfclient.IDRef{pgRef(t, "DNS Read", catalog.ScopeZone)},
				Resources: map[string]any{accountKey: map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}}},
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "API Tokens Read", catalog.ScopeUser)},
				Resources: map[string]any{catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID): "*"}},
		},
		Condition: cfclient.TokenCondition{RequestIPIn: []string{"127.0.0.0/8", "192.0.2.0/24"}, RequestIPNotIn: []string{"192.0.2.128/25"}},
		NotBefore: "2024-01-01T00:00:00Z",
		ExpiresOn: "2099-01-01T00:00:00Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAccAPIToken_importGenerateConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	tok := createUserTokenOutsideTerraform(t, adminClient(t, baseURL))
	generateConfigTest(t, baseURL, "cfiam_api_token.dns_ci", tok.ID)
}

// Usable as it is. value, which Cloudflare returns only at creation and
// after a roll, is not generated (it is computed) and stays null in state,
// as documented; the token's value is not rolled.
func TestAccAPIToken_cliGenerateConfigOut(t *testing.T) {
	t.Parallel()
	emu, baseURL := newCatalogAheadEmulator(t)
	tok := createUserTokenOutsideTerraform(t, adminClient(t, baseURL))
	before := emu.UserTokens()

	const address = "cfiam_api_token.dns_ci"
	w := newGeneratedWorkspace(t, baseURL, importBlock{address, tok.ID})
	_, generated := w.generate(0)
	expectGenerated(t, generated, map[string]map[string]any{address: {
		"name": "dns-ci",
		"policies": []any{
			tokenPolicyAttrs("allow", []string{"DNS Write", "Zone Read"}, "zone_ids", []string{emulator.ZoneExampleCom, emulator.ZoneExampleOrg}),
			tokenPolicyAttrs("allow", []string{liveOnlyTokenGroup, "Account Settings Read"}, "account_ids", []string{emulator.AccountID}),
			tokenPolicyAttrs("deny", []string{"DNS Read"}, "all_zones_of_account", emulator.AccountID),
			tokenPolicyAttrs("allow", []string{"API Tokens Read"}, "user", true),
		},
		"condition":           map[string]any{"request_ip": map[string]any{"in": []string{"127.0.0.0/8", "192.0.2.0/24"}, "not_in": []string{"192.0.2.128/25"}}},
		"not_before":          "2024-01-01T00:00:00Z",
		"expires_on":          "2099-01-01T00:00:00Z",
		"status":              "active",
		"rotate_when_changed": nil,
	}})
	w.importAndReplan()
	w.expectState(address, map[string]any{"id": tok.ID, "issued_on": tok.IssuedOn, "value": nil})

	if after := emu.UserTokens(); !reflect.DeepEqual(after, before) {
		t.Errorf("the import changed the emulator's user tokens:\n before %+v\n after  %+v", before, after)
	}
	if a := callAPI(t, baseURL, tok.Value, http.MethodGet, "/user/tokens/verify", nil); a.status != http.StatusOK {
		t.Errorf("the token's value no longer verifies after the import: HTTP %d %v", a.status, a.codes)
	}
}

// An expired token is generated with status = "expired", the status it
// reads, which cannot be written (active or disabled): the plan that
// generates the configuration fails on it. Deleting that line is the edit
// the user makes; the token then imports as it is, still expired.
func TestAccAPIToken_cliGenerateConfigOutExpired(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	tok, err := adminClient(t, baseURL).CreateToken(t.Context(), "", cfclient.TokenInput{
		Name:      "old",
		Policies:  []cfclient.TokenPolicy{{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Zone Read", catalog.ScopeZone)}, Resources: map[string]any{comKey: "*"}}},
		ExpiresOn: "2020-01-01T00:00:00Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	before := emu.UserTokens()

	const address = "cfiam_api_token.old"
	w := newGeneratedWorkspace(t, baseURL, importBlock{address, tok.ID})
	out, generated := w.generate(1)
	if !regexpMust(`Error: Invalid Attribute Value Match .* Attribute status value must be one of: \["active" "disabled"\], got: "expired"`).MatchString(out) {
		t.Errorf("the plan should fail on status = \"expired\":\n%s", out)
	}
	expectGenerated(t, generated, map[string]map[string]any{address: {
		"name":                "old",
		"policies":            []any{tokenPolicyAttrs("allow", []string{"Zone Read"}, "zone_ids", []string{emulator.ZoneExampleCom})},
		"condition":           nil,
		"not_before":          nil,
		"expires_on":          "2020-01-01T00:00:00Z",
		"status":              "expired",
		"rotate_when_changed": nil,
	}})

	statusLine := regexp.MustCompile(`(?m)^\s*status\s*=\s*"expired"\n`)
	if !statusLine.MatchString(generated) {
		t.Fatalf("no status line to delete in:\n%s", generated)
	}
	w.edit(statusLine.ReplaceAllString(generated, ""))
	w.importAndReplan()
	w.expectState(address, map[string]any{"id": tok.ID, "status": "expired"})
	if after := emu.UserTokens(); !reflect.DeepEqual(after, before) {
		t.Errorf("the import changed the emulator's user tokens:\n before %+v\n after  %+v", before, after)
	}
}

// --- cfiam_account_token ---

// createAccountTokenOutsideTerraform creates an account-owned token with an
// account policy (one permission group only the live catalog knows) and a
// zone policy, then disables it.
func createAccountTokenOutsideTerraform(t *testing.T, api *cfclient.Client) *cfclient.Token {
	t.Helper()
	in := cfclient.TokenInput{
		Name: "deploy",
		Policies: []cfclient.TokenPolicy{
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Account Settings Read", catalog.ScopeAccount), {ID: liveOnlyTokenGroup}},
				Resources: map[string]any{accountKey: "*"}},
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Zone Read", catalog.ScopeZone)},
				Resources: map[string]any{comKey: "*"}},
		},
	}
	tok, err := api.CreateToken(t.Context(), emulator.AccountID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Status = "disabled"
	if _, err := api.UpdateToken(t.Context(), emulator.AccountID, tok.ID, in); err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAccAccountToken_importGenerateConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	tok := createAccountTokenOutsideTerraform(t, adminClient(t, baseURL))
	generateConfigTest(t, baseURL, "cfiam_account_token.deploy", emulator.AccountID+"/"+tok.ID)
}

// Usable as it is, account_id and status included; value as for cfiam_api_token.
func TestAccAccountToken_cliGenerateConfigOut(t *testing.T) {
	t.Parallel()
	emu, baseURL := newCatalogAheadEmulator(t)
	tok := createAccountTokenOutsideTerraform(t, adminClient(t, baseURL))
	before := emu.AccountTokens(emulator.AccountID)

	const address = "cfiam_account_token.deploy"
	w := newGeneratedWorkspace(t, baseURL, importBlock{address, emulator.AccountID + "/" + tok.ID})
	_, generated := w.generate(0)
	expectGenerated(t, generated, map[string]map[string]any{address: {
		"account_id": emulator.AccountID,
		"name":       "deploy",
		"policies": []any{
			tokenPolicyAttrs("allow", []string{liveOnlyTokenGroup, "Account Settings Read"}, "account_ids", []string{emulator.AccountID}),
			tokenPolicyAttrs("allow", []string{"Zone Read"}, "zone_ids", []string{emulator.ZoneExampleCom}),
		},
		"condition":           nil,
		"not_before":          nil,
		"expires_on":          nil,
		"status":              "disabled",
		"rotate_when_changed": nil,
	}})
	w.importAndReplan()
	w.expectState(address, map[string]any{"id": tok.ID, "account_id": emulator.AccountID, "value": nil})

	if after := emu.AccountTokens(emulator.AccountID); !reflect.DeepEqual(after, before) {
		t.Errorf("the import changed the emulator's account tokens:\n before %+v\n after  %+v", before, after)
	}
	if n := len(emu.UserTokens()); n != 0 {
		t.Errorf("%d user tokens in the emulator, want none", n)
	}
}

// --- cfiam_resource_group ---

// createResourceGroupsOutsideTerraform creates a group of zones and a group
// of Tunnels.
func createResourceGroupsOutsideTerraform(t *testing.T, api *cfclient.Client) (zones, tunnels *cfclient.ResourceGroup) {
	t.Helper()
	zones, err := api.CreateResourceGroup(t.Context(), emulator.AccountID, "web zones", []string{comKey, orgKey})
	if err != nil {
		t.Fatal(err)
	}
	tunnels, err = api.CreateResourceGroup(t.Context(), emulator.AccountID, "app tunnels",
		[]string{appAKey, catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppB)})
	if err != nil {
		t.Fatal(err)
	}
	return zones, tunnels
}

// Both import ID forms: <account_id>/<resource_group_id> for the zones,
// <resource_group_id> alone (the provider's account) for the Tunnels.
func TestAccResourceGroup_importGenerateConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	zones, tunnels := createResourceGroupsOutsideTerraform(t, adminClient(t, baseURL))
	generateConfigTest(t, baseURL, "cfiam_resource_group.web", emulator.AccountID+"/"+zones.ID)
	generateConfigTest(t, baseURL, "cfiam_resource_group.apps", tunnels.ID)
}

// Usable as they are, account_id included, by either import ID form.
func TestAccResourceGroup_cliGenerateConfigOut(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	zones, tunnels := createResourceGroupsOutsideTerraform(t, adminClient(t, baseURL))
	before := emu.ResourceGroups(emulator.AccountID)

	w := newGeneratedWorkspace(t, baseURL,
		importBlock{"cfiam_resource_group.web", emulator.AccountID + "/" + zones.ID},
		importBlock{"cfiam_resource_group.apps", tunnels.ID})
	_, generated := w.generate(0)
	expectGenerated(t, generated, map[string]map[string]any{
		"cfiam_resource_group.web": {
			"account_id":    emulator.AccountID,
			"name":          "web zones",
			"zone_ids":      []string{emulator.ZoneExampleCom, emulator.ZoneExampleOrg},
			"tunnel_ids":    nil,
			"mesh_node_ids": nil,
			// The Access kinds' IDs (PRODUCT.md's names), null.
			"access_application_ids": nil, "access_identity_provider_ids": nil, "access_policy_ids": nil,
			"access_service_token_ids": nil, "infrastructure_target_ids": nil,
		},
		"cfiam_resource_group.apps": {
			"account_id":             emulator.AccountID,
			"name":                   "app tunnels",
			"zone_ids":               nil,
			"tunnel_ids":             []string{emulator.TunnelAppB, emulator.TunnelAppA},
			"mesh_node_ids":          nil,
			"access_application_ids": nil, "access_identity_provider_ids": nil, "access_policy_ids": nil,
			"access_service_token_ids": nil, "infrastructure_target_ids": nil,
		},
	})
	w.importAndReplan()
	w.expectState("cfiam_resource_group.web", map[string]any{"id": zones.ID})
	w.expectState("cfiam_resource_group.apps", map[string]any{"id": tunnels.ID})

	if after := emu.ResourceGroups(emulator.AccountID); !reflect.DeepEqual(after, before) {
		t.Errorf("the import changed the emulator's resource groups:\n before %+v\n after  %+v", before, after)
	}
}

// --- cfiam_tunnel_binding ---

// createBindingOutsideTerraform gives the member app-dev@example.com (its
// own "Analytics" policy, newAcceptedMember) a policy made the way
// cfiam_tunnel_binding makes one: Tunnel roles, one of them only the live
// catalog knows, on one resource group per Tunnel named with the binding
// prefix. It returns the member's and the policy's IDs.
func createBindingOutsideTerraform(t *testing.T, baseURL string) (memberID, policyID string) {
	t.Helper()
	api := adminClient(t, baseURL)
	memberID = newAcceptedMember(t, baseURL)
	var groups []string
	for _, id := range []string{emulator.TunnelAppA, emulator.TunnelAppB} {
		key := catalog.ResourceKey(catalog.ScopeTunnel, id)
		g, err := api.CreateResourceGroup(t.Context(), emulator.AccountID, bindingPrefix+key, []string{key})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g.ID)
	}
	m, err := api.GetMember(t.Context(), emulator.AccountID, memberID)
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{roleID(t, tunnelReadRole, catalog.ScopeTunnel), roleID(t, tunnelAdminRole, catalog.ScopeTunnel), liveOnlyTunnelRole}
	policies := append(m.Policies[:len(m.Policies):len(m.Policies)], cfclient.NewMemberPolicy("", "allow", roles, groups))
	updated, err := api.UpdateMemberPolicies(t.Context(), emulator.AccountID, memberID, policies)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range updated.Policies {
		if !memberHasPolicy(m, p.ID) {
			return memberID, p.ID
		}
	}
	t.Fatal("the member has no new policy")
	return "", ""
}

func memberHasPolicy(m *cfclient.Member, id string) bool {
	for _, p := range m.Policies {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestAccTunnelBinding_importGenerateConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	memberID, policyID := createBindingOutsideTerraform(t, baseURL)
	generateConfigTest(t, baseURL, "cfiam_tunnel_binding.app", emulator.AccountID+"/"+memberID+"/"+policyID)
}

// Usable as it is: roles by catalog name (by ID for the one the embedded
// catalog lacks). The member's own policy and the binding's resource groups
// are left as they are.
func TestAccTunnelBinding_cliGenerateConfigOut(t *testing.T) {
	t.Parallel()
	emu, baseURL := newCatalogAheadEmulator(t)
	memberID, policyID := createBindingOutsideTerraform(t, baseURL)
	member, groups := mustMember(t, emu, memberID), emu.ResourceGroups(emulator.AccountID)

	const address = "cfiam_tunnel_binding.app"
	importID := emulator.AccountID + "/" + memberID + "/" + policyID
	w := newGeneratedWorkspace(t, baseURL, importBlock{address, importID})
	_, generated := w.generate(0)
	expectGenerated(t, generated, map[string]map[string]any{address: {
		"account_id": emulator.AccountID,
		"member_id":  memberID,
		"roles":      []string{liveOnlyTunnelRole, tunnelAdminRole, tunnelReadRole},
		"tunnel_ids": []string{emulator.TunnelAppB, emulator.TunnelAppA},
	}})
	w.importAndReplan()
	w.expectState(address, map[string]any{"id": importID, "policy_id": policyID})

	if after := mustMember(t, emu, memberID); !reflect.DeepEqual(after, member) {
		t.Errorf("the import changed the member in the emulator:\n before %+v\n after  %+v", member, after)
	}
	if after := emu.ResourceGroups(emulator.AccountID); !reflect.DeepEqual(after, groups) {
		t.Errorf("the import changed the emulator's resource groups:\n before %+v\n after  %+v", groups, after)
	}
}
