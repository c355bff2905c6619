# The Cloudflare Mesh nodes the provider's credentials may read. With a
# member's own token as api_token, only the nodes that member may read are
# listed.
data "cfiam_mesh_nodes" "all" {}

data "cfiam_mesh_nodes" "office_a" {
  name = "office-a"
}

output "mesh_node_ids_by_name" {
  value = { for n in data.cfiam_mesh_nodes.all.mesh_nodes : n.name => n.id }
}
