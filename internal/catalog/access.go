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

// Well-known role names the rules refer to; the resource-scoped ones are in
// kinds.go.
const (
	RoleSuperAdministrator = "Super Administrator - All Privileges"
	RoleZeroTrustPII       = "Cloudflare Zero Trust PII"
)

// ResourceAccess returns the access a role gives to resources of kind (a
// resource kind's scope): every such resource of the account for an
// account-scoped role that covers them (the kind's Coverage), the bound ones
// for a role of that kind (its Roles), none for a role of another kind. A
// role with no scope (a live catalog's role whose metadata says none) is
// looked up in both.
func ResourceAccess(e Entry, kind Scope) Access {
	k, ok := KindOf(kind)
	if e.Kind != KindRole || !ok {
		return AccessNone
	}
	if e.Scope == "" || e.Scope == ScopeAccount {
		if a := accessByName(k.Coverage, e.Name); a != AccessNone || e.Scope == ScopeAccount {
			return a
		}
	}
	if e.Scope != "" && e.Scope != kind {
		return AccessNone
	}
	for _, r := range k.Roles {
		if strings.EqualFold(r.Name, e.Name) {
			return r.Access
		}
	}
	return AccessNone
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
