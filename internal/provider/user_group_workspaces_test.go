package provider_test

// User groups across workspaces and under faults (issue 15's "Done when"):
// a platform workspace owns a group's policies while an application
// workspace adds its member with cfiam_user_group_membership, and 50
// memberships across 5 groups are applied while 20% of requests fail. Both
// run the real terraform CLI (newTFCLI) against an in-process emulator and
// check the emulator's own state.

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// groupMembersInEmulator returns the member IDs of a group as the emulator
// holds them, sorted, duplicates kept.
func groupMembersInEmulator(t *testing.T, emu *emulator.Emulator, groupID string) []string {
	t.Helper()
	g, ok := emu.UserGroup(emulator.AccountID, groupID)
	if !ok {
		t.Fatalf("the emulator has no user group %s", groupID)
	}
	out := []string{}
	for _, m := range g.Members {
		out = append(out, m.MemberID)
	}
	sort.Strings(out)
	return out
}

// groupPoliciesInEmulator returns a group's policies as "access roles|objects", sorted.
func groupPoliciesInEmulator(t *testing.T, emu *emulator.Emulator, groupID string) []string {
	t.Helper()
	var out []string
	for _, p := range emulatorGroupPolicies(t, emu, groupID) {
		roles := slices.Clone(p.roles)
		sort.Strings(roles)
		out = append(out, p.access+" "+strings.Join(roles, ",")+"|"+strings.Join(p.objects, ","))
	}
	sort.Strings(out)
	return out
}

func sortedCopy(s ...string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

// TestAccUserGroup_twoWorkspaces: workspace A (platform) owns a group's
// policies and adds its own member additively; workspace B (application)
// creates its member and adds it to A's group, found by name with the
// cfiam_user_group data source. Each re-plans empty after the other's
// applies, including after A changes the group's policies, and the emulator
// holds both members and A's policies throughout.
func TestAccUserGroup_twoWorkspaces(t *testing.T) {
	t.Parallel()
	f := newFaultCountingEmulator(t)
	f.emu.SetAllowDirectAdd(true) // its configuration adds members as accepted: an account that allows direct adds
	tf := newTFCLI(t, f.baseURL)
	dirA, dirB := filepath.Join(t.TempDir(), "platform"), filepath.Join(t.TempDir(), "app")
	comKey := catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)

	platform := func(policies string) string {
		return cfiamRequirement + fmt.Sprintf(`
resource "cfiam_user_group" "platform" {
  name     = "platform-admins"
  policies = [%s]
}

resource "cfiam_account_member" "owner" {
  email    = "owner@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}

resource "cfiam_user_group_membership" "owner" {
  user_group_id = cfiam_user_group.platform.id
  member_id     = cfiam_account_member.owner.id
}
`, policies)
	}
	app := cfiamRequirement + fmt.Sprintf(`
data "cfiam_user_group" "platform" {
  name = "platform-admins"
}

resource "cfiam_account_member" "dev" {
  email    = "dev@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Domain DNS"], zone_ids = [%q] }]
}

resource "cfiam_user_group_membership" "dev" {
  user_group_id = data.cfiam_user_group.platform.id
  member_id     = cfiam_account_member.dev.id
}
`, emulator.ZoneExampleCom)

	// check compares the emulator's one group with what both workspaces declare.
	check := func(when string, wantMembers []string, wantPolicies ...string) {
		t.Helper()
		groups := f.emu.UserGroups(emulator.AccountID)
		if len(groups) != 1 || groups[0].Name != "platform-admins" {
			t.Fatalf("%s: the emulator holds user groups %+v, want exactly platform-admins", when, groups)
		}
		if got, want := groupMembersInEmulator(t, f.emu, groups[0].ID), sortedCopy(wantMembers...); !slices.Equal(got, want) {
			t.Fatalf("%s: members of platform-admins in the emulator %q, want %q", when, got, want)
		}
		if got, want := groupPoliciesInEmulator(t, f.emu, groups[0].ID), sortedCopy(wantPolicies...); !slices.Equal(got, want) {
			t.Fatalf("%s: policies of platform-admins in the emulator:\n got  %q\n want %q", when, got, want)
		}
	}
	memberID := func(email string) string {
		t.Helper()
		m, ok := memberByEmail(f.emu, email)
		if !ok {
			t.Fatalf("the emulator has no member %s", email)
		}
		return m.ID
	}

	readOnly := `{ access = "allow", roles = ["Administrator Read Only"] }`
	writeWorkspace(t, dirA, platform(readOnly))
	tf.apply(dirA)
	owner := memberID("owner@example.com")
	check("after A's first apply", []string{owner}, "allow Administrator Read Only|"+accountKey)

	writeWorkspace(t, dirB, app)
	tf.apply(dirB)
	dev := memberID("dev@example.com")
	check("after B's apply", []string{owner, dev}, "allow Administrator Read Only|"+accountKey)
	tf.expectEmptyPlan(dirA, "A, after B added its member to A's group")
	tf.expectEmptyPlan(dirB, "B, after its own apply")

	// A changes the group's policies: B's membership stays, B re-plans empty.
	writeWorkspace(t, dirA, platform(readOnly+`,
    { access = "allow", roles = ["Domain DNS"], zone_ids = ["`+emulator.ZoneExampleCom+`"] }`))
	tf.apply(dirA)
	check("after A changed the group's policies", []string{owner, dev},
		"allow Administrator Read Only|"+accountKey, "allow Domain DNS|"+comKey)
	tf.expectEmptyPlan(dirB, "B, after A changed the group's policies")
	tf.expectEmptyPlan(dirA, "A, after its policy change")

	// B applies again (nothing to do) and then leaves: A's member and policies stay.
	tf.apply(dirB)
	tf.expectEmptyPlan(dirA, "A, after B's second apply")
	tf.destroy(dirB)
	check("after B's destroy", []string{owner}, "allow Administrator Read Only|"+accountKey, "allow Domain DNS|"+comKey)
	if _, ok := f.emu.Member(emulator.AccountID, dev); ok {
		t.Fatalf("B's member %s is still in the account after B's destroy", dev)
	}
	tf.expectEmptyPlan(dirA, "A, after B's destroy")
}

// TestAccReliability_userGroupMemberships applies 5 user groups and 50
// cfiam_user_group_membership (10 a group, members made outside Terraform)
// at -parallelism=10 while 20% of API requests fail with 429, 500, 502 or
// 503; then, with faults off, checks in the emulator that each group holds
// exactly its 10 members once each, that there is no other group, and
// expects an empty plan. (The emulator's faults fail a request before it
// takes effect; it has no faults that take effect and then fail.)
func TestAccReliability_userGroupMemberships(t *testing.T) {
	t.Parallel()
	const groups, perGroup = 5, 10
	f := newFaultCountingEmulator(t)
	tf := newTFCLI(t, f.baseURL)
	dir := filepath.Join(t.TempDir(), "memberships")
	if n := len(f.emu.UserGroups(emulator.AccountID)); n != 0 {
		t.Fatalf("the emulator starts with %d user groups, want none", n)
	}

	members := make([]string, groups*perGroup)
	for i := range members {
		members[i] = outsideMember(t, f.baseURL, fmt.Sprintf("crew-%02d@example.com", i))
	}
	groupName := func(g int) string { return fmt.Sprintf("crew-%d", g) }
	var b strings.Builder
	b.WriteString(cfiamRequirement + retryingProvider)
	for g := range groups {
		fmt.Fprintf(&b, `
resource "cfiam_user_group" "g%[1]d" {
  name     = %[2]q
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}
`, g, groupName(g))
	}
	for i, id := range members {
		fmt.Fprintf(&b, `
resource "cfiam_user_group_membership" "m%02[1]d" {
  user_group_id = cfiam_user_group.g%[2]d.id
  member_id     = %[3]q
}
`, i, i%groups, id)
	}
	writeWorkspace(t, dir, b.String())
	f.figures()

	f.setFaults(t, `{"rate":0.2,"statuses":[429,500,502,503],"retry_after_seconds":0}`)
	start := time.Now()
	out, code := tf.run(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	f.setFaults(t, `{"rate":0}`)
	requests, faults, byMethod := f.figures()
	t.Logf("apply of %d groups and %d memberships with 20%% faults: %s, exit %d; %d API requests (%v), %d faults injected (%v)",
		groups, len(members), time.Since(start).Round(time.Millisecond), code, requests, byMethod, totalFaults(faults), faults)
	if code != 0 {
		t.Fatalf("terraform apply with 20%% faults failed (exit %d):\n%s", code, lastLines(out, 60))
	}
	if totalFaults(faults) == 0 {
		t.Fatal("no fault was injected: the test proves nothing")
	}

	// The emulator, independently of Terraform: exactly the 5 groups, once
	// each, each with exactly its 10 members, once each.
	var problems []string
	byName := map[string][]emulator.UserGroup{}
	for _, g := range f.emu.UserGroups(emulator.AccountID) {
		byName[g.Name] = append(byName[g.Name], g)
	}
	for g := range groups {
		name := groupName(g)
		found := byName[name]
		delete(byName, name)
		if len(found) != 1 {
			problems = append(problems, fmt.Sprintf("group %s is there %d times", name, len(found)))
			if len(found) == 0 {
				continue
			}
		}
		var want []string
		for i := g; i < len(members); i += groups {
			want = append(want, members[i])
		}
		sort.Strings(want)
		if got := groupMembersInEmulator(t, f.emu, found[0].ID); !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("group %s members (%d):\n  got  %q\n  want %q", name, len(got), got, want))
		}
		if got, want := groupPoliciesInEmulator(t, f.emu, found[0].ID),
			[]string{"allow Administrator Read Only|" + accountKey}; !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("group %s policies %q, want %q", name, got, want))
		}
	}
	for name, gs := range byName {
		problems = append(problems, fmt.Sprintf("undeclared group %s (%d times)", name, len(gs)))
	}
	if len(problems) > 0 {
		t.Fatalf("the emulator does not hold exactly the declared groups and memberships:\n%s", strings.Join(problems, "\n"))
	}
	if n := countStateResources(t, dir, "cfiam_user_group_membership"); n != len(members) {
		t.Fatalf("the state holds %d memberships, want %d", n, len(members))
	}
	tf.expectEmptyPlan(dir, "after the apply with faults (faults off)")
	requests, _, _ = f.figures()
	t.Logf("empty re-plan: %d API requests", requests)
}
