package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Issue 28's reliability items on the real official provider v5.22.0 and
// the terraform on PATH (both skip without ../shared, as the end-to-end
// test does): the plan of many members' moves against a plain refresh of
// them, in requests; and a plan of the moves interrupted with SIGINT.

// applyOfficialMembers has the official provider apply n members against
// the emulator, half with an account-wide policy, half with Domain DNS on a
// resource group of two zones made outside Terraform.
func (w *officialWorkspace) applyOfficialMembers(t *testing.T, n int) {
	t.Helper()
	admin, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: w.url + "/client/v4"})
	if err != nil {
		t.Fatal(err)
	}
	zones, err := admin.CreateResourceGroup(t.Context(), emulator.AccountID, "prod-zones", []string{
		catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom), catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)})
	if err != nil {
		t.Fatal(err)
	}
	role := func(name string, s catalog.Scope) string {
		e, err := catalog.Embedded().ResolveRole(name, s)
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    cloudflare = { source = \"cloudflare/cloudflare\" }\n  }\n}\n"+
		"provider \"cloudflare\" {\n  base_url = %q\n}\n", w.url+"/client/v4")
	for i := range n {
		pg, rg := role("Administrator Read Only", catalog.ScopeAccount), emulator.AccountResourceGroupID
		if i%2 == 1 {
			pg, rg = role("Domain DNS", catalog.ScopeZone), zones.ID
		}
		fmt.Fprintf(&b, `
resource "cloudflare_account_member" "m%04d" {
  account_id = %q
  email      = "member%04d@example.com"
  status     = "accepted"
  policies   = [{ access = "allow", permission_groups = [{ id = %q }], resource_groups = [{ id = %q }] }]
}
`, i, emulator.AccountID, i, pg, rg)
	}
	w.write(t, "main.tf", b.String())
	start := time.Now()
	w.run(t, []int{0}, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	t.Logf("the official provider applied %d members in %s", n, time.Since(start).Round(time.Second))
}

// migrateHere runs cfiam migrate on the workspace's state, with the
// provider's environment, and puts its output in place of main.tf.
func (w *officialWorkspace) migrateHere(t *testing.T) {
	t.Helper()
	for _, kv := range w.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("HOME", w.dir)
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"migrate", "--out", filepath.Join(w.dir, "cfiam.tf"), w.dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("cfiam migrate: exit %d: %s", code, stderr.String())
	}
	if err := os.Remove(filepath.Join(w.dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
}

// movedCount counts the plan's "has moved to" lines.
func movedCount(out string) int { return strings.Count(out, " has moved to ") }

// onlyGets fails on any request but a read.
func onlyGets(t *testing.T, what string, routes map[string]int) {
	t.Helper()
	for route, n := range routes {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("%s sent %d× %s: moves only read", what, n, route)
		}
	}
}

func sum(routes map[string]int) int {
	n := 0
	for _, c := range routes {
		n += c
	}
	return n
}

// The plan that moves n members costs no more requests than a plain
// refresh of them: one paged list, not one GET each. n is 60 (two pages of
// members), or CFIAM_MOVE_MEMBERS (bench/README.md's figure is at 1000).
func TestMigrate_movesCostNoMoreThanARefresh(t *testing.T) {
	n := 60
	if s := os.Getenv("CFIAM_MOVE_MEMBERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("CFIAM_MOVE_MEMBERS=%q: want a number of members", s)
		}
	}
	w := newOfficialWorkspace(t, "")
	w.applyOfficialMembers(t, n)
	w.migrateHere(t)

	resetStats(t, w.url)
	start := time.Now()
	out, code := w.run(t, []int{2}, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=10", "-out=moves.tfplan")
	movesWall, moves := time.Since(start), stats(t, w.url)
	if got := movedCount(out); got != n {
		t.Fatalf("the plan moves %d members, want %d (exit %d):\n%s", got, n, code, out)
	}
	w.run(t, []int{0}, "apply", "-input=false", "-no-color", "moves.tfplan")

	resetStats(t, w.url)
	start = time.Now()
	w.run(t, []int{0}, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=10")
	planWall, plan := time.Since(start), stats(t, w.url)
	resetStats(t, w.url)
	start = time.Now()
	w.run(t, []int{0}, "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=10")
	refreshWall, refresh := time.Since(start), stats(t, w.url)

	t.Logf("%d members: plan of the moves %d requests in %s %v; then a no-op plan %d in %s %v; a refresh-only plan %d in %s %v",
		n, sum(moves), movesWall.Round(time.Millisecond), moves, sum(plan), planWall.Round(time.Millisecond), plan,
		sum(refresh), refreshWall.Round(time.Millisecond), refresh)
	onlyGets(t, "the plan of the moves", moves)
	if sum(moves) > sum(plan) || sum(moves) > sum(refresh) {
		t.Errorf("the moves of %d members cost %d requests, a plain refresh %d (refresh-only) and %d (no-op plan): want no more",
			n, sum(moves), sum(refresh), sum(plan))
	}
	// Written by hand: n members and the emulator's seeded admin, 50 a page;
	// the first read of a run is a GET.
	if got, pages := moves["GET /accounts/{account_id}/members"], (n+1+49)/50; got > pages {
		t.Errorf("the moves listed %d pages of members, want at most %d", got, pages)
	}
	if got := moves["GET /accounts/{account_id}/members/{member_id}"]; got > 1 {
		t.Errorf("the moves of %d members read %d one by one, want at most 1", n, got)
	}
}

// Ctrl-C during the plan of the moves loses nothing: `terraform apply` of
// the moves, interrupted with SIGINT while the refresh waits on the
// emulator (every answer delayed), leaves the state file as it was and
// readable, the account unwritten; the next plan shows the moves again, and
// their apply and an empty plan follow.
func TestMigrate_interruptedMovesLoseNothing(t *testing.T) {
	const n = 20
	w := newOfficialWorkspace(t, "")
	w.applyOfficialMembers(t, n)
	emuBefore, err := os.ReadFile(w.state)
	if err != nil {
		t.Fatal(err)
	}
	stateFile := filepath.Join(w.dir, "terraform.tfstate")
	stateBefore, err := os.ReadFile(stateFile) //nolint:gosec // G304: terraform's state in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	w.migrateHere(t)

	resetStats(t, w.url)
	w.emu.SetLatency(2 * time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.tf, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10") //nolint:gosec // G204: terraform with the test's own arguments
	cmd.Dir, cmd.Env = w.dir, append(slices.Clone(w.env), "PATH="+os.Getenv("PATH"), "HOME="+w.dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The signal goes once the refresh's first member read has reached the
	// emulator (counted on arrival, answered 2 s later).
	memberReads := func() int {
		s := w.emu.Stats().ByRoute
		return s["GET /accounts/{account_id}/members/{member_id}"] + s["GET /accounts/{account_id}/members"]
	}
	var runErr error
	signalled, finished := false, false
	deadline := time.After(2 * time.Minute)
	for !signalled && !finished {
		select {
		case runErr = <-done:
			finished = true
		case <-deadline:
			t.Fatalf("no member read within 2 minutes:\n%s", out.String())
		case <-time.After(5 * time.Millisecond):
			if memberReads() > 0 {
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
				signalled = true
			}
		}
	}
	if !finished {
		select {
		case runErr = <-done:
		case <-time.After(90 * time.Second):
			t.Fatalf("terraform did not stop within 90s of SIGINT:\n%s", out.String())
		}
	}
	w.emu.SetLatency(0)
	interrupted := stats(t, w.url)
	t.Logf("apply of %d moves interrupted after %d member reads: exit %v, %d requests %v\n%s",
		n, memberReads(), runErr, sum(interrupted), interrupted, lastLines(out.String(), 15))
	if !signalled {
		t.Fatalf("the apply finished before any member read; the test proves nothing:\n%s", out.String())
	}
	if runErr == nil || !strings.Contains(out.String(), "Interrupt received") {
		t.Fatalf("terraform apply exited %v, interrupted during its plan's refresh; want an error, after \"Interrupt received\":\n%s", runErr, out.String())
	}
	if strings.Contains(out.String(), "Apply complete") {
		t.Fatalf("the interrupted apply completed:\n%s", out.String())
	}
	onlyGets(t, "the interrupted apply", interrupted)
	stateAfter, err := os.ReadFile(stateFile) //nolint:gosec // G304: terraform's state in the test's temp dir
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stateBefore, stateAfter) {
		t.Errorf("the interrupted apply changed terraform.tfstate")
	}
	// Readable, and still the official provider's.
	vals := w.stateValues(t)
	official := 0
	for addr := range vals {
		if strings.HasPrefix(addr, "cloudflare_account_member.") {
			official++
		}
	}
	if official != n || len(vals) != n {
		t.Errorf("after the interrupt the state holds %d resources, %d of them cloudflare_account_member; want %d official members", len(vals), official, n)
	}

	// The rerun: the same moves, their apply, then nothing to do.
	resetStats(t, w.url)
	planOut, _ := w.run(t, []int{2}, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=moves.tfplan")
	if got := movedCount(planOut); got != n || !strings.Contains(planOut, "0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the plan after the interrupt moves %d members, want %d, and changes nothing:\n%s", got, n, lastLines(planOut, 30))
	}
	w.run(t, []int{0}, "apply", "-input=false", "-no-color", "moves.tfplan")
	w.run(t, []int{0}, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	onlyGets(t, "the rerun", stats(t, w.url))
	emuAfter, err := os.ReadFile(w.state)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(emuBefore, emuAfter) {
		t.Errorf("the emulator's state changed: the moves wrote to the account")
	}
	for addr := range w.stateValues(t) {
		if !strings.HasPrefix(addr, "cfiam_account_member.") {
			t.Errorf("after the moves the state still holds %s", addr)
		}
	}
}

// lastLines keeps the end of a long terraform output.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return s
	}
	return fmt.Sprintf("[... %d lines ...]\n", len(lines)-n) + strings.Join(lines[len(lines)-n:], "\n")
}
