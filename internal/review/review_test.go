package review

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func load(t *testing.T, path string) *Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path)) //nolint:gosec // G304: the package's own test data
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// rows are the changes as a reviewer reads them: "grant|principal|role|scope|access|via|why it escalates".
func rows(r *Report) []string {
	var out []string
	for _, c := range r.Changes {
		esc := c.Escalation
		via := c.Grant.Via
		if c.Grant.Group != "" {
			via += " (group " + c.Grant.Group + ")"
		}
		out = append(out, strings.Join([]string{string(c.Change), c.Grant.Principal.String(), c.Grant.Role(), c.Grant.Scope.String(), c.Grant.Access, via, esc}, "|"))
	}
	return out
}

// wantRows fails the test unless r's changes, as rows, are exactly want.
func wantRows(t *testing.T, r *Report, want []string) {
	t.Helper()
	if got := rows(r); !slices.Equal(got, want) {
		t.Errorf("changes:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// wantLastSuperAdministrator fails the test unless r's finding on the last
// Super Administrator is there, blocking, and on the resource at address.
func wantLastSuperAdministrator(t *testing.T, r *Report, address string) {
	t.Helper()
	if r.LastSuperAdministrator == nil || r.LastSuperAdministrator.Code != CodeLosesLastSuperAdministrator ||
		r.LastSuperAdministrator.Address != address || !r.LastSuperAdministrator.Blocking {
		t.Errorf("last Super Administrator: %+v", r.LastSuperAdministrator)
	}
}

const (
	acct        = "f037e56e89293a057740de681ac9abbe"
	acctGroup   = "6d7f2f5f5b1d4a0c9b8e7a6d5c4b3a21" // the emulator's account-wide resource group
	zoneGroup   = "47fbf7185b0b6f0c0f1bc7659336079e" // a resource group created for the fixture's run
	exampleCom  = "023e105f4ecef8ad9ca31a8372d0c353"
	superAdmin  = "Super Administrator - All Privileges"
	unknownText = "(known after apply)"
)

// Expectations written from each fixture's main.tf, cmd.txt and the
// fixtures' README (what the plan does), and the reference role names.
func TestReview_officialPlans(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want []string
	}{
		{"member-escalation", []string{
			"grant|alice@example.com|" + superAdmin + "|resource group " + acctGroup + "|allow|cloudflare_account_member.alice|Super Administrator",
			"grant|bob@example.com|Domain DNS|resource group " + zoneGroup + "|allow|cloudflare_account_member.bob|",
			"revoke|alice@example.com|Administrator Read Only|resource group " + acctGroup + "|allow|cloudflare_account_member.alice|",
		}},
		{"token-widened", []string{
			// API Tokens Edit edits tokens: ranked before a widened scope.
			`grant|token "tokens"|API Tokens Edit|the token's user|allow|cloudflare_api_token.tokens|permission group edits tokens or members`,
			`grant|token "ci"|DNS Write|all zones of account ` + acct + `|allow|cloudflare_api_token.ci|widened to all zones of account ` + acct,
			`revoke|token "ci"|DNS Read|zone ` + exampleCom + `|allow|cloudflare_api_token.ci|`,
		}},
		{"member-revoked", []string{
			"revoke|carol@example.com|Administrator|resource group " + acctGroup + "|allow|cloudflare_account_member.carol|",
		}},
		{"group-created", []string{
			"grant|member 0123456789abcdef0123456789abcdef|Administrator|resource group " + acctGroup + "|allow|cloudflare_user_group_members.ops (group ops)|Administrator",
			`grant|user group "ops"|Administrator|resource group ` + acctGroup + `|allow|cloudflare_user_group.ops|Administrator`,
		}},
		{"account-token-wrong-scope", []string{
			`grant|token "wrong"|DNS Write|account ` + acct + `|allow|cloudflare_account_token.t|`,
		}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			r := Review(catalog.Embedded(), load(t, "official-plans/"+tc.dir+"/plan.json"), Options{})
			wantRows(t, r, tc.want)
			if tc.dir != "account-token-wrong-scope" && len(r.Findings) > 0 {
				t.Errorf("findings: %+v, want none", r.Findings)
			}
		})
	}
}

func TestReview_officialAccountTokenWrongScope(t *testing.T) {
	p := load(t, "official-plans/account-token-wrong-scope/plan.json")
	r := Review(catalog.Embedded(), p, Options{})
	if len(r.Findings) != 1 {
		t.Fatalf("findings: %+v, want one", r.Findings)
	}
	f := r.Findings[0]
	// DNS Write (14b3766d…) is a zone permission group, on an account resource.
	if f.Code != "permission_group_wrong_scope" || !f.Blocking || f.Address != "cloudflare_account_token.t" ||
		f.Path != `policies[0].permission_groups["14b3766d8ff8cd4ef69c19873120952f"]` || f.Fix == "" {
		t.Errorf("finding: %+v", f)
	}
	if r := Review(catalog.Embedded(), p, Options{Ignore: []string{"cloudflare_account_token.t:permission_group_wrong_scope"}}); len(r.Findings) != 0 {
		t.Errorf("ignored finding still reported: %+v", r.Findings)
	}
	if r := Review(catalog.Embedded(), p, Options{Ignore: []string{"cloudflare_account_token.other:permission_group_wrong_scope"}}); len(r.Findings) != 1 {
		t.Errorf("an ignore of another address silenced the finding")
	}
}

func TestReview_cfiamLastSuperAdministrator(t *testing.T) {
	r := Review(catalog.Embedded(), load(t, "cfiam-plans/last-super-admin.json"), Options{})
	want := []string{
		"grant|admin@example.com|Administrator|account " + acct + "|allow|cfiam_account_member.admin|Administrator",
		// The binding's member_id is the admin member's ID: named by e-mail; the Tunnel by its name in prior state.
		"grant|admin@example.com|Cloudflare Tunnel Instance Admin|Tunnel app-a|allow|cfiam_tunnel_binding.app|",
		`grant|token "ci"|DNS Read|zone ` + unknownText + `|allow|cfiam_api_token.ci|`,
		"revoke|admin@example.com|" + superAdmin + "|account " + acct + "|allow|cfiam_account_member.admin|",
	}
	wantRows(t, r, want)
	wantLastSuperAdministrator(t, r, "cfiam_account_member.admin")
}

// The last Super Administrator held through a group: removing the
// membership revokes it (via the membership, naming the group) and is the
// blocking finding. The member is named from the data source's e-mail.
func TestReview_cfiamGroupLastSuperAdministrator(t *testing.T) {
	r := Review(catalog.Embedded(), load(t, "cfiam-plans/group-last-super-admin.json"), Options{})
	want := []string{
		"revoke|admin@example.com|" + superAdmin + "|account " + acct + "|allow|cfiam_user_group_membership.admin (group admins)|",
	}
	wantRows(t, r, want)
	wantLastSuperAdministrator(t, r, "cfiam_user_group_membership.admin")
}

// Revoking a deny gives the role the member is still allowed: lifting the
// deny on Administrator is an escalation, listed first and named in the
// summary; lifting the one on Domain DNS is not.
func TestReview_liftedDenyEscalates(t *testing.T) {
	r := Review(catalog.Embedded(), load(t, "cfiam-plans/lifted-deny.json"), Options{})
	want := []string{
		"revoke|dev@example.com|Administrator|account " + acct + "|deny|cfiam_account_member.dev|Administrator, a deny on it lifted",
		"revoke|dev@example.com|Domain DNS|zone " + exampleCom + "|deny|cfiam_account_member.dev|",
	}
	wantRows(t, r, want)
	if s := r.Summary(); s != "**cfiam review: 1 escalation:** dev@example.com gains Administrator on account "+acct+"." {
		t.Errorf("summary: %s", s)
	}
}

func TestDecode_badInput(t *testing.T) {
	whole, err := os.ReadFile("testdata/official-plans/token-widened/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"empty":            "",
		"not JSON":         "Terraform will perform the following actions:",
		"truncated":        string(whole[:len(whole)/2]),
		"array":            `[1, 2]`,
		"no format":        `{"resource_changes": []}`,
		"format 2":         `{"format_version": "2.0", "resource_changes": []}`,
		"state, not plan":  `{"format_version": "1.0", "values": {"root_module": {}}}`,
		"wrong field type": `{"format_version": "1.2", "resource_changes": {}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(in))
			var ie *InputError
			if err == nil || !asInputError(err, &ie) || strings.Contains(ie.Error(), "\n") {
				t.Fatalf("Decode: %v, want one line of *InputError", err)
			}
		})
	}
}

func asInputError(err error, target **InputError) bool {
	ie, ok := err.(*InputError) //nolint:errorlint // Decode returns it unwrapped
	*target = ie
	return ok
}

// Live mode counts the policies other workspaces' bindings keep on a member
// the plan manages (they stay, whatever the plan does), not the member's
// other live policies (the plan's resource owns those), and leaves the
// plan's own bindings to the plan: a deleted binding is a revoke even though
// the account still holds its policy.
func TestReview_liveBindingsOfOtherWorkspaces(t *testing.T) {
	const (
		dev         = "5b1ef0c0a8e44a7c9a4f1d3c2b1a0e9f"
		appA        = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
		hereBinding = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	)
	tunnelAdmin, _ := catalog.Embedded().ResolveRole("Cloudflare Tunnel Instance Admin", catalog.ScopeTunnel)
	admin, _ := catalog.Embedded().ResolveRole("Billing", catalog.ScopeAccount)
	live := func(policies ...LivePolicy) *Live {
		return &Live{AccountID: acct,
			ResourceGroups: map[string][]string{"rg-app-a": {"com.cloudflare.api.account.cfd_tunnel." + appA}, acctGroup: {"com.cloudflare.api.account." + acct}},
			Members:        []LiveMember{{ID: dev, Email: "dev@example.com", Accepted: true, Policies: policies}}}
	}
	other := LivePolicy{ID: "ffeeddccbbaa99887766554433221100", Binding: true, Access: "allow", RoleIDs: []string{tunnelAdmin.ID}, ResourceGroupIDs: []string{"rg-app-a"}}
	own := LivePolicy{ID: "11112222333344445555666677778888", Access: "allow", RoleIDs: []string{admin.ID}, ResourceGroupIDs: []string{acctGroup}}

	r := Review(catalog.Embedded(), load(t, "cfiam-plans/lifted-deny.json"), Options{Live: live(other, own)})
	if got := rows(r); len(got) != 2 {
		t.Errorf("live policies changed the plan's changes: %q", got)
	}
	// Administrator and Domain DNS stay allowed; the other workspace's binding stays too; Billing is the member resource's own.
	if len(r.Unchanged) != 1 || r.Unchanged[0].Principal.Name != "dev@example.com" || r.Unchanged[0].Grants != 3 {
		t.Errorf("unchanged: %+v, want dev@example.com keeping 3 grants", r.Unchanged)
	}

	here := other
	here.ID = hereBinding
	r = Review(catalog.Embedded(), load(t, "cfiam-plans/binding-deleted.json"), Options{Live: live(here)})
	want := []string{"revoke|dev@example.com|Cloudflare Tunnel Instance Admin|Tunnel " + appA + "|allow|cfiam_tunnel_binding.app|"}
	wantRows(t, r, want)
}
