package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// tfplugindocs renders list resources from `terraform providers schema
// -json`, which only Terraform 1.14 and later fill in; `make docs` runs on
// the terraform on PATH (1.11 in CI). So each list resource is documented
// by hand in its resource's page, section "List with `terraform query`":
// this test keeps that section's `config` arguments equal to the list
// resource's schema, and its text naming the guide.
func TestDocsListResources(t *testing.T) {
	p, ok := New("test")().(*cfiamProvider)
	if !ok {
		t.Fatal("New does not make a *cfiamProvider")
	}
	arg := regexp.MustCompile("(?m)^- `([a-z_]+)` \\(String, optional\\) ")
	for _, newList := range p.ListResources(context.Background()) {
		lr := newList()
		var meta resource.MetadataResponse
		lr.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "cfiam"}, &meta)
		var schema list.ListResourceSchemaResponse
		lr.ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &schema)
		t.Run(meta.TypeName, func(t *testing.T) {
			page := filepath.Join(docsRoot, "resources", strings.TrimPrefix(meta.TypeName, "cfiam_")+".md")
			raw, err := os.ReadFile(page) //nolint:gosec // G304: the docs of this repository
			if err != nil {
				t.Fatal(err)
			}
			_, section, ok := strings.Cut(string(raw), "\n## List with `terraform query`\n")
			if !ok {
				t.Fatalf("%s has no section \"List with `terraform query`\"", page)
			}
			section, _, _ = strings.Cut(section, "\n## ")
			var documented []string
			for _, m := range arg.FindAllStringSubmatch(section, -1) {
				documented = append(documented, m[1])
			}
			var want []string
			for name, a := range schema.Schema.Attributes {
				if !a.IsOptional() || a.IsRequired() {
					t.Errorf("list config attribute %s should be optional", name)
				}
				if a.GetMarkdownDescription() == "" {
					t.Errorf("list config attribute %s has no MarkdownDescription", name)
				}
				want = append(want, name)
			}
			slices.Sort(documented)
			slices.Sort(want)
			if !slices.Equal(documented, want) {
				t.Errorf("%s documents the config arguments %v; the list resource has %v", page, documented, want)
			}
			for _, s := range []string{`list "` + meta.TypeName + `"`, "guides/existing-account.md", "OpenTofu"} {
				if !strings.Contains(section, s) {
					t.Errorf("the list section of %s does not mention %s", page, s)
				}
			}
		})
	}
}
