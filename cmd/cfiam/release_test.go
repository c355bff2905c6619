package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// releaseBuild is one entry of .goreleaser.yml's builds, as far as a
// `go build` needs it.
type releaseBuild struct {
	id, main, binary string
	env, flags       []string
	ldflags          []string
	goos, goarch     []string
	ignore           [][2]string // goos, goarch
}

// targets are the (goos/goarch) pairs the build lists, less its ignores.
func (b releaseBuild) targets() []string {
	var out []string
	for _, os := range b.goos {
		for _, arch := range b.goarch {
			if !slices.Contains(b.ignore, [2]string{os, arch}) {
				out = append(out, os+"/"+arch)
			}
		}
	}
	return out
}

// parseReleaseBuilds reads the builds of .goreleaser.yml: the small part of
// YAML that file uses there (two-space indented maps, "- " list items,
// [a, "b"] flow lists). The test fails when it finds less than it expects,
// so a change of layout shows.
func parseReleaseBuilds(t *testing.T, text string) []releaseBuild {
	t.Helper()
	var out []releaseBuild
	var cur *releaseBuild
	var list *[]string // the block list being read (env, flags, ldflags)
	inBuilds, inIgnore := false, false
	unquote := func(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }
	flow := func(s string) []string {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
			t.Fatalf(".goreleaser.yml: want a [..] list, got %q", s)
		}
		var items []string
		for _, it := range strings.Split(s[1:len(s)-1], ",") {
			items = append(items, unquote(it))
		}
		return items
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		body := strings.TrimSpace(line)
		if indent == 0 {
			inBuilds = body == "builds:"
			continue
		}
		if !inBuilds {
			continue
		}
		if indent == 2 && strings.HasPrefix(body, "- ") {
			out = append(out, releaseBuild{main: "."})
			cur, list, inIgnore = &out[len(out)-1], nil, false
			body, indent = strings.TrimPrefix(body, "- "), 4
		}
		if cur == nil {
			continue
		}
		switch {
		case indent >= 6 && inIgnore:
			item := strings.TrimPrefix(body, "- ")
			k, v, _ := strings.Cut(item, ":")
			if strings.HasPrefix(body, "- ") {
				cur.ignore = append(cur.ignore, [2]string{})
			}
			last := &cur.ignore[len(cur.ignore)-1]
			switch strings.TrimSpace(k) {
			case "goos":
				last[0] = unquote(v)
			case "goarch":
				last[1] = unquote(v)
			}
		case indent == 6 && list != nil && strings.HasPrefix(body, "- "):
			*list = append(*list, unquote(strings.TrimPrefix(body, "- ")))
		case indent == 4:
			k, v, _ := strings.Cut(body, ":")
			list, inIgnore = nil, false
			switch k {
			case "id":
				cur.id = unquote(v)
			case "main":
				cur.main = unquote(v)
			case "binary":
				cur.binary = unquote(v)
			case "goos":
				cur.goos = flow(v)
			case "goarch":
				cur.goarch = flow(v)
			case "env":
				list = &cur.env
			case "flags":
				list = &cur.flags
			case "ldflags":
				list = &cur.ldflags
			case "ignore":
				inIgnore = true
			}
		}
	}
	return out
}

// TestReleaseBuilds cross-compiles, with `go build` and each build's env,
// flags and ldflags from .goreleaser.yml, both binaries (the provider and
// cfiam) for two representative targets of the release matrix: windows/386
// (32-bit, not Unix) and darwin/arm64. goreleaser itself is not run (it is
// not installed here). Slow (a cold cross-compile of the provider), so it
// runs only with CFIAM_RELEASE_BUILDS=1 (`make release-check`);
// CFIAM_RELEASE_TARGETS="linux/arm freebsd/amd64" picks others, "all" every
// target the file lists.
func TestReleaseBuilds(t *testing.T) {
	raw, err := os.ReadFile("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	builds := parseReleaseBuilds(t, string(raw))
	byID := map[string]releaseBuild{}
	for _, b := range builds {
		byID[b.id] = b
	}
	prov, cmd := byID["provider"], byID["cfiam"]
	if len(builds) != 2 || prov.main != "." || cmd.main != "./cmd/cfiam" || len(prov.targets()) < 10 || len(cmd.targets()) < 10 ||
		!slices.Contains(prov.env, "CGO_ENABLED=0") || !slices.Contains(cmd.env, "CGO_ENABLED=0") || len(prov.ignore) != 1 || prov.ignore[0] != [2]string{"darwin", "386"} {
		t.Fatalf(".goreleaser.yml: read %+v: want the builds provider (.) and cfiam (./cmd/cfiam), CGO_ENABLED=0, a matrix with darwin/386 ignored", builds)
	}
	if slices.Contains(prov.targets(), "darwin/386") {
		t.Fatal("ignore is not applied")
	}
	// -X main.version only works if the provider's main package has that variable.
	if mainGo, err := os.ReadFile("../../main.go"); err != nil || !bytes.Contains(mainGo, []byte("var version =")) {
		t.Errorf("ldflags set main.version, which main.go does not declare (%v)", err)
	}
	if os.Getenv("CFIAM_RELEASE_BUILDS") != "1" {
		t.Skip("set CFIAM_RELEASE_BUILDS=1 (make release-check) to cross-compile")
	}
	targets := []string{"windows/386", "darwin/arm64"}
	if v := os.Getenv("CFIAM_RELEASE_TARGETS"); v == "all" {
		targets = prov.targets()
	} else if v != "" {
		targets = strings.Fields(v)
	}
	// An executable's first bytes, by GOOS: the target really was cross-compiled.
	magic := map[string][]byte{"windows": []byte("MZ"), "darwin": {0xcf, 0xfa, 0xed, 0xfe}, "linux": []byte("\x7fELF"), "freebsd": []byte("\x7fELF")}
	out := t.TempDir()
	for _, b := range []releaseBuild{prov, cmd} {
		for _, target := range targets {
			if !slices.Contains(b.targets(), target) {
				t.Errorf("%s: %s is not a target of .goreleaser.yml", b.id, target)
				continue
			}
			goos, goarch, _ := strings.Cut(target, "/")
			bin := filepath.Join(out, b.id+"-"+goos+"-"+goarch)
			args := append([]string{"build", "-o", bin}, b.flags...)
			ld := strings.NewReplacer("{{ .Version }}", "0.0.0-release-check").Replace(strings.Join(b.ldflags, " "))
			args = append(args, "-ldflags", ld, b.main)
			c := exec.CommandContext(t.Context(), "go", args...) //nolint:gosec // G204: go build of this module, arguments from .goreleaser.yml
			c.Dir = "../.."
			c.Env = append(append(os.Environ(), b.env...), "GOOS="+goos, "GOARCH="+goarch, "GOFLAGS=-buildvcs=false")
			if msg, err := c.CombinedOutput(); err != nil {
				t.Errorf("%s %s: go %s: %v\n%s", b.id, target, strings.Join(args, " "), err, msg)
				continue
			}
			head := make([]byte, 4)
			f, err := os.Open(bin) //nolint:gosec // G304: the binary just built in t.TempDir()
			if err != nil {
				t.Error(err)
				continue
			}
			_, _ = f.Read(head)
			_ = f.Close()
			if m, ok := magic[goos]; ok && !bytes.HasPrefix(head, m) {
				t.Errorf("%s %s: the binary starts %x, not a %s executable", b.id, target, head, goos)
			}
			t.Logf("%s %s: built", b.id, target)
		}
	}
}
