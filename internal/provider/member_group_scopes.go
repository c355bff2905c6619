package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/policy"
)

// groupScopes reads the account's resource groups when a policy names some
// by a known ID, on plans that change policies: one list per provider
// instance (cfclient.PlannedResourceGroups), however many members. When they
// cannot be read, the policies are checked as at validate, and the apply
// reports what Cloudflare says.
func (d *providerData) groupScopes(ctx context.Context, accountID string, policies types.Set) policy.GroupScopes {
	var named []string
	ins, _ := expandMemberPolicies(policies)
	for _, in := range ins {
		for _, id := range in.ResourceGroupIDs.Elems {
			if id.State == policy.Known && id.Value != "" {
				named = append(named, strings.ToLower(id.Value))
			}
		}
	}
	if len(named) == 0 || accountID == "" {
		return nil
	}
	out, err := scopesOf(d.client.PlannedResourceGroups(ctx, accountID))
	if err == nil && !hasAllGroups(out, named) {
		// A group made since the copy was read (by another workspace, or
		// another provider block): an unknown ID is an error only on the
		// latest word.
		out, err = scopesOf(d.client.ListResourceGroups(ctx, accountID))
	}
	if err != nil {
		tflog.SubsystemWarn(tflog.NewSubsystem(ctx, logSubsystemValidation), logSubsystemValidation,
			"cfiam: resource groups not readable; their scope is checked at apply", map[string]any{"error": err.Error()})
		return nil
	}
	return out
}

func scopesOf(list []cfclient.ResourceGroup, err error) (policy.GroupScopes, error) {
	if err != nil {
		return nil, err
	}
	out := policy.GroupScopes{}
	for _, g := range list {
		if kind, _, err := g.Kind(); err == nil {
			out[strings.ToLower(g.ID)] = kind
		}
	}
	return out, nil
}

func hasAllGroups(g policy.GroupScopes, ids []string) bool {
	for _, id := range ids {
		if _, ok := g[id]; !ok {
			return false
		}
	}
	return true
}
