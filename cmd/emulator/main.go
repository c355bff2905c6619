// Command emulator serves cfiam's local Cloudflare API emulator in the
// foreground: the API under http://ADDR/client/v4 and the control surface
// under http://ADDR/__emulator/.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func main() {
	def := os.Getenv("EMULATOR_ADDR")
	if def == "" {
		def = "127.0.0.1:8787"
	}
	addr := flag.String("addr", def, "address to listen on (default from EMULATOR_ADDR)")
	flag.Parse()
	if err := run(*addr); err != nil {
		log.Fatalf("cfiam emulator: %v", err)
	}
}

func run(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emulator.New(), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The admin token is a public, documented seed; no other credential is ever logged.
	log.Printf("cfiam emulator listening on http://%s/client/v4 (admin token: %s)", ln.Addr(), emulator.AdminToken)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	log.Printf("cfiam emulator stopped")
	return nil
}
