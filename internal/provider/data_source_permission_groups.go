package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// NewPermissionGroupsDataSource returns the cfiam_permission_groups data source.
func NewPermissionGroupsDataSource() datasource.DataSource {
	return &catalogListDataSource{catalogKind: permissionGroupKind, words: catalogListWords{
		typeSuffix: "_permission_groups",
		summary: "The permission groups that API token policies can grant, one entry per scope a group supports: " +
			"`user` (a policy on the token's user), `account` (on accounts) and `zone` (on zones). A group such as " +
			"\"Logs Read\" that exists at account and zone scope appears once for each.\n\n" +
			"With credentials, the groups come from the Cloudflare API; without credentials, from the catalog embedded in the " +
			"provider. `source` says which.",
		scope:    "List only the permission groups of this scope: `user`, `account` or `zone`. All scopes when unset.",
		listAttr: "permission_groups",
		list:     "The permission groups, sorted by scope (user, account, zone) and then by name.",
		source: "Where the permission groups come from: `api` (the live catalog) or `embedded` " +
			"(the catalog built into the provider, used when no credentials are configured).",
	}}
}
