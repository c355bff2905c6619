// Package policy holds the checks of cfiam's policies (member policies,
// Tunnel bindings, API token policies) in plain Go: plain inputs in, each
// value marked known or not, and problems out, each with a stable code, a
// path, a summary, a detail and the fix. The Terraform provider adapts its
// values to these inputs and the problems to diagnostics; a reviewer of plan
// JSON can call the same checks. It imports the catalog and nothing of
// Terraform, HTTP or the Cloudflare SDK.
package policy

// State says whether a value is set, and whether it is known yet. At
// `terraform validate` and `terraform plan` a value may come from a resource
// not created yet (its ID, say): it is set, but only apply knows it.
type State uint8

const (
	// Null is an attribute not set: the zero State.
	Null State = iota
	// Known is a value set and known.
	Known
	// Unknown is a value set that only apply will know.
	Unknown
)

// String is a string attribute, or one element of a set, as a plan holds it.
// The zero String is not set (Null); Value is "" unless State is Known.
type String struct {
	Value string
	State State
}

// Str is a known string.
func Str(v string) String { return String{Value: v, State: Known} }

// UnknownString is a string set to a value only apply knows.
func UnknownString() String { return String{State: Unknown} }

// IsSet reports whether the attribute is set, known or not.
func (s String) IsSet() bool { return s.State != Null }

// Bool is a bool attribute as a plan holds it. The zero Bool is not set.
type Bool struct {
	Value bool
	State State
}

// True is a known true.
func True() Bool { return Bool{Value: true, State: Known} }

// Strings is a set (or list) attribute of strings as a plan holds it. The
// zero Strings is not set (Null). A Known Strings lists its elements, each
// Known or Unknown (an element is never Null); an Unknown one has no Elems:
// not even how many it holds is known.
type Strings struct {
	State State
	Elems []String
}

// Set is a set attribute with every element known.
func Set(values ...string) Strings {
	elems := make([]String, len(values))
	for i, v := range values {
		elems[i] = Str(v)
	}
	return Strings{State: Known, Elems: elems}
}

// UnknownStrings is a set attribute whose elements only apply knows.
func UnknownStrings() Strings { return Strings{State: Unknown} }

// IsSet reports whether the attribute is set, known or not.
func (s Strings) IsSet() bool { return s.State != Null }

// AllKnown reports whether the attribute is not Unknown and has no Unknown
// element (a Null attribute is all known: it holds nothing).
func (s Strings) AllKnown() bool {
	if s.State == Unknown {
		return false
	}
	for _, e := range s.Elems {
		if e.State == Unknown {
			return false
		}
	}
	return true
}

// Values returns the elements' values in order: "" for each Unknown element,
// nothing for an Unknown or Null attribute. Callers that hold every value
// known (at apply) read the attribute with it.
func (s Strings) Values() []string {
	if len(s.Elems) == 0 {
		return nil
	}
	out := make([]string, len(s.Elems))
	for i, e := range s.Elems {
		out[i] = e.Value
	}
	return out
}

// refs is what the catalog's checks take: the values, with "" for each
// unknown one (skipped by the checks), and one "" for an Unknown attribute.
func (s Strings) refs() []string {
	if s.State == Unknown {
		return []string{""}
	}
	out := s.Values()
	for i, e := range s.Elems {
		if e.State != Known {
			out[i] = ""
		}
	}
	return out
}
