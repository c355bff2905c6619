package review

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// CodeNotInBaseline: a grant of the end state that the baseline does not accept.
const CodeNotInBaseline policy.Code = "baseline.not_in_baseline"

// BaselineVersion is the version of the baseline file this package writes and reads.
const BaselineVersion = 1

// Baseline is the access a team has approved (`cfiam review --baseline`):
// every allow grant of the end state must be one of its entries.
type Baseline struct {
	Version int             `json:"version"`
	Grants  []BaselineEntry `json:"grants"`
}

// BaselineEntry is one approved grant. Principal, role and scope are the
// ones a review shows, the scope by ID; Reason and Expires are the team's:
// after the Expires day (YYYY-MM-DD, UTC) the entry no longer counts.
type BaselineEntry struct {
	PrincipalKind string `json:"principal_kind"` // member, user_group or token
	Principal     string `json:"principal"`      // e-mail (else member ID), group name or token name
	Role          string `json:"role"`
	Scope         string `json:"scope"` // KIND:ID, such as account:f037…, zone:023e…, all_zones:f037…, user
	Access        string `json:"access"`
	Reason        string `json:"reason,omitempty"`
	Expires       string `json:"expires,omitempty"`
}

func (e BaselineEntry) key() string {
	return strings.ToLower(strings.Join([]string{e.PrincipalKind, e.Principal, e.Role, e.Scope, e.Access}, "|"))
}

// expired reports whether the entry no longer counts at now.
func (e BaselineEntry) expired(now time.Time) bool {
	if e.Expires == "" {
		return false
	}
	day, err := time.Parse(time.DateOnly, e.Expires)
	if err != nil {
		return true // DecodeBaseline refuses these
	}
	return !now.UTC().Before(day.AddDate(0, 0, 1))
}

// scopeKey is a scope as a baseline (and a guardrail) writes it.
func scopeKey(s Scope) string {
	if s.ID == "" {
		return scopeKindName(s.Kind)
	}
	return scopeKindName(s.Kind) + ":" + s.ID
}

func principalKindName(k PrincipalKind) string { return scopeKindName(ScopeKind(k)) }

func baselineEntry(g Grant) BaselineEntry {
	return BaselineEntry{PrincipalKind: principalKindName(g.Principal.Kind), Principal: g.Principal.Name, Role: g.Role(),
		Scope: scopeKey(g.Scope), Access: g.Access}
}

// DecodeBaseline reads a baseline file. Its errors are one line, with the
// line of the file where that helps.
func DecodeBaseline(data []byte) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("line %d: not valid JSON: %w", lineOf(data, syntax.Offset), err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("line %d: %q has the wrong type", lineOf(data, typ.Offset), typ.Field)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("the file is empty or ends too early")
		}
		return nil, err
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("version %d: want %d (write one with cfiam review --write-baseline)", b.Version, BaselineVersion)
	}
	for i, e := range b.Grants {
		if e.PrincipalKind == "" || e.Principal == "" || e.Role == "" || e.Scope == "" || e.Access == "" {
			return nil, fmt.Errorf("grants[%d]: principal_kind, principal, role, scope and access are required", i)
		}
		if e.Expires != "" {
			if _, err := time.Parse(time.DateOnly, e.Expires); err != nil {
				return nil, fmt.Errorf("grants[%d]: expires %q: want a date, YYYY-MM-DD", i, e.Expires)
			}
		}
	}
	return &b, nil
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// baselineGrants are the grants a baseline holds: the end state's allow
// grants, each once.
func baselineGrants(end []Grant) []Grant {
	return slices.DeleteFunc(dedupe(end), func(g Grant) bool { return g.Access != string(catalog.EffectAllow) })
}

// BaselineResult is what a review says of its baseline.
type BaselineResult struct {
	// Accepted: grants of the end state the baseline accepts.
	Accepted int
	// Expired: entries past their expires day, which no longer count.
	Expired int
	// NotInBaseline: grants of the end state it does not accept (each a finding).
	NotInBaseline int
}

// checkBaseline holds each allow grant of the end state against the baseline.
func checkBaseline(b *Baseline, end []Grant, now time.Time) ([]Finding, BaselineResult) {
	var res BaselineResult
	live := map[string]bool{}
	expired := map[string]string{}
	for _, e := range b.Grants {
		if e.expired(now) {
			res.Expired++
			expired[e.key()] = e.Expires
			continue
		}
		live[e.key()] = true
	}
	var out []Finding
	for _, g := range baselineGrants(end) {
		k := baselineEntry(g).key()
		if g.known() && live[k] {
			res.Accepted++
			continue
		}
		res.NotInBaseline++
		what := describe(g) + ", which the baseline does not accept"
		if day, ok := expired[k]; ok && g.known() {
			what = describe(g) + ": its baseline entry expired on " + day
		}
		const fix = "Remove the grant, or add it to the baseline with a reason (cfiam review --write-baseline, then review the diff)."
		out = append(out, Finding{Code: CodeNotInBaseline, Blocking: true, Address: g.Via, Message: "Baseline: " + what + ".", Fix: fix})
	}
	return out, res
}

// WriteBaseline writes the end state's allow grants as a baseline, sorted,
// one entry per grant, keeping the reason and expires day of each entry of
// prev (may be nil) that is still there. Grants only apply knows are left
// out: they name nothing a later plan could match.
func (r *Report) WriteBaseline(w io.Writer, prev *Baseline) error {
	kept := map[string]BaselineEntry{}
	if prev != nil {
		for _, e := range prev.Grants {
			kept[e.key()] = e
		}
	}
	b := Baseline{Version: BaselineVersion, Grants: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, g := range baselineGrants(r.EndState) {
		if !g.known() {
			continue
		}
		e := baselineEntry(g)
		if seen[e.key()] {
			continue
		}
		seen[e.key()] = true
		if old, ok := kept[e.key()]; ok {
			e.Reason, e.Expires = old.Reason, old.Expires
		}
		b.Grants = append(b.Grants, e)
	}
	slices.SortFunc(b.Grants, func(x, y BaselineEntry) int {
		return cmp.Or(cmp.Compare(x.PrincipalKind, y.PrincipalKind), cmp.Compare(strings.ToLower(x.Principal), strings.ToLower(y.Principal)),
			cmp.Compare(x.Role, y.Role), cmp.Compare(x.Scope, y.Scope), cmp.Compare(x.Access, y.Access))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}
