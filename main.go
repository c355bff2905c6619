package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cfiam/terraform-provider-cfiam/internal/protoserver"
	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// softMemoryLimit keeps the provider's heap near its live size in large
// plans (a thousand members): Go's default lets the heap grow to twice the
// live data between collections. GOMEMLIMIT, when set, wins.
const softMemoryLimit = 96 << 20

// gcPercent lets the heap grow to 9 times its live size between collections,
// up to softMemoryLimit. A plan of a thousand members allocates about 2 GiB of
// short-lived values (the plugin framework's conversions) over a live heap of
// a few MiB: at Go's default of 100 that was 330 collections and 40 % of the
// provider's CPU, at 800 it is 36 (make bench, BenchmarkNoopPlan). GOGC, when
// set, wins.
const gcPercent = 800

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}

	// CFIAM_CPU_PROFILE=dir: each provider process writes a CPU profile of its
	// life to dir/cfiam-<pid>.pprof (bench/README.md: profiling a real plan,
	// where Terraform starts a provider process per graph walk).
	if dir := os.Getenv("CFIAM_CPU_PROFILE"); dir != "" {
		if f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cfiam-%d.pprof", os.Getpid()))); err == nil { //nolint:gosec // G304: the developer's own directory
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}

	// providerserver.Serve, with the framework's server wrapped by
	// protoserver (its package doc says what it adds).
	p := provider.New(version)()
	server := providerserver.NewProtocol6(p)
	server = protoserver.Wrap(p, server, protoserver.QuietLogs("TF_LOG_PROVIDER_CFIAM", debugMode), protoserver.WithoutFromEnv())
	err := tf6server.Serve("registry.terraform.io/cfiam/cfiam", server, opts...)
	if err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err.Error())
	}
}
