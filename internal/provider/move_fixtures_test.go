package provider_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// testdata/official-states is a copy of ../shared/fixtures/official-states,
// what the official provider wrote; never edited by hand. Where ../shared
// exists (the team's machines), every file is the same byte for byte.
func TestOfficialStatesAreCopies(t *testing.T) {
	t.Parallel()
	shared := filepath.Join("..", "..", "..", "shared", "fixtures", "official-states")
	if _, err := os.Stat(shared); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found (../shared exists on the team's machines only): the copies are not compared", shared)
	}
	local := filepath.Join("testdata", "official-states")
	seen := map[string]bool{}
	for _, root := range []string{shared, local} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil || seen[rel] {
				return err
			}
			seen[rel] = true
			want, werr := os.ReadFile(filepath.Join(shared, rel)) //nolint:gosec // G304: the team's fixtures
			got, gerr := os.ReadFile(filepath.Join(local, rel))   //nolint:gosec // G304: the test's own fixtures
			switch {
			case werr != nil:
				t.Errorf("testdata has %s, which %s does not: %v", rel, shared, werr)
			case gerr != nil:
				t.Errorf("%s has %s, which testdata does not: %v", shared, rel, gerr)
			case !bytes.Equal(want, got):
				t.Errorf("testdata's %s differs from %s's: copy it again, never edit it", rel, shared)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !seen[filepath.Join("member-account", "terraform.tfstate")] {
		t.Errorf("no member-account/terraform.tfstate among %d files", len(seen))
	}
}
