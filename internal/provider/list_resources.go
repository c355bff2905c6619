package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// List resources (Terraform 1.14 and later: `list` blocks in .tfquery.hcl
// files, `terraform query`). Each is the managed resource's own type, which
// adds ListResourceConfigSchema and List beside the resource (in its file):
// Metadata and Configure are the resource's. This file holds what they share. A listed object carries its identity (identity.go) and, when
// Terraform asks for it (include_resource, -generate-config-out), the state
// that the resource's Read makes of the same object right after an import:
// roles and permission groups by catalog name, every policy and scope, no
// token value. That is what makes the configuration `terraform query
// -generate-config-out` writes plan empty once imported.
//
// Each list costs one paged list of the objects (and the account's catalog
// for the names), never one request per object.

// listAccountAttribute is the account_id of every account-owned list resource.
func listAccountAttribute(what string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "Account whose " + what + " to list. Defaults to the provider's `account_id` (or `CLOUDFLARE_ACCOUNT_ID`).",
		Optional:            true,
		Validators:          []validator.String{validators.AccountID()},
	}
}

// listNameAttribute filters by exact name.
func listNameAttribute(what, how string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "List only the " + what + " with exactly this name (names are not unique). " + how,
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// listQuery is what every List starts with: the config read into cfg, the
// provider online and the account known (when account is set: it reads the
// config's account_id once cfg holds it).
func listQuery(ctx context.Context, d *providerData, req list.ListRequest, cfg any, typeName string, account func() string, stream *list.ListResultsStream) (string, bool) {
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, cfg)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return "", false
	}
	if !d.online() {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{offlineDiagnostic("listing " + typeName)})
		return "", false
	}
	if account == nil {
		return "", true
	}
	acct := d.account(account())
	if acct == "" {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{missingAccountDiagnostic("listing " + typeName)})
		return "", false
	}
	return acct, true
}

// listFailed streams one error diagnostic.
func listFailed(stream *list.ListResultsStream, d diag.Diagnostic) {
	stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{d})
}

// listed is one object found: its name for humans and the state Read would
// make of it: a model of the resource's schema, or set, which writes it.
type listed struct {
	display string
	model   any
	set     func(context.Context, *tfsdk.Resource) diag.Diagnostics
	diags   diag.Diagnostics
}

// listResults streams the objects as list results, at most req.Limit (when
// Terraform sets one): each with its identity (from the state, as the
// resource's Create, Read and Update set it) and its state.
func listResults(ctx context.Context, req list.ListRequest, ids identityFields, objects []listed) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i, o := range objects {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			r := req.NewListResult(ctx)
			r.DisplayName = o.display
			r.Diagnostics.Append(o.diags...)
			if o.set != nil {
				r.Diagnostics.Append(o.set(ctx, r.Resource)...)
			} else {
				r.Diagnostics.Append(r.Resource.Set(ctx, o.model)...)
			}
			if !r.Diagnostics.HasError() {
				ids.setIdentity(ctx, tfsdk.State{Raw: r.Resource.Raw, Schema: r.Resource.Schema}, r.Identity, &r.Diagnostics)
			}
			if !push(r) {
				return
			}
		}
	}
}
