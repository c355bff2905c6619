package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Resource identity came with Terraform 1.12: on an older CLI these tests
// report the gate ("below minimum version 1.12.0") instead of running.
var identityVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// identityCase is one resource's identity test: its configuration, and the
// identity it must have, looked up in the emulator after apply.
type identityCase struct {
	address string
	config  string
	want    func(t *testing.T) map[string]string
}

// testAccImportByIdentity applies c.config, checks the identity in state
// against the emulator, then imports the resource with an
// `import { to = ..., identity = {...} }` block (built by
// terraform-plugin-testing from that identity) and expects a no-op import
// with the same identity and nothing else to change.
func testAccImportByIdentity(t *testing.T, c identityCase) {
	t.Helper()
	expectIdentity := lazyCheck(func() statecheck.StateCheck {
		want := map[string]knownvalue.Check{}
		for k, v := range c.want(t) {
			want[k] = knownvalue.StringExact(v)
		}
		return statecheck.ExpectIdentity(c.address, want)
	})
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   identityVersionChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:            c.config,
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity},
			},
			{
				ResourceName:    c.address,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(c.address, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

func TestAccAccountMember_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_account_member.dev",
		config: memberConfig(baseURL, fmt.Sprintf(`policies = [
    { access = "allow", roles = ["Analytics"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%q] },
  ]`, emulator.ZoneExampleCom)),
		want: func(t *testing.T) map[string]string {
			m, ok := memberByEmail(emu, "dev@example.com")
			if !ok {
				t.Error("the emulator has no member dev@example.com")
			}
			return map[string]string{"account_id": emulator.AccountID, "id": m.ID}
		},
	})
}

func TestAccResourceGroup_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_resource_group.edge",
		config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_resource_group" "edge" {
  name     = "edge"
  zone_ids = [%q, %q]
}
`, emulator.ZoneExampleCom, emulator.ZoneExampleOrg)),
		want: func(t *testing.T) map[string]string {
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.Name == "edge" {
					return map[string]string{"account_id": emulator.AccountID, "id": g.ID}
				}
			}
			t.Error("the emulator has no resource group named edge")
			return nil
		},
	})
}

func tokenIdentityConfig(baseURL, typ, policy string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource %q "t" {
  name     = "identity"
  policies = [%s]
}
`, typ, policy))
}

func TestAccAccountToken_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_account_token.t",
		config: tokenIdentityConfig(baseURL, "cfiam_account_token",
			fmt.Sprintf(`{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }`, emulator.ZoneExampleCom)),
		want: func(t *testing.T) map[string]string {
			tok, ok := findToken(emu, emulator.AccountID, "identity")
			if !ok {
				t.Error("the emulator has no account token named identity")
			}
			return map[string]string{"account_id": emulator.AccountID, "id": tok.ID}
		},
	})
}

func TestAccAPIToken_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_api_token.t",
		config: tokenIdentityConfig(baseURL, "cfiam_api_token",
			fmt.Sprintf(`{ effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%q] }`, emulator.ZoneExampleCom)),
		want: func(t *testing.T) map[string]string {
			tok, ok := findToken(emu, "", "identity")
			if !ok {
				t.Error("the emulator has no user token named identity")
			}
			return map[string]string{"id": tok.ID} // a user token has no account
		},
	})
}

func TestAccTunnelBinding_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_tunnel_binding.app",
		config: acctest.Config(memberConfig(baseURL, `policies = [{ access = "allow", roles = ["Analytics"] }]`), fmt.Sprintf(`
resource "cfiam_tunnel_binding" "app" {
  member_id  = cfiam_account_member.dev.id
  roles      = ["Cloudflare Tunnel Instance Admin"]
  tunnel_ids = [%q]
}
`, emulator.TunnelAppA)),
		want: func(t *testing.T) map[string]string {
			m, ok := memberByEmail(emu, "dev@example.com")
			if !ok {
				t.Error("the emulator has no member dev@example.com")
			}
			return map[string]string{
				"account_id": emulator.AccountID,
				"member_id":  m.ID,
				"policy_id":  policyIDOf(t, emu, "dev@example.com", roleID(t, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)),
			}
		},
	})
}

func TestAccUserGroup_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_user_group.g",
		config: acctest.Config(acctest.ProviderConfig(baseURL), `
resource "cfiam_user_group" "g" {
  name     = "identity"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`),
		want: func(t *testing.T) map[string]string {
			for _, g := range emu.UserGroups(emulator.AccountID) {
				if g.Name == "identity" {
					return map[string]string{"account_id": emulator.AccountID, "id": g.ID}
				}
			}
			t.Error("the emulator has no user group named identity")
			return nil
		},
	})
}

func TestAccUserGroupMembers_importByIdentity(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	alice := outsideMember(t, baseURL, "alice@example.com")
	group := outsideGroup(t, api, "platform", "Administrator Read Only")
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_user_group_members.m",
		config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_user_group_members" "m" {
  user_group_id = %q
  member_ids    = [%q]
}
`, group, alice)),
		want: func(*testing.T) map[string]string {
			return map[string]string{"account_id": emulator.AccountID, "user_group_id": group}
		},
	})
}

func TestAccUserGroupMembership_importByIdentity(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	alice := outsideMember(t, baseURL, "alice@example.com")
	group := outsideGroup(t, api, "platform", "Administrator Read Only")
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_user_group_membership.alice",
		config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_user_group_membership" "alice" {
  user_group_id = %q
  member_id     = %q
}
`, group, alice)),
		want: func(*testing.T) map[string]string {
			return map[string]string{"account_id": emulator.AccountID, "user_group_id": group, "member_id": alice}
		},
	})
}

// An import block written by hand, as the docs show it: the identity names
// the member only, and the provider's account is the default.
func TestAccAccountMember_importByIdentityBlock(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	contractor := outsideMember(t, baseURL, "contractor@example.com")
	address := "cfiam_account_member.contractor"
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   identityVersionChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{
			Config: acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
import {
  to       = cfiam_account_member.contractor
  identity = { id = %q }
}

resource "cfiam_account_member" "contractor" {
  email    = "contractor@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`, contractor)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(address, map[string]knownvalue.Check{
					"account_id": knownvalue.StringExact(emulator.AccountID),
					"id":         knownvalue.StringExact(contractor),
				}),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(contractor)),
			},
		}},
	})
}

func TestAccMeshNodeBinding_importByIdentity(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	testAccImportByIdentity(t, identityCase{
		address: "cfiam_mesh_node_binding.office",
		config: acctest.Config(memberConfig(baseURL, `policies = [{ access = "allow", roles = ["Analytics"] }]`), fmt.Sprintf(`
resource "cfiam_mesh_node_binding" "office" {
  member_id     = cfiam_account_member.dev.id
  roles         = ["Cloudflare Mesh Node Admin"]
  mesh_node_ids = [%q]
}
`, emulator.MeshNodeOfficeA)),
		want: func(t *testing.T) map[string]string {
			m, ok := memberByEmail(emu, "dev@example.com")
			if !ok {
				t.Error("the emulator has no member dev@example.com")
			}
			return map[string]string{
				"account_id": emulator.AccountID,
				"member_id":  m.ID,
				"policy_id":  policyIDOf(t, emu, "dev@example.com", roleID(t, "Cloudflare Mesh Node Admin", catalog.ScopeMeshNode)),
			}
		},
	})
}
