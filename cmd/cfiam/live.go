package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/review"
)

// readLive reads the account's members, resource groups and user groups
// (with their policies and members) for --live (which of a member's
// policies bindings own, by iampolicy's rule),
// with the provider's environment variables.
func readLive(ctx context.Context, plan *review.Plan) (*review.Live, error) {
	cfg := cfclient.Config{
		APIToken: os.Getenv("CLOUDFLARE_API_TOKEN"), APIKey: os.Getenv("CLOUDFLARE_API_KEY"), Email: os.Getenv("CLOUDFLARE_EMAIL"),
		AccountID: os.Getenv("CLOUDFLARE_ACCOUNT_ID"), BaseURL: os.Getenv("CLOUDFLARE_BASE_URL"),
		MaxRetries: 3, RequestTimeout: 30 * time.Second, UserAgentExtra: "cfiam-review",
	}
	if cfg.APIToken == "" && (cfg.APIKey == "" || cfg.Email == "") {
		return nil, errors.New("no credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)")
	}
	if cfg.AccountID == "" {
		ids := review.AccountIDs(plan)
		switch len(ids) {
		case 0:
			return nil, errors.New("no account: set CLOUDFLARE_ACCOUNT_ID (the plan names none)")
		case 1:
			cfg.AccountID = ids[0]
		default:
			return nil, fmt.Errorf("the plan names several accounts (%s): set CLOUDFLARE_ACCOUNT_ID to the one to read", strings.Join(ids, ", "))
		}
	}
	c, err := cfclient.New(cfg)
	if err != nil {
		return nil, err
	}
	groups, err := c.ListResourceGroups(ctx, cfg.AccountID)
	if err != nil {
		return nil, fmt.Errorf("listing resource groups of account %s: %w", cfg.AccountID, err)
	}
	members, err := c.ListMembers(ctx, cfg.AccountID)
	if err != nil {
		return nil, fmt.Errorf("listing members of account %s: %w", cfg.AccountID, err)
	}
	live := &review.Live{AccountID: cfg.AccountID, ResourceGroups: map[string][]string{}}
	for _, g := range groups {
		live.ResourceGroups[g.ID] = g.ObjectKeys()
	}
	for _, m := range members {
		lm := review.LiveMember{ID: m.ID, Email: m.User.Email, Accepted: m.Status == "accepted"}
		for _, r := range m.Roles {
			lm.LegacyRoleIDs = append(lm.LegacyRoleIDs, r.ID)
		}
		for _, p := range m.Policies {
			lm.Policies = append(lm.Policies, livePolicy(live, p))
		}
		live.Members = append(live.Members, lm)
	}
	userGroups, err := c.ListUserGroups(ctx, cfg.AccountID)
	if err != nil {
		return nil, fmt.Errorf("listing user groups of account %s: %w", cfg.AccountID, err)
	}
	for _, g := range userGroups {
		lg := review.LiveGroup{ID: g.ID, Name: g.Name}
		for _, p := range g.Policies {
			lg.Policies = append(lg.Policies, livePolicy(live, p))
		}
		members, err := c.ListUserGroupMembers(ctx, cfg.AccountID, g.ID)
		if err != nil {
			return nil, fmt.Errorf("listing members of user group %s: %w", g.ID, err)
		}
		for _, m := range members {
			lg.MemberIDs = append(lg.MemberIDs, m.ID)
		}
		live.Groups = append(live.Groups, lg)
	}
	return live, nil
}

// livePolicy is a member's or a user group's policy for the review; a
// resource group the policy carries inline, with its objects, is added to
// live's resource groups.
func livePolicy(live *review.Live, p cfclient.MemberPolicy) review.LivePolicy {
	for _, rg := range p.ResourceGroups {
		if _, listed := live.ResourceGroups[rg.ID]; !listed && len(rg.ObjectKeys()) > 0 {
			live.ResourceGroups[rg.ID] = rg.ObjectKeys()
		}
	}
	return review.LivePolicy{ID: p.ID, Binding: iampolicy.IsBindingPolicy(p), Access: p.Access, RoleIDs: p.PermissionGroupIDs(), ResourceGroupIDs: p.ResourceGroupIDs()}
}
