package review

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// renderAll renders a report in every format.
func renderAll(t *testing.T, r *Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return r.WriteMarkdown(b) },
		"json":     func(b *bytes.Buffer) error { return r.WriteJSON(b) },
		"sarif":    func(b *bytes.Buffer) error { return r.WriteSARIF(b) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out[name] = b.String()
	}
	return out
}

// TestSecretsNeverLeave feeds plans holding sensitive values in clear text
// (as terraform show -json writes them) and checks no format shows one.
func TestSecretsNeverLeave(t *testing.T) {
	const tokenValue = "HenN5RbwwzttEvd2t-u3nMdd34YRiAOHIXMnmYUA" //nolint:gosec // G101: the fixture's emulator token; in token-widened's prior state and before
	raw, err := os.ReadFile("testdata/official-plans/token-widened/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(tokenValue)) {
		t.Fatal("the fixture no longer holds the token value: the test proves nothing")
	}
	// The same plan with the token's name marked sensitive too: a name
	// marked sensitive is not shown either.
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	const secretName = "ci-name-marked-sensitive-7f3a" //nolint:gosec // G101: a test marker, no credential
	changes, _ := m["resource_changes"].([]any)
	ch := object(t, object(t, changes[0])["change"])
	object(t, ch["before"])["name"] = secretName
	object(t, ch["after"])["name"] = secretName
	object(t, ch["before_sensitive"])["name"] = true
	object(t, ch["after_sensitive"])["name"] = true
	renamed, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	const tunnelSecret = "c2VjcmV0LXR1bm5lbC1zZWNyZXQtdmFsdWUtMTIz" //nolint:gosec // G101: a made-up secret; sensitive, in the cfiam plan's prior state
	cfiamPlan, err := os.ReadFile("testdata/cfiam-plans/last-super-admin.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		plan    []byte
		secrets []string
	}{
		"token value":    {raw, []string{tokenValue}},
		"sensitive name": {renamed, []string{tokenValue, secretName}},
		"tunnel secret":  {cfiamPlan, []string{tunnelSecret}},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Decode(bytes.NewReader(tc.plan))
			if err != nil {
				t.Fatal(err)
			}
			r := Review(catalog.Embedded(), p, Options{})
			if len(r.Changes) == 0 {
				t.Fatal("no changes: the test proves nothing")
			}
			for format, out := range renderAll(t, r) {
				for _, s := range tc.secrets {
					if strings.Contains(out, s) {
						t.Errorf("%s output holds a sensitive value %q:\n%s", format, s, out)
					}
				}
			}
		})
	}
}

func object(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %v", v)
	}
	return m
}
