package review

import (
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// TestReview_liveAuthoritativeMembersOfOutsideGroup: group "billing" (not
// declared by the plan) holds Billing account-wide and, live, member dave;
// the plan creates its authoritative member list with erin only. Live mode:
// erin gains Billing through the list, dave loses it (the list removes him).
func TestReview_liveAuthoritativeMembersOfOutsideGroup(t *testing.T) {
	const dave, erin, billing = "d0000000000000000000000000000001", "e0000000000000000000000000000001", "b0000000000000000000000000000001"
	plan := `{"format_version": "1.2", "planned_values": {}, "resource_changes": [{"address": "cfiam_user_group_members.billing", "mode": "managed",
	  "type": "cfiam_user_group_members", "name": "billing", "change": {"actions": ["create"], "before": null,
	  "after": {"account_id": "` + acct + `", "user_group_id": "` + billing + `", "member_ids": ["` + erin + `"]},
	  "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}}}]}`
	p, err := Decode(strings.NewReader(plan))
	if err != nil {
		t.Fatal(err)
	}
	billingRole, err := catalog.Embedded().ResolveRole("Billing", catalog.ScopeAccount)
	if err != nil {
		t.Fatal(err)
	}
	live := &Live{AccountID: acct, ResourceGroups: map[string][]string{acctGroup: {"com.cloudflare.api.account." + acct}},
		Members: []LiveMember{{ID: dave, Email: "dave@example.com", Accepted: true}, {ID: erin, Email: "erin@example.com", Accepted: true}},
		Groups:  []LiveGroup{{ID: billing, Name: "billing", MemberIDs: []string{dave}, Policies: []LivePolicy{{Access: "allow", RoleIDs: []string{billingRole.ID}, ResourceGroupIDs: []string{acctGroup}}}}},
	}
	want := []string{
		"grant|erin@example.com|Billing|account " + acct + "|allow|cfiam_user_group_members.billing (group billing)|",
		"revoke|dave@example.com|Billing|account " + acct + "|allow|(outside this plan) (group billing)|",
	}
	if got := rows(Review(catalog.Embedded(), p, Options{Live: live})); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}
