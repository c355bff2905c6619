package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// The ephemeral token is created for the run with its policies and an
// expiry ttl away, and deleted when Terraform closes it. Deletes are held
// back (recorded, not forwarded) so that the test can still use the value
// afterwards and prove it does what its policies say.
func TestAccEphemeralAPIToken(t *testing.T) {
	emu := emulator.New()
	var mu sync.Mutex
	var deleted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/user/tokens/") {
			mu.Lock()
			deleted = append(deleted, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprint(w, `{"success":true,"errors":[],"messages":[],"result":{"id":"held"}}`)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	baseURL := srv.URL + "/client/v4"

	factories := acctest.ProviderFactories(nil)
	factories["echo"] = func() (tfprotov6.ProviderServer, error) { return echoprovider.NewProviderServer()() }
	config := acctest.Config(acctest.ProviderConfig(baseURL), `
ephemeral "cfiam_api_token" "t" {
  name     = "run"
  ttl      = "30m"
  policies = [{ effect = "allow", permission_groups = ["api tokens read"], user = true }]
}

provider "echo" {
  data = ephemeral.cfiam_api_token.t
}

resource "echo" "t" {}
`)
	userKey := catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID)
	tokensRead := pgID(t, "API Tokens Read", catalog.ScopeUser)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources["echo.t"].Primary.Attributes
				id, value := attrs["data.id"], attrs["data.value"]
				exp, err := time.Parse(time.RFC3339, attrs["data.expires_on"])
				if err != nil || exp.Before(time.Now().Add(25*time.Minute)) || exp.After(time.Now().Add(31*time.Minute)) {
					return fmt.Errorf("expires_on %q, want in about 30 minutes", attrs["data.expires_on"])
				}
				mu.Lock()
				closed := strings.Join(deleted, ",")
				mu.Unlock()
				if !strings.Contains(closed, id) {
					return fmt.Errorf("token %s was not deleted when Terraform closed it (deletes: %s)", id, closed)
				}
				var found bool
				for _, tok := range emu.UserTokens() {
					if tok.ID == id {
						found = true
						if got := tokenGrantsOf(tok); len(got) != 1 || got[0] != tokenGrant("allow", map[string]any{userKey: "*"}, tokensRead) {
							return fmt.Errorf("ephemeral token policies: %q", got)
						}
					}
				}
				if !found {
					return fmt.Errorf("ephemeral token %s never reached the emulator", id)
				}
				if err := expectAnswer(t, callAPI(t, baseURL, value, http.MethodGet, "/user/tokens", nil), http.StatusOK, 0, "listing tokens with the ephemeral value"); err != nil {
					return err
				}
				return expectAnswer(t, callAPI(t, baseURL, value, http.MethodGet, "/accounts/"+emulator.AccountID+"/members", nil), http.StatusForbidden, 10000, "listing members with the ephemeral value")
			},
		}},
	})
}

// Terraform drops misspelt keys inside a policy or a condition: none may
// leave a default that grants, in the ephemeral token as in the resources.
func TestAccEphemeralAPIToken_misspeltKeys(t *testing.T) {
	for name, tc := range map[string]struct{ policy, condition, error string }{
		"effect": {`{ efect = "deny", permission_groups = ["DNS Read"], zone_ids = ["` + emulator.ZoneExampleCom + `"] }`, ``,
			`attribute "effect" is required`},
		"in": {`{ effect = "allow", permission_groups = ["DNS Read"], zone_ids = ["` + emulator.ZoneExampleCom + `"] }`,
			`condition = { request_ip = { inn = ["192.0.2.0/24"] } }`, `(?s)Invalid Attribute Combination.*not_in`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expectInvalidOffline(t, fmt.Sprintf(`
ephemeral "cfiam_api_token" "t" {
  name     = "ci"
  policies = [%s]
  %s
}
`, tc.policy, tc.condition), tc.error)
		})
	}
}
