package catalog

import "testing"

// Resource keys are written out by hand, the way Cloudflare's "Create tokens
// via API" page writes them, not built with ResourceKey.
const (
	tcAcctA = "eb78d65290b24279ba6f44721b3ea3c4"
	tcAcctB = "01a7362d577a6c3019a474fd6f485823"
	tcZone1 = "22b1de5f1c0e4b3ea97bb1e963b06a43" // in account A
	tcZone2 = "023e105f4ecef8ad9ca31a8372d0c353" // in account A
	tcUser  = "7c5dae5552338874e5053f2534d2767a"
	tcOther = "9a7806061c88ada191ed06f989cc3dac"
)

func TestTokenPolicyCovers(t *testing.T) {
	acct := func(id string) TokenResource { return TokenResource{Scope: ScopeAccount, ID: id} }
	zone := func(id, account string) TokenResource {
		return TokenResource{Scope: ScopeZone, ID: id, Account: account}
	}
	allZonesOf := func(account string) TokenResource { return TokenResource{Scope: ScopeZone, ID: "*", Account: account} }
	user := func(id string) TokenResource { return TokenResource{Scope: ScopeUser, ID: id} }

	for _, tc := range []struct {
		name string
		res  map[string]any
		r    TokenResource
		want bool
	}{
		// Account: "com.cloudflare.api.account.<ACCOUNT_ID>": "*" and "com.cloudflare.api.account.*": "*".
		{"exact account", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, acct(tcAcctA), true},
		{"another account", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, acct(tcAcctB), false},
		{"wildcard account", map[string]any{"com.cloudflare.api.account.*": "*"}, acct(tcAcctB), true},
		{"account ID in another case", map[string]any{"com.cloudflare.api.account." + "EB78D65290B24279BA6F44721B3EA3C4": "*"}, acct(tcAcctA), true},
		{"a zone key is not the account", map[string]any{"com.cloudflare.api.account.zone.*": "*"}, acct(tcAcctA), false},
		{"zones nested under the account are not the account",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, acct(tcAcctA), false},

		// Zone: "com.cloudflare.api.account.zone.<ZONE_ID>": "*".
		{"zone by ID", map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}, zone(tcZone1, tcAcctA), true},
		{"another zone by ID", map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}, zone(tcZone2, tcAcctA), false},
		{"zone by ID, account unknown", map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}, zone(tcZone1, ""), true},
		{"one zone is not every zone of its account", map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}, allZonesOf(tcAcctA), false},

		// Every zone of every account: "com.cloudflare.api.account.zone.*": "*".
		{"zone wildcard, a zone", map[string]any{"com.cloudflare.api.account.zone.*": "*"}, zone(tcZone2, tcAcctB), true},
		{"zone wildcard, every zone of an account", map[string]any{"com.cloudflare.api.account.zone.*": "*"}, allZonesOf(tcAcctA), true},
		{"zone wildcard, account unknown", map[string]any{"com.cloudflare.api.account.zone.*": "*"}, zone(tcZone1, ""), true},

		// Every zone of an account: "com.cloudflare.api.account.<ACCOUNT_ID>": {"com.cloudflare.api.account.zone.*": "*"}.
		{"all zones of the account, a zone in it",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, zone(tcZone1, tcAcctA), true},
		{"all zones of the account, every zone of it",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, allZonesOf(tcAcctA), true},
		{"all zones of the account, a zone of another account",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, zone(tcZone1, tcAcctB), false},
		{"all zones of the account, a zone of unknown account",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, zone(tcZone1, ""), false},
		{"all zones of every account, nested",
			map[string]any{"com.cloudflare.api.account.*": map[string]any{"com.cloudflare.api.account.zone.*": "*"}}, zone(tcZone1, tcAcctB), true},

		// Zone IDs nested under their account.
		{"nested zone ID, that zone",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}}, zone(tcZone1, tcAcctA), true},
		{"nested zone ID, another zone of the account",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}}, zone(tcZone2, tcAcctA), false},
		{"nested zone ID, not every zone of the account",
			map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}}, allZonesOf(tcAcctA), false},
		{"nested zone ID under the wrong account",
			map[string]any{"com.cloudflare.api.account." + tcAcctB: map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}}, zone(tcZone1, tcAcctA), false},

		// An account with "*" holds every zone of that account (zone permission groups on it).
		{"account, a zone in it", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, zone(tcZone1, tcAcctA), true},
		{"account, every zone of it", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, allZonesOf(tcAcctA), true},
		{"account, a zone of another account", map[string]any{"com.cloudflare.api.account." + tcAcctB: "*"}, zone(tcZone1, tcAcctA), false},
		{"account, a zone of unknown account", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, zone(tcZone1, ""), false},
		{"wildcard account, every zone of every account", map[string]any{"com.cloudflare.api.account.*": "*"}, allZonesOf("*"), true},
		{"one account, not every zone of every account", map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}, allZonesOf("*"), false},

		// User: "com.cloudflare.api.user.<USER_TAG>": "*".
		{"user", map[string]any{"com.cloudflare.api.user." + tcUser: "*"}, user(tcUser), true},
		{"another user", map[string]any{"com.cloudflare.api.user." + tcUser: "*"}, user(tcOther), false},
		{"the token's own user, ID unknown", map[string]any{"com.cloudflare.api.user." + tcUser: "*"}, user(""), true},
		{"an account is not the user", map[string]any{"com.cloudflare.api.account.*": "*"}, user(tcUser), false},
		{"the user is not an account", map[string]any{"com.cloudflare.api.user." + tcUser: "*"}, acct(tcAcctA), false},

		// Malformed: covers nothing.
		{"value other than *", map[string]any{"com.cloudflare.api.account." + tcAcctA: "read"}, acct(tcAcctA), false},
		{"unknown key", map[string]any{"com.example." + tcAcctA: "*"}, acct(tcAcctA), false},
		{"nested object under a zone key", map[string]any{"com.cloudflare.api.account.zone." + tcZone1: map[string]any{}}, zone(tcZone1, tcAcctA), false},
		{"no resources", nil, acct(tcAcctA), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TokenPolicyCovers(tc.res, tc.r); got != tc.want {
				t.Errorf("TokenPolicyCovers(%v, %+v) = %v, want %v", tc.res, tc.r, got, tc.want)
			}
		})
	}
}

func TestTokenHolds(t *testing.T) {
	const zoneRead, dnsRead = "c8fed203ed3043cba015a93ad1616f1f", "82e64a83756745bbbb1c9c2701bf816b"
	onAccount := map[string]any{"com.cloudflare.api.account." + tcAcctA: "*"}
	onZone1 := map[string]any{"com.cloudflare.api.account.zone." + tcZone1: "*"}
	z1 := TokenResource{Scope: ScopeZone, ID: tcZone1, Account: tcAcctA}
	z2 := TokenResource{Scope: ScopeZone, ID: tcZone2, Account: tcAcctA}

	for _, tc := range []struct {
		name     string
		policies []APITokenPolicy
		group    string
		r        TokenResource
		want     bool
	}{
		{"allowed", []APITokenPolicy{{Effect: EffectAllow, GroupIDs: []string{zoneRead}, Resources: onAccount}}, zoneRead, z1, true},
		{"group ID in another case", []APITokenPolicy{{Effect: EffectAllow, GroupIDs: []string{"C8FED203ED3043CBA015A93AD1616F1F"}, Resources: onAccount}}, zoneRead, z1, true},
		{"another group", []APITokenPolicy{{Effect: EffectAllow, GroupIDs: []string{dnsRead}, Resources: onAccount}}, zoneRead, z1, false},
		{"deny overrides allow", []APITokenPolicy{
			{Effect: EffectAllow, GroupIDs: []string{zoneRead}, Resources: onAccount},
			{Effect: EffectDeny, GroupIDs: []string{zoneRead}, Resources: onZone1},
		}, zoneRead, z1, false},
		{"deny first, allow after: still denied", []APITokenPolicy{
			{Effect: EffectDeny, GroupIDs: []string{zoneRead}, Resources: onZone1},
			{Effect: EffectAllow, GroupIDs: []string{zoneRead}, Resources: onAccount},
		}, zoneRead, z1, false},
		{"deny elsewhere leaves the allow", []APITokenPolicy{
			{Effect: EffectAllow, GroupIDs: []string{zoneRead}, Resources: onAccount},
			{Effect: EffectDeny, GroupIDs: []string{zoneRead}, Resources: onZone1},
		}, zoneRead, z2, true},
		{"deny of another group leaves the allow", []APITokenPolicy{
			{Effect: EffectAllow, GroupIDs: []string{zoneRead}, Resources: onAccount},
			{Effect: EffectDeny, GroupIDs: []string{dnsRead}, Resources: onZone1},
		}, zoneRead, z1, true},
		{"deny alone holds nothing", []APITokenPolicy{{Effect: EffectDeny, GroupIDs: []string{zoneRead}, Resources: onZone1}}, zoneRead, z2, false},
		{"unknown effect holds nothing", []APITokenPolicy{{Effect: "maybe", GroupIDs: []string{zoneRead}, Resources: onAccount}}, zoneRead, z1, false},
		{"no policies", nil, zoneRead, z1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TokenHolds(tc.policies, tc.group, tc.r); got != tc.want {
				t.Errorf("TokenHolds = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTokenPolicyAccounts(t *testing.T) {
	got := TokenPolicyAccounts([]APITokenPolicy{
		{Resources: map[string]any{"com.cloudflare.api.account." + tcAcctB: "*", "com.cloudflare.api.account.*": "*"}},
		{Resources: map[string]any{"com.cloudflare.api.account." + tcAcctA: map[string]any{"com.cloudflare.api.account.zone.*": "*"},
			"com.cloudflare.api.account.zone." + tcZone1: "*", "com.cloudflare.api.user." + tcUser: "*"}},
		{Resources: map[string]any{"com.cloudflare.api.account." + "01A7362D577A6C3019A474FD6F485823": "*"}},
	})
	want := []string{tcAcctB, tcAcctA}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("TokenPolicyAccounts = %v, want %v", got, want)
	}
}
