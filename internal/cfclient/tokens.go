package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// API tokens travel as raw JSON through the SDK's generic methods: the
// token's IP condition is keyed "request.ip" on the wire (Cloudflare's
// OpenAPI schema), while cloudflare-go v7's typed model sends "request_ip";
// and a policy's resources nest ({account: {zone.*: "*"}}) where the SDK
// types a flat string map.

// Token is an API token, user-owned or account-owned.
type Token struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Status     string         `json:"status"`
	IssuedOn   string         `json:"issued_on,omitempty"`
	ModifiedOn string         `json:"modified_on,omitempty"`
	LastUsedOn string         `json:"last_used_on,omitempty"`
	NotBefore  string         `json:"not_before,omitempty"`
	ExpiresOn  string         `json:"expires_on,omitempty"`
	Policies   []TokenPolicy  `json:"policies"`
	Condition  TokenCondition `json:"condition"`
	// Value is the secret: only in the answer to a create.
	Value string `json:"value,omitempty"`
}

// TokenPolicy grants (or denies) permission groups on resources. Resources
// maps a resource key to "*" or, for an account key, to an object of zone
// keys, as the API writes it.
type TokenPolicy struct {
	ID               string         `json:"id,omitempty"`
	Effect           string         `json:"effect"`
	PermissionGroups []IDRef        `json:"permission_groups"`
	Resources        map[string]any `json:"resources"`
}

// PermissionGroupIDs returns the IDs of the policy's permission groups.
func (p TokenPolicy) PermissionGroupIDs() []string {
	out := make([]string, len(p.PermissionGroups))
	for i, g := range p.PermissionGroups {
		out[i] = g.ID
	}
	return out
}

// TokenCondition restricts where a token may be used from. The zero value
// is no condition.
type TokenCondition struct {
	RequestIPIn    []string
	RequestIPNotIn []string
}

// IsZero reports whether the condition restricts nothing.
func (c TokenCondition) IsZero() bool { return len(c.RequestIPIn) == 0 && len(c.RequestIPNotIn) == 0 }

type requestIP struct {
	In    []string `json:"in,omitempty"`
	NotIn []string `json:"not_in,omitempty"`
}

// MarshalJSON writes Cloudflare's wire form: {"request.ip": {"in": [...], "not_in": [...]}},
// or {} for no condition (which clears one on update).
func (c TokenCondition) MarshalJSON() ([]byte, error) {
	if c.IsZero() {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]requestIP{"request.ip": {In: c.RequestIPIn, NotIn: c.RequestIPNotIn}})
}

// UnmarshalJSON reads "request.ip" and, for answers to clients that sent
// cloudflare-go's spelling, "request_ip".
func (c *TokenCondition) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = TokenCondition{}
	for _, key := range []string{"request.ip", "request_ip"} {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			continue
		}
		var ip requestIP
		if err := json.Unmarshal(v, &ip); err != nil {
			return fmt.Errorf("decoding condition %q: %w", key, err)
		}
		c.RequestIPIn, c.RequestIPNotIn = ip.In, ip.NotIn
		return nil
	}
	return nil
}

// TokenInput is what a create or an update sends. Empty NotBefore or
// ExpiresOn send null (no limit); an empty Status is left out.
type TokenInput struct {
	Name      string
	Status    string
	Policies  []TokenPolicy
	Condition TokenCondition
	NotBefore string
	ExpiresOn string
}

func (in TokenInput) body() map[string]any {
	pols := make([]TokenPolicy, len(in.Policies))
	for i, p := range in.Policies {
		groups := make([]IDRef, len(p.PermissionGroups))
		for j, g := range p.PermissionGroups {
			groups[j] = IDRef{ID: g.ID}
		}
		pols[i] = TokenPolicy{Effect: p.Effect, PermissionGroups: groups, Resources: p.Resources}
	}
	b := map[string]any{"name": in.Name, "policies": pols, "condition": in.Condition,
		"not_before": nullable(in.NotBefore), "expires_on": nullable(in.ExpiresOn)}
	if in.Status != "" {
		b["status"] = in.Status
	}
	return b
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// tokensPath is where tokens live: the user's (accountID "") or an account's.
func tokensPath(accountID string) string {
	if accountID == "" {
		return "user/tokens"
	}
	return "accounts/" + url.PathEscape(accountID) + "/tokens"
}

func tokenOwner(accountID string) string {
	if accountID == "" {
		return "the user"
	}
	return "account " + accountID
}

// tokensPerPage is the API's maximum page size for tokens.
const tokensPerPage = 50

// ListTokens returns every token of the user (accountID "") or of an account,
// expired ones included.
func (c *Client) ListTokens(ctx context.Context, accountID string) ([]Token, error) {
	var out []Token
	for page := 1; ; page++ {
		var env envelope[[]Token]
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(tokensPerPage)}, "include_expired": {"true"}}
		if err := c.sdk.Get(ctx, tokensPath(accountID)+"?"+q.Encode(), nil, &env); err != nil {
			return nil, wrapError(err, "listing the API tokens of %s", tokenOwner(accountID))
		}
		out = append(out, env.Result...)
		if len(env.Result) < tokensPerPage || env.ResultInfo.TotalPages > 0 && page >= env.ResultInfo.TotalPages {
			return out, nil
		}
	}
}

// GetToken returns one token of the user (accountID "") or of an account.
func (c *Client) GetToken(ctx context.Context, accountID, id string) (*Token, error) {
	var env envelope[Token]
	if err := c.sdk.Get(ctx, tokensPath(accountID)+"/"+url.PathEscape(id), nil, &env); err != nil {
		return nil, wrapError(err, "reading API token %s of %s", id, tokenOwner(accountID))
	}
	return &env.Result, nil
}

// ReadToken returns a token for a refresh: one paged list of the owner's
// tokens serves every read after the first (see readCache).
func (c *Client) ReadToken(ctx context.Context, accountID, id string) (*Token, error) {
	return c.tokenReads.read(ctx, accountID, id,
		func(ctx context.Context) (*Token, error) { return c.GetToken(ctx, accountID, id) },
		func(ctx context.Context) ([]Token, error) { return c.ListTokens(ctx, accountID) },
		func(t Token) string { return t.ID },
		&APIError{Status: http.StatusNotFound, Codes: []int{1003}, Messages: []string{"Token not found"},
			Method: http.MethodGet, Path: "/" + tokensPath(accountID) + "/" + id})
}

// CreateToken creates a token; the answer carries its value, once.
//
// When the outcome of the POST is unknown (a 5xx or a broken connection after
// it was sent), it reads back before trying again, so that a token is never
// minted twice: a token of this name issued since the call began is the one
// it made, and since its value was lost, the value is rolled to learn a new one.
func (c *Client) CreateToken(ctx context.Context, accountID string, in TokenInput) (*Token, error) {
	start := time.Now()
	return createOnce(ctx, c, func() (*Token, error) { return c.createToken(ctx, accountID, in) }, func() (*Token, bool, error) {
		made, err := c.settleTokenCreate(ctx, accountID, in.Name, start)
		return made, made != nil, err
	})
}

// settleTokenCreate looks for the token a create with an unknown outcome may
// have made; since its value was lost, the value is rolled to learn a new one.
// Both run on a context of their own when ctx was cancelled (SettleContext).
func (c *Client) settleTokenCreate(ctx context.Context, accountID, name string, since time.Time) (*Token, error) {
	ctx, cancel := SettleContext(ctx)
	defer cancel()
	made, err := c.tokenIssuedSince(ctx, accountID, name, since)
	if err != nil || made == nil {
		return nil, err
	}
	value, err := c.RollToken(ctx, accountID, made.ID)
	if err != nil {
		return nil, err
	}
	made.Value = value
	return made, nil
}

// tokenIssuedSince returns the newest token named name issued after since
// (less a minute of clock skew between here and Cloudflare), or nil.
func (c *Client) tokenIssuedSince(ctx context.Context, accountID, name string, since time.Time) (*Token, error) {
	tokens, err := c.ListTokens(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var newest *Token
	var newestAt time.Time
	for i := range tokens {
		at, perr := time.Parse(time.RFC3339, tokens[i].IssuedOn)
		if tokens[i].Name != name || perr != nil || at.Before(since.Add(-time.Minute)) {
			continue
		}
		if newest == nil || at.After(newestAt) {
			newest, newestAt = &tokens[i], at
		}
	}
	return newest, nil
}

func (c *Client) createToken(ctx context.Context, accountID string, in TokenInput) (*Token, error) {
	in.Status = ""
	var env envelope[Token]
	if err := c.sdk.Post(ctx, tokensPath(accountID), in.body(), &env); err != nil {
		return nil, wrapError(err, "creating API token %q of %s", in.Name, tokenOwner(accountID))
	}
	c.tokenReads.markDirty(accountID, env.Result.ID)
	return &env.Result, nil
}

// UpdateToken replaces a token's name, status, policies, condition and validity.
func (c *Client) UpdateToken(ctx context.Context, accountID, id string, in TokenInput) (*Token, error) {
	c.tokenReads.markDirty(accountID, id)
	var env envelope[Token]
	if err := c.sdk.Put(ctx, tokensPath(accountID)+"/"+url.PathEscape(id), in.body(), &env); err != nil {
		return nil, wrapError(err, "updating API token %s of %s", id, tokenOwner(accountID))
	}
	return &env.Result, nil
}

// DeleteToken deletes a token.
func (c *Client) DeleteToken(ctx context.Context, accountID, id string) error {
	c.tokenReads.markDirty(accountID, id)
	var env envelope[map[string]any]
	if err := c.sdk.Delete(ctx, tokensPath(accountID)+"/"+url.PathEscape(id), nil, &env); err != nil {
		return wrapError(err, "deleting API token %s of %s", id, tokenOwner(accountID))
	}
	return nil
}

// RollToken replaces a token's secret and returns the new value; the token
// keeps its ID and policies.
func (c *Client) RollToken(ctx context.Context, accountID, id string) (string, error) {
	c.tokenReads.markDirty(accountID, id)
	var env envelope[string]
	if err := c.sdk.Put(ctx, tokensPath(accountID)+"/"+url.PathEscape(id)+"/value", map[string]any{}, &env); err != nil {
		return "", wrapError(err, "rolling the value of API token %s of %s", id, tokenOwner(accountID))
	}
	if env.Result == "" {
		return "", fmt.Errorf("rolling the value of API token %s of %s: the answer has no value", id, tokenOwner(accountID))
	}
	return env.Result, nil
}

// VerifyToken asks who the client's own token is: its ID and status. With
// accountID it verifies an account-owned token of that account.
func (c *Client) VerifyToken(ctx context.Context, accountID string) (id, status string, err error) {
	var env envelope[struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}]
	if err := c.sdk.Get(ctx, tokensPath(accountID)+"/verify", nil, &env); err != nil {
		return "", "", wrapError(err, "verifying the provider's API token")
	}
	return env.Result.ID, env.Result.Status, nil
}

// Caller is what the client's own credentials are, as far as the API tells:
// the token's ID, the account that owns it (empty for a user token), and its
// policies when the token may read itself (nil otherwise).
type Caller struct {
	TokenID   string
	AccountID string
	Policies  []TokenPolicy
}

// Caller finds the client's own API token and its policies, once per Client:
// GET /user/tokens/verify (or, for an account-owned token, the verify
// endpoint of the client's account), then the token itself. A nil Caller
// with a nil error means the credentials are not a readable API token (a
// Global API key, or a token without API Tokens Read on itself).
func (c *Client) Caller(ctx context.Context) (*Caller, error) {
	return c.tokenMemos().caller.do(ctx, "", func(ctx context.Context) (*Caller, error) {
		owner := ""
		id, _, err := c.VerifyToken(ctx, "")
		if err != nil && c.accountID != "" {
			owner = c.accountID
			id, _, err = c.VerifyToken(ctx, owner)
		}
		if err != nil || id == "" {
			return nil, nil //nolint:nilerr // not a token the API can verify: nothing to compare with
		}
		t, err := c.GetToken(ctx, owner, id)
		if err != nil {
			return &Caller{TokenID: id, AccountID: owner}, nil //nolint:nilerr // the token may not read itself
		}
		return &Caller{TokenID: id, AccountID: owner, Policies: t.Policies}, nil
	})
}

// UserID returns the ID of the user the credentials act as, for the
// resource key of user-scoped token policies: GET /user, else the user key
// in the client's own token policies (a token allowed to create user tokens
// holds API Tokens Edit on its user).
func (c *Client) UserID(ctx context.Context) (string, error) {
	return c.tokenMemos().userID.do(ctx, "", func(ctx context.Context) (string, error) {
		var env envelope[struct {
			ID string `json:"id"`
		}]
		err := c.sdk.Get(ctx, "user", nil, &env)
		if err == nil && env.Result.ID != "" {
			return env.Result.ID, nil
		}
		if caller, cerr := c.Caller(ctx); cerr == nil && caller != nil {
			for _, p := range caller.Policies {
				for key := range p.Resources {
					if s, id, perr := catalog.ParseResourceKey(key); perr == nil && s == catalog.ScopeUser && id != "*" {
						return id, nil
					}
				}
			}
		}
		if err == nil {
			err = fmt.Errorf("the answer has no user ID")
		}
		return "", wrapError(err, "finding the user the provider's credentials act as (needs User Details Read, or API Tokens Read on the provider's own token)")
	})
}

// clientTokenMemos holds the memos of Caller and UserID: what the
// credentials are does not change during a provider instance's life.
type clientTokenMemos struct {
	caller        memo[*Caller]
	userID        memo[string]
	accountGroups memo[*catalog.Catalog]
}

// TokenCatalog is the catalog of the permission groups a token may hold:
// the provider's catalog, or, when the credentials may not read that (an
// account-owned token on the user endpoint) and the token belongs to an
// account (owner), that account's token permission groups.
func (c *Client) TokenCatalog(ctx context.Context, owner string) (*catalog.Catalog, error) {
	cat, err := c.Catalog(ctx, "")
	if err != nil && owner != "" && IsForbidden(err) {
		return c.AccountTokenCatalog(ctx, owner)
	}
	return cat, err
}

// AccountTokenCatalog is the catalog of the permission groups that the
// account's tokens may hold (/accounts/{id}/tokens/permission_groups), once
// per Client and account. An account-owned token may read these where the
// user endpoint refuses it.
func (c *Client) AccountTokenCatalog(ctx context.Context, accountID string) (*catalog.Catalog, error) {
	return c.tokenMemos().accountGroups.do(ctx, accountID, func(ctx context.Context) (*catalog.Catalog, error) {
		groups, err := c.ListAccountTokenPermissionGroups(ctx, accountID)
		if err != nil {
			return nil, err
		}
		return catalog.New(groups), nil
	})
}

func (c *Client) tokenMemos() *clientTokenMemos { return &c.tokens }
