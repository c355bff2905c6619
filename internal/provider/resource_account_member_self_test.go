package provider_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// A destroy that removes the membership of the user the provider's own
// credentials act as warns; another member's destroy does not.
func TestAccAccountMember_destroyOwnMembershipWarns(t *testing.T) {
	emu := emulator.New()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	baseURL := srv.URL + "/client/v4"
	// A second Super Administrator, so that the last-Super-Administrator guard
	// is not what this test sees.
	super := roleID(t, "Super Administrator - All Privileges", catalog.ScopeAccount)
	invitedAndAccepted(t, baseURL, "second@example.com",
		cfclient.NewMemberPolicy("", "allow", []string{super}, []string{emulator.AccountResourceGroupID}))
	tf := newTFCLI(t, baseURL)
	dir := filepath.Join(t.TempDir(), "self")
	writeWorkspace(t, dir, `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}

import {
  to = cfiam_account_member.me
  id = "`+emulator.AccountID+`/`+emulator.AdminEmail+`"
}

resource "cfiam_account_member" "me" {
  email    = "`+emulator.AdminEmail+`"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Super Administrator - All Privileges"] }]
}

resource "cfiam_account_member" "other" {
  email    = "other@example.com"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
`)
	tf.apply(dir)
	out, code := tf.run(dir, "plan", "-destroy", "-input=false", "-no-color", "-target=cfiam_account_member.other")
	if code != 0 || strings.Contains(out, "Removes your own membership") {
		t.Fatalf("destroying another member: exit %d, and it must not warn:\n%s", code, out)
	}
	out, code = tf.run(dir, "plan", "-destroy", "-input=false", "-no-color")
	if code != 0 || !strings.Contains(out, "Removes your own membership") || !strings.Contains(out, emulator.AdminEmail) {
		t.Fatalf("destroying the provider's own membership must warn (exit %d):\n%s", code, out)
	}
	// Leave the admin in place: forget it, destroy the rest.
	writeWorkspace(t, dir, `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}

removed {
  from = cfiam_account_member.me
  lifecycle {
    destroy = false
  }
}
`)
	tf.apply(dir)
	if _, ok := memberByEmail(emu, emulator.AdminEmail); !ok {
		t.Fatal("the admin membership is gone")
	}
}
