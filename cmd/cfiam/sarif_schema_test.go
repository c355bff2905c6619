package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReview_sarifValidatesAgainstSchema validates the SARIF of every
// fixture against OASIS's SARIF 2.1.0 schema (testdata), with the small
// JSON Schema draft-04 validator below: the keywords that schema uses.
func TestReview_sarifValidatesAgainstSchema(t *testing.T) {
	raw, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	v := &validator{root: schema}
	// With physical locations too.
	_, out, _ := cfiam(t, "", "review", "--format", "sarif", "--config-dir", locations, locations+"plan.json")
	var located any
	if err := json.Unmarshal([]byte(out), &located); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"physicalLocation"`) {
		t.Error("the locations fixture's SARIF has no physical location")
	}
	if errs := v.validate(schema, located, "$"); len(errs) > 0 {
		t.Errorf("SARIF with physical locations does not validate:\n%s", strings.Join(errs, "\n"))
	}
	for _, plan := range []string{
		fixtures + "account-token-wrong-scope/plan.json", fixtures + "group-created/plan.json",
		fixtures + "member-escalation/plan.json", fixtures + "member-revoked/plan.json", fixtures + "token-widened/plan.json",
		"../../internal/review/testdata/cfiam-plans/last-super-admin.json",
	} {
		_, out, stderr := cfiam(t, "", "review", "--format", "sarif", plan)
		var doc any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v (%s)", plan, err, stderr)
		}
		if errs := v.validate(schema, doc, "$"); len(errs) > 0 {
			t.Errorf("%s: SARIF does not validate:\n%s", plan, strings.Join(errs, "\n"))
		}
	}
	// The validator sees a broken log.
	bad := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{"tool": map[string]any{"driver": map[string]any{"name": "cfiam"}},
		"results": []any{map[string]any{"level": "blocker", "message": map[string]any{"text": "x"}}}}}}
	if errs := v.validate(schema, bad, "$"); len(errs) == 0 {
		t.Error("a result with level \"blocker\" validates: the validator checks nothing")
	}
}

type validator struct{ root map[string]any }

func (v *validator) resolve(ref string) map[string]any {
	name, ok := strings.CutPrefix(ref, "#/definitions/")
	if !ok {
		return nil
	}
	defs, _ := v.root["definitions"].(map[string]any)
	s, _ := defs[name].(map[string]any)
	return s
}

func jsonType(x any) string {
	switch t := x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if t == math.Trunc(t) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

func typeMatches(want any, x any) bool {
	got := jsonType(x)
	var names []string
	switch w := want.(type) {
	case string:
		names = []string{w}
	case []any:
		for _, n := range w {
			s, _ := n.(string)
			names = append(names, s)
		}
	}
	return slices.Contains(names, got) || got == "integer" && slices.Contains(names, "number")
}

// validate returns the places where x breaks schema s.
func (v *validator) validate(s map[string]any, x any, at string) []string {
	if ref, ok := s["$ref"].(string); ok {
		r := v.resolve(ref)
		if r == nil {
			return []string{at + ": unresolved $ref " + ref}
		}
		return v.validate(r, x, at)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if t, ok := s["type"]; ok && !typeMatches(t, x) {
		fail("type %s, want %v", jsonType(x), t)
		return errs
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, x) {
		fail("%v is not one of %v", x, enum)
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if alts, ok := s[key].([]any); ok {
			n := 0
			for _, a := range alts {
				as, _ := a.(map[string]any)
				if len(v.validate(as, x, at)) == 0 {
					n++
				}
			}
			if n == 0 || key == "oneOf" && n != 1 {
				fail("%s: %d of %d alternatives match", key, n, len(alts))
			}
		}
	}
	switch t := x.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := t[r.(string)]; !ok {
				fail("missing required %q", r)
			}
		}
		for k, val := range t {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, v.validate(ps, val, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q is not allowed", k)
				}
			case map[string]any:
				errs = append(errs, v.validate(ap, val, at+"."+k)...)
			}
		}
	case []any:
		if m, ok := s["minItems"].(float64); ok && float64(len(t)) < m {
			fail("%d items, want at least %v", len(t), m)
		}
		if u, _ := s["uniqueItems"].(bool); u {
			seen := map[string]bool{}
			for _, e := range t {
				b, _ := json.Marshal(e)
				if seen[string(b)] {
					fail("items not unique")
				}
				seen[string(b)] = true
			}
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, e := range t {
				errs = append(errs, v.validate(is, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case float64:
		if m, ok := s["minimum"].(float64); ok && t < m {
			fail("%v < minimum %v", t, m)
		}
		if m, ok := s["maximum"].(float64); ok && t > m {
			fail("%v > maximum %v", t, m)
		}
	case string:
		if p, ok := s["pattern"].(string); ok {
			if re, err := regexp.Compile(p); err == nil && !re.MatchString(t) {
				fail("%q does not match %s", t, p)
			}
		}
	}
	return errs
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}
