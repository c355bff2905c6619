package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// refusingDirectAdd answers a member create with status "accepted" as
// Cloudflare has been reported to for accounts that may not add members
// without an invitation (1001, "automatic verification of new members is
// not allowed"); every other request reaches the emulator. The emulator
// itself follows the API contract, which allows the status.
type refusingDirectAdd struct{ next http.Handler }

func (h refusingDirectAdd) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/members") {
		body, _ := io.ReadAll(r.Body)
		var in struct {
			Status string `json:"status"`
		}
		if json.Unmarshal(body, &in) == nil && in.Status == "accepted" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"result":[],"success":false,"errors":[{"code":1001,"message":"Invalid request: automatic verification of new members is not allowed"}],"messages":[]}`))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	h.next.ServeHTTP(w, r)
}

// Where Cloudflare refuses to add a member as accepted, the error sits on
// status and says to invite instead; nothing is left behind, and the
// invitation then works.
func TestAccAccountMember_directAddRefused(t *testing.T) {
	t.Parallel()
	emu := emulator.New()
	srv := httptest.NewServer(refusingDirectAdd{emu})
	t.Cleanup(srv.Close)
	baseURL := srv.URL + "/client/v4"
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
