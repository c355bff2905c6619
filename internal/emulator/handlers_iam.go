package emulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (e *Emulator) findAccount(id string) *Account {
	for _, a := range e.accounts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (e *Emulator) findMember(accountID, id string) *Member {
	for _, m := range e.members {
		if m.AccountID == accountID && m.ID == id {
			return m
		}
	}
	return nil
}

func (e *Emulator) findIAMGroup(accountID, id string) *PermissionGroup {
	for _, g := range e.iamGroups[accountID] {
		if strings.EqualFold(g.ID, id) {
			return g
		}
	}
	return nil
}

func (e *Emulator) findResourceGroup(accountID, id string) *ResourceGroup {
	for _, g := range e.resourceGroups {
		if g.AccountID == accountID && strings.EqualFold(g.ID, id) {
			return g
		}
	}
	return nil
}

// --- accounts ---

func accountJSON(a *Account) map[string]any {
	settings := map[string]any{"enforce_twofactor": a.EnforceTwofactor, "default_nameservers": "cloudflare.standard"}
	if a.AbuseContactEmail != "" {
		settings["abuse_contact_email"] = a.AbuseContactEmail
	}
	return map[string]any{"id": a.ID, "name": a.Name, "type": "standard", "created_on": ts(a.CreatedOn), "settings": settings}
}

func listAccounts(e *Emulator, c *call) (any, *resultInfo, error) {
	desc, err := direction(c.query)
	if err != nil {
		return nil, nil, err
	}
	name := strings.ToLower(c.query.Get("name"))
	var out []map[string]any
	for _, a := range e.accounts {
		if !e.allowsAccount(c.p, catalog.OpAccountRead, a.ID) || name != "" && !strings.Contains(strings.ToLower(a.Name), name) {
			continue
		}
		out = append(out, accountJSON(a))
	}
	if desc {
		reverse(out)
	}
	return paginateAny(c, out, 5, 50)
}

// pageOf answers the page c asks for (5 to 50 a page) of xs as JSON, in
// their order, reversed when desc.
func pageOf[T any](c *call, xs []T, desc bool, toJSON func(T) map[string]any) (any, *resultInfo, error) {
	if desc {
		reverse(xs)
	}
	out := make([]map[string]any, 0, len(xs))
	for _, x := range xs {
		out = append(out, toJSON(x))
	}
	return paginateAny(c, out, 5, 50)
}

// paginateAny pages a list; every list the emulator serves defaults to 20 per page.
func paginateAny(c *call, items []map[string]any, lo, hi int) (any, *resultInfo, error) {
	page, info, err := paginate(c, items, 20, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	return page, info, nil
}

func getAccount(e *Emulator, c *call) (any, *resultInfo, error) {
	return accountJSON(e.findAccount(c.param("account_id"))), nil, nil
}

func updateAccount(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		ID       *string `json:"id"`
		Name     *string `json:"name"`
		Settings *struct {
			EnforceTwofactor  *bool   `json:"enforce_twofactor"`
			AbuseContactEmail *string `json:"abuse_contact_email"`
		} `json:"settings"`
	}
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	a := e.findAccount(c.param("account_id"))
	if in.ID != nil && *in.ID != a.ID {
		return nil, nil, errValidation("id must match the account in the path")
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" || len(*in.Name) > 100 {
		return nil, nil, errValidation("name is required (1 to 100 characters)")
	}
	a.Name = *in.Name
	if in.Settings != nil {
		if in.Settings.EnforceTwofactor != nil {
			a.EnforceTwofactor = *in.Settings.EnforceTwofactor
		}
		if in.Settings.AbuseContactEmail != nil {
			a.AbuseContactEmail = *in.Settings.AbuseContactEmail
		}
	}
	return accountJSON(a), nil, nil
}

// --- user ---

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func userJSON(u *User) map[string]any {
	return map[string]any{
		"id": u.ID, "email": u.Email, "first_name": nullable(u.FirstName), "last_name": nullable(u.LastName),
		"telephone": nullable(u.Telephone), "country": nullable(u.Country), "zipcode": nullable(u.Zipcode),
		"two_factor_authentication_enabled": false, "two_factor_authentication_locked": false,
		"has_pro_zones": false, "has_business_zones": false, "has_enterprise_zones": false, "suspended": false,
		"organizations": []any{}, "betas": []string{},
		"created_on": ts(seedTime), "modified_on": ts(seedTime),
	}
}

func getUser(e *Emulator, c *call) (any, *resultInfo, error) {
	u := e.findUser(c.p.userID)
	if u == nil {
		return nil, nil, errForbidden()
	}
	return userJSON(u), nil, nil
}

func editUser(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		FirstName, LastName, Telephone, Country, Zipcode *string
	}
	var raw struct {
		FirstName *string `json:"first_name"`
		LastName  *string `json:"last_name"`
		Telephone *string `json:"telephone"`
		Country   *string `json:"country"`
		Zipcode   *string `json:"zipcode"`
	}
	if err := c.decode(&raw); err != nil {
		return nil, nil, err
	}
	in.FirstName, in.LastName, in.Telephone, in.Country, in.Zipcode = raw.FirstName, raw.LastName, raw.Telephone, raw.Country, raw.Zipcode
	for _, f := range []struct {
		v   *string
		max int
		n   string
	}{{in.FirstName, 60, "first_name"}, {in.LastName, 60, "last_name"}, {in.Telephone, 20, "telephone"}, {in.Country, 30, "country"}, {in.Zipcode, 20, "zipcode"}} {
		if f.v != nil && len(*f.v) > f.max {
			return nil, nil, errValidation("%s is longer than %d characters", f.n, f.max)
		}
	}
	u := e.findUser(c.p.userID)
	if u == nil {
		return nil, nil, errForbidden()
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&u.FirstName, in.FirstName)
	set(&u.LastName, in.LastName)
	set(&u.Telephone, in.Telephone)
	set(&u.Country, in.Country)
	set(&u.Zipcode, in.Zipcode)
	return userJSON(u), nil, nil
}

// --- roles and IAM permission groups ---

var legacyAreas = []string{"analytics", "billing", "cache_purge", "dns", "dns_records", "lb", "logs", "organization", "ssl", "waf", "zone_settings", "zones"}

// rolePermissions is a role's legacy `permissions`: a read and a write grant
// for each of the twelve areas, one object, as cloudflare-go v7's
// shared.RolePermissions (and the contract's iam_permissions) have it; the
// contract's list of "#area:read" strings for the roles list is not what the
// SDKs read (contract_test.go, fix 5). Every area for the administrator
// roles, read for Administrator Read Only, otherwise the area the role's
// label names, if any, with write unless the role is a read role.
func rolePermissions(g *PermissionGroup) map[string]any {
	out := make(map[string]any, len(legacyAreas))
	for _, a := range legacyAreas {
		var read, write bool
		switch g.Label {
		case "super_administrator_all_privileges", "administrator":
			read, write = true, true
		case "administrator_read_only":
			read = true
		case a, "domain_" + a:
			read, write = true, !strings.Contains(strings.ToLower(g.Name), "read")
		}
		out[a] = map[string]bool{"read": read, "write": write}
	}
	return out
}

func roleJSON(g *PermissionGroup) map[string]any {
	return map[string]any{"id": g.ID, "name": g.Name, "description": g.Description, "permissions": rolePermissions(g)}
}

func pgJSON(g *PermissionGroup) map[string]any {
	return map[string]any{"id": g.ID, "name": g.Name, "meta": map[string]any{"label": g.Label, "scopes": catalog.ScopeKey(g.Scope)}}
}

func listRoles(e *Emulator, c *call) (any, *resultInfo, error) {
	var out []map[string]any
	for _, g := range e.iamGroups[c.param("account_id")] {
		if g.Scope == catalog.ScopeAccount {
			out = append(out, roleJSON(g))
		}
	}
	return paginateAny(c, out, 5, 50)
}

func getRole(e *Emulator, c *call) (any, *resultInfo, error) {
	g := e.findIAMGroup(c.param("account_id"), c.param("role_id"))
	if g == nil || g.Scope != catalog.ScopeAccount {
		return nil, nil, errNotFound("Role")
	}
	return roleJSON(g), nil, nil
}

func listIAMPermissionGroups(e *Emulator, c *call) (any, *resultInfo, error) {
	id, name, label := c.query.Get("id"), c.query.Get("name"), c.query.Get("label")
	var out []map[string]any
	for _, g := range e.iamGroups[c.param("account_id")] {
		if id != "" && !strings.EqualFold(g.ID, id) || name != "" && !strings.EqualFold(g.Name, name) || label != "" && g.Label != label {
			continue
		}
		out = append(out, pgJSON(g))
	}
	return paginateAny(c, out, 5, 50)
}

func getIAMPermissionGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	g := e.findIAMGroup(c.param("account_id"), c.param("permission_group_id"))
	if g == nil {
		return nil, nil, errNotFound("Permission group")
	}
	return pgJSON(g), nil, nil
}

// --- resource groups ---

// rgKind returns the scope of a resource group's objects (the account, zones
// or one resource kind of catalog.Kinds) and their IDs ("*" for all).
func (e *Emulator) rgKind(rg *ResourceGroup) (catalog.Scope, []string, error) {
	return e.objectsKind(rg.AccountID, rg.Objects)
}

func (e *Emulator) objectsKind(accountID string, objects []string) (catalog.Scope, []string, error) {
	if len(objects) == 0 {
		return "", nil, errValidation("scope.objects must list at least one object")
	}
	var kind catalog.Scope
	var ids []string
	for _, o := range objects {
		s, id, err := catalog.ParseResourceKey(o)
		if err != nil {
			return "", nil, errValidation("scope.objects: %v", err)
		}
		switch s {
		case catalog.ScopeAccount:
			if id != accountID {
				return "", nil, errValidation("scope.objects: %s is not this account", o)
			}
		case catalog.ScopeZone:
			if z := e.findZone(id); id != "*" && (z == nil || z.AccountID != accountID) {
				return "", nil, errValidation("scope.objects: zone %s not found in this account", id)
			}
		default:
			k, ok := catalog.KindOf(s)
			if !ok {
				return "", nil, errValidation("scope.objects: %s cannot be in a resource group", o)
			}
			if err := e.checkKindObject(k, accountID, id); err != nil {
				return "", nil, err
			}
		}
		if kind != "" && kind != s {
			return "", nil, errValidation("scope.objects must all be of one kind (%s)", objectKinds())
		}
		kind = s
		ids = append(ids, id)
	}
	return kind, ids, nil
}

func rgScopeObjects(g *ResourceGroup) []map[string]any {
	objs := make([]map[string]any, 0, len(g.Objects))
	for _, o := range g.Objects {
		objs = append(objs, map[string]any{"key": o})
	}
	return objs
}

func rgMeta(g *ResourceGroup) map[string]any {
	if g.Meta == nil {
		return map[string]any{}
	}
	return g.Meta
}

// rgJSON is a resource group as every answer shows it (POST, GET, PUT, the
// list, and inside member and user group policies): `scope` is one object,
// as cloudflare-go v7 and the TypeScript SDK type it everywhere. The 2024
// contract has a list outside POST; the SDKs win (contract_test.go, fix 4).
func rgJSON(g *ResourceGroup) map[string]any {
	return map[string]any{"id": g.ID, "name": g.Name, "meta": rgMeta(g),
		"scope": map[string]any{"key": g.ScopeKey, "objects": rgScopeObjects(g)}}
}

type rgIn struct {
	Name  *string        `json:"name"`
	Meta  map[string]any `json:"meta"`
	Scope *struct {
		Key     string `json:"key"`
		Objects []struct {
			Key string `json:"key"`
		} `json:"objects"`
	} `json:"scope"`
}

func (e *Emulator) checkRGScope(accountID string, in *rgIn) ([]string, catalog.Scope, error) {
	if in.Scope == nil {
		return nil, "", errValidation("scope is required")
	}
	if in.Scope.Key != catalog.ResourceKey(catalog.ScopeAccount, accountID) {
		return nil, "", errValidation("scope.key must be %s", catalog.ResourceKey(catalog.ScopeAccount, accountID))
	}
	var objs []string
	for _, o := range in.Scope.Objects {
		objs = append(objs, o.Key)
	}
	kind, _, err := e.objectsKind(accountID, objs)
	return objs, kind, err
}

func listResourceGroups(e *Emulator, c *call) (any, *resultInfo, error) {
	id, name := c.query.Get("id"), c.query.Get("name")
	var out []map[string]any
	for _, g := range e.resourceGroups {
		if g.AccountID != c.param("account_id") || id != "" && !strings.EqualFold(g.ID, id) || name != "" && g.Name != name {
			continue
		}
		out = append(out, rgJSON(g))
	}
	// One page with every group: both SDKs read this list as a single page
	// (cloudflare-go's pagination.SinglePage), so a paged answer would hide
	// groups past the first page from their users.
	if out == nil {
		out = []map[string]any{}
	}
	return out, &resultInfo{Page: 1, PerPage: len(out), Count: len(out), TotalCount: len(out), TotalPages: 1}, nil
}

func createResourceGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	var in rgIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	// name is required, as cloudflare-go v7's ResourceGroupNewParams has it
	// (the 2024 contract marks it read-only; the SDK is newer).
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, nil, errValidation("name is required")
	}
	objs, _, err := e.checkRGScope(acct, &in)
	if err != nil {
		return nil, nil, err
	}
	g := &ResourceGroup{ID: e.newID("resource-group"), AccountID: acct, Name: *in.Name, ScopeKey: in.Scope.Key, Objects: objs, Meta: in.Meta}
	e.resourceGroups = append(e.resourceGroups, g)
	return rgJSON(g), nil, nil
}

func getResourceGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	g := e.findResourceGroup(c.param("account_id"), c.param("resource_group_id"))
	if g == nil {
		return nil, nil, errNotFound("Resource group")
	}
	return rgJSON(g), nil, nil
}

func updateResourceGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	var in rgIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	g := e.findResourceGroup(acct, c.param("resource_group_id"))
	if g == nil {
		return nil, nil, errNotFound("Resource group")
	}
	objs := g.Objects
	if in.Scope != nil {
		var kind catalog.Scope
		var err error
		objs, kind, err = e.checkRGScope(acct, &in)
		if err != nil {
			return nil, nil, err
		}
		// Every policy using this group must stay a valid combination.
		for _, m := range e.members {
			for _, p := range m.Policies {
				if m.AccountID != acct || !slices.Contains(p.ResourceGroups, g.ID) {
					continue
				}
				for _, pg := range p.PermissionGroups {
					if pgr := e.findIAMGroup(acct, pg); pgr != nil && pgr.Scope != kind {
						return nil, nil, errf(http.StatusBadRequest, codeBadCombination,
							"invalid permission group and resource group combination: member %s uses %q with this resource group", m.ID, pgr.Name)
					}
				}
			}
		}
		if err := e.checkUserGroupsKeepCombination(acct, g.ID, kind); err != nil {
			return nil, nil, err
		}
	}
	if in.Name != nil && *in.Name != "" {
		g.Name = *in.Name
	}
	if in.Meta != nil {
		g.Meta = in.Meta
	}
	g.Objects = objs
	return rgJSON(g), nil, nil
}

func deleteResourceGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	acct := c.param("account_id")
	g := e.findResourceGroup(acct, c.param("resource_group_id"))
	if g == nil {
		return nil, nil, errNotFound("Resource group")
	}
	for _, m := range e.members {
		for _, p := range m.Policies {
			if m.AccountID == acct && slices.Contains(p.ResourceGroups, g.ID) {
				return nil, nil, errf(http.StatusConflict, codeInUse,
					"resource group %s is used by a policy of member %s; remove it from that policy first", g.ID, m.ID)
			}
		}
	}
	if ug := e.userGroupUsing(acct, g.ID); ug != nil {
		return nil, nil, errf(http.StatusConflict, codeInUse,
			"resource group %s is used by a policy of user group %s; remove it from that policy first", g.ID, ug.ID)
	}
	e.resourceGroups = slices.DeleteFunc(e.resourceGroups, func(x *ResourceGroup) bool { return x == g })
	return map[string]any{"id": g.ID}, nil, nil
}

// --- members ---

func (e *Emulator) memberJSON(m *Member) map[string]any {
	u := e.findUser(m.UserID)
	user := map[string]any{"id": m.UserID, "email": m.Email, "first_name": nil, "last_name": nil, "two_factor_authentication_enabled": false}
	if u != nil {
		user["first_name"], user["last_name"] = nullable(u.FirstName), nullable(u.LastName)
	}
	roles := []map[string]any{}
	for _, id := range m.Roles {
		if g := e.findIAMGroup(m.AccountID, id); g != nil {
			roles = append(roles, roleJSON(g))
		}
	}
	policies := []map[string]any{}
	for _, p := range m.Policies {
		pgs := []map[string]any{}
		for _, id := range p.PermissionGroups {
			if g := e.findIAMGroup(m.AccountID, id); g != nil {
				pgs = append(pgs, pgJSON(g))
			} else {
				pgs = append(pgs, map[string]any{"id": id})
			}
		}
		rgs := []map[string]any{}
		for _, id := range p.ResourceGroups {
			if g := e.findResourceGroup(m.AccountID, id); g != nil {
				rgs = append(rgs, rgJSON(g))
			}
		}
		policies = append(policies, map[string]any{"id": p.ID, "access": p.Access, "permission_groups": pgs, "resource_groups": rgs})
	}
	return map[string]any{"id": m.ID, "email": m.Email, "status": m.Status, "user": user, "roles": roles, "policies": policies}
}

func listMembers(e *Emulator, c *call) (any, *resultInfo, error) {
	status := c.query.Get("status")
	switch status {
	case "", "accepted", "pending", "rejected":
	default:
		return nil, nil, errValidation("status must be accepted, pending or rejected")
	}
	order := c.query.Get("order")
	switch order {
	case "", "user.first_name", "user.last_name", "user.email", "status":
	default:
		return nil, nil, errValidation("order must be user.first_name, user.last_name, user.email or status")
	}
	desc, err := direction(c.query)
	if err != nil {
		return nil, nil, err
	}
	var ms []*Member
	for _, m := range e.members {
		if m.AccountID == c.param("account_id") && (status == "" || m.Status == status) {
			ms = append(ms, m)
		}
	}
	sortKey := func(m *Member) string {
		u := e.findUser(m.UserID)
		switch order {
		case "user.first_name":
			if u != nil {
				return strings.ToLower(u.FirstName)
			}
		case "user.last_name":
			if u != nil {
				return strings.ToLower(u.LastName)
			}
		case "user.email":
			return strings.ToLower(m.Email)
		case "status":
			return m.Status
		}
		return ""
	}
	if order != "" {
		sort.SliceStable(ms, func(i, j int) bool { return sortKey(ms[i]) < sortKey(ms[j]) })
	}
	return pageOf(c, ms, desc, e.memberJSON)
}

func getMember(e *Emulator, c *call) (any, *resultInfo, error) {
	m := e.findMember(c.param("account_id"), c.param("member_id"))
	if m == nil {
		return nil, nil, errNotFound("Member")
	}
	return e.memberJSON(m), nil, nil
}

// memberPolicyIn is a member (or user group) policy as sent: access,
// permission_groups and resource_groups are required, each group by id (the
// contract's create_member_policy and cloudflare-go v7's
// Member*PoliciesPolicy); id is read-only in the contract, and kept on
// update (parsePolicies). Pointers tell a missing field from an empty one.
// Effect is there to be refused: it is a token policy's field, and a member
// policy that says "effect": "deny" and no access must not grant.
type memberPolicyIn struct {
	ID               string            `json:"id"`
	Access           *string           `json:"access"`
	Effect           json.RawMessage   `json:"effect"`
	PermissionGroups *[]policyGroupRef `json:"permission_groups"`
	ResourceGroups   *[]policyGroupRef `json:"resource_groups"`
}

// policyGroupRef is a permission or resource group a policy names: {"id": ...}.
type policyGroupRef struct {
	ID *string `json:"id"`
}

// checkFields refuses a policy that lacks a required field or carries a
// token policy's effect (400, 1001).
func (p *memberPolicyIn) checkFields(i int) error {
	if p.Effect != nil {
		return errValidation("policies[%d].effect is not a field of a member policy: a member policy takes access (allow or deny); effect is an API token policy's", i)
	}
	if p.Access == nil {
		return errValidation("policies[%d].access is required (allow or deny)", i)
	}
	if *p.Access != "allow" && *p.Access != "deny" {
		return errValidation("policies[%d].access must be allow or deny", i)
	}
	for _, f := range []struct {
		name string
		refs *[]policyGroupRef
	}{{"permission_groups", p.PermissionGroups}, {"resource_groups", p.ResourceGroups}} {
		if f.refs == nil {
			return errValidation("policies[%d].%s is required", i, f.name)
		}
		for j, ref := range *f.refs {
			if ref.ID == nil || *ref.ID == "" {
				return errValidation("policies[%d].%s[%d].id is required", i, f.name, j)
			}
		}
	}
	return nil
}

type memberIn struct {
	Email    *string           `json:"email"`
	Status   *string           `json:"status"`
	Roles    []json.RawMessage `json:"roles"`
	Policies []memberPolicyIn  `json:"policies"`
	hasRoles bool
	hasPols  bool
}

func (c *call) decodeMember() (*memberIn, error) {
	var in memberIn
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var probe map[string]json.RawMessage
	if err := c.decode(&probe); err != nil {
		return nil, err
	}
	_, in.hasRoles = probe["roles"]
	_, in.hasPols = probe["policies"]
	for _, f := range []string{"roles", "policies"} {
		if v, ok := probe[f]; ok && strings.TrimSpace(string(v)) == "null" {
			return nil, errValidation("%s must be an array", f)
		}
	}
	return &in, nil
}

// parseRoles accepts role IDs as strings (create) or {"id": ...} objects (update).
func (e *Emulator) parseRoles(accountID string, raw []json.RawMessage) ([]string, error) {
	var ids []string
	for _, r := range raw {
		var id string
		if err := json.Unmarshal(r, &id); err != nil {
			var obj struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(r, &obj); err != nil || obj.ID == "" {
				return nil, errf(http.StatusBadRequest, codeMalformedJSON, "Malformed JSON in request body")
			}
			id = obj.ID
		}
		g := e.findIAMGroup(accountID, id)
		if g == nil || g.Scope != catalog.ScopeAccount {
			return nil, errf(http.StatusBadRequest, codeUnknownGroup, "unknown role %s: roles must be account-scoped role IDs", id)
		}
		if !slices.Contains(ids, g.ID) {
			ids = append(ids, g.ID)
		}
	}
	return ids, nil
}

// parsePolicies validates member policies against the live catalog and the
// account's resource groups, and assigns policy IDs. existing is the member's
// current policies (nil on create, where request ids are ignored): a policy
// carrying the id of one of them keeps that ID; one with no id, or an id the
// member does not have (never another member's), gets a new ID. Two policies
// of one update carrying the same id are a 1001 error.
func (e *Emulator) parsePolicies(accountID string, in []memberPolicyIn, existing []MemberPolicy) ([]MemberPolicy, error) {
	keep := make([]string, len(in)) // the existing policy ID each policy keeps, or ""
	if existing != nil {
		seen := map[string]int{}
		for i, p := range in {
			id := strings.ToLower(strings.TrimSpace(p.ID))
			if id == "" {
				continue
			}
			if j, dup := seen[id]; dup {
				return nil, errValidation("policies[%d].id and policies[%d].id are the same (%s): each policy id may appear once", j, i, p.ID)
			}
			seen[id] = i
			for _, old := range existing {
				if strings.EqualFold(old.ID, id) {
					keep[i] = old.ID
					break
				}
			}
		}
	}
	var out []MemberPolicy
	for i, p := range in {
		if err := p.checkFields(i); err != nil {
			return nil, err
		}
		if len(*p.PermissionGroups) == 0 || len(*p.ResourceGroups) == 0 {
			return nil, errValidation("policies[%d] needs at least one permission group and one resource group", i)
		}
		pol := MemberPolicy{Access: *p.Access}
		var pgs []*PermissionGroup
		for _, ref := range *p.PermissionGroups {
			g := e.findIAMGroup(accountID, *ref.ID)
			if g == nil {
				return nil, errf(http.StatusBadRequest, codeUnknownGroup, "unknown permission group %s", *ref.ID)
			}
			pgs = append(pgs, g)
			pol.PermissionGroups = append(pol.PermissionGroups, g.ID)
		}
		var kinds []catalog.Scope // the kinds of the policy's resource groups
		for _, ref := range *p.ResourceGroups {
			rg := e.findResourceGroup(accountID, *ref.ID)
			if rg == nil {
				return nil, errf(http.StatusBadRequest, codeUnknownResource, "unknown resource group %s", *ref.ID)
			}
			kind, _, err := e.rgKind(rg)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
			pol.ResourceGroups = append(pol.ResourceGroups, rg.ID)
		}
		// Each permission group must apply to a kind the policy's resource
		// groups hold (Tunnels and Mesh nodes may share a policy); a role
		// misplaced is 1006, as Cloudflare answers.
		for _, g := range pgs {
			if !catalog.RoleAppliesTo(g.Scope, kinds) {
				return nil, errf(http.StatusBadRequest, codeBadCombination,
					"invalid permission group and resource group combination: %q is %s and the resource groups of policies[%d] hold %s objects",
					g.Name, g.Scope.Describe(catalog.KindRole), i, kindList(kinds))
			}
		}
		out = append(out, pol)
	}
	for i := range out {
		if out[i].ID = keep[i]; out[i].ID == "" {
			out[i].ID = e.newID("policy")
		}
	}
	return out, nil
}

// nonNil makes an update's existing policies non-nil (parsePolicies reads nil as "create").
func nonNil(ps []MemberPolicy) []MemberPolicy {
	if ps == nil {
		return []MemberPolicy{}
	}
	return ps
}

var reEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func createMember(e *Emulator, c *call) (any, *resultInfo, error) {
	in, err := c.decodeMember()
	if err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	if in.Email == nil || !reEmail.MatchString(*in.Email) || len(*in.Email) > 90 {
		return nil, nil, errValidation("email is required and must be an e-mail address")
	}
	status := "pending"
	if in.Status != nil {
		if *in.Status != "accepted" && *in.Status != "pending" {
			return nil, nil, errValidation("status must be accepted or pending")
		}
		status = *in.Status
	}
	if in.hasRoles == in.hasPols {
		return nil, nil, errValidation("give either roles or policies")
	}
	m := &Member{AccountID: acct, Email: *in.Email, Status: status}
	for _, old := range e.members {
		if old.AccountID == acct && strings.EqualFold(old.Email, m.Email) {
			return nil, nil, errf(http.StatusBadRequest, codeAlreadyMember, "user %s is already a member of this account", m.Email)
		}
	}
	if in.hasRoles {
		if m.Roles, err = e.parseRoles(acct, in.Roles); err != nil {
			return nil, nil, err
		}
	} else {
		if m.Policies, err = e.parsePolicies(acct, in.Policies, nil); err != nil {
			return nil, nil, err
		}
	}
	// Every field is valid: an account that does not allow direct adds
	// refuses the status itself (invitations.go).
	if status == "accepted" && !e.allowDirectAdd {
		return nil, nil, errDirectAddRefused()
	}
	var u *User
	for _, cand := range e.users {
		if strings.EqualFold(cand.Email, m.Email) {
			u = cand
		}
	}
	if u == nil {
		u = &User{ID: e.newID("user"), Email: m.Email}
		e.users = append(e.users, u)
	}
	m.UserID = u.ID
	m.ID = e.newID("member")
	e.members = append(e.members, m)
	return e.memberJSON(m), nil, nil
}

// keepsSuperAdmin reports whether the account still has an accepted member
// holding Super Administrator account-wide if member m were replaced by repl
// (nil: deleted).
func (e *Emulator) keepsSuperAdmin(accountID string, m, repl *Member) bool {
	for _, cand := range e.members {
		if cand.AccountID != accountID {
			continue
		}
		if cand == m {
			if repl == nil {
				continue
			}
			cand = repl
		}
		if catalog.HoldsSuperAdministrator(e.memberGrants(cand)) {
			return true
		}
	}
	return false
}

func updateMember(e *Emulator, c *call) (any, *resultInfo, error) {
	in, err := c.decodeMember()
	if err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	m := e.findMember(acct, c.param("member_id"))
	if m == nil {
		return nil, nil, errNotFound("Member")
	}
	// The body is one of the contract's two forms: roles (the member, whose
	// status is read-only) or policies (policies only).
	if in.hasRoles == in.hasPols {
		return nil, nil, errValidation("give either roles or policies")
	}
	next := copyMember(m)
	if in.Status != nil {
		switch {
		case in.hasPols:
			return nil, nil, errValidation("status cannot be sent with policies: a member's status changes only when the member accepts its invitation")
		case *in.Status != "accepted" && *in.Status != "pending":
			return nil, nil, errValidation("status must be accepted or pending")
		case *in.Status != m.Status:
			return nil, nil, errValidation("status is read-only (the member is %s): a member's status changes only when the member accepts its invitation", m.Status)
		}
	}
	if in.hasRoles {
		if next.Roles, err = e.parseRoles(acct, in.Roles); err != nil {
			return nil, nil, err
		}
	}
	if in.hasPols {
		if next.Policies, err = e.parsePolicies(acct, in.Policies, nonNil(m.Policies)); err != nil {
			return nil, nil, err
		}
	}
	if !e.keepsSuperAdmin(acct, m, &next) {
		return nil, nil, errValidation("the account must keep at least one accepted Super Administrator")
	}
	*m = next
	return e.memberJSON(m), nil, nil
}

func deleteMember(e *Emulator, c *call) (any, *resultInfo, error) {
	acct := c.param("account_id")
	m := e.findMember(acct, c.param("member_id"))
	if m == nil {
		return nil, nil, errNotFound("Member")
	}
	if !e.keepsSuperAdmin(acct, m, nil) {
		return nil, nil, errValidation("the account must keep at least one accepted Super Administrator")
	}
	e.members = slices.DeleteFunc(e.members, func(x *Member) bool { return x == m })
	e.removeFromUserGroups(m)
	for v, mt := range e.memberTokens {
		if mt.memberID == m.ID {
			delete(e.memberTokens, v)
		}
	}
	return map[string]any{"id": m.ID}, nil, nil
}

// kindList names resource group kinds for an error: "tunnel and mesh_node".
func kindList(kinds []catalog.Scope) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, " and ")
}
