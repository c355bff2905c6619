package emulator

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Every route the emulator serves is checked against an independent
// reference: the 2024 contract (TestContract validates every answer with
// kin-openapi) or, where the contract lacks the route or the current SDK
// disagrees with it, cloudflare-go v7's types (the decode tests, which read
// each answer with the SDK, and the raw-shape tests). TestEveryRouteCovered
// runs those tests and fails on any route of apiRoutes() none of them
// exercised: a route added without its contract or decode test.

// exercised records, per test (its full name), the routes its emulators
// served: newServer's clean-up adds them from the emulator's own counters.
var (
	exercisedMu sync.Mutex
	exercised   = map[string]map[string]int{}
)

func recordExercised(test string, byRoute map[string]int) {
	exercisedMu.Lock()
	defer exercisedMu.Unlock()
	if exercised[test] == nil {
		exercised[test] = map[string]int{}
	}
	for k, n := range byRoute {
		exercised[test][k] += n
	}
}

// exercisedUnder returns the routes served in the test named prefix and its subtests.
func exercisedUnder(prefix string) map[string]bool {
	exercisedMu.Lock()
	defer exercisedMu.Unlock()
	out := map[string]bool{}
	for test, routes := range exercised {
		if test != prefix && !strings.HasPrefix(test, prefix+"/") {
			continue
		}
		for k, n := range routes {
			if n > 0 {
				out[k] = true
			}
		}
	}
	return out
}

// routeCoverers are the contract and decode tests.
var routeCoverers = []struct {
	name string
	fn   func(*testing.T)
}{
	{"TestContract", TestContract},
	{"TestDecodeAccountsUserZones", TestDecodeAccountsUserZones},
	{"TestDecodeCatalog", TestDecodeCatalog},
	{"TestDecodeMembersAndResourceGroups", TestDecodeMembersAndResourceGroups},
	{"TestDecodeTokens", TestDecodeTokens},
	{"TestDecodeTunnelsAndRoutes", TestDecodeTunnelsAndRoutes},
	{"TestDecodeMeshNodes", TestDecodeMeshNodes},
	{"TestDecodeAccessKinds", TestDecodeAccessKinds},
	{"TestDecodeUserGroups", TestDecodeUserGroups},
	{"TestShapes_resourceGroupScopeIsOneObject", TestShapes_resourceGroupScopeIsOneObject},
	{"TestShapes_resourceGroupListIsOnePage", TestShapes_resourceGroupListIsOnePage},
	{"TestShapes_rolePermissionsAreAnObject", TestShapes_rolePermissionsAreAnObject},
}

// uncovered lists the routes (as "METHOD /pattern") that covered lacks.
func uncovered(routes []*apiRoute, covered map[string]bool) []string {
	var out []string
	for _, rt := range routes {
		if !covered[rt.key()] {
			out = append(out, rt.key())
		}
	}
	sort.Strings(out)
	return out
}

func TestEveryRouteCovered(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range routeCoverers {
		t.Run(c.name, c.fn)
		for k := range exercisedUnder(t.Name() + "/" + c.name) {
			covered[k] = true
		}
	}
	if t.Failed() {
		t.Fatal("a contract or decode test failed; coverage not judged")
	}
	if missing := uncovered(apiRoutes(), covered); len(missing) > 0 {
		t.Errorf("emulator routes no contract or decode test exercises (add them to TestContract if the contract has the route, "+
			"else to a decode test reading the answer with cloudflare-go v7): %v", missing)
	}
	// The check can fail: a route nobody exercises is reported.
	extra := route("GET", "/accounts/{account_id}/not_exercised", nil)
	if got := uncovered(append(apiRoutes(), extra), covered); !slices.Contains(got, extra.key()) {
		t.Errorf("uncovered() missed a route no test exercises: %v", got)
	}
}
