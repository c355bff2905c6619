package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): each resource says which of
// its attributes identify it, in its identityFields, and this file does the
// rest. Create and Update copy those attributes from the new state into the
// identity; Read copies them from the prior state, first thing, so that an
// object found gone still answers with an identity (setIdentity). ImportState
// turns an identity given in an `import { identity = {...} }` block into the
// resource's import ID string (importID), so that both forms go through one
// import path and accept the same values. Terraform older than 1.12 never
// sends an identity and ignores the one the provider returns.

// identityField is one attribute of a resource identity: its name (also the
// state attribute it is copied from) and its description, the docs.
type identityField struct {
	name        string
	description string
	// account marks the account_id field: optional on import (the
	// provider's account_id is the default, as in the import ID string),
	// and left out of the import ID when not given.
	account bool
}

// accountIdentityField is the account_id of every account-owned resource.
var accountIdentityField = identityField{
	name:        "account_id",
	description: "Account that owns the object. Optional on import: the provider's `account_id` by default.",
	account:     true,
}

// identityFields lists a resource's identity attributes in import-ID order
// (`<account_id>/<a>/<b>`).
type identityFields []identityField

func (fs identityFields) schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(fs))
	for _, f := range fs {
		attrs[f.name] = identityschema.StringAttribute{
			Description:       f.description,
			RequiredForImport: !f.account,
			OptionalForImport: f.account,
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// identitySchema answers IdentitySchema.
func (fs identityFields) identitySchema(resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fs.schema()
}

// setIdentity copies the identity attributes from state into identity at
// the end of a Create, Read or Update. A removed or never created resource
// (null state), a state not yet known (an Update that failed leaves the
// plan) and a client without identity (nil) are left alone.
func (fs identityFields) setIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || state.Raw.IsNull() {
		return
	}
	values := make([]types.String, len(fs))
	for i, f := range fs {
		d := state.GetAttribute(ctx, path.Root(f.name), &values[i])
		if d.HasError() {
			diags.Append(d...)
			return
		}
		if values[i].IsUnknown() {
			return
		}
	}
	for i, f := range fs {
		diags.Append(identity.SetAttribute(ctx, path.Root(f.name), values[i])...)
	}
}

// importID is the import ID string that req stands for: req.ID when the
// import gave one, else the identity's values joined in import-ID order
// (without the account when the identity leaves it out). ok is false, with
// an error in diags, when neither is usable.
func (fs identityFields) importID(ctx context.Context, typeName string, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return req.ID, true
	}
	segs := make([]string, 0, len(fs))
	for _, f := range fs {
		var v types.String
		diags.Append(req.Identity.GetAttribute(ctx, path.Root(f.name), &v)...)
		if diags.HasError() {
			return "", false
		}
		s := strings.TrimSpace(v.ValueString())
		switch {
		case s == "" && f.account:
			continue // the provider's account, as in `<member_id>` alone
		case s == "":
			diags.AddAttributeError(path.Root(f.name), "Missing identity attribute",
				fmt.Sprintf("Importing %s by identity needs %s. Write identity = { %s } in the import block.",
					typeName, f.name, fs.example()))
			return "", false
		case strings.Contains(s, "/"):
			diags.AddAttributeError(path.Root(f.name), "Invalid identity attribute",
				fmt.Sprintf("%s of an identity is one ID, got %q. The `a/b` form is the import ID string: write it as "+
					"import { id = %q } instead, or give each part in its own identity attribute.", f.name, s, s))
			return "", false
		}
		segs = append(segs, s)
	}
	return strings.Join(segs, "/"), true
}

// example renders the identity attributes for an error message:
// `account_id = "..." (optional), id = "..."`.
func (fs identityFields) example() string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name + ` = "..."`
		if f.account {
			out[i] += " (optional)"
		}
	}
	return strings.Join(out, ", ")
}
