package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// NewRolesDataSource returns the cfiam_roles data source.
func NewRolesDataSource() datasource.DataSource {
	return &catalogListDataSource{catalogKind: roleKind, words: catalogListWords{
		typeSuffix: "_roles",
		summary: "The roles that account member policies can grant: account-scoped roles, domain-scoped roles " +
			"(used with `zone_ids`) and resource-scoped roles for Cloudflare Tunnel instances (used with `tunnel_ids`).\n\n" +
			"With credentials, the roles come from the account's IAM permission groups in the Cloudflare API, so names and IDs " +
			"are the account's own; without credentials, from the catalog embedded in the provider. `source` says which.",
		scope: "List only the roles of this scope: `account`, `zone` (domain-scoped roles) or `tunnel` " +
			"(resource-scoped roles for Cloudflare Tunnel instances). All scopes when unset.",
		listAttr: "roles",
		list:     "The roles, sorted by scope (account, zone, tunnel) and then by name.",
		source: "Where the roles come from: `api` (the live catalog of the account) or `embedded` " +
			"(the catalog built into the provider, used when no credentials are configured).",
	}}
}
