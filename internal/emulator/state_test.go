package emulator

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// serveFile serves an emulator whose state is durable in path.
func serveFile(t *testing.T, path string) (*Emulator, *httptest.Server) {
	t.Helper()
	e, err := NewFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv
}

// snapshot is everything the Go accessors show of the seeded account.
type snapshot struct {
	Members        []Member
	ResourceGroups []ResourceGroup
	UserTokens     []Token
	AccountTokens  []Token
	Tunnels        []Tunnel
	Routes         []Route
	Zones          []Zone
	IAMGroups      []PermissionGroup
	TokenGroups    []TokenPermissionGroup
	UserGroups     []UserGroup
}

func snap(e *Emulator) snapshot {
	return snapshot{e.Members(AccountID), e.ResourceGroups(AccountID), e.UserTokens(), e.AccountTokens(AccountID),
		e.Tunnels(AccountID), e.Routes(AccountID), e.Zones(), e.IAMPermissionGroups(AccountID), e.TokenPermissionGroups(), e.UserGroups(AccountID)}
}

func TestStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e1, srv1 := serveFile(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("a new state file must be written at start: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600 (it holds token hashes)", fi.Mode().Perm())
	}

	read := role(t, catalog.RoleTunnelInstanceRead, catalog.ScopeTunnel)
	rgA := newRG(t, srv1, "app-a", catalog.ResourceKey(catalog.ScopeTunnel, TunnelAppA))
	memberID, memberH := newMember(t, srv1, "m@example.com", "accepted", pol{"allow", []catalog.Entry{read}, rgA})
	userTok := newToken(t, srv1, nil, tokenPol("allow", onAccount, "Account Settings Read"))
	r := mustOK(t, api(t, srv1, "POST", "/accounts/"+AccountID+"/tokens", map[string]any{"name": "acct",
		"policies": []any{tokenPol("allow", onAccount, "Account Settings Read")}}))
	var acctTok struct{ ID, Value string }
	r.result(t, &acctTok)
	mustOK(t, api(t, srv1, "DELETE", "/accounts/"+AccountID+"/cfd_tunnel/"+TunnelAppB, nil))
	mustOK(t, api(t, srv1, "PUT", "/accounts/"+AccountID, map[string]any{"name": "Renamed Account"}))
	e1.PutIAMPermissionGroup(AccountID, "abcdefabcdefabcdefabcdefabcdef01", "Live Only Role", catalog.ScopeAccount)
	groupID := newUserGroup(t, srv1, "readers", pol{"allow", []catalog.Entry{read}, rgA})
	mustOK(t, api(t, srv1, "POST", "/accounts/"+AccountID+"/iam/user_groups/"+groupID+"/members", []any{map[string]any{"id": memberID}}))
	want := snap(e1)
	if len(want.UserGroups) != 1 || len(want.UserGroups[0].Members) != 1 {
		t.Fatalf("user group before reload: %+v", want.UserGroups)
	}
	wantAcct, _ := e1.Account(AccountID)

	// Stats and faults are not state.
	send(t, srv1, "PUT", "/__emulator/faults", map[string]any{"rate": 0}, map[string]string{})

	e2, srv2 := serveFile(t, path)
	if got := snap(e2); !reflect.DeepEqual(got, want) {
		t.Fatalf("state after reload differs:\n got %+v\nwant %+v", got, want)
	}
	if a, _ := e2.Account(AccountID); a != wantAcct {
		t.Errorf("account after reload: %+v, want %+v", a, wantAcct)
	}
	if tun := e2.Tunnels(AccountID); len(tun) != 2 || tun[1].ID != TunnelAppB || tun[1].DeletedAt == nil {
		t.Errorf("the soft-deleted Tunnel must stay soft-deleted: %+v", tun)
	}
	if pols := e2.AccessObjects(AccountID, catalog.ScopeAccessPolicy); len(pols) != 3 || pols[2].ID != AccessPolicyAppA || pols[2].AppID != AccessAppA {
		t.Errorf("the Access policies after reload, app-a's own one attached to app-a: %+v", pols)
	}
	if s := e2.Stats(); s.Requests != 0 {
		t.Errorf("stats must start at zero: %+v", s)
	}

	// Every credential still authenticates, and does what it did.
	mustOK(t, send(t, srv2, "GET", v4+"/user/tokens/verify", nil, bearer(userTok)))
	mustOK(t, send(t, srv2, "GET", v4+"/accounts/"+AccountID+"/tokens/verify", nil, bearer(acctTok.Value)))
	mustOK(t, send(t, srv2, "GET", v4+"/accounts/"+AccountID, nil, bearer(userTok)))
	if got := ids(t, mustOK(t, send(t, srv2, "GET", v4+"/accounts/"+AccountID+"/cfd_tunnel", nil, memberH))); !reflect.DeepEqual(got, []string{TunnelAppA}) {
		t.Errorf("member token after reload lists %v", got)
	}
	wantErr(t, send(t, srv2, "GET", v4+"/user/tokens/verify", nil, bearer("not-a-token")), 401, codeInvalidToken)

	// The ID counter survives: new IDs do not collide with old ones.
	seen := map[string]bool{memberID: true, acctTok.ID: true}
	for _, m := range want.Members {
		seen[m.ID] = true
		for _, p := range m.Policies {
			seen[p.ID] = true
		}
	}
	for _, g := range want.ResourceGroups {
		seen[g.ID] = true
	}
	for _, tk := range want.UserTokens {
		seen[tk.ID] = true
	}
	newRGID := newRG(t, srv2, "after-reload", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleOrg))
	if seen[newRGID] {
		t.Errorf("new ID %s collides with an ID from before the reload", newRGID)
	}

	// The state file holds no token value, only hashes.
	b, _ := os.ReadFile(path) //nolint:gosec // G304: the test's own state file in t.TempDir()
	for _, v := range []string{userTok, acctTok.Value, strings.TrimPrefix(memberH["Authorization"], "Bearer ")} {
		if strings.Contains(string(b), v) {
			t.Errorf("the state file holds a token value")
		}
	}
}

// A crash between writing the temporary file and renaming it leaves the
// previous state, and the stray temporary file does not disturb the next start.
func TestStateCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	e1, srv1 := serveFile(t, path)
	before := newRG(t, srv1, "before", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	prev, _ := os.ReadFile(path) //nolint:gosec // G304: the test's own state file in t.TempDir()

	// The "crash": the next save stops after the temporary file is complete.
	var tmpSeen string
	e1.mu.Lock()
	e1.beforeRename = func(tmp string) error { tmpSeen = tmp; return errors.New("simulated crash") }
	e1.mu.Unlock()
	r := api(t, srv1, "POST", "/accounts/"+AccountID+"/iam/resource_groups", zoneRG("lost"))
	wantErr(t, r, 500, codeInternal)
	if now, _ := os.ReadFile(path); string(now) != string(prev) { //nolint:gosec // G304: the test's own state file in t.TempDir()
		t.Fatal("the state file changed although the rename never happened")
	}
	if _, err := os.Stat(tmpSeen); err != nil {
		t.Fatalf("the crashed save's temporary file should be left behind: %v", err)
	}
	// The failed request was rolled back in memory too.
	if got := e1.ResourceGroups(AccountID); len(got) != 2 || got[1].ID != before {
		t.Errorf("after a failed save, resource groups: %+v", got)
	}
	// Plus a half-written temporary file, as a crash during the write leaves.
	half := filepath.Join(dir, ".state.json.tmp-123456")
	if err := os.WriteFile(half, prev[:len(prev)/2], 0o600); err != nil { //nolint:gosec // G703: a path in t.TempDir()
		t.Fatal(err)
	}

	e2, srv2 := serveFile(t, path)
	got := e2.ResourceGroups(AccountID)
	if len(got) != 2 || got[1].ID != before {
		t.Fatalf("after the crash, resource groups: %+v; want the seed and %s", got, before)
	}
	for _, f := range []string{tmpSeen, half} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stray temporary file %s should be removed at start (%v)", f, err)
		}
	}
	// And the emulator goes on saving.
	after := newRG(t, srv2, "after", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleOrg))
	e3, err := NewFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := e3.ResourceGroups(AccountID); len(got) != 3 || got[2].ID != after {
		t.Errorf("after the next save: %+v", got)
	}
}

// A failed save refuses the request and changes nothing, on disk or in
// memory; the member token control call too.
func TestStateSaveFailureRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e, srv := serveFile(t, path)
	prev, _ := os.ReadFile(path) //nolint:gosec // G304: the test's own state file in t.TempDir()
	before := snap(e)
	e.mu.Lock()
	e.beforeRename = func(string) error { return errors.New("disk full") }
	e.mu.Unlock()
	wantErr(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "x@example.com",
		"roles": []string{catalogID(t, "Administrator Read Only", "account")}}), 500, codeInternal)
	wantErr(t, api(t, srv, "DELETE", "/accounts/"+AccountID+"/cfd_tunnel/"+TunnelAppA, nil), 500, codeInternal)
	tr := send(t, srv, "POST", "/__emulator/members/"+AdminMemberID+"/token", nil, map[string]string{})
	if tr.Status != 500 {
		t.Errorf("member token with a failing save: %d %s", tr.Status, tr.Body)
	}
	if got := snap(e); !reflect.DeepEqual(got, before) {
		t.Errorf("a failed save changed the state in memory")
	}
	if now, _ := os.ReadFile(path); string(now) != string(prev) { //nolint:gosec // G304: the test's own state file in t.TempDir()
		t.Error("a failed save changed the file")
	}
	e.mu.Lock()
	n := len(e.memberTokens)
	e.mu.Unlock()
	if n != 0 {
		t.Errorf("a member token was kept although its save failed")
	}
	// Reads are never refused by the state file.
	mustOK(t, api(t, srv, "GET", "/accounts/"+AccountID+"/members", nil))
}

// A file that is not a valid state is an error naming it; it is never reseeded.
func TestStateCorruptFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if _, err := NewFromFile(good); err != nil {
		t.Fatal(err)
	}
	full, _ := os.ReadFile(good) //nolint:gosec // G304: the test's own state file in t.TempDir()
	for name, content := range map[string]string{
		"truncated":     string(full[:len(full)-20]),
		"empty":         "",
		"garbage":       "not json at all",
		"trailing":      string(full) + "{}",
		"wrong version": strings.Replace(string(full), `"version": 1`, `"version": 99`, 1),
		"other json":    `{"hello": "world"}`,
		"no accounts":   withKey(t, full, "accounts", []any{}),
		"unknown field": withKey(t, full, "surprise", 1),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			e, err := NewFromFile(path)
			if err == nil || e != nil {
				t.Fatalf("want an error, got emulator %v", e)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("the error must name the file: %v", err)
			}
			if now, _ := os.ReadFile(path); string(now) != content { //nolint:gosec // G304: the test's own state file in t.TempDir()
				t.Error("a corrupt state file must be left as it is")
			}
		})
	}
	if _, err := NewFromFile(""); err == nil {
		t.Error("an empty path must be an error")
	}
	if _, err := NewFromFile(filepath.Join(dir, "no-such-dir", "s.json")); err == nil {
		t.Error("an unwritable location must be an error at start")
	}
}

// withKey is the state document with one top-level key set.
func withKey(t *testing.T, doc []byte, key string, v any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	m[key] = v
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
