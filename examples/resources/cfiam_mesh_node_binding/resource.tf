# Let one member administer the office-a Mesh node, and read office-b, without
# any account role that covers every Mesh node. The member itself may be
# managed elsewhere (another workspace, or the dashboard); the binding adds its
# own policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_mesh_node_binding" "alice_office_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Mesh Node Admin"]
  # In practice: an id from data.cfiam_mesh_nodes
  mesh_node_ids = ["8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"]
}

resource "cfiam_mesh_node_binding" "alice_office_b" {
  member_id     = data.cfiam_account_member.alice.id
  roles         = ["Cloudflare Mesh Node Read"]
  mesh_node_ids = ["3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"]
}
