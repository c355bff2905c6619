package catalog

import (
	"fmt"
	"strings"
)

// NotFoundError: no entry of that kind has this name or ID, in any scope.
type NotFoundError struct {
	Kind        Kind
	Ref         string
	Scope       Scope    // the scope asked for; empty when any scope was acceptable
	Suggestions []string // nearest names, best first, each as "Name (scope)"
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("unknown %s %q", e.Kind, e.Ref)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + quoteJoin(e.Suggestions) + "?"
	}
	return msg
}

// WrongScopeError: the name exists, but not in the scope asked for.
type WrongScopeError struct {
	Kind  Kind
	Ref   string
	Want  Scope
	Found []Entry // the entries with that name, in their own scopes
	// Instead holds names in the wanted scope that mean the same thing (the
	// catalog's twins, such as "Bot Management" and "Bot Management (Account-wide)").
	Instead []string
}

func (e *WrongScopeError) Error() string {
	have := make([]string, 0, len(e.Found))
	for _, f := range e.Found {
		have = append(have, f.Scope.Describe(e.Kind))
	}
	msg := fmt.Sprintf("%q is %s, not %s", e.Ref, strings.Join(have, " and "), e.Want.Describe(e.Kind))
	if len(e.Instead) > 0 {
		msg += "; in that scope use " + quoteJoin(e.Instead)
	}
	return msg
}

// InvalidScopeError: the scope asked for is none of Cloudflare's.
type InvalidScopeError struct{ Scope string }

func (e *InvalidScopeError) Error() string {
	return fmt.Sprintf("unknown scope %q: expected one of %s", e.Scope, scopeList())
}

// AmbiguousError: the name exists in several scopes and no scope was given.
type AmbiguousError struct {
	Kind   Kind
	Ref    string
	Scopes []Scope
}

func (e *AmbiguousError) Error() string {
	s := make([]string, len(e.Scopes))
	for i, sc := range e.Scopes {
		s[i] = string(sc)
	}
	return fmt.Sprintf("%s %q exists in several scopes (%s): say which scope", e.Kind, e.Ref, strings.Join(s, ", "))
}

// Resolve finds the entry of kind k named (or with ID) ref in scope s. An empty
// scope accepts any scope, but fails with *AmbiguousError when the name exists in
// several. Failures are *NotFoundError, *WrongScopeError or *AmbiguousError.
func (c *Catalog) Resolve(k Kind, ref string, s Scope) (Entry, error) {
	if s != "" {
		if _, err := ParseScope(string(s)); err != nil {
			return Entry{}, &InvalidScopeError{Scope: string(s)}
		}
	}
	found := c.Find(k, ref)
	if len(found) == 0 {
		return Entry{}, &NotFoundError{Kind: k, Ref: ref, Scope: s, Suggestions: c.Suggest(k, ref, s, 3)}
	}
	if s == "" {
		if len(found) > 1 {
			scopes := make([]Scope, len(found))
			for i, f := range found {
				scopes[i] = f.Scope
			}
			return Entry{}, &AmbiguousError{Kind: k, Ref: ref, Scopes: scopes}
		}
		return found[0], nil
	}
	for _, f := range found {
		if f.Scope == s {
			return f, nil
		}
	}
	return Entry{}, &WrongScopeError{Kind: k, Ref: ref, Want: s, Found: found, Instead: c.twinsIn(k, found, s)}
}

// ResolveRole resolves a member role by name or ID within scope s.
func (c *Catalog) ResolveRole(ref string, s Scope) (Entry, error) { return c.Resolve(KindRole, ref, s) }

// ResolvePermissionGroup resolves an API token permission group by name or ID within scope s.
func (c *Catalog) ResolvePermissionGroup(ref string, s Scope) (Entry, error) {
	return c.Resolve(KindPermissionGroup, ref, s)
}

// ScopesOf returns the scopes in which a name (or ID) of kind k exists.
func (c *Catalog) ScopesOf(k Kind, ref string) []Scope {
	var out []Scope
	for _, e := range c.Find(k, ref) {
		out = append(out, e.Scope)
	}
	return out
}

// QuoteList renders ["a","b","c"] as `"a", "b" or "c"` (conjunction "or"),
// for the names a diagnostic offers or lists.
func QuoteList(items []string, conjunction string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = fmt.Sprintf("%q", it)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conjunction + " " + q[len(q)-1]
}

// quoteJoin lists alternatives: `"a", "b" or "c"`.
func quoteJoin(items []string) string { return QuoteList(items, "or") }
