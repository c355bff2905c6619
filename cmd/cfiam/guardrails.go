package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

// guardrailsHelp documents the --policy file; cfiam review -h prints it.
const guardrailsHelp = `
Guardrails (--policy FILE): an HCL file of rules, each held against every
grant of the plan's end state (with --live, the account's real end state).
A broken rule is a finding with code guardrail.NAME, the address of the
grant's resource and its .tf location, counted by --fail-on (blocking ones).

  rule "super_admin_only_via_admins" {
    kind     = "deny"
    severity = "blocking"
    message  = "Super Administrator is given through the admins group only."
    role     = ["Super Administrator - All Privileges"]
    except { via = ["group:admins"] }
  }

A rule block's fields:
  kind      deny     no grant may match (except those an except block matches)
            require  at least min principals must hold a matching grant
            limit    at most max principals may hold a matching grant
            token    every token holding a matching grant must meet
                     expires_within and require_ip_condition
  severity  blocking (the default: counted by --fail-on error) or warning
  message   what the team wants, shown with each finding
  min       require: how many principals, at least (default 1)
  max       limit: how many principals, at most (required)
  expires_within        token: the token's expires_on must be set and no
                        later than now plus this: "90d", "12h", "2160h"
  require_ip_condition  token: true: condition.request_ip.in must list addresses
Which grants a rule matches (each field set must match; within a field any
one value; values are case-insensitive globs, * and ?):
  principal  "GLOB" or "member:GLOB" (a member's e-mail, such as
             "*@contractors.example.com"), "group:GLOB" (a user group
             itself), "token:GLOB" (a token's name)
  role       a role's or permission group's name ("* Edit") or catalog ID
  scope      "KIND" or "KIND:ID" (ID or name glob): account, zone, all_zones,
             user, resource_group, or a resource kind: tunnel, mesh_node,
             access_application, access_identity_provider, access_policy,
             access_service_token, infrastructure_target
  access     allow (the default), deny or any
  via        "direct" (the principal's own resource), "group:GLOB" (through
             that user group, or the group's own grant), "binding" or
             "binding:ADDRESS_GLOB", "address:GLOB", "outside" (--live: a
             grant outside the plan)
  except { ...the same fields... }  grants the rule leaves alone (repeatable)
require and limit count members and tokens: a user group counts through its
members. A value only apply knows matches nothing, and a token's expires_on
known only after apply is not held against expires_within. A malformed file
is one error line with FILE:LINE, exit 2.
`

var ruleName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// readGuardrails parses a --policy file. Its error is one line, FILE:LINE: what.
func readGuardrails(path string) ([]review.Guardrail, error) {
	src, err := os.ReadFile(path) //nolint:gosec // G304: the file the user names is the input
	if err != nil {
		return nil, fmt.Errorf("cannot read the guardrails file: %w", err)
	}
	return parseGuardrails(src, path)
}

func diagError(diags hcl.Diagnostics, path string) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			return fmt.Errorf("%s:%d: %s", path, d.Subject.Start.Line, oneLine(msg))
		}
		return fmt.Errorf("%s: %s", path, oneLine(msg))
	}
	return nil
}

func atErr(path string, r hcl.Range, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", path, r.Start.Line, fmt.Sprintf(format, args...))
}

func parseGuardrails(src []byte, path string) ([]review.Guardrail, error) {
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diagError(diags, path)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s: not an HCL file", path)
	}
	for _, a := range sortedAttrs(body.Attributes) {
		return nil, atErr(path, a.SrcRange, "unexpected attribute %q: the file holds rule blocks only", a.Name)
	}
	var out []review.Guardrail
	for _, b := range body.Blocks {
		if b.Type != "rule" {
			return nil, atErr(path, b.TypeRange, "unexpected block %q: the file holds rule blocks only", b.Type)
		}
		if len(b.Labels) != 1 {
			return nil, atErr(path, b.TypeRange, `a rule block has one label, its name: rule "NAME" { ... }`)
		}
		name := b.Labels[0]
		if !ruleName.MatchString(name) {
			return nil, atErr(path, b.LabelRanges[0], "rule name %q: use lower-case letters, digits, _ and - (it becomes the code guardrail.%s)", name, name)
		}
		if slices.ContainsFunc(out, func(g review.Guardrail) bool { return g.Name == name }) {
			return nil, atErr(path, b.LabelRanges[0], "rule %q is defined twice", name)
		}
		g, err := parseRule(b, path)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func sortedAttrs(attrs hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *hclsyntax.Attribute) int {
		return a.SrcRange.Start.Byte - b.SrcRange.Start.Byte
	})
	return out
}

var matcherAttrs = []string{"principal", "role", "scope", "access", "via"}

func parseRule(b *hclsyntax.Block, path string) (review.Guardrail, error) {
	g := review.Guardrail{Name: b.Labels[0], Blocking: true}
	var kindSet, minSet, maxSet bool
	for _, a := range sortedAttrs(b.Body.Attributes) {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			return g, diagError(diags, path)
		}
		var err error
		switch a.Name {
		case "kind":
			var s string
			if s, err = stringValue(v); err == nil {
				g.Kind, kindSet = review.GuardrailKind(s), true
				switch g.Kind {
				case review.GuardrailDeny, review.GuardrailRequire, review.GuardrailLimit, review.GuardrailToken:
				default:
					err = fmt.Errorf("kind %q: want deny, require, limit or token", s)
				}
			}
		case "severity":
			var s string
			if s, err = stringValue(v); err == nil {
				switch s {
				case "blocking":
					g.Blocking = true
				case "warning":
					g.Blocking = false
				default:
					err = fmt.Errorf("severity %q: want blocking or warning", s)
				}
			}
		case "message":
			g.Message, err = stringValue(v)
		case "min":
			g.Min, err = countValue(v)
			minSet = true
		case "max":
			g.Max, err = countValue(v)
			maxSet = true
		case "expires_within":
			var s string
			if s, err = stringValue(v); err == nil {
				g.ExpiresWithin, err = parseWithin(s)
			}
		case "require_ip_condition":
			if v.Type() != cty.Bool || v.IsNull() {
				err = fmt.Errorf("require_ip_condition: want true or false")
			} else {
				g.RequireIPCondition = v.True()
			}
		default:
			if !slices.Contains(matcherAttrs, a.Name) {
				err = fmt.Errorf("unexpected attribute %q: a rule takes kind, severity, message, min, max, expires_within, require_ip_condition, %s and except blocks",
					a.Name, strings.Join(matcherAttrs, ", "))
			} else {
				err = setMatcher(&g.Match, a.Name, v)
			}
		}
		if err != nil {
			return g, atErr(path, a.SrcRange, "rule %q: %s", g.Name, err)
		}
	}
	for _, eb := range b.Body.Blocks {
		if eb.Type != "except" || len(eb.Labels) > 0 {
			return g, atErr(path, eb.TypeRange, "rule %q: unexpected block %q: a rule takes except { ... } blocks only", g.Name, eb.Type)
		}
		var m review.Matcher
		for _, a := range sortedAttrs(eb.Body.Attributes) {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				return g, diagError(diags, path)
			}
			if !slices.Contains(matcherAttrs, a.Name) {
				return g, atErr(path, a.SrcRange, "rule %q: except: unexpected attribute %q: want %s", g.Name, a.Name, strings.Join(matcherAttrs, ", "))
			}
			if err := setMatcher(&m, a.Name, v); err != nil {
				return g, atErr(path, a.SrcRange, "rule %q: except: %s", g.Name, err)
			}
		}
		if len(eb.Body.Blocks) > 0 {
			return g, atErr(path, eb.Body.Blocks[0].TypeRange, "rule %q: except takes attributes only", g.Name)
		}
		if err := m.Validate(); err != nil {
			return g, atErr(path, eb.TypeRange, "rule %q: except: %s", g.Name, err)
		}
		g.Except = append(g.Except, m)
	}
	at := b.TypeRange
	if err := g.Match.Validate(); err != nil {
		return g, atErr(path, at, "rule %q: %s", g.Name, err)
	}
	switch {
	case !kindSet:
		return g, atErr(path, at, "rule %q: kind is required: deny, require, limit or token", g.Name)
	case g.Kind == review.GuardrailRequire && !minSet:
		g.Min = 1
	case g.Kind == review.GuardrailRequire && g.Min < 1:
		return g, atErr(path, at, "rule %q: min must be at least 1", g.Name)
	case g.Kind == review.GuardrailLimit && !maxSet:
		return g, atErr(path, at, "rule %q: a limit rule needs max", g.Name)
	case g.Kind == review.GuardrailToken && g.ExpiresWithin == 0 && !g.RequireIPCondition:
		return g, atErr(path, at, "rule %q: a token rule needs expires_within or require_ip_condition = true", g.Name)
	case g.Kind != review.GuardrailToken && (g.ExpiresWithin != 0 || g.RequireIPCondition):
		return g, atErr(path, at, "rule %q: expires_within and require_ip_condition belong to kind = \"token\"", g.Name)
	case g.Kind != review.GuardrailRequire && minSet || g.Kind != review.GuardrailLimit && maxSet:
		return g, atErr(path, at, "rule %q: min belongs to kind = \"require\", max to kind = \"limit\"", g.Name)
	}
	return g, nil
}

func setMatcher(m *review.Matcher, name string, v cty.Value) error {
	if name == "access" {
		s, err := stringValue(v)
		if err != nil {
			return fmt.Errorf("access: %w", err)
		}
		m.Access = s
		return m.Validate()
	}
	list, err := stringsValue(v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch name {
	case "principal":
		m.Principals = list
	case "role":
		m.Roles = list
	case "scope":
		m.Scopes = list
	case "via":
		m.Via = list
	}
	return m.Validate()
}

func stringValue(v cty.Value) (string, error) {
	if v.IsNull() || v.Type() != cty.String {
		return "", fmt.Errorf("want a string, got %s", v.Type().FriendlyName())
	}
	return v.AsString(), nil
}

// stringsValue takes a string or a list of strings.
func stringsValue(v cty.Value) ([]string, error) {
	if v.Type() == cty.String && !v.IsNull() {
		return []string{v.AsString()}, nil
	}
	if v.IsNull() || !v.Type().IsTupleType() && !v.Type().IsListType() {
		return nil, fmt.Errorf("want a string or a list of strings, got %s", v.Type().FriendlyName())
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, err := stringValue(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("an empty list matches nothing: leave the field out to match any")
	}
	return out, nil
}

func countValue(v cty.Value) (int, error) {
	if v.IsNull() || v.Type() != cty.Number {
		return 0, fmt.Errorf("want a whole number, got %s", v.Type().FriendlyName())
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || n < 0 || n > 1_000_000 {
		return 0, fmt.Errorf("want a whole number from 0, got %s", bf.String())
	}
	return int(n), nil
}

// parseWithin reads "90d" (days) or a Go duration ("12h").
func parseWithin(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("expires_within %q: want a number of days such as \"90d\", or hours such as \"12h\"", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("expires_within %q: want a number of days such as \"90d\", or hours such as \"12h\"", s)
	}
	return d, nil
}
