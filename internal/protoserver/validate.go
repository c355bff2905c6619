package protoserver

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Terraform validates every resource twice in a plan, in two provider
// processes (the validate walk, then the plan walk), and most of the
// framework's cost of it is its path lookups and logging fields for every
// attribute. For the types of the registry, the server does what the
// framework's ValidateResourceConfig does, for a configuration that is
// wholly known and a schema of the attribute kinds validateAttribute
// handles: the resource's ValidateConfig, then each attribute's Required
// and read-only rule and its validators, nested attributes included, with
// the same paths. Anything else goes to the framework. The messages of the
// two rules are the framework's own, word for word: Verify compares every
// answer with the framework's in the acceptance tests.

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	if s.off.validate {
		return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
	}
	short, ok := s.validate(ctx, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
	}
	if s.verify {
		full, err := serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
		if err != nil {
			return nil, err
		}
		if diff := sameValidation(short, full); diff != "" {
			return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: disagreement("Validation", req.TypeName, diff)}, nil
		}
	}
	return short, nil
}

// validate answers req, or says the framework must (false).
func (s *server) validate(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, bool) {
	t := s.shortcuts.of(ctx, req.TypeName)
	if t == nil || req.Config == nil || len(req.Config.MsgPack) == 0 {
		return nil, false
	}
	rc := newRequestContext(ctx)
	defer rc.end()
	raw, err := req.Config.Unmarshal(t.typ)
	if err != nil || raw.IsNull() || !raw.IsFullyKnown() {
		return nil, false
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return nil, false
	}
	config := tfsdk.Config{Schema: t.schema, Raw: raw}
	var diags diag.Diagnostics
	r, ok := t.configured(rc, s.configured())
	if !ok {
		return nil, false
	}
	if _, ok := r.(resource.ResourceWithConfigValidators); ok {
		return nil, false
	}
	if rv, ok := r.(resource.ResourceWithValidateConfig); ok {
		var vresp resource.ValidateConfigResponse
		caps := resource.ValidateConfigClientCapabilities{WriteOnlyAttributesAllowed: req.ClientCapabilities != nil && req.ClientCapabilities.WriteOnlyAttributesAllowed}
		rv.ValidateConfig(rc, resource.ValidateConfigRequest{Config: config, ClientCapabilities: caps}, &vresp)
		diags.Append(vresp.Diagnostics...)
	}
	names := make([]string, 0, len(t.schema.Attributes))
	for name := range t.schema.Attributes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !validateAttribute(rc, config, path.Root(name), t.schema.Attributes[name], attrs[name], &diags) {
			return nil, false
		}
	}
	out, ok := protoDiagnostics(rc, diags)
	if !ok {
		return nil, false
	}
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: out}, true
}

// validateAttribute is the framework's AttributeValidate for the attribute
// kinds member schemas use; false for any other.
func validateAttribute(ctx context.Context, config tfsdk.Config, p path.Path, a schema.Attribute, v tftypes.Value, diags *diag.Diagnostics) bool {
	if a.IsWriteOnly() || a.GetDeprecationMessage() != "" {
		return false
	}
	null := v.IsNull()
	if a.IsComputed() && !a.IsOptional() && !null {
		diags.AddAttributeError(p, "Invalid Configuration for Read-Only Attribute",
			"Cannot set value for this attribute as the provider has marked it as read-only. Remove the configuration line setting the value.\n\n"+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable and read-only attributes that are supported.")
	}
	if a.IsRequired() && null {
		diags.AddAttributeError(p, "Missing Configuration for Required Attribute",
			fmt.Sprintf("Must set a configuration value for the %s attribute as the provider has marked it as required.\n\n", p.String())+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable attributes that are required.")
	}
	value, err := a.GetType().ValueFromTerraform(ctx, v)
	if err != nil {
		return false
	}
	expr := p.Expression()
	switch a := a.(type) {
	case schema.StringAttribute:
		s, ok := value.(types.String)
		if !ok {
			return false
		}
		for _, vr := range a.Validators {
			var resp validator.StringResponse
			vr.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: expr, Config: config, ConfigValue: s}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.BoolAttribute:
		b, ok := value.(types.Bool)
		if !ok {
			return false
		}
		for _, vr := range a.Validators {
			var resp validator.BoolResponse
			vr.ValidateBool(ctx, validator.BoolRequest{Path: p, PathExpression: expr, Config: config, ConfigValue: b}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.SetAttribute:
		s, ok := value.(types.Set)
		if !ok {
			return false
		}
		validateSet(ctx, config, p, s, a.Validators, diags)
	case schema.SetNestedAttribute:
		s, ok := value.(types.Set)
		if !ok || len(a.NestedObject.Validators) > 0 {
			return false
		}
		validateSet(ctx, config, p, s, a.Validators, diags)
		if null {
			return true
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return false
		}
		for i, ev := range elems {
			if !validateNested(ctx, config, p.AtSetValue(s.Elements()[i]), a.NestedObject, ev, diags) {
				return false
			}
		}
	case schema.SingleNestedAttribute:
		if len(a.Validators) > 0 {
			return false
		}
		if !null && !validateNested(ctx, config, p, schema.NestedAttributeObject{Attributes: a.Attributes}, v, diags) {
			return false
		}
	case schema.ListNestedAttribute:
		if len(a.Validators) > 0 || len(a.NestedObject.Validators) > 0 {
			return false
		}
		if null {
			return true
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return false
		}
		for i, ev := range elems {
			if !validateNested(ctx, config, p.AtListIndex(i), a.NestedObject, ev, diags) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

func validateSet(ctx context.Context, config tfsdk.Config, p path.Path, s types.Set, validators []validator.Set, diags *diag.Diagnostics) {
	for _, vr := range validators {
		var resp validator.SetResponse
		vr.ValidateSet(ctx, validator.SetRequest{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: s}, &resp)
		diags.Append(resp.Diagnostics...)
	}
}

// validateNested validates each attribute of one nested object at p.
func validateNested(ctx context.Context, config tfsdk.Config, p path.Path, o schema.NestedAttributeObject, v tftypes.Value, diags *diag.Diagnostics) bool {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return false
	}
	names := make([]string, 0, len(o.Attributes))
	for name := range o.Attributes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !validateAttribute(ctx, config, p.AtName(name), o.Attributes[name], attrs[name], diags) {
			return false
		}
	}
	return true
}

// protoDiagnostics converts diagnostics as the framework does.
func protoDiagnostics(ctx context.Context, diags diag.Diagnostics) ([]*tfprotov6.Diagnostic, bool) {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail()}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		default:
			return nil, false
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok && len(dp.Path().Steps()) > 0 {
			tp, ok := terraformPath(ctx, dp.Path())
			if !ok {
				return nil, false
			}
			pd.Attribute = tp
		}
		out = append(out, pd)
	}
	return out, true
}

func terraformPath(ctx context.Context, p path.Path) (*tftypes.AttributePath, bool) {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			tp = tp.WithElementKeyString(string(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return nil, false
			}
			tp = tp.WithElementKeyValue(v)
		default:
			return nil, false
		}
	}
	return tp, true
}

// sameValidation reports how two validations' diagnostics differ ("" when
// they do not), in any order.
func sameValidation(short, full *tfprotov6.ValidateResourceConfigResponse) string {
	key := func(ds []*tfprotov6.Diagnostic) []string {
		out := make([]string, len(ds))
		for i, d := range ds {
			at := ""
			if d.Attribute != nil {
				at = d.Attribute.String()
			}
			out[i] = fmt.Sprintf("%v|%s|%s|%s", d.Severity, at, d.Summary, d.Detail)
		}
		slices.Sort(out)
		return out
	}
	a, b := key(short.Diagnostics), key(full.Diagnostics)
	if !slices.Equal(a, b) {
		return fmt.Sprintf("diagnostics differ:\n shortcut  %s\n framework %s", strings.Join(a, "\n  "), strings.Join(b, "\n  "))
	}
	return ""
}
