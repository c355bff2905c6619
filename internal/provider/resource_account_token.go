package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// NewAccountTokenResource returns the cfiam_account_token resource: an
// account-owned API token (/accounts/{id}/tokens). It shares its
// implementation with cfiam_api_token (resource_api_token.go).
func NewAccountTokenResource() resource.Resource { return &tokenResource{account: true} }

func accountTokenSchema() schema.Schema {
	attrs := tokenSchemaAttributes(true)
	attrs["account_id"] = schema.StringAttribute{
		MarkdownDescription: "Account that owns the token. " + accountIDDescription("the token"),
		Optional:            true,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
		Validators:          []validator.String{validators.AccountID()},
	}
	return schema.Schema{
		MarkdownDescription: "An account-owned API token (`/accounts/{account_id}/tokens`) built from permission groups: it belongs to the account, " +
			"not to a user, and survives the departure of whoever created it. Policies take account permission groups on the account " +
			"(`account_ids`) and zone permission groups on its zones (`zone_ids`, `all_zones_of_account`); user permission groups are not available. " +
			"The same checks as `cfiam_api_token` run at `terraform validate` and `terraform plan`.\n\n" +
			"`value` is returned at creation and after a roll (`rotate_when_changed`); it is never read back. Import by `<account_id>/<token_id>`.",
		Attributes: attrs,
	}
}
