package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// providerBuild is the provider binary built for the tests that run
// terraform with the provider as a plugin (dev_overrides): built once per
// test process, by the first test that needs it (linking it costs 10 to 20 s
// of CPU, so a build per test was most of their time), and removed by
// RemoveProviderBinary in the package's TestMain.
var providerBuild struct {
	sync.Mutex
	dir string
	err error
}

// ProviderBinary returns the directory of a terraform-provider-cfiam built
// from this module (once per test process; a failed build fails every test
// that asks for it, with the build's output).
func ProviderBinary(t testing.TB) string {
	t.Helper()
	providerBuild.Lock()
	defer providerBuild.Unlock()
	if providerBuild.dir == "" && providerBuild.err == nil {
		providerBuild.dir, providerBuild.err = buildProvider()
	}
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// RemoveProviderBinary removes what ProviderBinary built, if anything: call
// it from TestMain after m.Run.
func RemoveProviderBinary() {
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
}

func buildProvider() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("building the provider: cannot find the module's source")
	}
	dir, err := os.MkdirTemp("", "cfiam-test-provider-") //nolint:usetesting // shared by the tests of this process, removed by RemoveProviderBinary
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-cfiam"), ".") //nolint:gosec,noctx // G204: go build of this module into a temp dir; not one test's: it serves them all
	build.Dir = filepath.Join(filepath.Dir(file), "..", "..")                                       // the module root, from internal/acctest
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return dir, nil
}
