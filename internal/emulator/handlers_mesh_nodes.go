package emulator

import (
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Cloudflare Mesh nodes, the former WARP Connectors: /accounts/{id}/warp_connector,
// of the same shape as cfd_tunnel (cloudflare-go's zero_trust
// TunnelWARPConnector* types), listed and read. The listing returns only the
// nodes the principal may at least read, as the Tunnel listing does.

func (e *Emulator) findMeshNode(accountID, id string) *Tunnel {
	for _, t := range e.meshNodes {
		if t.AccountID == accountID && strings.EqualFold(t.ID, id) {
			return t
		}
	}
	return nil
}

// meshNodeJSON is a Mesh node as cloudflare-go's TunnelWARPConnector*Response
// types have it: a cfd_tunnel's fields but config_src and remote_config, and
// connections without is_pending_reconnect.
func meshNodeJSON(t *Tunnel) map[string]any {
	out := tunnelLikeJSON(t, "warp_connector")
	if conns, ok := out["connections"].([]map[string]any); ok {
		for _, c := range conns {
			delete(c, "is_pending_reconnect")
		}
	}
	return out
}

func listMeshNodes(e *Emulator, c *call) (any, *resultInfo, error) {
	canRead, _ := e.kindAccess(c, catalog.ScopeMeshNode)
	return listTunnelLike(c, e.meshNodes, canRead, meshNodeJSON)
}

// getMeshNode reads one Mesh node: 404 when missing, 403 when the principal
// may not read it.
func getMeshNode(e *Emulator, c *call) (any, *resultInfo, error) {
	t := e.findMeshNode(c.param("account_id"), c.param("tunnel_id"))
	if t == nil {
		return nil, nil, errNotFound("Mesh node")
	}
	if canRead, _ := e.kindAccess(c, catalog.ScopeMeshNode); !canRead(t.ID) {
		return nil, nil, errForbidden()
	}
	return meshNodeJSON(t), nil, nil
}
