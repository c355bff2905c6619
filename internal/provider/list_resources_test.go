package provider_test

// The list resources one by one, through terraform-plugin-testing's Query
// steps (`terraform query -json`, Terraform 1.14 and later; skipped below,
// and on OpenTofu, which has no list resources, by the tfversion check):
// each object made outside Terraform is listed once with its identity and,
// with include_resource, the attributes an import would read; the filters
// select what they say. TestAccQuery_generateConfigOut
// (query_generate_config_test.go) runs the whole workflow with the CLI.

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cfiam/terraform-provider-cfiam/internal/acctest"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

// queryTest runs a Query step over the emulator at baseURL: the first step
// only writes the provider block (a query needs a configuration beside it).
func queryTest(t *testing.T, baseURL, query string, checks ...querycheck.QueryResultCheck) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(baseURL)},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	})
}

// byID filters list results by their identity (the filter compares the
// whole identity): account_id and id.
func byID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(id),
	})
}

// byUserTokenID filters by a user token's identity: its id alone.
func byUserTokenID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

func values(checks map[string]knownvalue.Check) []querycheck.KnownValueCheck {
	out := make([]querycheck.KnownValueCheck, 0, len(checks))
	for name, c := range checks {
		out = append(out, querycheck.KnownValueCheck{Path: tfjsonpath.New(name), KnownValue: c})
	}
	return out
}

// allowPolicy is an allow policy as cfiam_account_member's state holds it:
// roles by name, and one kind of scope (attr, or none for account-wide).
func allowPolicy(roles []string, attr string, ids ...string) knownvalue.Check {
	checks := map[string]knownvalue.Check{"access": knownvalue.StringExact("allow"), "roles": setOf(roles...)}
	for _, a := range append([]string{"zone_ids", "tunnel_ids", "mesh_node_ids", "resource_group_ids"}, accessKindAttrs...) {
		checks[a] = knownvalue.Null()
	}
	if attr != "" {
		checks[attr] = setOf(ids...)
	}
	return knownvalue.ObjectExact(checks)
}

func setOf(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.SetExact(checks)
}

// Members: the e-mail filter (any case) finds one member with its policies
// by role name; the status filter finds the accepted ones; a Tunnel
// binding's policy stays out of the member.
func TestAccAccountMember_list(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	contractor := createOutsideTerraform(t, adminClient(t, baseURL)) // pending
	appDev, _ := createBindingOutsideTerraform(t, baseURL)           // accepted, with a binding
	queryTest(t, baseURL, `
list "cfiam_account_member" "contractor" {
  provider         = cfiam
  include_resource = true
  config {
    email = "Contractor@Example.com"
  }
}

list "cfiam_account_member" "accepted" {
  provider         = cfiam
  include_resource = true
  config {
    status = "accepted"
  }
}
`,
		querycheck.ExpectLength("cfiam_account_member.contractor", 1),
		querycheck.ExpectIdentity("cfiam_account_member.contractor", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(contractor.ID),
		}),
		querycheck.ExpectResourceDisplayName("cfiam_account_member.contractor", byID(contractor.ID), knownvalue.StringExact("contractor@example.com")),
		querycheck.ExpectResourceKnownValues("cfiam_account_member.contractor", byID(contractor.ID), values(map[string]knownvalue.Check{
			"email":  knownvalue.StringExact("contractor@example.com"),
			"status": knownvalue.StringExact("pending"),
			"policies": knownvalue.SetExact([]knownvalue.Check{
				allowPolicy([]string{"Analytics"}, ""),
				allowPolicy([]string{"Domain DNS", "Zone Versioning Read"}, "zone_ids", emulator.ZoneExampleCom, emulator.ZoneExampleOrg),
				allowPolicy([]string{"Cloudflare Tunnel Instance Admin"}, "tunnel_ids", emulator.TunnelAppA),
			}),
		})),
		// The emulator's Super Administrator and app-dev, not the pending contractor.
		querycheck.ExpectLength("cfiam_account_member.accepted", 2),
		querycheck.ExpectIdentity("cfiam_account_member.accepted", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(emulator.AdminMemberID),
		}),
		querycheck.ExpectResourceKnownValues("cfiam_account_member.accepted", byID(appDev), values(map[string]knownvalue.Check{
			"email":    knownvalue.StringExact("app-dev@example.com"),
			"policies": knownvalue.SetExact([]knownvalue.Check{allowPolicy([]string{"Analytics"}, "")}),
		})),
	)
}

// Tunnel bindings: the policy made the way cfiam_tunnel_binding makes it,
// roles by name (by ID for the one only the live catalog knows); the
// member_id filter.
func TestAccTunnelBinding_list(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	memberID, policyID := createBindingOutsideTerraform(t, baseURL)
	queryTest(t, baseURL, `
list "cfiam_tunnel_binding" "all" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_tunnel_binding" "admin" {
  provider = cfiam
  config {
    member_id = "`+emulator.AdminMemberID+`"
  }
}
`,
		querycheck.ExpectLength("cfiam_tunnel_binding.all", 1),
		querycheck.ExpectIdentity("cfiam_tunnel_binding.all", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID),
			"member_id":  knownvalue.StringExact(memberID),
			"policy_id":  knownvalue.StringExact(policyID),
		}),
		querycheck.ExpectResourceKnownValues("cfiam_tunnel_binding.all",
			queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
				"account_id": knownvalue.StringExact(emulator.AccountID),
				"member_id":  knownvalue.StringExact(memberID),
				"policy_id":  knownvalue.StringExact(policyID),
			}),
			values(map[string]knownvalue.Check{
				"id":         knownvalue.StringExact(emulator.AccountID + "/" + memberID + "/" + policyID),
				"roles":      setOf(tunnelReadRole, tunnelAdminRole, liveOnlyTunnelRole),
				"tunnel_ids": setOf(emulator.TunnelAppA, emulator.TunnelAppB),
			})),
		querycheck.ExpectLength("cfiam_tunnel_binding.admin", 0),
	)
}

// Resource groups: the named ones only (not the one-object groups the
// dashboard made for a member's zones and Tunnels), and the name filter.
func TestAccResourceGroup_list(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	createOutsideTerraform(t, adminClient(t, baseURL)) // three one-object groups
	zones, tunnels := createResourceGroupsOutsideTerraform(t, adminClient(t, baseURL))
	queryTest(t, baseURL, `
list "cfiam_resource_group" "all" {
  provider         = cfiam
  include_resource = true
}

list "cfiam_resource_group" "web" {
  provider = cfiam
  config {
    name = "web zones"
  }
}
`,
		querycheck.ExpectLength("cfiam_resource_group.all", 2),
		querycheck.ExpectResourceKnownValues("cfiam_resource_group.all", byID(zones.ID), values(map[string]knownvalue.Check{
			"name": knownvalue.StringExact("web zones"), "zone_ids": setOf(emulator.ZoneExampleCom, emulator.ZoneExampleOrg),
			"tunnel_ids": knownvalue.Null(), "account_id": knownvalue.StringExact(emulator.AccountID),
		})),
		querycheck.ExpectResourceKnownValues("cfiam_resource_group.all", byID(tunnels.ID), values(map[string]knownvalue.Check{
			"name": knownvalue.StringExact("app tunnels"), "tunnel_ids": setOf(emulator.TunnelAppA, emulator.TunnelAppB),
			"zone_ids": knownvalue.Null(),
		})),
		querycheck.ExpectLength("cfiam_resource_group.web", 1),
		querycheck.ExpectIdentity("cfiam_resource_group.web", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(zones.ID),
		}),
	)
}

// User tokens: permission groups by name, no value; the name filter. The
// emulator's admin token is the user's too.
func TestAccAPIToken_list(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	tok := createUserTokenOutsideTerraform(t, adminClient(t, baseURL))
	queryTest(t, baseURL, `
list "cfiam_api_token" "dns_ci" {
  provider         = cfiam
  include_resource = true
  config {
    name = "dns-ci"
  }
}
`,
		querycheck.ExpectLength("cfiam_api_token.dns_ci", 1),
		querycheck.ExpectIdentity("cfiam_api_token.dns_ci", map[string]knownvalue.Check{"id": knownvalue.StringExact(tok.ID)}),
		querycheck.ExpectResourceDisplayName("cfiam_api_token.dns_ci", byUserTokenID(tok.ID), knownvalue.StringExact("dns-ci")),
		querycheck.ExpectResourceKnownValues("cfiam_api_token.dns_ci", byUserTokenID(tok.ID), values(map[string]knownvalue.Check{
			"value":      knownvalue.Null(),
			"status":     knownvalue.StringExact("active"),
			"expires_on": knownvalue.StringExact("2099-01-01T00:00:00Z"),
		})),
		querycheck.ExpectResourceKnownValues("cfiam_api_token.dns_ci", byUserTokenID(tok.ID), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("policies").AtSliceIndex(0).AtMapKey("permission_groups"), KnownValue: setOf("DNS Write", "Zone Read")},
			{Path: tfjsonpath.New("policies").AtSliceIndex(3).AtMapKey("user"), KnownValue: knownvalue.Bool(true)},
		}),
	)
}

// Account tokens: by account, with the name filter.
func TestAccAccountToken_list(t *testing.T) {
	t.Parallel()
	_, baseURL := newCatalogAheadEmulator(t)
	api := adminClient(t, baseURL)
	tok := createAccountTokenOutsideTerraform(t, api)
	if _, err := api.CreateToken(t.Context(), emulator.AccountID, cfclient.TokenInput{Name: "other", Policies: []cfclient.TokenPolicy{
		{Effect: "allow", PermissionGroups: []cfclient.IDRef{pgRef(t, "Zone Read", catalog.ScopeZone)}, Resources: map[string]any{comKey: "*"}},
	}}); err != nil {
		t.Fatal(err)
	}
	queryTest(t, baseURL, `
list "cfiam_account_token" "all" {
  provider = cfiam
}

list "cfiam_account_token" "deploy" {
  provider         = cfiam
  include_resource = true
  config {
    account_id = "`+emulator.AccountID+`"
    name       = "deploy"
  }
}
`,
		querycheck.ExpectLength("cfiam_account_token.all", 2),
		querycheck.ExpectLength("cfiam_account_token.deploy", 1),
		querycheck.ExpectIdentity("cfiam_account_token.deploy", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(tok.ID),
		}),
		querycheck.ExpectResourceKnownValues("cfiam_account_token.deploy", byID(tok.ID), values(map[string]knownvalue.Check{
			"status": knownvalue.StringExact("disabled"), "value": knownvalue.Null(),
		})),
		querycheck.ExpectResourceKnownValues("cfiam_account_token.deploy", byID(tok.ID), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("policies").AtSliceIndex(1).AtMapKey("permission_groups"), KnownValue: setOf("Zone Read")},
		}),
	)
}

// User groups: policies by role name, and the API's name filter.
func TestAccUserGroup_list(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	api := adminClient(t, baseURL)
	var ids []string
	for _, name := range []string{"auditors", "operators"} {
		g, err := api.CreateUserGroup(t.Context(), emulator.AccountID, name, []cfclient.MemberPolicy{
			cfclient.NewMemberPolicy("", "allow", []string{roleID(t, "Analytics", catalog.ScopeAccount)}, []string{emulator.AccountResourceGroupID}),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	queryTest(t, baseURL, `
list "cfiam_user_group" "all" {
  provider = cfiam
}

list "cfiam_user_group" "auditors" {
  provider         = cfiam
  include_resource = true
  config {
    name = "auditors"
  }
}
`,
		querycheck.ExpectLength("cfiam_user_group.all", 2),
		querycheck.ExpectLength("cfiam_user_group.auditors", 1),
		querycheck.ExpectIdentity("cfiam_user_group.auditors", map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(emulator.AccountID), "id": knownvalue.StringExact(ids[0]),
		}),
		querycheck.ExpectResourceKnownValues("cfiam_user_group.auditors", byID(ids[0]), values(map[string]knownvalue.Check{
			"name":     knownvalue.StringExact("auditors"),
			"policies": knownvalue.SetExact([]knownvalue.Check{allowPolicy([]string{"Analytics"}, "")}),
		})),
	)
}

// A filter the API cannot take fails at validation, with the attribute.
func TestAccAccountMember_listInvalidFilter(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(baseURL)},
			{Query: true, Config: `
list "cfiam_account_member" "bad" {
  provider = cfiam
  config {
    status = "invited"
  }
}
`, ExpectError: regexp.MustCompile(`(?s)status.*value must be one of.*"accepted".*"pending"`)},
		},
	})
}

// Terraform's limit caps what a list returns.
func TestAccAccountMember_listLimit(t *testing.T) {
	t.Parallel()
	_, baseURL := acctest.NewEmulator(t)
	createOutsideTerraform(t, adminClient(t, baseURL))
	newAcceptedMember(t, baseURL)
	queryTest(t, baseURL, `
list "cfiam_account_member" "all" {
  provider = cfiam
}

list "cfiam_account_member" "two" {
  provider = cfiam
  limit    = 2
}
`,
		querycheck.ExpectLength("cfiam_account_member.all", 3),
		querycheck.ExpectLength("cfiam_account_member.two", 2),
	)
}

// Without credentials the provider cannot list: it says what to set.
func TestAccAccountMember_listOffline(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(nil),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: acctest.OfflineProviderConfig()},
			{Query: true, Config: `
list "cfiam_account_member" "all" {
  provider = cfiam
}
`, ExpectError: regexp.MustCompile(`(?s)Cloudflare credentials needed for listing cfiam_account_member.*api_token`)},
		},
	})
}
