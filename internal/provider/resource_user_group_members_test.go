package provider_test

import (
	"fmt"
	"regexp"
	"slices"
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

// outsideMember adds an accepted member with Analytics, outside Terraform:
// invited, then accepting.
func outsideMember(t *testing.T, baseURL, email string) string {
	t.Helper()
	return invitedAndAccepted(t, baseURL, email,
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID}))
}

// groupMembersAre checks, in the emulator, that the group holds exactly ids.
func groupMembersAre(emu *emulator.Emulator, groupID string, ids ...*string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, ok := emu.UserGroup(emulator.AccountID, groupID)
		if !ok {
			return fmt.Errorf("the emulator has no user group %s", groupID)
		}
		var got, want []string
		for _, m := range g.Members {
			got = append(got, m.MemberID)
		}
		for _, id := range ids {
			want = append(want, *id)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("members of group %s in the emulator: %q, want %q", groupID, got, want)
		}
		return nil
	}
}

func TestAccUserGroupMembers_lifecycle(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	alice, bob, carol := outsideMember(t, baseURL, "alice@example.com"), outsideMember(t, baseURL, "bob@example.com"), outsideMember(t, baseURL, "carol@example.com")
	group := outsideGroup(t, api, "platform", "Administrator Read Only")
	config := func(ids ...string) string {
		quoted := make([]string, len(ids))
		for i, id := range ids {
			quoted[i] = fmt.Sprintf("%q", id)
		}
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_user_group_members" "m" {
  user_group_id = %q
  member_ids    = [%s]
}
`, group, strings.Join(quoted, ", ")))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		CheckDestroy:             groupMembersAre(emu, group),
		Steps: []resource.TestStep{
			{Config: config(alice, bob), Check: groupMembersAre(emu, group, &alice, &bob)},
			{Config: config(alice, bob), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				Config: config(bob, carol),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group_members.m", plancheck.ResourceActionUpdate)}},
				Check: groupMembersAre(emu, group, &bob, &carol),
			},
			{ResourceName: "cfiam_user_group_members.m", ImportState: true, ImportStateVerify: true, ImportStateId: emulator.AccountID + "/" + group},
			{
				// A member added outside Terraform is drift, removed on apply.
				PreConfig: func() {
					if _, err := api.AddUserGroupMembers(t.Context(), emulator.AccountID, group, []string{alice}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(bob, carol),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group_members.m", plancheck.ResourceActionUpdate)}},
				Check: groupMembersAre(emu, group, &bob, &carol),
			},
		},
	})
}

func TestAccUserGroupMembership_additive(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	owner, dev := outsideMember(t, baseURL, "owner@example.com"), outsideMember(t, baseURL, "dev@example.com")
	group := outsideGroup(t, api, "platform", "Administrator Read Only", owner)
	config := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_user_group_membership" "dev" {
  user_group_id = %q
  member_id     = %q
}
`, group, dev))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		// The group's other member stays.
		CheckDestroy: groupMembersAre(emu, group, &owner),
		Steps: []resource.TestStep{
			{Config: config, Check: groupMembersAre(emu, group, &owner, &dev)},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{ResourceName: "cfiam_user_group_membership.dev", ImportState: true, ImportStateVerify: true,
				ImportStateId: emulator.AccountID + "/" + group + "/" + dev},
			{
				// Removed outside Terraform: the plan adds it again, and the other member stays.
				PreConfig: func() {
					if err := api.RemoveUserGroupMember(t.Context(), emulator.AccountID, group, dev); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group_membership.dev", plancheck.ResourceActionCreate)}},
				Check: groupMembersAre(emu, group, &owner, &dev),
			},
		},
	})
}

// A group deleted outside Terraform takes its memberships with it (as
// Cloudflare does): the membership reads as gone, the plan adds it again,
// and the apply fails at once, naming the group, with nothing written.
func TestAccUserGroupMembership_groupDeleted(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	owner, dev := outsideMember(t, baseURL, "owner@example.com"), outsideMember(t, baseURL, "dev@example.com")
	group := outsideGroup(t, api, "platform", "Administrator Read Only", owner)
	provider := acctest.ProviderConfig(baseURL)
	config := acctest.Config(provider, fmt.Sprintf(`
resource "cfiam_user_group_membership" "dev" {
  user_group_id = %q
  member_id     = %q
}
`, group, dev))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: config, Check: groupMembersAre(emu, group, &owner, &dev)},
			{
				PreConfig: func() {
					if err := api.DeleteUserGroup(t.Context(), emulator.AccountID, group); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cfiam_user_group_membership.dev", plancheck.ResourceActionCreate)}},
				ExpectError: regexp.MustCompile(`(?s)user group ` + group + `.*not found`),
			},
			{
				Config: provider,
				Check: func(*terraform.State) error {
					if _, ok := emu.UserGroup(emulator.AccountID, group); ok {
						return fmt.Errorf("the deleted group %s is back", group)
					}
					return nil
				},
			},
		},
	})
}
