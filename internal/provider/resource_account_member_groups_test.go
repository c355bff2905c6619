package provider_test

// Regression tests for two resource-group bugs the reliability tests found.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// A 5xx answer to POST /iam/resource_groups leaves its outcome unknown: the
// provider reads back and the member is still created, with exactly one
// group. Mode "before" answers 500 without creating; "after" creates, then
// answers 500.
func TestAccAccountMember_resourceGroupPost5xx(t *testing.T) {
	for _, mode := range []string{"before", "after"} {
		t.Run(mode, func(t *testing.T) {
			emu := emulator.New()
			emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
			var once sync.Once
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hit := false
				if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/iam/resource_groups") {
					once.Do(func() { hit = true })
				}
				if !hit {
					emu.ServeHTTP(w, r)
					return
				}
				if mode == "after" {
					emu.ServeHTTP(httptest.NewRecorder(), r)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = fmt.Fprint(w, `{"success":false,"errors":[{"code":10001,"message":"injected"}],"messages":[],"result":null}`)
			}))
			defer srv.Close()
			base := srv.URL + "/client/v4"
			cfg := acctest.Config(strings.Replace(acctest.ProviderConfig(base), "max_retries = 0", "max_retries = 3\n  retry_max_wait = \"1s\"", 1), fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "dev@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q] }]
}
`, emulator.ZoneExampleCom))
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
				Steps: []resource.TestStep{{Config: cfg, Check: func(*terraform.State) error {
					n := 0
					for _, g := range emu.ResourceGroups(emulator.AccountID) {
						if g.Name == catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom) {
							n++
						}
					}
					if n != 1 {
						return fmt.Errorf("%d groups for example.com, want 1", n)
					}
					return nil
				}}},
			})
		})
	}
}

// Members created in parallel, each needing the same zone's group while none
// exists, share one group: the look-up-then-create is atomic per account. The
// group listing is slowed so that, without that, every member would list
// before any creates.
func TestAccAccountMember_parallelMembersShareGroups(t *testing.T) {
	emu := emulator.New()
	emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/iam/resource_groups") {
			time.Sleep(300 * time.Millisecond)
		}
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var b strings.Builder
	b.WriteString(acctest.ProviderConfig(srv.URL + "/client/v4"))
	for i := range 3 {
		fmt.Fprintf(&b, `
resource "cfiam_account_member" "m%d" {
  email    = "m%d@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q] }]
}
`, i, i, emulator.ZoneExampleCom)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{{Config: b.String(), Check: func(*terraform.State) error {
			n := 0
			for _, g := range emu.ResourceGroups(emulator.AccountID) {
				if g.Name == catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom) {
					n++
				}
			}
			if n != 1 {
				return fmt.Errorf("%d resource groups named for example.com, want 1", n)
			}
			return nil
		}}},
	})
}
