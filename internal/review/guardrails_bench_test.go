package review

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// benchGuardrails are 20 rules of every kind, as a platform team would write
// them: most match some of planOfMembers' grants, and each is held against
// every grant.
func benchGuardrails() []Guardrail {
	var out []Guardrail
	for i := range 8 {
		out = append(out, Guardrail{Name: fmt.Sprintf("deny%d", i), Kind: GuardrailDeny, Blocking: true,
			Match:  Matcher{Principals: []string{fmt.Sprintf("user%d*@example.com", i)}, Roles: []string{"Administrator*"}, Scopes: []string{"account"}},
			Except: []Matcher{{Via: []string{"group:admins"}}}})
	}
	for i := range 4 {
		out = append(out, Guardrail{Name: fmt.Sprintf("require%d", i), Kind: GuardrailRequire, Blocking: true, Min: 2,
			Match: Matcher{Roles: []string{"Super Administrator - All Privileges"}}})
		out = append(out, Guardrail{Name: fmt.Sprintf("limit%d", i), Kind: GuardrailLimit, Blocking: true, Max: 10,
			Match: Matcher{Roles: []string{"* Read Only"}, Via: []string{"direct"}}})
		out = append(out, Guardrail{Name: fmt.Sprintf("token%d", i), Kind: GuardrailToken, Blocking: true, Match: Matcher{Roles: []string{"* Edit"}},
			ExpiresWithin: 90 * 24 * time.Hour, RequireIPCondition: true})
	}
	return out
}

// BenchmarkReview_1000Members20Guardrails: decode, review with 20
// guardrails and render as Markdown a plan of 1,000 members (make bench);
// cpu-ms/op is the process's CPU (all threads, the garbage collector's too).
func BenchmarkReview_1000Members20Guardrails(b *testing.B) {
	data := planOfMembers(b, 1000)
	cat := catalog.Embedded()
	rules := benchGuardrails()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		r := Review(cat, p, Options{Guardrails: rules})
		// deny0..deny7 each match the members user<i>…: 1+10+100 of them
		// (user<i>, user<i>0-9, user<i>00-99) for i ≥ 1, and deny0 user0 alone;
		// four limits of 1,000 direct Read Only holders; requires unmet.
		if len(r.Changes) != 2000 || len(r.Findings) != 1+7*111+4+4 {
			b.Fatalf("%d changes, %d findings", len(r.Changes), len(r.Findings))
		}
		if err := r.WriteMarkdown(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}
