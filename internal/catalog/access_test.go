package catalog

import (
	"strings"
	"testing"
)

// The Logpush rule of logs-permissions.md: Administrator and Log Share edit
// Logpush jobs but, without Zero Trust PII Read, not those of the Zero Trust
// datasets; Super Administrator holds both; Log Share Reader edits nothing.
func TestLogpushZeroTrustGap(t *testing.T) {
	role := func(name string) Entry {
		e, err := Embedded().ResolveRole(name, ScopeAccount)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	names := func(es []Entry) string {
		var out []string
		for _, e := range es {
			out = append(out, e.Name)
		}
		return strings.Join(out, ", ")
	}
	for _, tc := range []struct {
		held []string
		want string
	}{
		{[]string{"Administrator"}, "Administrator"},
		{[]string{"Log Share", "Cloudflare Gateway"}, "Log Share"},
		{[]string{"Administrator", "Log Share"}, "Administrator, Log Share"},
		{[]string{"Administrator", RoleZeroTrustPII}, ""},
		{[]string{RoleZeroTrustPII, "Log Share"}, ""},
		{[]string{RoleSuperAdministrator}, ""},
		{[]string{RoleSuperAdministrator, "Administrator"}, ""},
		{[]string{"Log Share Reader"}, ""},
		{[]string{"Administrator Read Only", "Cloudflare Zero Trust"}, ""},
	} {
		var held []Entry
		for _, n := range tc.held {
			held = append(held, role(n))
		}
		if got := names(LogpushZeroTrustGap(held)); got != tc.want {
			t.Errorf("%v: gap %q, want %q", tc.held, got, tc.want)
		}
	}
}
