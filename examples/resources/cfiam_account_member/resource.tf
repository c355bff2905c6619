# One member with a policy at each scope. In practice the zone and Tunnel IDs
# often come from the cloudflare provider, such as cloudflare_zone.example.id
# or cloudflare_zero_trust_tunnel_cloudflared.app_a.id.
resource "cfiam_account_member" "alice" {
  email = "alice@example.com"
  policies = [
    # Account-wide (neither zone_ids nor tunnel_ids): account-scoped roles.
    { access = "allow", roles = ["Administrator Read Only", "Cloudflare Access"] },
    # On chosen zones: domain-scoped roles.
    {
      access = "allow"
      roles  = ["Domain DNS", "Domain Page Shield"]
      zone_ids = [
        "023e105f4ecef8ad9ca31a8372d0c353", # example.com
        "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c", # example.org
      ]
    },
    # On chosen Cloudflare Tunnels: resource-scoped Tunnel roles.
    {
      access = "allow"
      roles  = ["Cloudflare Tunnel Instance Read"]
      tunnel_ids = [
        "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415", # app-a
        "2d5a8c1e-7b3f-4e9a-8c6d-1f0e2b3a4c5d", # app-b
      ]
    },
  ]
}

# An application team's operator: admin of its own Tunnel only, and an
# explicit deny of DNS on one zone. Roles may be named (any case) or given by ID.
resource "cfiam_account_member" "app_a_operator" {
  email  = "ops@example.com"
  status = "pending" # the default: an invitation
  policies = [
    {
      access     = "allow"
      roles      = ["Cloudflare Tunnel Instance Admin"]
      tunnel_ids = ["f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"]
    },
    {
      access   = "deny"
      roles    = ["Domain DNS"]
      zone_ids = ["023e105f4ecef8ad9ca31a8372d0c353"]
    },
  ]
}

# A named, reusable scope that several members' policies can share.
resource "cfiam_resource_group" "web_zones" {
  name     = "Web zones"
  zone_ids = ["023e105f4ecef8ad9ca31a8372d0c353", "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"]
}

resource "cfiam_account_member" "web_team" {
  email = "web@example.com"
  policies = [
    { access = "allow", roles = ["Domain Administrator Read Only"], resource_group_ids = [cfiam_resource_group.web_zones.id] },
  ]
}
