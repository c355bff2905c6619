package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

// authMethod is how the provider authenticates, so that errors can name the
// credential to fix.
type authMethod string

const (
	authNone  authMethod = "none"
	authToken authMethod = "api_token"
	authKey   authMethod = "api_key"
)

// Where a data source's catalog came from, as its `source` attribute says.
const (
	sourceAPI      = "api"
	sourceEmbedded = "embedded"
)

// providerData is what Configure hands to data sources and resources: the
// client of this provider instance (nil in offline mode) and the defaults.
type providerData struct {
	client    *cfclient.Client
	accountID string
	auth      authMethod
	// policies performs every policy write of this provider instance (nil offline).
	policies *iampolicy.Updater
}

// configure is every data source's, resource's and ephemeral resource's
// Configure: it stores the provider's data in *dst. A nil value (before the
// provider is configured, e.g. during validation) is not an error: *dst is
// left nil and the caller runs offline. Anything else is a bug, reported
// with the type got.
func configure(v any, dst **providerData, diags *diag.Diagnostics) {
	if v == nil {
		return
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the cfiam provider: please report it.", v))
		return
	}
	*dst = data
}

// online reports whether the provider has credentials and so an API client.
func (d *providerData) online() bool { return d != nil && d.client != nil }

// account returns the data source's own account ID, else the provider's.
func (d *providerData) account(own string) string {
	if own != "" || d == nil {
		return own
	}
	return d.accountID
}

// ready returns the account to act in (own, or the provider's), or adds why
// the provider cannot call Cloudflare for operation (no credentials, no
// account ID).
func (d *providerData) ready(own types.String, operation string, diags *diag.Diagnostics) (string, bool) {
	if !d.online() {
		diags.Append(offlineDiagnostic(operation))
		return "", false
	}
	accountID := d.account(own.ValueString())
	if accountID == "" {
		diags.Append(missingAccountDiagnostic(operation))
		return "", false
	}
	return accountID, true
}

// tokenCatalog is the catalog of the permission groups of a token of owner (an
// account ID, or "" for a user token): see cfclient.TokenCatalog.
func (d *providerData) tokenCatalog(ctx context.Context, owner, operation string) (*catalog.Catalog, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !d.online() {
		return catalog.Embedded(), diags
	}
	cat, err := d.client.TokenCatalog(ctx, owner)
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, operation, err))
		return nil, diags
	}
	return cat, diags
}

// catalog returns the catalog that data sources read: the live one (fetched
// once per provider instance: an account's roles when accountID is set, the
// token permission groups otherwise) when credentials are configured, the
// embedded one (both) otherwise. needAccount says whether roles are wanted,
// which live only in an account.
func (d *providerData) catalog(ctx context.Context, accountID string, needAccount bool, operation string) (*catalog.Catalog, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !d.online() {
		return catalog.Embedded(), sourceEmbedded, diags
	}
	if needAccount && accountID == "" {
		diags.Append(missingAccountDiagnostic(operation))
		return nil, "", diags
	}
	cat, err := d.client.Catalog(ctx, accountID)
	if err != nil {
		diags.Append(apiErrorDiagnostic(d.auth, operation, err))
		return nil, "", diags
	}
	return cat, sourceAPI, diags
}
