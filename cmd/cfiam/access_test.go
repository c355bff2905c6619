package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/accessreport"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// Names a report must render as text, never as markup or script.
const (
	injectedGroup = `<img src=x onerror=alert(1)>`
	injectedToken = `<script>alert(2)</script>` //nolint:gosec // G101: a token name, no credential
)

// accessAccount is an emulator account with:
//   - alice@example.com: Domain DNS on example.com (her own policy);
//   - bob@example.com: Cloudflare Tunnel Instance Read on Tunnel app-a
//     through a binding (a cfiam-tunnel-binding: resource group), member of
//     the group injectedGroup, which holds Cloudflare Access App Admin on
//     Access applications app-a and app-b, and his own deny of that role on
//     app-b;
//   - carol@example.com: invited, not accepted, with Administrator Read Only;
//   - the account token injectedToken with Account Settings Read.
type accessAccount struct {
	baseURL            string
	alice, bob, carol  string // member IDs
	groupID, tokenName string
}

func newAccessAccount(t *testing.T) accessAccount {
	t.Helper()
	return newAccessAccountOn(t, emulator.New())
}

// newAccessAccountOn is newAccessAccount on a given emulator (to read its
// counters).
func newAccessAccountOn(t *testing.T, emu *emulator.Emulator) accessAccount {
	t.Helper()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	base := srv.URL + "/client/v4"
	for k, v := range map[string]string{
		"CLOUDFLARE_API_TOKEN": emulator.AdminToken, "CLOUDFLARE_BASE_URL": base,
		"CLOUDFLARE_ACCOUNT_ID": emulator.AccountID, "CLOUDFLARE_API_KEY": "", "CLOUDFLARE_EMAIL": "",
		"CFIAM_MAX_RETRIES": "", "CFIAM_REQUEST_TIMEOUT": "",
	} {
		t.Setenv(k, v)
	}
	ctx, acct := t.Context(), emulator.AccountID
	c, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, BaseURL: base, AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.Embedded()
	role := func(k catalog.Kind, name string) string {
		t.Helper()
		for _, e := range cat.Find(k, name) {
			if e.Name == name {
				return e.ID
			}
		}
		t.Fatalf("no %s %q in the catalog", k, name)
		return ""
	}
	group := func(name string, keys ...string) string {
		t.Helper()
		rg, err := c.CreateResourceGroup(ctx, acct, name, keys)
		if err != nil {
			t.Fatal(err)
		}
		return rg.ID
	}
	member := func(email, status string, pols ...cfclient.MemberPolicy) string {
		t.Helper()
		m, err := c.CreateMember(ctx, acct, email, "pending", pols)
		if err != nil {
			t.Fatal(err)
		}
		if status == "accepted" {
			res, err := http.Post(srv.URL+"/__emulator/members/"+m.ID+"/accept", "application/json", nil) //nolint:noctx // test server
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("accepting %s: %v %v", email, res, err)
			}
			_ = res.Body.Close()
		}
		return m.ID
	}
	zoneGroup := group("zone example.com", catalog.ResourceKey(catalog.ScopeZone, emulator.ZoneExampleCom))
	bindingGroup := group("cfiam-tunnel-binding:"+emulator.TunnelAppA, catalog.ResourceKey(catalog.ScopeTunnel, emulator.TunnelAppA))
	appsGroup := group("apps a and b", catalog.ResourceKey(catalog.ScopeAccessApplication, emulator.AccessAppA),
		catalog.ResourceKey(catalog.ScopeAccessApplication, emulator.AccessAppB))
	appBGroup := group("app b", catalog.ResourceKey(catalog.ScopeAccessApplication, emulator.AccessAppB))
	appAdmin := role(catalog.KindRole, catalog.RoleAccessAppAdmin)

	a := accessAccount{baseURL: base, tokenName: injectedToken}
	a.alice = member("alice@example.com", "accepted",
		cfclient.NewMemberPolicy("", "allow", []string{role(catalog.KindRole, "Domain DNS")}, []string{zoneGroup}))
	a.bob = member("bob@example.com", "accepted",
		cfclient.NewMemberPolicy("", "allow", []string{role(catalog.KindRole, catalog.RoleTunnelInstanceRead)}, []string{bindingGroup}),
		cfclient.NewMemberPolicy("", "deny", []string{appAdmin}, []string{appBGroup}))
	a.carol = member("carol@example.com", "pending",
		cfclient.NewMemberPolicy("", "allow", []string{role(catalog.KindRole, "Administrator Read Only")}, []string{emulator.AccountResourceGroupID}))
	g, err := c.CreateUserGroup(ctx, acct, injectedGroup, []cfclient.MemberPolicy{
		cfclient.NewMemberPolicy("", "allow", []string{appAdmin}, []string{appsGroup})})
	if err != nil {
		t.Fatal(err)
	}
	a.groupID = g.ID
	if _, err := c.AddUserGroupMembers(ctx, acct, g.ID, []string{a.bob}); err != nil {
		t.Fatal(err)
	}
	pg := role(catalog.KindPermissionGroup, "Account Settings Read")
	if _, err := c.CreateToken(ctx, acct, cfclient.TokenInput{Name: injectedToken, Policies: []cfclient.TokenPolicy{{
		Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: pg}},
		Resources: map[string]any{catalog.ResourceKey(catalog.ScopeAccount, acct): "*"}}}}); err != nil {
		t.Fatal(err)
	}
	return a
}

func accessJSON(t *testing.T, args ...string) []accessreport.Grant {
	t.Helper()
	code, out, stderr := cfiam(t, "", append([]string{"access", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		AccountID string               `json:"account_id"`
		Grants    []accessreport.Grant `json:"grants"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.AccountID != emulator.AccountID {
		t.Errorf("account_id %q", got.AccountID)
	}
	return got.Grants
}

// grantLines are the rows of principals other than the seeded admin, as
// "principal|scope object|role|effect|access|held|group".
func grantLines(rows []accessreport.Grant) []string {
	var out []string
	for _, r := range rows {
		if r.Principal == emulator.AdminEmail || r.PrincipalKind == accessreport.KindUserToken {
			continue
		}
		out = append(out, strings.Join([]string{r.Principal, r.Scope + " " + r.ObjectName, r.Role, r.Effect, r.Access, r.Held, r.Group}, "|"))
	}
	sort.Strings(out)
	return out
}

// TestAccess_grants: every grant of the report, written out by hand from the
// account's setup, and what each member's own token lists in the emulator.
func TestAccess_grants(t *testing.T) {
	a := newAccessAccount(t)
	rows := accessJSON(t)
	acct := emulator.AccountID
	want := []string{
		// Zone access is the zone's own level: Domain DNS edits DNS, reads the zone.
		"alice@example.com|zone example.com|Domain DNS|allow|read|direct|",
		"bob@example.com|access_application app-a|Cloudflare Access App Admin|allow|edit|group|" + injectedGroup,
		"bob@example.com|access_application app-b|Cloudflare Access App Admin|deny||direct|",
		// app-a's own policy, managed through the application.
		"bob@example.com|access_policy app-a-own|Cloudflare Access App Admin|allow|edit|group|" + injectedGroup,
		"bob@example.com|tunnel app-a|Cloudflare Tunnel Instance Read|allow|read|binding|",
		injectedToken + "|account " + acct + "|Account Settings Read|allow||token|",
		injectedGroup + "|access_application app-a|Cloudflare Access App Admin|allow|edit|direct|",
		injectedGroup + "|access_application app-b|Cloudflare Access App Admin|allow|edit|direct|",
		injectedGroup + "|access_policy app-a-own|Cloudflare Access App Admin|allow|edit|direct|",
	}
	sort.Strings(want)
	if got := grantLines(rows); !slices.Equal(got, want) {
		t.Errorf("grants:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// The seeded admin's Super Administrator is an escalation, listed first.
	if len(rows) == 0 || rows[0].Principal != emulator.AdminEmail || rows[0].Escalation != "Super Administrator" {
		t.Errorf("first row: %+v, want the admin's Super Administrator escalation", rows[0])
	}
	for _, r := range rows {
		if r.Principal == "bob@example.com" && r.Scope == "access_application" && r.Effect == "allow" {
			wantPath := []string{"member bob@example.com", "group " + injectedGroup, "policy " + r.Policy,
				"role Cloudflare Access App Admin", "access_application app-a"}
			if !slices.Equal(r.Path, wantPath) || r.Policy == "" {
				t.Errorf("bob's path: %q, want %q", r.Path, wantPath)
			}
		}
	}

	// What each member's own token lists is what the report says it can
	// read, read as its help says.
	everything := listAll(t, a.baseURL, emulator.AdminToken)
	for email, id := range map[string]string{"alice@example.com": a.alice, "bob@example.com": a.bob} {
		listed := listAll(t, a.baseURL, memberTokenFor(t, a.baseURL, id))
		if reported := readAsDocumented(rows, email, everything); !maps.EqualFunc(listed, reported, slices.Equal) {
			t.Errorf("%s: own token lists %q, the report says %q", email, listed, reported)
		}
	}
}

func memberTokenFor(t *testing.T, baseURL, memberID string) string {
	t.Helper()
	root := strings.TrimSuffix(baseURL, "/client/v4")
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, root+"/__emulator/members/"+memberID+"/token", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var body struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || body.Token == "" {
		t.Fatalf("member token: HTTP %d, %v", res.StatusCode, err)
	}
	return body.Token
}

// TestAccess_missingPermission: a member's own token may not list the
// account's members: one line naming the permission group to add, exit 1.
func TestAccess_missingPermission(t *testing.T) {
	a := newAccessAccount(t)
	t.Setenv("CLOUDFLARE_API_TOKEN", memberTokenFor(t, a.baseURL, a.alice))
	code, out, stderr := cfiam(t, "", "access")
	if code != exitRead || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	want := `is reading permission groups, which needs the permission group "Account Settings Read"`
	if !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q: want one line containing %q", stderr, want)
	}
}

func TestAccess_usage(t *testing.T) {
	newAccessAccount(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"access", "--format", "yaml"}, `unknown --format "yaml"`},
		{[]string{"access", "extra"}, `unexpected argument "extra"`},
		{[]string{"access", "--nope"}, "flag provided but not defined"},
	} {
		code, _, stderr := cfiam(t, "", tc.args...)
		if code != exitInput || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	t.Setenv("CLOUDFLARE_API_TOKEN", "")
	if code, _, stderr := cfiam(t, "", "access"); code != exitInput || !strings.Contains(stderr, "no credentials") {
		t.Errorf("no token: exit %d, %q", code, stderr)
	}
	code, out, _ := cfiam(t, "", "access", "-h")
	if code != exitOK || !strings.Contains(out, "--escalations-only") || !strings.Contains(out, "Exit status") {
		t.Errorf("-h: exit %d, %q", code, out)
	}
}

// TestAccess_filtersAndFormats: filters keep the matching rows; CSV,
// Markdown and the table carry the injected names as text.
func TestAccess_filtersAndFormats(t *testing.T) {
	newAccessAccount(t)
	rows := accessJSON(t, "--principal", "BOB@", "--scope", "access_")
	want := []string{
		"bob@example.com|access_application app-a|Cloudflare Access App Admin|allow|edit|group|" + injectedGroup,
		"bob@example.com|access_application app-b|Cloudflare Access App Admin|deny||direct|",
		"bob@example.com|access_policy app-a-own|Cloudflare Access App Admin|allow|edit|group|" + injectedGroup,
	}
	if got := grantLines(rows); !slices.Equal(got, want) {
		t.Errorf("filtered: %q", got)
	}
	for _, r := range accessJSON(t, "--escalations-only") {
		if r.Escalation == "" {
			t.Errorf("--escalations-only kept %+v", r)
		}
	}
	if rows := accessJSON(t, "--role", "tunnel instance", "--principal", "bob"); len(rows) != 1 || rows[0].Held != "binding" {
		t.Errorf("--role: %+v", rows)
	}
	_, csvOut, _ := cfiam(t, "", "access", "--format", "csv", "--principal", "bob")
	if !strings.HasPrefix(csvOut, "principal,kind,role,scope,object,effect,access,held,via,escalation,reaches,path\n") ||
		!strings.Contains(csvOut, `member bob@example.com > group <img src=x onerror=alert(1)> > policy `) {
		t.Errorf("csv:\n%s", csvOut)
	}
	// An account role's row says what it reaches: the Super Administrator,
	// every zone and every kind.
	const every = "zone tunnel mesh_node access_application access_identity_provider access_policy access_service_token infrastructure_target"
	for _, format := range []string{"csv", "table", "markdown"} {
		_, out, _ := cfiam(t, "", "access", "--format", format, "--principal", "admin@")
		if !strings.Contains(strings.ReplaceAll(out, `\_`, "_"), every) {
			t.Errorf("%s: the admin's row does not say it reaches %q:\n%s", format, every, out)
		}
	}
	_, md, _ := cfiam(t, "", "access", "--format", "markdown", "--principal", "script")
	if strings.Contains(md, "<script>") || !strings.Contains(md, "&lt;script&gt;alert(2)&lt;/script&gt;") {
		t.Errorf("markdown does not escape the token's name:\n%s", md)
	}
}
