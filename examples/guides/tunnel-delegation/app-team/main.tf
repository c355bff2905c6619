# Application team workspace: access to the team's own Tunnel and Mesh node,
# for members the platform team manages. Each binding adds one policy to its member and owns
# only that policy.
terraform {
  required_providers {
    cfiam = {
      source = "cfiam/cfiam"
    }
  }
}

# Credentials and account from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID:
# credentials that may edit members (Account Settings Edit).
provider "cfiam" {}

variable "tunnel_id" {
  description = "The team's Tunnel; in practice cloudflare_zero_trust_tunnel_cloudflared.app.id."
  type        = string
  default     = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415" # app-a in the emulator
}

variable "mesh_node_id" {
  description = "The team's Cloudflare Mesh node (a former WARP Connector); in practice an id from data.cfiam_mesh_nodes."
  type        = string
  default     = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f" # office-a in the emulator
}

data "cfiam_account_member" "alice" {
  email = "alice@example.com"
}

data "cfiam_account_member" "bob" {
  email = "bob@example.com"
}

# The team lead administers the Tunnel (configuration, routes, deletion)...
resource "cfiam_tunnel_binding" "lead" {
  member_id  = data.cfiam_account_member.alice.id
  roles      = ["Cloudflare Tunnel Instance Admin"]
  tunnel_ids = [var.tunnel_id]
}

# ...and the on-call engineer may read it.
resource "cfiam_tunnel_binding" "on_call" {
  member_id  = data.cfiam_account_member.bob.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [var.tunnel_id]
}

# The team lead also administers the team's Mesh node: the same kind of
# binding, for Mesh nodes.
resource "cfiam_mesh_node_binding" "lead" {
  member_id     = data.cfiam_account_member.alice.id
  roles         = ["Cloudflare Mesh Node Admin"]
  mesh_node_ids = [var.mesh_node_id]
}

# What each of them can reach now, and why.
data "cfiam_effective_access" "alice" {
  member_id  = data.cfiam_account_member.alice.id
  depends_on = [cfiam_tunnel_binding.lead, cfiam_mesh_node_binding.lead]
}

data "cfiam_effective_access" "bob" {
  member_id  = data.cfiam_account_member.bob.id
  depends_on = [cfiam_tunnel_binding.on_call]
}

output "tunnel_access" {
  value = {
    alice = { for t in data.cfiam_effective_access.alice.tunnels : t.name => t.access }
    bob   = { for t in data.cfiam_effective_access.bob.tunnels : t.name => t.access }
  }
}

output "mesh_node_access" {
  value = {
    alice = { for n in data.cfiam_effective_access.alice.mesh_nodes : n.name => n.access }
    bob   = { for n in data.cfiam_effective_access.bob.mesh_nodes : n.name => n.access }
  }
}
