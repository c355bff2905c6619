package catalog

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzResolve: any name, in any scope, resolves or fails with one of the
// catalog's typed errors, never panics, and suggestions are real names.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{"", "DNS", "Domain DNS", "Logs Read", "cloudflare acess", "Bot Management (Account-wide)",
		"e41ef52c8ca69c2d0572cfd75e8d1f01", strings.Repeat("a", 500), "\x00\xff", "Super Administrator - All Privileges"} {
		f.Add(seed, "account")
		f.Add(seed, "zone")
		f.Add(seed, "")
	}
	c := Embedded()
	f.Fuzz(func(t *testing.T, name, scope string) {
		for _, k := range []Kind{KindRole, KindPermissionGroup} {
			e, err := c.Resolve(k, name, Scope(scope))
			if err == nil {
				if e.Kind != k || (scope != "" && string(e.Scope) != scope) {
					t.Fatalf("Resolve(%q, %q) = %+v", name, scope, e)
				}
				continue
			}
			var nf *NotFoundError
			var ws *WrongScopeError
			var amb *AmbiguousError
			var bad *InvalidScopeError
			if !errors.As(err, &nf) && !errors.As(err, &ws) && !errors.As(err, &amb) && !errors.As(err, &bad) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if nf != nil {
				for _, s := range nf.Suggestions {
					name, _, _ := strings.Cut(s, " (")
					if len(c.Find(k, name)) == 0 && len(c.Find(k, s)) == 0 {
						t.Fatalf("suggestion %q is not a %s", s, k)
					}
				}
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(name) && utf8.ValidString(scope) {
				t.Fatalf("error text is not valid UTF-8: %q", err.Error())
			}
		}
	})
}

// FuzzParseResourceKey: parsing never panics, and what parses prints back the same.
func FuzzParseResourceKey(f *testing.F) {
	for _, seed := range []string{"com.cloudflare.api.account.f037e56e89293a057740de681ac9abbe", "com.cloudflare.api.account.zone.*",
		"com.cloudflare.api.account.cfd_tunnel.f70ff985-a4ef-4643-bbbc-4a0ed4fc8415", "com.cloudflare.api.user.", "", "com.cloudflare.api.account.zone.a.b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		s, id, err := ParseResourceKey(key)
		if err != nil {
			return
		}
		if got := ResourceKey(s, id); got != key {
			t.Fatalf("ParseResourceKey(%q) = %s, %q, which prints as %q", key, s, id, got)
		}
		if _, err := ParseScope(string(s)); err != nil {
			t.Fatalf("parsed scope %q does not parse: %v", s, err)
		}
	})
}

// FuzzCheckRoles: any role list at any scope gives problems with a valid
// index and a summary, never a panic.
func FuzzCheckRoles(f *testing.F) {
	f.Add("Domain DNS\nAdministrator", "zone")
	f.Add("", "account")
	f.Add("\n\n", "tunnel")
	c := Embedded()
	f.Fuzz(func(t *testing.T, roles, scope string) {
		// A few refs an input keep each run short (suggestions cost ~0.3 ms a
		// name): a slow input at the end of -fuzztime fails the run with
		// "context deadline exceeded" rather than finding anything.
		refs := strings.Split(roles, "\n")
		if len(refs) > 8 {
			refs = refs[:8]
		}
		for i := range refs {
			if len(refs[i]) > 200 {
				refs[i] = refs[i][:200]
			}
		}
		for _, p := range c.CheckRoles(Scope(scope), refs) {
			if p.Index < -1 || p.Index >= len(refs) || p.Summary == "" || p.Detail == "" {
				t.Fatalf("bad problem %+v for %d refs", p, len(refs))
			}
		}
	})
}
