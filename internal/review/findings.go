package review

import (
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// CodeLosesLastSuperAdministrator: the plan leaves no Super Administrator
// among the members it manages.
const CodeLosesLastSuperAdministrator policy.Code = "loses_last_super_administrator"

// Finding is one problem of a planned resource: the scope checks of
// internal/policy, run on cfiam's resources and the official provider's.
type Finding struct {
	Code     policy.Code
	Blocking bool // an error: the change fails at apply, or must not merge
	Address  string
	Path     string // the attribute, such as policies[0].roles["Domain DNS"]
	Message  string
	Fix      string
	// Location is where Address's block is written, when known.
	Location Location
}

// Severity is "error" for a blocking finding, "warning" otherwise.
func (f Finding) Severity() string {
	if f.Blocking {
		return "error"
	}
	return "warning"
}

func finding(address string, p policy.Problem) Finding {
	return Finding{Code: p.Code, Blocking: p.Severity == policy.Error, Address: address, Path: p.Path.String(), Message: p.Detail, Fix: p.Fix}
}

// check runs the scope checks on a resource's planned values.
func check(cat *catalog.Catalog, x *expander, r res) []Finding {
	var problems []policy.Problem
	v := r.Values
	if k, ok := kindOfBinding(r.Type); ok {
		problems = policy.CheckBindingRolesOf(policy.BindingKindOf(k.Scope), cat, strs(attr(v, "roles")), false)
	}
	switch r.Type {
	case typeMember, typeCFMember, typeGroup, typeCFGroup:
		items, ok := list(attr(v, "policies"))
		if !ok {
			return nil
		}
		pols := make([]policy.MemberPolicy, len(items))
		for i, it := range items {
			pols[i] = memberPolicy(it)
		}
		problems = policy.CheckMemberPolicies(cat, pols, false, x.names.groupScopes)
	case typeAPIToken, typeAccountToken, typeCFAPIToken, typeCFAccountToken:
		tps := x.tokenPolicies(r)
		pols := make([]policy.TokenPolicy, len(tps))
		for i, tp := range tps {
			pols[i] = tp.check
		}
		accountToken := r.Type == typeAccountToken || r.Type == typeCFAccountToken
		problems = policy.CheckTokenPolicies(cat, pols, false, accountToken)
		if acct, ok := known(attr(v, "account_id")); ok && accountToken {
			problems = append(problems, policy.CheckAccountTokenResources(pols, acct)...)
		}
	}
	out := make([]Finding, 0, len(problems))
	for _, p := range problems {
		f := finding(r.Address, p)
		if strings.HasPrefix(r.Type, "cloudflare_") {
			f.Path = officialPath.Replace(f.Path)
		}
		out = append(out, f)
	}
	return out
}

// officialPath renames cfiam's attributes in a path to the official
// provider's: its policies name roles in permission_groups, resource groups
// in resource_groups, and a token's resources in one JSON attribute.
var officialPath = strings.NewReplacer(
	".roles", ".permission_groups", ".resource_group_ids", ".resource_groups",
	".user", ".resources", ".account_ids", ".resources", ".zone_ids", ".resources", ".all_zones_of_account", ".resources")
