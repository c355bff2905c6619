package catalog

import (
	"slices"
	"strings"
)

// Access is a level of access to a resource.
type Access int

const (
	AccessNone Access = iota
	AccessRead
	AccessEdit
)

func (a Access) String() string {
	switch a {
	case AccessRead:
		return "read"
	case AccessEdit:
		return "edit"
	}
	return "none"
}

// Well-known role names the rules refer to. The resource-scoped ones are not
// in the reference pages: the emulator seeds them, and the embedded catalog
// carries them (gen/); a live catalog's other resource-scoped roles are known
// by the scope in their metadata.
const (
	RoleSuperAdministrator = "Super Administrator - All Privileges"
	RoleZeroTrustPII       = "Cloudflare Zero Trust PII"
	RoleTunnelInstanceRead = "Cloudflare Tunnel Instance Read"
	RoleTunnelAdmin        = "Cloudflare Tunnel Instance Admin"
	RoleMeshNodeRead       = "Cloudflare Mesh Node Read"
	RoleMeshNodeAdmin      = "Cloudflare Mesh Node Admin"
)

// accountResourceCoverage is the one table of which account-scoped roles
// cover every Cloudflare Tunnel and every Cloudflare Mesh node of the
// account. Sources: account-and-domain-roles.txt ("Can edit Cloudflare Access
// and Cloudflare Tunnel"; the Email admin roles' "write access to ...
// Tunnels"), zero-trust-roles.md (Zero Trust roles administer Tunnel), and
// tunnel-granular-permissions.txt (account roles such as Cloudflare Access
// keep write access to every Tunnel; the same RBAC capability applies to
// Mesh nodes alongside Tunnels, so the same account roles cover both, as no
// reference page says otherwise).
var accountResourceCoverage = map[string]Access{
	RoleSuperAdministrator:            AccessEdit,
	"Administrator":                   AccessEdit,
	"Administrator Read Only":         AccessRead,
	"Cloudflare Access":               AccessEdit,
	"Cloudflare Zero Trust":           AccessEdit,
	"Cloudflare Zero Trust Read Only": AccessRead,
	"Email Configuration Admin":       AccessEdit,
	"Email Integration Admin":         AccessEdit,
}

// scopedRoleAccess is what each known resource-scoped role gives to the
// resources it is bound to, by the kind it binds to.
var scopedRoleAccess = map[Scope]map[string]Access{
	ScopeTunnel:   {RoleTunnelInstanceRead: AccessRead, RoleTunnelAdmin: AccessEdit},
	ScopeMeshNode: {RoleMeshNodeRead: AccessRead, RoleMeshNodeAdmin: AccessEdit},
}

// ResourceAccess returns the access a role gives to resources of kind (a
// resource-scoped scope: ScopeTunnel or ScopeMeshNode): every such resource
// of the account for an account-scoped role that covers them, the bound ones
// for a role scoped to that kind, none for a role scoped to another kind.
func ResourceAccess(e Entry, kind Scope) Access {
	if e.Kind != KindRole || !kind.ResourceScoped() {
		return AccessNone
	}
	if e.Scope == "" || e.Scope == ScopeAccount {
		if a := accessByName(accountResourceCoverage, e.Name); a != AccessNone || e.Scope == ScopeAccount {
			return a
		}
	}
	if e.Scope != "" && e.Scope != kind {
		return AccessNone
	}
	return accessByName(scopedRoleAccess[kind], e.Name)
}

func accessByName(table map[string]Access, name string) Access {
	for n, a := range table {
		if strings.EqualFold(n, name) {
			return a
		}
	}
	return AccessNone
}

// TunnelAccess returns the access a role gives to the Tunnels it covers: every
// Tunnel of the account for an account-scoped role, the bound Tunnels for a
// Tunnel-scoped one.
func TunnelAccess(e Entry) Access { return ResourceAccess(e, ScopeTunnel) }

// MeshNodeAccess is TunnelAccess for Cloudflare Mesh nodes.
func MeshNodeAccess(e Entry) Access { return ResourceAccess(e, ScopeMeshNode) }

// RequiresZeroTrustPII reports whether a role's own description says it needs
// the Cloudflare Zero Trust PII role beside it (the Email Security roles).
func RequiresZeroTrustPII(e Entry) bool {
	return e.Kind == KindRole && strings.Contains(e.Description, "Requires Cloudflare Zero Trust PII")
}

// logpushEditors are the roles that include Logs Edit, and so configure
// Logpush jobs: logs-permissions.md ("Super Administrator, Administrator and
// the Log Share roles have full access to ... Logpush"; "only roles with Log
// Share edit permissions can read and configure Logpush jobs", which leaves
// out Log Share Reader).
var logpushEditors = []string{RoleSuperAdministrator, "Administrator", "Log Share"}

// EditsLogpush reports whether a role includes Logs Edit: it may configure
// Logpush jobs.
func EditsLogpush(e Entry) bool {
	return e.Kind == KindRole && slices.ContainsFunc(logpushEditors, func(n string) bool { return strings.EqualFold(n, e.Name) })
}

// LogpushZeroTrustGap returns the roles among held that edit Logpush jobs
// but, for want of Zero Trust PII Read, not those of the Zero Trust datasets
// (Access, Gateway, DEX): per logs-permissions.md those need both Logs Edit
// and Zero Trust: PII Read, which the Administrator and Log Share roles do
// not include; a Super Administrator holds both, and the Cloudflare Zero
// Trust PII role adds the second.
func LogpushZeroTrustGap(held []Entry) []Entry {
	var editors []Entry
	for _, e := range held {
		switch {
		case IsSuperAdministrator(e), e.Kind == KindRole && strings.EqualFold(e.Name, RoleZeroTrustPII):
			return nil
		case EditsLogpush(e):
			editors = append(editors, e)
		}
	}
	return editors
}

// IsSuperAdministrator reports whether e is the Super Administrator role.
func IsSuperAdministrator(e Entry) bool {
	return e.Kind == KindRole && strings.EqualFold(e.Name, RoleSuperAdministrator)
}
