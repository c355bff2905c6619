package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// tunnelBinding is cfiam_tunnel_binding: granular permissions on chosen
// Cloudflare Tunnels (resource_binding.go does the work).
var tunnelBinding = bindingKind{
	typeSuffix: "_tunnel_binding",
	idsAttr:    "tunnel_ids",
	policy:     policy.TunnelBinding,
	groups:     iampolicy.BindingGroups,
	noun:       "Tunnel binding",
	intro: "Granular permissions on chosen Cloudflare Tunnels for one account member: resource-scoped Tunnel roles " +
		"(such as `Cloudflare Tunnel Instance Admin`) bound to a set of Tunnels. For Cloudflare Mesh nodes, see `cfiam_mesh_node_binding`.",
	roles: "Resource-scoped roles for Cloudflare Tunnel instances (scope `tunnel`), by name (any case) or ID, " +
		"such as `Cloudflare Tunnel Instance Read` or `Cloudflare Tunnel Instance Admin`. Kept as written. Account roles " +
		"(such as `Cloudflare Access`) are refused: they already cover every Tunnel of the account and belong in a " +
		"`cfiam_account_member` policy; so are Mesh node roles (`cfiam_mesh_node_binding`).",
	ids:       "Cloudflare Tunnels (UUIDs) the roles apply to, such as `cloudflare_zero_trust_tunnel_cloudflared.app.id`.",
	idMessage: "must be a Tunnel ID (a lowercase UUID)",
}

// NewTunnelBindingResource returns the cfiam_tunnel_binding resource.
func NewTunnelBindingResource() resource.Resource { return &bindingResource{kind: tunnelBinding} }
