// Command bench measures cfiam end to end: for N members (each with three
// policies, at account, zone and Tunnel scope) it runs `terraform validate`,
// `terraform apply` and a no-op `terraform plan` against an in-process
// emulator, and reports wall time, API requests (from the emulator's own
// counters), requests per member, and the provider process's peak memory and
// CPU, once per latency the emulator adds to each API request (0 and 50 ms by
// default: loopback, and a CI runner's distance from Cloudflare). It also measures the emulator's throughput on loopback. `make bench`
// runs it; the table goes to stdout and to bench/results.md. With -groups, the
// largest N runs again with that many user groups and their memberships.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func main() {
	providerBin := flag.String("provider", "bin/terraform-provider-cfiam", "built provider binary")
	sizes := flag.String("sizes", "100,300,1000", "member counts")
	latencies := flag.String("latencies", "0,50ms", "latencies added to every API request by the emulator, one table each (Go durations)")
	out := flag.String("out", "bench/results.md", "Markdown file to write (besides stdout)")
	groups := flag.Int("groups", 100, "user groups of the groups scenario, run at the largest size (0: none)")
	layout := flag.String("layout", layoutBlocks, "how the members are written: blocks (one resource block each, as cfiam export writes them) or for_each (one block)")
	policies := flag.Int("policies", 1, "policies per member: 1 (account-wide) or 3 (account, zone and Tunnel scope)")
	compare := flag.String("compare", "", "instead of the tables: the schema comparison at the largest size, of these cfiam builds "+
		"(label=path/to/terraform-provider-cfiam,...; the first is the baseline)")
	official := flag.String("official", "", "with -compare: also the official provider's cloudflare_account_member, from this binary (terraform-provider-cloudflare)")
	rounds := flag.Int("plans", 3, "with -compare: rounds of no-op plans")
	cfiamBin := flag.String("cfiam", "", "built cfiam binary: `cfiam access` runs over the groups scenario's account after its no-op plan, and its HTML page is timed in Chromium (\"\": skipped)")
	accessOnly := flag.Bool("access-only", false, "run the groups scenario with cfiam access only (no members-only runs, no floor, no throughput)")
	flag.Parse()
	sh := shape{layout: *layout, policies: *policies}
	if (sh.layout != layoutBlocks && sh.layout != layoutForEach) || (sh.policies != 1 && sh.policies != 3) {
		fmt.Fprintln(os.Stderr, "bench: -layout takes blocks or for_each, -policies 1 or 3")
		os.Exit(2)
	}
	if *compare != "" || *official != "" {
		if err := runComparison(*compare, *official, *sizes, *latencies, *out, *rounds, sh); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *accessOnly && (*cfiamBin == "" || *groups == 0) {
		fmt.Fprintln(os.Stderr, "bench: -access-only needs -cfiam and -groups")
		os.Exit(2)
	}
	if err := run(*providerBin, *sizes, *latencies, *out, *groups, sh, accessOpts{bin: *cfiamBin, only: *accessOnly}); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type phase struct {
	name      string
	wall      time.Duration
	requests  int
	peakRSSKB int64
	cpu       time.Duration
	// terraformCPU is the terraform process's own user and system CPU,
	// without its children's (exitedCPU); childrenCPU is what the kernel
	// counts for the children it reaped (the provider processes).
	terraformCPU, childrenCPU time.Duration
	processes                 int            // provider processes the command started
	changes                   bool           // a plan that was not empty (the comparison's official provider)
	routes                    map[string]int // requests by route
}

// accessOpts: the cfiam binary whose `cfiam access` the groups scenario
// measures ("" for none), and whether to run only that.
type accessOpts struct {
	bin  string
	only bool
}

func run(providerBin, sizes, latencies, out string, groups int, sh shape, access accessOpts) error {
	bin, err := filepath.Abs(providerBin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("provider binary: %w (run `make build` first)", err)
	}
	ns, lats, err := parseSizesAndLatencies(sizes, latencies)
	if err != nil {
		return err
	}
	var report bytes.Buffer
	writeHeader(&report)
	fmt.Fprintf(&report, "\nMembers written as %s, %d %s each.\n", map[string]string{
		layoutBlocks: "one resource block each", layoutForEach: "one `for_each` block"}[sh.layout], sh.policies,
		map[bool]string{true: "policy", false: "policies"}[sh.policies == 1])
	var targets []target
	for _, lat := range lats {
		fmt.Fprintf(&report, "\n## Latency %s per API request\n\n", latencyName(lat))
		fmt.Fprintln(&report, "| N | phase | wall | API requests | requests / member | provider peak RSS | provider CPU | provider processes | terraform CPU |")
		fmt.Fprintln(&report, "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
		var planRoutes string // where the largest no-op plan's requests went
		for _, n := range ns {
			if access.only {
				break
			}
			phases, err := measure(bin, config(n, sh), lat)
			if err != nil {
				return fmt.Errorf("N=%d, latency %s: %w", n, latencyName(lat), err) //nolint:staticcheck // ST1005: N is the member count, named as in the report's table
			}
			for _, p := range phases {
				fmt.Fprintf(&report, "| %d | %s | %.1fs | %d | %.2f | %.0f MiB | %.2fs | %d | %.2fs |\n", n, p.name, p.wall.Seconds(), p.requests,
					float64(p.requests)/float64(n), float64(p.peakRSSKB)/1024, p.cpu.Seconds(), p.processes, p.terraformCPU.Seconds())
			}
			plan := phases[2]
			planRoutes = fmt.Sprintf("\nRequests of the apply at N=%d, by route: %s.\n", n, routeSummary(phases[1].routes)) +
				fmt.Sprintf("\nRequests of the no-op plan at N=%d, by route: %s.\n", n, routeSummary(plan.routes)) +
				fmt.Sprintf("\nUnder Cloudflare's rate limit (%d requests per %s per user, on in the emulator for the no-op plan), "+
					"that plan spends %d requests, %.1f %% of one window: it fits %d times in it. One GET per member would spend %d (%.0f %%).\n",
					emulator.CloudflareRateLimitRequests, emulator.CloudflareRateLimitWindow, plan.requests,
					100*float64(plan.requests)/emulator.CloudflareRateLimitRequests, emulator.CloudflareRateLimitRequests/max(plan.requests, 1),
					n, 100*float64(n)/emulator.CloudflareRateLimitRequests)
			if n != 1000 {
				continue
			}
			validate, apply := phases[0], phases[1]
			at := ", " + latencyName(lat)
			limit := int(math.Ceil(1000.0/50)) + 5
			targets = append(targets,
				target{"no-op plan, N=1000" + at, fmt.Sprintf("≤ %d requests", limit), fmt.Sprint(plan.requests), plan.requests <= limit},
				target{"apply, N=1000" + at, "≤ 1,010 requests", fmt.Sprint(apply.requests), apply.requests <= 1010},
				target{"peak RSS, N=1000" + at, "< 150 MiB", fmt.Sprintf("%.0f MiB", float64(max(apply.peakRSSKB, plan.peakRSSKB))/1024),
					max(apply.peakRSSKB, plan.peakRSSKB) < 150*1024})
			switch lat {
			case 0:
				targets = append(targets,
					target{"offline validate, N=1000" + at, "< 1 s provider CPU", fmt.Sprintf("%.2fs", validate.cpu.Seconds()), validate.cpu < time.Second})
			case 50 * time.Millisecond:
				targets = append(targets,
					target{"apply, N=1000" + at, "≤ 12 s wall", fmt.Sprintf("%.1fs", apply.wall.Seconds()), apply.wall <= 12*time.Second},
					target{"no-op plan, N=1000" + at, "≤ 3 s wall", fmt.Sprintf("%.1fs", plan.wall.Seconds()), plan.wall <= 3*time.Second},
					target{"no-op plan, N=1000" + at, "≤ 1.5 s provider CPU", fmt.Sprintf("%.2fs", plan.cpu.Seconds()), plan.cpu <= 1500*time.Millisecond})
			}
		}
		fmt.Fprint(&report, planRoutes)
		if groups > 0 {
			n := slices.Max(ns)
			var acc accessRun
			var hooks []func(*emulator.Emulator, string) error
			if access.bin != "" {
				hooks = append(hooks, func(emu *emulator.Emulator, baseURL string) error {
					var err error
					acc, err = measureAccess(access.bin, emu, baseURL, fmt.Sprintf("member%04d@", n-1))
					return err
				})
			}
			phases, err := measure(bin, groupsConfig(n, groups, sh), lat, hooks...)
			if err != nil {
				return fmt.Errorf("N=%d with %d groups, latency %s: %w", n, groups, latencyName(lat), err) //nolint:staticcheck // ST1005: N is the member count, named as in the report's table
			}
			fmt.Fprintf(&report, "\nWith %d user groups (%d members each: half through `cfiam_user_group_members`, half through "+
				"`cfiam_user_group_membership`), N=%d:\n\n", groups, n/groups, n)
			fmt.Fprintln(&report, "| phase | wall | API requests | provider peak RSS | provider CPU |")
			fmt.Fprintln(&report, "| --- | ---: | ---: | ---: | ---: |")
			for _, p := range phases[1:] {
				fmt.Fprintf(&report, "| %s | %.1fs | %d | %.0f MiB | %.2fs |\n", p.name, p.wall.Seconds(), p.requests,
					float64(p.peakRSSKB)/1024, p.cpu.Seconds())
			}
			plan := phases[2]
			fmt.Fprintf(&report, "\nRequests of that apply, by route: %s.\n", routeSummary(phases[1].routes))
			fmt.Fprintf(&report, "\nRequests of that no-op plan, by route: %s.\n", routeSummary(plan.routes))
			if n == 1000 {
				members := plan.routes["GET /accounts/{account_id}/iam/user_groups/{user_group_id}/members"]
				limit := groups + 35
				targets = append(targets,
					target{fmt.Sprintf("no-op plan, N=1000, %d groups, %s", groups, latencyName(lat)), fmt.Sprintf("≤ %d requests", limit),
						fmt.Sprint(plan.requests), plan.requests <= limit},
					target{fmt.Sprintf("that plan's lists of group members, %s", latencyName(lat)), fmt.Sprintf("≤ %d (one per group)", groups),
						fmt.Sprint(members), members <= groups})
			}
			if access.bin != "" {
				targets = append(targets, accessReport(&report, acc, plan, n, groups, lat)...)
			}
		}
	}
	if access.only {
		return writeReportWithTargets(report.Bytes(), out, targets)
	}
	fmt.Fprintln(&report, "\n## Terraform's own floor\n\nThe apply and then a no-op plan of N `terraform_data` resources, written in the same layout "+
		"(no plugin, no API), on this machine: what no provider can go below.")
	fmt.Fprintln(&report)
	fmt.Fprintln(&report, "| N | apply wall | no-op plan wall |\n| ---: | ---: | ---: |")
	for _, n := range ns {
		apply, plan, err := terraformFloor(n, sh.layout)
		if err != nil {
			return fmt.Errorf("terraform's floor, N=%d: %w", n, err) //nolint:staticcheck // ST1005: N is the member count, named as in the report's table
		}
		fmt.Fprintf(&report, "| %d | %.1fs | %.1fs |\n", n, apply.Seconds(), plan.Seconds())
	}
	rps, err := emulatorThroughput(2 * time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(&report, "\nEmulator on loopback: %.0f requests/s (GET members, 8 concurrent clients, 2 s, no latency).\n", rps)
	return writeReportWithTargets(report.Bytes(), out, targets)
}

// writeReportWithTargets adds the targets' table to the report and writes it to stdout and out.
func writeReportWithTargets(body []byte, out string, targets []target) error {
	report := bytes.NewBuffer(body)
	if len(targets) > 0 {
		fmt.Fprintln(report, "\n| target | goal | measured | met |\n| --- | --- | ---: | --- |")
		for _, t := range targets {
			met := "yes"
			if !t.met {
				met = "**no**"
			}
			fmt.Fprintf(report, "| %s | %s | %s | %s |\n", t.what, t.goal, t.got, met)
		}
	}
	return writeReport(report, out)
}

func parseSizesAndLatencies(sizes, latencies string) ([]int, []time.Duration, error) {
	var ns []int
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, nil, fmt.Errorf("bad size %q", s)
		}
		ns = append(ns, n)
	}
	var lats []time.Duration
	for _, s := range strings.Split(latencies, ",") {
		d, err := emulator.ParseLatency(strings.TrimSpace(s))
		if err != nil {
			return nil, nil, err
		}
		lats = append(lats, d)
	}
	return ns, lats, nil
}

func writeHeader(report *bytes.Buffer) {
	fmt.Fprintf(report, "# cfiam benchmark\n\n%s, %s/%s, %d CPUs, terraform %s\n", time.Now().UTC().Format(time.RFC3339),
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), terraformVersion())
}

// writeReport writes the report to stdout and to the file out ("": none).
func writeReport(report *bytes.Buffer, out string) error {
	_, _ = os.Stdout.Write(report.Bytes())
	if out == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil { //nolint:gosec // G301: the report goes into the repository (bench/), world-readable like the rest of it
		return err
	}
	return os.WriteFile(out, report.Bytes(), 0o644) //nolint:gosec // G306: the report goes into the repository (bench/results.md), world-readable like the rest of it
}

// target is one goal of an issue and what the run measured.
type target struct {
	what, goal string
	got        string
	met        bool
}

func latencyName(d time.Duration) string {
	if d == 0 {
		return "0 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func terraformVersion() string {
	b, err := exec.CommandContext(context.Background(), "terraform", "version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "Terraform ")
}

// measure runs validate, apply and a no-op plan of the configuration (given
// the emulator's base URL) against a fresh emulator that delays every API
// response by latency.
// Each of after runs once the no-op plan is done, against the same emulator.
func measure(providerBin string, config func(baseURL string) string, latency time.Duration, after ...func(*emulator.Emulator, string) error) ([]phase, error) {
	ws, err := newWorkspace(latency, "cfiam/cfiam", providerBin, config)
	if err != nil {
		return nil, err
	}
	defer ws.close()
	emu, dir, env := ws.emu, ws.dir, ws.env

	var phases []phase
	for _, step := range []struct {
		name string
		args []string
		ok   func(code int) bool
	}{
		{"validate", []string{"validate", "-no-color"}, func(c int) bool { return c == 0 }},
		{"apply", []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}, func(c int) bool { return c == 0 }},
		{"no-op plan", []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"}, func(c int) bool { return c == 0 }},
	} {
		if step.name == "no-op plan" {
			// Under Cloudflare's limit, counted from this command's first request.
			emu.SetRateLimit(emulator.CloudflareRateLimit)
		}
		before := emu.Stats()
		p, err := runTerraform(dir, env, step.args, step.ok)
		if err != nil {
			return nil, fmt.Errorf("terraform %s: %w", step.name, err)
		}
		after := emu.Stats()
		p.name = step.name
		p.requests = after.Requests - before.Requests
		p.routes = map[string]int{}
		for route, n := range after.ByRoute {
			if d := n - before.ByRoute[route]; d > 0 {
				p.routes[route] = d
			}
		}
		phases = append(phases, p)
	}
	for _, f := range after { // still under the rate limit, in the no-op plan's window
		if err := f(emu, ws.baseURL); err != nil {
			return nil, err
		}
	}
	return phases, nil
}

// workspace is a fresh emulator served on loopback, delaying every API
// response by a latency, and a working directory whose configuration
// (config, given the emulator's base URL) Terraform runs with the provider
// of source (such as cfiam/cfiam) taken from the binary bin through
// dev_overrides: no terraform init.
type workspace struct {
	emu     *emulator.Emulator
	srv     *http.Server
	dir     string
	env     []string
	baseURL string // the emulator's API root
}

func newWorkspace(latency time.Duration, source, bin string, config func(baseURL string) string) (*workspace, error) {
	emu := emulator.New()
	emu.SetLatency(latency)
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	ws := &workspace{emu: emu, srv: srv, baseURL: "http://" + ln.Addr().String() + "/client/v4"}
	if ws.dir, err = os.MkdirTemp("", "cfiam-bench-"); err != nil {
		ws.close()
		return nil, err
	}
	cli := filepath.Join(ws.dir, "cli.tfrc")
	overrides := ""
	if source != "" {
		overrides = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", source, filepath.Dir(bin))
	}
	if err := os.WriteFile(cli, []byte(overrides), 0o600); err != nil {
		ws.close()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(ws.dir, "main.tf"), []byte(config(ws.baseURL)), 0o600); err != nil {
		ws.close()
		return nil, err
	}
	ws.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return ws, nil
}

func (ws *workspace) close() {
	_ = ws.srv.Close()
	if ws.dir != "" {
		_ = os.RemoveAll(ws.dir)
	}
}

// shape is how the members are written: one block each or one for_each
// block (layout), and with one account-wide policy each or three (policies).
type shape struct {
	layout   string
	policies int
}

const (
	layoutBlocks  = "blocks"
	layoutForEach = "for_each"
)

// config is n members written in the shape sh.
func config(n int, sh shape) func(baseURL string) string {
	return func(baseURL string) string { return membersConfig(n, baseURL, sh) }
}

// groupsConfig is n members and groups user groups with one account-wide
// policy each, every member in one group: the first half of the groups list
// their members with cfiam_user_group_members, the second half through one
// cfiam_user_group_membership per member.
func groupsConfig(n, groups int, sh shape) func(baseURL string) string {
	memberID := "local.member_ids[email]"
	if sh.layout == layoutForEach {
		memberID = "cfiam_account_member.m[email].id"
	}
	return func(baseURL string) string {
		return membersConfig(n, baseURL, sh) + fmt.Sprintf(`
locals {
  groups  = %[1]d
  members = [for i in range(%[2]d) : format("member%%04d@example.com", i)]
  # group g holds members g, g + groups, g + 2 * groups, ...
  member_groups = { for i, email in local.members : email => i %% local.groups }
}

resource "cfiam_user_group" "g" {
  count    = local.groups
  name     = format("group-%%03d", count.index)
  policies = [{ access = "allow", roles = ["Audit Logs Viewer"] }]
}

resource "cfiam_user_group_members" "g" {
  count         = local.groups / 2
  user_group_id = cfiam_user_group.g[count.index].id
  member_ids    = [for email, g in local.member_groups : %[3]s if g == count.index]
}

resource "cfiam_user_group_membership" "m" {
  for_each      = { for email, g in local.member_groups : email => g if g >= local.groups / 2 }
  user_group_id = cfiam_user_group.g[each.value].id
  member_id     = %[4]s
}
`, groups, n, memberID, strings.ReplaceAll(memberID, "email", "each.key"))
	}
}

func membersConfig(n int, baseURL string, sh shape) string {
	policies := `[{ access = "allow", roles = ["Analytics"] }]`
	if sh.policies == 3 {
		policies = fmt.Sprintf(`[
    { access = "allow", roles = ["Analytics"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%q] },
    { access = "allow", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%q] },
  ]`, emulator.ZoneExampleCom, emulator.TunnelAppA)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}

provider "cfiam" {
  api_token  = %q
  account_id = %q
  base_url   = %q
}
`, emulator.AdminToken, emulator.AccountID, baseURL)
	if sh.layout == layoutForEach {
		fmt.Fprintf(&b, `
resource "cfiam_account_member" "m" {
  for_each = toset([for i in range(%d) : format("member%%04d@example.com", i)])
  email    = each.key
  policies = %s
}
`, n, policies)
		return b.String()
	}
	// One block per member, as cfiam export and terraform query write them;
	// member_ids is what the groups scenario refers to them by.
	for i := range n {
		fmt.Fprintf(&b, "\nresource \"cfiam_account_member\" \"m%04d\" {\n  email    = \"member%04d@example.com\"\n  policies = %s\n}\n", i, i, policies)
	}
	b.WriteString("\nlocals {\n  member_ids = {\n")
	for i := range n {
		fmt.Fprintf(&b, "    \"member%04d@example.com\" = cfiam_account_member.m%04d.id\n", i, i)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// terraformFloor times a no-op plan of n terraform_data resources, applied
// first: Terraform's own cost of planning n resources, with no plugin.
func terraformFloor(n int, layout string) (apply, plan time.Duration, err error) {
	dir, err := os.MkdirTemp("", "cfiam-bench-floor-")
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(floorConfig(n, layout)), 0o600); err != nil {
		return 0, 0, err
	}
	env := append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	zero := func(c int) bool { return c == 0 }
	a, err := runTerraform(dir, env, []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}, zero)
	if err != nil {
		return 0, 0, err
	}
	p, err := runTerraform(dir, env, []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"}, zero)
	return a.wall, p.wall, err
}

// floorConfig is n terraform_data resources in the layout of the members.
func floorConfig(n int, layout string) string {
	if layout == layoutBlocks {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "resource \"terraform_data\" \"m%04d\" {\n  input = \"member%04d@example.com\"\n}\n", i, i)
		}
		return b.String()
	}
	return fmt.Sprintf(`resource "terraform_data" "m" {
  for_each = toset([for i in range(%d) : format("member%%04d@example.com", i)])
  input    = each.key
}
`, n)
}

// runTerraform runs terraform while sampling the provider processes' peak
// resident memory and CPU time from /proc.
func runTerraform(dir string, env, args []string, ok func(int) bool) (phase, error) {
	cmd := exec.CommandContext(context.Background(), "terraform", args...) //nolint:gosec // G204: args are the fixed steps listed in measure
	cmd.Dir, cmd.Env = dir, env
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	var peak atomic.Int64
	cpu := map[int]time.Duration{}
	var mu sync.Mutex
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return phase{}, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			for pid, s := range providerProcesses(cmd.Process.Pid) {
				if s.hwmKB > peak.Load() {
					peak.Store(s.hwmKB)
				}
				mu.Lock()
				cpu[pid] = max(cpu[pid], s.cpu)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	own, children, cpuErr := exitedCPU(cmd.Process.Pid)
	close(stop)
	<-done
	err := cmd.Wait()
	wall := time.Since(start)
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		return phase{}, err
	}
	if !ok(code) {
		tail := output.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return phase{}, fmt.Errorf("exit %d:\n%s", code, tail)
	}
	var total time.Duration
	for _, c := range cpu {
		total += c
	}
	if cpuErr != nil {
		// Without /proc: what Wait reports, the reaped providers' CPU included.
		own, children = cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime(), 0
		fmt.Fprintf(os.Stderr, "bench: terraform's own CPU includes its providers' (%v)\n", cpuErr)
	}
	return phase{wall: wall, peakRSSKB: peak.Load(), cpu: total, processes: len(cpu), terraformCPU: own, childrenCPU: children}, nil
}

type procSample struct {
	hwmKB int64
	cpu   time.Duration
}

// providerProcesses samples every running provider process that parent
// started (not those of other commands on the machine).
func providerProcesses(parent int) map[int]procSample {
	out := map[int]procSample{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
			continue
		}
		var s procSample
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		ppid := -1
		for _, line := range strings.Split(string(status), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			switch f[0] {
			case "VmHWM:":
				s.hwmKB, _ = strconv.ParseInt(f[1], 10, 64)
			case "PPid:":
				ppid, _ = strconv.Atoi(f[1])
			}
		}
		if ppid != parent {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			// Fields after the command name (which may hold spaces): utime is 14th, stime 15th overall.
			if i := bytes.LastIndexByte(stat, ')'); i > 0 {
				f := strings.Fields(string(stat[i+1:]))
				if len(f) > 12 {
					ut, _ := strconv.ParseInt(f[11], 10, 64)
					st, _ := strconv.ParseInt(f[12], 10, 64)
					s.cpu = time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
				}
			}
		}
		out[pid] = s
	}
	return out
}

// emulatorThroughput measures the emulator's requests per second on loopback.
func emulatorThroughput(d time.Duration) (float64, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srv := &http.Server{Handler: emulator.New(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()
	url := "http://" + ln.Addr().String() + "/client/v4/accounts/" + emulator.AccountID + "/members"
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var count atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
				res, err := client.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				if res.StatusCode == http.StatusOK {
					count.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(count.Load()) / d.Seconds(), nil
}

// routeSummary lists requests by route, most first.
func routeSummary(routes map[string]int) string {
	keys := make([]string, 0, len(routes))
	for k := range routes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if routes[keys[i]] != routes[keys[j]] {
			return routes[keys[i]] > routes[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d × `%s`", routes[k], k)
	}
	return strings.Join(parts, ", ")
}
