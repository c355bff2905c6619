package catalog

import "testing"

// Reaches, from the reference pages: "Cloudflare Access" can edit Access and
// Tunnels (account-and-domain-roles.txt), Minimal Account Access covers no
// kind, Administrator every zone; a role bound to objects reaches its kind,
// and Access App Admin on an application also the policies attached to it.
func TestReaches(t *testing.T) {
	access := accountGrant(t, EffectAllow, "Cloudflare Access")
	appAdmin := boundGrant(t, EffectAllow, RoleAccessAppAdmin, ScopeAccessApplication, "app-a")
	for _, tc := range []struct {
		name   string
		grants []Grant
		kind   Scope
		want   bool
		// bound: BoundTo, the grants' own objects, account roles left out
		bound bool
	}{
		{"no grants", nil, ScopeTunnel, false, false},
		{"an account role that covers no kind", []Grant{accountGrant(t, EffectAllow, "Minimal Account Access")}, ScopeTunnel, false, false},
		{"an account role that covers Tunnels", []Grant{access}, ScopeTunnel, true, false},
		{"... and Access applications", []Grant{access}, ScopeAccessApplication, true, false},
		{"an account-wide deny names no object", []Grant{accountGrant(t, EffectDeny, "Cloudflare Access")}, ScopeTunnel, false, false},
		{"a Tunnel role bound to a Tunnel", []Grant{boundGrant(t, EffectAllow, RoleTunnelInstanceRead, ScopeTunnel, tunA)}, ScopeTunnel, true, true},
		{"... reaches no Mesh node", []Grant{boundGrant(t, EffectAllow, RoleTunnelInstanceRead, ScopeTunnel, tunA)}, ScopeMeshNode, false, false},
		{"a deny bound to a Tunnel", []Grant{boundGrant(t, EffectDeny, RoleTunnelAdmin, ScopeTunnel, tunB)}, ScopeTunnel, true, true},
		{"an application role reaches applications", []Grant{appAdmin}, ScopeAccessApplication, true, true},
		{"... and the policies attached to them", []Grant{appAdmin}, ScopeAccessPolicy, true, true},
		{"... not identity providers", []Grant{appAdmin}, ScopeAccessIdentityProvider, false, false},
		{"an account role bound to a Tunnel counts for nothing",
			[]Grant{{Effect: EffectAllow, Role: role(t, "Cloudflare Access", ScopeAccount), Scope: ScopeTunnel, ResourceIDs: []string{tunA}}}, ScopeTunnel, false, false},
		{"a domain role on a zone", []Grant{boundGrant(t, EffectAllow, "Domain DNS", ScopeZone, zoneA)}, ScopeZone, true, true},
		{"Administrator on every zone", []Grant{accountGrant(t, EffectAllow, "Administrator")}, ScopeZone, true, false},
		{"Minimal Account Access on no zone", []Grant{accountGrant(t, EffectAllow, "Minimal Account Access")}, ScopeZone, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Reaches(tc.grants, tc.kind); got != tc.want {
				t.Errorf("Reaches(%s) = %v, want %v", tc.kind, got, tc.want)
			}
			if got := BoundTo(tc.grants, tc.kind); got != tc.bound {
				t.Errorf("BoundTo(%s) = %v, want %v", tc.kind, got, tc.bound)
			}
			// Where BoundTo says no, whatever reaches an object of the kind
			// is an account role, and nothing is denied there.
			if !BoundTo(tc.grants, tc.kind) {
				eff := EffectiveAttachedAccess(tc.grants, []string{tunA, tunB, "app-a", "policy-a"}, tc.kind, map[string]string{"policy-a": "app-a"})
				if tc.kind == ScopeZone {
					eff = EffectiveZoneAccess(tc.grants, []string{zoneA, zoneB})
				}
				for id, a := range eff {
					for _, r := range a.Reasons {
						if r.Scope != ScopeAccount {
							t.Errorf("%s %s: reason %+v bound to an object, though BoundTo says no", tc.kind, id, r)
						}
					}
					if len(a.Denied) > 0 {
						t.Errorf("%s %s: denied %+v, though BoundTo says no", tc.kind, id, a.Denied)
					}
				}
			}
			// Where it says no, the effective access of any object of the
			// kind has neither a reason nor a deny.
			if !tc.want {
				eff := EffectiveResourceAccess(tc.grants, []string{tunA, tunB, "app-a"}, tc.kind)
				if tc.kind == ScopeZone {
					eff = EffectiveZoneAccess(tc.grants, []string{zoneA, zoneB})
				}
				for id, a := range eff {
					if len(a.Reasons)+len(a.Denied) > 0 {
						t.Errorf("%s %s: %+v, though Reaches says no", tc.kind, id, a)
					}
				}
			}
		})
	}
}
