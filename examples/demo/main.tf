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

# The emulator's seeded zones, Tunnels and Cloudflare Mesh nodes. With the
# official cloudflare provider the first two would be cloudflare_zone.x.id
# and cloudflare_zero_trust_tunnel_cloudflared.x.id; Mesh node IDs come from
# data.cfiam_mesh_nodes.
variable "zone_ids" {
  type = map(string)
  default = {
    "example.com" = "023e105f4ecef8ad9ca31a8372d0c353"
    "example.org" = "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
  }
}

variable "tunnel_ids" {
  type = map(string)
  default = {
    "app-a" = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
    "app-b" = "2d5a8c1e-7b3f-4e9a-8c6d-1f0e2b3a4c5d"
  }
}

variable "mesh_node_ids" {
  type = map(string)
  default = {
    "office-a" = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"
    "office-b" = "3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"
  }
}

# One member per scope, and one across all of them. Each policy holds roles of
# the kinds it names: account-wide (no zone_ids / tunnel_ids / mesh_node_ids),
# on zones, on Tunnels and Mesh nodes (one policy may name both: each role
# applies to its own kind).
resource "cfiam_account_member" "auditor" {
  email    = "auditor@example.com"
  policies = [{ access = "allow", roles = ["Administrator Read Only", "Audit Logs Viewer"] }]
}

resource "cfiam_account_member" "dns_team" {
  email = "dns-team@example.com"
  policies = [{
    access   = "allow"
    roles    = ["Domain DNS", "Cache Domain Purge"]
    zone_ids = values(var.zone_ids)
  }]
}

resource "cfiam_account_member" "app_a_operator" {
  email  = "app-a@example.com"
  status = "accepted" # added directly, so that its access shows below: `make demo` runs the emulator as an account that allows it (EMULATOR_ALLOW_DIRECT_ADD=1)
  policies = [{
    access        = "allow"
    roles         = ["Cloudflare Tunnel Instance Admin", "Cloudflare Mesh Node Read"]
    tunnel_ids    = [var.tunnel_ids["app-a"]]
    mesh_node_ids = [var.mesh_node_ids["office-a"]]
  }]
}

resource "cfiam_account_member" "platform" {
  email = "platform@example.com"
  policies = [
    { access = "allow", roles = ["Cloudflare Zero Trust Read Only"] },
    { access = "allow", roles = ["Domain Administrator"], zone_ids = [var.zone_ids["example.com"]] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = values(var.tunnel_ids) },
    { access = "deny", roles = ["Domain DNS"], zone_ids = [var.zone_ids["example.org"]] },
  ]
}

# A user group: every member of it holds its policies, which take a member's
# shape and checks. Its members are listed authoritatively here;
# cfiam_user_group_membership adds one member without touching the others.
resource "cfiam_user_group" "tunnel_ops" {
  name = "tunnel-ops"
  policies = [
    { access = "allow", roles = ["Cloudflare Access"] },
    { access = "deny", roles = ["Cloudflare Tunnel Instance Admin"], tunnel_ids = [var.tunnel_ids["app-b"]] },
  ]
}

resource "cfiam_user_group_members" "tunnel_ops" {
  user_group_id = cfiam_user_group.tunnel_ops.id
  member_ids    = [cfiam_account_member.app_a_operator.id, cfiam_account_member.platform.id]
}

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

# An application team's grant, additive to the member's own policies: the
# app-a operator also administers the office-a Mesh node.
resource "cfiam_mesh_node_binding" "app_a_office" {
  member_id     = cfiam_account_member.app_a_operator.id
  roles         = ["Cloudflare Mesh Node Admin"]
  mesh_node_ids = [var.mesh_node_ids["office-a"]]
}

data "cfiam_mesh_nodes" "all" {}

# Read once the binding and the group membership are written: what the member
# holds through them is part of the answer.
data "cfiam_effective_access" "app_a_operator" {
  member_id  = cfiam_account_member.app_a_operator.id
  depends_on = [cfiam_mesh_node_binding.app_a_office, cfiam_user_group_members.tunnel_ops]
}

output "mesh_nodes" {
  value = { for n in data.cfiam_mesh_nodes.all.mesh_nodes : n.name => n.id }
}

# app-a and office-a through the member's own policy and binding; office-b
# through the tunnel-ops group's "Cloudflare Access", which covers every Mesh
# node as it covers every Tunnel; app-b is denied by that group.
output "app_a_operator_access" {
  value = {
    tunnels    = { for t in data.cfiam_effective_access.app_a_operator.tunnels : t.name => t.access }
    mesh_nodes = { for n in data.cfiam_effective_access.app_a_operator.mesh_nodes : n.name => n.access }
  }
}

output "members" {
  value = {
    for m in [cfiam_account_member.auditor, cfiam_account_member.dns_team, cfiam_account_member.app_a_operator, cfiam_account_member.platform] :
    m.email => { id = m.id, status = m.status, policies = [for p in m.resolved_policies : "${p.access} ${p.scope}: ${length(p.role_ids)} role(s)"] }
  }
}

output "user_group" {
  value = {
    name     = cfiam_user_group.tunnel_ops.name
    policies = [for p in cfiam_user_group.tunnel_ops.resolved_policies : "${p.access} ${p.scope}: ${length(p.role_ids)} role(s)"]
    members  = [for id in cfiam_user_group_members.tunnel_ops.member_ids : one([for m in [cfiam_account_member.app_a_operator, cfiam_account_member.platform] : m.email if m.id == id])]
  }
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
