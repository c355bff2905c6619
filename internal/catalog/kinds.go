package catalog

import (
	"slices"
	"strings"
)

// ResourceKind is one kind of individual resource that resource-scoped roles
// are bound to (a row of Cloudflare's "Role scopes" page, "Specific
// resources"). Everything that differs between the kinds is a field here:
// the policy schema, the scope checks and their messages, resource keys,
// effective access, the emulator's routes and listing filters, the binding
// resources and data sources all read the table, so that a new kind is one
// row (plus its emulator routes and its data source).
type ResourceKind struct {
	// Scope is the roles' scope, as the data sources' `scope` says it.
	Scope Scope
	// Attribute is the policy attribute listing resources of the kind.
	Attribute string
	// Plural names the kind's objects in Terraform names and API operations:
	// the data source cfiam_<Plural>, the cfiam_effective_access attribute,
	// the operation "<Plural>.read".
	Plural string
	// Noun and Nouns name one and several objects in messages and docs;
	// Title is the "Role scopes" page's name of the scope, for headings.
	Noun, Nouns, Title string
	// Short names the kind in "a <Short> role" ("a Tunnel role").
	Short string
	// KeyForm is the resource key prefix of the kind's objects inside a
	// resource group. Cloudflare publishes none of them: each is this
	// project's assumption (the emulator's), kept here and only here.
	KeyForm string
	// Path is the kind's collection under /accounts/{account_id}/ in the API
	// ("cfd_tunnel", "access/apps"); IDParam names an object's ID in its get
	// route (/accounts/{account_id}/<Path>/{<IDParam>}).
	Path, IDParam string
	// OfficialType is the official cloudflare provider's resource type for
	// the kind's objects, whose `id` the policy attribute takes.
	OfficialType string
	// AttachedTo is the kind an object of this kind may be attached to (an
	// Access policy to an application: the application's own policy). A
	// role bound to that object reaches the objects attached to it too
	// (EffectiveAttachedAccess); "" for none.
	AttachedTo Scope
	// ShareWith are the other kinds one member policy may name beside this
	// one (each role then applies to its own kind only).
	ShareWith []Scope
	// Roles are the kind's resource-scoped roles: what each gives to the
	// objects it is bound to, and its description in the embedded catalog.
	Roles []ScopedRole
	// Coverage are the account-scoped roles that cover every object of the
	// kind, and the access they give (as Cloudflare Access covers every
	// Tunnel).
	Coverage map[string]Access
	// ReadGroups are the API token permission groups (account scope) that
	// read the kind's objects.
	ReadGroups []string
	// Listing says how the API filters the kind's list for a caller with
	// resource-scoped roles only, for the docs.
	Listing string
}

// ScopedRole is one resource-scoped role of a kind.
type ScopedRole struct {
	Name        string
	Access      Access
	Description string
}

// BindingResource is the cfiam resource that binds the kind's roles to chosen objects.
func (k ResourceKind) BindingResource() string { return "cfiam_" + string(k.Scope) + "_binding" }

// DataSource is the cfiam data source that lists the kind's objects.
func (k ResourceKind) DataSource() string { return "cfiam_" + k.Plural }

// ReadOperation is the operation of listing or getting the kind's objects.
func (k ResourceKind) ReadOperation() Operation { return Operation(k.Plural + ".read") }

// ListRoute and GetRoute are the kind's API routes, as route patterns.
func (k ResourceKind) ListRoute() string { return "/accounts/{account_id}/" + k.Path }
func (k ResourceKind) GetRoute() string  { return k.ListRoute() + "/{" + k.IDParam + "}" }

// RoleNames are the names of the kind's resource-scoped roles.
func (k ResourceKind) RoleNames() []string {
	out := make([]string, len(k.Roles))
	for i, r := range k.Roles {
		out[i] = r.Name
	}
	return out
}

// Resource-scoped role names the rules and seeds refer to.
const (
	RoleTunnelInstanceRead          = "Cloudflare Tunnel Instance Read"
	RoleTunnelAdmin                 = "Cloudflare Tunnel Instance Admin"
	RoleMeshNodeRead                = "Cloudflare Mesh Node Read"
	RoleMeshNodeAdmin               = "Cloudflare Mesh Node Admin"
	RoleAccessAppAdmin              = "Cloudflare Access App Admin"
	RoleAccessIdentityProviderAdmin = "Cloudflare Access Identity Provider Admin"
	RoleAccessPolicyAdmin           = "Cloudflare Access Policy Admin"
	RoleAccessServiceTokenAdmin     = "Cloudflare Access Service Token Admin" //nolint:gosec // G101: a role name, no credential
	RoleInfrastructureTargetAdmin   = "Access for Infrastructure Target Admin"
)

// The resource-scoped scopes, one per row of kinds.
const (
	ScopeTunnel                 Scope = "tunnel"
	ScopeMeshNode               Scope = "mesh_node"
	ScopeAccessApplication      Scope = "access_application"
	ScopeAccessIdentityProvider Scope = "access_identity_provider"
	ScopeAccessPolicy           Scope = "access_policy"
	ScopeAccessServiceToken     Scope = "access_service_token"
	ScopeInfrastructureTarget   Scope = "infrastructure_target"
)

// tunnelCoverage: the account roles that cover every Cloudflare Tunnel and
// every Mesh node. Sources: account-and-domain-roles.txt ("Can edit
// Cloudflare Access and Cloudflare Tunnel"; the Email admin roles' "write
// access to ... Tunnels"), zero-trust-roles.md (Zero Trust roles administer
// Tunnel), tunnel-granular-permissions.txt (account roles such as Cloudflare
// Access keep write access to every Tunnel; the same RBAC capability applies
// to Mesh nodes alongside Tunnels, so the same roles cover both).
var tunnelCoverage = map[string]Access{
	RoleSuperAdministrator:            AccessEdit,
	"Administrator":                   AccessEdit,
	"Administrator Read Only":         AccessRead,
	"Cloudflare Access":               AccessEdit,
	"Cloudflare Zero Trust":           AccessEdit,
	"Cloudflare Zero Trust Read Only": AccessRead,
	"Email Configuration Admin":       AccessEdit,
	"Email Integration Admin":         AccessEdit,
}

// accessCoverage: the account roles that cover every Access application,
// identity provider, policy, service token and infrastructure target.
// Sources: zero-trust-roles.md's matrix (Access Edit: Super Administrator,
// Cloudflare Zero Trust, Cloudflare Access; Access Read besides: Cloudflare
// Gateway, Cloudflare Zero Trust Read Only), account-and-domain-roles.txt
// (Administrator "Can access the full account and edit subscriptions";
// Administrator Read Only "Can access the full account in read-only mode";
// Cloudflare Gateway "Can edit Cloudflare Gateway and read Access"). The
// Email roles name Tunnels but not Access.
var accessCoverage = map[string]Access{
	RoleSuperAdministrator:            AccessEdit,
	"Administrator":                   AccessEdit,
	"Administrator Read Only":         AccessRead,
	"Cloudflare Access":               AccessEdit,
	"Cloudflare Zero Trust":           AccessEdit,
	"Cloudflare Gateway":              AccessRead,
	"Cloudflare Zero Trust Read Only": AccessRead,
}

// Listings, for the docs (tunnel-granular-permissions.txt; resource-scoped-kinds.md).
const (
	listingTunnels = "only the Tunnels the caller may read or manage"
	listingAccess  = "only the objects the caller's policies name (Cloudflare's changelog of 2026-08-19)"
)

// kinds is the one table of resource kinds, in display order. The five
// Access kinds' roles and routes are in resource-scoped-kinds.md; their
// key forms are this project's assumption (see KeyForm).
var kinds = []ResourceKind{
	{
		Scope: ScopeTunnel, Attribute: "tunnel_ids", Plural: "tunnels", Title: "Cloudflare Tunnel instances",
		Noun: "Cloudflare Tunnel", Nouns: "Tunnels", Short: "Tunnel",
		KeyForm: "com.cloudflare.api.account.cfd_tunnel", OfficialType: "cloudflare_zero_trust_tunnel_cloudflared",
		Path: "cfd_tunnel", IDParam: "tunnel_id",
		ShareWith: []Scope{ScopeMeshNode},
		Roles: []ScopedRole{
			{RoleTunnelInstanceRead, AccessRead, "Can read the selected Cloudflare Tunnel instances and their routes."},
			{RoleTunnelAdmin, AccessEdit, "Can read and edit the selected Cloudflare Tunnel instances and their routes."},
		},
		Coverage:   tunnelCoverage,
		ReadGroups: []string{"Cloudflare Tunnel Read", "Cloudflare Tunnel Edit"},
		Listing:    listingTunnels,
	},
	{
		// A Mesh node's key follows its API path (/warp_connector), as a Tunnel's does.
		Scope: ScopeMeshNode, Attribute: "mesh_node_ids", Plural: "mesh_nodes", Title: "Cloudflare Mesh nodes",
		Noun: "Cloudflare Mesh node", Nouns: "Mesh nodes", Short: "Mesh node",
		KeyForm: "com.cloudflare.api.account.warp_connector", OfficialType: "cloudflare_zero_trust_tunnel_warp_connector",
		Path: "warp_connector", IDParam: "tunnel_id",
		ShareWith: []Scope{ScopeTunnel},
		Roles: []ScopedRole{
			{RoleMeshNodeRead, AccessRead, "Can read the selected Cloudflare Mesh nodes (formerly WARP Connectors)."},
			{RoleMeshNodeAdmin, AccessEdit, "Can read and edit the selected Cloudflare Mesh nodes (formerly WARP Connectors)."},
		},
		Coverage: tunnelCoverage,
		// WARP Connector tunnels are read with the Tunnel permission groups,
		// as cfd_tunnel is: the reference pages name no other group for them.
		ReadGroups: []string{"Cloudflare Tunnel Read", "Cloudflare Tunnel Edit"},
		Listing:    listingTunnels,
	},
	{
		Scope: ScopeAccessApplication, Attribute: "access_application_ids", Plural: "access_applications", Title: "Access applications",
		Noun: "Access application", Nouns: "Access applications", Short: "Access application",
		KeyForm: "com.cloudflare.api.account.access_app", OfficialType: "cloudflare_zero_trust_access_application",
		Path: "access/apps", IDParam: "app_id",
		Roles: []ScopedRole{{RoleAccessAppAdmin, AccessEdit,
			"Can read and edit the selected Access applications and the policies attached to them."}},
		Coverage:   accessCoverage,
		ReadGroups: []string{"Access: Apps and Policies Read", "Access: Apps and Policies Edit"},
		Listing:    listingAccess,
	},
	{
		Scope: ScopeAccessIdentityProvider, Attribute: "access_identity_provider_ids", Plural: "access_identity_providers", Title: "Access identity providers",
		Noun: "Access identity provider", Nouns: "Access identity providers", Short: "Access identity provider",
		KeyForm: "com.cloudflare.api.account.access_identity_provider", OfficialType: "cloudflare_zero_trust_access_identity_provider",
		Path: "access/identity_providers", IDParam: "identity_provider_id",
		Roles: []ScopedRole{{RoleAccessIdentityProviderAdmin, AccessEdit,
			"Can read and edit the selected Cloudflare One identity providers."}},
		Coverage:   accessCoverage,
		ReadGroups: []string{"Access: Organizations, Identity Providers, and Groups Read", "Access: Organizations, Identity Providers, and Groups Edit"},
		Listing:    listingAccess,
	},
	{
		Scope: ScopeAccessPolicy, Attribute: "access_policy_ids", Plural: "access_policies", Title: "Access policies",
		Noun: "Access policy", Nouns: "Access policies", Short: "Access policy",
		KeyForm: "com.cloudflare.api.account.access_policy",
		// resource-scoped-kinds.md: "For a member with Cloudflare Access App
		// Admin on an application, the policy list includes the policies
		// attached directly to that application."
		AttachedTo: ScopeAccessApplication, OfficialType: "cloudflare_zero_trust_access_policy",
		Path: "access/policies", IDParam: "policy_id",
		Roles: []ScopedRole{{RoleAccessPolicyAdmin, AccessEdit,
			"Can read and edit the selected reusable Access policies."}},
		Coverage:   accessCoverage,
		ReadGroups: []string{"Access: Apps and Policies Read", "Access: Apps and Policies Edit"},
		Listing:    listingAccess + "; an application's own policies also with Cloudflare Access App Admin on that application",
	},
	{
		Scope: ScopeAccessServiceToken, Attribute: "access_service_token_ids", Plural: "access_service_tokens", Title: "Access service tokens",
		Noun: "Access service token", Nouns: "Access service tokens", Short: "Access service token",
		KeyForm: "com.cloudflare.api.account.access_service_token", OfficialType: "cloudflare_zero_trust_access_service_token",
		Path: "access/service_tokens", IDParam: "service_token_id",
		Roles: []ScopedRole{{RoleAccessServiceTokenAdmin, AccessEdit,
			"Can read and edit the selected Access service tokens."}},
		Coverage:   accessCoverage,
		ReadGroups: []string{"Access: Service Tokens Read", "Access: Service Tokens Edit"},
		Listing:    listingAccess,
	},
	{
		Scope: ScopeInfrastructureTarget, Attribute: "infrastructure_target_ids", Plural: "infrastructure_targets", Title: "Access infrastructure targets",
		Noun: "Access for Infrastructure target", Nouns: "infrastructure targets", Short: "infrastructure target",
		KeyForm: "com.cloudflare.api.account.infrastructure_target", OfficialType: "cloudflare_zero_trust_access_infrastructure_target",
		Path: "infrastructure/targets", IDParam: "target_id",
		Roles: []ScopedRole{{RoleInfrastructureTargetAdmin, AccessEdit,
			"Can read and edit the selected Access for Infrastructure targets (beta)."}},
		Coverage: accessCoverage,
		// The reference names no permission group for targets: they are
		// Access resources, read with the Apps and Policies groups.
		ReadGroups: []string{"Access: Apps and Policies Read", "Access: Apps and Policies Edit"},
		// The changelog does not name targets; the emulator filters them as
		// the other Access lists, so that a delegated member can list its own.
		Listing: listingAccess + " (assumed for targets, which the changelog does not name)",
	},
}

// Kinds returns the resource kinds, in display order.
func Kinds() []ResourceKind { return slices.Clone(kinds) }

// KindOf returns the row of a resource-scoped scope.
func KindOf(s Scope) (ResourceKind, bool) {
	for _, k := range kinds {
		if k.Scope == s {
			return k, true
		}
	}
	return ResourceKind{}, false
}

// KindByPlural returns the row whose Plural is p ("tunnels").
func KindByPlural(p string) (ResourceKind, bool) {
	for _, k := range kinds {
		if k.Plural == p {
			return k, true
		}
	}
	return ResourceKind{}, false
}

// KindOfRole returns the kind a resource-scoped role name belongs to, by the
// table's role names (a live catalog's scope metadata wins over this).
func KindOfRole(name string) (ResourceKind, bool) {
	for _, k := range kinds {
		for _, r := range k.Roles {
			if strings.EqualFold(r.Name, name) {
				return k, true
			}
		}
	}
	return ResourceKind{}, false
}

// ResourceScopes are the scopes of the resource kinds, in display order.
func ResourceScopes() []Scope {
	out := make([]Scope, len(kinds))
	for i, k := range kinds {
		out[i] = k.Scope
	}
	return out
}

// mayShare reports whether one policy may name resources of kinds a and b.
func mayShare(a, b Scope) bool {
	if a == b {
		return true
	}
	k, ok := KindOf(a)
	return ok && slices.Contains(k.ShareWith, b)
}
