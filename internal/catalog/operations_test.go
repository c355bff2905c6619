package catalog

import (
	"slices"
	"testing"
)

// Every permission group the operations table names exists in the embedded
// catalog (generated from api-token-permission-groups.md) at the operation's scope.
func TestOperationGroupsExist(t *testing.T) {
	c := Embedded()
	if len(tokenOperationGroups) != len(Operations()) {
		t.Errorf("the table covers %d operations, Operations() lists %d", len(tokenOperationGroups), len(Operations()))
	}
	for _, op := range Operations() {
		scope, names := PermissionGroupsFor(op)
		if len(names) == 0 {
			t.Errorf("%s: no permission group allows it", op)
		}
		for _, n := range names {
			e, err := c.ResolvePermissionGroup(n, scope)
			if err != nil {
				t.Errorf("%s: %v", op, err)
				continue
			}
			if !PermissionGroupAllows(e, op) {
				t.Errorf("%s: the embedded %q (%s) does not allow it", op, e.Name, e.Scope)
			}
		}
	}
}

// Every role the role table names exists in the embedded catalog at its scope.
func TestRoleOperationsRolesExist(t *testing.T) {
	c := Embedded()
	for _, r := range roleOperations {
		e, err := c.ResolveRole(r.Role, r.Scope)
		if err != nil {
			t.Errorf("%s: %v", r.Role, err)
			continue
		}
		if got := RoleOperations(e); !slices.Equal(got, r.Ops) {
			t.Errorf("RoleOperations(%s) = %v, want %v", r.Role, got, r.Ops)
		}
	}
}

func pg(t *testing.T, name string, s Scope) Entry {
	t.Helper()
	e, err := Embedded().ResolvePermissionGroup(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func role(t *testing.T, name string, s Scope) Entry {
	t.Helper()
	e, err := Embedded().ResolveRole(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Expectations from api-token-permission-groups.md.
func TestPermissionGroupAllows(t *testing.T) {
	for _, tc := range []struct {
		group string
		scope Scope
		op    Operation
		want  bool
	}{
		{"Account Settings Read", ScopeAccount, OpMembersRead, true},
		{"Account Settings Read", ScopeAccount, OpMembersWrite, false},
		{"Account Settings Edit", ScopeAccount, OpMembersWrite, true},
		{"Account Settings Edit", ScopeAccount, OpMembersRead, true},
		{"Account Settings Read", ScopeAccount, OpTunnelsRead, false},
		{"Cloudflare Tunnel Read", ScopeAccount, OpTunnelsRead, true},
		{"Cloudflare Tunnel Read", ScopeAccount, OpRoutesWrite, false},
		{"Cloudflare Tunnel Edit", ScopeAccount, OpRoutesWrite, true},
		{"Zone Read", ScopeZone, OpZonesRead, true},
		{"Zone Read", ScopeZone, OpZonesWrite, false},
		{"Zone Edit", ScopeZone, OpZonesWrite, true},
		{"DNS Read", ScopeZone, OpZonesRead, false},
		{"API Tokens Read", ScopeUser, OpTokensRead, true},
		{"API Tokens Read", ScopeUser, OpTokensWrite, false},
		{"API Tokens Edit", ScopeUser, OpTokensWrite, true},
		{"User Details Read", ScopeUser, OpUserRead, true},
		{"User Details Edit", ScopeUser, OpUserWrite, true},
		{"Memberships Read", ScopeUser, OpMembersRead, false},
	} {
		if got := PermissionGroupAllows(pg(t, tc.group, tc.scope), tc.op); got != tc.want {
			t.Errorf("PermissionGroupAllows(%s, %s) = %v, want %v", tc.group, tc.op, got, tc.want)
		}
	}
	// The same name at another scope does not count: "Zone Read" is a zone group.
	if PermissionGroupAllows(Entry{Name: "Zone Read", Scope: ScopeAccount, Kind: KindPermissionGroup}, OpZonesRead) {
		t.Error("an account-scoped \"Zone Read\" allowed zones.read")
	}
	// A role is not a permission group.
	if PermissionGroupAllows(Entry{Name: "Account Settings Read", Scope: ScopeAccount, Kind: KindRole}, OpMembersRead) {
		t.Error("a role named like a permission group allowed an operation")
	}
	want := []Operation{OpAccountRead, OpMembersRead, OpRolesRead, OpIAMRead, OpResourceGroupsRead, OpAccountTokensRead}
	if got := OperationsOf(pg(t, "Account Settings Read", ScopeAccount)); !slices.Equal(got, want) {
		t.Errorf("OperationsOf(Account Settings Read) = %v, want %v", got, want)
	}
}

func TestTokenAllows(t *testing.T) {
	read := pg(t, "Account Settings Read", ScopeAccount)
	edit := pg(t, "Account Settings Edit", ScopeAccount)
	dns := pg(t, "DNS Read", ScopeZone)
	allow := func(g Entry) TokenGrant { return TokenGrant{Effect: EffectAllow, Group: g} }
	deny := func(g Entry) TokenGrant { return TokenGrant{Effect: EffectDeny, Group: g} }
	for _, tc := range []struct {
		name   string
		grants []TokenGrant
		op     Operation
		want   bool
	}{
		{"nothing", nil, OpMembersRead, false},
		{"read reads", []TokenGrant{allow(read)}, OpMembersRead, true},
		{"read does not write", []TokenGrant{allow(read)}, OpMembersWrite, false},
		{"edit writes", []TokenGrant{allow(edit)}, OpMembersWrite, true},
		{"an unrelated group", []TokenGrant{allow(dns)}, OpMembersRead, false},
		{"deny alone", []TokenGrant{deny(read)}, OpMembersRead, false},
		{"deny over allow", []TokenGrant{allow(read), deny(read)}, OpMembersRead, false},
		{"deny first", []TokenGrant{deny(edit), allow(edit)}, OpMembersWrite, false},
		{"a denied Edit takes its reads", []TokenGrant{allow(read), deny(edit)}, OpMembersRead, false},
		{"a denied Read leaves Edit's writes", []TokenGrant{allow(edit), deny(read)}, OpMembersWrite, true},
		{"an unrelated deny", []TokenGrant{allow(read), deny(dns)}, OpMembersRead, true},
	} {
		if got := TokenAllows(tc.grants, tc.op); got != tc.want {
			t.Errorf("%s: TokenAllows(%s) = %v, want %v", tc.name, tc.op, got, tc.want)
		}
	}
}

// Expectations from account-and-domain-roles.txt.
func TestRoleOperations(t *testing.T) {
	has := func(e Entry, op Operation) bool { return slices.Contains(RoleOperations(e), op) }
	super := role(t, RoleSuperAdministrator, ScopeAccount)
	admin := role(t, "Administrator", ScopeAccount)
	ro := role(t, "Administrator Read Only", ScopeAccount)
	minimal := role(t, "Minimal Account Access", ScopeAccount)
	access := role(t, "Cloudflare Access", ScopeAccount)
	domainDNS := role(t, "Domain DNS", ScopeZone)
	domainAdmin := role(t, "Domain Administrator", ScopeZone)
	for _, tc := range []struct {
		role Entry
		op   Operation
		want bool
	}{
		{super, OpMembersWrite, true}, // "manage memberships"
		{super, OpZonesWrite, true},
		{admin, OpMembersWrite, false}, // "Cannot manage memberships"
		{admin, OpMembersRead, true},   // "Can access the full account"
		{admin, OpResourceGroupsWrite, true},
		{admin, OpAccountWrite, true},
		{ro, OpMembersRead, true}, // "full account in read-only mode"
		{ro, OpZonesRead, true},
		{ro, OpResourceGroupsWrite, false},
		{ro, OpAccountWrite, false},
		{minimal, OpAccountRead, true}, // "Can view account, and nothing else."
		{minimal, OpMembersRead, false},
		{minimal, OpZonesRead, false},
		{access, OpMembersRead, false},
		{access, OpAccountRead, false},
		{domainDNS, OpZonesRead, true}, // a domain role on its zones
		{domainDNS, OpZonesWrite, false},
		{domainAdmin, OpZonesWrite, true},                                      // "full access to domains"
		{role(t, "Cloudflare Workers Admin", ScopeAccount), OpZonesRead, true}, // "read access to Zones"
	} {
		if got := has(tc.role, tc.op); got != tc.want {
			t.Errorf("%s allows %s: %v, want %v", tc.role.Name, tc.op, got, tc.want)
		}
	}
	for _, op := range RoleOperations(ro) {
		if op.Write() {
			t.Errorf("Administrator Read Only allows %s", op)
		}
	}
	if got := RoleOperations(minimal); !slices.Equal(got, []Operation{OpAccountRead}) {
		t.Errorf("Minimal Account Access: %v", got)
	}
}

func TestOperationScope(t *testing.T) {
	for op, want := range map[Operation]Scope{
		OpMembersRead: ScopeAccount, OpTunnelsWrite: ScopeAccount, OpZonesRead: ScopeZone,
		OpTokensWrite: ScopeUser, OpUserRead: ScopeUser, OpAccountTokensWrite: ScopeAccount,
	} {
		if got := op.Scope(); got != want {
			t.Errorf("%s.Scope() = %s, want %s", op, got, want)
		}
	}
	if OpMembersRead.Write() || !OpMembersWrite.Write() {
		t.Error("Write()")
	}
}
