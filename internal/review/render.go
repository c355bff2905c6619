package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Coverage says what a report covers: the plan's own resources only.
const Coverage = "This review covers the resources of this plan only: access granted outside it (other workspaces, members outside Terraform) is not counted."

// CoverageLive says what a live report covers.
const CoverageLive = "Live mode: the account's members outside this plan, its user groups and memberships, and what its resource groups hold were read from the API; grants this plan does not change count as unchanged."

func (r *Report) coverage() string {
	if r.Live {
		return CoverageLive
	}
	return Coverage
}

// JSONFinding and JSONChange are the rows of `--format json`.
type JSONFinding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Blocking bool   `json:"blocking"`
	Address  string `json:"address"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
}

type JSONChange struct {
	Principal     string `json:"principal"`
	PrincipalKind string `json:"principal_kind"`
	Change        string `json:"change"`
	Role          string `json:"role"`
	Scope         string `json:"scope"`
	Access        string `json:"access"`
	Via           string `json:"via"`
	Group         string `json:"group,omitempty"`
	Escalation    string `json:"escalation"`
	File          string `json:"file,omitempty"`
	Line          int    `json:"line,omitempty"`
}

type jsonReport struct {
	Findings  []JSONFinding   `json:"findings"`
	Changes   []JSONChange    `json:"changes"`
	Unchanged []jsonUnchanged `json:"unchanged"`
	Coverage  string          `json:"coverage"`
	// Guardrails: how many rules --policy held the end state against.
	Guardrails int `json:"guardrails,omitempty"`
	// Baseline: what --baseline accepted.
	Baseline *jsonBaseline `json:"baseline,omitempty"`
}

type jsonBaseline struct {
	Accepted      int `json:"accepted"`
	NotInBaseline int `json:"not_in_baseline"`
	Expired       int `json:"expired"`
}

type jsonUnchanged struct {
	Principal string `json:"principal"`
	Grants    int    `json:"grants"`
}

func (r *Report) jsonFindings() []JSONFinding {
	out := []JSONFinding{}
	for _, f := range r.Findings {
		out = append(out, JSONFinding{Code: string(f.Code), Severity: f.Severity(), Blocking: f.Blocking, Address: f.Address, Path: f.Path, Message: f.Message, Fix: f.Fix,
			File: f.Location.File, Line: f.Location.Line})
	}
	return out
}

func jsonChange(c Change) JSONChange {
	return JSONChange{Principal: c.Grant.Principal.String(), PrincipalKind: string(c.Grant.Principal.Kind), Change: string(c.Change),
		Role: c.Grant.Role(), Scope: c.Grant.Scope.String(), Access: c.Grant.Access, Via: c.Grant.Via, Group: c.Grant.Group, Escalation: c.Escalation,
		File: c.Location.File, Line: c.Location.Line}
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{Findings: r.jsonFindings(), Changes: []JSONChange{}, Unchanged: []jsonUnchanged{}, Coverage: r.coverage(), Guardrails: r.Guardrails}
	if b := r.Baseline; b != nil {
		out.Baseline = &jsonBaseline{Accepted: b.Accepted, NotInBaseline: b.NotInBaseline, Expired: b.Expired}
	}
	for _, c := range r.Changes {
		out.Changes = append(out.Changes, jsonChange(c))
	}
	for _, u := range r.Unchanged {
		out.Unchanged = append(out.Unchanged, jsonUnchanged{u.Principal.String(), u.Grants})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Summary is the report's first line: every escalation, and nothing else.
func (r *Report) Summary() string {
	esc := r.Escalations()
	if len(esc) == 0 {
		return "**cfiam review: no escalation.**"
	}
	parts := make([]string, len(esc))
	for i, c := range esc {
		parts[i] = fmt.Sprintf("%s gains %s on %s", c.Grant.Principal, c.Grant.Role(), c.Grant.Scope)
	}
	noun := "escalations"
	if len(esc) == 1 {
		noun = "escalation"
	}
	return fmt.Sprintf("**cfiam review: %d %s:** %s.", len(esc), noun, md(strings.Join(parts, "; ")))
}

// md escapes text for a Markdown table cell or line: no HTML, no link, no
// emphasis, no code span; the text shows as it is.
func md(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("\\", `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "*", `\*`, "_", `\_`, "`", "'",
	"[", `\[`, "]", `\]`, "!", `\!`, "~", `\~`, "#", `\#`, "\n", " ", "\r", " ")

// htmlText escapes text inside an HTML element (a <summary>): Markdown
// does not apply there.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", "[", "&#91;", "]", "&#93;", "\n", " ", "\r", " ").Replace(s)
}

// code is text in a code span of a table cell: HTML and Markdown do not
// apply, a backtick would end the span and a pipe the cell.
func code(s string) string {
	return "`" + strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", " ").Replace(s) + "`"
}

// WriteMarkdown writes the report for a pull-request comment: the summary
// line, the findings, then one collapsible section per principal.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString(r.Summary() + "\n\n")
	grants, revokes := 0, 0
	for _, c := range r.Changes {
		if c.Change == ChangeGrant {
			grants++
		} else {
			revokes++
		}
	}
	unchanged := 0
	for _, u := range r.Unchanged {
		unchanged += u.Grants
	}
	fmt.Fprintf(&b, "%d grants gained, %d revoked, %d unchanged; %d findings.%s %s\n\n", grants, revokes, unchanged, len(r.Findings), r.checks(), r.coverage())
	if f := r.LastSuperAdministrator; f != nil {
		fmt.Fprintf(&b, "> [!CAUTION]\n> %s\n\n", md(f.Message))
	}
	if len(r.Findings) > 0 {
		b.WriteString("| severity | code | address | path | message | fix |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", f.Severity(), code(string(f.Code)), code(f.Address), code(f.Path), md(f.Message), md(f.Fix))
		}
		b.WriteString("\n")
	}
	// One section per principal, in the order of its first change.
	var order []Principal
	byPrincipal := map[Principal][]Change{}
	for _, c := range r.Changes {
		p := c.Grant.Principal
		if _, ok := byPrincipal[p]; !ok {
			order = append(order, p)
		}
		byPrincipal[p] = append(byPrincipal[p], c)
	}
	kept := map[Principal]int{}
	for _, u := range r.Unchanged {
		kept[u.Principal] = u.Grants
	}
	for _, p := range order {
		cs := byPrincipal[p]
		plus, minus, esc := 0, 0, 0
		for _, c := range cs {
			if c.Change == ChangeGrant {
				plus++
			} else {
				minus++
			}
			if c.Escalation != "" {
				esc++
			}
		}
		mark := ""
		if esc > 0 {
			mark = " ⚠️ escalation"
		}
		fmt.Fprintf(&b, "<details><summary>%s: +%d −%d, %d unchanged%s</summary>\n\n", htmlText(p.String()), plus, minus, kept[p], mark)
		b.WriteString("| change | role or permission group | scope | access | via | escalation |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, c := range cs {
			via := code(c.Grant.Via)
			if c.Grant.Group != "" {
				via += " (group " + md(c.Grant.Group) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", c.Change, md(c.Grant.Role()), md(c.Grant.Scope.String()), c.Grant.Access, via, md(c.Escalation))
		}
		b.WriteString("\n</details>\n\n")
	}
	for _, u := range r.Unchanged {
		if _, shown := byPrincipal[u.Principal]; !shown {
			fmt.Fprintf(&b, "- %s: %d grants unchanged\n", md(u.Principal.String()), u.Grants)
		}
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// checks says what the end state was held against: guardrails, a baseline.
func (r *Report) checks() string {
	var s string
	if r.Guardrails > 0 {
		broken := 0
		for _, f := range r.Findings {
			if strings.HasPrefix(string(f.Code), GuardrailCodePrefix) {
				broken++
			}
		}
		s += fmt.Sprintf(" %d guardrails checked, %d violations.", r.Guardrails, broken)
	}
	if b := r.Baseline; b != nil {
		s += fmt.Sprintf(" Baseline: %d grants accepted, %d not in it, %d entries expired.", b.Accepted, b.NotInBaseline, b.Expired)
	}
	return s
}
