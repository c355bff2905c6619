package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// roleKind: the roles of account member policies, the account's own.
var roleKind = catalogKind{
	kind:       catalog.KindRole,
	what:       "role",
	scopes:     catalog.RoleScopes,
	perAccount: true,
	reading:    readingRoles,
}

// NewRoleDataSource returns the cfiam_role data source.
func NewRoleDataSource() datasource.DataSource {
	return &catalogLookupDataSource{catalogKind: roleKind, words: catalogLookupWords{
		typeSuffix: "_role",
		summary: "Looks up one role of account member policies by name (or ID), for example to pass its ID to " +
			"the official `cloudflare` provider. Fails with the nearest names when no role matches, and with the role's " +
			"actual scope when it is not in `scope`.\n\n" +
			"With credentials the role comes from the account's live catalog; without, from the catalog embedded in the provider.",
		name: "Name of the role as shown in the Cloudflare dashboard (case does not matter), or its ID.",
		scope: "Scope the role must have: `account`, `zone` (a domain-scoped role) or `tunnel` " +
			"(a resource-scoped role for Cloudflare Tunnel instances). When unset, the role's own scope; " +
			"set it when a name exists in several scopes.",
		id: "ID of the role (of its IAM permission group), as member policies and the Cloudflare API use it.",
	}}
}

// readingRoles names the operation of reading an account's roles, for
// diagnostics; with no account ID, there is none to name.
func readingRoles(accountID string) string {
	if accountID == "" {
		return "reading the roles"
	}
	return "reading the roles of account " + accountID
}
