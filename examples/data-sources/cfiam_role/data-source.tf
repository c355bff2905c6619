# A role by name. Its scope (account, zone or tunnel) comes from the catalog.
data "cfiam_role" "access" {
  name = "Cloudflare Access"
}

# A name that exists in more than one scope needs `scope`.
data "cfiam_role" "tunnel_admin" {
  name  = "Cloudflare Tunnel Instance Admin"
  scope = "tunnel"
}

output "cloudflare_access_role_id" {
  value = data.cfiam_role.access.id
}
