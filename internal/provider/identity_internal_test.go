package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importRequest is an import by identity: values by attribute name, an
// attribute left out is null.
func importRequest(fs identityFields, values map[string]string) resource.ImportStateRequest {
	s := fs.schema()
	attrs := map[string]tftypes.Value{}
	for _, f := range fs {
		v, ok := values[f.name]
		if !ok {
			attrs[f.name] = tftypes.NewValue(tftypes.String, nil)
			continue
		}
		attrs[f.name] = tftypes.NewValue(tftypes.String, v)
	}
	raw := tftypes.NewValue(s.Type().TerraformType(context.Background()), attrs)
	return resource.ImportStateRequest{Identity: &tfsdk.ResourceIdentity{Schema: s, Raw: raw}}
}

func TestIdentityImportID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fields  identityFields
		values  map[string]string
		id      string // the request's import ID string, if any
		want    string
		wantErr string // a fragment of the error detail; "" for none
	}{
		{name: "ID string wins", fields: bindingIdentity, id: "a/b/c", values: map[string]string{"member_id": "m", "policy_id": "p"}, want: "a/b/c"},
		{name: "all parts", fields: bindingIdentity, values: map[string]string{"account_id": "acct", "member_id": "m", "policy_id": "p"}, want: "acct/m/p"},
		{name: "account left out", fields: bindingIdentity, values: map[string]string{"member_id": "m", "policy_id": "p"}, want: "m/p"},
		{name: "account empty", fields: accountMemberIdentity, values: map[string]string{"account_id": " ", "id": "m"}, want: "m"},
		{name: "user token", fields: apiTokenIdentity, values: map[string]string{"id": "tok"}, want: "tok"},
		{name: "spaces trimmed", fields: userGroupMembershipIdentity, values: map[string]string{"account_id": "acct ", "user_group_id": " g", "member_id": "m"}, want: "acct/g/m"},
		{name: "missing part", fields: bindingIdentity, values: map[string]string{"account_id": "acct", "member_id": "m"},
			wantErr: `needs policy_id. Write identity = { account_id = "..." (optional), member_id = "...", policy_id = "..." }`},
		{name: "ID string in an identity attribute", fields: accountMemberIdentity, values: map[string]string{"id": "acct/m"},
			wantErr: `id of an identity is one ID, got "acct/m"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := importRequest(tc.fields, tc.values)
			req.ID = tc.id
			var resp resource.ImportStateResponse
			got, ok := tc.fields.importID(t.Context(), "cfiam_x", req, &resp.Diagnostics)
			if tc.wantErr != "" {
				if ok || !resp.Diagnostics.HasError() {
					t.Fatalf("importID = %q, %v; want an error containing %q", got, ok, tc.wantErr)
				}
				if d := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(d, tc.wantErr) {
					t.Fatalf("error detail %q does not contain %q", d, tc.wantErr)
				}
				return
			}
			if !ok || resp.Diagnostics.HasError() {
				t.Fatalf("importID: unexpected error %v", resp.Diagnostics)
			}
			if got != tc.want {
				t.Fatalf("importID = %q, want %q", got, tc.want)
			}
		})
	}
}
