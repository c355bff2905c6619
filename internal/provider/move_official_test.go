package provider_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

// State moves from the official provider, fed with state files the official
// provider v5.22.0 wrote against the emulator (testdata/official-states,
// copied from ../shared/fixtures/official-states; see its README.md), into
// an emulator loaded with the state it left (emulator-state.json).
// Expectations are written here by hand from those files and the reference
// pages (role and permission group names), never from the provider's output.

const officialAddress = "registry.terraform.io/cloudflare/cloudflare"

// officialInstance is one resource instance of an official state file.
type officialInstance struct {
	Type          string
	Name          string
	SchemaVersion int64
	Attributes    json.RawMessage
}

func readOfficialState(t *testing.T, dir string) []officialInstance {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "official-states", dir, "terraform.tfstate")) //nolint:gosec // G304: the test's own fixtures
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				SchemaVersion int64           `json:"schema_version"`
				Attributes    json.RawMessage `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	var out []officialInstance
	for _, r := range st.Resources {
		for _, i := range r.Instances {
			out = append(out, officialInstance{r.Type, r.Name, i.SchemaVersion, i.Attributes})
		}
	}
	return out
}

func officialOne(t *testing.T, dir, typeName string) officialInstance {
	t.Helper()
	for _, i := range readOfficialState(t, dir) {
		if i.Type == typeName {
			return i
		}
	}
	t.Fatalf("%s holds no %s", dir, typeName)
	return officialInstance{}
}

// moveServer is the provider, configured against an emulator loaded with
// the state the official provider left.
type moveServer struct {
	srv tfprotov6.ProviderServer
	emu *emulator.Emulator
	url string
}

func newMoveServer(t *testing.T) *moveServer {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "official-states", "emulator-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "emulator-state.json")
	if err := os.WriteFile(file, b, 0o600); err != nil { //nolint:gosec // G703: a file in t.TempDir()
		t.Fatal(err)
	}
	emu, err := emulator.NewFromFile(file)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(emu)
	t.Cleanup(hs.Close)
	base := hs.URL + "/client/v4"
	return &moveServer{srv: configuredServer(t, base), emu: emu, url: base}
}

// configuredServer is a provider process of its own, configured against
// the emulator at base: the state of one terraform command.
func configuredServer(t *testing.T, base string) tfprotov6.ProviderServer {
	t.Helper()
	srv := providerserver.NewProtocol6(provider.New("test", provider.WithEnv(func(string) string { return "" }))())()
	ctx := context.Background()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := sch.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is not an object: %v", sch.Provider.ValueType())
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["api_token"] = tftypes.NewValue(tftypes.String, emulator.AdminToken)
	vals["account_id"] = tftypes.NewValue(tftypes.String, emulator.AccountID)
	vals["base_url"] = tftypes.NewValue(tftypes.String, base)
	vals["max_retries"] = tftypes.NewValue(tftypes.Number, 0)
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, diagText(resp.Diagnostics))
	}
	return srv
}

func diagText(ds []*tfprotov6.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Summary+": "+d.Detail)
	}
	return strings.Join(out, "\n")
}

// move asks the provider to move one official instance into target, then
// reads the moved state, as the plan that moves it does (Terraform moves
// state before it configures the provider, and refreshes after); it returns
// the state the read made as plain Go values (nil when either failed), and
// the diagnostics of both.
func (m *moveServer) move(t *testing.T, in officialInstance, provider, target string) (map[string]any, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	resp, err := m.srv.MoveResourceState(ctx, &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: provider,
		SourceTypeName:        in.Type,
		SourceSchemaVersion:   in.SchemaVersion,
		SourceState:           &tfprotov6.RawState{JSON: in.Attributes},
		TargetTypeName:        target,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.TargetState == nil {
		return nil, resp.Diagnostics
	}
	diags := resp.Diagnostics
	read, err := m.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: target, CurrentState: resp.TargetState, Private: resp.TargetPrivate})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, read.Diagnostics...)
	// Terraform keeps nothing of a read that fails: not its state, not its
	// private state (the move's marker stays for the next try).
	if read.NewState == nil || slices.ContainsFunc(read.Diagnostics, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
		return nil, diags
	}
	if strings.Contains(string(read.Private), "cfiam_official_move") {
		t.Errorf("the read after the move kept the move's marker: later refreshes would check again")
	}
	sch, err := m.srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := read.NewState.Unmarshal(sch.ResourceSchemas[target].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	out, _ := plain(v).(map[string]any)
	return out, diags
}

// plain turns a Terraform value into nil, string, bool, float64, []any
// (lists, and sets sorted by their JSON) or map[string]any.
func plain(v tftypes.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.Number):
		var f float64
		_ = v.As(&f)
		return f
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}):
		var els []tftypes.Value
		_ = v.As(&els)
		out := make([]any, len(els))
		for i, e := range els {
			out[i] = plain(e)
		}
		if v.Type().Is(tftypes.Set{}) {
			sort.Slice(out, func(i, j int) bool { return jsonOf(out[i]) < jsonOf(out[j]) })
		}
		return out
	default:
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = plain(e)
		}
		return out
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// memberPolicy is a cfiam_account_member policy as a plain value (the
// official states name no zone or Tunnel group cfiam would make).
func memberPolicy(access string, roles, groups []string) map[string]any {
	set := func(v []string) any {
		if v == nil {
			return nil
		}
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		sort.Slice(out, func(i, j int) bool { return jsonOf(out[i]) < jsonOf(out[j]) })
		return out
	}
	return map[string]any{"access": access, "roles": set(roles), "zone_ids": nil, "tunnel_ids": nil,
		"mesh_node_ids": nil, "resource_group_ids": set(groups),
		// The Access kinds' IDs (PRODUCT.md's names): a moved policy names groups, never these.
		"access_application_ids": nil, "access_identity_provider_ids": nil, "access_policy_ids": nil,
		"access_service_token_ids": nil, "infrastructure_target_ids": nil}
}

func sortedPolicies(ps ...map[string]any) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	sort.Slice(out, func(i, j int) bool { return jsonOf(out[i]) < jsonOf(out[j]) })
	return out
}

// onlyReads fails when the emulator saw any request but a read.
func onlyReads(t *testing.T, emu *emulator.Emulator) {
	t.Helper()
	for route, n := range emu.Stats().ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("a move sent %d× %s: a move never writes", n, route)
		}
	}
}

func want(t *testing.T, got map[string]any, name string, w any) {
	t.Helper()
	if !reflect.DeepEqual(got[name], w) {
		t.Errorf("%s = %s, want %s", name, jsonOf(got[name]), jsonOf(w))
	}
}

// IDs from the official states and the emulator's state (testdata), and
// role names from the reference pages.
const (
	accountRG    = "6d7f2f5f5b1d4a0c9b8e7a6d5c4b3a21" // the account's own resource group (seeded)
	prodZonesRG  = "47fbf7185b0b6f0c0f1bc7659336079e" // "prod-zones": two zones
	appTunnelsRG = "e141a30f7bb05b5b5a765a1a97e278f9" // "app-tunnels": one Tunnel
)

func TestMoveOfficialAccountMember(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	for _, tc := range []struct {
		dir, id, email string
		policies       []any
	}{
		{"member-account", "1dc44394086935621066a49ef1a8882d", "alice@example.com",
			sortedPolicies(memberPolicy("allow", []string{"Administrator Read Only"}, nil))},
		// Groups the user named (not one per object, as cfiam makes them) stay groups, as import keeps them.
		{"member-zones-and-tunnels", "f9caed18c9f17d4f0060ccd79423ce4a", "bob@example.com", sortedPolicies(
			memberPolicy("allow", []string{"Domain DNS"}, []string{prodZonesRG}),
			memberPolicy("allow", []string{"Cloudflare Tunnel Instance Admin"}, []string{appTunnelsRG}),
			memberPolicy("deny", []string{"Administrator Read Only"}, nil))},
		// Legacy roles only: no policy (cfiam manages policies; the roles stay, with a warning, TestMoveOfficialLegacyRolesWarn).
		{"member-legacy-roles", "39360d49a4c942d25eaec5e65c6b331e", "carol@example.com", []any{}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			got, diags := m.move(t, officialOne(t, tc.dir, "cloudflare_account_member"), officialAddress, "cfiam_account_member")
			if got == nil {
				t.Fatalf("move failed: %s", diagText(diags))
			}
			want(t, got, "id", tc.id)
			want(t, got, "account_id", emulator.AccountID)
			want(t, got, "email", tc.email)
			want(t, got, "status", "accepted")
			want(t, got, "policies", tc.policies)
			want(t, got, "allow_removing_last_super_administrator", nil)
			if user, _ := got["user"].(map[string]any); user["email"] != tc.email {
				t.Errorf("user = %v, want the user of %s", got["user"], tc.email)
			}
		})
	}
	onlyReads(t, m.emu)
}

func TestMoveOfficialUserGroup(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	got, diags := m.move(t, officialOne(t, "user-group", "cloudflare_user_group"), officialAddress, "cfiam_user_group")
	if len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "id", "c03de0c63ab15e56903b9376d9bad723")
	want(t, got, "account_id", emulator.AccountID)
	want(t, got, "name", "ops")
	want(t, got, "policies", sortedPolicies(memberPolicy("allow", []string{"Domain DNS"}, []string{prodZonesRG})))

	got, diags = m.move(t, officialOne(t, "user-group", "cloudflare_user_group_members"), officialAddress, "cfiam_user_group_members")
	if len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "user_group_id", "c03de0c63ab15e56903b9376d9bad723")
	want(t, got, "account_id", emulator.AccountID)
	want(t, got, "member_ids", []any{"e3c266dcdc467e67b494fbc01ddf2f37"})

	got, diags = m.move(t, officialOne(t, "user-group", "cloudflare_account_member"), officialAddress, "cfiam_account_member")
	if len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "email", "dave@example.com")
	onlyReads(t, m.emu)
}

func TestMoveOfficialTokens(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	got, diags := m.move(t, officialOne(t, "api-token", "cloudflare_api_token"), officialAddress, "cfiam_api_token")
	if len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "id", "62670ffb225e1520303ad87e28fd4b5f")
	want(t, got, "name", "ci-dns-read")
	want(t, got, "value", "lKtAXNsKjMJvnPor9kyHAXK-9Lf_OSH5AV-YXHid") // the official state's: nothing rolled
	want(t, got, "expires_on", "2030-01-01T00:00:00Z")
	want(t, got, "status", "active")
	want(t, got, "condition", map[string]any{"request_ip": map[string]any{"in": []any{"192.0.2.0/24"}, "not_in": nil}})
	want(t, got, "policies", []any{map[string]any{"effect": "allow", "permission_groups": []any{"DNS Read"}, "user": nil,
		"account_ids": nil, "zone_ids": []any{"023e105f4ecef8ad9ca31a8372d0c353"}, "all_zones_of_account": nil}})

	got, diags = m.move(t, officialOne(t, "account-token", "cloudflare_account_token"), officialAddress, "cfiam_account_token")
	if len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "id", "683ab0e5614507be314a5b96e8abc92e")
	want(t, got, "account_id", emulator.AccountID)
	want(t, got, "value", "a04LdxIuu9enDV4E6iAGL1CW2jbCX-xwxsb0nQbw")
	want(t, got, "expires_on", nil)
	want(t, got, "condition", nil)
	want(t, got, "policies", []any{map[string]any{"effect": "allow", "permission_groups": []any{"Account Settings Read"}, "user": nil,
		"account_ids": []any{emulator.AccountID}, "zone_ids": nil, "all_zones_of_account": nil}})
	onlyReads(t, m.emu)
}

// A move of many members costs the paged list, not one GET each.
func TestMoveOfficialMembersReadFromTheList(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	for _, dir := range []string{"member-account", "member-zones-and-tunnels", "member-legacy-roles", "user-group"} {
		if got, diags := m.move(t, officialOne(t, dir, "cloudflare_account_member"), officialAddress, "cfiam_account_member"); got == nil {
			t.Fatalf("%s: %s", dir, diagText(diags))
		}
	}
	s := m.emu.Stats().ByRoute
	if got := s["GET /accounts/{account_id}/members/{member_id}"]; got > 1 {
		t.Errorf("4 moves sent %d GETs of one member, want at most 1 (the rest from the list)", got)
	}
	if got := s["GET /accounts/{account_id}/members"]; got != 1 {
		t.Errorf("4 moves listed the members %d times, want once", got)
	}
	// Each member still holds a policy on every group its official state
	// names: the groups are there, with no list of them.
	if got := s["GET /accounts/{account_id}/iam/resource_groups"]; got != 0 {
		t.Errorf("4 moves listed the resource groups %d times, want none", got)
	}
	onlyReads(t, m.emu)
}

// A group the official state names but the member no longer holds (its
// policy changed outside Terraform) is looked up in the account's groups:
// still there, the member moves, with the policies the account holds.
func TestMoveOfficialGroupNoLongerHeld(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	ctx, admin := context.Background(), adminClient(t, m.url)
	const bob = "f9caed18c9f17d4f0060ccd79423ce4a"
	member, err := admin.GetMember(ctx, emulator.AccountID, bob)
	if err != nil {
		t.Fatal(err)
	}
	var keep []cfclient.MemberPolicy
	for _, p := range member.Policies {
		if p.ResourceGroups[0].ID != prodZonesRG {
			keep = append(keep, p)
		}
	}
	if _, err := admin.UpdateMemberPolicies(ctx, emulator.AccountID, bob, keep); err != nil {
		t.Fatal(err)
	}
	before := m.emu.Stats().ByRoute["GET /accounts/{account_id}/iam/resource_groups"]
	got, diags := m.move(t, officialOne(t, "member-zones-and-tunnels", "cloudflare_account_member"), officialAddress, "cfiam_account_member")
	if got == nil || len(diags) > 0 {
		t.Fatalf("move failed: %s", diagText(diags))
	}
	want(t, got, "policies", sortedPolicies(
		memberPolicy("allow", []string{"Cloudflare Tunnel Instance Admin"}, []string{appTunnelsRG}),
		memberPolicy("deny", []string{"Administrator Read Only"}, nil)))
	if n := m.emu.Stats().ByRoute["GET /accounts/{account_id}/iam/resource_groups"] - before; n != 1 {
		t.Errorf("the move listed the resource groups %d times, want once (prod-zones is no longer bob's)", n)
	}
}

func TestMoveOfficialRefused(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	member := officialOne(t, "member-account", "cloudflare_account_member")
	token := officialOne(t, "api-token", "cloudflare_api_token")

	other := member
	other.Type = "cloudflare_zone"
	wrongType := token
	v4Version := member
	v4Version.SchemaVersion = 2

	// The attributes of v4's cloudflare_account_member at schema version 0, as
	// the official provider's v4→v5 upgrader (migration/v500) reads them.
	v4 := officialInstance{Type: "cloudflare_account_member", SchemaVersion: 0, Attributes: json.RawMessage(
		`{"id":"1dc44394086935621066a49ef1a8882d","account_id":"` + emulator.AccountID +
			`","email_address":"alice@example.com","role_ids":["fa512b15d917f7366985dccfb857de9b"],"status":"accepted"}`)}

	// The account's "prod-zones" group, deleted since the official apply.
	gone := officialOne(t, "member-zones-and-tunnels", "cloudflare_account_member")

	for _, tc := range []struct {
		name, provider, target string
		in                     officialInstance
		want                   string
		before                 func()
	}{
		{"other provider", "registry.terraform.io/hashicorp/aws", "cfiam_account_member", member,
			"The source is cloudflare_account_member of provider registry.terraform.io/hashicorp/aws. cfiam_account_member takes state from " +
				"cloudflare_account_member of the official provider cloudflare/cloudflare v5 (schema versions 0, 1, 500) only.", nil},
		{"unknown source type", officialAddress, "cfiam_account_member", other,
			"The source is cloudflare_zone. cfiam_account_member takes state from cloudflare_account_member of the official provider " +
				"cloudflare/cloudflare v5 (schema versions 0, 1, 500) only; move cloudflare_zone into (none: cfiam has no such type) instead, if cfiam has it.", nil},
		{"source of another cfiam type", officialAddress, "cfiam_account_token", wrongType,
			"The source is cloudflare_api_token. cfiam_account_token takes state from cloudflare_account_token of the official provider " +
				"cloudflare/cloudflare v5 (schema versions 0, 1, 500, 501) only; move cloudflare_api_token into cfiam_api_token instead, if cfiam has it.", nil},
		{"v4 state", officialAddress, "cfiam_account_member", v4,
			"The state of cloudflare_account_member is the official provider v4's (schema version 0, attribute email_address). " +
				"cfiam_account_member takes state from cloudflare_account_member of the official provider cloudflare/cloudflare v5 (schema versions 0, 1, 500) only: " +
				"upgrade it first with cloudflare/cloudflare v5 (terraform apply with version = \"~> 5.0\" rewrites the state), then move it.", nil},
		{"unknown schema version", officialAddress, "cfiam_account_member", v4Version,
			"The state of cloudflare_account_member is at schema version 2. cfiam_account_member takes state from cloudflare_account_member of the official provider " +
				"cloudflare/cloudflare v5 (schema versions 0, 1, 500) only: apply once with cloudflare/cloudflare v5 to bring the state to one of them, then move it.", nil},
		{"resource group gone", officialAddress, "cfiam_account_member", gone,
			"policies[0].resource_groups[0].id of cloudflare_account_member names resource group " + prodZonesRG + ", which account " +
				emulator.AccountID + " no longer has. cfiam reads a policy's zones and Tunnels from its resource groups, so it cannot move this policy. " +
				"Remove that policy from the official configuration (or point it at a group the account has) and apply with the official provider, " +
				"then move again; the state is unchanged.",
			func() {
				// Outside Terraform: the policies on "prod-zones" taken from bob and from the user group ops, then the group deleted.
				ctx, admin := context.Background(), adminClient(t, m.url)
				bob, err := admin.GetMember(ctx, emulator.AccountID, "f9caed18c9f17d4f0060ccd79423ce4a")
				if err != nil {
					t.Fatal(err)
				}
				var keep []cfclient.MemberPolicy
				for _, p := range bob.Policies {
					if p.ResourceGroups[0].ID != prodZonesRG {
						keep = append(keep, p)
					}
				}
				if _, err := admin.UpdateMemberPolicies(ctx, emulator.AccountID, bob.ID, keep); err != nil {
					t.Fatal(err)
				}
				if _, err := admin.UpdateUserGroupPolicies(ctx, emulator.AccountID, "c03de0c63ab15e56903b9376d9bad723", []cfclient.MemberPolicy{}); err != nil {
					t.Fatal(err)
				}
				if err := admin.DeleteResourceGroup(ctx, emulator.AccountID, prodZonesRG); err != nil {
					t.Fatal(err)
				}
			}},
	} {
		if tc.before != nil {
			tc.before()
		}
		got, diags := m.move(t, tc.in, tc.provider, tc.target)
		if got != nil || len(diags) != 1 {
			t.Errorf("%s: moved (%v) or not one diagnostic: %s", tc.name, got, diagText(diags))
			continue
		}
		if d := diags[0]; d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != "Cannot move state into cfiam" || d.Detail != tc.want {
			t.Errorf("%s:\n got %s: %s\nwant Cannot move state into cfiam: %s", tc.name, d.Summary, d.Detail, tc.want)
		}
	}
}

// A member with legacy roles only moves, with a warning saying what becomes of them.
func TestMoveOfficialLegacyRolesWarn(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	got, diags := m.move(t, officialOne(t, "member-legacy-roles", "cloudflare_account_member"), officialAddress, "cfiam_account_member")
	if got == nil || len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning {
		t.Fatalf("want the moved state and one warning, got %v: %s", got, diagText(diags))
	}
	const want = "Member carol@example.com holds legacy roles (Administrator Read Only), which cfiam_account_member does not manage: " +
		"they stay in the account as they are, and its policies are what cfiam manages. To manage them with cfiam, write them as an " +
		"account-wide policy (policies = [{ access = \"allow\", roles = [\"Administrator Read Only\"] }]): the apply after the move then sets that policy in their place."
	if diags[0].Summary != "Legacy roles left as they are" || diags[0].Detail != want {
		t.Errorf("got %s: %s\nwant Legacy roles left as they are: %s", diags[0].Summary, diags[0].Detail, want)
	}
	onlyReads(t, m.emu)
}

// Terraform moves state before it configures the provider: the move itself
// needs no credentials and sends no request.
func TestMoveOfficialUnconfigured(t *testing.T) {
	t.Parallel()
	srv := providerserver.NewProtocol6(provider.New("test", provider.WithEnv(func(string) string { return "" }))())()
	in := officialOne(t, "member-account", "cloudflare_account_member")
	resp, err := srv.MoveResourceState(context.Background(), &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: officialAddress, SourceTypeName: in.Type, SourceSchemaVersion: in.SchemaVersion,
		SourceState: &tfprotov6.RawState{JSON: in.Attributes}, TargetTypeName: "cfiam_account_member",
	})
	if err != nil || resp.TargetState == nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("move on an unconfigured provider: %v %s", err, diagText(resp.Diagnostics))
	}
}

// A member the account no longer has fails the plan that moves it: else
// the plan would invite the member again.
func TestMoveOfficialMemberGone(t *testing.T) {
	t.Parallel()
	m := newMoveServer(t)
	if err := adminClient(t, m.url).DeleteMember(context.Background(), emulator.AccountID, "39360d49a4c942d25eaec5e65c6b331e"); err != nil {
		t.Fatal(err)
	}
	got, diags := m.move(t, officialOne(t, "member-legacy-roles", "cloudflare_account_member"), officialAddress, "cfiam_account_member")
	const want = "The account no longer has member 39360d49a4c942d25eaec5e65c6b331e (carol@example.com), so there is nothing to move into " +
		"cfiam_account_member: the plan would create it again. Remove the moved block and the cfiam_account_member block, and run terraform state rm " +
		"on the official resource (or apply with the official provider first to create it again, then move it)."
	last := diags[len(diags)-1]
	if got != nil || last.Severity != tfprotov6.DiagnosticSeverityError || last.Summary != "Cannot move state into cfiam" || last.Detail != want {
		t.Errorf("got %v, %s: %s\nwant Cannot move state into cfiam: %s", got, last.Summary, last.Detail, want)
	}
}
