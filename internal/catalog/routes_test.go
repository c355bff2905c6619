package catalog

import "testing"

// The expectations are the route comments of operations.go, written out.
func TestOperationOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, path string
		want         Operation
	}{
		{"GET", "/accounts", OpAccountRead},
		{"PUT", "/accounts/{account_id}", OpAccountWrite},
		{"GET", "/client/v4/accounts/f037e56e89293a057740de681ac9abbe/members?page=2&per_page=50", OpMembersRead},
		{"PUT", "https://api.cloudflare.com/client/v4/accounts/abc/members/def", OpMembersWrite},
		{"DELETE", "/accounts/abc/members/def", OpMembersWrite},
		{"GET", "/accounts/abc/roles/def", OpRolesRead},
		{"GET", "/accounts/abc/iam/permission_groups", OpIAMRead},
		{"POST", "/accounts/abc/iam/resource_groups", OpResourceGroupsWrite},
		{"GET", "/accounts/abc/iam/user_groups/g/members", OpMembersRead},
		{"POST", "/accounts/abc/iam/user_groups/g/members", OpMembersWrite},
		{"GET", "/accounts/abc/tokens/permission_groups", OpAccountTokensRead},
		{"PUT", "/accounts/abc/tokens/t/value", OpAccountTokensWrite},
		{"GET", "/zones/z", OpZonesRead},
		{"PATCH", "/zones/z", OpZonesWrite},
		{"GET", "/accounts/abc/cfd_tunnel", OpTunnelsRead},
		{"DELETE", "/accounts/abc/cfd_tunnel/x", OpTunnelsWrite},
		{"GET", "/accounts/abc/warp_connector/x", Operation("mesh_nodes.read")},
		{"PATCH", "/accounts/abc/teamnet/routes/network/10.0.0.0%2F8", OpRoutesWrite},
		{"GET", "/user", OpUserRead},
		{"PATCH", "/user", OpUserWrite},
		{"GET", "/user/tokens/permission_groups", OpTokensRead},
		{"POST", "/user/tokens", OpTokensWrite},
	} {
		if got, ok := OperationOf(tc.method, tc.path); !ok || got != tc.want {
			t.Errorf("OperationOf(%s %s) = %q, %v; want %q", tc.method, tc.path, got, ok, tc.want)
		}
	}
	for _, tc := range [][2]string{
		{"GET", "/user/tokens/verify"},
		{"GET", "/accounts/abc/tokens/verify"},
		{"PUT", "/accounts/abc/roles/r"},
		{"POST", "/accounts/abc/warp_connector"},
		{"GET", "/accounts/abc/workers/scripts"},
		{"GET", "/memberships"},
	} {
		if got, ok := OperationOf(tc[0], tc[1]); ok {
			t.Errorf("OperationOf(%s %s) = %q, want none", tc[0], tc[1], got)
		}
	}
}

// The groups are the reference's (api-token-permission-groups.md), as in
// tokenOperationGroups' comment, written out.
func TestNeededPermissionGroups(t *testing.T) {
	t.Parallel()
	for op, want := range map[Operation]string{ //nolint:gosec // G101: permission group names, not credentials
		OpMembersWrite: `"Account Settings Edit" on the account`,
		OpRolesRead:    `"Account Settings Read" or "Account Settings Edit" on the account`,
		OpTokensWrite:  `"API Tokens Edit" on the user`,
		OpTunnelsRead:  `"Cloudflare Tunnel Read" or "Cloudflare Tunnel Edit" on the account`,
	} {
		if got := NeededPermissionGroups(op); got != want {
			t.Errorf("NeededPermissionGroups(%s) = %s, want %s", op, got, want)
		}
	}
	if got := OpMembersWrite.Describe(); got != "writing account members and user groups" {
		t.Errorf("Describe = %q", got)
	}
}
