package provider_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// threeScopeMember is a member with a policy at each scope kind.
func threeScopeMember(baseURL string) string {
	return memberConfig(baseURL, fmt.Sprintf(`
  policies = [
    { access = "allow", roles = ["Administrator Read Only"] },
    { access = "allow", roles = ["Domain DNS", "Zone Versioning Read"], zone_ids = [%[1]q, %[2]q] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%[3]q] },
  ]`, emulator.ZoneExampleCom, emulator.ZoneExampleOrg, emulator.TunnelAppA))
}

// Import blocks (terraform plan with `import { id = ... }`) by both ID
// forms plan a no-op import of a member with account, zone and Tunnel policies.
func TestAccAccountMember_importBlock(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	cfg := threeScopeMember(baseURL)
	memberID := func(*terraform.State) (string, error) {
		m, ok := memberByEmail(emu, "dev@example.com")
		if !ok {
			return "", errors.New("the emulator has no member dev@example.com")
		}
		return emulator.AccountID + "/" + m.ID, nil
	}
	noOp := resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction("cfiam_account_member.dev", plancheck.ResourceActionNoop),
	}}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:      "cfiam_account_member.dev",
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: memberID,
				ImportPlanChecks:  noOp,
			},
			{
				ResourceName:     "cfiam_account_member.dev",
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportStateId:    emulator.AccountID + "/DEV@Example.com",
				ImportPlanChecks: noOp,
			},
		},
	})
}

// createOutsideTerraform adds contractor@example.com with an account-wide, a
// zone and a Tunnel policy the way the dashboard does: one resource group per
// zone or Tunnel, named by its resource key.
func createOutsideTerraform(t *testing.T, api *cfclient.Client) *cfclient.Member {
	t.Helper()
	ctx := t.Context()
	group := func(s catalog.Scope, id string) string {
		key := catalog.ResourceKey(s, id)
		g, err := api.CreateResourceGroup(ctx, emulator.AccountID, key, []string{key})
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	m, err := api.CreateMember(ctx, emulator.AccountID, "contractor@example.com", "", []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)},
			[]string{emulator.AccountResourceGroupID}),
		cfclient.NewMemberPolicy("", "allow",
			[]string{roleID(t, "Domain DNS", catalog.ScopeZone), roleID(t, "Zone Versioning Read", catalog.ScopeZone)},
			[]string{group(catalog.ScopeZone, emulator.ZoneExampleCom), group(catalog.ScopeZone, emulator.ZoneExampleOrg)}),
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)},
			[]string{group(catalog.ScopeTunnel, emulator.TunnelAppA)}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// terraform-plugin-testing's GenerateConfig: an import block for a member
// made outside Terraform, planned with -generate-config-out, is a no-op.
func TestAccAccountMember_importGenerateConfig(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	createOutsideTerraform(t, adminClient(t, baseURL))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config:          acctest.ProviderConfig(baseURL),
			ResourceName:    "cfiam_account_member.contractor",
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   emulator.AccountID + "/contractor@example.com",
			GenerateConfig:  true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("cfiam_account_member.contractor", plancheck.ResourceActionNoop),
			}},
		}},
	})
}

// The whole user workflow through the terraform CLI: `terraform plan
// -generate-config-out` writes a config for a member made outside Terraform,
// `terraform apply` imports it without changing anything, and `terraform
// plan` on the generated config then has nothing to do. Hermetic: the
// provider is served from this process (TF_REATTACH_PROVIDERS), the CLI
// configuration is the test's own, and the API is a local emulator.
func TestAccAccountMember_generateConfigOutCLI(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	m := createOutsideTerraform(t, adminClient(t, baseURL))
	before := grantsOf(t, emu, mustMember(t, emu, m.ID))

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "cli.tfrc"), `disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "`+filepath.ToSlash(filepath.Join(dir, "no-mirror"))+`"
    include = ["*/*/*"]
  }
}
`)
	writeFile(t, filepath.Join(dir, "work", "main.tf"), acctest.Config(`
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
`, acctest.ProviderConfig(baseURL), fmt.Sprintf(`
import {
  to = cfiam_account_member.contractor
  id = "%s/contractor@example.com"
}
`, emulator.AccountID)))

	tf := terraformCLI(t, filepath.Join(dir, "work"), []string{
		"TF_CLI_CONFIG_FILE=" + filepath.Join(dir, "cli.tfrc"),
		"TF_REATTACH_PROVIDERS=" + serveProvider(t),
		"HOME=" + dir,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	})
	tf(0, "init", "-input=false")
	tf(0, "plan", "-input=false", "-generate-config-out=generated.tf")

	generated, err := os.ReadFile(filepath.Join(dir, "work", "generated.tf")) //nolint:gosec // G304: terraform's output in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`resource "cfiam_account_member" "contractor"`, `email`, `"contractor@example.com"`,
		`"Analytics"`, `"Domain DNS"`, `"Zone Versioning Read"`, `"Cloudflare Tunnel Instance Admin"`,
		emulator.ZoneExampleCom, emulator.ZoneExampleOrg, emulator.TunnelAppA,
	} {
		if !strings.Contains(string(generated), want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, generated)
		}
	}
	if t.Failed() {
		return
	}

	out := tf(0, "apply", "-input=false", "-auto-approve")
	if !strings.Contains(out, "1 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply of the import was not a pure import:\n%s", out)
	}
	tf(0, "plan", "-input=false", "-detailed-exitcode") // 0: no changes

	if after := grantsOf(t, emu, mustMember(t, emu, m.ID)); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the member's policies changed in the emulator:\n before %+v\n after  %+v", before, after)
	}
}
