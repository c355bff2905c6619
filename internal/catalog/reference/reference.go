// Package reference holds expectations written by hand from Cloudflare's
// reference pages (../shared/reference/), for the oracle tests of the catalog
// (internal/catalog/reference_oracle_test.go) and of the emulator
// (internal/emulator/reference_oracle_test.go). Nothing here is computed from
// the catalog: the embedded catalog and the emulator are seeded from the
// same generator, so a scope it gets wrong passes both unless it is checked
// against a table written by someone reading the pages. Only tests import
// this package.
package reference

import "github.com/cfiam/terraform-provider-cfiam/internal/catalog"

const (
	account = catalog.ScopeAccount
	zone    = catalog.ScopeZone
	tunnel  = catalog.ScopeTunnel
	user    = catalog.ScopeUser

	role = catalog.KindRole
	pg   = catalog.KindPermissionGroup

	rolesPage  = "account-and-domain-roles.txt"
	groupsPage = "api-token-permission-groups.md"
	ztPage     = "zero-trust-roles.md"
	tunnelPage = "tunnel-granular-permissions.txt"
	kindsPage  = "resource-scoped-kinds.md"

	// The scopes of the five Access kinds, spelt out by hand from the
	// policy attributes PRODUCT.md fixes (access_application_ids, ...).
	accessApp    catalog.Scope = "access_application"
	accessIdP    catalog.Scope = "access_identity_provider"
	accessPolicy catalog.Scope = "access_policy"
	accessToken  catalog.Scope = "access_service_token"
	infraTarget  catalog.Scope = "infrastructure_target"
)

// Row is one role or permission group: its name exactly as the page spells
// it, its kind, and every scope at which the pages list that name for that
// kind (a name that is both a role and a permission group has one row per kind).
type Row struct {
	Name   string
	Kind   catalog.Kind
	Scopes []catalog.Scope
	Source string // the page (and table) the row was copied from
}

func sc(s ...catalog.Scope) []catalog.Scope { return s }

// Rows is the hand table. Roles: "Account-scoped roles" and "Domain-scoped
// roles" of account-and-domain-roles.txt, the Zero Trust table of
// zero-trust-roles.md. Permission groups: the "User", "Account" and "Zone
// permissions" tables of api-token-permission-groups.md.
var Rows = []Row{
	// Account-scoped roles (account-and-domain-roles.txt).
	{"Administrator", role, sc(account), rolesPage},
	{"Super Administrator - All Privileges", role, sc(account), rolesPage},
	{"Administrator Read Only", role, sc(account), rolesPage},
	{"Billing", role, sc(account), rolesPage},
	{"Cloudflare Access", role, sc(account), rolesPage},
	{"Cloudflare Gateway", role, sc(account), rolesPage},
	{"Cloudflare Zero Trust", role, sc(account), rolesPage},
	{"Cloudflare Zero Trust PII", role, sc(account), rolesPage},
	{"Cloudflare Zero Trust Read Only", role, sc(account), rolesPage},
	{"Cloudflare Zero Trust Reporting", role, sc(account), rolesPage},
	{"DNS", role, sc(account), rolesPage},
	{"Email Configuration Admin", role, sc(account), rolesPage},
	{"Email Integration Admin", role, sc(account), rolesPage},
	{"Email Security Analyst", role, sc(account), rolesPage},
	{"Minimal Account Access", role, sc(account), rolesPage},
	{"Network Services Write (Magic)", role, sc(account), rolesPage},
	{"Network Services Read (Magic)", role, sc(account), rolesPage},
	{"Log Share", role, sc(account), rolesPage},
	{"Log Share Reader", role, sc(account), rolesPage},
	{"Magic Network Monitoring Read-Only", role, sc(account), rolesPage},
	{"Bot Management (Account-wide)", role, sc(account), rolesPage},
	{"Zone Versioning (Account-Wide)", role, sc(account), rolesPage},
	{"Zone Versioning Read (Account-Wide)", role, sc(account), rolesPage},
	{"API Gateway", role, sc(account), rolesPage},
	{"API Gateway Read", role, sc(account), rolesPage}, // also a permission group, below
	{"Page Shield", role, sc(account), rolesPage},
	{"Page Shield Read", role, sc(account), rolesPage},  // also a permission group
	{"Cache Purge", role, sc(account), rolesPage},       // also a zone permission group
	{"Turnstile Read", role, sc(account), rolesPage},    // also an account permission group
	{"Waiting Room Read", role, sc(account), rolesPage}, // also a zone permission group
	{"Zaraz Read", role, sc(account), rolesPage},        // also a zone permission group
	{"Zaraz Edit", role, sc(account), rolesPage},        // also a zone permission group
	{"Cloudflare Workers Admin", role, sc(account), rolesPage},
	// Zero Trust table (zero-trust-roles.md): account roles not on the roles page.
	{"Cloudflare CASB", role, sc(account), ztPage},
	{"Cloudflare CASB Read", role, sc(account), ztPage},
	// Domain-scoped roles (account-and-domain-roles.txt). None shares its name
	// with an account role: the account-wide ones carry "(Account-wide)" or
	// drop "Domain" ("Bot Management" / "Bot Management (Account-wide)").
	{"Bot Management", role, sc(zone), rolesPage},
	{"Cache Domain Purge", role, sc(zone), rolesPage},
	{"Domain Administrator", role, sc(zone), rolesPage},
	{"Domain Administrator Read Only", role, sc(zone), rolesPage},
	{"Domain API Gateway", role, sc(zone), rolesPage},
	{"Domain DNS", role, sc(zone), rolesPage},
	{"Domain Page Shield", role, sc(zone), rolesPage},
	{"Domain Waiting Room Read", role, sc(zone), rolesPage},
	{"Zone Versioning", role, sc(zone), rolesPage},
	{"Zone Versioning Read", role, sc(zone), rolesPage}, // also a zone permission group
	// Resource-scoped roles for Cloudflare Tunnel instances. The granular
	// permissions page says to "choose a resource-scoped role that targets
	// Cloudflare Tunnel instances" but our copy of the pages does not name
	// them; these two names are the generator's (gen/main.go), not the pages'.
	{"Cloudflare Tunnel Instance Read", role, sc(tunnel), tunnelPage},
	{"Cloudflare Tunnel Instance Admin", role, sc(tunnel), tunnelPage},
	// Resource-scoped roles of the Access kinds (resource-scoped-kinds.md,
	// "Resource-scoped roles"): one Admin role each, no read-only variant.
	{"Cloudflare Access App Admin", role, sc(accessApp), kindsPage},
	{"Cloudflare Access Identity Provider Admin", role, sc(accessIdP), kindsPage},
	{"Cloudflare Access Policy Admin", role, sc(accessPolicy), kindsPage},
	{"Cloudflare Access Service Token Admin", role, sc(accessToken), kindsPage},
	{"Access for Infrastructure Target Admin", role, sc(infraTarget), kindsPage},

	// User permissions (api-token-permission-groups.md, com.cloudflare.api.user).
	{"API Tokens Read", pg, sc(user), groupsPage},
	{"API Tokens Edit", pg, sc(user), groupsPage},
	{"Memberships Read", pg, sc(user), groupsPage},
	{"Memberships Edit", pg, sc(user), groupsPage},
	{"User Details Read", pg, sc(user), groupsPage},
	{"User Details Edit", pg, sc(user), groupsPage},
	// Account permissions (com.cloudflare.api.account) only.
	{"Account Settings Read", pg, sc(account), groupsPage},
	{"Account Settings Edit", pg, sc(account), groupsPage},
	{"Account Analytics Read", pg, sc(account), groupsPage},
	{"Billing Read", pg, sc(account), groupsPage},
	{"Billing Edit", pg, sc(account), groupsPage},
	{"Cloudflare Tunnel Read", pg, sc(account), groupsPage},
	{"Cloudflare Tunnel Edit", pg, sc(account), groupsPage},
	{"Account: SSL and Certificates Read", pg, sc(account), groupsPage},
	{"Magic Network Monitoring Read", pg, sc(account), groupsPage},
	{"Turnstile Read", pg, sc(account), groupsPage},
	{"Workers Scripts Edit", pg, sc(account), groupsPage},
	{"Zero Trust Read", pg, sc(account), groupsPage},
	{"Zero Trust Edit", pg, sc(account), groupsPage},
	// In both the Account and the Zone permissions tables: every such name.
	{"Access: Apps and Policies Read", pg, sc(account, zone), groupsPage},
	{"Access: Apps and Policies Revoke", pg, sc(account, zone), groupsPage},
	{"Access: Apps and Policies Edit", pg, sc(account, zone), groupsPage},
	{"API Gateway Read", pg, sc(account, zone), groupsPage},
	{"API Gateway Edit", pg, sc(account, zone), groupsPage},
	{"Logs Read", pg, sc(account, zone), groupsPage},
	{"Logs Edit", pg, sc(account, zone), groupsPage},
	{"Page Shield Read", pg, sc(account, zone), groupsPage},
	{"Page Shield Edit", pg, sc(account, zone), groupsPage},
	{"Transform Rules Read", pg, sc(account, zone), groupsPage},
	{"Transform Rules Edit", pg, sc(account, zone), groupsPage},
	// Zone permissions (com.cloudflare.api.account.zone) only.
	{"Analytics Read", pg, sc(zone), groupsPage},
	{"Bot Management Read", pg, sc(zone), groupsPage},
	{"Cache Purge", pg, sc(zone), groupsPage},
	{"DNS Read", pg, sc(zone), groupsPage},
	{"DNS Write", pg, sc(zone), groupsPage},
	{"SSL and Certificates Read", pg, sc(zone), groupsPage},
	{"Waiting Room Read", pg, sc(zone), groupsPage},
	{"Zaraz Read", pg, sc(zone), groupsPage},
	{"Zaraz Edit", pg, sc(zone), groupsPage},
	{"Zone Read", pg, sc(zone), groupsPage},
	{"Zone Edit", pg, sc(zone), groupsPage},
	{"Zone Versioning Read", pg, sc(zone), groupsPage},
}

// Twins are the names that exist at two scopes of one kind: the eleven
// permission groups listed in both the Account and the Zone permissions
// tables of api-token-permission-groups.md. No role name is in both the
// account-scoped and the domain-scoped table.
var Twins = []string{
	"Access: Apps and Policies Read", "Access: Apps and Policies Revoke", "Access: Apps and Policies Edit",
	"API Gateway Read", "API Gateway Edit", "Logs Read", "Logs Edit",
	"Page Shield Read", "Page Shield Edit", "Transform Rules Read", "Transform Rules Edit",
}

// Counts are the sizes of the pages' tables, counted by hand: rows of each
// table (the Zero Trust table adds Cloudflare CASB and Cloudflare CASB Read
// to the 62 account-scoped roles; the generator adds the two Tunnel roles).
var Counts = map[catalog.Kind]map[catalog.Scope]int{
	role: {account: 62 + 2, zone: 13, tunnel: 2, accessApp: 1, accessIdP: 1, accessPolicy: 1, accessToken: 1, infraTarget: 1},
	pg:   {user: 6, account: 108, zone: 70},
}

// Tunnels of the matrix: the emulator's seeded app-a and app-b.
const (
	TunnelA = "A"
	TunnelB = "B"
)

// TunnelGrant is one role held by a member: account-wide (Scope account),
// bound to a zone (Scope zone, the zone is irrelevant to Tunnels) or bound to
// Tunnels (Scope tunnel, Tunnels among TunnelA and TunnelB).
type TunnelGrant struct {
	Role    string
	Scope   catalog.Scope
	Tunnels []string
}

// TunnelRow is what a member holding Grants (and nothing else) may do to
// Tunnel A and Tunnel B, and the sentence of the pages that says so.
type TunnelRow struct {
	Grants []TunnelGrant
	A, B   catalog.Access
	Cite   string
}

func acct(name string) []TunnelGrant { return []TunnelGrant{{Role: name, Scope: account}} }

const (
	none = catalog.AccessNone
	read = catalog.AccessRead
	edit = catalog.AccessEdit
)

// TunnelMatrix is the Tunnel access matrix, from tunnel-granular-permissions.txt
// and the role descriptions of account-and-domain-roles.txt. Every account
// role that the pages say covers Tunnels is here, and a role not here covers
// no Tunnel.
var TunnelMatrix = []TunnelRow{
	{acct("Cloudflare Access"), edit, edit,
		`roles: "Can edit Cloudflare Access and Cloudflare Tunnel."; granular: "Members who already hold an account-level role like Cloudflare Access retain write access to every Tunnel in the account."`},
	{acct("Cloudflare Zero Trust"), edit, edit,
		`roles: "Grants administrator access to all Zero Trust products including Access, Gateway, WARP, Tunnel, ..."`},
	{acct("Cloudflare Zero Trust Read Only"), read, read,
		`roles: "Can access Cloudflare Zero Trust read only mode." (Zero Trust includes Tunnel, per the Cloudflare Zero Trust role)`},
	{acct("Email Configuration Admin"), edit, edit,
		`roles: "Grants write access to all of Email Security, CASB, DLP, Gateway, and Tunnels, ..."`},
	{acct("Email Integration Admin"), edit, edit,
		`roles: "Grants write access to Email Security account integration only, CASB, DLP, Gateway, and Tunnels."`},
	{acct("Super Administrator - All Privileges"), edit, edit,
		`roles: "Can edit any Cloudflare setting, make purchases, update billing, and manage memberships."`},
	{acct("Administrator"), edit, edit,
		`roles: "Can access the full account and edit subscriptions." (against Administrator Read Only's "in read-only mode")`},
	{acct("Administrator Read Only"), read, read,
		`roles: "Can access the full account in read-only mode."`},
	{acct("Billing"), none, none, `roles: "Can edit the account's billing profile and subscriptions": no Tunnel`},
	{acct("DNS"), none, none, `roles: "Can edit DNS records.": no Tunnel`},
	{acct("Minimal Account Access"), none, none, `roles: "Can view account, and nothing else."`},
	{acct("Cloudflare Gateway"), none, none, `roles: "Can edit Cloudflare Gateway and read Access.": no Tunnel`},
	{acct("Cloudflare Zero Trust PII"), none, none, `roles: "Can access Cloudflare Zero Trust PII."; zero-trust-roles.md: an add-on role`},
	{acct("Cloudflare Zero Trust Reporting"), none, none, `roles: "Can access Cloudflare Zero Trust reporting data."`},
	{acct("Email Security Analyst"), none, none, `roles: "Grants write access to all of Email Security, ...": no Tunnel`},
	{acct("Network Services Write (Magic)"), none, none,
		`roles: "write access to network configurations for Magic services. Magic Tunnel health checks ...": a Magic Tunnel is not a Cloudflare Tunnel`},
	{acct("Cloudflare Workers Admin"), none, none, `roles: "Can edit Cloudflare Workers, Pages, Durable Objects, KV and R2. ...": no Tunnel`},
	{[]TunnelGrant{{Role: "Domain Administrator", Scope: zone}}, none, none,
		`roles: "Grants full access to domains in an account, and read-only access to account-wide Firewall, Access, and Worker resources.": no Tunnel`},
	{[]TunnelGrant{{Role: "Cloudflare Tunnel Instance Read", Scope: tunnel, Tunnels: []string{TunnelA}}}, read, none,
		`granular: access is granted by "A resource-scoped role bound to that specific Tunnel."`},
	{[]TunnelGrant{{Role: "Cloudflare Tunnel Instance Admin", Scope: tunnel, Tunnels: []string{TunnelA}}}, edit, none,
		`granular: "A resource-scoped role bound to that specific Tunnel." (read vs edit: the role names; the pages do not describe them)`},
	{[]TunnelGrant{{Role: "Cloudflare Tunnel Instance Read", Scope: tunnel, Tunnels: []string{TunnelA}},
		{Role: "Cloudflare Tunnel Instance Admin", Scope: tunnel, Tunnels: []string{TunnelB}}}, read, edit,
		`granular: "You can attach multiple granular policies to the same member to cover different Tunnels with different roles."`},
	{[]TunnelGrant{{Role: "Cloudflare Access", Scope: account},
		{Role: "Cloudflare Tunnel Instance Read", Scope: tunnel, Tunnels: []string{TunnelA}}}, edit, edit,
		`granular: "Granting one to a member adds capability; it never removes capability that the member already has from an account-level role."`},
	{[]TunnelGrant{{Role: "Billing", Scope: account},
		{Role: "Cloudflare Tunnel Instance Admin", Scope: tunnel, Tunnels: []string{TunnelB}}}, none, edit,
		`granular: "Granular permissions are a parallel layer to account-level roles"`},
}
