package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Where Cloudflare refuses to add a member as accepted (the emulator's
// default, answering as Cloudflare is reported to: 400, code 1001,
// "automatic verification of new members is not allowed"), the error sits on
// status and says to invite instead; nothing is left behind, and the
// invitation then works.
func TestAccAccountMember_directAddRefused(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	member := func(status string) string {
		return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "new" {
  email    = "newcomer@example.com"
  status   = %q
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`, status))
	}
	held := func() int {
		n := 0
		for _, m := range emu.Members(emulator.AccountID) {
			if m.Email == "newcomer@example.com" {
				n++
			}
		}
		return n
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{
				Config:      member("accepted"),
				ExpectError: regexpMust(`Cloudflare refused to add the member as accepted(.|\n)*with cfiam_account_member.new(.|\n)*status(.|\n)*automatic verification(.|\n)*Set status = "pending"`),
			},
			{
				PreConfig: func() {
					if n := held(); n != 0 {
						t.Errorf("the refused create left %d members newcomer@example.com", n)
					}
				},
				Config: member("pending"),
				Check: func(*terraform.State) error {
					if n := held(); n != 1 {
						return fmt.Errorf("the emulator holds %d members newcomer@example.com after the invitation, want 1", n)
					}
					return nil
				},
			},
		},
	})
}
