package accessreport

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
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

// The page's one style sheet and one script: the Content-Security-Policy
// allows exactly them by hash, so no inline event handler, injected script
// or remote load can run, and the file works offline, from a file or a CI
// artifact. The style sheet ends with the matrix's column rules (pageStyle
// adds them), the script is a constant.
//
// The matrix is a grid of rows rather than a <table>: each row is laid out
// on its own and only when on screen (content-visibility), and an empty cell
// is not written at all (a cell says its column, aria-colindex), so that a
// page of a thousand principals opens and filters fast. Each principal's
// grants and their paths are a JSON data block, read when a filter, a
// detail or the export first needs them.
const pageStyleBase = `
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}
#matrix{margin:.5em 0;width:max-content;border-top:1px solid #ccc;border-left:1px solid #ccc}
#matrix .row{display:grid;border-bottom:1px solid #ccc}
#matrix .row>*{padding:.3em .5em;border-right:1px solid #ccc;min-width:0;overflow-wrap:anywhere}
#matrix .body .row{content-visibility:auto;contain-intrinsic-size:auto 2.2em}
#matrix .head .row{background:#f3f3f3;font-weight:bold}
.th{cursor:pointer;user-select:none}
.th.sorted-asc::after{content:" ▲"}.th.sorted-desc::after{content:" ▼"}
.c.allow{background:#e4f5e4}.c.deny{background:#fbe3e3}.c.mixed{background:#fff3cd}
.c.gained{background:#c8efc8}.c.lost{background:#f8cfcf}.c.changed{background:#ffe8a8}.c.unchanged{background:#f1f1f1}
.role{display:block}.role.deny{color:#a40000;font-weight:bold}
.role.gained::before{content:"+ "}.role.lost::before{content:"\2212  "}.role.lost{text-decoration:line-through}
.role.unchanged::before{content:"= ";color:#888}
.row.escalation .principal{border-left:4px solid #c00}
.badge{background:#c00;color:#fff;border-radius:3px;padding:0 .3em;font-size:.85em;margin-left:.3em}
.kind{color:#666;font-size:.85em}
button.detail{font:inherit;background:none;border:none;color:#0645ad;text-decoration:underline;cursor:pointer;padding:0;text-align:left}
#detail{border:1px solid #999;padding:.5em 1em;margin-top:1em;background:#fafafa}
.hidden{display:none}
ol.path{margin:.2em 0}
#toolbar{display:flex;gap:1em;align-items:center}
input.owner{width:100%;box-sizing:border-box}
`

// pageStyle is the style sheet of a matrix of n object columns: the grid's
// columns, and each object cell in its column (empty cells are absent, so
// cells are placed by aria-colindex: 1 to 3 are the principal, its owner
// and its confirmation).
func pageStyle(n int) string {
	var b strings.Builder
	b.WriteString(pageStyleBase)
	fmt.Fprintf(&b, "#matrix .row{grid-template-columns:16em 9em 6em repeat(%d,11em)}\n", n)
	for i := range n {
		fmt.Fprintf(&b, `.row>[aria-colindex="%d"]{grid-column:%d}`, i+4, i+4)
	}
	b.WriteString("\n")
	return b.String()
}

const pageScript = `
(function () {
  "use strict";
  var matrix = document.getElementById("matrix");
  var body = matrix.querySelector(".body");
  var heads = Array.prototype.slice.call(matrix.querySelectorAll(".head .th"));
  var count = document.getElementById("count");
  var filter = document.getElementById("filter");
  function rows() { return Array.prototype.slice.call(body.children); }
  function index(r) { return Number(r.getAttribute("data-i")); }
  // The grants, {"s": strings, "p": per principal [change, effect, role,
  // where, access, escalation, path...] as indexes into s}, parsed on first use.
  var data = null;
  function grants() {
    if (data === null) { data = JSON.parse(document.getElementById("grants").textContent); }
    return data;
  }
  function line(s, g) { return (g[0] ? s[g[0]] + ": " : "") + s[g[1]] + " " + s[g[2]] + " on " + s[g[3]]; }
  var summaries = [];
  function summary(i) {
    if (summaries[i] === undefined) {
      var d = grants();
      summaries[i] = d.p[i].map(function (g) { return line(d.s, g); }).join("; ");
    }
    return summaries[i];
  }
  // Each row's text with its grants, lower-cased once: a keystroke then
  // only compares strings and touches the rows that change.
  var texts = null;
  function applyFilter() {
    var q = filter.value.toLowerCase();
    var all = rows();
    if (texts === null) {
      texts = [];
      all.forEach(function (r) { texts[index(r)] = (r.textContent + " " + summary(index(r))).toLowerCase(); });
    }
    var shown = 0;
    all.forEach(function (r) {
      var hit = q === "" || texts[index(r)].indexOf(q) >= 0;
      if (r.classList.contains("hidden") === hit) { r.classList.toggle("hidden", !hit); }
      if (hit) { shown++; }
    });
    count.textContent = String(shown);
  }
  filter.addEventListener("input", applyFilter);
  function sortKey(r, col) {
    switch (col) {
    case 0: return r.firstElementChild.textContent.trim();
    case 1: return r.querySelector("input.owner").value;
    case 2: return r.querySelector("input.confirm").checked ? "yes" : "no";
    }
    var c = r.querySelector('[aria-colindex="' + (col + 1) + '"]');
    return c ? c.textContent.trim() : "";
  }
  heads.forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = !th.classList.contains("sorted-asc");
      heads.forEach(function (o) { o.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var keyed = rows().map(function (r) { return [sortKey(r, col), r]; });
      keyed.sort(function (a, b) { return asc ? a[0].localeCompare(b[0]) : b[0].localeCompare(a[0]); });
      var sorted = document.createDocumentFragment();
      keyed.forEach(function (k) { sorted.appendChild(k[1]); });
      body.appendChild(sorted);
    });
  });
  // A principal's detail: each grant and its path, built when opened.
  var detail = document.getElementById("detail");
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  body.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.detail");
    if (b === null) { return; }
    var r = b.closest(".row"), d = grants(), s = d.s;
    var section = el("section", "principal-detail");
    var h = el("h2", "", r.getAttribute("data-principal") + " ");
    h.appendChild(el("span", "kind", r.getAttribute("data-kind")));
    section.appendChild(h);
    var ul = el("ul");
    d.p[index(r)].forEach(function (g) {
      var li = el("li", "", line(s, g) + (g[4] ? " (" + s[g[4]] + ")" : ""));
      if (g[5]) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("span", "badge", s[g[5]])); }
      var ol = el("ol", "path");
      g.slice(6).forEach(function (p) { ol.appendChild(el("li", "", s[p])); });
      li.appendChild(ol);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    detail.replaceChildren(section);
    detail.classList.remove("hidden");
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
        summary(index(r))].map(cell).join(","));
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
// script or style but the page's own (the JSON data block is not a script
// that runs).
func csp(style string) string {
	return "default-src 'none'; script-src " + cspHash(pageScript) + "; style-src " + cspHash(style) +
		"; img-src 'none'; base-uri 'none'; form-action 'none'"
}

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
{{if .Review}}<p>{{len .Principals}} principals, {{.Grants}} grants ({{.Gained}} gained, {{.Lost}} lost, {{.Kept}} unchanged), {{.Escalations}} escalations. Each cell lists the roles and permission groups a principal gains (+, green), loses (−, red) or keeps (=, grey) on an object; yellow: a cell holding more than one of these; a denied role is in red and marked "deny:". Escalations come first and are marked.{{else}}<p>{{len .Principals}} principals, {{.Grants}} grants, {{.Escalations}} escalations. Each cell lists the roles and permission groups a principal holds on an object (green: allowed, red: denied, yellow: both); a role in the account column holds on every object of the kinds its path names, unless a deny on the object removes it. Escalations come first and are marked.{{end}} Click a principal for the path of each grant; fill in the owner, tick the rows confirmed, and export the confirmations as CSV.</p>
<div id="toolbar">
<label>Filter <input id="filter" type="search" placeholder="principal, role or object" autocomplete="off"></label>
<span><span id="count">{{len .Principals}}</span> rows shown</span>
<a id="export" download="access-review.csv" href="data:text/csv;charset=utf-8,">Export confirmations (CSV)</a>
</div>
<div id="matrix" role="table" aria-label="{{.Title}}" aria-colcount="{{.ColCount}}">
<div class="head" role="rowgroup"><div class="row" role="row"><div class="th" role="columnheader">Principal</div><div class="th" role="columnheader">Owner</div><div class="th" role="columnheader">Confirmed</div>{{range .Columns}}<div class="th" role="columnheader" data-object="{{.Key}}">{{.Label}}</div>{{end}}</div></div>
<div class="body" role="rowgroup">
{{range $i, $p := .Principals}}<div class="row{{if $p.Escalation}} escalation{{end}}" role="row" data-i="{{$i}}" data-principal="{{$p.Name}}" data-kind="{{$p.Kind}}"><div class="principal" role="cell"><button type="button" class="detail">{{$p.Name}}</button> <span class="kind">{{$p.Kind}}</span>{{if $p.Escalation}} <span class="badge" title="{{$p.Escalation}}">escalation</span>{{end}}</div><div role="cell"><input class="owner" type="text" aria-label="owner of {{$p.Name}}"></div><div role="cell"><input class="confirm" type="checkbox" aria-label="confirm {{$p.Name}}"></div>{{range $p.Cells}}<div class="c {{.Class}}" role="cell" aria-colindex="{{.Col}}">{{range .Roles}}<span class="role{{if .Deny}} deny{{end}}{{if .Change}} {{.Change}}{{end}}">{{.Text}}</span>{{end}}</div>{{end}}</div>
{{end}}</div>
</div>
<div id="detail" class="hidden"></div>
<script type="application/json" id="grants">{{.Data}}</script>
<script>{{.Script}}</script>
</body>
</html>
`))

type column struct{ Key, Label string }

type cellRole struct {
	Deny         bool
	Change, Text string
}

// cell is a non-empty cell: its column (aria-colindex, from 4), its class
// and roles.
type cell struct {
	Col   int
	Class string
	Roles []cellRole
}

type pagePrincipal struct {
	Name, Kind, Escalation string
	Cells                  []cell
}

// pageData is the JSON data block: S the strings (S[0] is ""), P each
// principal's grants as [change, effect, role, where, access, escalation,
// path...], indexes into S.
type pageData struct {
	S []string  `json:"s"`
	P [][][]int `json:"p"`
}

// ColumnKey names a row's object in the matrix: "<scope> <object name>".
func ColumnKey(g Grant) string { return g.Where() }

// WriteHTML writes the page. Every name goes through html/template, so a
// name is text wherever it appears (the JSON data block too: html/template
// writes it as JSON with <, > and & escaped).
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
	style := pageStyle(len(cols))
	data := struct {
		CSP                 string
		Title               string
		Style               template.CSS
		Script              template.JS
		Columns             []column
		ColCount            int
		Principals          []pagePrincipal
		Data                pageData
		Grants, Escalations int
		Review              bool
		Gained, Lost, Kept  int
	}{CSP: csp(style), Title: p.Title, Style: template.CSS(style), Script: template.JS(pageScript), Grants: len(p.Rows), Review: p.Review, //nolint:gosec // this file's style and script, allowed by hash
		ColCount: len(cols) + 3, Data: pageData{S: []string{""}, P: [][][]int{}}}
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
	colIndex := map[string]int{}
	for i, c := range cols {
		data.Columns = append(data.Columns, column{ColumnKey(c), ColumnKey(c)})
		colIndex[ColumnKey(c)] = i + 4
	}
	str := map[string]int{"": 0}
	intern := func(s string) int {
		i, ok := str[s]
		if !ok {
			i = len(data.Data.S)
			str[s] = i
			data.Data.S = append(data.Data.S, s)
		}
		return i
	}
	for _, k := range order {
		rows := byPrincipal[k]
		pp := pagePrincipal{Name: k.name, Kind: k.kind}
		var grants [][]int
		cells := map[int]*cell{}
		type seen struct{ allow, deny bool }
		changes := map[int]map[string]bool{}
		access := map[int]*seen{}
		for _, r := range rows {
			if r.Escalation != "" && pp.Escalation == "" {
				pp.Escalation = r.Escalation
			}
			if r.Escalation != "" {
				data.Escalations++
			}
			g := []int{intern(r.Change), intern(r.Effect), intern(r.Role), intern(r.Where()), intern(r.Access), intern(r.Escalation)}
			for _, step := range r.Path {
				g = append(g, intern(step))
			}
			grants = append(grants, g)

			col := colIndex[ColumnKey(r)]
			ce, ok := cells[col]
			if !ok {
				ce = &cell{Col: col}
				cells[col], access[col], changes[col] = ce, &seen{}, map[string]bool{}
			}
			text := r.Role
			if r.Effect == "deny" {
				text = "deny: " + text
				access[col].deny = true
			} else {
				access[col].allow = true
				if r.Access != "" {
					text += " (" + r.Access + ")"
				}
			}
			if !containsRole(ce.Roles, r.Change, text) {
				ce.Roles = append(ce.Roles, cellRole{r.Effect == "deny", r.Change, text})
			}
			changes[col][r.Change] = true
		}
		for col := 4; col < len(cols)+4; col++ {
			ce, ok := cells[col]
			if !ok {
				continue
			}
			switch a := access[col]; {
			case a.allow && a.deny:
				ce.Class = "mixed"
			case a.allow:
				ce.Class = "allow"
			default:
				ce.Class = "deny"
			}
			if p.Review {
				ce.Class += " " + changeClass(changes[col])
			}
			pp.Cells = append(pp.Cells, *ce)
		}
		data.Principals = append(data.Principals, pp)
		data.Data.P = append(data.Data.P, grants)
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
