package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// catalogEntryModel is one role or permission group in a list data source.
type catalogEntryModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Scope       types.String `tfsdk:"scope"`
}

// catalogEntryAttributes is the schema of catalogEntryModel; what says
// "role" or "permission group".
func catalogEntryAttributes(what string) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for name, description := range map[string]string{
		"id":          "ID of the " + what + ", as the Cloudflare API knows it.",
		"name":        "Name of the " + what + ", as shown in the Cloudflare dashboard.",
		"description": "What the " + what + " allows.",
		"scope":       "Scope of the " + what + ".",
	} {
		attrs[name] = schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	return attrs
}

func flattenCatalogEntries(entries []catalog.Entry) []catalogEntryModel {
	out := make([]catalogEntryModel, len(entries))
	for i, e := range entries {
		out[i] = catalogEntryModel{
			ID:          types.StringValue(e.ID),
			Name:        types.StringValue(e.Name),
			Description: types.StringValue(e.Description),
			Scope:       types.StringValue(string(e.Scope)),
		}
	}
	return out
}

// sortByScopeThenName orders entries by the scopes' order in scopes, then by name.
func sortByScopeThenName(entries []catalog.Entry, scopes []catalog.Scope) []catalog.Entry {
	var out []catalog.Entry
	for _, s := range scopes {
		for _, e := range entries {
			if e.Scope == s {
				out = append(out, e)
			}
		}
	}
	// catalog.Entries already sorts by name within a scope.
	return out
}

// catalogWhere names the catalog searched, for error messages.
func catalogWhere(source, accountID string) string {
	switch {
	case source == sourceEmbedded:
		return "the catalog embedded in the provider (no credentials configured, so the live catalog was not read)"
	case accountID != "":
		return "the live catalog of account " + accountID
	default:
		return "the live catalog"
	}
}

func scopeStrings(scopes []catalog.Scope) []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = string(s)
	}
	return out
}

// configRef is how a read writes a role or permission group (kind k, ID id,
// in a policy of scope s) that has no spelling of the user's to keep (after
// an import, or in a policy added outside Terraform): by its name in cat
// (the live catalog) when the embedded catalog, which checks configurations
// at `terraform validate`, knows that name as this ID; otherwise (newer than
// the embedded catalog, or renamed since, or the name meaning another ID in
// scope s) by ID, as such ones must be written. `terraform plan
// -generate-config-out` copies these values into a configuration.
func configRef(cat *catalog.Catalog, k catalog.Kind, s catalog.Scope, id string) string {
	e, ok := cat.ByID(id)
	if !ok || e.Kind != k {
		return id
	}
	known := false
	for _, f := range catalog.Embedded().Find(k, e.Name) {
		same := strings.EqualFold(f.ID, e.ID)
		if f.Scope == s && !same {
			return id
		}
		known = known || same
	}
	if !known {
		return id
	}
	return e.Name
}
