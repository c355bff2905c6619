package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// Every attribute has a MarkdownDescription: it is the documentation.
// Provider attributes also name their environment variable.
func TestSchemas_describeEveryAttribute(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := New("test")()

	var presp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &presp)
	if presp.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", presp.Diagnostics)
	}
	for name, attr := range presp.Schema.Attributes {
		d := attr.GetMarkdownDescription()
		if d == "" {
			t.Errorf("provider attribute %s has no MarkdownDescription", name)
		}
		if !strings.Contains(d, "environment variable") {
			t.Errorf("provider attribute %s does not name its environment variable: %q", name, d)
		}
	}

	for _, newDS := range p.DataSources(ctx) {
		ds := newDS()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cfiam"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s schema: %v", meta.TypeName, resp.Diagnostics)
		}
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s schema: %v", meta.TypeName, diags)
		}
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no MarkdownDescription", meta.TypeName)
		}
		checkDescribed(t, meta.TypeName, resp.Schema.Attributes)
	}
}

func checkDescribed(t *testing.T, prefix string, attrs map[string]dsschema.Attribute) {
	t.Helper()
	for name, attr := range attrs {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("%s.%s has no MarkdownDescription", prefix, name)
		}
		if nested, ok := attr.(dsschema.ListNestedAttribute); ok {
			checkDescribed(t, prefix+"."+name, nested.NestedObject.Attributes)
		}
	}
}

func TestOfflineDiagnostic(t *testing.T) {
	t.Parallel()
	d := offlineDiagnostic("creating the account member")
	if !strings.Contains(d.Summary(), "creating the account member") || !strings.Contains(d.Detail(), "Set api_token in the provider block or CLOUDFLARE_API_TOKEN") {
		t.Errorf("offline diagnostic = %q / %q", d.Summary(), d.Detail())
	}
}
