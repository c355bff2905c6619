package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cfiam/terraform-provider-cfiam/internal/accessreport"
	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// reach is what a principal can do on one object: the highest access and
// each grant giving it, as "role|how|ref" (how: account, direct, binding or
// group; ref: the policy ID, or the group's name).
type reach struct {
	access string
	grants []string
}

// reachOf is a member's account roles and, per scope ("zone", "tunnel",
// ...), each object it reaches by ID.
type reachOf struct {
	accountRoles []string
	objects      map[string]map[string]reach
}

func newReach() reachOf { return reachOf{objects: map[string]map[string]reach{}} }

func (r reachOf) add(scope, id, access, grant string) {
	if r.objects[scope] == nil {
		r.objects[scope] = map[string]reach{}
	}
	o := r.objects[scope][id]
	if o.access == "" || access == "edit" {
		o.access = access
	}
	if !slices.Contains(o.grants, grant) {
		o.grants = append(o.grants, grant)
	}
	sort.Strings(o.grants)
	r.objects[scope][id] = o
}

// isAccountRole: is name an account-scoped role of the embedded catalog
// (which the emulator seeds from)?
func isAccountRole(name string) bool {
	for _, e := range catalog.Embedded().Find(catalog.KindRole, name) {
		if e.Name == name && e.Scope == catalog.ScopeAccount {
			return true
		}
	}
	return false
}

// reportReach reads one member's rows of `cfiam access --format json`.
func reportReach(t *testing.T, rows []accessreport.Grant, email string) reachOf {
	t.Helper()
	out := newReach()
	for _, r := range rows {
		if r.Principal != email || r.PrincipalKind != accessreport.KindMember || r.Effect != "allow" {
			continue
		}
		if r.Scope == string(catalog.ScopeAccount) {
			if !slices.Contains(out.accountRoles, r.Role) {
				out.accountRoles = append(out.accountRoles, r.Role)
			}
			continue
		}
		var how, ref string
		switch {
		case r.Held == accessreport.HeldGroup:
			how, ref = "group", r.Group
		case r.Held == accessreport.HeldBinding:
			how, ref = "binding", r.Policy
		case r.Held == accessreport.HeldLegacy || isAccountRole(r.Role):
			how = "account"
		case r.Held == accessreport.HeldDirect:
			how, ref = "direct", r.Policy
		default:
			t.Errorf("%s: row held %q: %+v", email, r.Held, r)
		}
		out.add(r.Scope, r.ObjectID, r.Access, r.Role+"|"+how+"|"+ref)
	}
	sort.Strings(out.accountRoles)
	return out
}

// The grant strings cfiam_effective_access documents in its schema.
var (
	viaGroupGrant = regexp.MustCompile(`^via group ("(?:[^"\\]|\\.)*"): (?:account )?role ("(?:[^"\\]|\\.)*")$`)
	accountGrant  = regexp.MustCompile(`^account role ("(?:[^"\\]|\\.)*")$`)
	policyGrant   = regexp.MustCompile(`^(binding|policy) ([0-9a-f]+) role ("(?:[^"\\]|\\.)*")$`)
)

// dataSourceReach reads one data.cfiam_effective_access from state.
func dataSourceReach(s *terraform.State, name string) (reachOf, error) {
	out := newReach()
	rs, ok := s.RootModule().Resources["data.cfiam_effective_access."+name]
	if !ok {
		return out, fmt.Errorf("no data.cfiam_effective_access.%s in state", name)
	}
	a := rs.Primary.Attributes
	n, _ := strconv.Atoi(a["account_roles.#"])
	for i := range n {
		out.accountRoles = append(out.accountRoles, a[fmt.Sprintf("account_roles.%d", i)])
	}
	sort.Strings(out.accountRoles)
	lists := map[string]string{"zones": string(catalog.ScopeZone)}
	for _, k := range catalog.Kinds() {
		lists[k.Plural] = string(k.Scope)
	}
	unquote := func(q string) string { u, _ := strconv.Unquote(q); return u }
	for list, scope := range lists {
		n, err := strconv.Atoi(a[list+".#"])
		if err != nil {
			return out, fmt.Errorf("%s.%s.#: %w", name, list, err)
		}
		for i := range n {
			p := fmt.Sprintf("%s.%d.", list, i)
			g, _ := strconv.Atoi(a[p+"grants.#"])
			for j := range g {
				text := a[fmt.Sprintf("%sgrants.%d", p, j)]
				var grant string
				if m := viaGroupGrant.FindStringSubmatch(text); m != nil {
					grant = unquote(m[2]) + "|group|" + unquote(m[1])
				} else if m := accountGrant.FindStringSubmatch(text); m != nil {
					grant = unquote(m[1]) + "|account|"
				} else if m := policyGrant.FindStringSubmatch(text); m != nil {
					how := map[string]string{"binding": "binding", "policy": "direct"}[m[1]]
					grant = unquote(m[3]) + "|" + how + "|" + m[2]
				} else {
					return out, fmt.Errorf("%s: %s grant %q is none of the documented forms", name, list, text)
				}
				out.add(scope, a[p+"id"], a[p+"access"], grant)
			}
		}
	}
	return out, nil
}

// TestAccess_matchesEffectiveAccess: an account built with Terraform
// (members, a user group with an authoritative and an additive membership,
// Tunnel, Mesh node and Access application bindings, deny policies, a
// pending member, an account token): for every member, what `cfiam access
// --format json --scope KIND` reports for each kind (account roles listed
// on each object they reach) equals what data.cfiam_effective_access says
// (the account roles, and on every zone and object of every kind the access
// and each grant giving it), and both equal what the member's own token
// lists; so does the unfiltered report read as its help says (each account
// row on every object of the kinds it reaches, grants bound to objects,
// less the objects a deny is bound to). A few facts are written out by hand
// from the configuration and the reference pages, so that the two cannot
// agree on a wrong answer unseen.
func TestAccess_matchesEffectiveAccess(t *testing.T) {
	emu, baseURL := acctest.NewEmulator(t)
	emu.SetAllowDirectAdd(true) // the configuration adds members as accepted
	for k, v := range map[string]string{
		"CLOUDFLARE_API_TOKEN": emulator.AdminToken, "CLOUDFLARE_BASE_URL": baseURL,
		"CLOUDFLARE_ACCOUNT_ID": emulator.AccountID, "CLOUDFLARE_API_KEY": "", "CLOUDFLARE_EMAIL": "",
		"CFIAM_MAX_RETRIES": "", "CFIAM_REQUEST_TIMEOUT": "",
	} {
		t.Setenv(k, v)
	}
	members := []string{"ann", "ben", "cat", "dan"}
	cfg := acctest.Config(acctest.ProviderConfig(baseURL), fmt.Sprintf(`
# ann: every Tunnel, Mesh node and Access object through Cloudflare Access,
# but Tunnel app-b denied; Domain DNS on example.com.
resource "cfiam_account_member" "ann" {
  email  = "ann@example.com"
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Cloudflare Access"] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%[1]q] },
    { access = "deny", roles = ["Cloudflare Tunnel Instance Read"], tunnel_ids = [%[4]q] },
  ]
}

# ben: Analytics; Tunnel app-a and Mesh node office-a through bindings;
# in groups ops and apps.
resource "cfiam_account_member" "ben" {
  email    = "ben@example.com"
  status   = "accepted"
  policies = [{ access = "allow", roles = ["Analytics"] }]
}
resource "cfiam_tunnel_binding" "ben_app_a" {
  member_id  = cfiam_account_member.ben.id
  roles      = ["Cloudflare Tunnel Instance Read"]
  tunnel_ids = [%[3]q]
}
resource "cfiam_mesh_node_binding" "ben_office_a" {
  member_id     = cfiam_account_member.ben.id
  roles         = ["Cloudflare Mesh Node Admin"]
  mesh_node_ids = [%[5]q]
}

# cat: Access application app-b through a binding, app-a denied although
# group apps allows it.
resource "cfiam_account_member" "cat" {
  email  = "cat@example.com"
  status = "accepted"
  policies = [
    { access = "allow", roles = ["Analytics"] },
    { access = "deny", roles = ["Cloudflare Access App Admin"], access_application_ids = [%[7]q] },
  ]
}
resource "cfiam_access_application_binding" "cat_app_b" {
  member_id              = cfiam_account_member.cat.id
  roles                  = ["Cloudflare Access App Admin"]
  access_application_ids = [%[8]q]
}

# dan: invited, not accepted: holds nothing.
resource "cfiam_account_member" "dan" {
  email    = "dan@example.com"
  status   = "pending"
  policies = [{ access = "allow", roles = ["Administrator Read Only"] }]
}

# ops lists its members (ben); apps takes them one by one (ben, cat).
resource "cfiam_user_group" "ops" {
  name = "ops"
  policies = [
    { access = "allow", roles = ["Cloudflare Mesh Node Read"], mesh_node_ids = [%[6]q] },
    { access = "allow", roles = ["Domain DNS"], zone_ids = [%[2]q] },
  ]
}
resource "cfiam_user_group_members" "ops" {
  user_group_id = cfiam_user_group.ops.id
  member_ids    = [cfiam_account_member.ben.id]
}
resource "cfiam_user_group" "apps" {
  name     = "apps"
  policies = [{ access = "allow", roles = ["Cloudflare Access App Admin"], access_application_ids = [%[7]q] }]
}
resource "cfiam_user_group_membership" "apps_ben" {
  user_group_id = cfiam_user_group.apps.id
  member_id     = cfiam_account_member.ben.id
}
resource "cfiam_user_group_membership" "apps_cat" {
  user_group_id = cfiam_user_group.apps.id
  member_id     = cfiam_account_member.cat.id
}

resource "cfiam_account_token" "ci" {
  name = "ci-reader"
  policies = [
    { effect = "allow", permission_groups = ["Cloudflare Tunnel Read"], account_ids = [%[9]q] },
    { effect = "allow", permission_groups = ["Zone Read"], zone_ids = [%[1]q] },
  ]
}

locals {
  after = [cfiam_tunnel_binding.ben_app_a, cfiam_mesh_node_binding.ben_office_a, cfiam_access_application_binding.cat_app_b,
  cfiam_user_group_members.ops, cfiam_user_group_membership.apps_ben, cfiam_user_group_membership.apps_cat]
}
data "cfiam_effective_access" "admin" {
  member_id  = %[10]q
  depends_on = [local.after]
}
`, emulator.ZoneExampleCom, emulator.ZoneExampleOrg, emulator.TunnelAppA, emulator.TunnelAppB,
		emulator.MeshNodeOfficeA, emulator.MeshNodeOfficeB, emulator.AccessAppA, emulator.AccessAppB,
		emulator.AccountID, emulator.AdminMemberID))
	for _, m := range members {
		cfg += fmt.Sprintf(`
data "cfiam_effective_access" %[1]q {
  member_id  = cfiam_account_member.%[1]s.id
  depends_on = [local.after]
}
`, m)
	}

	scopes := []string{string(catalog.ScopeZone)}
	for _, k := range catalog.Kinds() {
		scopes = append(scopes, string(k.Scope))
	}
	check := func(s *terraform.State) error {
		rows := accessJSON(t)
		// Account roles as account rows; on objects, what --scope KIND
		// lists for each kind: every grant that reaches them.
		var eachObject []accessreport.Grant
		for _, r := range rows {
			if r.Scope == string(catalog.ScopeAccount) {
				eachObject = append(eachObject, r)
			}
		}
		for _, scope := range scopes {
			for _, r := range accessJSON(t, "--scope", scope) {
				if r.Scope == scope {
					eachObject = append(eachObject, r)
				}
			}
		}
		everything := listAll(t, baseURL, emulator.AdminToken)
		id := func(address string) string { return s.RootModule().Resources[address].Primary.Attributes["id"] }
		policyOf := func(address string) string {
			return s.RootModule().Resources[address].Primary.Attributes["policy_id"]
		}
		emails := map[string]string{"admin": emulator.AdminEmail}
		for _, m := range members {
			emails[m] = m + "@example.com"
		}
		got := map[string]reachOf{}
		for name, email := range emails {
			fromReport := reportReach(t, eachObject, email)
			fromData, err := dataSourceReach(s, name)
			if err != nil {
				return err
			}
			got[name] = fromReport
			if !slices.Equal(fromReport.accountRoles, fromData.accountRoles) {
				t.Errorf("%s's account roles: cfiam access %q, cfiam_effective_access %q", email, fromReport.accountRoles, fromData.accountRoles)
			}
			for _, scope := range scopes {
				r, d := fromReport.objects[scope], fromData.objects[scope]
				for oid := range merged(r, d) {
					if a, b := r[oid], d[oid]; a.access != b.access || !slices.Equal(a.grants, b.grants) {
						t.Errorf("%s on %s %s: cfiam access %+v, cfiam_effective_access %+v", email, scope, oid, a, b)
					}
				}
			}
			if name == "dan" {
				continue // a pending member has no token of its own
			}
			// Both equal what the member's own token lists.
			token := emulator.AdminToken
			if name != "admin" {
				token = memberTokenFor(t, baseURL, id("cfiam_account_member."+name))
			}
			listed := listAll(t, baseURL, token)
			derived := readAsDocumented(rows, email, everything)
			for _, scope := range scopes {
				var reported []string
				for oid := range fromReport.objects[scope] {
					reported = append(reported, oid)
				}
				sort.Strings(reported)
				if !slices.Equal(reported, listed[scope]) {
					t.Errorf("%s's own token lists %s %q, cfiam access --scope %s reports %q", email, scope, listed[scope], scope, reported)
				}
				if !slices.Equal(derived[scope], listed[scope]) {
					t.Errorf("%s's own token lists %s %q, the unfiltered report read as documented %q", email, scope, listed[scope], derived[scope])
				}
			}
		}

		// Facts written out by hand from the configuration above and the
		// reference pages (Cloudflare Access edits every Tunnel and Access
		// object; a deny wins; an application's own policy goes with it).
		fact := func(who, scope, oid, want string) {
			t.Helper()
			o, ok := got[who].objects[scope][oid]
			line := "(nothing)"
			if ok {
				line = o.access + " " + strings.Join(o.grants, ", ")
			}
			if want == "" && ok || want != "" && line != want {
				t.Errorf("%s on %s %s: %q, want %q", who, scope, oid, line, want)
			}
		}
		group := "|group|ops"
		fact("ann", "tunnel", emulator.TunnelAppA, "edit Cloudflare Access|account|")
		fact("ann", "tunnel", emulator.TunnelAppB, "")
		fact("ann", "access_application", emulator.AccessAppB, "edit Cloudflare Access|account|")
		fact("ann", "zone", emulator.ZoneExampleCom, "read Domain DNS|direct|"+policyOfMember(t, emu, "ann@example.com", "Domain DNS"))
		fact("ben", "tunnel", emulator.TunnelAppA, "read Cloudflare Tunnel Instance Read|binding|"+policyOf("cfiam_tunnel_binding.ben_app_a"))
		fact("ben", "tunnel", emulator.TunnelAppB, "")
		fact("ben", "mesh_node", emulator.MeshNodeOfficeA, "edit Cloudflare Mesh Node Admin|binding|"+policyOf("cfiam_mesh_node_binding.ben_office_a"))
		fact("ben", "mesh_node", emulator.MeshNodeOfficeB, "read Cloudflare Mesh Node Read"+group)
		fact("ben", "access_application", emulator.AccessAppA, "edit Cloudflare Access App Admin|group|apps")
		fact("ben", "access_policy", emulator.AccessPolicyAppA, "edit Cloudflare Access App Admin|group|apps")
		fact("ben", "zone", emulator.ZoneExampleOrg, "read Domain DNS"+group)
		fact("cat", "access_application", emulator.AccessAppA, "")
		fact("cat", "access_policy", emulator.AccessPolicyAppA, "")
		fact("cat", "access_application", emulator.AccessAppB, "edit Cloudflare Access App Admin|binding|"+policyOf("cfiam_access_application_binding.cat_app_b"))
		if n := len(got["dan"].objects) + len(got["dan"].accountRoles); n != 0 {
			t.Errorf("dan (pending) holds %+v, want nothing", got["dan"])
		}
		if want := []string{"Analytics"}; !slices.Equal(got["ben"].accountRoles, want) {
			t.Errorf("ben's account roles %q, want %q", got["ben"].accountRoles, want)
		}
		// Unfiltered, an account role is one row: ann's Cloudflare Access
		// ("can edit Cloudflare Access and Cloudflare Tunnel", no zone) is
		// on no object of its own; the deny bound to app-b is.
		var annRows []string
		for _, r := range rows {
			if r.Principal == "ann@example.com" && r.Scope != string(catalog.ScopeZone) {
				annRows = append(annRows, r.Where()+"|"+r.Role+"|"+r.Effect)
				if r.Role == "Cloudflare Access" && r.Scope == string(catalog.ScopeAccount) {
					for _, want := range []string{"tunnel", "access_application", "access_identity_provider", "access_policy", "access_service_token"} {
						if !slices.Contains(r.Reaches, want) {
							t.Errorf("ann's Cloudflare Access reaches %q, want %s among them", r.Reaches, want)
						}
					}
					if slices.Contains(r.Reaches, "zone") {
						t.Errorf("ann's Cloudflare Access reaches %q: not zones", r.Reaches)
					}
				}
			}
		}
		sort.Strings(annRows)
		wantAnn := []string{"account " + emulator.AccountID + "|Cloudflare Access|allow", "tunnel app-b|Cloudflare Tunnel Instance Read|deny"}
		if !slices.Equal(annRows, wantAnn) {
			t.Errorf("ann's rows other than zones: %q, want %q", annRows, wantAnn)
		}
		// The Super Administrator reaches every zone and every kind.
		for _, r := range rows {
			if r.Principal == emulator.AdminEmail && r.Scope == string(catalog.ScopeAccount) {
				if want := []string{"zone", "tunnel", "mesh_node", "access_application", "access_identity_provider", "access_policy",
					"access_service_token", "infrastructure_target"}; !slices.Equal(r.Reaches, want) {
					t.Errorf("the admin's %s reaches %q, want %q", r.Role, r.Reaches, want)
				}
			} else if r.Principal == emulator.AdminEmail {
				t.Errorf("the admin's account role on an object of its own: %+v", r)
			}
		}
		var token []string
		for _, r := range rows {
			if r.PrincipalKind == accessreport.KindAccountToken && r.Principal == "ci-reader" {
				token = append(token, r.Where()+"|"+r.Role+"|"+r.Effect+"|"+r.PrincipalID)
			}
		}
		sort.Strings(token)
		ci := id("cfiam_account_token.ci")
		wantToken := []string{"account " + emulator.AccountID + "|Cloudflare Tunnel Read|allow|" + ci, "zone example.com|Zone Read|allow|" + ci}
		if !slices.Equal(token, wantToken) {
			t.Errorf("token ci-reader: %q, want %q", token, wantToken)
		}
		return nil
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		Steps:                    []resource.TestStep{{Config: cfg, Check: check}},
	})
}

// listAll is what a token lists of zones and of every kind, by scope, each
// sorted.
func listAll(t *testing.T, baseURL, token string) map[string][]string {
	t.Helper()
	mc, err := cfclient.New(cfclient.Config{APIToken: token, BaseURL: baseURL, AccountID: emulator.AccountID})
	if err != nil {
		t.Fatal(err)
	}
	zones, err := mc.ListAccountZones(t.Context(), emulator.AccountID)
	if err != nil {
		t.Fatalf("listing zones: %v", err)
	}
	listed := map[string][]string{}
	for _, z := range zones {
		listed[string(catalog.ScopeZone)] = append(listed[string(catalog.ScopeZone)], z.ID)
	}
	for _, k := range catalog.Kinds() {
		objs, err := mc.ListObjects(t.Context(), k.Scope, emulator.AccountID)
		if err != nil {
			t.Fatalf("listing %s: %v", k.Plural, err)
		}
		for _, o := range objs {
			listed[string(k.Scope)] = append(listed[string(k.Scope)], o.ID)
		}
	}
	for _, ids := range listed {
		sort.Strings(ids)
	}
	return listed
}

// readAsDocumented is what `cfiam access -h` tells a reader a member can
// read, from the unfiltered rows: every object of each kind an account row
// reaches, each object an allow row names, less each object a deny row
// names; by scope, each sorted. everything is every object by scope.
func readAsDocumented(rows []accessreport.Grant, email string, everything map[string][]string) map[string][]string {
	reached, denied := map[string]map[string]bool{}, map[string]bool{}
	add := func(scope, id string) {
		if reached[scope] == nil {
			reached[scope] = map[string]bool{}
		}
		reached[scope][id] = true
	}
	for _, r := range rows {
		switch {
		case r.Principal != email || r.PrincipalKind != accessreport.KindMember:
		case r.Effect == "deny" && r.Scope != string(catalog.ScopeAccount):
			denied[r.Scope+" "+r.ObjectID] = true
		case r.Effect == "allow" && r.Scope == string(catalog.ScopeAccount):
			for _, s := range r.Reaches {
				for _, id := range everything[s] {
					add(s, id)
				}
			}
		case r.Effect == "allow":
			add(r.Scope, r.ObjectID)
		}
	}
	out := map[string][]string{}
	for scope, ids := range reached {
		for id := range ids {
			if !denied[scope+" "+id] {
				out[scope] = append(out[scope], id)
			}
		}
		sort.Strings(out[scope])
	}
	return out
}

func merged(a, b map[string]reach) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// policyOfMember is the ID of the member's policy granting the domain role role, from the
// emulator's own state.
func policyOfMember(t *testing.T, emu *emulator.Emulator, email, role string) string {
	t.Helper()
	want, err := catalog.Embedded().ResolveRole(role, catalog.ScopeZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range emu.Members(emulator.AccountID) {
		if strings.EqualFold(m.Email, email) {
			for _, p := range m.Policies {
				if slices.Contains(p.PermissionGroups, want.ID) {
					return p.ID
				}
			}
		}
	}
	t.Errorf("no policy of %s grants %s in the emulator", email, role)
	return ""
}
