package protoserver

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// equalValues is tftypes.Value.Equal for two values of one type, without
// its walk, which looks every attribute path up again from the root (the
// largest part of a read's cost when nothing changed). Sets compare in order
// first, then as tftypes does.
func equalValues(a, b tftypes.Value) bool {
	if !a.Type().Equal(b.Type()) {
		return false
	}
	return sameShape(a, b)
}

func sameShape(a, b tftypes.Value) bool {
	if a.IsKnown() != b.IsKnown() || a.IsNull() != b.IsNull() {
		return false
	}
	if !a.IsKnown() || a.IsNull() {
		return true
	}
	if kindOf(a.Type()) != kindOf(b.Type()) { // a dynamic attribute's values carry their own types
		return false
	}
	switch typ := a.Type().(type) {
	case tftypes.Object, tftypes.Map:
		var x, y map[string]tftypes.Value
		if a.As(&x) != nil || b.As(&y) != nil || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !sameShape(xv, yv) {
				return false
			}
		}
		return true
	case tftypes.List, tftypes.Set, tftypes.Tuple:
		var x, y []tftypes.Value
		if a.As(&x) != nil || b.As(&y) != nil || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				if _, set := typ.(tftypes.Set); set {
					return a.Equal(b) // the same elements in another order
				}
				return false
			}
		}
		return true
	}
	switch {
	case a.Type().Is(tftypes.String):
		var x, y string
		return a.As(&x) == nil && b.As(&y) == nil && x == y
	case a.Type().Is(tftypes.Bool):
		var x, y bool
		return a.As(&x) == nil && b.As(&y) == nil && x == y
	}
	return a.Equal(b)
}

// kindOf tells a type's kind: object, map, list, set, tuple, or another
// (a primitive, compared in full).
func kindOf(t tftypes.Type) string {
	switch t.(type) {
	case tftypes.Object:
		return "object"
	case tftypes.Map:
		return "map"
	case tftypes.List:
		return "list"
	case tftypes.Set:
		return "set"
	case tftypes.Tuple:
		return "tuple"
	}
	return t.String()
}

// jsonStateToMsgPack is what decoding a JSON state with typ (attributes typ
// does not have ignored, the ones it has and the state lacks null) and
// encoding it as MessagePack gives, as tftypes does both, without building
// the value in between; false for what only tftypes handles (a dynamic
// type, a value that does not fit typ).
func jsonStateToMsgPack(state []byte, typ tftypes.Type) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(state))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	var buf bytes.Buffer
	if !encodeMsgPack(msgpack.NewEncoder(&buf), v, typ) {
		return nil, false
	}
	return buf.Bytes(), true
}

func encodeMsgPack(enc *msgpack.Encoder, v any, typ tftypes.Type) bool {
	if v == nil {
		return enc.EncodeNil() == nil
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok || len(typ.OptionalAttributes) > 0 {
			return false
		}
		keys := make([]string, 0, len(typ.AttributeTypes))
		for k := range typ.AttributeTypes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if enc.EncodeMapLen(len(keys)) != nil {
			return false
		}
		for _, k := range keys {
			if enc.EncodeString(k) != nil || !encodeMsgPack(enc, m[k], typ.AttributeTypes[k]) {
				return false
			}
		}
		return true
	case tftypes.Map:
		m, ok := v.(map[string]any)
		if !ok || enc.EncodeMapLen(len(m)) != nil {
			return false
		}
		for k, e := range m {
			if enc.EncodeString(k) != nil || !encodeMsgPack(enc, e, typ.ElementType) {
				return false
			}
		}
		return true
	case tftypes.List:
		return encodeElements(enc, v, func(int) tftypes.Type { return typ.ElementType })
	case tftypes.Set:
		return encodeElements(enc, v, func(int) tftypes.Type { return typ.ElementType })
	case tftypes.Tuple:
		if s, ok := v.([]any); !ok || len(s) != len(typ.ElementTypes) {
			return false
		}
		return encodeElements(enc, v, func(i int) tftypes.Type { return typ.ElementTypes[i] })
	}
	switch {
	case typ.Is(tftypes.String):
		s, ok := v.(string)
		return ok && enc.EncodeString(s) == nil
	case typ.Is(tftypes.Bool):
		b, ok := v.(bool)
		return ok && enc.EncodeBool(b) == nil
	case typ.Is(tftypes.Number):
		var text string
		switch n := v.(type) {
		case json.Number:
			text = string(n)
		case string:
			text = n
		default:
			return false
		}
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		return err == nil && encodeNumber(enc, f)
	}
	return false // a dynamic type: its JSON names its type
}

func encodeElements(enc *msgpack.Encoder, v any, typ func(int) tftypes.Type) bool {
	s, ok := v.([]any)
	if !ok || enc.EncodeArrayLen(len(s)) != nil {
		return false
	}
	for i, e := range s {
		if !encodeMsgPack(enc, e, typ(i)) {
			return false
		}
	}
	return true
}

// encodeNumber encodes n as tftypes does.
func encodeNumber(enc *msgpack.Encoder, n *big.Float) bool {
	if n.IsInf() {
		return enc.EncodeFloat64(math.Inf(n.Sign())) == nil
	}
	if iv, acc := n.Int64(); acc == big.Exact {
		return enc.EncodeInt(iv) == nil
	}
	if fv, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return enc.EncodeFloat64(fv) == nil
	}
	return enc.EncodeString(n.Text('f', -1)) == nil
}
