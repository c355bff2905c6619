package catalog

import (
	"errors"
	"strings"
	"testing"
)

func TestResolve_wrongScopeNamesActualScopeAndTwin(t *testing.T) {
	c := Embedded()
	for _, tc := range []struct {
		ref     string
		want    Scope
		instead string
		says    string
	}{
		{"Bot Management", ScopeAccount, "Bot Management (Account-wide)", "a domain-scoped role"},
		{"Bot Management (Account-wide)", ScopeZone, "Bot Management", "an account-scoped role"},
		{"Page Shield", ScopeZone, "Domain Page Shield", "an account-scoped role"},
		{"Domain Page Shield", ScopeAccount, "Page Shield", "a domain-scoped role"},
		{"Zone Versioning", ScopeAccount, "Zone Versioning (Account-Wide)", "a domain-scoped role"},
		{"Zone Versioning (Account-Wide)", ScopeZone, "Zone Versioning", "an account-scoped role"},
		{"Domain DNS", ScopeAccount, "DNS", "a domain-scoped role"},
	} {
		_, err := c.ResolveRole(tc.ref, tc.want)
		var ws *WrongScopeError
		if !errors.As(err, &ws) {
			t.Errorf("%q in %s: want *WrongScopeError, got %v", tc.ref, tc.want, err)
			continue
		}
		if len(ws.Instead) != 1 || ws.Instead[0] != tc.instead {
			t.Errorf("%q in %s: Instead = %v, want [%q]", tc.ref, tc.want, ws.Instead, tc.instead)
		}
		if !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), tc.instead) {
			t.Errorf("%q: message %q should say %q and suggest %q", tc.ref, err, tc.says, tc.instead)
		}
	}
}

func TestResolve_byIDAndCaseInsensitive(t *testing.T) {
	c := Embedded()
	e, err := c.ResolveRole("cloudflare access", ScopeAccount)
	if err != nil || e.Name != "Cloudflare Access" {
		t.Fatalf("case-insensitive name: %+v, %v", e, err)
	}
	byID, err := c.ResolveRole(e.ID, ScopeAccount)
	if err != nil || byID.Name != "Cloudflare Access" {
		t.Fatalf("by ID: %+v, %v", byID, err)
	}
	if _, err := c.ResolveRole(e.ID, ScopeZone); err == nil {
		t.Fatal("an account role's ID must not resolve at zone scope")
	}
	if _, err := c.ResolvePermissionGroup(e.ID, ScopeAccount); err == nil {
		t.Fatal("a role ID must not resolve as a permission group")
	}
}

func TestResolve_ambiguousPermissionGroup(t *testing.T) {
	c := Embedded()
	_, err := c.ResolvePermissionGroup("Logs Read", "")
	var amb *AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("want *AmbiguousError, got %v", err)
	}
	if len(amb.Scopes) != 2 || amb.Scopes[0] != ScopeAccount || amb.Scopes[1] != ScopeZone {
		t.Fatalf("scopes = %v, want [account zone]", amb.Scopes)
	}
	for _, s := range []Scope{ScopeAccount, ScopeZone} {
		e, err := c.ResolvePermissionGroup("Logs Read", s)
		if err != nil || e.Scope != s {
			t.Errorf("Logs Read in %s: %+v, %v", s, e, err)
		}
	}
	if got := c.ScopesOf(KindPermissionGroup, "API Gateway Read"); len(got) != 2 {
		t.Errorf("API Gateway Read scopes = %v, want account and zone", got)
	}
}

func TestResolve_permissionGroupWrongScope(t *testing.T) {
	c := Embedded()
	for _, tc := range []struct {
		ref  string
		want Scope
		says string
	}{
		{"DNS Write", ScopeAccount, "a zone permission group"},
		{"Account Settings Read", ScopeZone, "an account permission group"},
		{"API Tokens Read", ScopeAccount, "a user permission group"},
	} {
		_, err := c.ResolvePermissionGroup(tc.ref, tc.want)
		var ws *WrongScopeError
		if !errors.As(err, &ws) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%q in %s: got %v, want a WrongScopeError saying %q", tc.ref, tc.want, err, tc.says)
		}
	}
}

func TestResolve_unknownSuggestsNearest(t *testing.T) {
	c := Embedded()
	for _, tc := range []struct {
		kind  Kind
		ref   string
		scope Scope
		first string
	}{
		{KindRole, "Cloudflare Acess", ScopeAccount, "Cloudflare Access"},
		{KindRole, "Adminstrator", ScopeAccount, "Administrator"}, //nolint:misspell // a deliberate typo: the nearest-name suggestion is under test
		{KindRole, "Domain DSN", ScopeZone, "Domain DNS"},
		{KindPermissionGroup, "DNS Writ", ScopeZone, "DNS Write"},
		{KindRole, "Tunnel Instance Read", ScopeTunnel, "Cloudflare Tunnel Instance Read"},
	} {
		_, err := c.Resolve(tc.kind, tc.ref, tc.scope)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("%q: want *NotFoundError, got %v", tc.ref, err)
			continue
		}
		if len(nf.Suggestions) == 0 || nf.Suggestions[0] != tc.first {
			t.Errorf("%q: suggestions %v, want %q first", tc.ref, nf.Suggestions, tc.first)
		}
	}
	_, err := c.ResolveRole("zzzzqqqq xxxx", ScopeAccount)
	var nf *NotFoundError
	if !errors.As(err, &nf) || len(nf.Suggestions) != 0 {
		t.Errorf("gibberish should have no suggestions, got %v", err)
	}
}

func TestNew_liveEntryReplacesSameScopeAndName(t *testing.T) {
	c := New([]Entry{
		{ID: "a1", Name: "DNS", Scope: ScopeAccount, Kind: KindRole},
		{ID: "b2", Name: "dns", Scope: ScopeAccount, Kind: KindRole},
		{ID: "c3", Name: "DNS", Scope: ScopeZone, Kind: KindPermissionGroup},
	})
	if got := c.Roles(); len(got) != 1 || got[0].ID != "b2" {
		t.Fatalf("roles = %+v, want only b2", got)
	}
	if _, ok := c.ByID("a1"); ok {
		t.Fatal("the replaced entry's ID must be gone")
	}
	if got := c.Find(KindPermissionGroup, "DNS"); len(got) != 1 || got[0].ID != "c3" {
		t.Fatalf("permission groups named DNS = %+v", got)
	}
}

func TestResourceKeys(t *testing.T) {
	for _, tc := range []struct {
		scope Scope
		id    string
		key   string
	}{
		{ScopeAccount, "f037e56e89293a057740de681ac9abbe", "com.cloudflare.api.account.f037e56e89293a057740de681ac9abbe"},
		{ScopeZone, "023e105f4ecef8ad9ca31a8372d0c353", "com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353"},
		{ScopeTunnel, "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415", "com.cloudflare.api.account.cfd_tunnel.f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"},
		{ScopeMeshNode, "4a9b3c2d-1e0f-4a5b-9c8d-7e6f5a4b3c2d", "com.cloudflare.api.account.warp_connector.4a9b3c2d-1e0f-4a5b-9c8d-7e6f5a4b3c2d"},
		{ScopeUser, "abc", "com.cloudflare.api.user.abc"},
		{ScopeZone, "*", "com.cloudflare.api.account.zone.*"},
	} {
		if got := ResourceKey(tc.scope, tc.id); got != tc.key {
			t.Errorf("ResourceKey(%s, %s) = %s", tc.scope, tc.id, got)
		}
		s, id, err := ParseResourceKey(tc.key)
		if err != nil || s != tc.scope || id != tc.id {
			t.Errorf("ParseResourceKey(%s) = %s, %s, %v", tc.key, s, id, err)
		}
	}
	for _, bad := range []string{"", "com.cloudflare.api.account.", "com.cloudflare.api.account.zone.", "com.example.zone.x", "com.cloudflare.api.account.zone.a.b",
		"com.cloudflare.api.account.warp_connector."} {
		if _, _, err := ParseResourceKey(bad); err == nil {
			t.Errorf("ParseResourceKey(%q) should fail", bad)
		}
	}
	for _, s := range []Scope{ScopeUser, ScopeAccount, ScopeZone, ScopeTunnel, ScopeMeshNode} {
		if got, ok := ScopeFromKey(ScopeKey(s)); !ok || got != s {
			t.Errorf("ScopeFromKey(ScopeKey(%s)) = %s", s, got)
		}
	}
	if _, err := ParseScope("domain"); err == nil {
		t.Error("ParseScope(domain) should fail")
	}
}
