package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// meshNodeBinding is cfiam_mesh_node_binding: granular permissions on chosen
// Cloudflare Mesh nodes (resource_binding.go does the work).
var meshNodeBinding = bindingKind{
	typeSuffix: "_mesh_node_binding",
	idsAttr:    "mesh_node_ids",
	policy:     policy.MeshNodeBinding,
	groups:     iampolicy.MeshNodeBindingGroups,
	noun:       "Mesh node binding",
	intro: "Granular permissions on chosen Cloudflare Mesh nodes (the former WARP Connectors, `/accounts/{account_id}/warp_connector` " +
		"in the API) for one account member: resource-scoped Mesh node roles (such as `Cloudflare Mesh Node Admin`) bound to a set " +
		"of Mesh nodes. It works as `cfiam_tunnel_binding` does for Tunnels.",
	roles: "Resource-scoped roles for Cloudflare Mesh nodes (scope `mesh_node`), by name (any case) or ID, such as " +
		"`Cloudflare Mesh Node Read` or `Cloudflare Mesh Node Admin`. Kept as written. Account roles (such as `Cloudflare Access`) " +
		"are refused: they already cover every Mesh node of the account and belong in a `cfiam_account_member` policy; so are " +
		"Tunnel roles (`cfiam_tunnel_binding`).",
	ids:       "Cloudflare Mesh nodes (UUIDs) the roles apply to, such as an `id` from the `cfiam_mesh_nodes` data source.",
	idMessage: "must be a Mesh node ID (a lowercase UUID)",
}

// NewMeshNodeBindingResource returns the cfiam_mesh_node_binding resource.
func NewMeshNodeBindingResource() resource.Resource { return &bindingResource{kind: meshNodeBinding} }
