package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/iam"
	"github.com/cloudflare/cloudflare-go/v7/user"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// rolesPerPage is the largest page the IAM permission groups endpoint allows.
const rolesPerPage = 50

// ListRoles returns the roles of member policies in the account: the
// account's IAM permission groups, every page. The SDK models `meta` as a
// key/value pair, while the API sends {label, scopes}; the scope is therefore
// read from the raw JSON the SDK keeps. Where meta has no scope (or a
// description is missing), the embedded catalog fills it in by ID or name.
func (c *Client) ListRoles(ctx context.Context, accountID string) ([]catalog.Entry, error) {
	if accountID == "" {
		return nil, fmt.Errorf("listing roles: no account ID")
	}
	var out []catalog.Entry
	for page := 1; ; page++ {
		res, err := c.sdk.IAM.PermissionGroups.List(ctx, iam.PermissionGroupListParams{
			AccountID: cloudflare.F(accountID),
			Page:      cloudflare.F(float64(page)),
			PerPage:   cloudflare.F(float64(rolesPerPage)),
		})
		if err != nil {
			return nil, wrapError(err, "listing roles of account %s", accountID)
		}
		for _, pg := range res.Result {
			e, err := roleEntry(pg)
			if err != nil {
				return nil, fmt.Errorf("listing roles of account %s: %w", accountID, err)
			}
			out = append(out, e)
		}
		if lastPage(page, len(res.Result), rolesPerPage, res.ResultInfo.JSON.RawJSON()) {
			return out, nil
		}
	}
}

// lastPage decides from result_info (total_pages, else total_count) and,
// failing that, from a short page, so that no request is spent on an empty
// page the way the SDK's auto-pager does.
func lastPage(page, got, perPage int, rawInfo string) bool {
	var info struct {
		TotalPages *int `json:"total_pages"`
		TotalCount *int `json:"total_count"`
		PerPage    *int `json:"per_page"`
	}
	if rawInfo != "" && json.Unmarshal([]byte(rawInfo), &info) == nil {
		if info.TotalPages != nil {
			return page >= *info.TotalPages
		}
		if info.TotalCount != nil {
			size := perPage
			if info.PerPage != nil && *info.PerPage > 0 {
				size = *info.PerPage
			}
			return page*size >= *info.TotalCount
		}
	}
	return got < perPage
}

// roleMeta is the `meta` object of an IAM permission group as the API sends it.
type roleMeta struct {
	Label  string          `json:"label"`
	Scopes json.RawMessage `json:"scopes"` // a key string; tolerate a list of them too
}

func roleEntry(pg iam.PermissionGroupListResponse) (catalog.Entry, error) {
	e := catalog.Entry{ID: pg.ID, Name: pg.Name, Kind: catalog.KindRole}
	if raw := pg.Meta.JSON.RawJSON(); raw != "" && raw != "null" {
		var meta roleMeta
		if err := json.Unmarshal([]byte(raw), &meta); err != nil {
			return catalog.Entry{}, fmt.Errorf("decoding meta of role %q: %w", pg.Name, err)
		}
		e.Label = meta.Label
		for _, key := range scopeKeys(meta.Scopes) {
			if s, ok := catalog.ScopeFromKey(key); ok {
				e.Scope = s
				break
			}
		}
	}
	e.Description = rawDescription(pg.JSON.RawJSON())
	fillFromEmbedded(&e)
	if e.Scope == "" {
		// IAM permission groups without a scope in meta are account roles:
		// that is what the API returned before meta.scopes existed.
		e.Scope = catalog.ScopeAccount
	}
	return e, nil
}

func scopeKeys(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

func rawDescription(raw string) string {
	var v struct {
		Description string `json:"description"`
	}
	if raw == "" || json.Unmarshal([]byte(raw), &v) != nil {
		return ""
	}
	return v.Description
}

// fillFromEmbedded completes an entry from the API with what the embedded
// catalog knows about the same object (same ID, else the single entry of the
// same name and, when known, scope). The API's own values always win.
func fillFromEmbedded(e *catalog.Entry) {
	emb := catalog.Embedded()
	var match *catalog.Entry
	if byID, ok := emb.ByID(e.ID); ok && byID.Kind == e.Kind && (e.Scope == "" || byID.Scope == e.Scope) {
		match = &byID
	} else {
		var same []catalog.Entry
		for _, f := range emb.Find(e.Kind, e.Name) {
			if e.Scope == "" || f.Scope == e.Scope {
				same = append(same, f)
			}
		}
		if len(same) == 1 {
			match = &same[0]
		}
	}
	if match == nil {
		return
	}
	if e.Scope == "" {
		e.Scope = match.Scope
	}
	if e.Description == "" {
		e.Description = match.Description
	}
	if e.Label == "" {
		e.Label = match.Label
	}
}

// ListTokenPermissionGroups returns the permission groups of API tokens from
// /user/tokens/permission_groups, one entry per scope a group supports
// (user, account, zone); scopes outside those three (R2 buckets) are skipped.
func (c *Client) ListTokenPermissionGroups(ctx context.Context) ([]catalog.Entry, error) {
	res, err := c.sdk.User.Tokens.PermissionGroups.List(ctx, user.TokenPermissionGroupListParams{})
	if err != nil {
		return nil, wrapError(err, "listing API token permission groups")
	}
	var out []catalog.Entry
	for _, pg := range res.Result {
		out = append(out, permissionGroupEntries(pg.ID, pg.Name, pg.JSON.RawJSON(), stringsOf(pg.Scopes))...)
	}
	return out, nil
}

// ListAccountTokenPermissionGroups is ListTokenPermissionGroups for
// account-owned tokens (/accounts/{id}/tokens/permission_groups), which an
// account token may read when the user endpoint refuses it.
func (c *Client) ListAccountTokenPermissionGroups(ctx context.Context, accountID string) ([]catalog.Entry, error) {
	res, err := c.sdk.Accounts.Tokens.PermissionGroups.List(ctx, accounts.TokenPermissionGroupListParams{AccountID: cloudflare.F(accountID)})
	if err != nil {
		return nil, wrapError(err, "listing API token permission groups of account %s", accountID)
	}
	var out []catalog.Entry
	for _, pg := range res.Result {
		out = append(out, permissionGroupEntries(pg.ID, pg.Name, pg.JSON.RawJSON(), stringsOf(pg.Scopes))...)
	}
	return out, nil
}

// stringsOf is the SDK's scope names (a string type of each endpoint's own)
// as strings.
func stringsOf[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

func permissionGroupEntries(id, name, raw string, scopes []string) []catalog.Entry {
	desc := rawDescription(raw)
	var out []catalog.Entry
	seen := map[catalog.Scope]bool{}
	for _, key := range scopes {
		s, ok := catalog.ScopeFromKey(key)
		if !ok || s.ResourceScoped() || seen[s] { // token permission groups are never resource-scoped
			continue
		}
		seen[s] = true
		e := catalog.Entry{ID: strings.TrimSpace(id), Name: name, Description: desc, Scope: s, Kind: catalog.KindPermissionGroup}
		fillFromEmbedded(&e)
		out = append(out, e)
	}
	return out
}
