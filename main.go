package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cfiam/cfiam",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
