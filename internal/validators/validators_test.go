package validators_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// stringCase is one row of a validator table: the value and, when it must
// fail, a piece of the error's summary or detail (empty: must pass).
type stringCase struct {
	value   types.String
	wantErr string
}

func runStringCases(t *testing.T, v validator.String, cases map[string]stringCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := validator.StringRequest{Path: path.Root("attr"), ConfigValue: tc.value}
			resp := &validator.StringResponse{}
			v.ValidateString(context.Background(), req, resp)
			if tc.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				return
			}
			if !resp.Diagnostics.HasError() || len(resp.Diagnostics) != 1 {
				t.Fatalf("want one error containing %q, got %v", tc.wantErr, resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if !strings.Contains(d.Summary()+"\n"+d.Detail(), tc.wantErr) {
				t.Fatalf("error %q / %q does not contain %q", d.Summary(), d.Detail(), tc.wantErr)
			}
		})
	}
}

func TestHexIDAndAccountID(t *testing.T) {
	t.Parallel()
	cases := map[string]stringCase{
		"null":              {value: types.StringNull()},
		"unknown":           {value: types.StringUnknown()},
		"valid":             {value: types.StringValue("023e105f4ecef8ad9ca31a8372d0c353")},
		"upper case":        {value: types.StringValue("023E105F4ECEF8AD9CA31A8372D0C353"), wantErr: "32-character lowercase hexadecimal account ID"},
		"31 characters":     {value: types.StringValue("023e105f4ecef8ad9ca31a8372d0c35"), wantErr: "32-character lowercase hexadecimal account ID"},
		"33 characters":     {value: types.StringValue("023e105f4ecef8ad9ca31a8372d0c3533"), wantErr: "32-character lowercase hexadecimal account ID"},
		"not hexadecimal":   {value: types.StringValue("023e105f4ecef8ad9ca31a8372d0c35g"), wantErr: "32-character lowercase hexadecimal account ID"},
		"a Tunnel ID":       {value: types.StringValue("f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"), wantErr: "32-character lowercase hexadecimal account ID"},
		"empty":             {value: types.StringValue(""), wantErr: "32-character lowercase hexadecimal account ID"},
		"surrounding space": {value: types.StringValue(" 023e105f4ecef8ad9ca31a8372d0c353"), wantErr: "32-character lowercase hexadecimal account ID"},
	}
	runStringCases(t, validators.AccountID(), cases)
	runStringCases(t, validators.HexID("must be a member ID"), map[string]stringCase{
		"valid":   {value: types.StringValue("4536bcfad5faccb111b47003c79917fa")},
		"invalid": {value: types.StringValue("alice"), wantErr: "must be a member ID"},
	})
}

func TestTunnelID(t *testing.T) {
	t.Parallel()
	runStringCases(t, validators.TunnelID("must be a Tunnel ID (a UUID)"), map[string]stringCase{
		"null":       {value: types.StringNull()},
		"unknown":    {value: types.StringUnknown()},
		"valid":      {value: types.StringValue("f70ff985-a4ef-4643-bbbc-4a0ed4fc8415")},
		"upper case": {value: types.StringValue("F70FF985-A4EF-4643-BBBC-4A0ED4FC8415"), wantErr: "must be a Tunnel ID (a UUID)"},
		"a zone ID":  {value: types.StringValue("023e105f4ecef8ad9ca31a8372d0c353"), wantErr: "must be a Tunnel ID (a UUID)"},
		"no dashes":  {value: types.StringValue("f70ff985a4ef4643bbbc4a0ed4fc8415"), wantErr: "must be a Tunnel ID (a UUID)"},
	})
}

func TestEmail(t *testing.T) {
	t.Parallel()
	runStringCases(t, validators.Email(), map[string]stringCase{
		"null":       {value: types.StringNull()},
		"unknown":    {value: types.StringUnknown()},
		"valid":      {value: types.StringValue("alice@example.com")},
		"mixed case": {value: types.StringValue("Alice@Example.com")},
		"no at":      {value: types.StringValue("alice.example.com"), wantErr: "must be an e-mail address"},
		"no domain":  {value: types.StringValue("alice@"), wantErr: "must be an e-mail address"},
		"no dot":     {value: types.StringValue("alice@example"), wantErr: "must be an e-mail address"},
		"space":      {value: types.StringValue("alice smith@example.com"), wantErr: "must be an e-mail address"},
	})
}

func TestRFC3339(t *testing.T) {
	t.Parallel()
	runStringCases(t, validators.RFC3339(), map[string]stringCase{
		"null":         {value: types.StringNull()},
		"unknown":      {value: types.StringUnknown()},
		"UTC":          {value: types.StringValue("2030-01-01T00:00:00Z")},
		"offset":       {value: types.StringValue("2030-01-01T02:00:00+02:00")},
		"fraction":     {value: types.StringValue("2030-01-01T00:00:00.5Z")},
		"date only":    {value: types.StringValue("2030-01-01"), wantErr: `"2030-01-01" is not an RFC 3339 date-time`},
		"no zone":      {value: types.StringValue("2030-01-01T00:00:00"), wantErr: "Invalid time"},
		"space":        {value: types.StringValue("2030-01-01 00:00:00Z"), wantErr: "Invalid time"},
		"out of range": {value: types.StringValue("2030-13-01T00:00:00Z"), wantErr: "Invalid time"},
	})
}

func TestIPOrCIDR(t *testing.T) {
	t.Parallel()
	runStringCases(t, validators.IPOrCIDR(), map[string]stringCase{
		"null":          {value: types.StringNull()},
		"unknown":       {value: types.StringUnknown()},
		"IPv4":          {value: types.StringValue("192.0.2.1")},
		"IPv4 range":    {value: types.StringValue("192.0.2.0/24")},
		"IPv6":          {value: types.StringValue("2001:db8::1")},
		"IPv6 range":    {value: types.StringValue("2001:db8::/32")},
		"bad prefix":    {value: types.StringValue("192.0.2.0/33"), wantErr: `"192.0.2.0/33" must be an IP address or CIDR range`},
		"host name":     {value: types.StringValue("example.com"), wantErr: "Invalid IP address or range"},
		"empty":         {value: types.StringValue(""), wantErr: "Invalid IP address or range"},
		"octet too big": {value: types.StringValue("256.0.0.1"), wantErr: "Invalid IP address or range"},
	})
}
