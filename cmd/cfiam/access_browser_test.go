package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cfiam/terraform-provider-cfiam/internal/accessreport"
)

// chromium finds Debian's chromium (or chromium-browser): the test never
// downloads a browser.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium or chromium-browser on PATH: install Debian's chromium package (apt-get install -y chromium) to run the browser test")
	return ""
}

// TestAccessHTML_browser opens `cfiam access --format html` in headless
// Chromium: the matrix equals the JSON report, the filter leaves the
// matching rows, a principal's detail shows each grant's path, two
// confirmations export as CSV, no request leaves the page, and the
// injected names stayed text. How long the page takes to open and filter
// is make bench's (at 1,000 members), not a timed assertion here.
func TestAccessHTML_browser(t *testing.T) {
	bin := chromium(t)
	newAccessAccount(t)
	rows := accessJSON(t)
	file := filepath.Join(t.TempDir(), "access.html")
	if code, _, stderr := cfiam(t, "", "access", "--format", "html", "--output", file); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]), chromedp.ExecPath(bin),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1500, 900))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	var mu sync.Mutex
	var requests, dialogs []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			dialogs = append(dialogs, e.Message)
			go func() { _ = chromedp.Run(ctx, page.HandleJavaScriptDialog(false)) }()
		}
	})
	pageURL := (&url.URL{Scheme: "file", Path: file}).String()
	if err := chromedp.Run(ctx, network.Enable()); err != nil { // starts the browser: not part of opening the page
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady("#matrix")); err != nil {
		t.Fatal(err)
	}

	// The matrix: each principal's cell on each object lists exactly the
	// JSON report's roles there.
	type cellJS struct {
		Object string
		Class  string
		Roles  []string
	}
	type rowJS struct {
		Principal string
		Cells     []cellJS
	}
	var matrix []rowJS
	// A cell names its column (aria-colindex); the column's header names
	// the object. Empty cells are not written.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
		const heads = Array.from(document.querySelectorAll("#matrix .head .th"));
		return Array.from(document.querySelectorAll("#matrix .body .row")).map(r => ({
		Principal: r.dataset.principal,
		Cells: Array.from(r.querySelectorAll(".c")).map(c => ({Object: heads[Number(c.getAttribute("aria-colindex")) - 1].dataset.object || "",
			Class: c.className.replace(/^c /, ""), Roles: Array.from(c.querySelectorAll(".role")).map(s => s.textContent)}))}));
		})()`, &matrix)); err != nil {
		t.Fatal(err)
	}
	// Each cell sits in its column: where the grid drew it.
	var misplaced []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
		const heads = Array.from(document.querySelectorAll("#matrix .head .th"));
		const r = document.querySelector('#matrix .body .row[data-principal="bob@example.com"]');
		return Array.from(r.querySelectorAll(".c")).filter(c => Math.abs(c.getBoundingClientRect().left -
			heads[Number(c.getAttribute("aria-colindex")) - 1].getBoundingClientRect().left) > 1).map(c => c.textContent);
		})()`, &misplaced)); err != nil {
		t.Fatal(err)
	}
	if len(misplaced) > 0 {
		t.Errorf("bob's cells not under their column's header: %q", misplaced)
	}
	want := map[string][]string{}
	for _, r := range rows {
		text := r.Role
		if r.Effect == "deny" {
			text = "deny: " + text
		} else if r.Access != "" {
			text += " (" + r.Access + ")"
		}
		k := r.Principal + "\x00" + accessreport.ColumnKey(r)
		if !slices.Contains(want[k], text) {
			want[k] = append(want[k], text)
		}
	}
	seen := 0
	var principals []string
	for _, row := range matrix {
		principals = append(principals, row.Principal)
		for _, c := range row.Cells {
			w := want[row.Principal+"\x00"+c.Object]
			got := slices.Clone(c.Roles)
			sort.Strings(got)
			sort.Strings(w)
			if !slices.Equal(got, w) {
				t.Errorf("cell %s × %s: %q, JSON says %q", row.Principal, c.Object, got, w)
			}
			if len(w) > 0 {
				seen++
			}
		}
	}
	if seen != len(want) {
		t.Errorf("the matrix shows %d of the JSON report's %d (principal, object) pairs", seen, len(want))
	}
	if len(principals) == 0 || principals[0] != "admin@example.com" {
		t.Errorf("rows %q: want the escalation (the seeded Super Administrator) first", principals)
	}
	for _, c := range matrix {
		if c.Principal == "bob@example.com" {
			for _, cell := range c.Cells {
				if cell.Object == "access_application app-b" && cell.Class != "deny" {
					t.Errorf("bob's denied app-b cell is %q, want deny", cell.Class)
				}
			}
		}
	}

	// The filter; clearFilter empties it as a user deleting the text would.
	var cleared bool
	clearFilter := chromedp.Evaluate(`(() => { const f = document.getElementById("filter"); f.value = "";
		f.dispatchEvent(new Event("input")); return true; })()`, &cleared)
	var visible []string
	var count string
	visibleJS := `Array.from(document.querySelectorAll("#matrix .body .row")).filter(r => !r.classList.contains("hidden")).map(r => r.dataset.principal)`
	if err := chromedp.Run(ctx, chromedp.SendKeys("#filter", "bob@"), chromedp.Evaluate(visibleJS, &visible),
		chromedp.Text("#count", &count)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(visible, []string{"bob@example.com"}) || count != "1" {
		t.Errorf("filter bob@: rows %q, count %q", visible, count)
	}
	if err := chromedp.Run(ctx, clearFilter, chromedp.SendKeys("#filter", "app-a-own"), chromedp.Evaluate(visibleJS, &visible)); err != nil {
		t.Fatal(err)
	}
	sort.Strings(visible)
	// The admin's Super Administrator is one account cell, not a cell on
	// app-a-own: the filter does not keep it.
	if want := []string{"<img src=x onerror=alert(1)>", "bob@example.com"}; !slices.Equal(visible, want) {
		t.Errorf("filter app-a-own: rows %q, want %q", visible, want)
	}
	if err := chromedp.Run(ctx, clearFilter, chromedp.Evaluate(visibleJS, &visible)); err != nil || len(visible) != len(matrix) {
		t.Fatalf("clearing the filter: %d rows of %d shown, %v", len(visible), len(matrix), err)
	}

	// Sorting by the Principal column, then the other way.
	orderJS := `Array.from(document.querySelectorAll("#matrix .body .row")).map(r => r.dataset.principal)`
	var order []string
	ascending := []string{injectedGroup, injectedToken, "admin@example.com", "alice@example.com", "bob@example.com"}
	if err := chromedp.Run(ctx, chromedp.Click(`#matrix .head .th:first-child`, chromedp.ByQuery), chromedp.Evaluate(orderJS, &order)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, ascending) {
		t.Errorf("sorted by principal: %q, want %q", order, ascending)
	}
	if err := chromedp.Run(ctx, chromedp.Click(`#matrix .head .th:first-child`, chromedp.ByQuery), chromedp.Evaluate(orderJS, &order)); err != nil {
		t.Fatal(err)
	}
	if slices.Reverse(ascending); !slices.Equal(order, ascending) {
		t.Errorf("sorted by principal, descending: %q, want %q", order, ascending)
	}

	// A principal's detail: each grant's path.
	var detail string
	if err := chromedp.Run(ctx, chromedp.Click(`.row[data-principal="bob@example.com"] button.detail`, chromedp.ByQuery),
		chromedp.Text(`#detail .principal-detail:not(.hidden)`, &detail, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"bob@example.com", "member bob@example.com", "group <img src=x onerror=alert(1)>",
		"role Cloudflare Access App Admin", "access_application app-a", "binding policy ", "tunnel app-a",
		"access_application app-a\naccess_policy app-a-own"} {
		if !strings.Contains(detail, part) {
			t.Errorf("bob's detail lacks %q:\n%s", part, detail)
		}
	}

	// Two confirmations, one with an owner, exported as CSV.
	var href string
	if err := chromedp.Run(ctx,
		chromedp.SendKeys(`.row[data-principal="alice@example.com"] input.owner`, "security team", chromedp.ByQuery),
		chromedp.Click(`.row[data-principal="alice@example.com"] input.confirm`, chromedp.ByQuery),
		chromedp.Click(`.row[data-kind="group"] input.confirm`, chromedp.ByQuery),
		chromedp.AttributeValue("#export", "href", &href, nil)); err != nil {
		t.Fatal(err)
	}
	csvText, err := url.PathUnescape(strings.TrimPrefix(href, "data:text/csv;charset=utf-8,"))
	if err != nil {
		t.Fatal(err)
	}
	var confirmed []string
	for _, line := range strings.Split(csvText, "\r\n") {
		if strings.Contains(line, `"yes"`) || strings.HasPrefix(line, "principal,") {
			confirmed = append(confirmed, line)
		}
	}
	wantCSV := []string{
		"principal,kind,owner,confirmed,grants",
		`"alice@example.com","member","security team","yes","allow Domain DNS on zone example.com"`,
		`"<img src=x onerror=alert(1)>","group","","yes","allow Cloudflare Access App Admin on access_application app-a; ` +
			`allow Cloudflare Access App Admin on access_application app-b; allow Cloudflare Access App Admin on access_policy app-a-own"`,
	}
	if !slices.Equal(confirmed, wantCSV) {
		t.Errorf("exported confirmations:\n got %s\nwant %s", strings.Join(confirmed, "\n     "), strings.Join(wantCSV, "\n     "))
	}

	if os.Getenv("CFIAM_SCREENSHOT") == "1" {
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Fatal(err)
		}
		//nolint:gosec // a picture for the docs, readable by all
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "images", "access-report.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The admin's account role says what it reaches.
	if err := chromedp.Run(ctx, chromedp.Click(`.row[data-principal="admin@example.com"] button.detail`, chromedp.ByQuery),
		chromedp.Text(`#detail .principal-detail:not(.hidden)`, &detail, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if want := "every zone, tunnel, mesh_node, access_application, access_identity_provider, access_policy, access_service_token, " +
		"infrastructure_target"; !strings.Contains(detail, want) {
		t.Errorf("the admin's detail lacks %q:\n%s", want, detail)
	}

	// The injected names stayed text: no image, one script (the page's own)
	// beside the JSON data block, no dialog, and no request but the page
	// itself.
	var images, scripts int
	var groupText string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("img").length`, &images),
		chromedp.Evaluate(`document.scripts.length === 2 && document.scripts[0].type === "application/json" ? 1 : document.scripts.length`, &scripts),
		chromedp.Text(`.row[data-kind="group"] button.detail`, &groupText, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if images != 0 || scripts != 1 || groupText != injectedGroup {
		t.Errorf("injection: %d img, %d scripts, group shown as %q", images, scripts, groupText)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("dialogs opened: %q", dialogs)
	}
	for _, r := range requests {
		if r != pageURL {
			t.Errorf("request left the page: %s", r)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen at all: the network listener is not working")
	}
}
