package provider

import (
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	const acct = "f037e56e89293a057740de681ac9abbe"
	for _, tc := range []struct {
		id, def string
		parts   []string
		account string
		got     []string
	}{
		{acct + "/m1", "", []string{"member_id"}, acct, []string{"m1"}},
		{"m1", acct, []string{"member_id"}, acct, []string{"m1"}},
		{" " + acct + "/m1/p1 ", "", []string{"member_id", "policy_id"}, acct, []string{"m1", "p1"}},
		{"m1/p1", acct, []string{"member_id", "policy_id"}, acct, []string{"m1", "p1"}},
	} {
		a, got, err := parseImportID(tc.id, tc.def, tc.parts...)
		if err != nil || a != tc.account || strings.Join(got, "|") != strings.Join(tc.got, "|") {
			t.Errorf("parseImportID(%q, %q) = %q %v %v", tc.id, tc.def, a, got, err)
		}
	}
	for _, tc := range []struct {
		id, def string
		parts   []string
		says    string
	}{
		{"m1", "", []string{"member_id"}, "needs the provider's account_id"},
		{acct + "/", "", []string{"member_id"}, "expected <account_id>/<member_id>"},
		{"/m1", acct, []string{"member_id"}, "got \"/m1\""},
		{acct + "/m1/p1/x", acct, []string{"member_id", "policy_id"}, "or <member_id>/<policy_id> (the provider's account)"},
		{"", acct, []string{"member_id"}, "expected"},
	} {
		if _, _, err := parseImportID(tc.id, tc.def, tc.parts...); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("parseImportID(%q, %q): %v, want an error saying %q", tc.id, tc.def, err, tc.says)
		}
	}
}

// FuzzParseImportID: no input panics; what parses has non-empty segments,
// the right count, and rebuilds the trimmed ID.
func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"a/b", "a/b/c", "b", "/", "//", "a//c", " a/b ", "a/b/c/d", "\x00/\xff"} {
		f.Add(seed, "acct")
		f.Add(seed, "")
	}
	f.Fuzz(func(t *testing.T, id, def string) {
		for _, parts := range [][]string{{"member_id"}, {"member_id", "policy_id"}} {
			a, segs, err := parseImportID(id, def, parts...)
			if err != nil {
				continue
			}
			if a == "" || len(segs) != len(parts) {
				t.Fatalf("parseImportID(%q, %q) = %q %v", id, def, a, segs)
			}
			for _, s := range segs {
				if s == "" || strings.Contains(s, "/") {
					t.Fatalf("bad segment %q from %q", s, id)
				}
			}
			rebuilt := strings.Join(segs, "/")
			if trimmed := strings.TrimSpace(id); trimmed != rebuilt && trimmed != a+"/"+rebuilt {
				t.Fatalf("%q parsed as %q + %v", id, a, segs)
			}
		}
	})
}
