package review

import (
	"slices"
	"strings"
	"testing"
)

// A plan written by hand (the shape of `terraform show -json`): a member
// with one policy on a Tunnel and a Mesh node (a Tunnel role and a Mesh
// role), a Mesh node binding, and a Mesh node binding holding a Tunnel role.
// Each role is granted on its own kind only; the misplaced role is a finding.
const meshPlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "cfiam_account_member.dev", "mode": "managed", "type": "cfiam_account_member",
     "change": {"actions": ["create"], "before": null, "after": {
       "account_id": "f037e56e89293a057740de681ac9abbe", "email": "dev@example.com", "status": "accepted",
       "policies": [{"access": "allow", "roles": ["Cloudflare Tunnel Instance Read", "Cloudflare Mesh Node Admin"],
                     "tunnel_ids": ["f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"], "mesh_node_ids": ["3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"],
                     "zone_ids": null, "resource_group_ids": null}]}}},
    {"address": "cfiam_mesh_node_binding.office", "mode": "managed", "type": "cfiam_mesh_node_binding",
     "change": {"actions": ["create"], "before": null, "after": {
       "member_id": "0123456789abcdef0123456789abcdef", "roles": ["Cloudflare Mesh Node Read"],
       "mesh_node_ids": ["8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"]}}},
    {"address": "cfiam_mesh_node_binding.wrong", "mode": "managed", "type": "cfiam_mesh_node_binding",
     "change": {"actions": ["create"], "before": null, "after": {
       "member_id": "0123456789abcdef0123456789abcdef", "roles": ["Cloudflare Tunnel Instance Admin"],
       "mesh_node_ids": ["8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"]}}}
  ],
  "prior_state": {"values": {"root_module": {"resources": [
    {"address": "data.cfiam_mesh_nodes.all", "mode": "data", "type": "cfiam_mesh_nodes",
     "values": {"mesh_nodes": [{"id": "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f", "name": "office-a"}]}}
  ]}}}
}`

func TestReview_meshNodes(t *testing.T) {
	got, codes := reviewLines(t, meshPlan)
	want := []string{
		"grant|dev@example.com|Cloudflare Mesh Node Admin|Mesh node 3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877|cfiam_account_member.dev",
		"grant|dev@example.com|Cloudflare Tunnel Instance Read|Tunnel f70ff985-a4ef-4643-bbbc-4a0ed4fc8415|cfiam_account_member.dev",
		"grant|member 0123456789abcdef0123456789abcdef|Cloudflare Mesh Node Read|Mesh node office-a|cfiam_mesh_node_binding.office",
		"grant|member 0123456789abcdef0123456789abcdef|Cloudflare Tunnel Instance Admin|Mesh node office-a|cfiam_mesh_node_binding.wrong",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if !slices.Equal(codes, []string{"cfiam_mesh_node_binding.wrong role_applies_to_kind_not_named"}) {
		t.Errorf("findings: %v", codes)
	}
}
