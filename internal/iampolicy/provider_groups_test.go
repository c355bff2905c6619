package iampolicy_test

import (
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

// Names and keys written by hand: the resource key forms of PRODUCT.md.
func TestIsProviderGroup(t *testing.T) {
	t.Parallel()
	const (
		zone   = "com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353"
		zone2  = "com.cloudflare.api.account.zone.7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
		tunnel = "com.cloudflare.api.account.cfd_tunnel.f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
		acct   = "com.cloudflare.api.account.f037e56e89293a057740de681ac9abbe"
	)
	for _, tc := range []struct {
		name string
		keys []string
		want bool
	}{
		{zone, []string{zone}, true},     // a member policy's group for one zone
		{tunnel, []string{tunnel}, true}, // for one Tunnel
		{"cfiam-tunnel-binding:" + tunnel, []string{tunnel}, true},
		{"cfiam-mesh-node-binding:whatever", []string{tunnel}, true},
		{"Account", []string{acct}, true}, // the account-wide group, whatever its name
		{"web zones", []string{zone, zone2}, false},
		{"one zone", []string{zone}, false}, // named by the user
		{zone, []string{zone2}, false},      // named after another object
		{"empty", nil, false},
	} {
		if got := iampolicy.IsProviderGroup(tc.name, tc.keys); got != tc.want {
			t.Errorf("IsProviderGroup(%q, %v) = %v, want %v", tc.name, tc.keys, got, tc.want)
		}
	}
}
