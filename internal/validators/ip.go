package validators

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = ipOrCIDRValidator{}

// IPOrCIDR accepts an IP address or a CIDR range, IPv4 or IPv6.
func IPOrCIDR() validator.String { return ipOrCIDRValidator{} }

type ipOrCIDRValidator struct{}

func (ipOrCIDRValidator) Description(context.Context) string {
	return "must be an IP address or CIDR range, such as 192.0.2.0/24 or 2001:db8::/32"
}

func (v ipOrCIDRValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v ipOrCIDRValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if _, err := netip.ParsePrefix(s); err == nil {
		return
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid IP address or range", fmt.Sprintf("%q %s.", s, v.Description(ctx)))
}
