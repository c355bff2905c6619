package review

import (
	"slices"
	"strings"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// A plan written by hand: a member whose policy on an Access application is
// replaced by one on an Access policy, an identity provider binding, a
// service token named by the official provider's resource, and an
// infrastructure target binding holding an Access application role. Each
// gain and loss names its kind; the misplaced role is a finding.
const accessPlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "cfiam_account_member.dev", "mode": "managed", "type": "cfiam_account_member",
     "change": {"actions": ["update"],
       "before": {"id": "0123456789abcdef0123456789abcdef", "account_id": "f037e56e89293a057740de681ac9abbe", "email": "dev@example.com", "status": "accepted",
         "policies": [{"access": "allow", "roles": ["Cloudflare Access App Admin"], "access_application_ids": ["64949abf-2738-491b-bd96-c0e80945fb37"]}]},
       "after": {"id": "0123456789abcdef0123456789abcdef", "account_id": "f037e56e89293a057740de681ac9abbe", "email": "dev@example.com", "status": "accepted",
         "policies": [{"access": "allow", "roles": ["Cloudflare Access Policy Admin"], "access_policy_ids": ["5b94410f-0f2a-4163-a2eb-fd25adb9c250"]}]}}},
    {"address": "cfiam_access_identity_provider_binding.idp", "mode": "managed", "type": "cfiam_access_identity_provider_binding",
     "change": {"actions": ["create"], "before": null, "after": {
       "member_id": "0123456789abcdef0123456789abcdef", "roles": ["Cloudflare Access Identity Provider Admin"],
       "access_identity_provider_ids": ["0e4727e0-d449-4719-a649-691d630f17a6"]}}},
    {"address": "cfiam_access_service_token_binding.ci", "mode": "managed", "type": "cfiam_access_service_token_binding",
     "change": {"actions": ["create"], "before": null, "after": {
       "member_id": "0123456789abcdef0123456789abcdef", "roles": ["Cloudflare Access Service Token Admin"],
       "access_service_token_ids": ["369a74bf-024a-47ca-99c8-c026aec17e78"]}}},
    {"address": "cfiam_infrastructure_target_binding.wrong", "mode": "managed", "type": "cfiam_infrastructure_target_binding",
     "change": {"actions": ["create"], "before": null, "after": {
       "member_id": "0123456789abcdef0123456789abcdef", "roles": ["Cloudflare Access App Admin"],
       "infrastructure_target_ids": ["2373ca74-7824-49f4-99ae-7d5929c0e886"]}}}
  ],
  "prior_state": {"values": {"root_module": {"resources": [
    {"address": "cloudflare_zero_trust_access_service_token.ci", "mode": "managed", "type": "cloudflare_zero_trust_access_service_token",
     "values": {"id": "369a74bf-024a-47ca-99c8-c026aec17e78", "name": "ci-token"}},
    {"address": "data.cfiam_access_identity_providers.all", "mode": "data", "type": "cfiam_access_identity_providers",
     "values": {"access_identity_providers": [{"id": "0e4727e0-d449-4719-a649-691d630f17a6", "name": "idp-a"}]}}
  ]}}}
}`

func TestReview_accessKinds(t *testing.T) {
	got, codes := reviewLines(t, accessPlan)
	want := []string{
		"grant|dev@example.com|Cloudflare Access Identity Provider Admin|Access identity provider idp-a|cfiam_access_identity_provider_binding.idp",
		"grant|dev@example.com|Cloudflare Access Policy Admin|Access policy 5b94410f-0f2a-4163-a2eb-fd25adb9c250|cfiam_account_member.dev",
		"grant|dev@example.com|Cloudflare Access Service Token Admin|Access service token ci-token|cfiam_access_service_token_binding.ci",
		"grant|dev@example.com|Cloudflare Access App Admin|infrastructure target 2373ca74-7824-49f4-99ae-7d5929c0e886|cfiam_infrastructure_target_binding.wrong",
		"revoke|dev@example.com|Cloudflare Access App Admin|Access application 64949abf-2738-491b-bd96-c0e80945fb37|cfiam_account_member.dev",
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if !slices.Equal(codes, []string{"cfiam_infrastructure_target_binding.wrong role_applies_to_kind_not_named"}) {
		t.Errorf("findings: %v", codes)
	}
}

// reviewLines reviews a plan against the embedded catalog and returns its
// changes as "change|principal|role|scope|via", sorted, and its findings as
// "address code".
func reviewLines(t *testing.T, plan string) (changes, findings []string) {
	t.Helper()
	p, err := Decode(strings.NewReader(plan))
	if err != nil {
		t.Fatal(err)
	}
	r := Review(catalog.Embedded(), p, Options{})
	for _, c := range r.Changes {
		changes = append(changes, strings.Join([]string{string(c.Change), c.Grant.Principal.String(), c.Grant.Role(), c.Grant.Scope.String(), c.Grant.Via}, "|"))
	}
	slices.Sort(changes)
	for _, f := range r.Findings {
		findings = append(findings, f.Address+" "+string(f.Code))
	}
	return changes, findings
}
