package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

var _ function.Function = (*permissionGroupScopesFunction)(nil)

// NewPermissionGroupScopesFunction returns provider::cfiam::permission_group_scopes.
func NewPermissionGroupScopesFunction() function.Function { return &permissionGroupScopesFunction{} }

type permissionGroupScopesFunction struct{}

func (f *permissionGroupScopesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "permission_group_scopes"
}

func (f *permissionGroupScopesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The scopes an API token permission group exists in",
		MarkdownDescription: "Returns the scopes in which an API token permission group of that name (any case) or ID exists, from the catalog " +
			"built into the provider (it works offline, with no credentials): a list of `user`, `account` and `zone`, in that order. " +
			"A name such as `Logs Read` exists in two (`[\"account\", \"zone\"]`): a token policy on `account_ids` takes the account one, a policy on " +
			"`zone_ids` or `all_zones_of_account` the zone one. An unknown name is an error that lists the nearest names.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "name",
				MarkdownDescription: "Permission group name (such as `DNS Write`) or ID.",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (f *permissionGroupScopesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var name string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &name))
	if resp.Error != nil {
		return
	}
	cat := catalog.Embedded()
	scopes := cat.ScopesOf(catalog.KindPermissionGroup, name)
	if len(scopes) == 0 {
		msg := fmt.Sprintf("No API token permission group is named %q.", name)
		if s := dedupe(cat.Suggest(catalog.KindPermissionGroup, name, "", 3)); len(s) > 0 {
			msg += " Did you mean " + quoteList(s) + "?"
		}
		resp.Error = function.NewArgumentFuncError(0, msg+" The cfiam_permission_groups data source lists every permission group with its scope") // Terraform adds the final period
		return
	}
	elems := make([]attr.Value, 0, len(scopes))
	seen := map[string]bool{}
	for _, s := range scopes {
		if !seen[string(s)] {
			seen[string(s)] = true
			elems = append(elems, types.StringValue(strings.ToLower(string(s))))
		}
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, types.ListValueMust(types.StringType, elems)))
}
