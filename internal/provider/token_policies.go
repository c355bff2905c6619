package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// This file holds what cfiam_api_token and cfiam_account_token share: the
// schema, the translation between token policies as users write them
// (permission group names or IDs; user, account, zone or all-zones
// resources) and as the API holds them (permission group IDs, resource
// keys), and the scope checks at validate and plan.

var (
	tokenPolicyAttrTypes = map[string]attr.Type{
		"effect":               types.StringType,
		"permission_groups":    types.SetType{ElemType: types.StringType},
		"user":                 types.BoolType,
		"account_ids":          types.SetType{ElemType: types.StringType},
		"zone_ids":             types.SetType{ElemType: types.StringType},
		"all_zones_of_account": types.StringType,
	}
	tokenPolicyObjectType = types.ObjectType{AttrTypes: tokenPolicyAttrTypes}

	tokenRequestIPAttrTypes = map[string]attr.Type{
		"in":     types.SetType{ElemType: types.StringType},
		"not_in": types.SetType{ElemType: types.StringType},
	}
	tokenConditionAttrTypes = map[string]attr.Type{
		"request_ip": types.ObjectType{AttrTypes: tokenRequestIPAttrTypes},
	}
)

// tokenModel is what both token resources hold; cfiam_account_token adds account_id.
type tokenModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Policies          types.List   `tfsdk:"policies"`
	NotBefore         types.String `tfsdk:"not_before"`
	ExpiresOn         types.String `tfsdk:"expires_on"`
	Condition         types.Object `tfsdk:"condition"`
	Status            types.String `tfsdk:"status"`
	IssuedOn          types.String `tfsdk:"issued_on"`
	ModifiedOn        types.String `tfsdk:"modified_on"`
	LastUsedOn        types.String `tfsdk:"last_used_on"`
	Value             types.String `tfsdk:"value"`
	RotateWhenChanged types.Map    `tfsdk:"rotate_when_changed"`
}

type accountTokenModel struct {
	tokenModel
	AccountID types.String `tfsdk:"account_id"`
}

// tokenSchemaAttributes returns the attributes both token resources share.
// account says whether the token is account-owned (no user policies).
func tokenSchemaAttributes(account bool) map[string]schema.Attribute {
	resources := "Exactly one of `user = true` (user permission groups, on the user who owns the token), `account_ids` " +
		"(account permission groups), `zone_ids` or `all_zones_of_account` (zone permission groups)."
	groups := "user permission groups with `user = true`, account permission groups with `account_ids`, " +
		"zone permission groups with `zone_ids` or `all_zones_of_account`"
	user := "`true`: the policy applies to the user who owns the token (user permission groups, such as `API Tokens Read`)."
	if account {
		resources = "Exactly one of `account_ids` (account permission groups; the token's own account) and `zone_ids` or " +
			"`all_zones_of_account` (zone permission groups). An account-owned token cannot hold user permission groups."
		groups = "account permission groups with `account_ids`, zone permission groups with `zone_ids` or `all_zones_of_account`"
		user = "Not for an account-owned token, which belongs to no user: `user = true` fails at `terraform validate` " +
			"(the attribute exists because both token resources share one policy shape; for user policies use `cfiam_api_token`)."
	}
	idSet := func(desc, what string) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			ElementType:         types.StringType,
			Validators: []validator.Set{setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.HexID("must be a 32-character lowercase hexadecimal " + what + " ID"))},
		}
	}
	cidrs := func(desc string, more ...validator.Set) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          append([]validator.Set{setvalidator.ValueStringsAre(validators.IPOrCIDR())}, more...),
		}
	}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Token ID.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the token.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 120)},
		},
		"policies": schema.ListNestedAttribute{
			MarkdownDescription: "The token's policies, in the order written (Cloudflare may reorder them; the provider matches them back by content). " +
				"Each policy grants (or denies) permission groups of one scope on one kind of resource. " + resources +
				" Every permission group is checked against the policy's kind at `terraform validate` (embedded catalog) and `terraform plan` (live catalog).",
			Required:   true,
			Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"effect": schema.StringAttribute{
						MarkdownDescription: "`allow` or `deny`: whether the policy grants or denies what it names. Required, with no default: " +
							"Terraform drops a misspelt key inside a policy without a word, and a default would then grant what was meant to be denied.",
						Required:   true,
						Validators: []validator.String{stringvalidator.OneOf("allow", "deny")},
					},
					"permission_groups": schema.SetAttribute{
						MarkdownDescription: "Permission groups, by name (any case) or ID, all of the policy's scope: " + groups + ". " +
							"A name that exists in several scopes (`Logs Read`, `API Gateway Read`) means the one of the policy's scope. Kept as written.",
						Required:    true,
						ElementType: types.StringType,
					},
					"user": schema.BoolAttribute{
						MarkdownDescription: user,
						Optional:            true,
					},
					"account_ids":          idSet("Accounts the policy applies to (account permission groups).", "account"),
					"zone_ids":             idSet("Zones the policy applies to (zone permission groups).", "zone"),
					"all_zones_of_account": schema.StringAttribute{MarkdownDescription: "An account ID: the policy applies to every zone of that account, present and future (zone permission groups).", Optional: true, Validators: []validator.String{validators.AccountID()}},
				},
			},
		},
		"not_before": schema.StringAttribute{
			MarkdownDescription: "The token is not valid before this time (RFC 3339, such as `2030-01-01T00:00:00Z`). Compared as a time: another spelling of the same instant shows no change.",
			Optional:            true,
			Validators:          []validator.String{validators.RFC3339()},
		},
		"expires_on": schema.StringAttribute{
			MarkdownDescription: "The token expires at this time (RFC 3339). Once it has passed, `status` reads `expired`. Compared as a time.",
			Optional:            true,
			Validators:          []validator.String{validators.RFC3339()},
		},
		"condition": schema.SingleNestedAttribute{
			MarkdownDescription: "Where the token may be used from.",
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"request_ip": schema.SingleNestedAttribute{
					MarkdownDescription: "Client IP restrictions (Cloudflare's `request.ip` condition). Required in `condition`, and needs " +
						"`in` or `not_in`: a condition in which nothing is set (a misspelt key, which Terraform drops) is an error, never \"no restriction\".",
					Required: true,
					Attributes: map[string]schema.Attribute{
						"in": cidrs("IP addresses or CIDR ranges the token may be used from; any when unset, if `not_in` is set.",
							setvalidator.AtLeastOneOf(path.MatchRelative().AtParent().AtName("not_in"))),
						"not_in": cidrs("IP addresses or CIDR ranges the token may not be used from."),
					},
				},
			},
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "`active` or `disabled` to set it; reads `expired` once `expires_on` has passed. When not set, the token's status is " +
				"left as it is (a new token is `active`) and shown here.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{stringvalidator.OneOf("active", "disabled")},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"issued_on": schema.StringAttribute{
			MarkdownDescription: "When the token was created.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"modified_on": schema.StringAttribute{
			MarkdownDescription: "When the token was last changed (a roll changes it too).",
			Computed:            true,
		},
		"last_used_on": schema.StringAttribute{
			MarkdownDescription: "When the token was last used, as of the last refresh. Using the token changes it but never shows as a change to plan.",
			Computed:            true,
		},
		"value": schema.StringAttribute{
			MarkdownDescription: "The token's secret. Cloudflare returns it only at creation and after a roll (see `rotate_when_changed`): " +
				"it is empty after an import. It is kept in state; use the `cfiam_api_token` ephemeral resource for a short-lived token that never is.",
			Computed:      true,
			Sensitive:     true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"rotate_when_changed": schema.MapAttribute{
			MarkdownDescription: "Arbitrary values; any change rolls the token's value in place (same ID, same policies, a new `value`), " +
				"the way `terraform_data`'s `triggers_replace` replaces. For example `{ rotation = time_rotating.token.id }`.",
			Optional:    true,
			ElementType: types.StringType,
		},
	}
}
