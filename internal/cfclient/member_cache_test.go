package cfclient_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// readCacheEnv is an emulator and a maker of fresh clients against it (a
// fresh client is a new terraform run).
func readCacheEnv(t *testing.T) (*emulator.Emulator, func() *cfclient.Client) {
	t.Helper()
	emu := emulator.New()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, func() *cfclient.Client {
		c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: srv.URL + "/client/v4"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// analyticsPolicy is one account-wide policy with the Analytics role.
func analyticsPolicy() []cfclient.MemberPolicy {
	analytics, _ := catalog.Embedded().ResolveRole("Analytics", catalog.ScopeAccount)
	return []cfclient.MemberPolicy{cfclient.NewMemberPolicy("", "allow", []string{analytics.ID}, []string{emulator.AccountResourceGroupID})}
}

func TestReadMember_servesARefreshFromOnePagedList(t *testing.T) {
	ctx := context.Background()
	emu, newClient := readCacheEnv(t)
	setup := newClient()
	policy := analyticsPolicy()
	var ids []string
	for i := range 60 {
		m, err := setup.CreateMember(ctx, emulator.AccountID, fmt.Sprintf("m%02d@example.com", i), "", policy)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}

	// A fresh client, as in a new terraform run, against the same emulator.
	refresh := newClient()
	before := emu.Stats()
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := refresh.ReadMember(ctx, emulator.AccountID, id)
			if err == nil && m.ID != id {
				err = fmt.Errorf("read %s, got %s", id, m.ID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	after := emu.Stats()
	requests := after.Requests - before.Requests
	// At most one GET before the snapshot, then 61 members / 50 a page = 2 pages.
	if requests > 3 {
		t.Fatalf("60 reads cost %d requests (%v), want at most 3", requests, after.ByRoute)
	}
	t.Logf("60 member reads: %d API requests", requests)

	// The client's own write is never served from the snapshot.
	admin, _ := catalog.Embedded().ResolveRole("Administrator", catalog.ScopeAccount)
	if _, err := refresh.UpdateMemberPolicies(ctx, emulator.AccountID, ids[5],
		[]cfclient.MemberPolicy{cfclient.NewMemberPolicy("", "allow", []string{admin.ID}, []string{emulator.AccountResourceGroupID})}); err != nil {
		t.Fatal(err)
	}
	m, err := refresh.ReadMember(ctx, emulator.AccountID, ids[5])
	if err != nil || len(m.Policies) != 1 || m.Policies[0].PermissionGroups[0].ID != admin.ID {
		t.Fatalf("read after own write is stale: %+v, %v", m, err)
	}
	if _, err := refresh.ReadMember(ctx, emulator.AccountID, "00000000000000000000000000000000"); !cfclient.IsNotFound(err) {
		t.Fatalf("a member missing from the snapshot must read as not found, got %v", err)
	}
}

func TestReadUserGroup_servesARefreshFromOnePagedList(t *testing.T) {
	ctx := context.Background()
	emu, newClient := readCacheEnv(t)
	setup := newClient()
	policy := analyticsPolicy()
	var ids []string
	for i := range 60 {
		g, err := setup.CreateUserGroup(ctx, emulator.AccountID, fmt.Sprintf("group-%02d", i), policy)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}

	refresh := newClient()
	before := emu.Stats()
	for _, id := range ids {
		g, err := refresh.ReadUserGroup(ctx, emulator.AccountID, id)
		if err != nil || g.ID != id {
			t.Fatalf("read %s: %+v, %v", id, g, err)
		}
	}
	after := emu.Stats()
	// One GET before the snapshot, then 60 groups / 50 a page = 2 pages.
	if requests := after.Requests - before.Requests; requests != 3 {
		t.Fatalf("60 group reads cost %d requests (%v), want 3", requests, after.ByRoute)
	}

	// The client's own write is never served from the snapshot.
	if _, err := refresh.RenameUserGroup(ctx, emulator.AccountID, ids[5], "renamed"); err != nil {
		t.Fatal(err)
	}
	if g, err := refresh.ReadUserGroup(ctx, emulator.AccountID, ids[5]); err != nil || g.Name != "renamed" {
		t.Fatalf("read after own write is stale: %+v, %v", g, err)
	}
	if _, err := refresh.ReadUserGroup(ctx, emulator.AccountID, "00000000000000000000000000000000"); !cfclient.IsNotFound(err) {
		t.Fatalf("a group missing from the snapshot must read as not found, got %v", err)
	}
}

func TestReadToken_servesARefreshFromOnePagedList(t *testing.T) {
	ctx := context.Background()
	emu, newClient := readCacheEnv(t)
	setup := newClient()
	zoneRead, err := catalog.Embedded().ResolvePermissionGroup("Zone Read", catalog.ScopeZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, owner := range []string{"", emulator.AccountID} {
		var ids []string
		for i := range 60 {
			tok, err := setup.CreateToken(ctx, owner, cfclient.TokenInput{Name: fmt.Sprintf("token-%02d", i), Policies: []cfclient.TokenPolicy{{
				Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: zoneRead.ID}},
				Resources: map[string]any{catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom): "*"},
			}}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tok.ID)
		}
		refresh := newClient()
		before := emu.Stats()
		for _, id := range ids {
			tok, err := refresh.ReadToken(ctx, owner, id)
			if err != nil || tok.ID != id || len(tok.Policies) != 1 {
				t.Fatalf("read %s of %q: %+v, %v", id, owner, tok, err)
			}
		}
		after := emu.Stats()
		// One GET before the snapshot, then 60 tokens (61 with the seeded
		// ones, at most 100) / 50 a page = 2 or 3 pages: written by hand.
		if requests := after.Requests - before.Requests; requests > 4 {
			t.Fatalf("60 token reads of %q cost %d requests (%v), want at most 4", owner, requests, after.ByRoute)
		}
		// The client's own write is never served from the snapshot.
		if err := refresh.DeleteToken(ctx, owner, ids[7]); err != nil {
			t.Fatal(err)
		}
		if _, err := refresh.ReadToken(ctx, owner, ids[7]); !cfclient.IsNotFound(err) {
			t.Fatalf("read after own delete: %v, want not found", err)
		}
		if _, err := refresh.ReadToken(ctx, owner, "00000000000000000000000000000000"); !cfclient.IsNotFound(err) {
			t.Fatalf("a token missing from the snapshot must read as not found, got %v", err)
		}
	}
}

func TestReadResourceGroup_servesARefreshFromOneList(t *testing.T) {
	ctx := context.Background()
	emu, newClient := readCacheEnv(t)
	setup := newClient()
	var ids []string
	for i := range 20 {
		g, err := setup.CreateResourceGroup(ctx, emulator.AccountID, fmt.Sprintf("group-%02d", i),
			[]string{catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	refresh := newClient()
	before := emu.Stats()
	for _, id := range ids {
		g, err := refresh.ReadResourceGroup(ctx, emulator.AccountID, id)
		if err != nil || g.ID != id {
			t.Fatalf("read %s: %+v, %v", id, g, err)
		}
	}
	after := emu.Stats()
	// One GET before the snapshot, then the list, which is one page.
	if requests := after.Requests - before.Requests; requests != 2 {
		t.Fatalf("20 resource group reads cost %d requests (%v), want 2", requests, after.ByRoute)
	}
	// The client's own write is never served from the snapshot.
	if _, err := refresh.UpdateResourceGroup(ctx, emulator.AccountID, ids[3], "renamed",
		[]string{catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)}); err != nil {
		t.Fatal(err)
	}
	if g, err := refresh.ReadResourceGroup(ctx, emulator.AccountID, ids[3]); err != nil || g.Name != "renamed" {
		t.Fatalf("read after own write is stale: %+v, %v", g, err)
	}
	if err := refresh.DeleteResourceGroup(ctx, emulator.AccountID, ids[4]); err != nil {
		t.Fatal(err)
	}
	if _, err := refresh.ReadResourceGroup(ctx, emulator.AccountID, ids[4]); !cfclient.IsNotFound(err) {
		t.Fatalf("read after own delete: %v, want not found", err)
	}
	if _, err := refresh.ReadResourceGroup(ctx, emulator.AccountID, "00000000000000000000000000000000"); !cfclient.IsNotFound(err) {
		t.Fatalf("a group missing from the snapshot must read as not found, got %v", err)
	}
}
