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

// Well-known role names the rules refer to.
const (
	RoleSuperAdministrator = "Super Administrator - All Privileges"
	RoleZeroTrustPII       = "Cloudflare Zero Trust PII"
	RoleTunnelInstanceRead = "Cloudflare Tunnel Instance Read"
	RoleTunnelAdmin        = "Cloudflare Tunnel Instance Admin"
)

// tunnelCoverage is the one table of which roles give access to Cloudflare
// Tunnels. Account-scoped roles here cover every Tunnel of the account;
// Tunnel-scoped roles cover the Tunnels they are bound to. Sources:
// account-and-domain-roles.txt ("Can edit Cloudflare Access and Cloudflare
// Tunnel"; the Email admin roles' "write access to ... Tunnels"),
// zero-trust-roles.md (Zero Trust roles administer Tunnel), and
// tunnel-granular-permissions.txt (account roles such as Cloudflare Access
// keep write access to every Tunnel).
var tunnelCoverage = map[string]Access{
	RoleSuperAdministrator:            AccessEdit,
	"Administrator":                   AccessEdit,
	"Administrator Read Only":         AccessRead,
	"Cloudflare Access":               AccessEdit,
	"Cloudflare Zero Trust":           AccessEdit,
	"Cloudflare Zero Trust Read Only": AccessRead,
	"Email Configuration Admin":       AccessEdit,
	"Email Integration Admin":         AccessEdit,
	RoleTunnelInstanceRead:            AccessRead,
	RoleTunnelAdmin:                   AccessEdit,
}

// TunnelAccess returns the access a role gives to the Tunnels it covers: every
// Tunnel of the account for an account-scoped role, the bound Tunnels for a
// Tunnel-scoped one.
func TunnelAccess(e Entry) Access {
	if e.Kind != KindRole {
		return AccessNone
	}
	for name, a := range tunnelCoverage {
		if strings.EqualFold(name, e.Name) {
			return a
		}
	}
	return AccessNone
}

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
