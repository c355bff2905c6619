# A scope of zones, shared by the member policies of the teams that run them.
# In practice the IDs often come from the cloudflare provider, such as
# cloudflare_zone.example.id.
resource "cfiam_resource_group" "web_zones" {
  name = "Web zones"
  zone_ids = [
    "023e105f4ecef8ad9ca31a8372d0c353", # example.com
    "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c", # example.org
  ]
}

# A scope of Cloudflare Tunnels, for resource-scoped Tunnel roles; such as
# cloudflare_zero_trust_tunnel_cloudflared.app_a.id.
resource "cfiam_resource_group" "app_a_tunnels" {
  name       = "app-a Tunnels"
  tunnel_ids = ["f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"]
}

output "web_zones_resource_group_id" {
  value = cfiam_resource_group.web_zones.id
}
