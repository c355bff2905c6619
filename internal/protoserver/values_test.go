package protoserver

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// policyType is the shape of a member's state: an object holding a set of
// objects of sets, a list, a number and a map.
var policyType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id":    tftypes.String,
	"count": tftypes.Number,
	"on":    tftypes.Bool,
	"tags":  tftypes.Map{ElementType: tftypes.String},
	"order": tftypes.List{ElementType: tftypes.String},
	"policies": tftypes.Set{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"access": tftypes.String,
		"roles":  tftypes.Set{ElementType: tftypes.String},
	}}},
}}

// The transcoder's answer, decoded, is what tftypes decodes from the same
// JSON; and one case is written out by hand.
func TestJSONStateToMsgPack_asTftypesDecodes(t *testing.T) {
	for name, state := range map[string]string{
		"full": `{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],` +
			`"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`,
		"missing attributes are null":       `{"id":"m1"}`,
		"attributes the type lacks dropped": `{"id":"m1","gone":{"deep":[1,2]},"count":null}`,
		"nulls and empties":                 `{"id":null,"tags":{},"order":[],"policies":null}`,
		"a fraction":                        `{"count":1.5}`,
		"a large integer":                   `{"count":123456789012345678901234567890}`,
		"a negative":                        `{"count":-42}`,
		"a number as a string":              `{"count":"7"}`,
		"a null element":                    `{"order":["a",null]}`,
	} {
		t.Run(name, func(t *testing.T) {
			want, err := (&tfprotov6.RawState{JSON: []byte(state)}).UnmarshalWithOpts(policyType,
				tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
			if err != nil {
				t.Fatalf("tftypes: %v", err)
			}
			got := transcoded(t, state, policyType)
			if !got.Equal(want) {
				t.Errorf("transcoded %v\n tftypes %v", got, want)
			}
		})
	}

	got := transcoded(t, `{"id":"m1","count":2,"policies":[{"access":"allow","roles":["r1"]}],"extra":1}`, policyType)
	policyObj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"access": tftypes.String,
		"roles":  tftypes.Set{ElementType: tftypes.String},
	}}
	want := tftypes.NewValue(policyType, map[string]tftypes.Value{
		"id":    tftypes.NewValue(tftypes.String, "m1"),
		"count": tftypes.NewValue(tftypes.Number, big.NewFloat(2)),
		"on":    tftypes.NewValue(tftypes.Bool, nil),
		"tags":  tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
		"order": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"policies": tftypes.NewValue(policyType.AttributeTypes["policies"], []tftypes.Value{
			tftypes.NewValue(policyObj, map[string]tftypes.Value{
				"access": tftypes.NewValue(tftypes.String, "allow"),
				"roles":  tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "r1")}),
			}),
		}),
	})
	if !got.Equal(want) {
		t.Errorf("transcoded %v\n want %v", got, want)
	}
}

func transcoded(t *testing.T, state string, typ tftypes.Type) tftypes.Value {
	t.Helper()
	b, ok := jsonStateToMsgPack([]byte(state), typ)
	if !ok {
		t.Fatalf("jsonStateToMsgPack(%s): not handled", state)
	}
	v, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
	if err != nil {
		t.Fatalf("decoding the MessagePack: %v", err)
	}
	return v
}

// What the transcoder leaves to the framework: JSON that does not fit the
// type, a dynamic type, trailing data.
func TestJSONStateToMsgPack_leavesToTheFramework(t *testing.T) {
	dynamic := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"v": tftypes.DynamicPseudoType}}
	for name, c := range map[string]struct {
		state string
		typ   tftypes.Type
	}{
		"a string where a set is":  {`{"order":"x"}`, policyType},
		"a number where a string":  {`{"id":3}`, policyType},
		"not a number":             {`{"count":"three"}`, policyType},
		"an array for the object":  {`[]`, policyType},
		"a dynamic attribute":      {`{"v":{"value":"a","type":"string"}}`, dynamic},
		"two documents":            {`{"id":"a"}{"id":"b"}`, policyType},
		"not JSON":                 {`{"id":`, policyType},
		"a bool where a string is": {`{"id":true}`, policyType},
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := jsonStateToMsgPack([]byte(c.state), c.typ); ok {
				t.Errorf("jsonStateToMsgPack(%s) handled it; the framework must", c.state)
			}
		})
	}
}

// equalValues answers as tftypes.Value.Equal does.
func TestEqualValues(t *testing.T) {
	parse := func(s string) tftypes.Value {
		t.Helper()
		v, err := (&tfprotov6.RawState{JSON: []byte(s)}).Unmarshal(policyType)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	base := `{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],` +
		`"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`
	for name, c := range map[string]struct {
		other string
		equal bool // written by hand; tftypes must agree
	}{
		"the same":                       {base, true},
		"sets in another order":          {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"deny","roles":[]},{"access":"allow","roles":["r2","r1"]}]}`, true},
		"a list in another order":        {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["y","x"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"a role changed":                 {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r3"]},{"access":"deny","roles":[]}]}`, false},
		"an empty set and a null":        {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":null}]}`, false},
		"a number changed":               {`{"id":"m1","count":4,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"a bool changed":                 {`{"id":"m1","count":3,"on":false,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"a map value changed":            {`{"id":"m1","count":3,"on":true,"tags":{"a":"c"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"a map key changed":              {`{"id":"m1","count":3,"on":true,"tags":{"b":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"a policy fewer":                 {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]}]}`, false},
		"a string changed to null":       {`{"id":null,"count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"deny","roles":[]}]}`, false},
		"the same access in each policy": {`{"id":"m1","count":3,"on":true,"tags":{"a":"b"},"order":["x","y"],"policies":[{"access":"allow","roles":["r1","r2"]},{"access":"allow","roles":[]}]}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			a, b := parse(base), parse(c.other)
			if got := equalValues(a, b); got != c.equal {
				t.Errorf("equalValues = %v, want %v", got, c.equal)
			}
			if lib := a.Equal(b); lib != c.equal {
				t.Errorf("tftypes' Equal = %v, want %v (the expectation is wrong)", lib, c.equal)
			}
		})
	}

	unknown := tftypes.NewValue(policyType, tftypes.UnknownValue)
	if equalValues(parse(base), unknown) || !equalValues(unknown, unknown) {
		t.Error("an unknown value equals only an unknown one")
	}
	other := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
	if equalValues(tftypes.NewValue(other, nil), tftypes.NewValue(policyType, nil)) {
		t.Error("values of two types are not equal")
	}
	dynamic := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"v": tftypes.DynamicPseudoType}}
	list := tftypes.NewValue(dynamic, map[string]tftypes.Value{"v": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "a")})})
	set := tftypes.NewValue(dynamic, map[string]tftypes.Value{"v": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "a")})})
	str := tftypes.NewValue(dynamic, map[string]tftypes.Value{"v": tftypes.NewValue(tftypes.String, "a")})
	if equalValues(list, set) || equalValues(str, list) || !equalValues(set, set) {
		t.Error("a dynamic attribute's values are equal only with the same type")
	}
}
