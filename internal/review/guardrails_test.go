package review

import (
	"strings"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*@contractors.example.com", "Bob@Contractors.Example.com", true},
		{"*@contractors.example.com", "bob@example.com", false},
		{"* Edit", "API Tokens Edit", true},
		{"* Edit", "API Tokens Edit Extra", false},
		{"*Admin*", "Cloudflare Tunnel Instance Admin", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"", "", true},
		{"", "x", false},
		{"**", "", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"[x]", "[x]", true}, // no character classes: brackets are themselves
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestMatcher_via(t *testing.T) {
	member := Principal{PrincipalMember, "bob@example.com"}
	direct := Grant{Principal: member, Access: "allow", Scope: Scope{Kind: ScopeAccount, ID: acct}, Ref: "Administrator", Via: "cfiam_account_member.bob"}
	viaGroup := direct
	viaGroup.Via, viaGroup.Group = "cfiam_user_group.admins", "admins"
	groupItself := viaGroup
	groupItself.Principal, groupItself.Group = Principal{PrincipalGroup, "admins"}, ""
	binding := direct
	binding.Via = `module.team["a"].cfiam_tunnel_binding.app[0]`
	outside := direct
	outside.Via = ViaOutsidePlan
	pending := direct
	pending.unknownN = 1
	for _, tc := range []struct {
		via   string
		grant Grant
		want  bool
	}{
		{"direct", direct, true},
		{"direct", viaGroup, false},
		{"direct", groupItself, false},
		{"direct", binding, false},
		{"direct", outside, false},
		{"group:admins", viaGroup, true},
		{"group:ADMIN*", groupItself, true},
		{"group:ops", viaGroup, false},
		{"binding", binding, true},
		{"binding", direct, false},
		{"binding:module.team*", binding, true},
		{"binding:cfiam_tunnel_binding.*", binding, false},
		{"address:cfiam_account_member.*", direct, true},
		{"outside", outside, true},
		{"outside", direct, false},
		{"direct", pending, false}, // only apply knows: matches nothing
	} {
		if got := (Matcher{Via: []string{tc.via}}).Matches(tc.grant); got != tc.want {
			t.Errorf("via %q on %s via %s (group %q): %v, want %v", tc.via, tc.grant.Principal, tc.grant.Via, tc.grant.Group, got, tc.want)
		}
	}
	deny := direct
	deny.Access = "deny"
	if (Matcher{}).Matches(deny) || !(Matcher{Access: "deny"}).Matches(deny) || !(Matcher{Access: "any"}).Matches(deny) || (Matcher{Access: "deny"}).Matches(direct) {
		t.Error("access: allow by default, deny and any on request")
	}
	zone := direct
	zone.Scope = Scope{Kind: ScopeZone, ID: exampleCom, Name: "example.com"}
	for pattern, want := range map[string]bool{"zone": true, "zone:" + exampleCom: true, "zone:*.com": true, "zone:example.org": false, "account": false, "all_zones": false} {
		if got := (Matcher{Scopes: []string{pattern}}).Matches(zone); got != want {
			t.Errorf("scope %q on zone example.com: %v, want %v", pattern, got, want)
		}
	}
}

// Token rules on a hand-written plan: expiry past the window, within it,
// unset, known only after apply; IP conditions set, unset, not_in only.
func TestGuardrail_token(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	token := func(name, expires string, condition any) res {
		v := map[string]any{"name": name, "policies": []any{map[string]any{"effect": "allow", "permission_groups": []any{"DNS Write"}, "zone_ids": []any{exampleCom}}}}
		switch expires {
		case "":
		case "unknown":
			v["expires_on"] = unknown{}
		default:
			v["expires_on"] = expires
		}
		if condition != nil {
			v["condition"] = condition
		}
		return res{"cfiam_api_token." + name, typeAPIToken, v}
	}
	ips := map[string]any{"request_ip": map[string]any{"in": []any{"192.0.2.0/24"}}}
	after := []res{
		token("late", "2026-12-01T00:00:00Z", ips),
		token("soon", "2026-07-01T00:00:00Z", ips),
		token("never", "", ips),
		token("later", "unknown", map[string]any{"request_ip": map[string]any{"not_in": []any{"198.51.100.0/24"}}}),
	}
	counter := 0
	p := &Plan{refs: map[string]map[string][]string{}}
	end, _, _ := expand(catalog.Embedded(), p, newNames(p), &counter, after)
	rule := Guardrail{Name: "tokens", Kind: GuardrailToken, Blocking: true, Match: Matcher{Roles: []string{"* Write"}}, ExpiresWithin: 90 * 24 * time.Hour, RequireIPCondition: true}
	var got []string
	for _, f := range checkGuardrails([]Guardrail{rule}, end, nil, endTokens(after), now) {
		got = append(got, f.Address+"|"+f.Path)
	}
	want := "cfiam_api_token.late|expires_on\ncfiam_api_token.later|condition.request_ip.in\ncfiam_api_token.never|expires_on"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	rule.Match.Roles = []string{"* Read"}
	if fs := checkGuardrails([]Guardrail{rule}, end, nil, endTokens(after), now); len(fs) != 0 {
		t.Errorf("no token holds a Read group: %+v", fs)
	}
}
