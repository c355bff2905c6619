// Package review answers, from a Terraform plan, who gains and who loses
// which Cloudflare access: every access-bearing change of the plan (cfiam's
// resources and the official cloudflare provider's) expands into grants
// before and after, diffed per principal and ordered for a reviewer
// (escalations first), with the scope checks of internal/policy run on the
// planned values. It reads `terraform show -json` output and imports the
// catalog and the policy checks, nothing of Terraform, HTTP or the SDK.
//
// Sensitive values never leave: the plan's values are masked by its
// before_sensitive / after_sensitive / sensitive_values markers as they are
// decoded, and nothing downstream sees the masked values.
package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// InputError is input that is not a plan this package reads: not JSON, a
// truncated file, state instead of a plan, another format version. Its
// message is one line, for a user.
type InputError struct{ Reason string }

func (e *InputError) Error() string { return e.Reason }

func inputErrorf(format string, args ...any) error {
	return &InputError{Reason: fmt.Sprintf(format, args...)}
}

// unknown stands for a value only apply knows.
type unknown struct{}

// sensitive stands for a value the plan marks sensitive: never read, never shown.
type sensitive struct{}

// KnownAfterApply is how a value only apply knows is shown.
const KnownAfterApply = "(known after apply)"

// Plan is the part of `terraform show -json` this package reads, each value
// already masked.
type Plan struct {
	FormatVersion string
	Changes       []ResourceChange
	// Prior holds the prior state's resources (data sources included), by address.
	Prior []Resource
	// Planned holds the planned values' resources.
	Planned []Resource
	// refs is, by address, each attribute's references in the configuration.
	refs map[string]map[string][]string
}

// ResourceChange is one resource's planned change.
type ResourceChange struct {
	Address string
	Type    string
	Mode    string
	Actions []string
	Before  any // nil: does not exist before
	After   any // nil: does not exist after
}

// Resource is one resource of a state or planned values.
type Resource struct {
	Address, Type, Mode string
	Values              any
}

type rawPlan struct {
	FormatVersion   *string           `json:"format_version"`
	ResourceChanges []rawChange       `json:"resource_changes"`
	PlannedValues   *rawValues        `json:"planned_values"`
	PriorState      *rawState         `json:"prior_state"`
	Configuration   *rawConfiguration `json:"configuration"`
	Values          json.RawMessage   `json:"values"`
}

type rawChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Change  struct {
		Actions         []string `json:"actions"`
		Before          any      `json:"before"`
		After           any      `json:"after"`
		AfterUnknown    any      `json:"after_unknown"`
		BeforeSensitive any      `json:"before_sensitive"`
		AfterSensitive  any      `json:"after_sensitive"`
	} `json:"change"`
}

type rawState struct {
	Values *rawValues `json:"values"`
}

type rawValues struct {
	RootModule rawModule `json:"root_module"`
}

type rawModule struct {
	Resources    []rawResource `json:"resources"`
	ChildModules []rawModule   `json:"child_modules"`
}

type rawResource struct {
	Address         string `json:"address"`
	Mode            string `json:"mode"`
	Type            string `json:"type"`
	Values          any    `json:"values"`
	SensitiveValues any    `json:"sensitive_values"`
}

type rawConfiguration struct {
	RootModule rawConfigModule `json:"root_module"`
}

type rawConfigModule struct {
	Resources []struct {
		Address     string                     `json:"address"`
		Expressions map[string]json.RawMessage `json:"expressions"`
	} `json:"resources"`
}

// Decode reads `terraform show -json PLAN` output. Input that is not such a
// plan gives an *InputError.
func Decode(r io.Reader) (*Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, inputErrorf("cannot read the plan: %v", err)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, inputErrorf("the plan is empty: expected the output of `terraform show -json PLANFILE`")
	}
	if trimmed[0] != '{' {
		return nil, inputErrorf("not a plan in JSON: expected the output of `terraform show -json PLANFILE`, or a saved plan file")
	}
	var raw rawPlan
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(&raw); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, inputErrorf("the plan JSON ends too early: the file is truncated")
		case errors.As(err, &syntax):
			return nil, inputErrorf("the plan is not valid JSON (at byte %d): %v", syntax.Offset, err)
		case errors.As(err, &typ):
			return nil, inputErrorf("not a Terraform plan: %q has the wrong type", typ.Field)
		}
		return nil, inputErrorf("the plan is not valid JSON: %v", err)
	}
	if raw.FormatVersion == nil {
		return nil, inputErrorf("not a Terraform plan: no format_version (expected the output of `terraform show -json PLANFILE`)")
	}
	major, _, _ := strings.Cut(*raw.FormatVersion, ".")
	if major != "1" {
		return nil, inputErrorf("plan format_version %q is not supported: cfiam reads format 1.x", *raw.FormatVersion)
	}
	if raw.PlannedValues == nil && raw.ResourceChanges == nil {
		if raw.Values != nil {
			return nil, inputErrorf("this is state, not a plan: run `terraform plan -out=PLANFILE` and `terraform show -json PLANFILE`")
		}
		return nil, inputErrorf("not a Terraform plan: no planned_values and no resource_changes")
	}
	p := &Plan{FormatVersion: *raw.FormatVersion, refs: map[string]map[string][]string{}}
	for _, c := range raw.ResourceChanges {
		p.Changes = append(p.Changes, ResourceChange{
			Address: c.Address, Type: c.Type, Mode: c.Mode, Actions: c.Change.Actions,
			Before: mask(c.Change.Before, c.Change.BeforeSensitive, nil),
			After:  mask(c.Change.After, c.Change.AfterSensitive, c.Change.AfterUnknown),
		})
	}
	if raw.PriorState != nil && raw.PriorState.Values != nil {
		p.Prior = resources(raw.PriorState.Values.RootModule, nil)
	}
	if raw.PlannedValues != nil {
		p.Planned = resources(raw.PlannedValues.RootModule, nil)
	}
	if raw.Configuration != nil {
		for _, r := range raw.Configuration.RootModule.Resources {
			m := map[string][]string{}
			for attr, expr := range r.Expressions {
				var e struct {
					References []string `json:"references"`
				}
				if json.Unmarshal(expr, &e) == nil && len(e.References) > 0 {
					m[attr] = e.References
				}
			}
			p.refs[r.Address] = m
		}
	}
	return p, nil
}

func resources(m rawModule, out []Resource) []Resource {
	for _, r := range m.Resources {
		out = append(out, Resource{Address: r.Address, Type: r.Type, Mode: r.Mode, Values: mask(r.Values, r.SensitiveValues, nil)})
	}
	for _, c := range m.ChildModules {
		out = resources(c, out)
	}
	return out
}

// mask returns v with every value marked in sens replaced by sensitive{} and
// every value marked in unk by unknown{}: the markers mirror v's shape, with
// true where the value is sensitive (or unknown) as a whole.
func mask(v, sens, unk any) any {
	if b, ok := sens.(bool); ok && b {
		return sensitive{}
	}
	if b, ok := unk.(bool); ok && b {
		return unknown{}
	}
	switch t := v.(type) {
	case map[string]any:
		sm, _ := sens.(map[string]any)
		um, _ := unk.(map[string]any)
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = mask(x, sm[k], um[k])
		}
		for k, u := range um { // attributes only apply knows are absent from after
			if _, ok := t[k]; !ok {
				if b, ok := u.(bool); ok && b {
					out[k] = unknown{}
				}
			}
		}
		return out
	case []any:
		sl, _ := sens.([]any)
		ul, _ := unk.([]any)
		out := make([]any, len(t))
		for i, x := range t {
			var s, u any
			if i < len(sl) {
				s = sl[i]
			}
			if i < len(ul) {
				u = ul[i]
			}
			out[i] = mask(x, s, u)
		}
		return out
	}
	return v
}

// ref is the address of the resource an attribute of address refers to in
// the configuration ("cloudflare_user_group.ops"), or "".
func (p *Plan) ref(address, attr, typ string) string {
	for _, r := range p.refs[address][attr] {
		if strings.HasPrefix(r, typ+".") {
			parts := strings.Split(r, ".")
			if len(parts) >= 2 {
				return parts[0] + "." + parts[1]
			}
		}
	}
	return ""
}

// memberRefs are the members that an attribute of address refers to in the
// configuration, each once: resource addresses ("cfiam_account_member.carol")
// and data sources ("data.cfiam_account_member.admin").
func (p *Plan) memberRefs(address, attr string) []string {
	var out []string
	for _, r := range p.refs[address][attr] {
		prefix := ""
		if rest, ok := strings.CutPrefix(r, "data."); ok {
			prefix, r = "data.", rest
		}
		parts := strings.Split(r, ".")
		if len(parts) < 2 || parts[0] != typeMember && parts[0] != typeCFMember {
			continue
		}
		addr := prefix + parts[0] + "." + parts[1]
		if !slices.Contains(out, addr) {
			out = append(out, addr)
		}
	}
	// `x[0].id` refers to x[0] and to x: keep x[0].
	return slices.DeleteFunc(out, func(a string) bool {
		return slices.ContainsFunc(out, func(b string) bool { return strings.HasPrefix(b, a+"[") })
	})
}
