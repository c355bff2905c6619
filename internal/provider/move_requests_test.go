package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Issue 28, reliability: a move of many members costs no more requests than
// a refresh of them (one paged list, not one GET each). The plan that moves
// them is, to the provider, a MoveResourceState and then a ReadResource per
// member; the refresh after it a ReadResource per member, in a provider
// process of its own. Both run here on the protocol, ten at a time as
// terraform's default parallelism, against one emulator, and the emulator
// counts what each sent.

// movedMembers is how many members move: with the five the emulator state
// holds, 125 members, three pages of 50.
const movedMembers = 120

func TestMoveOfficialMembersCostNoMoreThanARefresh(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	m.emu.SetAllowDirectAdd(true) // the official configurations add members as accepted
	admin := adminClient(t, m.url)
	// Two real official states as templates: alice (account-wide), bob
	// (groups of zones and of a Tunnel, and a deny): every member gets one's
	// policies, its own ID and address.
	templates := []officialInstance{
		officialOne(t, "member-account", "cloudflare_account_member"),
		officialOne(t, "member-zones-and-tunnels", "cloudflare_account_member"),
	}
	ins := make([]officialInstance, movedMembers)
	for i := range ins {
		tmpl := templates[i%len(templates)]
		var attrs map[string]any
		if err := json.Unmarshal(tmpl.Attributes, &attrs); err != nil {
			t.Fatal(err)
		}
		email := fmt.Sprintf("moved-%03d@example.com", i)
		member, err := admin.CreateMember(t.Context(), emulator.AccountID, email, "accepted", officialPolicies(t, attrs["policies"]))
		if err != nil {
			t.Fatal(err)
		}
		attrs["id"], attrs["email"] = member.ID, email
		attrs["user"] = map[string]any{"email": email, "id": member.User.ID, "first_name": nil, "last_name": nil, "two_factor_authentication_enabled": false}
		b, err := json.Marshal(attrs)
		if err != nil {
			t.Fatal(err)
		}
		ins[i] = officialInstance{Type: tmpl.Type, Name: fmt.Sprintf("m%03d", i), SchemaVersion: tmpl.SchemaVersion, Attributes: b}
	}

	// The plan of the moves: the provider process m.srv.
	before := m.emu.Stats()
	moved := make([]*tfprotov6.ReadResourceResponse, len(ins))
	tenAtATime(len(ins), func(i int) error {
		ctx := context.Background()
		resp, err := m.srv.MoveResourceState(ctx, &tfprotov6.MoveResourceStateRequest{
			SourceProviderAddress: officialAddress, SourceTypeName: ins[i].Type, SourceSchemaVersion: ins[i].SchemaVersion,
			SourceState: &tfprotov6.RawState{JSON: ins[i].Attributes}, TargetTypeName: "cfiam_account_member",
		})
		if err != nil {
			return fmt.Errorf("move %s: %w", ins[i].Name, err)
		}
		if resp.TargetState == nil {
			return fmt.Errorf("move %s: %s", ins[i].Name, diagText(resp.Diagnostics))
		}
		read, err := m.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "cfiam_account_member",
			CurrentState: resp.TargetState, Private: resp.TargetPrivate})
		if err != nil {
			return fmt.Errorf("read after moving %s: %w", ins[i].Name, err)
		}
		if read.NewState == nil || isError(read.Diagnostics) {
			return fmt.Errorf("read after moving %s: %s", ins[i].Name, diagText(read.Diagnostics))
		}
		moved[i] = read
		return nil
	}, t)
	moves := routesSince(before, m.emu.Stats())

	// A plain refresh of the moved members: a new provider process.
	refresher := configuredServer(t, m.url)
	before = m.emu.Stats()
	tenAtATime(len(moved), func(i int) error {
		read, err := refresher.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "cfiam_account_member",
			CurrentState: moved[i].NewState, Private: moved[i].Private})
		if err != nil {
			return fmt.Errorf("refresh of %s: %w", ins[i].Name, err)
		}
		if read.NewState == nil || isError(read.Diagnostics) {
			return fmt.Errorf("refresh of %s: %s", ins[i].Name, diagText(read.Diagnostics))
		}
		return nil
	}, t)
	refresh := routesSince(before, m.emu.Stats())

	t.Logf("%d members: the plan of the moves sent %d requests %v; a refresh of them %d %v",
		movedMembers, total(moves), moves, total(refresh), refresh)
	for route := range moves {
		if route[:4] != "GET " {
			t.Errorf("the moves sent %d× %s: a move never writes", moves[route], route)
		}
	}
	if total(moves) > total(refresh) {
		t.Errorf("the moves of %d members sent %d requests, a refresh of them %d: a move must cost no more", movedMembers, total(moves), total(refresh))
	}
	// Written by hand: 125 members are 3 pages of 50 (the first read of a
	// run is a GET); the resource groups (3) one page; nothing else per
	// member.
	for route, most := range map[string]int{
		"GET /accounts/{account_id}/members/{member_id}":                     1,
		"GET /accounts/{account_id}/members":                                 3,
		"GET /accounts/{account_id}/iam/resource_groups":                     1,
		"GET /accounts/{account_id}/iam/resource_groups/{resource_group_id}": 1,
	} {
		if moves[route] > most {
			t.Errorf("the moves of %d members sent %d× %s, want at most %d", movedMembers, moves[route], route, most)
		}
	}
	if total(moves) > 6 {
		t.Errorf("the moves of %d members sent %d requests, want at most 6 (%v)", movedMembers, total(moves), moves)
	}
}

// officialPolicies turns an official state's policies into the API's.
func officialPolicies(t *testing.T, v any) []cfclient.MemberPolicy {
	t.Helper()
	var ps []struct {
		Access           string                `json:"access"`
		PermissionGroups []struct{ ID string } `json:"permission_groups"`
		ResourceGroups   []struct{ ID string } `json:"resource_groups"`
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ps); err != nil {
		t.Fatal(err)
	}
	out := make([]cfclient.MemberPolicy, len(ps))
	for i, p := range ps {
		var pgs, rgs []string
		for _, g := range p.PermissionGroups {
			pgs = append(pgs, g.ID)
		}
		for _, g := range p.ResourceGroups {
			rgs = append(rgs, g.ID)
		}
		out[i] = cfclient.NewMemberPolicy("", p.Access, pgs, rgs)
	}
	return out
}

// tenAtATime runs f(0..n-1), ten at a time, and fails t with the first error.
func tenAtATime(n int, f func(i int) error, t *testing.T) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, 10)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		t.Fatal(first)
	}
}

func isError(ds []*tfprotov6.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// routesSince is the requests by route between two Stats.
func routesSince(before, after emulator.Stats) map[string]int {
	out := maps.Clone(after.ByRoute)
	for route, n := range before.ByRoute {
		out[route] -= n
		if out[route] == 0 {
			delete(out, route)
		}
	}
	return out
}

func total(routes map[string]int) int {
	n := 0
	for _, c := range routes {
		n += c
	}
	return n
}
