package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// reviewSheet is a plan written by hand (testdata/review-sheet/plan.json):
// member dev@example.com keeps Analytics account-wide and moves Domain DNS
// from example.com to example.org; a new user token named
// <script>alert(2)</script> gets API Tokens Edit on its user.
const reviewSheet = "testdata/review-sheet/plan.json"

const (
	comCol = "zone 023e105f4ecef8ad9ca31a8372d0c353"
	orgCol = "zone 7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
	accCol = "account f037e56e89293a057740de681ac9abbe"
)

// cellRE matches one matrix cell: its class, its column and its content;
// headRE one column header.
var (
	cellRE = regexp.MustCompile(`<div class="c ([^"]*)" role="cell" aria-colindex="(\d+)">(.*?)</div>`)
	headRE = regexp.MustCompile(`<div class="th" role="columnheader"(?: data-object="([^"]*)")?>`)
)

// reviewCells are the non-empty cells of each row of a review page, as
// "column's object|class|content".
func reviewCells(t *testing.T, page string) map[string][]string {
	t.Helper()
	var heads []string
	for _, h := range headRE.FindAllStringSubmatch(page, -1) {
		heads = append(heads, h[1])
	}
	out := map[string][]string{}
	for _, row := range strings.Split(page, `<div class="row`)[1:] {
		m := regexp.MustCompile(`data-principal="([^"]*)"`).FindStringSubmatch(row)
		if m == nil {
			continue
		}
		for _, c := range cellRE.FindAllStringSubmatch(row, -1) {
			col, err := strconv.Atoi(c[2])
			if err != nil || col < 4 || col > len(heads) {
				t.Fatalf("cell in column %s of %d", c[2], len(heads))
			}
			out[m[1]] = append(out[m[1]], heads[col-1]+"|"+c[1]+"|"+c[3])
		}
	}
	return out
}

// pageGrants are the grants of a page's JSON data block, one line each as
// the detail panel says them: "[change: ]effect role on scope object".
func pageGrants(t *testing.T, page string) []string {
	t.Helper()
	i := strings.Index(page, `<script type="application/json" id="grants">`)
	j := strings.Index(page[max(i, 0):], "</script>")
	if i < 0 || j < 0 {
		t.Fatal("no JSON data block")
	}
	var data struct {
		S []string
		P [][][]int
	}
	if err := json.Unmarshal([]byte(page[i+len(`<script type="application/json" id="grants">`):i+j]), &data); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, grants := range data.P {
		for _, g := range grants {
			line := data.S[g[1]] + " " + data.S[g[2]] + " on " + data.S[g[3]]
			if g[0] != 0 {
				line = data.S[g[0]] + ": " + line
			}
			out = append(out, line)
		}
	}
	return out
}

// TestReviewHTML: each cell of `cfiam review --format html` carries what the
// plan does to it, written out by hand from the plan; the token's name is
// text; the escalation comes first and is marked.
func TestReviewHTML(t *testing.T) {
	code, out, stderr := cfiam(t, "", "review", "--format", "html", reviewSheet)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := reviewCells(t, out)
	want := map[string][]string{
		"dev@example.com": {
			accCol + `|allow unchanged|<span class="role unchanged">Analytics</span>`,
			comCol + `|allow lost|<span class="role lost">Domain DNS</span>`,
			orgCol + `|allow gained|<span class="role gained">Domain DNS</span>`,
		},
		"&lt;script&gt;alert(2)&lt;/script&gt;": {
			`user (the token&#39;s user)|allow gained|<span class="role gained">API Tokens Edit</span>`,
		},
	}
	for who, cells := range want {
		if !slices.Equal(got[who], cells) {
			t.Errorf("%s's cells:\n got %q\nwant %q", who, got[who], cells)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %d", got, len(want))
	}
	if i, j := strings.Index(out, `data-principal="&lt;script&gt;`), strings.Index(out, `data-principal="dev@example.com"`); i < 0 || j < i ||
		!strings.Contains(out, `<span class="badge" title="permission group edits tokens or members">escalation</span>`) {
		t.Errorf("the token's escalation is not first and marked:\n%s", out)
	}
	if strings.Contains(out, "<script>alert") || strings.Count(out, "<script>") != 1 {
		t.Errorf("the token's name is not escaped")
	}
	for _, s := range []string{"2 principals, 4 grants (2 gained, 1 lost, 1 unchanged), 1 escalations",
		"<title>Access changes in plan.json</title>"} {
		if !strings.Contains(out, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	grants := pageGrants(t, out)
	for _, s := range []string{"gained: allow Domain DNS on " + orgCol, "lost: allow Domain DNS on " + comCol,
		"unchanged: allow Analytics on " + accCol, "gained: allow API Tokens Edit on user (the token's user)"} {
		if !slices.Contains(grants, s) {
			t.Errorf("the page's grants %q lack %q", grants, s)
		}
	}
	if len(grants) != 4 {
		t.Errorf("the page's grants: %q, want 4", grants)
	}

	// A deny lifted beside an allow kept: one cell, two kinds of change.
	_, out, _ = cfiam(t, "", "review", "--format", "html", "../../internal/review/testdata/cfiam-plans/lifted-deny.json")
	wantDev := []string{
		accCol + `|mixed changed|<span class="role deny lost">deny: Administrator</span><span class="role unchanged">Administrator</span>`,
		"zone 023e105f4ecef8ad9ca31a8372d0c353|mixed changed|" +
			`<span class="role unchanged">Domain DNS</span><span class="role deny lost">deny: Domain DNS</span>`,
	}
	if got := reviewCells(t, out)["dev@example.com"]; !slices.Equal(got, wantDev) {
		t.Errorf("lifted deny:\n got %q\nwant %q", got, wantDev)
	}

	code, _, stderr = cfiam(t, "", "review", "--format", "xml", reviewSheet)
	if code != exitInput || !strings.Contains(stderr, "want markdown, json, sarif or html") {
		t.Errorf("--format xml: exit %d, %q", code, stderr)
	}
	if _, help, _ := cfiam(t, "", "review", "-h"); !strings.Contains(help, "[--format markdown|json|sarif|html]") ||
		!strings.Contains(help, "gained (+, green)") {
		t.Errorf("review -h does not document --format html")
	}
}

// TestReviewHTML_browser opens `cfiam review --format html` in headless
// Chromium: the gained cell is drawn green and the lost one red, a role lost
// is struck through, the filter finds the changes by "gained", and the
// token's injected name did not run.
func TestReviewHTML_browser(t *testing.T) {
	bin := chromium(t)
	_, out, _ := cfiam(t, "", "review", "--format", "html", reviewSheet)
	file := filepath.Join(t.TempDir(), "review.html")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]), chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	var dialogs []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			dialogs = append(dialogs, e.Message)
			mu.Unlock()
			go func() { _ = chromedp.Run(ctx, page.HandleJavaScriptDialog(false)) }()
		}
	})
	type style struct{ Background, Decoration string }
	cellStyle := func(who, col string) string {
		return `(() => { const col = Array.from(document.querySelectorAll("#matrix .head .th")).findIndex(h => h.dataset.object === "` + col + `") + 1;
			const c = document.querySelector('.row[data-principal="` + who + `"] [aria-colindex="' + col + '"]');
			const r = c.querySelector(".role");
			return {Background: getComputedStyle(c).backgroundColor, Decoration: getComputedStyle(r).textDecorationLine}; })()`
	}
	var gained, lost, kept style
	var visible []string
	if err := chromedp.Run(ctx, network.Enable(), chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String()),
		chromedp.WaitReady("#matrix"),
		chromedp.Evaluate(cellStyle("dev@example.com", orgCol), &gained),
		chromedp.Evaluate(cellStyle("dev@example.com", comCol), &lost),
		chromedp.Evaluate(cellStyle("dev@example.com", accCol), &kept),
		chromedp.SendKeys("#filter", "gained: allow api"),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#matrix .body .row")).filter(r => !r.classList.contains("hidden")).map(r => r.dataset.principal)`, &visible),
	); err != nil {
		t.Fatal(err)
	}
	rgb := func(s string) (r, g, b int) {
		var n []int
		for _, f := range regexp.MustCompile(`\d+`).FindAllString(s, 3) {
			v := 0
			for _, d := range f {
				v = v*10 + int(d-'0')
			}
			n = append(n, v)
		}
		if len(n) != 3 {
			t.Fatalf("colour %q", s)
		}
		return n[0], n[1], n[2]
	}
	if r, g, b := rgb(gained.Background); g <= r || g <= b {
		t.Errorf("gained cell %s: want green", gained.Background)
	}
	if r, g, b := rgb(lost.Background); r <= g || r <= b {
		t.Errorf("lost cell %s: want red", lost.Background)
	}
	if r, g, b := rgb(kept.Background); r != g || g != b || r == 255 {
		t.Errorf("unchanged cell %s: want grey", kept.Background)
	}
	if lost.Decoration != "line-through" || gained.Decoration == "line-through" {
		t.Errorf("lost role drawn %q, gained %q: want the lost one struck through only", lost.Decoration, gained.Decoration)
	}
	if !slices.Equal(visible, []string{"<script>alert(2)</script>"}) {
		t.Errorf("filter: rows %q", visible)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("dialogs opened: %q", dialogs)
	}
}
