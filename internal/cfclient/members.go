package cfclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Members travel as raw JSON through the SDK's generic methods: the SDK's
// typed update model drops policy IDs, which the API accepts and which keep a
// policy's identity (and so a Tunnel binding's) across updates.

// Member is an account member with its policies.
type Member struct {
	ID       string         `json:"id"`
	Status   string         `json:"status"`
	User     MemberUser     `json:"user"`
	Policies []MemberPolicy `json:"policies"`
	// Roles are the legacy account roles the API lists beside the policies:
	// together, what the member holds.
	Roles []IDRef `json:"roles"`
}

// MemberUser is the user behind a membership.
type MemberUser struct {
	ID                             string  `json:"id"`
	Email                          string  `json:"email"`
	FirstName                      *string `json:"first_name"`
	LastName                       *string `json:"last_name"`
	TwoFactorAuthenticationEnabled bool    `json:"two_factor_authentication_enabled"`
}

// MemberPolicy grants (or denies) permission groups on resource groups.
type MemberPolicy struct {
	ID               string  `json:"id,omitempty"`
	Access           string  `json:"access"`
	PermissionGroups []IDRef `json:"permission_groups"`
	ResourceGroups   []RGRef `json:"resource_groups"`
}

// IDRef is an object known by its ID.
type IDRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// RGRef is a resource group as a member policy carries it.
type RGRef struct {
	ID    string         `json:"id"`
	Name  string         `json:"name,omitempty"`
	Scope ResourceScopes `json:"scope,omitempty"`
}

// ObjectKeys returns the keys of every object in the group.
func (g RGRef) ObjectKeys() []string { return objectKeys(g.Scope) }

// PermissionGroupIDs returns the IDs of the policy's permission groups.
func (p MemberPolicy) PermissionGroupIDs() []string {
	out := make([]string, len(p.PermissionGroups))
	for i, g := range p.PermissionGroups {
		out[i] = g.ID
	}
	return out
}

// ResourceGroupIDs returns the IDs of the policy's resource groups.
func (p MemberPolicy) ResourceGroupIDs() []string {
	out := make([]string, len(p.ResourceGroups))
	for i, g := range p.ResourceGroups {
		out[i] = g.ID
	}
	return out
}

// NewMemberPolicy builds a policy to send from IDs.
func NewMemberPolicy(id, access string, permissionGroupIDs, resourceGroupIDs []string) MemberPolicy {
	p := MemberPolicy{ID: id, Access: access, PermissionGroups: []IDRef{}, ResourceGroups: []RGRef{}}
	for _, g := range permissionGroupIDs {
		p.PermissionGroups = append(p.PermissionGroups, IDRef{ID: g})
	}
	for _, g := range resourceGroupIDs {
		p.ResourceGroups = append(p.ResourceGroups, RGRef{ID: g})
	}
	return p
}

// sendablePolicies strips what the API sends but does not take back.
func sendablePolicies(in []MemberPolicy) []MemberPolicy {
	out := make([]MemberPolicy, len(in))
	for i, p := range in {
		out[i] = NewMemberPolicy(p.ID, p.Access, p.PermissionGroupIDs(), p.ResourceGroupIDs())
	}
	return out
}

type envelope[T any] struct {
	Result     T `json:"result"`
	ResultInfo struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		TotalPages int `json:"total_pages"`
		TotalCount int `json:"total_count"`
		Count      int `json:"count"`
	} `json:"result_info"`
}

func membersPath(accountID string) string {
	return "accounts/" + url.PathEscape(accountID) + "/members"
}

// membersPerPage is the API's maximum page size for members.
const membersPerPage = 50

// ListMembers returns every member of the account, 50 a page.
func (c *Client) ListMembers(ctx context.Context, accountID string) ([]Member, error) {
	var out []Member
	for page := 1; ; page++ {
		var env envelope[[]Member]
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(membersPerPage)}}
		if err := c.sdk.Get(ctx, membersPath(accountID)+"?"+q.Encode(), nil, &env); err != nil {
			return nil, wrapError(err, "listing members of account %s", accountID)
		}
		out = append(out, env.Result...)
		if len(env.Result) < membersPerPage || env.ResultInfo.TotalPages > 0 && page >= env.ResultInfo.TotalPages {
			return out, nil
		}
	}
}

// GetMember returns one member.
func (c *Client) GetMember(ctx context.Context, accountID, memberID string) (*Member, error) {
	var env envelope[Member]
	if err := c.sdk.Get(ctx, membersPath(accountID)+"/"+url.PathEscape(memberID), nil, &env); err != nil {
		return nil, wrapError(err, "reading member %s of account %s", memberID, accountID)
	}
	return &env.Result, nil
}

// FindMemberByEmail returns the member with that e-mail address (any case), or nil.
func (c *Client) FindMemberByEmail(ctx context.Context, accountID, email string) (*Member, error) {
	members, err := c.ListMembers(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range members {
		if strings.EqualFold(members[i].User.Email, email) {
			return &members[i], nil
		}
	}
	return nil, nil
}

// CreateMember invites (status "pending") or adds (status "accepted") a member
// with policies. When the outcome of the POST is unknown (a 5xx or a broken
// connection after it was sent), it reads back by e-mail before trying again,
// so that a member is never invited twice: if the member exists, its policies
// are set to these.
func (c *Client) CreateMember(ctx context.Context, accountID, email, status string, policies []MemberPolicy) (*Member, error) {
	for attempt := 0; ; attempt++ {
		m, err := c.createMember(ctx, accountID, email, status, policies)
		if !createOutcomeUnknown(ctx, err) {
			return m, err
		}
		settleCtx, cancel := SettleContext(ctx)
		found, ferr := c.FindMemberByEmail(settleCtx, accountID, email)
		cancel()
		switch {
		case ferr != nil:
			return nil, fmt.Errorf("%w (and reading back failed: %v)", err, ferr) //nolint:errorlint // only the create's error is wrapped: callers act on it, not on the read-back's
		case found != nil && ctx.Err() != nil:
			return found, nil //nolint:nilerr // cancelled after the POST took effect: the member it made, to be recorded
		case found != nil:
			return c.UpdateMemberPolicies(ctx, accountID, found.ID, policies)
		case ctx.Err() != nil || attempt >= c.retry.maxRetries:
			return nil, err
		}
		if err := c.retry.sleep(ctx, c.retry.delay(nil, attempt)); err != nil {
			return nil, err
		}
	}
}

func (c *Client) createMember(ctx context.Context, accountID, email, status string, policies []MemberPolicy) (*Member, error) {
	body := map[string]any{"email": email, "policies": sendablePolicies(policies)}
	if status != "" {
		body["status"] = status
	}
	var env envelope[Member]
	if err := c.sdk.Post(ctx, membersPath(accountID), body, &env); err != nil {
		return nil, wrapError(err, "adding member %s to account %s", email, accountID)
	}
	c.members.markDirty(accountID, env.Result.ID)
	return &env.Result, nil
}

// UpdateMemberPolicies replaces the member's policies. Policies that carry an ID keep it.
func (c *Client) UpdateMemberPolicies(ctx context.Context, accountID, memberID string, policies []MemberPolicy) (*Member, error) {
	c.members.markDirty(accountID, memberID)
	body := map[string]any{"policies": sendablePolicies(policies)}
	var env envelope[Member]
	if err := c.sdk.Put(ctx, membersPath(accountID)+"/"+url.PathEscape(memberID), body, &env); err != nil {
		return nil, wrapError(err, "updating the policies of member %s of account %s", memberID, accountID)
	}
	return &env.Result, nil
}

// DeleteMember removes a member from the account.
func (c *Client) DeleteMember(ctx context.Context, accountID, memberID string) error {
	c.members.markDirty(accountID, memberID)
	var env envelope[map[string]any]
	if err := c.sdk.Delete(ctx, membersPath(accountID)+"/"+url.PathEscape(memberID), nil, &env); err != nil {
		return wrapError(err, "removing member %s from account %s", memberID, accountID)
	}
	return nil
}

// ResourceScope is a resource group's scope: the account key and the objects in it.
type ResourceScope struct {
	Key     string      `json:"key"`
	Objects []ObjectKey `json:"objects"`
}

// ResourceScopes is a resource group's scope: one object, as cloudflare-go
// v7 types it, or a list of them, as the 2024 contract has it outside
// create; both read the same.
type ResourceScopes []ResourceScope

// UnmarshalJSON reads either form (and null, as none).
func (s *ResourceScopes) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = nil
		return nil
	case len(b) > 0 && b[0] == '{':
		var one ResourceScope
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = ResourceScopes{one}
		return nil
	}
	var many []ResourceScope
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// ObjectKey is one resource of a scope, such as "com.cloudflare.api.account.zone.<id>".
type ObjectKey struct {
	Key string `json:"key"`
}

// ResourceGroup is a named set of resources that member policies apply to.
type ResourceGroup struct {
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Scope ResourceScopes `json:"scope"`
	Meta  map[string]any `json:"meta,omitempty"`
}

// ObjectKeys returns the keys of every object in the group.
func (g ResourceGroup) ObjectKeys() []string { return objectKeys(g.Scope) }

// objectKeys returns the keys of every object in scopes, for both forms of a
// resource group.
func objectKeys(scopes []ResourceScope) []string {
	var out []string
	for _, s := range scopes {
		for _, o := range s.Objects {
			out = append(out, o.Key)
		}
	}
	return out
}

// Kind says what a resource group holds: the account itself (ScopeAccount),
// zones (ScopeZone) or Tunnels (ScopeTunnel), with the object IDs. Mixed or
// unrecognised groups return an error.
func (g ResourceGroup) Kind() (catalog.Scope, []string, error) {
	var kind catalog.Scope
	var ids []string
	for _, key := range g.ObjectKeys() {
		s, id, err := catalog.ParseResourceKey(key)
		if err != nil {
			return "", nil, fmt.Errorf("resource group %s: %w", g.ID, err)
		}
		if kind != "" && s != kind {
			return "", nil, fmt.Errorf("resource group %s mixes %s and %s objects", g.ID, kind, s)
		}
		kind = s
		ids = append(ids, id)
	}
	if kind == "" {
		return "", nil, fmt.Errorf("resource group %s has no objects", g.ID)
	}
	return kind, ids, nil
}

func resourceGroupsPath(accountID string) string {
	return "accounts/" + url.PathEscape(accountID) + "/iam/resource_groups"
}

// ListResourceGroups returns every resource group of the account.
func (c *Client) ListResourceGroups(ctx context.Context, accountID string) ([]ResourceGroup, error) {
	// One page holds every group: cloudflare-go reads this list as a
	// single page (pagination.SinglePage), and so does the API.
	var env envelope[[]ResourceGroup]
	if err := c.sdk.Get(ctx, resourceGroupsPath(accountID), nil, &env); err != nil {
		return nil, wrapError(err, "listing resource groups of account %s", accountID)
	}
	return env.Result, nil
}

// GetResourceGroup returns one resource group.
func (c *Client) GetResourceGroup(ctx context.Context, accountID, id string) (*ResourceGroup, error) {
	var env envelope[ResourceGroup]
	if err := c.sdk.Get(ctx, resourceGroupsPath(accountID)+"/"+url.PathEscape(id), nil, &env); err != nil {
		return nil, wrapError(err, "reading resource group %s of account %s", id, accountID)
	}
	return &env.Result, nil
}

func rgBody(accountID, name string, objectKeys []string) map[string]any {
	objs := make([]ObjectKey, len(objectKeys))
	for i, k := range objectKeys {
		objs[i] = ObjectKey{Key: k}
	}
	return map[string]any{
		"name":  name,
		"scope": ResourceScope{Key: catalog.ResourceKey(catalog.ScopeAccount, accountID), Objects: objs},
	}
}

// createdResourceGroup is the POST answer, whose `scope` is one object, not a list.
type createdResourceGroup struct {
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Scope ResourceScope  `json:"scope"`
	Meta  map[string]any `json:"meta"`
}

// CreateResourceGroup creates a resource group holding the given object keys.
// When the outcome of the POST is unknown (a 5xx or a broken connection after
// it was sent), it reads back: a group with this name and these objects is
// the one it made; only if there is none does it try again.
func (c *Client) CreateResourceGroup(ctx context.Context, accountID, name string, objectKeys []string) (*ResourceGroup, error) {
	return createOnce(ctx, c, func() (*ResourceGroup, error) { return c.createResourceGroup(ctx, accountID, name, objectKeys) },
		func() (*ResourceGroup, bool, error) {
			settleCtx, cancel := SettleContext(ctx)
			groups, err := c.ListResourceGroups(settleCtx, accountID)
			cancel()
			if err != nil {
				return nil, false, err
			}
			for i := range groups {
				if groups[i].Name == name && sameKeys(groups[i].ObjectKeys(), objectKeys) {
					return &groups[i], true, nil
				}
			}
			return nil, false, nil
		})
}

func sameKeys(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// PlannedResourceGroups is ListResourceGroups read once per Client and
// account for plan-time checks, which need what the groups hold, not the
// latest word: a member plan that names groups then costs no request of its
// own. This client's own group writes drop the copy.
func (c *Client) PlannedResourceGroups(ctx context.Context, accountID string) ([]ResourceGroup, error) {
	return c.groupLists.do(ctx, accountID, func(ctx context.Context) ([]ResourceGroup, error) {
		return c.ListResourceGroups(ctx, accountID)
	})
}

func (c *Client) createResourceGroup(ctx context.Context, accountID, name string, objectKeys []string) (*ResourceGroup, error) {
	defer c.groupLists.forget(accountID)
	var env envelope[createdResourceGroup]
	if err := c.sdk.Post(ctx, resourceGroupsPath(accountID), rgBody(accountID, name, objectKeys), &env); err != nil {
		return nil, wrapError(err, "creating resource group %q in account %s", name, accountID)
	}
	r := env.Result
	c.rgReads.markDirty(accountID, r.ID)
	return &ResourceGroup{ID: r.ID, Name: r.Name, Scope: []ResourceScope{r.Scope}, Meta: r.Meta}, nil
}

// UpdateResourceGroup replaces a resource group's name and objects.
func (c *Client) UpdateResourceGroup(ctx context.Context, accountID, id, name string, objectKeys []string) (*ResourceGroup, error) {
	defer c.groupLists.forget(accountID)
	c.rgReads.markDirty(accountID, id)
	var env envelope[ResourceGroup]
	if err := c.sdk.Put(ctx, resourceGroupsPath(accountID)+"/"+url.PathEscape(id), rgBody(accountID, name, objectKeys), &env); err != nil {
		return nil, wrapError(err, "updating resource group %s of account %s", id, accountID)
	}
	return &env.Result, nil
}

// DeleteResourceGroup deletes a resource group. The API refuses (409) while a
// member policy uses it; that answer is final, and the client's retries
// (retry.go) never repeat a 409.
func (c *Client) DeleteResourceGroup(ctx context.Context, accountID, id string) error {
	defer c.groupLists.forget(accountID)
	c.rgReads.markDirty(accountID, id)
	var env envelope[map[string]any]
	err := c.sdk.Delete(ctx, resourceGroupsPath(accountID)+"/"+url.PathEscape(id), nil, &env)
	if err != nil {
		return wrapError(err, "deleting resource group %s of account %s", id, accountID)
	}
	return nil
}
