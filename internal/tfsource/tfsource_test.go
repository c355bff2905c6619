package tfsource

import (
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, root, name, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLocate: each address's block, by file and line written by hand from
// the configuration below.
func TestLocate(t *testing.T) {
	root := t.TempDir()
	write(t, root, "main.tf", `resource "cfiam_account_member" "a" {
  email = "a@example.com"
}

data "cfiam_roles" "all" {}

module "local" {
  source = "./mod"
}

module "remote" {
  source = "example/team/cfiam"
}

module "broken" {
  source = var.where
}
`)
	write(t, root, "tokens.tf", `# tokens

resource "cfiam_api_token" "ci" {
  name = "ci"
}
`)
	write(t, root, "mod/main.tf", `
resource "cfiam_account_member" "lead" {
  count = 2
}

module "inner" {
  source = "../inner"
}
`)
	write(t, root, "inner/x.tf", `resource "cfiam_user_group" "g" {
  name = "g"
}
`)
	// `terraform init` installed the remote module here.
	write(t, root, ".terraform/modules/modules.json", `{"Modules":[{"Key":"","Source":"","Dir":"."},
	  {"Key":"remote","Source":"registry.terraform.io/example/team/cfiam","Dir":".terraform/modules/remote"}]}`)
	write(t, root, ".terraform/modules/remote/main.tf", `variable "x" {}
resource "cfiam_account_member" "m" {
}
`)
	// A file that does not parse keeps the blocks before the error.
	write(t, root, "broken.tf", `resource "cfiam_account_member" "before" {
}
resource "cfiam_account_member" "after" {
  email = 
`)
	ix, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		address string
		want    Location
	}{
		{"cfiam_account_member.a", Location{"main.tf", 1}},
		{"data.cfiam_roles.all", Location{"main.tf", 5}},
		{"cfiam_api_token.ci", Location{"tokens.tf", 3}},
		{`cfiam_account_member.a["x.y[0]\"z"]`, Location{"main.tf", 1}},
		{"module.local.cfiam_account_member.lead[1]", Location{"mod/main.tf", 2}},
		{`module.local["k"].module.inner.cfiam_user_group.g`, Location{"inner/x.tf", 1}},
		{"module.remote.cfiam_account_member.m", Location{".terraform/modules/remote/main.tf", 2}},
		{"cfiam_account_member.before", Location{"broken.tf", 1}},
		// Not found.
		{"cfiam_account_member.nobody", Location{}},
		{"cfiam_roles.all", Location{}}, // a data source, not a resource
		{"module.broken.cfiam_account_member.a", Location{}},
		{"module.nothere.cfiam_account_member.a", Location{}},
		{"module.local.cfiam_account_member.a", Location{}},
		{`cfiam_account_member.a["unterminated`, Location{}},
		{"cfiam_account_member", Location{}},
		{"", Location{}},
		{"(outside this plan)", Location{}},
	} {
		got, ok := ix.Locate(tc.address)
		if got != tc.want || ok != (tc.want != Location{}) {
			t.Errorf("Locate(%q) = %+v, %v; want %+v", tc.address, got, ok, tc.want)
		}
	}
}

// TestOpen_repositoryRoot: inside a Git repository, paths are relative to its root.
func TestOpen_repositoryRoot(t *testing.T) {
	repo := t.TempDir()
	write(t, repo, ".git/HEAD", "ref: refs/heads/main\n")
	write(t, repo, "infra/access/main.tf", "\n\nresource \"cfiam_account_member\" \"a\" {}\n")
	ix, err := Open(filepath.Join(repo, "infra", "access"))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := ix.Locate("cfiam_account_member.a"); !ok || got != (Location{"infra/access/main.tf", 3}) {
		t.Errorf("got %+v, %v", got, ok)
	}
}

func TestOpen_notADirectory(t *testing.T) {
	root := t.TempDir()
	write(t, root, "main.tf", "")
	for _, p := range []string{filepath.Join(root, "missing"), filepath.Join(root, "main.tf")} {
		if _, err := Open(p); err == nil {
			t.Errorf("Open(%s): no error", p)
		}
	}
	if !HasTF(root) || HasTF(filepath.Join(root, "missing")) {
		t.Error("HasTF")
	}
}
