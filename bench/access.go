package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// accessRun is `cfiam access` over the groups scenario's account, right
// after its no-op plan: its requests, and its HTML page opened and filtered
// in Chromium.
type accessRun struct {
	wall     time.Duration
	requests int
	routes   map[string]int
	htmlKB   int64
	// open is Chromium's navigation to the page until the matrix is ready;
	// filter is typing a member's name into the filter box until the row
	// count says one row. Both zero when there is no Chromium (skipped says why).
	open, filter time.Duration
	rows         int
	skipped      string
}

// measureAccess runs the cfiam binary's `access --format html` against the
// emulator (as its Super Administrator), counting the requests it serves,
// then times the page in headless Chromium.
func measureAccess(cfiamBin string, emu *emulator.Emulator, baseURL string, filterFor string) (accessRun, error) {
	var r accessRun
	dir, err := os.MkdirTemp("", "cfiam-bench-access-")
	if err != nil {
		return r, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	// The scenario invites its members; accepted, they hold their grants
	// (a pending member holds nothing, and would not be in the report).
	root := strings.TrimSuffix(baseURL, "/client/v4")
	for _, m := range emu.Members(emulator.AccountID) {
		if m.Status == "accepted" {
			continue
		}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, root+"/__emulator/members/"+m.ID+"/accept", nil)
		if err != nil {
			return r, err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return r, err
		}
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return r, fmt.Errorf("accepting member %s: HTTP %d", m.ID, res.StatusCode)
		}
	}
	file := filepath.Join(dir, "access.html")
	cmd := exec.CommandContext(context.Background(), cfiamBin, "access", "--format", "html", "--output", file) //nolint:gosec // G204: the cfiam binary make bench built
	cmd.Env = append(os.Environ(), "CLOUDFLARE_API_TOKEN="+emulator.AdminToken, "CLOUDFLARE_ACCOUNT_ID="+emulator.AccountID,
		"CLOUDFLARE_BASE_URL="+baseURL, "CLOUDFLARE_API_KEY=", "CLOUDFLARE_EMAIL=")
	before := emu.Stats()
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return r, fmt.Errorf("cfiam access: %w: %s", err, out)
	}
	r.wall = time.Since(start)
	after := emu.Stats()
	r.requests = after.Requests - before.Requests
	r.routes = map[string]int{}
	for route, n := range after.ByRoute {
		if d := n - before.ByRoute[route]; d > 0 {
			r.routes[route] = d
		}
	}
	if st, err := os.Stat(file); err == nil {
		r.htmlKB = st.Size() / 1024
	}

	var bin string
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		r.skipped = "no chromium on PATH (apt-get install -y chromium)"
		return r, nil
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]), chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Run(ctx); err != nil { // starts the browser: not part of opening the page
		return r, err
	}
	start = time.Now()
	if err := chromedp.Run(ctx, chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String()), chromedp.WaitReady("#matrix")); err != nil {
		return r, err
	}
	r.open = time.Since(start)
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#matrix .body .row").length`, &r.rows)); err != nil {
		return r, err
	}
	var count string
	start = time.Now()
	if err := chromedp.Run(ctx, chromedp.SendKeys("#filter", filterFor), chromedp.Text("#count", &count)); err != nil {
		return r, err
	}
	r.filter = time.Since(start)
	if count != "1" {
		return r, errors.New("filtering for " + filterFor + " left " + count + " rows, want 1")
	}
	return r, nil
}

// The routes a plan of members and user groups reads, which cfiam access
// reads too.
var memberGroupRoutes = []string{
	"GET /accounts/{account_id}/members",
	"GET /accounts/{account_id}/members/{member_id}",
	"GET /accounts/{account_id}/iam/user_groups",
	"GET /accounts/{account_id}/iam/user_groups/{user_group_id}",
	"GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members",
}

// accessReport writes cfiam access's figures beside the no-op plan's and
// returns issue 30's targets.
func accessReport(w *bytes.Buffer, r accessRun, plan phase, n, groups int, lat time.Duration) []target {
	sum := func(routes map[string]int) int {
		t := 0
		for _, k := range memberGroupRoutes {
			t += routes[k]
		}
		return t
	}
	fmt.Fprintf(w, "\n`cfiam access --format html` over that account, right after the no-op plan: %d requests (the plan: %d), %.1fs wall, "+
		"a page of %d KiB. By route: %s.\n", r.requests, plan.requests, r.wall.Seconds(), r.htmlKB, routeSummary(r.routes))
	fmt.Fprintf(w, "\nMembers and user groups (members, groups and each group's members): cfiam access %d requests, the no-op plan %d.\n",
		sum(r.routes), sum(plan.routes))
	at := fmt.Sprintf(", N=%d, %d groups, %s", n, groups, latencyName(lat))
	out := []target{
		{"cfiam access, all requests" + at, fmt.Sprintf("≤ the no-op plan's (%d)", plan.requests), fmt.Sprint(r.requests), r.requests <= plan.requests},
		{"cfiam access, members and groups" + at, fmt.Sprintf("≤ the no-op plan's (%d)", sum(plan.routes)), fmt.Sprint(sum(r.routes)), sum(r.routes) <= sum(plan.routes)},
		{"cfiam access, lists of group members" + at, fmt.Sprintf("≤ %d (one per group)", groups),
			fmt.Sprint(r.routes["GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"]),
			r.routes["GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"] <= groups},
	}
	if r.skipped != "" {
		fmt.Fprintf(w, "\nThe HTML page was not opened: %s.\n", r.skipped)
		return out
	}
	fmt.Fprintf(w, "\nIn headless Chromium: the page (%d rows) opened in %.2fs (navigation until the matrix is ready) and typing "+
		"a member's name into the filter left its one row in %.2fs.\n", r.rows, r.open.Seconds(), r.filter.Seconds())
	total := r.open + r.filter
	return append(out, target{"cfiam access HTML, open and filter" + at, "< 2 s", fmt.Sprintf("%.2fs", total.Seconds()), total < 2*time.Second})
}
