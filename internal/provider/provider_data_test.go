package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func TestConfigure(t *testing.T) {
	t.Parallel()
	want := &providerData{accountID: "a"}
	var got *providerData
	var diags diag.Diagnostics
	configure(nil, &got, &diags)
	if got != nil || diags.HasError() {
		t.Fatalf("nil provider data: got %v, %v; want nil, no error", got, diags)
	}
	configure(want, &got, &diags)
	if got != want || diags.HasError() {
		t.Fatalf("provider data: got %v, %v; want %v, no error", got, diags, want)
	}
	configure("oops", &got, &diags)
	if got != want {
		t.Error("a wrong type replaced the data stored before")
	}
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "got string") {
		t.Fatalf("wrong type: %v; want an error naming string", diags)
	}
}

// Every data source, resource and ephemeral resource accepts nil provider
// data (validation) and refuses any other type, naming it.
func TestConfigure_everyObject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, ok := New("test")().(*cfiamProvider)
	if !ok {
		t.Fatal("New does not return *cfiamProvider")
	}
	type bogus struct{}
	check := func(name string, run func(v any) diag.Diagnostics) {
		if d := run(nil); d.HasError() {
			t.Errorf("%s: nil provider data: %v", name, d)
		}
		if d := run(bogus{}); !d.HasError() || !strings.Contains(d[0].Detail(), "got provider.bogus") {
			t.Errorf("%s: wrong provider data type: %v", name, d)
		}
	}
	n := 0
	for _, f := range p.DataSources(ctx) {
		ds, ok := f().(datasource.DataSourceWithConfigure)
		if !ok {
			continue
		}
		n++
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cfiam"}, &meta)
		check(meta.TypeName, func(v any) diag.Diagnostics {
			var resp datasource.ConfigureResponse
			ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: v}, &resp)
			return resp.Diagnostics
		})
	}
	for _, f := range p.Resources(ctx) {
		r, ok := f().(resource.ResourceWithConfigure)
		if !ok {
			continue
		}
		n++
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cfiam"}, &meta)
		check(meta.TypeName, func(v any) diag.Diagnostics {
			var resp resource.ConfigureResponse
			r.Configure(ctx, resource.ConfigureRequest{ProviderData: v}, &resp)
			return resp.Diagnostics
		})
	}
	for _, f := range p.EphemeralResources(ctx) {
		r, ok := f().(ephemeral.EphemeralResourceWithConfigure)
		if !ok {
			continue
		}
		n++
		check("ephemeral", func(v any) diag.Diagnostics {
			var resp ephemeral.ConfigureResponse
			r.Configure(ctx, ephemeral.ConfigureRequest{ProviderData: v}, &resp)
			return resp.Diagnostics
		})
	}
	// 16 data sources (11, and the listings of the five Access kinds), 14 resources (9, the two token
	// resources sharing one type, and the five Access bindings), 1 ephemeral resource.
	if n != 31 {
		t.Errorf("%d objects with Configure, want 31", n)
	}
}
