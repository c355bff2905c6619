# The demo that `make demo` applies against the local emulator. Credentials and
# the emulator's address come from CLOUDFLARE_API_TOKEN, CLOUDFLARE_BASE_URL
# and CLOUDFLARE_ACCOUNT_ID, which `make demo` sets.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

provider "cfiam" {}

# Roles by name: the role's ID and scope come from the account's live catalog.
data "cfiam_role" "access" {
  name = "Cloudflare Access"
}

data "cfiam_role" "domain_dns" {
  name = "Domain DNS"
}

data "cfiam_role" "tunnel_read" {
  name = "Cloudflare Tunnel Instance Read"
}

# "Logs Read" exists at account and zone scope: the scope picks one.
data "cfiam_permission_group" "zone_logs_read" {
  name  = "Logs Read"
  scope = "zone"
}

data "cfiam_permission_group" "dns_write" {
  name  = "DNS Write"
  scope = "zone"
}

data "cfiam_roles" "domain" {
  scope = "zone"
}

data "cfiam_permission_groups" "user" {
  scope = "user"
}

output "roles" {
  value = {
    for r in [data.cfiam_role.access, data.cfiam_role.domain_dns, data.cfiam_role.tunnel_read] :
    r.name => { id = r.id, scope = r.scope }
  }
}

output "permission_groups" {
  value = {
    "Logs Read (zone)" = data.cfiam_permission_group.zone_logs_read.id
    "DNS Write (zone)" = data.cfiam_permission_group.dns_write.id
  }
}

output "domain_roles" {
  value = sort([for r in data.cfiam_roles.domain.roles : r.name])
}

output "user_permission_groups" {
  value = sort([for g in data.cfiam_permission_groups.user.permission_groups : g.name])
}
