package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// The schema of policies as every holder of them (cfiam_account_member,
// cfiam_user_group) takes them: one shape, one set of checks.

// policiesAttribute is the policies attribute; whose says whose they are
// ("The member's policies.").
func policiesAttribute(whose string) schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		MarkdownDescription: whose + " Each policy grants roles on the kinds of resource it names: with none of `zone_ids`, `tunnel_ids` " +
			"and `mesh_node_ids` it is account-wide and takes account-scoped roles (`account`); with `zone_ids` it takes domain-scoped " +
			"roles (`zone`); with `tunnel_ids` resource-scoped roles for Cloudflare Tunnel instances (`tunnel`); with `mesh_node_ids` " +
			"resource-scoped roles for Cloudflare Mesh nodes (`mesh_node`). One policy may name Tunnels and Mesh nodes together; each of " +
			"its roles must apply to a kind it names, and grants on that kind only. The scopes guide lists every role.\n\n" +
			"Terraform drops a misspelt key inside a policy without a word. `access` is therefore required, and a misspelt `zone_ids`, " +
			"`tunnel_ids` or `mesh_node_ids` leaves domain, Tunnel or Mesh node roles in an account-wide policy (or a Mesh node role " +
			"on Tunnels only), which the scope check rejects. What no check can " +
			"catch: a misspelt `resource_group_ids` next to account-scoped roles leaves an account-wide policy; `resolved_policies` " +
			"shows the scope each policy got.",
		Required:   true,
		Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"access": schema.StringAttribute{
					MarkdownDescription: "`allow` or `deny`: whether the policy grants or denies what it names. Required, with no default: " +
						"Terraform drops a misspelt key inside a policy without a word, and a default would then grant what was meant to be denied.",
					Required:   true,
					Validators: []validator.String{stringvalidator.OneOf("allow", "deny")},
				},
				"roles": schema.SetAttribute{
					MarkdownDescription: "Roles, by name (as in the dashboard, any case) or ID, each applying to a kind of resource the " +
						"policy names: account-scoped roles (`account`) for an account-wide policy, domain-scoped roles (`zone`) with `zone_ids`, " +
						"Tunnel roles (`tunnel`) with `tunnel_ids`, Mesh node roles (`mesh_node`) with `mesh_node_ids`. Kept as written.",
					Required:    true,
					ElementType: types.StringType,
					// The whole catalog holds fewer than 100 roles: more in one policy is a mistake.
					Validators: []validator.Set{setvalidator.SizeAtMost(maxRolesPerPolicy)},
				},
				"zone_ids": schema.SetAttribute{
					MarkdownDescription: "Zones the policy applies to (domain-scoped roles, scope `zone`, only). Conflicts with `tunnel_ids` and `mesh_node_ids`.",
					Optional:            true,
					ElementType:         types.StringType,
					Validators: []validator.Set{setvalidator.SizeAtLeast(1),
						setvalidator.ValueStringsAre(validators.HexID("must be a 32-character lowercase hexadecimal zone ID"))},
				},
				"tunnel_ids": schema.SetAttribute{
					MarkdownDescription: "Cloudflare Tunnels the policy applies to (resource-scoped Tunnel roles, scope `tunnel`). " +
						"May go with `mesh_node_ids`; conflicts with `zone_ids`.",
					Optional:    true,
					ElementType: types.StringType,
					Validators: []validator.Set{setvalidator.SizeAtLeast(1),
						setvalidator.ValueStringsAre(validators.TunnelID("must be a Tunnel ID (a UUID)"))},
				},
				"mesh_node_ids": schema.SetAttribute{
					MarkdownDescription: "Cloudflare Mesh nodes (the former WARP Connectors, `/warp_connector` in the API) the policy " +
						"applies to (resource-scoped Mesh node roles, scope `mesh_node`), such as IDs from the `cfiam_mesh_nodes` data source. " +
						"May go with `tunnel_ids`: each role then applies to its own kind only. Conflicts with `zone_ids`.",
					Optional:    true,
					ElementType: types.StringType,
					Validators: []validator.Set{setvalidator.SizeAtLeast(1),
						setvalidator.ValueStringsAre(validators.TunnelID("must be a Mesh node ID (a UUID)"))},
				},
				"resource_group_ids": schema.SetAttribute{
					MarkdownDescription: "Resource groups (`cfiam_resource_group`) the policy applies to, besides or instead of `zone_ids` / `tunnel_ids` / `mesh_node_ids`. " +
						"Their scope (zones, Tunnels, Mesh nodes or the account) must match the roles: checked at `terraform plan` against the account's resource groups, once their IDs are known.",
					Optional:    true,
					ElementType: types.StringType,
					Validators:  []validator.Set{setvalidator.SizeAtLeast(1)},
				},
			},
		},
	}
}

// resolvedPoliciesAttribute is the computed view of the policies as the API
// holds them.
func resolvedPoliciesAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "The policies as the API holds them: policy ID, role IDs, scope kind and resource group IDs (including the groups the provider manages).",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"id":                 schema.StringAttribute{Computed: true, MarkdownDescription: "Policy ID."},
				"access":             schema.StringAttribute{Computed: true, MarkdownDescription: "`allow` or `deny`."},
				"scope":              schema.StringAttribute{Computed: true, MarkdownDescription: "`account`, `zone`, `tunnel`, `mesh_node`, or `tunnel,mesh_node` for a policy on both; empty for a policy on named resource groups only."},
				"role_ids":           schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "IDs of the roles (IAM permission groups)."},
				"resource_group_ids": schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "IDs of the resource groups."},
			},
		},
	}
}
