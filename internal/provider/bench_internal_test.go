package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// benchPolicies builds n member policies across the three scopes.
func benchPolicies(b *testing.B, n int) types.Set {
	b.Helper()
	var elems []attr.Value
	var accountRoles []string
	for _, e := range catalog.Embedded().InScope(catalog.KindRole, catalog.ScopeAccount) {
		accountRoles = append(accountRoles, e.Name)
	}
	for i := range n {
		// Account-wide policies differ by their pair of roles: two policies
		// granting the same are an error (Same policy twice).
		k, r := i/3, len(accountRoles)
		in := policy.MemberPolicy{Roles: policy.Set(accountRoles[k%r], accountRoles[(k%r+1+k/r)%r])}
		switch i % 3 {
		case 1:
			in = policy.MemberPolicy{Roles: policy.Set("Domain DNS"), ZoneIDs: policy.Set(fmt.Sprintf("%032x", i))}
		case 2:
			in = policy.MemberPolicy{Roles: policy.Set("Cloudflare Tunnel Instance Read"),
				Resources: map[catalog.Scope]policy.Strings{catalog.ScopeTunnel: policy.Set(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i))}}
		}
		elems = append(elems, flattenMemberPolicy(in))
	}
	return types.SetValueMust(policyObjectType, elems)
}

// BenchmarkValidate1000Policies is the offline validation of 1,000 policies
// (the work `terraform validate` asks of the provider for 1,000 members with
// one policy each).
func BenchmarkValidate1000Policies(b *testing.B) {
	set := benchPolicies(b, 1000)
	cat := catalog.Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if diags := checkMemberPolicies(set, cat, false, nil); diags.HasError() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkPolicyDiff is the read-side matching of API policies to the
// policies as written (what every refresh does per member).
func BenchmarkPolicyDiff(b *testing.B) {
	cat := catalog.Embedded()
	acct := "f037e56e89293a057740de681ac9abbe"
	written := []policy.MemberPolicy{
		{Roles: policy.Set("Analytics")},
		{Roles: policy.Set("Domain DNS"), ZoneIDs: policy.Set("023e105f4ecef8ad9ca31a8372d0c353")},
		{Roles: policy.Set("Cloudflare Tunnel Instance Read"), Resources: map[catalog.Scope]policy.Strings{catalog.ScopeTunnel: policy.Set("f70ff985-a4ef-4643-bbbc-4a0ed4fc8415")}},
	}
	var api []cfclient.MemberPolicy
	for i, in := range written {
		spec, err := in.Spec(cat, acct)
		if err != nil {
			b.Fatal(err)
		}
		p := cfclient.NewMemberPolicy(fmt.Sprint(i), "allow", spec.RoleIDs, nil)
		for _, id := range spec.Objects[spec.Scope()] {
			key := catalog.ResourceKey(spec.Scope(), id)
			p.ResourceGroups = append(p.ResourceGroups, cfclient.RGRef{ID: "rg" + id, Name: key,
				Scope: []cfclient.ResourceScope{{Key: catalog.ResourceKey(catalog.ScopeAccount, acct), Objects: []cfclient.ObjectKey{{Key: key}}}}})
		}
		api = append(api, p)
	}
	b.ReportAllocs()
	for b.Loop() {
		byKey := map[string]bool{}
		for _, in := range written {
			spec, _ := in.Spec(cat, acct)
			byKey[spec.Key()] = true
		}
		for _, p := range api {
			if !byKey[iampolicy.SpecFromAPI(p).Key()] {
				b.Fatal("an API policy did not match what was written")
			}
		}
	}
}
