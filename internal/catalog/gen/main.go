// Command gen builds internal/catalog/embedded.json from Cloudflare's reference
// pages in shared/reference. Run it through `go generate ./internal/catalog`.
package main

import (
	"bufio"
	"bytes"
	"crypto/md5" //nolint:gosec // G501: not for security: stable 32-hex IDs, the shape of Cloudflare's
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// scopedRoles are the resource-scoped roles of every resource kind, from the
// kinds table. The reference pages name the five Access ones
// (resource-scoped-kinds.md) but not the Tunnel and Mesh node ones, which
// PRODUCT.md fixes; the emulator seeds them all from this catalog.
func scopedRoles() []catalog.Entry {
	var out []catalog.Entry
	for _, k := range catalog.Kinds() {
		for _, r := range k.Roles {
			out = append(out, catalog.Entry{Name: r.Name, Scope: k.Scope, Description: r.Description})
		}
	}
	return out
}

func main() {
	ref := flag.String("reference", "../../../shared/reference", "directory holding Cloudflare's reference pages")
	out := flag.String("out", "embedded.json", "file to write")
	guide := flag.String("guide", "", "also write the scopes guide (a tfplugindocs template) here")
	flag.Parse()
	entries, err := Build(*ref)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	data, err := catalog.EncodeEntries(entries)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil { //nolint:gosec // G306: generated source, checked in and world-readable like the rest of the repo
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if *guide != "" {
		if err := os.WriteFile(*guide, Guide(catalog.New(entries)), 0o644); err != nil { //nolint:gosec // G306: a generated docs template, checked in and world-readable
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

// Build reads the reference pages in dir and returns every role and permission group.
func Build(dir string) ([]catalog.Entry, error) {
	roles, err := parseRoles(filepath.Join(dir, "account-and-domain-roles.txt"))
	if err != nil {
		return nil, err
	}
	zt, err := parseZeroTrustRoles(filepath.Join(dir, "zero-trust-roles.md"))
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range roles {
		known[strings.ToLower(r.Name)] = true
	}
	for _, r := range zt {
		if !known[strings.ToLower(r.Name)] {
			roles = append(roles, r)
			known[strings.ToLower(r.Name)] = true
		}
	}
	roles = append(roles, scopedRoles()...)
	groups, err := parsePermissionGroups(filepath.Join(dir, "api-token-permission-groups.md"))
	if err != nil {
		return nil, err
	}
	var all []catalog.Entry
	for _, r := range roles {
		r.Kind = catalog.KindRole
		all = append(all, finish(r))
	}
	for _, g := range groups {
		g.Kind = catalog.KindPermissionGroup
		all = append(all, finish(g))
	}
	return all, nil
}

// finish gives an entry its stable ID and label. IDs are derived from kind,
// scope and name so that the emulator and the docs agree across runs.
func finish(e catalog.Entry) catalog.Entry {
	sum := md5.Sum([]byte(string(e.Kind) + "|" + string(e.Scope) + "|" + e.Name)) //nolint:gosec // G401: not for security: a stable ID derived from kind, scope and name
	e.ID = hex.EncodeToString(sum[:])
	e.Label = label(e.Name)
	return e
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func label(name string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(name), "_"), "_")
}

// parseRoles reads the role catalog: a plain-text page whose tables are runs of
// "|Name" / "|Description" lines, account-scoped first, then domain-scoped.
func parseRoles(path string) ([]catalog.Entry, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: a reference page the generator's operator points at
	if err != nil {
		return nil, fmt.Errorf("reading role catalog: %w", err)
	}
	var out []catalog.Entry
	var scope catalog.Scope
	var cells []string
	flush := func() error {
		if len(cells)%2 != 0 {
			return fmt.Errorf("%s: %s table has an odd number of cells", path, scope)
		}
		for i := 0; i < len(cells); i += 2 {
			out = append(out, catalog.Entry{Name: cells[i], Description: cells[i+1], Scope: scope})
		}
		cells = nil
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "Account-scoped roles apply"):
			scope = catalog.ScopeAccount
		case strings.HasPrefix(line, "Domain-scoped roles apply"):
			if err := flush(); err != nil {
				return nil, err
			}
			scope = catalog.ScopeZone
		case strings.HasPrefix(line, "|") && scope != "":
			cell := strings.TrimSpace(strings.TrimPrefix(line, "|"))
			if cell == "Role" || cell == "Description" {
				continue
			}
			cells = append(cells, cell)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

var (
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	footnote = regexp.MustCompile(`\[\d+\]\(#[^)]*\)`)
)

// parseZeroTrustRoles reads the Zero Trust role matrix and returns its roles as
// account-scoped roles. "Super Administrator" there is the catalog's
// "Super Administrator - All Privileges".
func parseZeroTrustRoles(path string) ([]catalog.Entry, error) {
	rows, err := markdownRows(path, "## Zero Trust roles")
	if err != nil {
		return nil, err
	}
	var out []catalog.Entry
	for _, cells := range rows {
		name := strings.TrimSpace(footnote.ReplaceAllString(cells[0], ""))
		if name == "" || name == "Access Read" || name == "Super Administrator" {
			continue
		}
		out = append(out, catalog.Entry{Name: name, Scope: catalog.ScopeAccount,
			Description: "Zero Trust role; see Cloudflare One's roles and permissions matrix."})
	}
	return out, nil
}

// parsePermissionGroups reads the API token permissions page: one Markdown
// table per section (User, Account, Zone).
func parsePermissionGroups(path string) ([]catalog.Entry, error) {
	var out []catalog.Entry
	for _, sec := range []struct {
		heading string
		scope   catalog.Scope
	}{
		{"## User permissions", catalog.ScopeUser},
		{"## Account permissions", catalog.ScopeAccount},
		{"## Zone permissions", catalog.ScopeZone},
	} {
		rows, err := markdownRows(path, sec.heading)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, fmt.Errorf("%s: no table under %q", path, sec.heading)
		}
		for _, cells := range rows {
			if len(cells) < 2 || cells[0] == "Name" {
				continue
			}
			out = append(out, catalog.Entry{
				Name:        cells[0],
				Description: strings.TrimSpace(mdLink.ReplaceAllString(cells[1], "$1")),
				Scope:       sec.scope,
			})
		}
	}
	return out, nil
}

// markdownRows returns the cells of the first table's body rows after heading,
// stopping at the next heading of any level. The separator row is skipped.
func markdownRows(path, heading string) ([][]string, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: a reference page the generator's operator points at
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	var rows [][]string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			if in {
				break
			}
			in = line == heading
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if strings.Trim(cells[0], "-: ") == "" {
			continue
		}
		rows = append(rows, cells)
	}
	return rows, nil
}
