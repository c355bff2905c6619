package catalog

import (
	"slices"
	"strings"
)

// Operation is one kind of API call the project reasons about: what a route
// of Cloudflare's API does, independent of who calls it. The emulator maps
// each route to one; the two tables below say which API token permission
// groups (tokenOperationGroups) and which member roles (roleOperations)
// allow it.
type Operation string

// The operations, named "<object>.<read|write>".
const (
	OpAccountRead         Operation = "account.read"          // GET /accounts, GET /accounts/{id}
	OpAccountWrite        Operation = "account.write"         // PUT /accounts/{id}
	OpMembersRead         Operation = "members.read"          // GET /accounts/{id}/members[/{id}]
	OpMembersWrite        Operation = "members.write"         // POST, PUT, DELETE members
	OpRolesRead           Operation = "roles.read"            // GET /accounts/{id}/roles[/{id}]
	OpIAMRead             Operation = "iam.read"              // GET /accounts/{id}/iam/permission_groups[/{id}]
	OpResourceGroupsRead  Operation = "resource_groups.read"  // GET /accounts/{id}/iam/resource_groups[/{id}]
	OpResourceGroupsWrite Operation = "resource_groups.write" // POST, PUT, DELETE resource groups
	OpAccountTokensRead   Operation = "account_tokens.read"   // GET /accounts/{id}/tokens[...], its permission groups
	OpAccountTokensWrite  Operation = "account_tokens.write"  // POST, PUT, DELETE, roll account-owned tokens
	OpZonesRead           Operation = "zones.read"            // GET /zones, GET /zones/{id}
	OpZonesWrite          Operation = "zones.write"           // POST /zones, PATCH, DELETE /zones/{id}
	OpTunnelsRead         Operation = "tunnels.read"          // GET /accounts/{id}/cfd_tunnel[/{id}]
	OpTunnelsWrite        Operation = "tunnels.write"         // POST, PATCH, DELETE Tunnels
	OpRoutesRead          Operation = "routes.read"           // GET /accounts/{id}/teamnet/routes[...]
	OpRoutesWrite         Operation = "routes.write"          // POST, PATCH, DELETE Tunnel routes
	OpUserRead            Operation = "user.read"             // GET /user
	OpUserWrite           Operation = "user.write"            // PATCH /user
	OpTokensRead          Operation = "tokens.read"           // GET /user/tokens[...], its permission groups
	OpTokensWrite         Operation = "tokens.write"          // POST, PUT, DELETE, roll user-owned tokens
)

// Each resource kind adds its read operation ("<Plural>.read", GET of its
// list and get routes): Tunnels' is OpTunnelsRead.
var operations = withKindReads([]Operation{
	OpAccountRead, OpAccountWrite, OpMembersRead, OpMembersWrite, OpRolesRead, OpIAMRead,
	OpResourceGroupsRead, OpResourceGroupsWrite, OpAccountTokensRead, OpAccountTokensWrite,
	OpZonesRead, OpZonesWrite, OpTunnelsRead, OpTunnelsWrite, OpRoutesRead, OpRoutesWrite,
}, OpUserRead, OpUserWrite, OpTokensRead, OpTokensWrite)

// withKindReads is ops, each kind's read operation not already in it, then rest.
func withKindReads(ops []Operation, rest ...Operation) []Operation {
	for _, k := range kinds {
		if op := k.ReadOperation(); !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
	}
	return append(ops, rest...)
}

// Operations returns every operation, in display order.
func Operations() []Operation { return append([]Operation(nil), operations...) }

// Write reports whether the operation changes state.
func (o Operation) Write() bool { return strings.HasSuffix(string(o), ".write") }

// Scope is the kind of resource the operation is checked on: a zone for the
// zone operations, the user for the user's own details and tokens, the
// account for the rest (Tunnels and routes included: their permission groups
// are account permission groups).
func (o Operation) Scope() Scope {
	switch o {
	case OpZonesRead, OpZonesWrite:
		return ScopeZone
	case OpUserRead, OpUserWrite, OpTokensRead, OpTokensWrite:
		return ScopeUser
	}
	return ScopeAccount
}

// tokenOperationGroups is the one table of which API token permission groups
// allow which operation, at the operation's scope (Operation.Scope). Every
// name is in api-token-permission-groups.md, in the section of that scope;
// an Edit group allows what its Read group does. Sources, by row:
//   - account, members, roles, IAM permission and resource groups, account
//     tokens: "Account Settings Read | Grants read access to Account
//     resources, account membership, and account level features" (and
//     "Account Settings Edit | Grants write access to ..."). The reference
//     has no separate permission group for account-owned tokens; they are
//     account resources.
//   - zones: "Zone Read | Grants read access to zone management", "Zone Edit
//     | Grants write access to zone management" (Zone permissions).
//   - Tunnels and their routes: "Cloudflare Tunnel Read | Grants access to
//     view Cloudflare Tunnels", "Cloudflare Tunnel Edit | Grants access to
//     create and delete Cloudflare Tunnels" (Account permissions; routes are
//     part of a Tunnel's private network configuration).
//   - user details: "User Details Read | Grants read access to user
//     details", "User Details Edit | Grants write access to user details".
//   - user tokens: "API Tokens Read | Grants read access to user's API
//     tokens", "API Tokens Edit | Grants write access to user's API tokens".
//   - each resource kind's reads: its ReadGroups (kinds.go).
var tokenOperationGroups = withKindGroups(map[Operation][]string{
	OpAccountRead:         {"Account Settings Read", "Account Settings Edit"},
	OpAccountWrite:        {"Account Settings Edit"},
	OpMembersRead:         {"Account Settings Read", "Account Settings Edit"},
	OpMembersWrite:        {"Account Settings Edit"},
	OpRolesRead:           {"Account Settings Read", "Account Settings Edit"},
	OpIAMRead:             {"Account Settings Read", "Account Settings Edit"},
	OpResourceGroupsRead:  {"Account Settings Read", "Account Settings Edit"},
	OpResourceGroupsWrite: {"Account Settings Edit"},
	OpAccountTokensRead:   {"Account Settings Read", "Account Settings Edit"},
	OpAccountTokensWrite:  {"Account Settings Edit"},
	OpZonesRead:           {"Zone Read", "Zone Edit"},
	OpZonesWrite:          {"Zone Edit"},
	OpTunnelsRead:         {"Cloudflare Tunnel Read", "Cloudflare Tunnel Edit"},
	OpTunnelsWrite:        {"Cloudflare Tunnel Edit"},
	OpRoutesRead:          {"Cloudflare Tunnel Read", "Cloudflare Tunnel Edit"},
	OpRoutesWrite:         {"Cloudflare Tunnel Edit"},
	OpUserRead:            {"User Details Read", "User Details Edit"},
	OpUserWrite:           {"User Details Edit"},
	OpTokensRead:          {"API Tokens Read", "API Tokens Edit"},
	OpTokensWrite:         {"API Tokens Edit"},
})

// withKindGroups adds each resource kind's read operation with its ReadGroups.
func withKindGroups(m map[Operation][]string) map[Operation][]string {
	for _, k := range kinds {
		m[k.ReadOperation()] = k.ReadGroups
	}
	return m
}

// PermissionGroupsFor returns the names of the API token permission groups
// that allow op, and the scope they belong to.
func PermissionGroupsFor(op Operation) (Scope, []string) {
	return op.Scope(), append([]string(nil), tokenOperationGroups[op]...)
}

// PermissionGroupAllows reports whether API token permission group g allows
// op: g has one of the op's names (case-insensitive) at the op's scope.
func PermissionGroupAllows(g Entry, op Operation) bool {
	if g.Kind != KindPermissionGroup || g.Scope != op.Scope() {
		return false
	}
	for _, n := range tokenOperationGroups[op] {
		if strings.EqualFold(n, g.Name) {
			return true
		}
	}
	return false
}

// OperationsOf returns the operations API token permission group g allows, in display order.
func OperationsOf(g Entry) []Operation {
	var out []Operation
	for _, op := range operations {
		if PermissionGroupAllows(g, op) {
			out = append(out, op)
		}
	}
	return out
}

// TokenGrant is one permission group of an API token policy that covers the
// resource being asked about.
type TokenGrant struct {
	Effect Effect
	Group  Entry
}

// TokenAllows reports whether a token's grants on a resource allow op: an
// allow grant of a permission group that allows op, and no deny grant of one
// (deny is evaluated over allow, so a denied Edit group also takes away the
// reads it includes).
func TokenAllows(grants []TokenGrant, op Operation) bool {
	allowed := false
	for _, g := range grants {
		if !PermissionGroupAllows(g.Group, op) {
			continue
		}
		if g.Effect == EffectDeny {
			return false
		}
		if g.Effect == EffectAllow {
			allowed = true
		}
	}
	return allowed
}

// accountReads are the read operations on account objects (zones included).
var accountReads = []Operation{OpAccountRead, OpMembersRead, OpRolesRead, OpIAMRead, OpResourceGroupsRead, OpAccountTokensRead, OpZonesRead}

// accountWrites are the write operations on account objects, membership aside.
var accountWrites = []Operation{OpAccountWrite, OpResourceGroupsWrite, OpAccountTokensWrite, OpZonesWrite}

func opsOf(groups ...[]Operation) []Operation {
	var out []Operation
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// roleOperationsRow: a role, the scope it is granted at, and the operations
// it allows there (account-wide for an account scope, on the bound zones for
// a zone scope).
type roleOperationsRow struct {
	Role  string
	Scope Scope
	Ops   []Operation
}

// roleOperations is the one table of which member roles allow which account
// operation (Tunnels and their routes aside: TunnelAccess covers them). Each
// row quotes account-and-domain-roles.txt:
//   - Super Administrator - All Privileges: "Can edit any Cloudflare setting,
//     make purchases, update billing, and manage memberships."
//   - Administrator: "Can access the full account and edit subscriptions.
//     Cannot manage memberships nor billing profile." (everything but
//     membership writes)
//   - Administrator Read Only: "Can access the full account in read-only mode."
//   - Minimal Account Access: "Can view account, and nothing else."
//   - Cloudflare Workers Admin: "Also provides read access to Zones, Zone
//     Analytics and Page Rules."
//   - Domain Administrator (on zones): "Grants full access to domains in an account"
//   - Domain Administrator Read Only (on zones): "Grants read-only access to
//     domains in an account"
//
// Every other domain-scoped role reads the zones it is bound to: "Domain-scoped
// roles apply for a given domain within an account" (see zoneRoleOperations).
var roleOperations = []roleOperationsRow{
	{RoleSuperAdministrator, ScopeAccount, opsOf(accountReads, accountWrites, []Operation{OpMembersWrite})},
	{"Administrator", ScopeAccount, opsOf(accountReads, accountWrites)},
	{"Administrator Read Only", ScopeAccount, accountReads},
	{"Minimal Account Access", ScopeAccount, []Operation{OpAccountRead}},
	{"Cloudflare Workers Admin", ScopeAccount, []Operation{OpZonesRead}},
	{"Domain Administrator", ScopeZone, []Operation{OpZonesRead, OpZonesWrite}},
	{"Domain Administrator Read Only", ScopeZone, []Operation{OpZonesRead}},
}

// RoleOperations returns the operations role e allows where it is granted:
// across the account for an account-scoped role, on its zones for a
// domain-scoped one (every domain role reads its zones). Tunnel operations
// are not here: see TunnelAccess.
func RoleOperations(e Entry) []Operation {
	if e.Kind != KindRole {
		return nil
	}
	for _, r := range roleOperations {
		if r.Scope == e.Scope && strings.EqualFold(r.Role, e.Name) {
			return append([]Operation(nil), r.Ops...)
		}
	}
	if e.Scope == ScopeZone {
		return []Operation{OpZonesRead}
	}
	return nil
}

// roleAllows reports whether role e allows op where it is granted.
func roleAllows(e Entry, op Operation) bool {
	for _, o := range RoleOperations(e) {
		if o == op {
			return true
		}
	}
	return false
}
