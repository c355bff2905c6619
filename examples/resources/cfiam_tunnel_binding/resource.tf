# Let one member administer the app-a Tunnel, and read app-b, without any
# account role that covers every Tunnel. The member itself may be managed
# elsewhere (another workspace, or the dashboard); the binding adds its own
# policy and never touches the member's other policies.
data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

resource "cfiam_tunnel_binding" "alice_app_a" {
  member_id = data.cfiam_account_member.alice.id
  roles     = ["Cloudflare Tunnel Instance Admin"]
  # In practice: cloudflare_zero_trust_tunnel_cloudflared.app_a.id
  tunnel_ids = ["f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"]
}

resource "cfiam_tunnel_binding" "alice_app_b" {
  member_id  = data.cfiam_account_member.alice.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = ["2d5a8c1e-7b3f-4e9a-8c6d-1f0e2b3a4c5d"]
}
