package emulator

import (
	"encoding/base64"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func (e *Emulator) findTunnel(accountID, id string) *Tunnel {
	for _, t := range e.tunnels {
		if t.AccountID == accountID && strings.EqualFold(t.ID, id) {
			return t
		}
	}
	return nil
}

func tunnelJSON(t *Tunnel) map[string]any {
	out := tunnelLikeJSON(t, "cfd_tunnel")
	out["config_src"], out["remote_config"] = t.ConfigSrc, t.ConfigSrc == "cloudflare"
	return out
}

// tunnelLikeJSON is what cfd_tunnel and warp_connector tunnels (Mesh nodes)
// share, as cloudflare-go's zero_trust types read them.
func tunnelLikeJSON(t *Tunnel, tunType string) map[string]any {
	conns := make([]map[string]any, 0, len(t.Connections))
	for _, c := range t.Connections {
		conns = append(conns, map[string]any{"id": c.ID, "uuid": c.ID, "client_id": c.ClientID, "client_version": c.ClientVersion,
			"colo_name": c.ColoName, "is_pending_reconnect": false, "opened_at": ts(c.OpenedAt), "origin_ip": c.OriginIP})
	}
	out := map[string]any{
		"id": t.ID, "account_tag": t.AccountID, "name": t.Name, "created_at": ts(t.CreatedAt),
		"status": t.Status, "tun_type": tunType, "connections": conns, "metadata": map[string]any{},
	}
	if len(t.Connections) > 0 {
		out["conns_active_at"] = ts(t.Connections[0].OpenedAt)
	}
	if t.DeletedAt != nil {
		out["deleted_at"] = ts(*t.DeletedAt)
	}
	return out
}

// readableTunnel finds a Tunnel the principal may read (404 when missing, 403 when hidden).
func (e *Emulator) readableTunnel(c *call) (*Tunnel, error) {
	t := e.findTunnel(c.param("account_id"), c.param("tunnel_id"))
	if t == nil {
		return nil, errNotFound("Tunnel")
	}
	if canRead, _ := e.tunnelAccess(c); !canRead(t.ID) {
		return nil, errForbidden()
	}
	return t, nil
}

func (e *Emulator) writableTunnel(c *call) (*Tunnel, error) {
	t, err := e.readableTunnel(c)
	if err != nil {
		return nil, err
	}
	if _, canWrite := e.tunnelAccess(c); !canWrite(t.ID) {
		return nil, errForbidden()
	}
	if t.DeletedAt != nil {
		return nil, errValidation("Tunnel %s has been deleted", t.ID)
	}
	return t, nil
}

func listTunnels(e *Emulator, c *call) (any, *resultInfo, error) {
	canRead, _ := e.tunnelAccess(c)
	return listTunnelLike(c, e.tunnels, canRead, tunnelJSON)
}

// listTunnelLike lists Tunnels or Mesh nodes with the filters both listings
// take, and only those the principal may read (the listing is
// authorization-aware).
func listTunnelLike(c *call, list []*Tunnel, canRead func(string) bool, render func(*Tunnel) map[string]any) (any, *resultInfo, error) {
	q := c.query
	isDeleted, deletedSet, err := queryBool(q, "is_deleted")
	if err != nil {
		return nil, nil, err
	}
	status := q.Get("status")
	switch status {
	case "", "inactive", "degraded", "healthy", "down":
	default:
		return nil, nil, errValidation("status must be inactive, degraded, healthy or down")
	}
	var existedAt *time.Time
	if s := q.Get("existed_at"); s != "" {
		if existedAt, err = parseTime("existed_at", &s); err != nil {
			return nil, nil, err
		}
	}
	name, uuid, incl, excl := q.Get("name"), q.Get("uuid"), q.Get("include_prefix"), q.Get("exclude_prefix")
	var out []map[string]any
	for _, t := range list {
		if t.AccountID != c.param("account_id") || !canRead(t.ID) {
			continue
		}
		// As the API documents: is_deleted=true lists only deleted Tunnels,
		// false only live ones, and no filter lists both.
		if deletedSet && isDeleted != (t.DeletedAt != nil) {
			continue
		}
		if name != "" && t.Name != name || uuid != "" && !strings.EqualFold(t.ID, uuid) || status != "" && t.Status != status ||
			incl != "" && !strings.HasPrefix(t.Name, incl) || excl != "" && strings.HasPrefix(t.Name, excl) {
			continue
		}
		if existedAt != nil && (t.CreatedAt.After(*existedAt) || t.DeletedAt != nil && t.DeletedAt.Before(*existedAt)) {
			continue
		}
		out = append(out, render(t))
	}
	return paginateAny(c, out, 1, 1000)
}

func checkTunnelSecret(s *string) error {
	if s == nil {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(*s)
	if err != nil || len(b) < 32 {
		return errValidation("tunnel_secret must be base64 of at least 32 bytes")
	}
	return nil
}

func createTunnel(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		Name         string  `json:"name"`
		ConfigSrc    string  `json:"config_src"`
		TunnelSecret *string `json:"tunnel_secret"`
	}
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	if !e.allowsAccount(c.p, catalog.OpTunnelsWrite, acct) {
		return nil, nil, errForbidden() // creating a Tunnel needs edit access to every Tunnel
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, nil, errValidation("name is required")
	}
	switch in.ConfigSrc {
	case "":
		in.ConfigSrc = "local"
	case "local", "cloudflare":
	default:
		return nil, nil, errValidation("config_src must be local or cloudflare")
	}
	if err := checkTunnelSecret(in.TunnelSecret); err != nil {
		return nil, nil, err
	}
	for _, t := range e.tunnels {
		if t.AccountID == acct && t.DeletedAt == nil && t.Name == in.Name {
			return nil, nil, errf(http.StatusConflict, codeConflict, "a Tunnel named %q already exists", in.Name)
		}
	}
	t := &Tunnel{ID: e.newUUID("tunnel"), AccountID: acct, Name: in.Name, Status: "inactive", ConfigSrc: in.ConfigSrc, CreatedAt: e.now()}
	e.tunnels = append(e.tunnels, t)
	return tunnelJSON(t), nil, nil
}

func getTunnel(e *Emulator, c *call) (any, *resultInfo, error) {
	t, err := e.readableTunnel(c)
	if err != nil {
		return nil, nil, err
	}
	return tunnelJSON(t), nil, nil
}

func editTunnel(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		Name         *string `json:"name"`
		TunnelSecret *string `json:"tunnel_secret"`
	}
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	t, err := e.writableTunnel(c)
	if err != nil {
		return nil, nil, err
	}
	if err := checkTunnelSecret(in.TunnelSecret); err != nil {
		return nil, nil, err
	}
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return nil, nil, errValidation("name must not be empty")
		}
		for _, o := range e.tunnels {
			if o != t && o.AccountID == t.AccountID && o.DeletedAt == nil && o.Name == *in.Name {
				return nil, nil, errf(http.StatusConflict, codeConflict, "a Tunnel named %q already exists", *in.Name)
			}
		}
		t.Name = *in.Name
	}
	return tunnelJSON(t), nil, nil
}

// deleteTunnel soft-deletes: deleted_at is set, the Tunnel leaves the default
// list and stays readable by ID. Its routes are left as they are.
func deleteTunnel(e *Emulator, c *call) (any, *resultInfo, error) {
	t, err := e.writableTunnel(c)
	if err != nil {
		return nil, nil, err
	}
	now := e.now()
	t.DeletedAt = &now
	t.Connections = nil
	t.Status = "inactive"
	return tunnelJSON(t), nil, nil
}

// --- routes ---

func (e *Emulator) findRoute(accountID, id string) *Route {
	for _, r := range e.routes {
		if r.AccountID == accountID && strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

func routeJSON(r *Route) map[string]any {
	out := map[string]any{"id": r.ID, "network": r.Network, "tunnel_id": r.TunnelID, "comment": r.Comment,
		"created_at": ts(r.CreatedAt), "virtual_network_id": r.VirtualNetworkID}
	if r.DeletedAt != nil {
		out["deleted_at"] = ts(*r.DeletedAt)
	}
	return out
}

func (e *Emulator) teamnetJSON(r *Route) map[string]any {
	out := routeJSON(r)
	out["tun_type"] = "cfd_tunnel"
	out["virtual_network_name"] = "default"
	if t := e.findTunnel(r.AccountID, r.TunnelID); t != nil {
		out["tunnel_name"] = t.Name
	}
	return out
}

func parseNetwork(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		if a, aerr := netip.ParseAddr(s); aerr == nil {
			return netip.PrefixFrom(a, a.BitLen()), nil
		}
		return netip.Prefix{}, errValidation("network %q is not a CIDR", s)
	}
	return p.Masked(), nil
}

func listRoutes(e *Emulator, c *call) (any, *resultInfo, error) {
	q := c.query
	isDeleted, deletedSet, err := queryBool(q, "is_deleted")
	if err != nil {
		return nil, nil, err
	}
	var subset, superset *netip.Prefix
	for name, dst := range map[string]**netip.Prefix{"network_subset": &subset, "network_superset": &superset} {
		if s := q.Get(name); s != "" {
			p, err := parseNetwork(s)
			if err != nil {
				return nil, nil, err
			}
			*dst = &p
		}
	}
	tunnelID, comment, routeID, vnet := q.Get("tunnel_id"), q.Get("comment"), q.Get("route_id"), q.Get("virtual_network_id")
	canRead, _ := e.tunnelAccess(c)
	var out []map[string]any
	for _, r := range e.routes {
		if r.AccountID != c.param("account_id") || !canRead(r.TunnelID) {
			continue
		}
		if deletedSet && isDeleted != (r.DeletedAt != nil) || !deletedSet && r.DeletedAt != nil {
			continue
		}
		if tunnelID != "" && !strings.EqualFold(r.TunnelID, tunnelID) || comment != "" && r.Comment != comment ||
			routeID != "" && !strings.EqualFold(r.ID, routeID) || vnet != "" && r.VirtualNetworkID != vnet {
			continue
		}
		if subset != nil || superset != nil {
			p, err := netip.ParsePrefix(r.Network)
			if err != nil {
				continue
			}
			// network_subset: routes inside that range; network_superset: routes containing it.
			if subset != nil && (subset.Bits() > p.Bits() || !subset.Contains(p.Addr())) {
				continue
			}
			if superset != nil && (p.Bits() > superset.Bits() || !p.Contains(superset.Addr())) {
				continue
			}
		}
		out = append(out, e.teamnetJSON(r))
	}
	return paginateAny(c, out, 1, 1000)
}

type routeIn struct {
	Network          *string `json:"network"`
	TunnelID         *string `json:"tunnel_id"`
	Comment          *string `json:"comment"`
	VirtualNetworkID *string `json:"virtual_network_id"`
}

// applyRoute validates in against r's account and writes it to a copy, returned.
func (e *Emulator) applyRoute(c *call, r Route, in *routeIn) (Route, error) {
	if in.Network != nil {
		p, err := parseNetwork(*in.Network)
		if err != nil {
			return r, err
		}
		r.Network = p.String()
	}
	if in.TunnelID != nil {
		t := e.findTunnel(r.AccountID, *in.TunnelID)
		if t == nil || t.DeletedAt != nil {
			return r, errValidation("tunnel_id: Tunnel %s not found", *in.TunnelID)
		}
		r.TunnelID = t.ID
	}
	if in.Comment != nil {
		r.Comment = *in.Comment
	}
	if in.VirtualNetworkID != nil && *in.VirtualNetworkID != "" {
		if !strings.EqualFold(*in.VirtualNetworkID, DefaultVirtualNetworkID) {
			return r, errValidation("virtual_network_id: virtual network %s not found", *in.VirtualNetworkID)
		}
		r.VirtualNetworkID = DefaultVirtualNetworkID
	}
	if r.Network == "" || r.TunnelID == "" {
		return r, errValidation("network and tunnel_id are required")
	}
	if _, canWrite := e.tunnelAccess(c); !canWrite(r.TunnelID) {
		return r, errForbidden()
	}
	for _, o := range e.routes {
		if o.ID != r.ID && o.AccountID == r.AccountID && o.DeletedAt == nil && o.Network == r.Network && o.VirtualNetworkID == r.VirtualNetworkID {
			return r, errf(http.StatusConflict, codeConflict, "a route for %s already exists in this virtual network", r.Network)
		}
	}
	return r, nil
}

func (e *Emulator) newRoute(c *call, in *routeIn) (any, *resultInfo, error) {
	r := Route{AccountID: c.param("account_id"), VirtualNetworkID: DefaultVirtualNetworkID}
	r, err := e.applyRoute(c, r, in)
	if err != nil {
		return nil, nil, err
	}
	r.ID = e.newUUID("route")
	r.CreatedAt = e.now()
	e.routes = append(e.routes, &r)
	return routeJSON(&r), nil, nil
}

func createRoute(e *Emulator, c *call) (any, *resultInfo, error) {
	var in routeIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	if in.Network == nil || in.TunnelID == nil {
		return nil, nil, errValidation("network and tunnel_id are required")
	}
	return e.newRoute(c, &in)
}

// liveRoute finds a route that is not deleted and that the principal may read.
func (e *Emulator) liveRoute(c *call, r *Route) (*Route, error) {
	if r == nil || r.DeletedAt != nil {
		return nil, errNotFound("Route")
	}
	if canRead, _ := e.tunnelAccess(c); !canRead(r.TunnelID) {
		return nil, errForbidden()
	}
	return r, nil
}

func getRoute(e *Emulator, c *call) (any, *resultInfo, error) {
	r, err := e.liveRoute(c, e.findRoute(c.param("account_id"), c.param("route_id")))
	if err != nil {
		return nil, nil, err
	}
	return routeJSON(r), nil, nil
}

func (e *Emulator) editRouteTo(c *call, r *Route, in *routeIn) (any, *resultInfo, error) {
	r, err := e.liveRoute(c, r)
	if err != nil {
		return nil, nil, err
	}
	if _, canWrite := e.tunnelAccess(c); !canWrite(r.TunnelID) {
		return nil, nil, errForbidden()
	}
	next, err := e.applyRoute(c, *r, in)
	if err != nil {
		return nil, nil, err
	}
	*r = next
	return routeJSON(r), nil, nil
}

func editRoute(e *Emulator, c *call) (any, *resultInfo, error) {
	var in routeIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	return e.editRouteTo(c, e.findRoute(c.param("account_id"), c.param("route_id")), &in)
}

func (e *Emulator) deleteRouteTo(c *call, r *Route) (any, *resultInfo, error) {
	r, err := e.liveRoute(c, r)
	if err != nil {
		return nil, nil, err
	}
	if _, canWrite := e.tunnelAccess(c); !canWrite(r.TunnelID) {
		return nil, nil, errForbidden()
	}
	now := e.now()
	r.DeletedAt = &now
	return routeJSON(r), nil, nil
}

func deleteRoute(e *Emulator, c *call) (any, *resultInfo, error) {
	return e.deleteRouteTo(c, e.findRoute(c.param("account_id"), c.param("route_id")))
}

func getRouteByIP(e *Emulator, c *call) (any, *resultInfo, error) {
	ip, err := netip.ParseAddr(c.param("ip"))
	if err != nil {
		return nil, nil, errValidation("%q is not an IP address", c.param("ip"))
	}
	vnet := c.query.Get("virtual_network_id")
	canRead, _ := e.tunnelAccess(c)
	var best *Route
	bestBits := -1
	for _, r := range e.routes {
		if r.AccountID != c.param("account_id") || r.DeletedAt != nil || !canRead(r.TunnelID) || vnet != "" && r.VirtualNetworkID != vnet {
			continue
		}
		if p, err := netip.ParsePrefix(r.Network); err == nil && p.Contains(ip) && p.Bits() > bestBits {
			best, bestBits = r, p.Bits()
		}
	}
	if best == nil {
		return nil, nil, errNotFound("Route")
	}
	return e.teamnetJSON(best), nil, nil
}

// routeByNetwork finds the live route of a URL-encoded network (the
// deprecated by-network endpoints), optionally narrowed by tunnel_id and
// virtual_network_id query parameters.
func (e *Emulator) routeByNetwork(c *call) (*Route, error) {
	p, err := parseNetwork(c.param("ip_network_encoded"))
	if err != nil {
		return nil, err
	}
	tunnelID, vnet := c.query.Get("tunnel_id"), c.query.Get("virtual_network_id")
	for _, r := range e.routes {
		if r.AccountID == c.param("account_id") && r.DeletedAt == nil && r.Network == p.String() &&
			(tunnelID == "" || strings.EqualFold(r.TunnelID, tunnelID)) && (vnet == "" || r.VirtualNetworkID == vnet) {
			return r, nil
		}
	}
	return nil, errNotFound("Route")
}

func createRouteByNetwork(e *Emulator, c *call) (any, *resultInfo, error) {
	var in routeIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	if in.TunnelID == nil {
		return nil, nil, errValidation("tunnel_id is required")
	}
	network := c.param("ip_network_encoded")
	in.Network = &network
	return e.newRoute(c, &in)
}

func editRouteByNetwork(e *Emulator, c *call) (any, *resultInfo, error) {
	var in routeIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	r, err := e.routeByNetwork(c)
	if err != nil {
		return nil, nil, err
	}
	in.Network = nil // the path names the network
	return e.editRouteTo(c, r, &in)
}

func deleteRouteByNetwork(e *Emulator, c *call) (any, *resultInfo, error) {
	r, err := e.routeByNetwork(c)
	if err != nil {
		return nil, nil, err
	}
	return e.deleteRouteTo(c, r)
}
