package accessreport

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Columns of the table, CSV and Markdown formats.
// reaches: an account role's Reaches, space-separated.
var columns = []string{"principal", "kind", "role", "scope", "object", "effect", "access", "held", "via", "escalation", "reaches"}

func cells(r Grant) []string {
	return []string{r.Principal, r.PrincipalKind, r.Role, r.Scope, r.ObjectName, r.Effect, r.Access, r.Held, r.Via, r.Escalation,
		strings.Join(r.Reaches, " ")}
}

// WriteJSON writes {"account_id", "grants": [...]}.
func WriteJSON(w io.Writer, accountID string, rows []Grant) error {
	if rows == nil {
		rows = []Grant{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		AccountID string  `json:"account_id"`
		Grants    []Grant `json:"grants"`
	}{accountID, rows})
}

// WriteCSV writes a header and one line per grant, the path joined by " > ".
func WriteCSV(w io.Writer, rows []Grant) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string(nil), columns...), "path")); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(append(cells(r), strings.Join(r.Path, " > "))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes aligned columns for a terminal; control characters in
// names are shown escaped so that a name cannot move the cursor.
func WriteTable(w io.Writer, rows []Grant) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, strings.ToUpper(strings.Join(columns, "\t")))
	for _, r := range rows {
		c := cells(r)
		for i := range c {
			c[i] = printable(c[i])
			if c[i] == "" {
				c[i] = "-"
			}
		}
		_, _ = fmt.Fprintln(tw, strings.Join(c, "\t"))
	}
	return tw.Flush()
}

// WriteMarkdown writes a Markdown table, escalations first.
func WriteMarkdown(w io.Writer, accountID string, rows []Grant) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Access of account %s\n\n%d grants", accountID, len(rows))
	esc := 0
	for _, r := range rows {
		if r.Escalation != "" {
			esc++
		}
	}
	fmt.Fprintf(&b, ", %d of them escalations.\n\n", esc)
	b.WriteString("| " + strings.Join(columns, " | ") + " |\n|" + strings.Repeat(" --- |", len(columns)) + "\n")
	for _, r := range rows {
		c := cells(r)
		for i := range c {
			c[i] = mdEscape(c[i])
		}
		b.WriteString("| " + strings.Join(c, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func printable(s string) string {
	q := fmt.Sprintf("%q", s)
	if q[1:len(q)-1] == strings.ReplaceAll(s, `"`, `\"`) {
		return s
	}
	return q
}

// mdEscape keeps a name from breaking the table or becoming markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`",
		"*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}
