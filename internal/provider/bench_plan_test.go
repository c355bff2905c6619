package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/protoserver"
	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

// BenchmarkNoopPlan profiles the provider's side of a no-op `terraform plan`
// of many members, the case bench/main.go measures end to end. The provider
// is served from this process (TF_REATTACH_PROVIDERS), so its CPU shows in
// this process's profile. Benchmarks do not run in `make test`; run it with
//
//	go test ./internal/provider -run '^$' -bench BenchmarkNoopPlan -benchtime 1x
//
// Environment:
//   - CFIAM_BENCH_N: the member count (300);
//   - CFIAM_BENCH_PROFILE: a file for a CPU profile of the plan alone (-cpuprofile
//     would take in the apply that sets it up);
//   - CFIAM_BENCH_HEAPPROFILE: a file for a heap profile of what is live after the plan;
//   - CFIAM_BENCH_UNWRAPPED=1: serve the framework's server as providerserver does,
//     without protoserver (to compare);
//   - CFIAM_SHORTCUTS_OFF: protoserver's shortcuts to turn off (plan, read, validate, all).
//
// cpu-ms/resource is this process's CPU (the provider's, and the emulator's
// few requests) per member; terraform's own is not in it.
func BenchmarkNoopPlan(b *testing.B) {
	n := 300
	if s := os.Getenv("CFIAM_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("CFIAM_BENCH_N=%q: want a positive count", s)
		}
	}
	unwrapped := os.Getenv("CFIAM_BENCH_UNWRAPPED") == "1"
	if !unwrapped { // as main does
		protoserver.QuietUnreadLogs(os.Environ(), func(k, v string) error { b.Setenv(k, v); return nil }, "TF_LOG_PROVIDER_CFIAM")
	}
	// As main does too: GC pacing is part of the CPU cost.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(96 << 20))
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(800))
	}

	_, baseURL := acctest.NewEmulator(b)
	dir := b.TempDir()
	writeFile(b, filepath.Join(dir, "cli.tfrc"), `disable_checkpoint = true
provider_installation {
  filesystem_mirror {
    path    = "`+filepath.ToSlash(filepath.Join(dir, "no-mirror"))+`"
    include = ["*/*/*"]
  }
}
`)
	writeFile(b, filepath.Join(dir, "work", "main.tf"), benchMembersConfig(n, baseURL))
	// Each command gets a provider server of its own, stopped after it (and
	// after then), as each gets a provider process of its own outside tests.
	tf := func(then func(), args ...string) {
		reattach, stop := serveProviderTB(b, unwrapped)
		defer stop()
		terraformCLITB(b, filepath.Join(dir, "work"), []string{
			"TF_CLI_CONFIG_FILE=" + filepath.Join(dir, "cli.tfrc"),
			"TF_REATTACH_PROVIDERS=" + reattach,
			"HOME=" + dir,
			"CHECKPOINT_DISABLE=1",
			"TF_IN_AUTOMATION=1",
		})(0, args...)
		then()
	}
	tf(func() {}, "init", "-input=false")
	tf(func() {}, "apply", "-input=false", "-auto-approve", "-parallelism=10")

	stopProfile := startCPUProfile(b, os.Getenv("CFIAM_BENCH_PROFILE"))
	b.ResetTimer()
	cpu0 := processCPU(b)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := range b.N {
		tf(func() {
			if i < b.N-1 {
				return
			}
			b.StopTimer()
			cpu := processCPU(b) - cpu0
			runtime.ReadMemStats(&ms1)
			stopProfile()
			per := float64(b.N * n)
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/per, "cpu-ms/resource")
			b.ReportMetric(float64(b.Elapsed())/float64(time.Millisecond)/per, "wall-ms/resource")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/1024/per, "alloc-KiB/resource")
			b.ReportMetric(float64(ms1.NumGC-ms0.NumGC)/float64(b.N), "gc/op")
			// What the provider server still holds, before it stops.
			b.ReportMetric(float64(liveHeap())/1024, "live-KiB")
			if path := os.Getenv("CFIAM_BENCH_HEAPPROFILE"); path != "" {
				writeHeapProfile(b, path)
			}
		}, "plan", "-input=false", "-detailed-exitcode", "-parallelism=10") // exit 0: no changes
	}
}

// benchMembersConfig is bench/main.go's configuration: n members, one
// resource block and one account-wide policy each.
func benchMembersConfig(n int, baseURL string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "\nresource \"cfiam_account_member\" \"m%04d\" {\n  email    = \"member%04d@example.com\"\n"+
			"  policies = [{ access = \"allow\", roles = [\"Analytics\"] }]\n}\n", i, i)
	}
	return acctest.Config(`
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
`, acctest.ProviderConfig(baseURL), b.String())
}

// startCPUProfile profiles this process into path ("" for none) until the
// returned function is called.
func startCPUProfile(tb testing.TB, path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path) //nolint:gosec // G304: the profile path the developer asked for
	if err != nil {
		tb.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		tb.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// liveHeap is the size of the live heap.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// writeHeapProfile writes a heap profile of what is live now.
func writeHeapProfile(tb testing.TB, path string) {
	runtime.GC()
	f, err := os.Create(path) //nolint:gosec // G304: the profile path the developer asked for
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if err := pprof.WriteHeapProfile(f); err != nil {
		tb.Fatal(err)
	}
}

// processCPU is the user and system CPU time this process has used.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// terraformCLITB is terraformCLI for a benchmark, with a longer deadline: a
// thousand members take minutes to apply.
func terraformCLITB(tb testing.TB, dir string, env []string) func(wantCode int, args ...string) string {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	return terraformRunner(tb, bin, dir, env, 30*time.Minute)
}

// serveProviderTB is serveProvider for a benchmark: it returns the
// TF_REATTACH_PROVIDERS value and a function that stops the server.
// unwrapped serves the framework's server as providerserver does. (No
// logging sink: terraform-plugin-go's takes a *testing.T.)
func serveProviderTB(tb testing.TB, unwrapped bool) (string, func()) {
	tb.Helper()
	// As main serves it: without the acceptance tests' verification, and
	// with CFIAM_SHORTCUTS_OFF's shortcuts off.
	p := provider.New(acctest.ProviderVersion, provider.WithEnv(func(string) string { return "" }))()
	factory := providerserver.NewProtocol6(p)
	if !unwrapped {
		factory = protoserver.Wrap(p, factory, protoserver.WithoutFromEnv())
	}
	return serveReattach(tb, factory)
}
