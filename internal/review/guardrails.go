package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// GuardrailKind is what a guardrail asks of the grants it matches.
type GuardrailKind string

const (
	// GuardrailDeny: no grant of the end state may match (except those an
	// except block lists).
	GuardrailDeny GuardrailKind = "deny"
	// GuardrailRequire: at least Min principals must hold a matching grant.
	GuardrailRequire GuardrailKind = "require"
	// GuardrailLimit: at most Max principals may hold a matching grant.
	GuardrailLimit GuardrailKind = "limit"
	// GuardrailToken: every token holding a matching grant expires within
	// ExpiresWithin and/or is restricted to IP addresses.
	GuardrailToken GuardrailKind = "token"
)

// GuardrailCodePrefix starts the code of a guardrail's findings: guardrail.<name>.
const GuardrailCodePrefix = "guardrail."

// Guardrail is one rule of a --policy file, held against the grants of the
// plan's end state (with live mode, the account's).
type Guardrail struct {
	Name     string
	Kind     GuardrailKind
	Blocking bool
	Message  string
	// Match selects the grants the rule is about; Except (deny, require,
	// limit) takes grants back out.
	Match  Matcher
	Except []Matcher
	// Min (require, at least 1) and Max (limit) count distinct principals.
	Min, Max int
	// ExpiresWithin (token): the token's expires_on must be set and no later
	// than the review's time plus this; 0 checks nothing.
	ExpiresWithin time.Duration
	// RequireIPCondition (token): condition.request_ip.in must list addresses.
	RequireIPCondition bool
}

// Matcher selects grants. Each field that is set must match; within a field,
// any one pattern. Patterns are case-insensitive globs (* any run of
// characters, ? one character).
type Matcher struct {
	// Principals: "GLOB" or "member:GLOB" (a member's e-mail), "group:GLOB"
	// (a user group itself), "token:GLOB" (a token's name).
	Principals []string
	// Roles: a role's or permission group's name (glob) or catalog ID.
	Roles []string
	// Scopes: "KIND" or "KIND:GLOB" (an ID or a name), KIND one of account,
	// zone, all_zones, tunnel, mesh_node, user, resource_group, or any kind
	// the review names.
	Scopes []string
	// Access: "allow" (the default), "deny" or "any".
	Access string
	// Via: "direct" (the principal's own resource, not a group or a
	// binding), "group:GLOB" (through that user group, or the group's own
	// grant), "binding" or "binding:GLOB" (a binding resource, by address),
	// "address:GLOB" (any Terraform address), "outside" (live mode: a grant
	// the plan does not manage).
	Via []string
}

// Validate reports the first malformed pattern of a matcher, for the file's reader.
func (m Matcher) Validate() error {
	for _, p := range m.Principals {
		if kind, _, ok := strings.Cut(p, ":"); ok && kind != "member" && kind != "group" && kind != "token" {
			return fmt.Errorf("principal %q: want GLOB, member:GLOB, group:GLOB or token:GLOB", p)
		}
	}
	for _, v := range m.Via {
		kind, _, hasArg := strings.Cut(v, ":")
		switch {
		case !hasArg && (v == "direct" || v == "binding" || v == "outside"):
		case hasArg && (kind == "group" || kind == "binding" || kind == "address"):
		default:
			return fmt.Errorf("via %q: want direct, group:GLOB, binding, binding:GLOB, address:GLOB or outside", v)
		}
	}
	for _, s := range m.Scopes {
		if kind, _, _ := strings.Cut(s, ":"); kind == "" {
			return fmt.Errorf("scope %q: want KIND or KIND:ID, such as account or zone:023e105f4ecef8ad9ca31a8372d0c353", s)
		}
	}
	switch m.Access {
	case "", "allow", "deny", "any":
	default:
		return fmt.Errorf("access %q: want allow, deny or any", m.Access)
	}
	return nil
}

// glob matches a case-insensitive pattern of * and ? against s.
func glob(pattern, s string) bool {
	p, t := []rune(strings.ToLower(pattern)), []rune(strings.ToLower(s))
	// Iterative matching with one backtrack point for the last *.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// scopeKindName is a scope kind as a guardrail or a baseline writes it.
func scopeKindName(k ScopeKind) string { return strings.ReplaceAll(string(k), " ", "_") }

// Matches reports whether the matcher selects g. A grant whose role, scope
// or access only apply knows matches nothing.
func (m Matcher) Matches(g Grant) bool {
	if !g.known() {
		return false
	}
	switch m.Access {
	case "", "allow":
		if g.Access != string(catalog.EffectAllow) {
			return false
		}
	case "deny":
		if g.Access != string(catalog.EffectDeny) {
			return false
		}
	}
	if len(m.Principals) > 0 && !slices.ContainsFunc(m.Principals, func(p string) bool { return principalMatches(p, g.Principal) }) {
		return false
	}
	if len(m.Roles) > 0 && !slices.ContainsFunc(m.Roles, func(r string) bool {
		return glob(r, g.Role()) || g.Entry.ID != "" && strings.EqualFold(r, g.Entry.ID)
	}) {
		return false
	}
	if len(m.Scopes) > 0 && !slices.ContainsFunc(m.Scopes, func(s string) bool { return scopeMatches(s, g.Scope) }) {
		return false
	}
	if len(m.Via) > 0 && !slices.ContainsFunc(m.Via, func(v string) bool { return viaMatches(v, g) }) {
		return false
	}
	return true
}

func principalMatches(pattern string, p Principal) bool {
	kind, name, ok := strings.Cut(pattern, ":")
	if !ok {
		kind, name = "member", pattern
	}
	switch kind {
	case "member":
		return p.Kind == PrincipalMember && glob(name, p.Name)
	case "group":
		return p.Kind == PrincipalGroup && glob(name, p.Name)
	case "token":
		return p.Kind == PrincipalToken && glob(name, p.Name)
	}
	return false
}

func scopeMatches(pattern string, s Scope) bool {
	kind, id, hasID := strings.Cut(pattern, ":")
	if !strings.EqualFold(strings.ReplaceAll(kind, " ", "_"), scopeKindName(s.Kind)) {
		return false
	}
	return !hasID || s.ID != "" && glob(id, s.ID) || s.Name != "" && glob(id, s.Name)
}

func viaMatches(pattern string, g Grant) bool {
	kind, arg, _ := strings.Cut(pattern, ":")
	binding := isBindingAddress(g.Via)
	switch kind {
	case "direct":
		return g.Group == "" && g.Principal.Kind != PrincipalGroup && !binding && g.Via != ViaOutsidePlan
	case "group":
		return g.Group != "" && glob(arg, g.Group) || g.Principal.Kind == PrincipalGroup && glob(arg, g.Principal.Name)
	case "binding":
		return binding && (arg == "" || glob(arg, g.Via))
	case "address":
		return glob(arg, g.Via)
	case "outside":
		return g.Via == ViaOutsidePlan
	}
	return false
}

// isBindingAddress: does the address name one of cfiam's binding resources
// (cfiam_tunnel_binding, cfiam_mesh_node_binding, and any later *_binding)?
func isBindingAddress(address string) bool {
	typ := address
	for {
		rest, ok := strings.CutPrefix(typ, "module.")
		if !ok {
			break
		}
		// module.NAME[KEY].
		_, after, found := strings.Cut(rest, ".")
		if !found {
			return false
		}
		typ = after
	}
	typ, _, _ = strings.Cut(typ, ".")
	return strings.HasPrefix(typ, "cfiam_") && strings.HasSuffix(typ, "_binding")
}

// matchesRule: the rule's Match, and none of its Except.
func (gr *Guardrail) matchesRule(g Grant) bool {
	return gr.Match.Matches(g) && !slices.ContainsFunc(gr.Except, func(m Matcher) bool { return m.Matches(g) })
}

// tokenValues is one token of the end state: its principal, address and planned values.
type tokenValues struct {
	principal Principal
	address   string
	values    any
}

// checkGuardrails holds the end state's grants (end) against each rule;
// changes are the review's, to say where a require or a limit is broken.
func checkGuardrails(rules []Guardrail, end []Grant, changes []Change, tokens []tokenValues, now time.Time) []Finding {
	var out []Finding
	for i := range rules {
		gr := &rules[i]
		switch gr.Kind {
		case GuardrailDeny:
			out = append(out, gr.deny(end)...)
		case GuardrailRequire, GuardrailLimit:
			if f, ok := gr.count(end, changes); ok {
				out = append(out, f)
			}
		case GuardrailToken:
			out = append(out, gr.tokens(end, tokens, now)...)
		}
	}
	return out
}

func (gr *Guardrail) finding(address, path, what string) Finding {
	msg := "Guardrail " + gr.Name + ": " + what
	if gr.Message != "" {
		msg += ": " + gr.Message
	}
	return Finding{Code: policy.Code(GuardrailCodePrefix + gr.Name), Blocking: gr.Blocking, Address: address, Path: path, Message: msg,
		Fix: gr.fix()}
}

func (gr *Guardrail) fix() string {
	switch gr.Kind {
	case GuardrailDeny:
		return "Remove the grant, or list it in an except block of guardrail " + gr.Name + "."
	case GuardrailRequire:
		return fmt.Sprintf("Keep at least %d principals with the access guardrail %s requires.", gr.Min, gr.Name)
	case GuardrailLimit:
		return fmt.Sprintf("Keep the access guardrail %s limits to at most %d principals.", gr.Name, gr.Max)
	}
	return "Set the token's expires_on and condition.request_ip as guardrail " + gr.Name + " asks."
}

func describe(g Grant) string {
	s := g.Principal.String() + " holds " + g.Role() + " on " + g.Scope.String()
	if g.Access == string(catalog.EffectDeny) {
		s = g.Principal.String() + " is denied " + g.Role() + " on " + g.Scope.String()
	}
	if g.Group != "" {
		s += " through group " + strconv.Quote(g.Group)
	}
	return s
}

func (gr *Guardrail) deny(end []Grant) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, g := range end {
		if !gr.matchesRule(g) {
			continue
		}
		k := g.key() + "|" + g.Via + "|" + g.Group
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, gr.finding(g.Via, "", describe(g)))
	}
	return out
}

// count checks a require or a limit: how many principals hold a matching
// grant. A user group counts through its members, not by itself.
func (gr *Guardrail) count(end []Grant, changes []Change) (Finding, bool) {
	holders := map[Principal]bool{}
	for _, g := range end {
		if g.Principal.Kind != PrincipalGroup && gr.matchesRule(g) {
			holders[g.Principal] = true
		}
	}
	names := make([]string, 0, len(holders))
	for p := range holders {
		names = append(names, p.String())
	}
	slices.Sort(names)
	var vias []string
	addVia := func(kind ChangeKind) {
		for _, c := range changes {
			if c.Change == kind && c.Grant.Principal.Kind != PrincipalGroup && gr.matchesRule(c.Grant) && !slices.Contains(vias, c.Grant.Via) {
				vias = append(vias, c.Grant.Via)
			}
		}
	}
	what := "the access it matches"
	if gr.Kind == GuardrailRequire {
		if len(holders) >= gr.Min {
			return Finding{}, false
		}
		addVia(ChangeRevoke) // where the plan takes it away
		return gr.finding(strings.Join(vias, ", "), "",
			fmt.Sprintf("%d principals hold %s (%s), at least %d required", len(holders), what, listNames(names), gr.Min)), true
	}
	if len(holders) <= gr.Max {
		return Finding{}, false
	}
	addVia(ChangeGrant) // where the plan gives it
	if len(vias) == 0 {
		for _, g := range end {
			if g.Principal.Kind != PrincipalGroup && gr.matchesRule(g) && !slices.Contains(vias, g.Via) {
				vias = append(vias, g.Via)
			}
		}
	}
	return gr.finding(strings.Join(vias, ", "), "",
		fmt.Sprintf("%d principals hold %s (%s), at most %d allowed", len(holders), what, listNames(names), gr.Max)), true
}

func listNames(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	const most = 10
	if len(names) > most {
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more", len(names)-most)
	}
	return strings.Join(names, ", ")
}

func (gr *Guardrail) tokens(end []Grant, tokens []tokenValues, now time.Time) []Finding {
	var out []Finding
	for _, t := range tokens {
		if !slices.ContainsFunc(end, func(g Grant) bool {
			return g.Principal == t.principal && g.Via == t.address && gr.matchesRule(g)
		}) {
			continue
		}
		if gr.ExpiresWithin > 0 {
			limit := now.Add(gr.ExpiresWithin)
			exp := str(attr(t.values, "expires_on"))
			switch exp.State {
			case policy.Null:
				out = append(out, gr.finding(t.address, "expires_on",
					fmt.Sprintf("%s never expires; it must expire within %s", t.principal, days(gr.ExpiresWithin))))
			case policy.Known:
				at, err := time.Parse(time.RFC3339, exp.Value)
				switch {
				case err != nil:
					out = append(out, gr.finding(t.address, "expires_on", fmt.Sprintf("%s expires on %q, not an RFC 3339 time", t.principal, exp.Value)))
				case at.After(limit):
					out = append(out, gr.finding(t.address, "expires_on",
						fmt.Sprintf("%s expires on %s, after %s (within %s)", t.principal, exp.Value, limit.UTC().Format(time.RFC3339), days(gr.ExpiresWithin))))
				}
			}
			// Unknown (computed at apply, such as timeadd(timestamp(), ...)): not held against the rule.
		}
		if gr.RequireIPCondition {
			cond := attr(t.values, "condition")
			in := strs(attr(attr(cond, "request_ip"), "in"))
			if in.State == policy.Null || in.State == policy.Known && len(in.Elems) == 0 {
				out = append(out, gr.finding(t.address, "condition.request_ip.in",
					fmt.Sprintf("%s is not restricted to IP addresses (condition.request_ip.in)", t.principal)))
			}
		}
	}
	return out
}

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}

// endTokens are the tokens of the plan's end state, in address order.
func endTokens(after []res) []tokenValues {
	var out []tokenValues
	for _, r := range after {
		switch r.Type {
		case typeAPIToken, typeAccountToken, typeCFAPIToken, typeCFAccountToken:
			p := Principal{PrincipalToken, r.Address}
			if name, ok := known(attr(r.Values, "name")); ok {
				p.Name = name
			}
			out = append(out, tokenValues{principal: p, address: r.Address, values: r.Values})
		}
	}
	slices.SortFunc(out, func(a, b tokenValues) int { return cmp.Compare(a.address, b.address) })
	return out
}
