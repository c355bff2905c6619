package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func tunnelValue(id, name string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"id":         knownvalue.StringExact(id),
		"name":       knownvalue.StringExact(name),
		"status":     knownvalue.NotNull(),
		"created_at": knownvalue.NotNull(),
		"deleted_at": knownvalue.Null(),
	})
}

// boundMemberToken adds the member newAcceptedMember adds and, outside
// Terraform, binds role (an ID) to it on the one object key, as a binding resource
// would (a resource group named groupPrefix+key); it returns the member's
// own token.
func boundMemberToken(t *testing.T, baseURL, role, groupPrefix, key string) string {
	t.Helper()
	admin := adminClient(t, baseURL)
	ctx := t.Context()
	memberID := newAcceptedMember(t, baseURL)
	m, err := admin.GetMember(ctx, emulator.AccountID, memberID)
	if err != nil {
		t.Fatal(err)
	}
	rg, err := admin.CreateResourceGroup(ctx, emulator.AccountID, groupPrefix+key, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	policies := append(m.Policies, cfclient.NewMemberPolicy("", "allow", []string{role}, []string{rg.ID}))
	if _, err := admin.UpdateMemberPolicies(ctx, emulator.AccountID, memberID, policies); err != nil {
		t.Fatal(err)
	}
	return memberToken(t, baseURL, memberID)
}

func TestAccTunnelsDataSource_asProviderAndAsMember(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	admin := adminClient(t, baseURL)
	ctx := t.Context()

	// A deleted Tunnel, listed only with is_deleted = true.
	var created struct {
		Result struct {
			ID string `json:"id"`
		} `json:"result"`
	}
	if err := admin.SDK().Post(ctx, "accounts/"+emulator.AccountID+"/cfd_tunnel", map[string]any{"name": "old"}, &created); err != nil {
		t.Fatal(err)
	}
	if err := admin.SDK().Delete(ctx, "accounts/"+emulator.AccountID+"/cfd_tunnel/"+created.Result.ID, nil, nil); err != nil {
		t.Fatal(err)
	}

	// A member bound to app-a only; its own token sees app-a only.
	token := boundMemberToken(t, baseURL, roleID(t, tunnelReadRole, catalog.ScopeTunnel),
		bindingPrefix, catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA))

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_tunnels" "all" {}
data "cfiam_tunnels" "app_b" { name = "app-b" }
data "cfiam_tunnels" "deleted" { is_deleted = true }
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_tunnels.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue("data.cfiam_tunnels.all", tfjsonpath.New("tunnels"), knownvalue.SetExact([]knownvalue.Check{
						tunnelValue(emulator.TunnelAppA, "app-a"), tunnelValue(emulator.TunnelAppB, "app-b"),
					})),
					statecheck.ExpectKnownValue("data.cfiam_tunnels.app_b", tfjsonpath.New("tunnels"), knownvalue.ListExact([]knownvalue.Check{
						tunnelValue(emulator.TunnelAppB, "app-b"),
					})),
					statecheck.ExpectKnownValue("data.cfiam_tunnels.deleted", tfjsonpath.New("tunnels"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id":         knownvalue.StringExact(created.Result.ID),
							"name":       knownvalue.StringExact("old"),
							"deleted_at": knownvalue.NotNull(),
						}),
					})),
				},
			},
			{
				// The provider configured with the member's own token.
				Config: acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), `data "cfiam_tunnels" "mine" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_tunnels.mine", tfjsonpath.New("tunnels"), knownvalue.ListExact([]knownvalue.Check{
						tunnelValue(emulator.TunnelAppA, "app-a"),
					})),
				},
			},
		},
	})
}

// cfiam_mesh_nodes lists the seeded Mesh nodes (IDs written from PRODUCT.md's
// seeds) to the admin, filters by name, and, with a member's own token, lists
// only the node that member is bound to.
func TestAccMeshNodesDataSource_asProviderAndAsMember(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	token := boundMemberToken(t, baseURL, roleID(t, meshReadRole, catalog.ScopeMeshNode),
		meshBindingGroup, "com.cloudflare.api.account.warp_connector."+meshOfficeB)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(acctest.ProviderConfig(baseURL), `
data "cfiam_mesh_nodes" "all" {}
data "cfiam_mesh_nodes" "office_a" { name = "office-a" }
data "cfiam_mesh_nodes" "deleted" { is_deleted = true }
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_mesh_nodes.all", tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.AccountID)),
					statecheck.ExpectKnownValue("data.cfiam_mesh_nodes.all", tfjsonpath.New("mesh_nodes"), knownvalue.SetExact([]knownvalue.Check{
						tunnelValue(meshOfficeA, "office-a"), tunnelValue(meshOfficeB, "office-b"),
					})),
					statecheck.ExpectKnownValue("data.cfiam_mesh_nodes.office_a", tfjsonpath.New("mesh_nodes"), knownvalue.ListExact([]knownvalue.Check{
						tunnelValue(meshOfficeA, "office-a"),
					})),
					statecheck.ExpectKnownValue("data.cfiam_mesh_nodes.deleted", tfjsonpath.New("mesh_nodes"), knownvalue.ListExact(nil)),
				},
			},
			{
				// The provider configured with the member's own token.
				Config: acctest.Config(acctest.ProviderConfigWithToken(baseURL, token), `
data "cfiam_mesh_nodes" "mine" {}
data "cfiam_tunnels" "mine" {}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cfiam_mesh_nodes.mine", tfjsonpath.New("mesh_nodes"), knownvalue.ListExact([]knownvalue.Check{
						tunnelValue(meshOfficeB, "office-b"),
					})),
					statecheck.ExpectKnownValue("data.cfiam_tunnels.mine", tfjsonpath.New("tunnels"), knownvalue.ListExact(nil)),
				},
			},
		},
	})
}
