package provider_test

// Three workspaces applying to one member at the same moment (issue 19,
// item 2): the platform's cfiam_account_member and two application teams'
// cfiam_tunnel_binding, each a terraform process of its own (no lock in
// common), started together every round with a change to make. Cloudflare
// replaces a member's policies whole, so a process writing from a read
// older than another's write drops that write's policy; the provider's
// check after each write (verify_writes_after, at its default here) must
// find and repair it. Measured before that check: 2 of 30 such rounds lost
// a policy. The emulator answers each request after 100 ms, so that each
// process's read-to-write gap is as wide as on a real network.

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

const concurrentRounds = 20

func TestAccReliability_threeWorkspacesOneMember(t *testing.T) {
	t.Parallel()
	emu, baseURL := acctest.NewEmulator(t)
	tf := newTFCLI(t, baseURL)
	root := t.TempDir()
	owner, teamA, teamB := filepath.Join(root, "platform"), filepath.Join(root, "team-a"), filepath.Join(root, "team-b")

	writeWorkspace(t, owner, cfiamRequirement+`
variable "role" { type = string }

resource "cfiam_account_member" "shared" {
  email    = "shared@example.com"
  policies = [{ access = "allow", roles = [var.role] }]
}

output "id" { value = cfiam_account_member.shared.id }
`)
	binding := func(tunnel string) string {
		return cfiamRequirement + fmt.Sprintf(`
variable "member_id" { type = string }
variable "role" { type = string }

resource "cfiam_tunnel_binding" "team" {
  member_id  = var.member_id
  roles      = [var.role]
  tunnel_ids = [%q]
}
`, tunnel)
	}
	writeWorkspace(t, teamA, binding(emulator.TunnelAppA))
	writeWorkspace(t, teamB, binding(emulator.TunnelAppB))

	// The roles each workspace grants in round r, written by hand.
	accountRoles := []string{"Analytics", "Administrator Read Only"}
	tunnelRoles := []string{catalog.RoleTunnelAdmin, catalog.RoleTunnelInstanceRead}
	ownerRole := func(r int) string { return accountRoles[r%2] }
	teamARole := func(r int) string { return tunnelRoles[r%2] }
	teamBRole := func(r int) string { return tunnelRoles[(r+1)%2] }

	tf.apply(owner, "-var", "role="+ownerRole(0))
	var memberID string
	tf.outputJSON(owner, "id", &memberID)
	setEmulatorLatency(t, baseURL, "100ms")

	// want is the member's policies after round r, as "role @ objects".
	want := func(r int) []string {
		out := []string{
			ownerRole(r) + " @ " + emulator.AccountID,
			teamARole(r) + " @ " + catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA),
			teamBRole(r) + " @ " + catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppB),
		}
		sort.Strings(out)
		return out
	}
	held := func() []string {
		var out []string
		for _, p := range emulatorPolicies(t, emu, memberID) {
			objects := strings.Join(p.objects, ",")
			if objects == catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID) {
				objects = emulator.AccountID
			}
			out = append(out, p.access+":"+strings.Join(p.roles, ",")+" @ "+objects)
		}
		sort.Strings(out)
		return out
	}
	together := func(runs ...func() (string, int)) {
		var failed []string
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, run := range runs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if out, code := run(); code != 0 {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("exit %d:\n%s", code, lastLines(out, 30)))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(failed) > 0 {
			t.Fatalf("%d of the runs failed:\n%s", len(failed), strings.Join(failed, "\n\n"))
		}
	}
	apply := func(dir string, vars ...string) func() (string, int) {
		return func() (string, int) {
			args := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
			for _, v := range vars {
				args = append(args, "-var", v)
			}
			return tf.run(dir, args...)
		}
	}
	plan := func(dir string, vars ...string) func() (string, int) {
		return func() (string, int) {
			args := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}
			for _, v := range vars {
				args = append(args, "-var", v)
			}
			return tf.run(dir, args...)
		}
	}

	for r := 1; r <= concurrentRounds; r++ {
		ownerVars := []string{"role=" + ownerRole(r)}
		aVars := []string{"member_id=" + memberID, "role=" + teamARole(r)}
		bVars := []string{"member_id=" + memberID, "role=" + teamBRole(r)}
		together(apply(owner, ownerVars...), apply(teamA, aVars...), apply(teamB, bVars...))

		var wantAllow []string
		for _, w := range want(r) {
			wantAllow = append(wantAllow, "allow:"+w)
		}
		if got := held(); strings.Join(got, "\n") != strings.Join(wantAllow, "\n") {
			t.Fatalf("round %d: the member holds\n  %s\nwant\n  %s", r, strings.Join(got, "\n  "), strings.Join(wantAllow, "\n  "))
		}
		// Each workspace re-plans empty (exit 0; 2 would be a change).
		together(plan(owner, ownerVars...), plan(teamA, aVars...), plan(teamB, bVars...))
	}
	setEmulatorLatency(t, baseURL, "0")
	tf.destroy(teamA, "-var", "member_id="+memberID, "-var", "role="+teamARole(concurrentRounds))
	tf.destroy(teamB, "-var", "member_id="+memberID, "-var", "role="+teamBRole(concurrentRounds))
	tf.destroy(owner, "-var", "role="+ownerRole(concurrentRounds))
	if _, ok := emu.Member(emulator.AccountID, memberID); ok {
		t.Fatalf("member %s is still in the emulator after the destroys", memberID)
	}
}

// setEmulatorLatency makes the emulator answer each API request that long
// after it took effect ("0" for none).
func setEmulatorLatency(t *testing.T, baseURL, latency string) {
	t.Helper()
	ctrl := strings.TrimSuffix(baseURL, "/client/v4") + "/__emulator/latency"
	a := callAPI(t, ctrl, emulator.AdminToken, http.MethodPut, "", map[string]string{"latency": latency})
	if a.status != http.StatusOK {
		t.Fatalf("setting the emulator's latency to %s: HTTP %d %s", latency, a.status, a.result)
	}
}
