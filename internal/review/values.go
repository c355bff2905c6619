package review

import (
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// attr is the attribute k of an object value, or nil.
func attr(v any, k string) any {
	if m, ok := v.(map[string]any); ok {
		return m[k]
	}
	if _, ok := v.(unknown); ok {
		return unknown{}
	}
	return nil
}

// str reads a string value: Known, Unknown (only apply knows it, or it is
// sensitive: either way it is not shown) or Null.
func str(v any) policy.String {
	switch t := v.(type) {
	case string:
		return policy.Str(t)
	case unknown, sensitive:
		return policy.UnknownString()
	}
	return policy.String{}
}

// known returns a string value when known.
func known(v any) (string, bool) {
	s := str(v)
	return s.Value, s.State == policy.Known && s.Value != ""
}

// strs reads a set or list of strings, or of objects with an "id" (the
// official provider's `[{ id = ... }]`).
func strs(v any) policy.Strings {
	switch t := v.(type) {
	case unknown, sensitive:
		return policy.UnknownStrings()
	case []any:
		out := policy.Strings{State: policy.Known}
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				e = m["id"]
			}
			s := str(e)
			if s.State == policy.Null {
				s = policy.UnknownString()
			}
			out.Elems = append(out.Elems, s)
		}
		return out
	}
	return policy.Strings{}
}

// boolean reads a bool value.
func boolean(v any) policy.Bool {
	switch t := v.(type) {
	case bool:
		return policy.Bool{Value: t, State: policy.Known}
	case unknown, sensitive:
		return policy.Bool{State: policy.Unknown}
	}
	return policy.Bool{}
}

// list reads a list or set of objects; known is false when only apply knows it.
func list(v any) (items []any, isKnown bool) {
	switch t := v.(type) {
	case unknown, sensitive:
		return nil, false
	case []any:
		return t, true
	}
	return nil, true
}

// baseAddress drops a resource instance's key: `a.b["x"]` → `a.b`.
func baseAddress(address string) string {
	if i := strings.IndexByte(address, '['); i >= 0 {
		return address[:i]
	}
	return address
}
