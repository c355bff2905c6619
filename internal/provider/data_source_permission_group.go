package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// permissionGroupKind: the permission groups of API token policies, which
// belong to no account.
var permissionGroupKind = catalogKind{
	kind:    catalog.KindPermissionGroup,
	what:    "permission group",
	scopes:  catalog.PermissionGroupScopes,
	reading: func(string) string { return "reading the API token permission groups" },
}

// NewPermissionGroupDataSource returns the cfiam_permission_group data source.
func NewPermissionGroupDataSource() datasource.DataSource {
	return &catalogLookupDataSource{catalogKind: permissionGroupKind, words: catalogLookupWords{
		typeSuffix: "_permission_group",
		summary: "Looks up one API token permission group by name (or ID) and scope, for example to use its ID in " +
			"the official `cloudflare` provider's `cloudflare_api_token`. Names are not unique across scopes (\"Logs Read\" " +
			"exists at account and zone scope): such a name needs `scope`, and the error lists the scopes it has. An unknown " +
			"name fails with the nearest names.\n\n" +
			"With credentials the group comes from the Cloudflare API; without, from the catalog embedded in the provider.",
		name: "Name of the permission group as shown in the Cloudflare dashboard (case does not matter), or its ID.",
		scope: "Scope of the token policy the group is for: `user`, `account` or `zone`. " +
			"Needed when the name exists in several scopes; when unset, the group's only scope.",
		id: "ID of the permission group, as API token policies use it.",
	}}
}
