package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// referenceDir is shared/reference, beside the repository; a user's clone has
// none.
const referenceDir = "../../../../shared/reference"

// TestEmbeddedIsCurrent fails when embedded.json differs from what the
// generator makes of shared/reference: run `go generate ./internal/catalog`.
// Where there is no shared/reference, it skips and says so.
func TestEmbeddedIsCurrent(t *testing.T) {
	if _, err := os.Stat(referenceDir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s: ../shared/reference not present, comparison of embedded.json with it not run", referenceDir)
	}
	entries, err := Build(referenceDir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := catalog.EncodeEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../embedded.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/catalog/embedded.json is stale: run `go generate ./internal/catalog`")
	}
}

func TestParseRolesRejectsOddTable(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/roles.txt"
	page := "Account-scoped roles apply across\n|Role\n|Description\n|Administrator\n|Can do.\n|Dangling\n"
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := parseRoles(path); err == nil {
		t.Fatal("a table with a name and no description must fail")
	}
}

// TestGuideIsCurrent fails when the scopes guide differs from the catalog.
func TestGuideIsCurrent(t *testing.T) {
	got, err := os.ReadFile("../../../templates/guides/scopes.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Guide(catalog.Embedded())) {
		t.Fatal("templates/guides/scopes.md.tmpl is stale: run `go generate ./internal/catalog`")
	}
}

func TestGuideListsEveryEntryWithItsScope(t *testing.T) {
	guide := string(Guide(catalog.Embedded()))
	for _, e := range append(catalog.Embedded().Roles(), catalog.Embedded().PermissionGroups()...) {
		if !strings.Contains(guide, "| "+e.Name+" | ") || !strings.Contains(guide, e.ID) {
			t.Errorf("guide lacks %s %q", e.Kind, e.Name)
		}
	}
	if !strings.Contains(guide, "| Logs Read | `account`, `zone` |") {
		t.Error("guide lacks the multi-scope row for Logs Read")
	}
}
