package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// regexpMust compiles an ExpectError pattern. Terraform wraps diagnostics at
// any space, so each space in pattern matches any run of white space, and
// (?s) lets the pattern span lines.
func regexpMust(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// Expectations: catalog look-ups and state checks.

// roleID looks a role up in the embedded catalog, which the emulator seeds from.
func roleID(t *testing.T, name string, s catalog.Scope) string {
	t.Helper()
	e, err := catalog.Embedded().ResolveRole(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// pgID looks a permission group up in the embedded catalog, which the emulator seeds from.
func pgID(t *testing.T, name string, s catalog.Scope) string {
	t.Helper()
	e, err := catalog.Embedded().ResolvePermissionGroup(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// embeddedOne returns the embedded entry named name at scope, failing the test if there is none.
func embeddedOne(t *testing.T, k catalog.Kind, name string, s catalog.Scope) catalog.Entry {
	t.Helper()
	e, err := catalog.Embedded().Resolve(k, name, s)
	if err != nil {
		t.Fatalf("embedded catalog: %v", err)
	}
	return e
}

// entryValue is the expected state of one catalog entry in a list.
func entryValue(e catalog.Entry) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":          knownvalue.StringExact(e.ID),
		"name":        knownvalue.StringExact(e.Name),
		"description": knownvalue.StringExact(e.Description),
		"scope":       knownvalue.StringExact(string(e.Scope)),
	})
}

// wantRole is a role as the member data sources show it: the ID from the
// embedded catalog (the emulator's seed), the name and scope as written here.
func wantRole(t *testing.T, name string, s catalog.Scope) knownvalue.Check {
	t.Helper()
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":    knownvalue.StringExact(roleID(t, name, s)),
		"name":  knownvalue.StringExact(name),
		"scope": knownvalue.StringExact(string(s)),
	})
}

func stringsExact(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// policyView is the expected data-source view of one policy.
type policyView struct {
	id, access, scope                   string
	roles                               []knownvalue.Check
	zoneIDs, tunnelIDs, resourceGroupID []string
	meshNodeIDs                         []string
	access5                             map[string][]string // IDs of the Access kinds, by attribute
	binding                             bool
}

func (p policyView) check() knownvalue.Check {
	checks := map[string]knownvalue.Check{
		"id":                 knownvalue.StringExact(p.id),
		"access":             knownvalue.StringExact(p.access),
		"scope":              knownvalue.StringExact(p.scope),
		"roles":              knownvalue.ListExact(p.roles),
		"zone_ids":           stringsExact(p.zoneIDs...),
		"tunnel_ids":         stringsExact(p.tunnelIDs...),
		"mesh_node_ids":      stringsExact(p.meshNodeIDs...),
		"resource_group_ids": stringsExact(p.resourceGroupID...),
		"binding":            knownvalue.Bool(p.binding),
	}
	for _, a := range accessKindAttrs {
		checks[a] = stringsExact(p.access5[a]...)
	}
	return knownvalue.ObjectExact(checks)
}

// accessKindAttrs are the policy attributes of the five Access kinds, as
// PRODUCT.md names them (written out here, not read from the kinds table).
var accessKindAttrs = []string{"access_application_ids", "access_identity_provider_ids", "access_policy_ids",
	"access_service_token_ids", "infrastructure_target_ids"}

// withAccessKindsNull adds the five Access kinds' attributes, null, to an
// expected policy object.
func withAccessKindsNull(checks map[string]knownvalue.Check) map[string]knownvalue.Check {
	for _, a := range accessKindAttrs {
		if _, set := checks[a]; !set {
			checks[a] = knownvalue.Null()
		}
	}
	return checks
}

// policiesExact matches a policies list in any order (the data sources sort
// by policy ID, which the emulator makes up).
func policiesExact(views ...policyView) knownvalue.Check {
	checks := make([]knownvalue.Check, len(views))
	for i, v := range views {
		checks[i] = v.check()
	}
	return knownvalue.SetExact(checks)
}

// lazyCheck builds its state check when it runs, after apply, so that
// expectations can name IDs only the emulator knows by then (policy IDs).
type lazyCheck func() statecheck.StateCheck

func (f lazyCheck) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	f().CheckState(ctx, req, resp)
}

// attr reads a resource attribute from state into *dst.
func attr(address, name string, dst *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		*dst = rs.Primary.Attributes[name]
		return nil
	}
}

// The emulator's own state, read and changed outside Terraform.

var (
	accountKey = catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID)
	comKey     = catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom)
	orgKey     = catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleOrg)
	appAKey    = catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA)
)

var (
	tunnelReadRole  = catalog.RoleTunnelInstanceRead
	tunnelAdminRole = catalog.RoleTunnelAdmin
)

// adminClient is a client of the emulator acting outside Terraform.
func adminClient(t *testing.T, baseURL string) *cfclient.Client {
	t.Helper()
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// memberByEmail finds a member in the emulator's own state.
func memberByEmail(emu *emulator.Emulator, email string) (emulator.Member, bool) {
	for _, m := range emu.Members(emulator.AccountID) {
		if strings.EqualFold(m.Email, email) {
			return m, true
		}
	}
	return emulator.Member{}, false
}

func mustMember(t *testing.T, emu *emulator.Emulator, id string) emulator.Member {
	t.Helper()
	m, ok := emu.Member(emulator.AccountID, id)
	if !ok {
		t.Fatalf("the emulator has no member %s", id)
	}
	return m
}

// policyIDOf returns the ID of the member's policy that grants exactly
// roleIDs, from the emulator's own state.
func policyIDOf(t *testing.T, emu *emulator.Emulator, email string, roleIDs ...string) string {
	t.Helper()
	m, ok := memberByEmail(emu, email)
	if !ok {
		t.Errorf("the emulator has no member %s", email)
		return ""
	}
	want := slices.Clone(roleIDs)
	sort.Strings(want)
	for _, p := range m.Policies {
		got := slices.Clone(p.PermissionGroups)
		sort.Strings(got)
		if slices.Equal(got, want) {
			return p.ID
		}
	}
	t.Errorf("member %s has no policy with roles %v in the emulator", email, roleIDs)
	return ""
}

// grant is a member policy as the emulator holds it, with resource groups
// replaced by their object keys, so that tests compare meaning, not IDs.
type grant struct {
	access  string
	roleIDs string
	objects string
}

func grantsOf(t *testing.T, emu *emulator.Emulator, m emulator.Member) []grant {
	t.Helper()
	groups := map[string]emulator.ResourceGroup{}
	for _, g := range emu.ResourceGroups(emulator.AccountID) {
		groups[g.ID] = g
	}
	var out []grant
	for _, p := range m.Policies {
		roles := slices.Clone(p.PermissionGroups)
		sort.Strings(roles)
		var objects []string
		for _, id := range p.ResourceGroups {
			g, ok := groups[id]
			if !ok {
				t.Fatalf("policy %s names resource group %s, which the emulator lacks", p.ID, id)
			}
			objects = append(objects, g.Objects...)
		}
		sort.Strings(objects)
		out = append(out, grant{p.Access, strings.Join(roles, ","), strings.Join(objects, ",")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].roleIDs+out[i].objects < out[j].roleIDs+out[j].objects })
	return out
}

// emuPolicy is a member policy as the emulator holds it, with role names and
// resource groups replaced by their names and objects.
type emuPolicy struct {
	id, access     string
	roles, objects []string
	groupNames     []string
}

func emulatorPolicies(t *testing.T, emu *emulator.Emulator, memberID string) []emuPolicy {
	t.Helper()
	m, ok := emu.Member(emulator.AccountID, memberID)
	if !ok {
		t.Fatalf("the emulator has no member %s", memberID)
	}
	return readablePolicies(t, emu, m.Policies)
}

// emulatorGroupPolicies is emulatorPolicies for a user group.
func emulatorGroupPolicies(t *testing.T, emu *emulator.Emulator, groupID string) []emuPolicy {
	t.Helper()
	g, ok := emu.UserGroup(emulator.AccountID, groupID)
	if !ok {
		t.Fatalf("the emulator has no user group %s", groupID)
	}
	return readablePolicies(t, emu, g.Policies)
}

// readablePolicies names the roles and the resource groups' objects of policies.
func readablePolicies(t *testing.T, emu *emulator.Emulator, policies []emulator.MemberPolicy) []emuPolicy {
	t.Helper()
	groups := map[string]emulator.ResourceGroup{}
	for _, g := range emu.ResourceGroups(emulator.AccountID) {
		groups[g.ID] = g
	}
	var out []emuPolicy
	for _, p := range policies {
		ep := emuPolicy{id: p.ID, access: p.Access}
		for _, id := range p.PermissionGroups {
			e, _ := catalog.Embedded().ByID(id)
			ep.roles = append(ep.roles, e.Name)
		}
		for _, id := range p.ResourceGroups {
			g, ok := groups[id]
			if !ok {
				t.Fatalf("policy %s names resource group %s, which the emulator lacks", p.ID, id)
			}
			ep.objects = append(ep.objects, g.Objects...)
			ep.groupNames = append(ep.groupNames, g.Name)
		}
		sort.Strings(ep.roles)
		sort.Strings(ep.objects)
		out = append(out, ep)
	}
	return out
}

// newAcceptedMember adds the member app-dev@example.com outside Terraform,
// holding one account-wide policy ("Analytics"), and returns its ID.
func newAcceptedMember(t *testing.T, baseURL string) string {
	t.Helper()
	return invitedAndAccepted(t, baseURL, "app-dev@example.com",
		cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID}))
}

// invitedAndAccepted invites a member outside Terraform with these policies
// and accepts the invitation as the invitee would (the emulator refuses a
// direct add as accepted, as Cloudflare does): an accepted member. It returns
// the member's ID.
func invitedAndAccepted(t *testing.T, baseURL, email string, policies ...cfclient.MemberPolicy) string {
	t.Helper()
	m, err := adminClient(t, baseURL).CreateMember(t.Context(), emulator.AccountID, email, "pending", policies)
	if err != nil {
		t.Fatal(err)
	}
	acceptMember(t, baseURL, m.ID)
	return m.ID
}

// acceptMember stands for the invited member accepting: the emulator's
// POST /__emulator/members/{member_id}/accept makes it "accepted".
func acceptMember(t *testing.T, baseURL, memberID string) {
	t.Helper()
	url := strings.TrimSuffix(baseURL, "/client/v4") + "/__emulator/members/" + memberID + "/accept"
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("accepting the invitation of member %s: %v", memberID, err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("accepting the invitation of member %s: %d %s", memberID, res.StatusCode, b)
	}
}

// emulatorAdminCall calls the emulator's Cloudflare API as its Super Administrator,
// for changes made outside Terraform, and returns the envelope's result.
func emulatorAdminCall(t *testing.T, baseURL, method, apiPath string, body any) json.RawMessage {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, baseURL+apiPath, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+emulator.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s: %s", method, apiPath, res.Status, raw)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s %s: %v", method, apiPath, err)
	}
	return env.Result
}

// memberToken asks the emulator for a token that acts as the member.
func memberToken(t *testing.T, baseURL, memberID string) string {
	t.Helper()
	root := strings.TrimSuffix(baseURL, "/client/v4")
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, root+"/__emulator/members/"+memberID+"/token", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.Token == "" {
		t.Fatalf("member token for %s: HTTP %d, %v", memberID, res.StatusCode, err)
	}
	return body.Token
}

func memberClient(t *testing.T, baseURL, memberID string) *cfclient.Client {
	t.Helper()
	c, err := cfclient.New(cfclient.Config{APIToken: memberToken(t, baseURL, memberID), BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emulatorView is what the member's own token is shown: for each Tunnel it
// lists, "read", or "edit" when it may also write the Tunnel (a PATCH that
// keeps the name: it changes nothing); and the zones it lists.
func emulatorView(t *testing.T, baseURL, memberID string) (tunnels map[string]string, zones []string) {
	t.Helper()
	ctx := t.Context()
	c := memberClient(t, baseURL, memberID)
	tunnels = map[string]string{}
	live := false // the report covers live Tunnels, as cfiam_tunnels does by default
	list, err := c.ListTunnels(ctx, emulator.AccountID, cfclient.TunnelFilter{IsDeleted: &live})
	if cfclient.IsForbidden(err) {
		return tunnels, nil // a pending member may not act in the account at all
	}
	if err != nil {
		t.Fatalf("listing Tunnels as member %s: %v", memberID, err)
	}
	for _, tun := range list {
		tunnels[tun.ID] = "read"
		err := c.SDK().Patch(ctx, "accounts/"+emulator.AccountID+"/cfd_tunnel/"+tun.ID, map[string]any{"name": tun.Name}, nil)
		switch {
		case err == nil:
			tunnels[tun.ID] = "edit"
		case !isSDKStatus(err, http.StatusForbidden):
			t.Fatalf("editing Tunnel %s as member %s: %v", tun.ID, memberID, err)
		}
	}
	zs, err := c.ListAccountZones(ctx, emulator.AccountID)
	if err != nil && !cfclient.IsForbidden(err) {
		t.Fatalf("listing zones as member %s: %v", memberID, err)
	}
	for _, z := range zs {
		zones = append(zones, z.ID)
	}
	sort.Strings(zones)
	return tunnels, zones
}

// isSDKStatus: is err cloudflare-go's error for an answer with that HTTP status?
func isSDKStatus(err error, status int) bool {
	var e *cloudflare.Error
	return errors.As(err, &e) && e.StatusCode == status
}

// apiAnswer is a direct API call's outcome.
type apiAnswer struct {
	status int
	codes  []int
	result json.RawMessage
}

// callAPI calls the emulator with a bearer token, as a client of the
// token's holder would.
func callAPI(t *testing.T, baseURL, token, method, path string, body any) apiAnswer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, baseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var env struct {
		Result json.RawMessage `json:"result"`
		Errors []struct {
			Code int `json:"code"`
		} `json:"errors"`
	}
	_ = json.NewDecoder(res.Body).Decode(&env)
	a := apiAnswer{status: res.StatusCode, result: env.Result}
	for _, e := range env.Errors {
		a.codes = append(a.codes, e.Code)
	}
	return a
}

func expectAnswer(t *testing.T, a apiAnswer, status int, code int, what string) error {
	t.Helper()
	if a.status != status || code != 0 && !slices.Contains(a.codes, code) {
		return fmt.Errorf("%s: got HTTP %d %v, want %d (code %d)", what, a.status, a.codes, status, code)
	}
	return nil
}

// API tokens in the emulator.

// wireLog records the bodies of token writes as they cross the wire.
type wireLog struct {
	mu     sync.Mutex
	bodies []string
}

func (l *wireLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.bodies)
}

// newTokenEmulator is acctest.NewEmulator with the token writes recorded.
func newTokenEmulator(t *testing.T) (*emulator.Emulator, string, *wireLog) {
	t.Helper()
	emu := emulator.New()
	log := &wireLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/tokens") && (r.Method == http.MethodPost || r.Method == http.MethodPut) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			log.mu.Lock()
			log.bodies = append(log.bodies, r.Method+" "+r.URL.Path+" "+string(body))
			log.mu.Unlock()
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return emu, srv.URL + "/client/v4", log
}

// tokenGrant is one emulator token policy, canonical: effect, sorted
// permission group IDs, resources as JSON (keys sorted).
func tokenGrant(effect string, resources map[string]any, groupIDs ...string) string {
	ids := slices.Clone(groupIDs)
	sort.Strings(ids)
	res, _ := json.Marshal(resources)
	return effect + " " + strings.Join(ids, ",") + " " + string(res)
}

func tokenGrantsOf(tok emulator.Token) []string {
	var out []string
	for _, p := range tok.Policies {
		var ids []string
		for _, g := range p.PermissionGroups {
			ids = append(ids, g.ID)
		}
		out = append(out, tokenGrant(p.Effect, p.Resources, ids...))
	}
	return out
}

// findToken returns the emulator's token with that name, user-owned (account "") or of an account.
func findToken(emu *emulator.Emulator, account, name string) (emulator.Token, bool) {
	toks := emu.UserTokens()
	if account != "" {
		toks = emu.AccountTokens(account)
	}
	for _, tok := range toks {
		if tok.Name == name {
			return tok, true
		}
	}
	return emulator.Token{}, false
}

func checkToken(emu *emulator.Emulator, account, name string, check func(emulator.Token) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		tok, ok := findToken(emu, account, name)
		if !ok {
			return fmt.Errorf("the emulator has no token named %q", name)
		}
		return check(tok)
	}
}

func wantGrants(want ...string) func(emulator.Token) error {
	return func(tok emulator.Token) error {
		got := tokenGrantsOf(tok)
		if !slices.Equal(got, want) {
			return fmt.Errorf("emulator policies of %s:\n got  %q\n want %q", tok.Name, got, want)
		}
		return nil
	}
}

// Configurations.

const cfiamRequirement = `
terraform {
  required_providers {
    cfiam = { source = "cfiam/cfiam" }
  }
}
`

func memberConfig(baseURL, policies string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email = "dev@example.com"
  %s
}
`, policies))
}

func member(policies string) string {
	return fmt.Sprintf(`
resource "cfiam_account_member" "dev" {
  email    = "dev@example.com"
  policies = [%s]
}
`, policies)
}

func userTokenResource(baseURL, body string) string {
	return acctest.Config(acctest.ProviderConfig(baseURL), "resource \"cfiam_api_token\" \"t\" {\n"+body+"\n}\n")
}

const bindingPrefix = "cfiam-tunnel-binding:"

// expectInvalidOffline plans config with a provider that has no credentials
// and expects the error: the rule runs from the embedded catalog, as at
// `terraform validate`. One step: the state stays empty, so there is no
// post-test destroy for the invalid config to break (an empty last step
// here took each case from 5 terraform runs to 9, and checked nothing).
func expectInvalidOffline(t *testing.T, config, pattern string) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps: []resource.TestStep{
			{Config: acctest.Config(acctest.OfflineProviderConfig(), config), PlanOnly: true, ExpectError: regexpMust(pattern)},
		},
	})
}

// Running the real terraform.

// serveProvider serves the cfiam provider from this process, the way
// terraform-plugin-testing does, and returns the TF_REATTACH_PROVIDERS value.
func serveProvider(t *testing.T) string {
	t.Helper()
	factory := acctest.ProviderFactories(nil)["cfiam"]
	reattach, stop := serveReattach(t, func() tfprotov6.ProviderServer {
		s, err := factory()
		if err != nil {
			panic(err)
		}
		return s
	}, tf6server.WithLoggingSink(t)) // silent unless TF_LOG is set, like terraform-plugin-testing
	t.Cleanup(stop)
	return reattach
}

// testProviderAddress is the address `source = "cfiam/cfiam"` stands for
// in the CLI under test: on registry.terraform.io for Terraform, on
// TF_ACC_PROVIDER_HOST when set (registry.opentofu.org for OpenTofu), as
// terraform-plugin-testing itself reads it.
func testProviderAddress() string {
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = strings.TrimSuffix(h, "/")
	}
	return host + "/cfiam/cfiam"
}

// terraformBinary is the CLI under test: TF_ACC_TERRAFORM_PATH, as for
// terraform-plugin-testing, else terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("these tests run the real terraform binary, which is not on PATH (or set TF_ACC_TERRAFORM_PATH): %v", err)
	}
	return bin
}

// serveReattach serves factory's provider server from this process and
// returns the TF_REATTACH_PROVIDERS value and a function that stops it.
func serveReattach(tb testing.TB, factory func() tfprotov6.ProviderServer, opts ...tf6server.ServeOpt) (string, func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(testProviderAddress(), factory,
			append([]tf6server.ServeOpt{tf6server.WithDebug(ctx, reattach, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger())}, opts...)...)
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case err := <-served:
		cancel()
		tb.Fatalf("serving the provider: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		tb.Fatal("the provider did not start serving within 10s")
	}
	stop := func() {
		cancel()
		<-closed
	}
	type addr struct{ Network, String string }
	type config struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	b, err := json.Marshal(map[string]config{testProviderAddress(): {
		Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: true,
		Addr: addr{Network: rc.Addr.Network(), String: rc.Addr.String()},
	}})
	if err != nil {
		stop()
		tb.Fatal(err)
	}
	return string(b), stop
}

// terraformCLI returns a function that runs the terraform binary (the one
// terraform-plugin-testing would use) in dir with exactly env (plus PATH),
// fails the test unless it exits with wantCode, and returns its output.
func terraformCLI(t *testing.T, dir string, env []string) func(wantCode int, args ...string) string {
	return terraformRunner(t, terraformBinary(t), dir, env, time.Minute)
}

// terraformRunner is terraformCLI with the binary bin, for a test or a
// benchmark, each run given at most timeout.
func terraformRunner(tb testing.TB, bin, dir string, env []string, timeout time.Duration) func(wantCode int, args ...string) string {
	env = append(env, "PATH="+os.Getenv("PATH"))
	return func(wantCode int, args ...string) string {
		tb.Helper()
		ctx, cancel := context.WithTimeout(tb.Context(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...) //nolint:gosec // G204: the terraform CLI with the test's own arguments
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			tb.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		if code != wantCode {
			tb.Fatalf("terraform %s exited %d, want %d:\n%s", strings.Join(args, " "), code, wantCode, out)
		}
		return string(out)
	}
}

func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

func writeWorkspace(t *testing.T, dir, config string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestMain removes the provider binary the tests built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	acctest.RemoveProviderBinary()
	os.Exit(code)
}

// tfCLI runs terraform against the emulator with a freshly built provider.
type tfCLI struct {
	t         *testing.T
	terraform string
	env       []string
}

// run runs terraform in dir and returns its output and exit code.
func (c *tfCLI) run(dir string, args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.CommandContext(c.t.Context(), c.terraform, append([]string{"-chdir=" + dir}, args...)...) //nolint:gosec // G204: the terraform CLI with the test's own arguments
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	c.t.Fatalf("running terraform %s in %s: %v", strings.Join(args, " "), dir, err)
	return "", -1
}

func (c *tfCLI) apply(dir string, args ...string) {
	c.t.Helper()
	if out, code := c.run(dir, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, args...)...); code != 0 {
		c.t.Fatalf("terraform apply in %s failed (exit %d):\n%s", dir, code, out)
	}
}

func (c *tfCLI) destroy(dir string, args ...string) {
	c.t.Helper()
	if out, code := c.run(dir, append([]string{"destroy", "-auto-approve", "-input=false", "-no-color"}, args...)...); code != 0 {
		c.t.Fatalf("terraform destroy in %s failed (exit %d):\n%s", dir, code, out)
	}
}

// expectEmptyPlan fails unless `terraform plan` in dir finds nothing to change.
func (c *tfCLI) expectEmptyPlan(dir, why string, args ...string) {
	c.t.Helper()
	out, code := c.run(dir, append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, args...)...)
	switch code {
	case 0:
	case 2:
		c.t.Fatalf("%s: terraform plan in %s is not empty:\n%s", why, dir, out)
	default:
		c.t.Fatalf("%s: terraform plan in %s failed (exit %d):\n%s", why, dir, code, out)
	}
}

// outputJSON returns `terraform output -json name` decoded into v.
func (c *tfCLI) outputJSON(dir, name string, v any) {
	c.t.Helper()
	out, code := c.run(dir, "output", "-json", name)
	if code != 0 {
		c.t.Fatalf("terraform output %s in %s failed:\n%s", name, dir, out)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		c.t.Fatalf("decoding output %s: %v\n%s", name, err, out)
	}
}

func newTFCLI(t *testing.T, baseURL string) *tfCLI {
	t.Helper()
	return newTFCLIWithToken(t, baseURL, emulator.AdminToken)
}

// newTFCLIWithToken is newTFCLI with the provider's API token set to token
// (a member's own, from memberToken).
func newTFCLIWithToken(t *testing.T, baseURL, token string) *tfCLI {
	t.Helper()
	tf := terraformBinary(t)
	bin := acctest.ProviderBinary(t)
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "cli.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cfiam/cfiam\" = %q\n  }\n  direct {}\n}\n", bin)
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLOUDFLARE_") && !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "CFIAM_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"CLOUDFLARE_API_TOKEN="+token,
		"CLOUDFLARE_ACCOUNT_ID="+emulator.AccountID,
		"CLOUDFLARE_BASE_URL="+baseURL,
	)
	return &tfCLI{t: t, terraform: tf, env: env}
}
