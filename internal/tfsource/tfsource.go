// Package tfsource finds where a Terraform address is declared in a
// configuration's .tf files: the file and line of its resource (or data)
// block, following module calls into their directories. It reads HCL
// syntax only (no evaluation), so it cannot be wrong about what a
// configuration means: it only says where a block is written. Every
// instance of a count or for_each resource maps to its one block.
package tfsource

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Location is a block's file, relative to the index's base directory
// (slash-separated), and the line its block starts on (1-based).
type Location struct {
	File string
	Line int
}

// Index locates addresses in one root configuration.
type Index struct {
	root string // the root module's directory, absolute
	base string // paths are relative to it: the repository root, else root
	// modulesJSON: `terraform init`'s module directories, by key ("a.b"),
	// relative to root.
	modulesJSON map[string]string
	dirs        map[string]*dir // by absolute directory
}

type dir struct {
	blocks  map[string]Location // "resource.type.name" or "data.type.name"
	modules map[string]string   // module call name → source, as written
}

// Open indexes the configuration whose root module is in dirPath. Paths
// in locations are relative to the enclosing Git repository's root (the
// nearest parent holding .git), else to dirPath. It fails only when
// dirPath is not a readable directory; a file that does not parse yields
// the blocks that do.
func Open(dirPath string) (*Index, error) {
	abs, err := filepath.Abs(dirPath)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("config directory %s: %w", dirPath, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("config directory %s is not a directory", dirPath)
	}
	ix := &Index{root: abs, base: repoRoot(abs), dirs: map[string]*dir{}}
	ix.modulesJSON = readModulesJSON(abs)
	return ix, nil
}

// HasTF reports whether dirPath holds a .tf file.
func HasTF(dirPath string) bool {
	m, _ := filepath.Glob(filepath.Join(dirPath, "*.tf"))
	return len(m) > 0
}

// repoRoot returns the nearest directory at or above abs holding .git, else abs.
func repoRoot(abs string) string {
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// readModulesJSON reads .terraform/modules/modules.json, which `terraform
// init` writes: where each module call's source was installed.
func readModulesJSON(root string) map[string]string {
	data, err := os.ReadFile(filepath.Join(root, ".terraform", "modules", "modules.json")) //nolint:gosec // G304: inside the configuration the user names
	if err != nil {
		return nil
	}
	var doc struct {
		Modules []struct{ Key, Dir string }
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	out := map[string]string{}
	for _, m := range doc.Modules {
		if m.Key != "" && m.Dir != "" {
			out[m.Key] = m.Dir
		}
	}
	return out
}

// Locate returns where the address's block is written: a resource
// (`type.name`), a data source (`data.type.name`), each possibly in
// modules (`module.a["k"].module.b[0].type.name[1]`). Instance keys are
// dropped: every instance is its one block.
func (ix *Index) Locate(address string) (Location, bool) {
	if ix == nil {
		return Location{}, false
	}
	modules, key, ok := parseAddress(address)
	if !ok {
		return Location{}, false
	}
	d := ix.root
	for i, name := range modules {
		next, ok := ix.moduleDir(d, modules[:i+1], name)
		if !ok {
			return Location{}, false
		}
		d = next
	}
	loc, ok := ix.dir(d).blocks[key]
	return loc, ok
}

// moduleDir is the directory of module call name in the module at d;
// path is the call's module path from the root.
func (ix *Index) moduleDir(d string, path []string, name string) (string, bool) {
	if rel, ok := ix.modulesJSON[strings.Join(path, ".")]; ok {
		return filepath.Join(ix.root, rel), true
	}
	src, ok := ix.dir(d).modules[name]
	local := strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
	if !ok || !local {
		return "", false // a registry or remote module that init has not installed
	}
	return filepath.Join(d, filepath.FromSlash(src)), true
}

// dir parses the .tf files of one module directory, once.
func (ix *Index) dir(path string) *dir {
	if d, ok := ix.dirs[path]; ok {
		return d
	}
	d := &dir{blocks: map[string]Location{}, modules: map[string]string{}}
	ix.dirs[path] = d
	files, _ := filepath.Glob(filepath.Join(path, "*.tf"))
	sort.Strings(files)
	for _, f := range files {
		src, err := os.ReadFile(f) //nolint:gosec // G304: a .tf file of the configuration the user names
		if err != nil {
			continue
		}
		file, _ := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		if file == nil {
			continue
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		rel, err := filepath.Rel(ix.base, f)
		if err != nil {
			rel = f
		}
		rel = filepath.ToSlash(rel)
		for _, b := range body.Blocks {
			switch {
			case (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2:
				key := b.Type + "." + b.Labels[0] + "." + b.Labels[1]
				if _, dup := d.blocks[key]; !dup {
					d.blocks[key] = Location{File: rel, Line: b.TypeRange.Start.Line}
				}
			case b.Type == "module" && len(b.Labels) == 1:
				if a, ok := b.Body.Attributes["source"]; ok {
					if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type().FriendlyName() == "string" && v.IsKnown() && !v.IsNull() {
						d.modules[b.Labels[0]] = v.AsString()
					}
				}
			}
		}
	}
	return d
}

// parseAddress splits an address into its module call names and the key
// of its block ("resource.type.name" or "data.type.name").
func parseAddress(address string) (modules []string, key string, ok bool) {
	var parts []string
	var cur strings.Builder
	depth, inString, escaped := 0, false, false
	for _, r := range address {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
			continue
		case r == '"' && depth > 0:
			inString = true
			continue
		case r == '[':
			depth++
			continue
		case r == ']':
			depth--
			continue
		case depth > 0:
			continue
		case r == '.':
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	if depth != 0 || inString {
		return nil, "", false
	}
	parts = append(parts, cur.String())
	for len(parts) >= 2 && parts[0] == "module" {
		modules = append(modules, parts[1])
		parts = parts[2:]
	}
	mode := "resource"
	if len(parts) == 3 && parts[0] == "data" {
		mode, parts = "data", parts[1:]
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return nil, "", false
	}
	return modules, mode + "." + parts[0] + "." + parts[1], true
}
