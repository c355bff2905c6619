package accessreport

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"sort"
	"strings"
)

// Page is what the HTML view shows: a title and the rows (any filter
// already applied): an account's grants (`cfiam access`), or with Review a
// plan's grants gained, lost and kept (`cfiam review`, FromReview), whose
// cells are coloured by change rather than by access.
type Page struct {
	Title     string
	AccountID string
	Rows      []Grant
	Review    bool
}

// The page's one style sheet and one script are constants: the
// Content-Security-Policy allows exactly them by hash, so no inline event
// handler, injected script or remote load can run, and the file works
// offline, from a file or a CI artifact.
const pageStyle = `
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3;cursor:pointer;user-select:none}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.allow{background:#e4f5e4}td.deny{background:#fbe3e3}td.mixed{background:#fff3cd}
td.gained{background:#c8efc8}td.lost{background:#f8cfcf}td.changed{background:#ffe8a8}td.unchanged{background:#f1f1f1}
.role{display:block;white-space:nowrap}.role.deny{color:#a40000;font-weight:bold}
.role.gained::before{content:"+ "}.role.lost::before{content:"\2212  "}.role.lost{text-decoration:line-through}
.role.unchanged::before{content:"= ";color:#888}
tr.escalation td.principal{border-left:4px solid #c00}
.badge{background:#c00;color:#fff;border-radius:3px;padding:0 .3em;font-size:.85em;margin-left:.3em}
.kind{color:#666;font-size:.85em}
button.detail{font:inherit;background:none;border:none;color:#0645ad;text-decoration:underline;cursor:pointer;padding:0;text-align:left}
#detail{border:1px solid #999;padding:.5em 1em;margin-top:1em;background:#fafafa}
.hidden{display:none}
ol.path{margin:.2em 0}
#toolbar{display:flex;gap:1em;align-items:center}
`

const pageScript = `
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  var body = table.tBodies[0];
  var count = document.getElementById("count");
  var filter = document.getElementById("filter");
  function rows() { return Array.prototype.slice.call(body.rows); }
  // Each row's text, lower-cased once: a filter keystroke on a large
  // account then only compares strings and touches the rows that change.
  var texts = null;
  function applyFilter() {
    var q = filter.value.toLowerCase();
    if (texts === null) {
      texts = new Map();
      rows().forEach(function (r) { texts.set(r, (r.textContent + " " + r.getAttribute("data-grants")).toLowerCase()); });
    }
    var shown = 0;
    rows().forEach(function (r) {
      var hit = q === "" || texts.get(r).indexOf(q) >= 0;
      if (r.classList.contains("hidden") === hit) { r.classList.toggle("hidden", !hit); }
      if (hit) { shown++; }
    });
    count.textContent = String(shown);
  }
  filter.addEventListener("input", applyFilter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    th.addEventListener("click", function () {
      var asc = !th.classList.contains("sorted-asc");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var sorted = rows().sort(function (a, b) {
        var x = a.cells[i].textContent.trim(), y = b.cells[i].textContent.trim();
        return asc ? x.localeCompare(y) : y.localeCompare(x);
      });
      sorted.forEach(function (r) { body.appendChild(r); });
    });
  });
  var detail = document.getElementById("detail");
  Array.prototype.forEach.call(document.querySelectorAll("button.detail"), function (b) {
    b.addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".principal-detail"), function (d) { d.classList.add("hidden"); });
      var d = document.getElementById("detail-" + b.getAttribute("data-index"));
      d.classList.remove("hidden");
      detail.classList.remove("hidden");
    });
  });
  function cell(s) {
    s = String(s);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }
    return '"' + s.replace(/"/g, '""') + '"';
  }
  var exportLink = document.getElementById("export");
  function updateExport() {
    var lines = ["principal,kind,owner,confirmed,grants"];
    rows().forEach(function (r) {
      lines.push([r.getAttribute("data-principal"), r.getAttribute("data-kind"),
        r.querySelector("input.owner").value, r.querySelector("input.confirm").checked ? "yes" : "no",
        r.getAttribute("data-grants")].map(cell).join(","));
    });
    exportLink.setAttribute("href", "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\r\n") + "\r\n"));
  }
  body.addEventListener("change", updateExport);
  body.addEventListener("input", updateExport);
  // The export is built when it changes or is about to be used, not while
  // the page opens.
  exportLink.addEventListener("mousedown", updateExport);
  exportLink.addEventListener("focus", updateExport);
  exportLink.addEventListener("click", updateExport);
})();
`

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// csp forbids every load (default-src 'none'), inline event handlers and any
// script or style but the page's own.
var csp = "default-src 'none'; script-src " + cspHash(pageScript) + "; style-src " + cspHash(pageStyle) +
	"; img-src 'none'; base-uri 'none'; form-action 'none'"

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Review}}<p>{{len .Principals}} principals, {{.Grants}} grants ({{.Gained}} gained, {{.Lost}} lost, {{.Kept}} unchanged), {{.Escalations}} escalations. Each cell lists the roles and permission groups a principal gains (+, green), loses (−, red) or keeps (=, grey) on an object; yellow: a cell holding more than one of these; a denied role is in red and marked "deny:". Escalations come first and are marked.{{else}}<p>{{len .Principals}} principals, {{.Grants}} grants, {{.Escalations}} escalations. Each cell lists the roles and permission groups a principal holds on an object (green: allowed, red: denied, yellow: both). Escalations come first and are marked.{{end}} Click a principal for the path of each grant; fill in the owner, tick the rows confirmed, and export the confirmations as CSV.</p>
<div id="toolbar">
<label>Filter <input id="filter" type="search" placeholder="principal, role or object" autocomplete="off"></label>
<span><span id="count">{{len .Principals}}</span> rows shown</span>
<a id="export" download="access-review.csv" href="data:text/csv;charset=utf-8,">Export confirmations (CSV)</a>
</div>
<table id="matrix">
<thead><tr><th>Principal</th><th>Owner</th><th>Confirmed</th>{{range .Columns}}<th data-object="{{.Key}}">{{.Label}}</th>{{end}}</tr></thead>
<tbody>
{{range $i, $p := .Principals}}<tr class="{{if $p.Escalation}}escalation{{end}}" data-principal="{{$p.Name}}" data-kind="{{$p.Kind}}" data-grants="{{$p.Summary}}">
<td class="principal"><button type="button" class="detail" data-index="{{$i}}">{{$p.Name}}</button> <span class="kind">{{$p.Kind}}</span>{{if $p.Escalation}} <span class="badge" title="{{$p.Escalation}}">escalation</span>{{end}}</td>
<td><input class="owner" type="text" aria-label="owner of {{$p.Name}}"></td>
<td><input class="confirm" type="checkbox" aria-label="confirm {{$p.Name}}"></td>
{{range $p.Cells}}<td class="{{.Class}}" data-object="{{.Key}}">{{range .Roles}}<span class="role {{.Effect}}{{if .Change}} {{.Change}}{{end}}">{{.Text}}</span>{{end}}</td>{{end}}
</tr>
{{end}}</tbody>
</table>
<div id="detail" class="hidden">
{{range $i, $p := .Principals}}<section id="detail-{{$i}}" class="principal-detail hidden">
<h2>{{$p.Name}} <span class="kind">{{$p.Kind}}</span></h2>
<ul>{{range $p.Grants}}<li>{{if .Change}}{{.Change}}: {{end}}{{.Effect}} {{.Role}} on {{.Where}}{{if .Access}} ({{.Access}}){{end}}{{if .Escalation}} <span class="badge">{{.Escalation}}</span>{{end}}
<ol class="path">{{range .Path}}<li>{{.}}</li>{{end}}</ol></li>{{end}}</ul>
</section>
{{end}}</div>
<script>{{.Script}}</script>
</body>
</html>
`))

type column struct{ Key, Label string }

type cellRole struct{ Effect, Change, Text string }

type cell struct {
	Key   string
	Class string
	Roles []cellRole
}

type pagePrincipal struct {
	Name, Kind, Escalation, Summary string
	Cells                           []cell
	Grants                          []Grant
}

// ColumnKey names a row's object in the matrix: "<scope> <object name>".
func ColumnKey(g Grant) string { return g.Where() }

// WriteHTML writes the page. Every name goes through html/template, so a
// name is text wherever it appears.
func WriteHTML(w io.Writer, p Page) error {
	type key struct{ name, kind, id string }
	var order []key
	byPrincipal := map[key][]Grant{}
	colSeen := map[string]bool{}
	var cols []Grant
	for _, r := range p.Rows {
		k := key{r.Principal, r.PrincipalKind, r.PrincipalID}
		if _, ok := byPrincipal[k]; !ok {
			order = append(order, k)
		}
		byPrincipal[k] = append(byPrincipal[k], r)
		if c := ColumnKey(r); !colSeen[c] {
			colSeen[c] = true
			cols = append(cols, r)
		}
	}
	sort.SliceStable(cols, func(i, j int) bool {
		a, b := cols[i], cols[j]
		ra, rb := scopeOrder(a.Scope), scopeOrder(b.Scope)
		if ra != rb {
			return ra < rb
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		return a.ObjectName < b.ObjectName
	})
	data := struct {
		CSP                 string
		Title               string
		Style               template.CSS
		Script              template.JS
		Columns             []column
		Principals          []pagePrincipal
		Grants, Escalations int
		Review              bool
		Gained, Lost, Kept  int
	}{CSP: csp, Title: p.Title, Style: template.CSS(pageStyle), Script: template.JS(pageScript), Grants: len(p.Rows), Review: p.Review} //nolint:gosec // constants of this file, allowed by hash
	for _, r := range p.Rows {
		switch r.Change {
		case ChangeGained:
			data.Gained++
		case ChangeLost:
			data.Lost++
		case ChangeUnchanged:
			data.Kept++
		}
	}
	for _, c := range cols {
		data.Columns = append(data.Columns, column{ColumnKey(c), ColumnKey(c)})
	}
	for _, k := range order {
		rows := byPrincipal[k]
		pp := pagePrincipal{Name: k.name, Kind: k.kind, Grants: rows}
		var summary []string
		for _, r := range rows {
			if r.Escalation != "" && pp.Escalation == "" {
				pp.Escalation = r.Escalation
			}
			if r.Escalation != "" {
				data.Escalations++
			}
			line := r.Effect + " " + r.Role + " on " + r.Where()
			if r.Change != "" {
				line = r.Change + ": " + line
			}
			summary = append(summary, line)
		}
		pp.Summary = strings.Join(summary, "; ")
		for _, c := range data.Columns {
			ce := cell{Key: c.Key}
			allow, deny := false, false
			changes := map[string]bool{}
			for _, r := range rows {
				if ColumnKey(r) != c.Key {
					continue
				}
				text := r.Role
				if r.Effect == "deny" {
					text = "deny: " + text
					deny = true
				} else {
					allow = true
					if r.Access != "" {
						text += " (" + r.Access + ")"
					}
				}
				if !containsRole(ce.Roles, r.Change, text) {
					ce.Roles = append(ce.Roles, cellRole{r.Effect, r.Change, text})
				}
				changes[r.Change] = true
			}
			switch {
			case allow && deny:
				ce.Class = "mixed"
			case allow:
				ce.Class = "allow"
			case deny:
				ce.Class = "deny"
			}
			if p.Review && ce.Class != "" {
				ce.Class += " " + changeClass(changes)
			}
			pp.Cells = append(pp.Cells, ce)
		}
		data.Principals = append(data.Principals, pp)
	}
	return pageTemplate.Execute(w, data)
}

func containsRole(rs []cellRole, change, text string) bool {
	for _, r := range rs {
		if r.Change == change && r.Text == text {
			return true
		}
	}
	return false
}

// changeClass colours a review's cell: gained, lost or unchanged when all
// its roles are, else changed (gains and losses, or changes beside roles
// kept).
func changeClass(changes map[string]bool) string {
	if len(changes) == 1 {
		for c := range changes {
			return c
		}
	}
	return "changed"
}

func scopeOrder(s string) int {
	switch s {
	case "account":
		return 0
	case "zone":
		return 1
	}
	return 2
}
