// Package validators holds terraform-plugin-framework validators shared by
// the provider's schemas.
package validators

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = durationValidator{}

// Duration accepts a Go duration string ("30s", "1m30s") that is at least minimum.
// Null and unknown values are left alone: they are checked once known.
func Duration(minimum time.Duration) validator.String {
	return durationValidator{min: minimum}
}

type durationValidator struct {
	min time.Duration
}

func (v durationValidator) Description(_ context.Context) string {
	return fmt.Sprintf("value must be a duration such as \"30s\" or \"2m\", at least %s", v.min)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(raw)
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a duration: write a number with a unit, such as \"30s\", \"90s\" or \"2m\".", raw))
		return
	}
	if d < v.min {
		resp.Diagnostics.AddAttributeError(req.Path, "Duration too short",
			fmt.Sprintf("%q is shorter than %s: use %s or more.", raw, v.min, v.min))
	}
}
