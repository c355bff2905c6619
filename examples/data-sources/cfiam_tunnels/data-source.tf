# The Tunnels the provider's credentials may read. With a member's own token
# as api_token, only the Tunnels that member may read are listed.
data "cfiam_tunnels" "all" {}

data "cfiam_tunnels" "app_a" {
  name = "app-a"
}

output "tunnel_ids_by_name" {
  value = { for t in data.cfiam_tunnels.all.tunnels : t.name => t.id }
}
