package emulator

import (
	"reflect"
	"slices"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

type wirePolicy struct {
	ID               string `json:"id"`
	Access           string `json:"access"`
	PermissionGroups []struct {
		ID string `json:"id"`
	} `json:"permission_groups"`
	ResourceGroups []struct {
		ID string `json:"id"`
	} `json:"resource_groups"`
}

func policyBody(id, access, roleID, rgID string) map[string]any {
	p := map[string]any{"access": access, "permission_groups": []any{map[string]any{"id": roleID}},
		"resource_groups": []any{map[string]any{"id": rgID}}}
	if id != "" {
		p["id"] = id
	}
	return p
}

func memberPolicies(t *testing.T, r *apiResp) []wirePolicy {
	t.Helper()
	var m struct{ Policies []wirePolicy }
	r.result(t, &m)
	return m.Policies
}

func policyIDs(ps []MemberPolicy) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// A policy carrying the id of one of the member's policies keeps it; one
// without id, or with an id the member does not have, gets a new one.
func TestMemberUpdateKeepsPolicyIDs(t *testing.T) {
	e, srv := newServer(t)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount).ID
	access := role(t, "Cloudflare Access", catalog.ScopeAccount).ID
	read := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel).ID
	rgA := newRG(t, srv, "app-a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	path := "/accounts/" + AccountID + "/members"

	// On create, ids in the request are ignored.
	r := mustOK(t, api(t, srv, "POST", path, map[string]any{"email": "m@example.com", "status": "pending",
		"policies": []any{policyBody("00000000000000000000000000000001", "allow", minimal, AccountResourceGroupID),
			policyBody("", "allow", read, rgA)}}))
	var created struct {
		ID       string
		Policies []wirePolicy
	}
	r.result(t, &created)
	if len(created.Policies) != 2 || created.Policies[0].ID == "00000000000000000000000000000001" || created.Policies[0].ID == created.Policies[1].ID {
		t.Fatalf("create must assign new, distinct IDs: %+v", created.Policies)
	}
	keepID, dropID := created.Policies[0].ID, created.Policies[1].ID
	admin, _ := e.Member(AccountID, AdminMemberID)
	otherMembersPolicy := admin.Policies[0].ID

	// Update: keep the first policy (by its id, changing its role), drop the
	// second, add one without id, and one carrying another member's policy id.
	upd := mustOK(t, api(t, srv, "PUT", path+"/"+created.ID, map[string]any{"policies": []any{
		policyBody(keepID, "allow", access, AccountResourceGroupID),
		policyBody("", "deny", read, rgA),
		policyBody(otherMembersPolicy, "allow", read, rgA),
	}}))
	got := memberPolicies(t, upd)
	if len(got) != 3 {
		t.Fatalf("policies after update: %+v", got)
	}
	if got[0].ID != keepID || got[0].PermissionGroups[0].ID != access {
		t.Errorf("the policy with its id must keep it (and take the new role): %+v, want id %s", got[0], keepID)
	}
	for i, p := range got[1:] {
		if p.ID == "" || p.ID == keepID || p.ID == dropID || p.ID == otherMembersPolicy {
			t.Errorf("policy %d must get a new ID, got %q (kept %s, dropped %s, other member's %s)", i+1, p.ID, keepID, dropID, otherMembersPolicy)
		}
	}
	if got[1].ID == got[2].ID {
		t.Errorf("new IDs must differ: %s", got[1].ID)
	}
	wantIDs := []string{got[0].ID, got[1].ID, got[2].ID}

	// The same through GET and the Go accessor.
	if g := memberPolicies(t, mustOK(t, api(t, srv, "GET", path+"/"+created.ID, nil))); !reflect.DeepEqual(g, got) {
		t.Errorf("GET after update: %+v, want %+v", g, got)
	}
	m, _ := e.Member(AccountID, created.ID)
	if !reflect.DeepEqual(policyIDs(m.Policies), wantIDs) {
		t.Errorf("emu.Member policies: %v, want %v", policyIDs(m.Policies), wantIDs)
	}
	if a, _ := e.Member(AccountID, AdminMemberID); a.Policies[0].ID != otherMembersPolicy {
		t.Errorf("another member's policy changed ID: %s", a.Policies[0].ID)
	}

	// Another update that keeps every ID (case-insensitively) changes none.
	mustOK(t, api(t, srv, "PUT", path+"/"+created.ID, map[string]any{"policies": []any{
		policyBody(wantIDs[2], "allow", read, rgA),
		policyBody(wantIDs[0], "allow", access, AccountResourceGroupID),
	}}))
	m, _ = e.Member(AccountID, created.ID)
	if !reflect.DeepEqual(policyIDs(m.Policies), []string{wantIDs[2], wantIDs[0]}) {
		t.Errorf("IDs after a reordering update: %v", policyIDs(m.Policies))
	}
}

// Two policies with the same id in one update: 400 code 1001, nothing changes.
func TestMemberUpdateDuplicatePolicyID(t *testing.T) {
	e, srv := newServer(t)
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	id, _ := newMember(t, srv, "m@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	before, _ := e.Member(AccountID, id)
	pid := before.Policies[0].ID
	for _, ids := range [][2]string{{pid, pid}, {"0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF"}} {
		r := api(t, srv, "PUT", "/accounts/"+AccountID+"/members/"+id, map[string]any{"policies": []any{
			policyBody(ids[0], "allow", minimal.ID, AccountResourceGroupID),
			policyBody(ids[1], "allow", access.ID, AccountResourceGroupID),
		}})
		wantErr(t, r, 400, codeValidation)
		if after, _ := e.Member(AccountID, id); !reflect.DeepEqual(after, before) {
			t.Errorf("a refused update changed the member: %+v", after)
		}
	}
	// Duplicate ids on create are ignored, like every id on create.
	r := mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "n@example.com", "policies": []any{
		policyBody(pid, "allow", minimal.ID, AccountResourceGroupID), policyBody(pid, "allow", access.ID, AccountResourceGroupID)}}))
	ps := memberPolicies(t, r)
	if len(ps) != 2 || ps[0].ID == ps[1].ID || slices.Contains([]string{ps[0].ID, ps[1].ID}, pid) {
		t.Errorf("create with duplicate ids: %+v", ps)
	}
}

// Every accepted member reads its own account, whatever its roles; a pending
// member does not.
func TestEveryMemberReadsItsAccount(t *testing.T) {
	_, srv := newServer(t)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	tunnelRead := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel)
	dns := role(t, "Domain DNS", catalog.ScopeZone)
	rgA := newRG(t, srv, "app-a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	rgZ := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	acct := v4 + "/accounts/" + AccountID
	for _, tc := range []struct {
		name, status string
		p            pol
		reads        bool
	}{
		{"Tunnel role only", "accepted", pol{"allow", []catalog.Entry{tunnelRead}, rgA}, true},
		{"Cloudflare Access only", "accepted", pol{"allow", []catalog.Entry{access}, AccountResourceGroupID}, true},
		{"zone role only", "accepted", pol{"allow", []catalog.Entry{dns}, rgZ}, true},
		{"pending, Cloudflare Access", "pending", pol{"allow", []catalog.Entry{access}, AccountResourceGroupID}, false},
		{"pending, Tunnel role", "pending", pol{"allow", []catalog.Entry{tunnelRead}, rgA}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, h := newMember(t, srv, "m-"+itoa(len(tc.name))+tc.status+"@example.com", tc.status, tc.p)
			get := send(t, srv, "GET", acct, nil, h)
			list := send(t, srv, "GET", v4+"/accounts", nil, h)
			listed := ids(t, mustOK(t, list))
			if tc.reads {
				var a struct{ ID, Name string }
				mustOK(t, get).result(t, &a)
				if a.ID != AccountID || a.Name != AccountName {
					t.Errorf("GET account: %+v", a)
				}
				if !reflect.DeepEqual(listed, []string{AccountID}) {
					t.Errorf("GET /accounts: %v, want the account", listed)
				}
			} else {
				wantErr(t, get, 403, codeAuthError)
				if len(listed) != 0 {
					t.Errorf("a pending member lists %v", listed)
				}
			}
			// Reading the account is all it gives: no account write, no members.
			wantErr(t, send(t, srv, "PUT", acct, map[string]any{"name": "x"}, h), 403, codeAuthError)
			wantErr(t, send(t, srv, "GET", acct+"/members", nil, h), 403, codeAuthError)
		})
	}
}
