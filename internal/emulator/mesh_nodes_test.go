package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The seeded Mesh nodes, IDs written by hand (PRODUCT.md: two nodes at fixed
// IDs), listed by the admin with their warp_connector shape.
func TestMeshNodesSeededAndListed(t *testing.T) {
	_, srv := newServer(t)
	r := mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/warp_connector", nil))
	if got := ids(t, r); !reflect.DeepEqual(got, sorted("8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f", "3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877")) {
		t.Fatalf("seeded Mesh nodes: %v", got)
	}
	var items []map[string]any
	r.result(t, &items)
	for _, it := range items {
		if it["tun_type"] != "warp_connector" || it["account_tag"] != AccountID {
			t.Errorf("a Mesh node as the API gives it: %v", it)
		}
		if _, ok := it["config_src"]; ok {
			t.Errorf("warp_connector has no config_src: %v", it)
		}
	}
	g := mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/warp_connector/"+MeshNodeOfficeB, nil))
	var one map[string]any
	g.result(t, &one)
	if one["name"] != "office-b" || one["status"] != "inactive" {
		t.Errorf("office-b: %v", one)
	}
	wantErr(t, api(t, srv, "GET", "/accounts/"+AccountID+"/warp_connector/"+TunnelAppA, nil), http.StatusNotFound, codeNotFound)
	// A Tunnel is no Mesh node, nor the other way round.
	if got := ids(t, mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/cfd_tunnel", nil))); strings.Contains(strings.Join(got, ","), MeshNodeOfficeA) {
		t.Errorf("a Mesh node in the Tunnel listing: %v", got)
	}
}

// A member bound to one Mesh node lists that node only; an account role that
// covers Tunnels covers every Mesh node; a Tunnel role gives no Mesh node.
func TestMemberMeshNodeListing(t *testing.T) {
	_, srv := newServer(t)
	meshRead := role(t, "Cloudflare Mesh Node Read", catalog.ScopeMeshNode)
	tunnelAdmin := role(t, "Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	onA := newRG(t, srv, "mesh a", catalog.ResourceKey(catalog.ScopeMeshNode, MeshNodeOfficeA))
	onTunnel := newRG(t, srv, "tunnel a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	acct := AccountResourceGroupID
	list := "/client/v4/accounts/" + AccountID + "/warp_connector"

	_, bound := newMember(t, srv, "mesh@example.com", "accepted", pol{"allow", []catalog.Entry{meshRead}, onA})
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, bound))); !reflect.DeepEqual(got, []string{"8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"}) {
		t.Errorf("bound member lists %v, want office-a only", got)
	}
	mustOK(t, send(t, srv, "GET", list+"/"+MeshNodeOfficeA, nil, bound))
	wantErr(t, send(t, srv, "GET", list+"/"+MeshNodeOfficeB, nil, bound), http.StatusForbidden, codeAuthError)
	if got := ids(t, mustOK(t, send(t, srv, "GET", "/client/v4/accounts/"+AccountID+"/cfd_tunnel", nil, bound))); len(got) != 0 {
		t.Errorf("a Mesh node role lists Tunnels: %v", got)
	}

	_, all := newMember(t, srv, "access@example.com", "accepted", pol{"allow", []catalog.Entry{access}, acct})
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, all))); len(got) != 2 {
		t.Errorf("Cloudflare Access lists %v, want both Mesh nodes", got)
	}

	_, tunnelOnly := newMember(t, srv, "tunnel@example.com", "accepted", pol{"allow", []catalog.Entry{tunnelAdmin}, onTunnel})
	if got := ids(t, mustOK(t, send(t, srv, "GET", list, nil, tunnelOnly))); len(got) != 0 {
		t.Errorf("a Tunnel role lists Mesh nodes: %v", got)
	}
}

// One policy on a Tunnel and a Mesh node with a Tunnel role and a Mesh role
// is accepted, and each role counts on its own kind only; a Mesh role on
// Tunnels only, or account-wide, is refused with 1006 as Cloudflare refuses a
// misplaced role.
func TestMemberPolicyOnTunnelsAndMeshNodes(t *testing.T) {
	e, srv := newServer(t)
	meshAdmin := role(t, "Cloudflare Mesh Node Admin", catalog.ScopeMeshNode)
	tunnelRead := role(t, "Cloudflare Tunnel Instance Read", catalog.ScopeTunnel)
	onTunnelA := newRG(t, srv, "tunnel a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	onMeshB := newRG(t, srv, "mesh b", catalog.ResourceKey(catalog.ScopeMeshNode, MeshNodeOfficeB))

	body := func(rgs ...string) map[string]any {
		var refs []any
		for _, id := range rgs {
			refs = append(refs, map[string]any{"id": id})
		}
		return map[string]any{"email": "both@example.com", "status": "accepted", "policies": []any{map[string]any{"access": "allow",
			"permission_groups": []any{map[string]any{"id": meshAdmin.ID}, map[string]any{"id": tunnelRead.ID}}, "resource_groups": refs}}}
	}
	path := "/accounts/" + AccountID + "/members"
	wantErr(t, api(t, srv, "POST", path, body(onTunnelA)), http.StatusBadRequest, 1006)
	wantErr(t, api(t, srv, "POST", path, body(AccountResourceGroupID)), http.StatusBadRequest, 1006)
	wantErr(t, api(t, srv, "POST", path, body(onTunnelA, AccountResourceGroupID, onMeshB)), http.StatusBadRequest, 1006)
	r := addAccepted(t, srv, body(onTunnelA, onMeshB))
	var m struct{ ID string }
	r.result(t, &m)

	grants := e.memberGrants(e.findMember(AccountID, m.ID))
	tunnels := catalog.EffectiveTunnelAccess(grants, []string{TunnelAppA, TunnelAppB})
	nodes := catalog.EffectiveResourceAccess(grants, []string{MeshNodeOfficeA, MeshNodeOfficeB}, catalog.ScopeMeshNode)
	if tunnels[TunnelAppA].Access != catalog.AccessRead || tunnels[TunnelAppB].Access != catalog.AccessNone ||
		nodes[MeshNodeOfficeB].Access != catalog.AccessEdit || nodes[MeshNodeOfficeA].Access != catalog.AccessNone {
		t.Errorf("Tunnel A read, Mesh node B edit, nothing else; got Tunnels %+v, Mesh nodes %+v", tunnels, nodes)
	}
	// The Tunnel role grants nothing on the Mesh node, the Mesh role nothing on the Tunnel.
	if rs := nodes[MeshNodeOfficeB].Reasons; len(rs) != 1 || rs[0].Role != "Cloudflare Mesh Node Admin" {
		t.Errorf("reasons on the Mesh node: %+v", rs)
	}
	if rs := tunnels[TunnelAppA].Reasons; len(rs) != 1 || rs[0].Role != "Cloudflare Tunnel Instance Read" {
		t.Errorf("reasons on the Tunnel: %+v", rs)
	}
}
