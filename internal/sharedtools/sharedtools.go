// Package sharedtools finds the team's tool cache, ../shared/tools beside
// the repository (Terraform and OpenTofu builds, the official provider), for
// the tests that need it. It exists on the team's machines only: elsewhere
// those tests skip, saying why.
package sharedtools

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// CLI is the path `../shared/tools/cli name` prints (a CLI for
// TF_ACC_TERRAFORM_PATH, or a provider binary), or a skip of t where the
// cache is absent or does not have it. The cache is found beside the module
// root, the first directory up from the test's own holding go.mod.
func CLI(t testing.TB, name string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(filepath.Dir(root), "shared", "tools", "cli")
	if _, err := os.Stat(cli); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found (../shared exists on the team's machines only): this test needs %s", cli, name)
	}
	out, err := exec.CommandContext(t.Context(), cli, name).Output() //nolint:gosec // G204: the team's tool cache, with a fixed name
	if err != nil {
		t.Skipf("%s %s failed: %v", cli, name, err)
	}
	return strings.TrimSpace(string(out))
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's directory")
		}
		dir = parent
	}
}
