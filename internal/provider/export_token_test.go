package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// EphemeralResourcesWired reports whether the provider's Configure hands its
// data to ephemeral resources (ConfigureResponse.EphemeralResourceData), by
// configuring an instance with a token and a base URL; no request is made.
func EphemeralResourcesWired() bool {
	ctx := context.Background()
	p := New("test", WithEnv(func(string) string { return "" }))()
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return false
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["api_token"] = tftypes.NewValue(tftypes.String, "probe")
	vals["base_url"] = tftypes.NewValue(tftypes.String, "http://127.0.0.1:1/client/v4")
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
	return !resp.Diagnostics.HasError() && resp.EphemeralResourceData != nil
}
