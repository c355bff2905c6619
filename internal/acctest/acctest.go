// Package acctest binds the cfiam provider to a local Cloudflare API
// emulator for acceptance tests run with terraform-plugin-testing.
package acctest

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
	"github.com/cfiam/terraform-provider-cfiam/internal/protoserver"
	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

// ProviderVersion is the version the test provider reports (and sends in its User-Agent).
const ProviderVersion = "test"

// TestVerifyWritesAfter is verify_writes_after in acceptance tests run in
// process (see ProviderFactories).
const TestVerifyWritesAfter = "100ms"

// NewEmulator starts a fresh, seeded emulator for one test and returns it
// with the API base URL to give the provider. It stops when the test ends.
func NewEmulator(t testing.TB) (*emulator.Emulator, string) {
	t.Helper()
	emu := emulator.New()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL + "/client/v4"
}

// ProviderFactories returns the factories for resource.TestCase's
// ProtoV6ProviderFactories. The provider reads its environment from env
// only, never from the process, so tests are hermetic and may run in
// parallel; nil means an empty environment.
//
// The check after each policy write (verify_writes_after) waits
// TestVerifyWritesAfter unless env says otherwise: the in-process emulator
// answers in microseconds, so that covers any other writer's read-to-write
// gap and keeps the suite quick; tests of the real CLI use the default.
func ProviderFactories(env map[string]string, opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	return providerFactories(testEnv(env), false, opts)
}

// testEnv is env, with CFIAM_VERIFY_WRITES_AFTER TestVerifyWritesAfter
// unless env sets it.
func testEnv(env map[string]string) func(string) string {
	return func(name string) string {
		if v, ok := env[name]; ok || name != "CFIAM_VERIFY_WRITES_AFTER" {
			return v
		}
		return TestVerifyWritesAfter
	}
}

// ProviderFactoriesReadingOnce is ProviderFactories for the tests that
// count requests or inject faults: the shortcuts' reads are not read again
// by the framework to compare (a second read costs requests of its own, and
// may find a fault where the first did not).
func ProviderFactoriesReadingOnce(env map[string]string, opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	return providerFactories(testEnv(env), true, opts)
}

func providerFactories(getenv func(string) string, readOnce bool, opts []provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	opts = append([]provider.Option{provider.WithEnv(getenv)}, opts...)
	p := provider.New(ProviderVersion, opts...)()
	// The server main serves, so that every acceptance test runs through it,
	// with every answer of its shortcuts compared with the framework's.
	newServer := protoserver.Wrap(p, providerserver.NewProtocol6(p), protoserver.Verify(readOnce))
	return map[string]func() (tfprotov6.ProviderServer, error){
		"cfiam": func() (tfprotov6.ProviderServer, error) { return newServer(), nil },
	}
}

// ProviderConfig is a provider block authenticated as the emulator's
// Super Administrator on its seeded account.
func ProviderConfig(baseURL string) string {
	return ProviderConfigWithToken(baseURL, emulator.AdminToken)
}

// ProviderConfigWithToken is a provider block on the emulator's seeded
// account that authenticates with token.
func ProviderConfigWithToken(baseURL, token string) string {
	return fmt.Sprintf(`
provider "cfiam" {
  api_token   = %[1]q
  account_id  = %[2]q
  base_url    = %[3]q
  max_retries = 0
}
`, token, emulator.AccountID, baseURL)
}

// ProviderConfigWithoutAccount is a provider block authenticated as the
// emulator's Super Administrator with no account ID: for the errors and
// defaults that depend on a missing account.
func ProviderConfigWithoutAccount(baseURL string) string {
	return fmt.Sprintf(`
provider "cfiam" {
  api_token   = %[1]q
  base_url    = %[2]q
  max_retries = 0
}
`, emulator.AdminToken, baseURL)
}

// OfflineProviderConfig is a provider block without credentials: the
// provider then serves its embedded catalog.
func OfflineProviderConfig() string {
	return fmt.Sprintf(`
provider "cfiam" {
  account_id = %[1]q
}
`, emulator.AccountID)
}

// Config joins HCL fragments.
func Config(parts ...string) string {
	return strings.Join(parts, "\n")
}
