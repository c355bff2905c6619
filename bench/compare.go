package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// The schema comparison (-compare, -official): what each resource schema
// costs Terraform itself in a no-op plan of N members. Each configuration
// gets its own emulator (same latency) and working directory, is applied
// once, and then every configuration's no-op plan runs in turn, -plans
// rounds, so that the machine's drift over the run falls on all of them
// alike. Terraform's floor (N terraform_data, no provider) runs beside them.

// variant is one configuration of the comparison.
type variant struct {
	label  string
	source string // provider source for dev_overrides; "" for none (terraform_data)
	bin    string
	config func(baseURL string) string
	env    []string // added to the workspace's environment
	ws     *workspace
	apply  phase
	plans  []phase
	state  int64 // bytes of terraform.tfstate after the apply
}

// parseVariants reads -compare ("label=binary,label=binary", cfiam provider
// binaries, each named terraform-provider-cfiam in a directory of its own)
// and -official (the official provider's binary).
func parseVariants(compare, official string, n int, sh shape) ([]*variant, error) {
	var vs []*variant
	for _, item := range strings.Split(compare, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		label, bin, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("-compare takes label=binary pairs, not %q", item)
		}
		abs, err := filepath.Abs(strings.TrimSpace(bin))
		if err != nil {
			return nil, err
		}
		if filepath.Base(abs) != "terraform-provider-cfiam" {
			return nil, fmt.Errorf("-compare %s: the binary must be named terraform-provider-cfiam (dev_overrides names a directory)", label)
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("-compare %s: %w", label, err)
		}
		vs = append(vs, &variant{label: strings.TrimSpace(label), source: "cfiam/cfiam", bin: abs, config: config(n, sh)})
	}
	if official != "" {
		abs, err := filepath.Abs(official)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("-official: %w", err)
		}
		if !strings.HasPrefix(filepath.Base(abs), "terraform-provider-cloudflare") {
			return nil, fmt.Errorf("-official: the binary must be named terraform-provider-cloudflare[_vX.Y.Z] (dev_overrides names a directory)")
		}
		cfg, err := officialConfig(n)
		if err != nil {
			return nil, err
		}
		vs = append(vs, &variant{label: "official cloudflare_account_member", source: "cloudflare/cloudflare", bin: abs, config: cfg,
			env: []string{"CLOUDFLARE_API_TOKEN=" + emulator.AdminToken}})
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("-compare and -official name no provider")
	}
	vs = append(vs, &variant{label: "floor: terraform_data", config: func(string) string { return floorConfig(n, sh.layout) }})
	return vs, nil
}

// officialConfig is n cloudflare_account_member of the official provider
// (v5; its token comes from CLOUDFLARE_API_TOKEN: its api_token attribute
// refuses the emulator's token, not in Cloudflare's format), each with the policy the cfiam members have: Analytics on the
// account (the account's resource group, as the official provider writes it).
func officialConfig(n int) (func(baseURL string) string, error) {
	roles := catalog.Embedded().Find(catalog.KindRole, "Analytics")
	if len(roles) != 1 {
		return nil, fmt.Errorf("the embedded catalog has %d roles named Analytics", len(roles))
	}
	return func(baseURL string) string {
		var b strings.Builder
		fmt.Fprintf(&b, `terraform {
  required_providers {
    cloudflare = { source = "cloudflare/cloudflare" }
  }
}

provider "cloudflare" {
  base_url = %q
}
`, baseURL)
		for i := range n {
			fmt.Fprintf(&b, `
resource "cloudflare_account_member" "m%04d" {
  account_id = %q
  email      = "member%04d@example.com"
  policies   = [{ access = "allow", permission_groups = [{ id = %q }], resource_groups = [{ id = %q }] }]
}
`, i, emulator.AccountID, i, roles[0].ID, emulator.AccountResourceGroupID)
		}
		return b.String()
	}, nil
}

// compareSchemas applies each variant, runs the no-op plans round by round
// and writes the table to report.
func compareSchemas(vs []*variant, n int, latency time.Duration, rounds int, report *bytes.Buffer) error {
	defer func() {
		for _, v := range vs {
			if v.ws != nil {
				v.ws.close()
			}
		}
	}()
	for _, v := range vs {
		ws, err := newWorkspace(latency, v.source, v.bin, v.config)
		if err != nil {
			return err
		}
		v.ws = ws
		ws.env = append(ws.env, v.env...)
		fmt.Fprintf(os.Stderr, "bench: applying %d resources: %s\n", n, v.label)
		p, err := runTerraform(ws.dir, ws.env, []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"},
			func(c int) bool { return c == 0 })
		if err != nil {
			return fmt.Errorf("%s: terraform apply: %w", v.label, err)
		}
		v.apply = p
		if fi, err := os.Stat(filepath.Join(ws.dir, "terraform.tfstate")); err == nil {
			v.state = fi.Size()
		}
	}
	for round := range rounds {
		for _, v := range vs {
			fmt.Fprintf(os.Stderr, "bench: no-op plan %d of %d: %s\n", round+1, rounds, v.label)
			before := v.ws.emu.Stats()
			code := 0
			p, err := runTerraform(v.ws.dir, v.ws.env, []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"},
				func(c int) bool { code = c; return c == 0 || c == 2 })
			if err != nil {
				return fmt.Errorf("%s: terraform plan: %w", v.label, err)
			}
			p.requests = v.ws.emu.Stats().Requests - before.Requests
			p.changes = code == 2
			v.plans = append(v.plans, p)
		}
	}

	fmt.Fprintf(report, "\n## What the member schema costs Terraform: no-op plan, N=%d, latency %s\n\n", n, latencyName(latency))
	fmt.Fprintf(report, "Each configuration applied once against its own emulator, then %d rounds of no-op plans, one of each configuration "+
		"per round; medians (and the range) of the rounds. Cloudflare's rate limit is off here (the official provider reads each member "+
		"with a GET). terraform's own CPU: the terraform process's user and system CPU without its children's; provider CPU: its "+
		"children's (the provider processes), as the kernel counts them.\n\n", rounds)
	base := median(vs[0].plans, func(p phase) time.Duration { return p.terraformCPU })
	fmt.Fprintln(report, "| configuration | state file | apply wall | apply: terraform's own CPU | no-op plan wall | provider CPU | terraform's own CPU | vs "+vs[0].label+" | requests |")
	fmt.Fprintln(report, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, v := range vs {
		tf := median(v.plans, func(p phase) time.Duration { return p.terraformCPU })
		lo, hi := spread(v.plans, func(p phase) time.Duration { return p.terraformCPU })
		note := ""
		if slices.ContainsFunc(v.plans, func(p phase) bool { return p.changes }) {
			note = " (plan not empty)"
		}
		fmt.Fprintf(report, "| %s%s | %.0f KiB | %.1fs | %.2fs | %.1fs | %.2fs | %.2fs (%.2f–%.2f) | %+.0f %% | %d |\n", v.label, note,
			float64(v.state)/1024, v.apply.wall.Seconds(), v.apply.terraformCPU.Seconds(),
			median(v.plans, func(p phase) time.Duration { return p.wall }).Seconds(),
			median(v.plans, func(p phase) time.Duration { return p.childrenCPU }).Seconds(),
			tf.Seconds(), lo.Seconds(), hi.Seconds(), 100*(tf.Seconds()/base.Seconds()-1), v.plans[len(v.plans)-1].requests)
	}
	// The two counts of the providers' CPU: sampled from /proc while they
	// ran, and the kernel's, of the children terraform reaped.
	var sampled, kernel time.Duration
	for _, v := range vs {
		for _, p := range v.plans {
			sampled += p.cpu
			kernel += p.childrenCPU
		}
	}
	fmt.Fprintf(report, "\nProvider CPU of all these plans: %.2fs sampled from /proc, %.2fs as the kernel counts terraform's reaped children.\n",
		sampled.Seconds(), kernel.Seconds())
	return nil
}

func median(ps []phase, f func(phase) time.Duration) time.Duration {
	ds := make([]time.Duration, len(ps))
	for i, p := range ps {
		ds[i] = f(p)
	}
	slices.Sort(ds)
	if len(ds)%2 == 1 {
		return ds[len(ds)/2]
	}
	return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
}

func spread(ps []phase, f func(phase) time.Duration) (lo, hi time.Duration) {
	for i, p := range ps {
		d := f(p)
		if i == 0 || d < lo {
			lo = d
		}
		if d > hi {
			hi = d
		}
	}
	return lo, hi
}

// runComparison is -compare / -official: the comparison at the largest of
// sizes, at each latency.
func runComparison(compare, official, sizes, latencies, out string, rounds int, sh shape) error {
	ns, lats, err := parseSizesAndLatencies(sizes, latencies)
	if err != nil {
		return err
	}
	if rounds < 1 {
		return fmt.Errorf("-plans must be at least 1")
	}
	if sh.layout != layoutBlocks || sh.policies != 1 {
		return fmt.Errorf("-compare measures members as blocks with one policy each (-layout blocks -policies 1)")
	}
	n := slices.Max(ns)
	var report bytes.Buffer
	writeHeader(&report)
	fmt.Fprintln(&report, "\nMembers written as one resource block each, one account-wide policy each.")
	for _, lat := range lats {
		vs, err := parseVariants(compare, official, n, sh)
		if err != nil {
			return err
		}
		if err := compareSchemas(vs, n, lat, rounds, &report); err != nil {
			return err
		}
	}
	return writeReport(&report, out)
}
