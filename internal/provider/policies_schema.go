package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// The schema of policies as every holder of them (cfiam_account_member,
// cfiam_user_group) takes them: one shape, one set of checks.

// policiesAttribute is the policies attribute; whose says whose they are
// ("The member's policies."). Each resource kind of the catalog's table adds
// its IDs attribute (kindIDsAttribute).
func policiesAttribute(whose string) schema.SetNestedAttribute {
	attrs := map[string]schema.Attribute{
		"access": schema.StringAttribute{
			MarkdownDescription: "`allow` or `deny`: whether the policy grants or denies what it names. Required, with no default: " +
				"Terraform drops a misspelt key inside a policy without a word, and a default would then grant what was meant to be denied.",
			Required:   true,
			Validators: []validator.String{stringvalidator.OneOf("allow", "deny")},
		},
		"roles": schema.SetAttribute{
			MarkdownDescription: "Roles, by name (as in the dashboard, any case) or ID, each applying to a kind of resource the " +
				"policy names: account-scoped roles (`account`) for an account-wide policy, domain-scoped roles (`zone`) with `zone_ids`, " +
				"and with a resource kind's IDs that kind's resource-scoped roles (" + kindRolesList() + "). Kept as written.",
			Required:    true,
			ElementType: types.StringType,
			// The whole catalog holds fewer than 100 roles: more in one policy is a mistake.
			Validators: []validator.Set{setvalidator.SizeAtMost(maxRolesPerPolicy)},
		},
		"zone_ids": schema.SetAttribute{
			MarkdownDescription: "Zones the policy applies to (domain-scoped roles, scope `zone`, only). Conflicts with every resource kind's IDs (" +
				kindAttrsList() + ").",
			Optional:    true,
			ElementType: types.StringType,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.HexID("must be a 32-character lowercase hexadecimal zone ID"))},
		},
		"resource_group_ids": schema.SetAttribute{
			MarkdownDescription: "Resource groups (`cfiam_resource_group`) the policy applies to, besides or instead of `zone_ids` or a resource kind's IDs. " +
				"Their scope (zones, the objects of one resource kind, or the account) must match the roles: checked at `terraform plan` against the account's resource groups, once their IDs are known.",
			Optional:    true,
			ElementType: types.StringType,
			Validators:  []validator.Set{setvalidator.SizeAtLeast(1)},
		},
	}
	for _, k := range catalog.Kinds() {
		attrs[k.Attribute] = kindIDsAttribute(k)
	}
	return schema.SetNestedAttribute{
		MarkdownDescription: whose + " Each policy grants roles on the kinds of resource it names: with no `zone_ids` and no resource kind's IDs " +
			"it is account-wide and takes account-scoped roles (`account`); with `zone_ids` it takes domain-scoped roles (`zone`); with a " +
			"resource kind's IDs (" + kindAttrsList() + ") that kind's resource-scoped roles. " + sharingSentence() +
			" The scopes guide lists every role.\n\n" +
			"Terraform drops a misspelt key inside a policy without a word. `access` is therefore required, and a misspelt `zone_ids` or " +
			"resource kind's IDs leaves domain or resource-scoped roles in an account-wide policy (or on another kind), which the scope check rejects. " +
			"What no check can catch: a misspelt `resource_group_ids` next to account-scoped roles leaves an account-wide policy; `resolved_policies` " +
			"shows the scope each policy got.",
		Required:     true,
		Validators:   []validator.Set{setvalidator.SizeAtLeast(1)},
		NestedObject: schema.NestedAttributeObject{Attributes: attrs},
	}
}

// kindIDsAttribute is a resource kind's IDs attribute in a policy: tunnel_ids, access_application_ids, ...
func kindIDsAttribute(k catalog.ResourceKind) schema.SetAttribute {
	desc := fmt.Sprintf("%s the policy applies to (resource-scoped %s roles, scope `%s`), such as IDs from the `%s` data source.",
		capitalise(k.Nouns), k.Short, k.Scope, k.DataSource())
	for _, o := range k.ShareWith {
		other, _ := catalog.KindOf(o)
		desc += fmt.Sprintf(" May go with `%s`: each role then applies to its own kind only.", other.Attribute)
	}
	desc += " Conflicts with `zone_ids` and with the other kinds' IDs."
	return schema.SetAttribute{
		MarkdownDescription: desc,
		Optional:            true,
		ElementType:         types.StringType,
		Validators: []validator.Set{setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(validators.TunnelID("must be " + articled(k.Short) + " ID (a UUID)"))},
	}
}

// memberPolicyAttrTypes is the object type of one policy.
func memberPolicyAttrTypes() map[string]attr.Type {
	out := map[string]attr.Type{
		"access":             types.StringType,
		"roles":              types.SetType{ElemType: types.StringType},
		"zone_ids":           types.SetType{ElemType: types.StringType},
		"resource_group_ids": types.SetType{ElemType: types.StringType},
	}
	for _, k := range catalog.Kinds() {
		out[k.Attribute] = types.SetType{ElemType: types.StringType}
	}
	return out
}

// kindAttrsList names every resource kind's attribute: "`tunnel_ids`, `mesh_node_ids`, ...".
func kindAttrsList() string {
	var out []string
	for _, k := range catalog.Kinds() {
		out = append(out, "`"+k.Attribute+"`")
	}
	return strings.Join(out, ", ")
}

// kindRolesList names each kind's scope with its attribute: "`tunnel` with `tunnel_ids`, ...".
func kindRolesList() string {
	var out []string
	for _, k := range catalog.Kinds() {
		out = append(out, fmt.Sprintf("`%s` with `%s`", k.Scope, k.Attribute))
	}
	return strings.Join(out, ", ")
}

// sharingSentence says which kinds may share a policy.
func sharingSentence() string {
	var out []string
	for _, k := range catalog.Kinds() {
		for _, o := range k.ShareWith {
			if k.Scope < o {
				other, _ := catalog.KindOf(o)
				out = append(out, fmt.Sprintf("`%s` with `%s`", k.Attribute, other.Attribute))
			}
		}
	}
	if len(out) == 0 {
		return "A policy names one kind of resource."
	}
	return "A policy names one kind of resource, except " + strings.Join(out, ", ") + ": each role must apply to a kind it names, and grants on that kind only."
}

// capitalise upper-cases the first letter: "infrastructure targets" → "Infrastructure targets".
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// articled puts "a" or "an" before a noun.
func articled(noun string) string {
	if noun != "" && strings.ContainsRune("AEIOUaeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
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
				"scope":              schema.StringAttribute{Computed: true, MarkdownDescription: "`account`, `zone`, or a resource kind's scope (`tunnel`, `access_application`, ...; `tunnel,mesh_node` for a policy on both); empty for a policy on named resource groups only."},
				"role_ids":           schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "IDs of the roles (IAM permission groups)."},
				"resource_group_ids": schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "IDs of the resource groups."},
			},
		},
	}
}
