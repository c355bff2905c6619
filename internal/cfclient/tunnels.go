package cfclient

import (
	"context"
	"time"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"
	"github.com/cloudflare/cloudflare-go/v7/zones"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Tunnel is a Cloudflare Tunnel, or a Cloudflare Mesh node (a warp_connector
// tunnel, of the same shape), as the listing returns it.
type Tunnel struct {
	ID        string
	Name      string
	Status    string
	CreatedAt string // RFC 3339; empty when the API sends none
	DeletedAt string // RFC 3339; empty unless deleted
}

// TunnelFilter narrows ListTunnels. A nil IsDeleted lists what the API lists
// by default (Tunnels not deleted).
type TunnelFilter struct {
	IsDeleted *bool
	Name      string
}

// tunnelsPerPage is a page of the Tunnel listing.
const tunnelsPerPage = 100

// ListTunnels returns the account's Cloudflare Tunnels that the credentials
// may read, every page. Cloudflare filters the listing by the caller's access
// (an account role covering Tunnels, or a binding on each Tunnel), so a
// member's token sees only its own.
func (c *Client) ListTunnels(ctx context.Context, accountID string, f TunnelFilter) ([]Tunnel, error) {
	var out []Tunnel
	for page := 1; ; page++ {
		params := zero_trust.TunnelCloudflaredListParams{
			AccountID: cloudflare.F(accountID),
			Page:      cloudflare.F(float64(page)),
			PerPage:   cloudflare.F(float64(tunnelsPerPage)),
		}
		if f.IsDeleted != nil {
			params.IsDeleted = cloudflare.F(*f.IsDeleted)
		}
		if f.Name != "" {
			params.Name = cloudflare.F(f.Name)
		}
		res, err := c.sdk.ZeroTrust.Tunnels.Cloudflared.List(ctx, params)
		if err != nil {
			return nil, wrapError(err, "listing the Tunnels of account %s", accountID)
		}
		for _, t := range res.Result {
			out = append(out, newTunnel(t.ID, t.Name, string(t.Status), t.CreatedAt, t.DeletedAt))
		}
		if lastPage(page, len(res.Result), tunnelsPerPage, res.ResultInfo.JSON.RawJSON()) {
			return out, nil
		}
	}
}

// ListMeshNodes returns the account's Cloudflare Mesh nodes (the former WARP
// Connectors, /warp_connector) that the credentials may read, every page.
// Cloudflare filters the listing by the caller's access as it does Tunnels
// (an account role covering Mesh nodes, or a binding on each node).
func (c *Client) ListMeshNodes(ctx context.Context, accountID string, f TunnelFilter) ([]Tunnel, error) {
	var out []Tunnel
	for page := 1; ; page++ {
		params := zero_trust.TunnelWARPConnectorListParams{
			AccountID: cloudflare.F(accountID),
			Page:      cloudflare.F(float64(page)),
			PerPage:   cloudflare.F(float64(tunnelsPerPage)),
		}
		if f.IsDeleted != nil {
			params.IsDeleted = cloudflare.F(*f.IsDeleted)
		}
		if f.Name != "" {
			params.Name = cloudflare.F(f.Name)
		}
		res, err := c.sdk.ZeroTrust.Tunnels.WARPConnector.List(ctx, params)
		if err != nil {
			return nil, wrapError(err, "listing the Mesh nodes of account %s", accountID)
		}
		for _, t := range res.Result {
			out = append(out, newTunnel(t.ID, t.Name, string(t.Status), t.CreatedAt, t.DeletedAt))
		}
		if lastPage(page, len(res.Result), tunnelsPerPage, res.ResultInfo.JSON.RawJSON()) {
			return out, nil
		}
	}
}

// newTunnel is a listed Tunnel or Mesh node, its times in RFC 3339 (empty when zero).
func newTunnel(id, name, status string, created, deleted time.Time) Tunnel {
	t := Tunnel{ID: id, Name: name, Status: status}
	if !created.IsZero() {
		t.CreatedAt = created.UTC().Format(time.RFC3339)
	}
	if !deleted.IsZero() {
		t.DeletedAt = deleted.UTC().Format(time.RFC3339)
	}
	return t
}

// Zone is a zone of an account, as far as access reports need it.
type Zone struct {
	ID   string
	Name string
}

// zonesPerPage is the largest page of the zones listing.
const zonesPerPage = 50

// ListAccountZones returns the zones of one account that the credentials may read.
func (c *Client) ListAccountZones(ctx context.Context, accountID string) ([]Zone, error) {
	var out []Zone
	for page := 1; ; page++ {
		res, err := c.sdk.Zones.List(ctx, zones.ZoneListParams{
			Account: cloudflare.F(zones.ZoneListParamsAccount{ID: cloudflare.F(accountID)}),
			Page:    cloudflare.F(float64(page)),
			PerPage: cloudflare.F(float64(zonesPerPage)),
		})
		if err != nil {
			return nil, wrapError(err, "listing the zones of account %s", accountID)
		}
		for _, z := range res.Result {
			out = append(out, Zone{ID: z.ID, Name: z.Name})
		}
		if lastPage(page, len(res.Result), zonesPerPage, res.ResultInfo.JSON.RawJSON()) {
			return out, nil
		}
	}
}

// CatalogPolicies reduces the member's policies to what catalog.MemberGrants reads.
func (m *Member) CatalogPolicies() []catalog.APIPolicy { return CatalogPolicies(m.Policies) }

// CatalogPolicies reduces a holder's policies to what catalog grants read.
func CatalogPolicies(policies []MemberPolicy) []catalog.APIPolicy {
	out := make([]catalog.APIPolicy, 0, len(policies))
	for _, p := range policies {
		ap := catalog.APIPolicy{ID: p.ID, Access: p.Access, RoleIDs: p.PermissionGroupIDs()}
		for _, g := range p.ResourceGroups {
			ap.ResourceGroups = append(ap.ResourceGroups, g.ObjectKeys())
		}
		out = append(out, ap)
	}
	return out
}

// RoleIDs returns the IDs of the member's legacy roles.
func (m *Member) RoleIDs() []string {
	out := make([]string, len(m.Roles))
	for i, r := range m.Roles {
		out[i] = r.ID
	}
	return out
}
