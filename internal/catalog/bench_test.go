package catalog

import "testing"

func BenchmarkResolveRoleByName(b *testing.B) {
	c := Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ResolveRole("Cloudflare Zero Trust Read Only", ScopeAccount); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolvePermissionGroupAmbiguous(b *testing.B) {
	c := Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ResolvePermissionGroup("Logs Read", ScopeZone); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckRolesThreeScopes(b *testing.B) {
	c := Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if len(c.CheckRoles(ScopeAccount, []string{"Analytics", "Administrator Read Only"}))+
			len(c.CheckRoles(ScopeZone, []string{"Domain DNS"}))+
			len(c.CheckRoles(ScopeTunnel, []string{"Cloudflare Tunnel Instance Read"})) != 0 {
			b.Fatal("valid roles reported as problems")
		}
	}
}

func BenchmarkSuggestUnknownRole(b *testing.B) {
	c := Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if len(c.Suggest(KindRole, "Cloudflare Acess", ScopeAccount, 3)) == 0 {
			b.Fatal("no suggestion")
		}
	}
}
