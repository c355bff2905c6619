package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

var (
	_ provider.ProviderWithFunctions          = (*cfiamProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*cfiamProvider)(nil)
)

// Functions lists the provider functions, one a line.
func (p *cfiamProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewPermissionGroupScopesFunction,
	}
}

// EphemeralResources lists the ephemeral resources, one a line. They get
// their client from ConfigureResponse.EphemeralResourceData, which
// Configure (provider.go) must set to the same providerData as ResourceData.
func (p *cfiamProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewEphemeralAPITokenResource,
	}
}
