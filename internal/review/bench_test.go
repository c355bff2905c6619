package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// planOfMembers is a plan updating n cfiam_account_member, one policy each:
// every member moves from Domain DNS on one zone to Administrator Read Only
// account-wide.
func planOfMembers(b *testing.B, n int) []byte {
	b.Helper()
	var changes []any
	for i := range n {
		member := func(pol map[string]any) map[string]any {
			return map[string]any{"id": fmt.Sprintf("%032x", i), "account_id": acct, "email": fmt.Sprintf("user%d@example.com", i),
				"status": "accepted", "policies": []any{pol}}
		}
		changes = append(changes, map[string]any{
			"address": fmt.Sprintf("cfiam_account_member.m[%d]", i), "mode": "managed", "type": "cfiam_account_member",
			"change": map[string]any{"actions": []any{"update"},
				"before":           member(map[string]any{"access": "allow", "roles": []any{"Domain DNS"}, "zone_ids": []any{exampleCom}}),
				"after":            member(map[string]any{"access": "allow", "roles": []any{"Administrator Read Only"}}),
				"after_unknown":    map[string]any{},
				"before_sensitive": map[string]any{}, "after_sensitive": map[string]any{}},
		})
	}
	data, err := json.Marshal(map[string]any{"format_version": "1.2", "planned_values": map[string]any{}, "resource_changes": changes})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkReview_1000Members: decode, review and render as Markdown a plan
// of 1,000 members (make bench).
func BenchmarkReview_1000Members(b *testing.B) {
	data := planOfMembers(b, 1000)
	cat := catalog.Embedded()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		r := Review(cat, p, Options{})
		if len(r.Changes) != 2000 {
			b.Fatalf("%d changes, want 2,000", len(r.Changes))
		}
		if err := r.WriteMarkdown(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
