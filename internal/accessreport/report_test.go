package accessreport

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

const acct = "f037e56e89293a057740de681ac9abbe"

func entry(t *testing.T, k catalog.Kind, name string) catalog.Entry {
	t.Helper()
	for _, e := range catalog.Embedded().Find(k, name) {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no %s %q", k, name)
	return catalog.Entry{}
}

func lines(rows []Grant) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join([]string{r.Principal, r.Where(), r.Role, r.Effect, r.Access, r.Via, r.Escalation}, "|"))
	}
	return out
}

// TestBuild_tokensAndAccountDeny: a token's policy on chosen zones names
// them; an account-wide deny of a member's account role removes it from the
// account and from every object it covered, and is listed.
func TestBuild_tokensAndAccountDeny(t *testing.T) {
	cat := catalog.Embedded()
	dnsRead := entry(t, catalog.KindPermissionGroup, "DNS Read")
	tokensEdit := entry(t, catalog.KindPermissionGroup, "API Tokens Edit")
	ro := entry(t, catalog.KindRole, "Administrator Read Only")
	zoneKey := catalog.ResourceKey(catalog.ScopeZone, "z1")
	in := Input{
		Access: catalog.AccountAccess{AccountID: acct, Members: []catalog.AccountMember{{
			ID: "m1", Email: "dave@example.com", Accepted: true,
			Policies: []catalog.APIPolicy{
				catalog.AccountWidePolicy(acct, "allow", []string{ro.ID}),
				{ID: "p2", Access: "deny", RoleIDs: []string{ro.ID}, ResourceGroups: [][]string{{catalog.ResourceKey(catalog.ScopeAccount, acct)}}},
			},
		}}},
		AccountName: "Example Account",
		Role:        cat.ByID,
		Zones:       []Object{{"z1", "example.com"}, {"z2", "example.org"}},
		Tokens: []Token{{ID: "t1", Name: "ci | deploy", Owner: "account", Policies: []TokenPolicy{
			{ID: "tp1", Effect: "allow", PermissionGroupIDs: []string{dnsRead.ID},
				Resources: map[string]any{catalog.ResourceKey(catalog.ScopeAccount, acct): map[string]any{zoneKey: "*"}}},
			{ID: "tp2", Effect: "allow", PermissionGroupIDs: []string{tokensEdit.ID},
				Resources: map[string]any{catalog.ResourceKey(catalog.ScopeAccount, acct): "*"}},
		}}},
	}
	got := lines(Build(in))
	want := []string{
		"ci | deploy|account Example Account|API Tokens Edit|allow||token policy tp2|permission group edits tokens or members",
		"dave@example.com|account Example Account|Administrator Read Only|deny||policy p2|",
		"ci | deploy|zone example.com|DNS Read|allow||token policy tp1|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, acct, Build(in)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), `| ci \| deploy | account\_token |`) {
		t.Errorf("markdown does not escape the pipe:\n%s", md.String())
	}
}
