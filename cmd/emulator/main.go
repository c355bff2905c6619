// Command emulator serves cfiam's local Cloudflare API emulator in the
// foreground: the API under http://ADDR/client/v4 and the control surface
// under http://ADDR/__emulator/.
//
// Flags (each defaulting to its environment variable):
//
//	-addr  ADDR  (EMULATOR_ADDR, default 127.0.0.1:8787)
//	-state PATH  (EMULATOR_STATE) keep the emulator's state durable in PATH:
//	             loaded at start when PATH exists (an unreadable or corrupt
//	             file is a fatal error naming it), seeded and written when it
//	             does not, and saved atomically after every successful write.
//	             Without it the state lives in memory and starts from the seeds.
//	-latency D   (EMULATOR_LATENCY) delay every API response by D, a Go
//	             duration such as 50ms (what a CI runner's distance from
//	             Cloudflare adds); /__emulator/ routes are never delayed.
//	             PUT /__emulator/latency changes it at run time.
//	-rate-limit L (EMULATOR_RATE_LIMIT) "on": Cloudflare's limit of 1,200
//	             requests per 5 minutes per user (429, code 971, Retry-After;
//	             then every call refused for 5 minutes); "REQUESTS/WINDOW"
//	             such as 100/1m for another; default off. PUT
//	             /__emulator/rate_limit changes it at run time.
//	-allow-direct-add (EMULATOR_ALLOW_DIRECT_ADD=1) emulate an account that
//	             may add members directly as "accepted"; by default such an
//	             add is refused as Cloudflare refuses it (400, code 1001,
//	             "automatic verification of new members is not allowed"), and
//	             an invited member becomes accepted with
//	             POST /__emulator/members/{member_id}/accept.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
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
	state := flag.String("state", os.Getenv("EMULATOR_STATE"), "state file to load at start and save after every write (default from EMULATOR_STATE; empty: in memory)")
	latency := flag.String("latency", os.Getenv("EMULATOR_LATENCY"), "delay added to every API response, a Go duration such as 50ms (default from EMULATOR_LATENCY; empty: none)")
	rateLimit := flag.String("rate-limit", os.Getenv("EMULATOR_RATE_LIMIT"), "per-user rate limit: on (Cloudflare's 1200/5m), off, or REQUESTS/WINDOW (default from EMULATOR_RATE_LIMIT; empty: off)")
	directAdd, err := parseAllowDirectAdd(os.Getenv("EMULATOR_ALLOW_DIRECT_ADD"))
	if err != nil {
		log.Fatalf("cfiam emulator: %v", err)
	}
	allowDirectAdd := flag.Bool("allow-direct-add", directAdd, "let members be added directly as accepted (default from EMULATOR_ALLOW_DIRECT_ADD; off: refused as Cloudflare refuses it)")
	flag.Parse()
	d, err := emulator.ParseLatency(*latency)
	if err != nil {
		log.Fatalf("cfiam emulator: %v", err)
	}
	rl, err := emulator.ParseRateLimit(*rateLimit)
	if err != nil {
		log.Fatalf("cfiam emulator: %v", err)
	}
	if err := run(*addr, *state, d, rl, *allowDirectAdd); err != nil {
		log.Fatalf("cfiam emulator: %v", err)
	}
}

// parseAllowDirectAdd reads EMULATOR_ALLOW_DIRECT_ADD: empty is off; else a
// boolean such as 1, 0, true or false.
func parseAllowDirectAdd(s string) (bool, error) {
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("EMULATOR_ALLOW_DIRECT_ADD=%q: 1 to allow adding members directly as accepted, 0 (or unset) to refuse it", s)
	}
	return v, nil
}

func run(addr, state string, latency time.Duration, rateLimit emulator.RateLimit, allowDirectAdd bool) error {
	emu := emulator.New()
	if state != "" {
		_, statErr := os.Stat(state) //nolint:gosec // G703: the operator names the state file; reading it is the point
		var err error
		if emu, err = emulator.NewFromFile(state); err != nil {
			return err
		}
		if statErr == nil {
			log.Printf("cfiam emulator: state loaded from %s", emu.StateFile()) //nolint:gosec // G706: the path is the operator's own flag, logged back to them
		} else {
			log.Printf("cfiam emulator: state seeded, saved to %s", emu.StateFile()) //nolint:gosec // G706: the path is the operator's own flag, logged back to them
		}
	}
	if latency > 0 {
		emu.SetLatency(latency)
		log.Printf("cfiam emulator: every API response delayed by %s", latency) //nolint:gosec // G706: a parsed duration, printed by the emulator itself
	}
	if rateLimit.Requests > 0 {
		emu.SetRateLimit(rateLimit)
		log.Printf("cfiam emulator: rate limit of %s per user", rateLimit) //nolint:gosec // G706: a parsed count and duration, printed by the emulator itself
	}
	if allowDirectAdd {
		emu.SetAllowDirectAdd(true)
		log.Printf("cfiam emulator: members may be added directly as accepted")
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
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
