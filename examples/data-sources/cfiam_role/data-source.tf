# A role by name. Its scope (account, zone or tunnel) comes from the catalog.
data "cfiam_role" "access" {
  name = "Cloudflare Access"
}

# `scope` is optional: set it to fail the plan if the role is not of that scope.
data "cfiam_role" "tunnel_admin" {
  name  = "Cloudflare Tunnel Instance Admin"
  scope = "tunnel"
}

output "cloudflare_access_role_id" {
  value = data.cfiam_role.access.id
}
