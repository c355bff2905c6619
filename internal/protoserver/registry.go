package protoserver

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ResourceWithUnchangedPlan is a resource that says when its ModifyPlan,
// given a proposed new state equal to the prior state, plans exactly the
// prior state with no diagnostic and no replacement. Declare it beside
// ModifyPlan: it is a summary of what ModifyPlan reads besides the proposed
// state, and must change with it. The server then answers such a plan
// itself when PlansPriorState holds, and answers the type's reads and
// validations without the framework's conversions too.
type ResourceWithUnchangedPlan interface {
	resource.ResourceWithModifyPlan
	resource.ResourceWithConfigure
	// PlansPriorState reports whether ModifyPlan would plan the prior
	// state, on a resource configured as the framework configures one,
	// given the configuration and the prior state (equal to the proposed
	// state). False is always safe: the framework plans then.
	PlansPriorState(ctx context.Context, config, prior tftypes.Value) bool
}

// LeavesUnchangedPlan is a plan modifier that leaves an attribute's planned
// value as it is, with no replacement and no diagnostic, when the proposed
// value is the prior one: the shortcut may skip it. A plan modifier of the
// resource's own package says so by having this method (with a test that
// shows it).
type LeavesUnchangedPlan interface{ LeavesUnchangedPlan() }

// shortcutType is what the shortcuts know of one resource type.
type shortcutType struct {
	newResource func() resource.Resource
	schema      schema.Schema
	typ         tftypes.Type
	identity    *identityschema.Schema // nil for a type without identity
	identityTyp tftypes.Type
}

// registry holds the resource types the shortcuts serve, found once among
// the provider's resources: those that are ResourceWithUnchangedPlan and
// whose schema Unsupported finds nothing in.
type registry struct {
	provider provider.Provider
	once     sync.Once
	types    map[string]*shortcutType
}

func newRegistry(p provider.Provider) *registry { return &registry{provider: p} }

// of is the shortcut type of typeName; nil for a type the shortcuts do not serve.
func (r *registry) of(ctx context.Context, typeName string) *shortcutType {
	r.once.Do(func() { r.types = shortcutTypes(ctx, r.provider) })
	return r.types[typeName]
}

func shortcutTypes(ctx context.Context, p provider.Provider) map[string]*shortcutType {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	out := map[string]*shortcutType{}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		if _, ok := r.(ResourceWithUnchangedPlan); !ok {
			continue
		}
		var mresp resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &mresp)
		var sresp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sresp)
		if sresp.Diagnostics.HasError() || len(Unsupported(sresp.Schema)) > 0 {
			continue
		}
		t := &shortcutType{newResource: newResource, schema: sresp.Schema, typ: sresp.Schema.Type().TerraformType(ctx)}
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			var iresp resource.IdentitySchemaResponse
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &iresp)
			t.identity = &iresp.IdentitySchema
			t.identityTyp = iresp.IdentitySchema.Type().TerraformType(ctx)
		}
		out[mresp.TypeName] = t
	}
	return out
}

// configured is a new resource of the type, configured with data as the
// framework configures one before each call; false if that fails.
func (t *shortcutType) configured(ctx context.Context, data any) (resource.Resource, bool) {
	r := t.newResource()
	if rc, ok := r.(resource.ResourceWithConfigure); ok {
		var resp resource.ConfigureResponse
		rc.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resp)
		if resp.Diagnostics.HasError() {
			return nil, false
		}
	}
	return r, true
}

// Unsupported names what in s the shortcuts do not reproduce of the
// framework's plan, read and validation, one line per attribute: a default,
// a plan modifier that is not known to leave an unchanged plan alone, a
// write-only or deprecated attribute, a custom type (semantic equality), an
// object validator or plan modifier of a nested object, a block. A type
// whose schema has any is served by the framework alone.
func Unsupported(s schema.Schema) []string {
	var out []string
	if len(s.Blocks) > 0 {
		out = append(out, "blocks: the shortcuts handle attributes only")
	}
	walkAttributes("", s.Attributes, &out)
	slices.Sort(out)
	return out
}

func walkAttributes(prefix string, attrs map[string]schema.Attribute, out *[]string) {
	for name, a := range attrs {
		p := prefix + name
		if a.IsWriteOnly() {
			*out = append(*out, p+": write-only (the framework nulls it in every answer)")
		}
		if a.GetDeprecationMessage() != "" {
			*out = append(*out, p+": deprecated (the framework warns in validation)")
		}
		v := reflect.ValueOf(a)
		if f := v.FieldByName("Default"); f.IsValid() && !f.IsNil() {
			*out = append(*out, p+": a default (the framework applies it in every plan)")
		}
		if f := v.FieldByName("CustomType"); f.IsValid() && !f.IsNil() {
			*out = append(*out, p+": a custom type (the framework checks semantic equality in reads)")
		}
		planModifiers(p, v.FieldByName("PlanModifiers"), out)
		switch a := a.(type) {
		case schema.SingleNestedAttribute:
			if len(a.Validators) > 0 || a.CustomType != nil {
				*out = append(*out, p+": a nested object's validators or custom type")
			}
			walkAttributes(p+".", a.Attributes, out)
		case schema.ListNestedAttribute:
			nested(p, a.NestedObject, out)
		case schema.SetNestedAttribute:
			nested(p, a.NestedObject, out)
		case schema.MapNestedAttribute:
			nested(p, a.NestedObject, out)
		}
	}
}

func nested(p string, o schema.NestedAttributeObject, out *[]string) {
	if len(o.Validators) > 0 || o.CustomType != nil {
		*out = append(*out, p+": a nested object's validators or custom type")
	}
	planModifiers(p, reflect.ValueOf(o).FieldByName("PlanModifiers"), out)
	walkAttributes(p+".", o.Attributes, out)
}

// planModifiers names each plan modifier in the slice f that is not known
// to leave an unchanged plan alone.
func planModifiers(p string, f reflect.Value, out *[]string) {
	if !f.IsValid() {
		return
	}
	for i := range f.Len() {
		m := f.Index(i).Interface()
		if _, ok := m.(LeavesUnchangedPlan); ok || frameworkLeavesUnchanged(m) {
			continue
		}
		*out = append(*out, fmt.Sprintf("%s: plan modifier %T", p, m))
	}
}

// frameworkLeavesUnchanged: the framework's UseStateForUnknown acts on an
// unknown planned value only, which an unchanged plan has none of; its
// RequiresReplace and RequiresReplaceIf return when the planned value equals
// the prior one.
func frameworkLeavesUnchanged(m any) bool {
	t := reflect.TypeOf(m)
	pkg := t.PkgPath()
	if !strings.HasPrefix(pkg, "github.com/hashicorp/terraform-plugin-framework/resource/schema/") || !strings.HasSuffix(pkg, "planmodifier") {
		return false
	}
	return t.Name() == "useStateForUnknownModifier" || t.Name() == "requiresReplaceIfModifier"
}
