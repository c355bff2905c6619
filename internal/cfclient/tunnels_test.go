package cfclient_test

import (
	"context"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func TestListTunnelsZonesAndMemberAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := newTestClient(t, adminConfig(), nil)
	acct := emulator.AccountID

	tunnels, err := c.ListTunnels(ctx, acct, cfclient.TunnelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, tun := range tunnels {
		names[tun.ID] = tun.Name
		if tun.Status == "" || tun.CreatedAt == "" || tun.DeletedAt != "" {
			t.Errorf("tunnel %+v", tun)
		}
	}
	if len(tunnels) != 2 || names[emulator.TunnelAppA] != "app-a" || names[emulator.TunnelAppB] != "app-b" {
		t.Fatalf("tunnels: %+v", tunnels)
	}
	byName, err := c.ListTunnels(ctx, acct, cfclient.TunnelFilter{Name: "app-b"})
	if err != nil || len(byName) != 1 || byName[0].ID != emulator.TunnelAppB {
		t.Fatalf("by name: %+v, %v", byName, err)
	}
	deleted := true
	if gone, err := c.ListTunnels(ctx, acct, cfclient.TunnelFilter{IsDeleted: &deleted}); err != nil || len(gone) != 0 {
		t.Fatalf("deleted: %+v, %v", gone, err)
	}

	zones, err := c.ListAccountZones(ctx, acct)
	if err != nil || len(zones) != 2 {
		t.Fatalf("zones: %+v, %v", zones, err)
	}

	m, err := c.GetMember(ctx, acct, emulator.AdminMemberID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != "accepted" || len(m.Policies) == 0 {
		t.Fatalf("member: %+v", m)
	}
	grants := catalog.MemberGrants(true, acct, m.RoleIDs(), m.CatalogPolicies(), catalog.Embedded().ByID)
	if !catalog.HoldsSuperAdministrator(grants) {
		t.Fatalf("the seeded admin holds Super Administrator: %+v", grants)
	}
}

// The seeded Mesh nodes, by the IDs PRODUCT.md's seed table fixes.
func TestListMeshNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := newTestClient(t, adminConfig(), nil)
	nodes, err := c.ListMeshNodes(ctx, emulator.AccountID, cfclient.TunnelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, n := range nodes {
		names[n.ID] = n.Name + "/" + n.Status
		if n.CreatedAt == "" || n.DeletedAt != "" {
			t.Errorf("node %+v", n)
		}
	}
	if len(nodes) != 2 || names["8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"] != "office-a/healthy" || names["3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"] != "office-b/inactive" {
		t.Fatalf("Mesh nodes: %v", names)
	}
	if byName, err := c.ListMeshNodes(ctx, emulator.AccountID, cfclient.TunnelFilter{Name: "office-b"}); err != nil || len(byName) != 1 {
		t.Fatalf("by name: %+v, %v", byName, err)
	}
	deleted := true
	if gone, err := c.ListMeshNodes(ctx, emulator.AccountID, cfclient.TunnelFilter{IsDeleted: &deleted}); err != nil || len(gone) != 0 {
		t.Fatalf("deleted: %+v, %v", gone, err)
	}
}
