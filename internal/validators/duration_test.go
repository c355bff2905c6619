package validators_test

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		value   types.String
		wantErr bool
	}{
		"null":      {value: types.StringNull()},
		"unknown":   {value: types.StringUnknown()},
		"seconds":   {value: types.StringValue("30s")},
		"composite": {value: types.StringValue("1m30s")},
		"no unit":   {value: types.StringValue("30"), wantErr: true},
		"garbage":   {value: types.StringValue("soon"), wantErr: true},
		"too short": {value: types.StringValue("10ms"), wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := validator.StringRequest{Path: path.Root("request_timeout"), ConfigValue: tc.value}
			resp := &validator.StringResponse{}
			validators.Duration(time.Second).ValidateString(context.Background(), req, resp)
			if got := resp.Diagnostics.HasError(); got != tc.wantErr {
				t.Fatalf("HasError() = %v, want %v: %v", got, tc.wantErr, resp.Diagnostics)
			}
		})
	}
}
