package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const locations = "testdata/locations/"

// copyLocations copies the locations fixture to a directory outside any Git
// repository: paths are then relative to the configuration's root.
func copyLocations(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"main.tf", "modules/team/main.tf", "plan.json"} {
		data, err := os.ReadFile(locations + f) //nolint:gosec // G304: a fixture of this test
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
			t.Fatal(err)
		}
	}
	return dir
}

type sarifDoc struct {
	Runs []struct {
		Results []struct {
			RuleID    string
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine int }
				}
				LogicalLocations []struct{ FullyQualifiedName string }
			}
		}
	}
}

// sarifRows are "rule logical-name file:line" per result, file:line "-"
// when a result has no physical location.
func sarifRows(t *testing.T, out string) []string {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rows []string
	for _, r := range doc.Runs[0].Results {
		if len(r.Locations) != 1 || len(r.Locations[0].LogicalLocations) != 1 {
			t.Fatalf("want one location with one logical location: %+v", r)
		}
		at := "-"
		if p := r.Locations[0].PhysicalLocation; p != nil {
			at = p.ArtifactLocation.URI + ":" + itoa(p.Region.StartLine)
		}
		rows = append(rows, r.RuleID+" "+r.Locations[0].LogicalLocations[0].FullyQualifiedName+" "+at)
	}
	return rows
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestReview_locations: SARIF results and JSON rows carry the file and line
// of their block (written by hand in testdata/locations/README.md): a
// resource, a for_each instance, a count instance in a local module; the
// resource no .tf file declares keeps its logical location only.
func TestReview_locations(t *testing.T) {
	dir := copyLocations(t)
	plan := filepath.Join(dir, "plan.json")
	code, out, stderr := cfiam(t, "", "review", "--format", "sarif", "--config-dir", dir, plan)
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d (want 1: a blocking finding), stderr %q", code, stderr)
	}
	want := []string{
		"access_escalation cfiam_account_member.alice main.tf:12",
		"access_escalation cfiam_account_member.ghost -",
		"access_escalation module.team.cfiam_account_member.lead[0] modules/team/main.tf:7",
		`role_wrong_scope cfiam_account_member.ops["carol@example.com"].policies[0].roles["Domain DNS"] main.tf:27`,
	}
	if got := sarifRows(t, out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF locations:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}

	_, js, _ := cfiam(t, "", "review", "--format", "json", "--config-dir", dir, plan)
	var got struct {
		Findings []struct {
			Address, File string
			Line          int
		}
		Changes []struct {
			Via, File string
			Line      int
		}
	}
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, f := range got.Findings {
		rows = append(rows, "finding "+f.Address+" "+f.File+":"+itoa(f.Line))
	}
	for _, c := range got.Changes {
		rows = append(rows, "change "+c.Via+" "+c.File+":"+itoa(c.Line))
	}
	wantJSON := []string{
		`finding cfiam_account_member.ops["carol@example.com"] main.tf:27`,
		"change cfiam_account_member.alice main.tf:12",
		"change cfiam_account_member.ghost :0",
		"change module.team.cfiam_account_member.lead[0] modules/team/main.tf:7",
		`change cfiam_account_member.ops["carol@example.com"] main.tf:27`,
	}
	if strings.Join(rows, "\n") != strings.Join(wantJSON, "\n") {
		t.Errorf("JSON locations:\n got %s\nwant %s", strings.Join(rows, "\n     "), strings.Join(wantJSON, "\n     "))
	}
	if strings.Count(js, `"file"`) != 4 {
		t.Errorf("want file only where the block was found (4 rows):\n%s", js)
	}
}

// TestReview_locationsDefaultDir: with no --config-dir, a plan JSON reviewed
// in the configuration's directory is located there; elsewhere (no .tf
// file in the current directory) results keep logical locations only.
func TestReview_locationsDefaultDir(t *testing.T) {
	dir := copyLocations(t)
	plan := filepath.Join(dir, "plan.json")
	t.Chdir(dir)
	_, out, _ := cfiam(t, "", "review", "--format", "sarif", plan)
	if rows := sarifRows(t, out); len(rows) != 4 || !strings.HasSuffix(rows[0], " main.tf:12") {
		t.Errorf("in the configuration's directory: %q", rows)
	}
	t.Chdir(t.TempDir())
	_, out, _ = cfiam(t, "", "review", "--format", "sarif", plan)
	for _, r := range sarifRows(t, out) {
		if !strings.HasSuffix(r, " -") {
			t.Errorf("no configuration, yet a physical location: %s", r)
		}
	}
}

// TestReview_locationsRepositoryRoot: inside this repository, the URI is
// relative to its root, as code scanning resolves it.
func TestReview_locationsRepositoryRoot(t *testing.T) {
	_, out, _ := cfiam(t, "", "review", "--format", "sarif", "--config-dir", locations, locations+"plan.json")
	if rows := sarifRows(t, out); len(rows) != 4 || rows[0] != "access_escalation cfiam_account_member.alice cmd/cfiam/testdata/locations/main.tf:12" {
		t.Errorf("rows: %q", rows)
	}
}

func TestReview_badConfigDir(t *testing.T) {
	if code, help, _ := cfiam(t, "", "review", "-h"); code != 0 || !strings.Contains(help, "-config-dir DIR") || !strings.Contains(help, "physical location") {
		t.Errorf("cfiam review -h does not document --config-dir:\n%s", help)
	}
	for _, dir := range []string{"testdata/no-such-dir", locations + "main.tf"} {
		code, out, stderr := cfiam(t, "", "review", "--config-dir", dir, locations+"plan.json")
		if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--config-dir") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", dir, code, out, stderr)
		}
	}
}
