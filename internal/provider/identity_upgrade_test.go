package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
	"github.com/cfiam/terraform-provider-cfiam/internal/sharedtools"
)

// A user upgrading Terraform: resources applied with Terraform 1.11 (which
// stores no identity), then `terraform apply -refresh-only` with 1.15.
// Every resource's identity is in the state after it: the refresh fills in
// what the older CLI did not store (issue 27, item 4), members included.
func TestAccIdentity_filledInOnUpgradeFrom1_11(t *testing.T) {
	t.Parallel()
	newer := sharedtools.CLI(t, "terraform-1.15.9")
	_, baseURL := acctest.NewEmulator(t)
	tf := newTFCLI(t, baseURL)
	if out, _ := tf.run(".", "version"); !strings.Contains(out, "Terraform v1.11.") {
		t.Skipf("the terraform on PATH is not 1.11 (%s): the state would hold identities from the start", strings.SplitN(out, "\n", 2)[0])
	}
	dir := t.TempDir()
	writeWorkspace(t, dir, cfiamRequirement+`
resource "cfiam_account_member" "m" {
  email    = "upgrade@example.com"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
resource "cfiam_user_group" "g" {
  name     = "upgrade"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
resource "cfiam_user_group_members" "gm" {
  user_group_id = cfiam_user_group.g.id
  member_ids    = [cfiam_account_member.m.id]
}
resource "cfiam_resource_group" "rg" {
  name     = "upgrade"
  zone_ids = ["`+emulator.ZoneExampleCom+`"]
}
resource "cfiam_tunnel_binding" "b" {
  member_id  = cfiam_account_member.m.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = ["`+emulator.TunnelAppA+`"]
}
`)
	tf.apply(dir)
	tf.terraform = newer
	tf.apply(dir, "-refresh-only")
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")) //nolint:gosec // G304: the test's own workspace
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Identity map[string]any `json:"identity"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	if len(state.Resources) != 5 {
		t.Fatalf("the state holds %d resources, want 5", len(state.Resources))
	}
	for _, r := range state.Resources {
		for _, in := range r.Instances {
			if in.Identity["account_id"] != emulator.AccountID {
				t.Errorf("%s: identity %v after the refresh with Terraform 1.15, want one in account %s", r.Type, in.Identity, emulator.AccountID)
			}
		}
	}
}
