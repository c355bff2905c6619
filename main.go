package main

import (
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// softMemoryLimit keeps the provider's heap near its live size in large
// plans (a thousand members): Go's default lets the heap grow to twice the
// live data between collections. GOMEMLIMIT, when set, wins.
const softMemoryLimit = 96 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	var opts []tf6server.ServeOpt
	if debugMode {
		// The developer reads the logs in the terminal: leave them on.
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		provider.QuietUnreadLogs(os.Environ(), os.Setenv)
	}

	// providerserver.Serve, with the framework's server wrapped by
	// provider.ProtocolServer.
	err := tf6server.Serve("registry.terraform.io/cfiam/cfiam", func() tfprotov6.ProviderServer {
		return provider.ProtocolServer(provider.New(version)())
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
