package provider

import (
	"context"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// getModel is tfsdk.State.Get (or Plan.Get) for a model whose fields are all
// the framework's own value types, as the holders' models are. It reads each
// attribute with its type and assigns it, where the framework's reflection
// also checks every field's tag against a regular expression it compiles
// each time: a tenth of the provider's CPU in a refresh of many members. A
// value or model it does not handle goes to the framework's Get.
func getModel[M any](ctx context.Context, from modelGetter, m *M) diag.Diagnostics {
	var raw tftypes.Value
	var schemaType attr.Type
	switch s := from.(type) {
	case tfsdk.State:
		raw, schemaType = s.Raw, s.Schema.Type()
	case tfsdk.Plan:
		raw, schemaType = s.Raw, s.Schema.Type()
	}
	if !fillModel(ctx, raw, schemaType, m) {
		return from.Get(ctx, m)
	}
	return nil
}

// fillModel sets each field of m from raw's attribute of the field's
// tfsdk tag; false, with m left partly set, for anything the framework
// must do (a null or unknown object, a field of a custom type, an attribute
// and a field that do not pair up).
func fillModel[M any](ctx context.Context, raw tftypes.Value, schemaType attr.Type, m *M) bool {
	object, ok := schemaType.(types.ObjectType)
	var attrs map[string]tftypes.Value
	if !ok || !raw.IsKnown() || raw.IsNull() || raw.As(&attrs) != nil {
		return false
	}
	fields := modelFieldsOf(reflect.TypeFor[M]())
	if fields == nil || len(fields) != len(object.AttrTypes) || len(attrs) != len(object.AttrTypes) {
		return false
	}
	v := reflect.ValueOf(m).Elem()
	for _, f := range fields {
		typ, ok1 := object.AttrTypes[f.name]
		a, ok2 := attrs[f.name]
		if !ok1 || !ok2 {
			return false
		}
		value, err := typ.ValueFromTerraform(ctx, a)
		if err != nil {
			return false
		}
		rv := reflect.ValueOf(value)
		if !rv.IsValid() || rv.Type() != f.typ {
			return false
		}
		v.Field(f.index).Set(rv)
	}
	return true
}

type modelField struct {
	index int
	name  string
	typ   reflect.Type
}

var modelFields sync.Map // reflect.Type → []modelField (nil: not a model fillModel handles)

// modelFieldsOf is a model struct's tagged fields, each of an attr.Value
// type; nil when any field is not.
func modelFieldsOf(t reflect.Type) []modelField {
	if cached, ok := modelFields.Load(t); ok {
		fields, _ := cached.([]modelField)
		return fields
	}
	var fields []modelField
	valueType := reflect.TypeFor[attr.Value]()
	for i := range t.NumField() {
		sf := t.Field(i)
		name := sf.Tag.Get("tfsdk")
		if name == "" || name == "-" || !sf.IsExported() || !sf.Type.Implements(valueType) {
			fields = nil
			break
		}
		fields = append(fields, modelField{index: i, name: name, typ: sf.Type})
	}
	modelFields.Store(t, fields)
	return fields
}
