package catalog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// referenceDir holds the Cloudflare reference pages the embedded catalog is
// generated from, in the shared directory beside the repository. A user's
// clone has none: the tests that compare the catalog with it skip, saying so.
const referenceDir = "../../../shared/reference"

// skipWithoutReference skips t, with the reason, where referenceDir is absent.
func skipWithoutReference(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(referenceDir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s: ../shared/reference not present, comparison of the embedded catalog with it not run", referenceDir)
	}
}

func readReference(t *testing.T, name string) string {
	t.Helper()
	skipWithoutReference(t)
	data, err := os.ReadFile(filepath.Join(referenceDir, name)) //nolint:gosec // G304: the test's own reference pages, by fixed names
	if err != nil {
		t.Fatalf("reading reference page: %v", err)
	}
	return string(data)
}

// countRoleRows counts the role catalog's rows without the generator's parser:
// every "|" line, minus the two header cells per table, halved.
func countRoleRows(t *testing.T) (account, zone int) {
	page := readReference(t, "account-and-domain-roles.txt")
	parts := strings.SplitN(page, "Domain-scoped roles apply", 2)
	count := func(s string) int {
		n := 0
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "|") {
				n++
			}
		}
		return (n - 2) / 2
	}
	return count(parts[0]), count(parts[1])
}

// countTokenRows counts table rows per "## X permissions" section.
func countTokenRows(t *testing.T) map[Scope]int {
	page := readReference(t, "api-token-permission-groups.md")
	out := map[Scope]int{}
	var cur Scope
	for _, l := range strings.Split(page, "\n") {
		switch {
		case strings.HasPrefix(l, "## User permissions"):
			cur = ScopeUser
		case strings.HasPrefix(l, "## Account permissions"):
			cur = ScopeAccount
		case strings.HasPrefix(l, "## Zone permissions"):
			cur = ScopeZone
		case strings.HasPrefix(l, "#"):
			cur = ""
		case cur != "" && strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Name ") && !strings.HasPrefix(l, "| -"):
			out[cur]++
		}
	}
	return out
}

func TestEmbedded_roleCountsMatchReference(t *testing.T) {
	wantAccount, wantZone := countRoleRows(t)
	c := Embedded()
	// The Zero Trust matrix adds Cloudflare CASB and Cloudflare CASB Read, which
	// the role catalog page does not list.
	if got := len(c.InScope(KindRole, ScopeAccount)); got != wantAccount+2 {
		t.Errorf("account roles: got %d, want %d (+2 from the Zero Trust matrix)", got, wantAccount)
	}
	if got := len(c.InScope(KindRole, ScopeZone)); got != wantZone {
		t.Errorf("domain roles: got %d, want %d", got, wantZone)
	}
	if wantAccount < 60 || wantZone != 13 {
		t.Fatalf("reference counting is off: account %d, zone %d", wantAccount, wantZone)
	}
}

func TestEmbedded_permissionGroupCountsMatchReference(t *testing.T) {
	want := countTokenRows(t)
	if want[ScopeUser] != 6 || want[ScopeAccount] < 100 || want[ScopeZone] < 60 {
		t.Fatalf("reference counting is off: %v", want)
	}
	c := Embedded()
	for _, s := range PermissionGroupScopes {
		if got := len(c.InScope(KindPermissionGroup, s)); got != want[s] {
			t.Errorf("%s permission groups: got %d, want %d", s, got, want[s])
		}
	}
}

// TestEmbedded_tunnelScope holds the counts that need no reference page, so
// that they run in every clone.
func TestEmbedded_tunnelScope(t *testing.T) {
	c := Embedded()
	if got := len(c.InScope(KindRole, ScopeTunnel)); got != 2 {
		t.Errorf("tunnel roles: got %d, want 2", got)
	}
	if got := len(c.InScope(KindPermissionGroup, ScopeTunnel)); got != 0 {
		t.Errorf("no permission group is tunnel-scoped, got %d", got)
	}
}

// The two seeded Mesh node roles (PRODUCT.md), and nothing else at that scope.
func TestEmbedded_meshNodeScope(t *testing.T) {
	c := Embedded()
	var names []string
	for _, e := range c.InScope(KindRole, ScopeMeshNode) {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "Cloudflare Mesh Node Admin,Cloudflare Mesh Node Read" {
		t.Errorf("mesh_node roles: %v", names)
	}
	if got := len(c.InScope(KindPermissionGroup, ScopeMeshNode)); got != 0 {
		t.Errorf("no permission group is mesh_node-scoped, got %d", got)
	}
	if _, err := c.ResolveRole("cloudflare mesh node admin", ScopeTunnel); err == nil {
		t.Error("a Mesh node role resolved at the Tunnel scope")
	}
}

func TestEmbedded_everyReferenceNamePresent(t *testing.T) {
	c := Embedded()
	rolePage := readReference(t, "account-and-domain-roles.txt")
	parts := strings.SplitN(rolePage, "Domain-scoped roles apply", 2)
	checkCells := func(section string, scope Scope) {
		var cells []string
		for _, l := range strings.Split(section, "\n") {
			if strings.HasPrefix(l, "|") {
				cells = append(cells, strings.TrimSpace(l[1:]))
			}
		}
		for i := 2; i+1 < len(cells); i += 2 {
			e, err := c.ResolveRole(cells[i], scope)
			if err != nil {
				t.Errorf("role %q (%s): %v", cells[i], scope, err)
				continue
			}
			if e.Description != cells[i+1] {
				t.Errorf("role %q description = %q, want %q", cells[i], e.Description, cells[i+1])
			}
		}
	}
	checkCells(parts[0], ScopeAccount)
	checkCells(parts[1], ScopeZone)

	tokenPage := readReference(t, "api-token-permission-groups.md")
	row := regexp.MustCompile(`(?m)^\| ([^|]+?) +\|`)
	var cur Scope
	for _, l := range strings.Split(tokenPage, "\n") {
		switch {
		case strings.HasPrefix(l, "## User"):
			cur = ScopeUser
		case strings.HasPrefix(l, "## Account"):
			cur = ScopeAccount
		case strings.HasPrefix(l, "## Zone"):
			cur = ScopeZone
		}
		m := row.FindStringSubmatch(l)
		if cur == "" || m == nil || m[1] == "Name" || strings.HasPrefix(m[1], "-") {
			continue
		}
		if _, err := c.ResolvePermissionGroup(m[1], cur); err != nil {
			t.Errorf("permission group %q (%s): %v", m[1], cur, err)
		}
	}
}

func TestEmbedded_sampleNamesAndScopes(t *testing.T) {
	c := Embedded()
	for _, tc := range []struct {
		kind  Kind
		name  string
		scope Scope
	}{
		{KindRole, "Super Administrator - All Privileges", ScopeAccount},
		{KindRole, "Administrator Read Only", ScopeAccount},
		{KindRole, "Cloudflare Access", ScopeAccount},
		{KindRole, "Bot Management (Account-wide)", ScopeAccount},
		{KindRole, "Zone Versioning Read (Account-Wide)", ScopeAccount},
		{KindRole, "Cloudflare CASB Read", ScopeAccount},
		{KindRole, "Bot Management", ScopeZone},
		{KindRole, "Domain DNS", ScopeZone},
		{KindRole, "Zone Versioning Read", ScopeZone},
		{KindRole, "Cloudflare Tunnel Instance Read", ScopeTunnel},
		{KindRole, "Cloudflare Tunnel Instance Admin", ScopeTunnel},
		{KindPermissionGroup, "API Tokens Read", ScopeUser},
		{KindPermissionGroup, "User Details Edit", ScopeUser},
		{KindPermissionGroup, "Access: Apps and Policies Read", ScopeAccount},
		{KindPermissionGroup, "Account Settings Read", ScopeAccount},
		{KindPermissionGroup, "DNS Write", ScopeZone},
		{KindPermissionGroup, "Zone WAF Edit", ScopeZone},
	} {
		e, err := c.Resolve(tc.kind, tc.name, tc.scope)
		if err != nil {
			t.Errorf("%s %q in %s: %v", tc.kind, tc.name, tc.scope, err)
			continue
		}
		if e.Name != tc.name || e.Scope != tc.scope || e.Kind != tc.kind || len(e.ID) != 32 || e.Description == "" {
			t.Errorf("%s %q: got %+v", tc.kind, tc.name, e)
		}
	}
}

func TestEmbedded_idsUniqueAndStable(t *testing.T) {
	c := Embedded()
	seen := map[string]string{}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, k := range []Kind{KindRole, KindPermissionGroup} {
		for _, e := range c.Entries(k) {
			if !hex32.MatchString(e.ID) {
				t.Errorf("%q: ID %q is not 32 hex digits", e.Name, e.ID)
			}
			if prev, dup := seen[e.ID]; dup {
				t.Errorf("ID %s shared by %q and %q", e.ID, prev, e.Name)
			}
			seen[e.ID] = e.Name
			if got, ok := c.ByID(e.ID); !ok || got.Name != e.Name {
				t.Errorf("ByID(%s) = %+v, want %q", e.ID, got, e.Name)
			}
		}
	}
}
