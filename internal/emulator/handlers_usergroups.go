package emulator

// User groups (/accounts/{id}/iam/user_groups), as cloudflare-go v7 defines
// them (iam/usergroup.go, iam/usergroupmember.go): a name and policies of the
// member shape, held by every member in the group. Authorization counts them
// (memberGrants), so a member of a group holding Cloudflare Access lists
// every Tunnel.
//
// Choices where the SDK's types leave a question open:
//   - policies are validated exactly as a member's (parsePolicies): the same
//     checks, the same codes (1001, 1004, 1006, 1008);
//   - a policy's resource groups carry `scope` as one object, as
//     cloudflare-go's UserGroup*PoliciesResourceGroupsScope declares it (its
//     permission groups are pgJSON, as in member policies);
//   - names need not be unique (nothing says Cloudflare refuses a second
//     group of one name), so a client looking a group up by name must expect
//     several;
//   - adding a member already in the group succeeds and changes nothing (the
//     add is idempotent, as Cloudflare's is); a member ID that is not a
//     member of the account is a 1001 validation error;
//   - POST and PUT .../members answer the group's members after the change;
//   - a change (group policies, membership, group deletion) that would leave
//     the account without an accepted Super Administrator is refused with
//     1001, as the same change to a member is;
//   - deleting a member removes it from its groups; deleting a group removes
//     its memberships; a resource group a group policy uses cannot be deleted
//     (409, 1009), as for members.

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// UserGroup is an IAM user group: policies of the member shape, and the
// members who hold them.
type UserGroup struct {
	ID, AccountID, Name   string
	CreatedOn, ModifiedOn time.Time
	Policies              []MemberPolicy
	Members               []UserGroupMember // in the order they were added
}

// UserGroupMember is one member's membership of a user group.
type UserGroupMember struct {
	MemberID string
	AddedOn  time.Time
}

// maxUserGroupName is the longest user group name the emulator takes.
const maxUserGroupName = 100

func (e *Emulator) findUserGroup(accountID, id string) *UserGroup {
	for _, g := range e.userGroups {
		if g.AccountID == accountID && strings.EqualFold(g.ID, id) {
			return g
		}
	}
	return nil
}

func (g *UserGroup) hasMember(memberID string) bool {
	return slices.ContainsFunc(g.Members, func(m UserGroupMember) bool { return m.MemberID == memberID })
}

// removeFromUserGroups drops a deleted member from every group it was in.
func (e *Emulator) removeFromUserGroups(m *Member) {
	for _, g := range e.userGroups {
		if g.AccountID == m.AccountID {
			g.Members = slices.DeleteFunc(g.Members, func(x UserGroupMember) bool { return x.MemberID == m.ID })
		}
	}
}

// userGroupUsing returns a user group of the account whose policies use the
// resource group, or nil.
func (e *Emulator) userGroupUsing(accountID, rgID string) *UserGroup {
	for _, g := range e.userGroups {
		if g.AccountID != accountID {
			continue
		}
		for _, p := range g.Policies {
			if slices.Contains(p.ResourceGroups, rgID) {
				return g
			}
		}
	}
	return nil
}

// hasSuperAdmin reports whether the account has an accepted member holding
// Super Administrator account-wide, through its own policies or its groups'.
func (e *Emulator) hasSuperAdmin(accountID string) bool {
	return e.keepsSuperAdmin(accountID, nil, nil)
}

// tryKeepingSuperAdmin applies change to the state; if the account is then
// left without a Super Administrator (and had one), it undoes the change and
// refuses it as a change to a member would be refused.
func (e *Emulator) tryKeepingSuperAdmin(accountID string, change func() (undo func())) error {
	had := e.hasSuperAdmin(accountID)
	undo := change()
	if had && !e.hasSuperAdmin(accountID) {
		undo()
		return errValidation("the account must keep at least one accepted Super Administrator")
	}
	return nil
}

// --- JSON ---

func (e *Emulator) userGroupPoliciesJSON(g *UserGroup) []map[string]any {
	policies := []map[string]any{}
	for _, p := range g.Policies {
		pgs := []map[string]any{}
		for _, id := range p.PermissionGroups {
			if pg := e.findIAMGroup(g.AccountID, id); pg != nil {
				pgs = append(pgs, pgJSON(pg))
			} else {
				pgs = append(pgs, map[string]any{"id": id})
			}
		}
		rgs := []map[string]any{}
		for _, id := range p.ResourceGroups {
			if rg := e.findResourceGroup(g.AccountID, id); rg != nil {
				rgs = append(rgs, rgJSON(rg))
			}
		}
		policies = append(policies, map[string]any{"id": p.ID, "access": p.Access, "permission_groups": pgs, "resource_groups": rgs})
	}
	return policies
}

func (e *Emulator) userGroupJSON(g *UserGroup) map[string]any {
	return map[string]any{"id": g.ID, "name": g.Name, "created_on": ts(g.CreatedOn), "modified_on": ts(g.ModifiedOn),
		"policies": e.userGroupPoliciesJSON(g)}
}

// userGroupMemberJSON is a member as the members routes list it.
func (e *Emulator) userGroupMemberJSON(m *Member) map[string]any {
	return map[string]any{"id": m.ID, "email": m.Email, "status": m.Status}
}

// --- user groups ---

type userGroupIn struct {
	Name     *string           `json:"name"`
	Policies *[]memberPolicyIn `json:"policies"`
}

func checkUserGroupName(name *string, required bool) error {
	if name == nil {
		if required {
			return errValidation("name is required (1 to %d characters)", maxUserGroupName)
		}
		return nil
	}
	if strings.TrimSpace(*name) == "" || len(*name) > maxUserGroupName {
		return errValidation("name is required (1 to %d characters)", maxUserGroupName)
	}
	return nil
}

func listUserGroups(e *Emulator, c *call) (any, *resultInfo, error) {
	desc, err := direction(c.query)
	if err != nil {
		return nil, nil, err
	}
	id, name, fuzzy := c.query.Get("id"), c.query.Get("name"), strings.ToLower(c.query.Get("fuzzyName"))
	var gs []*UserGroup
	for _, g := range e.userGroups {
		if g.AccountID != c.param("account_id") || id != "" && !strings.EqualFold(g.ID, id) || name != "" && g.Name != name ||
			fuzzy != "" && !strings.Contains(strings.ToLower(g.Name), fuzzy) {
			continue
		}
		gs = append(gs, g)
	}
	// Sorted by name ("direction: the sort order of returned user groups by
	// name"), creation order among equal names.
	sort.SliceStable(gs, func(i, j int) bool { return strings.ToLower(gs[i].Name) < strings.ToLower(gs[j].Name) })
	return pageOf(c, gs, desc, e.userGroupJSON)
}

func getUserGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	g := e.findUserGroup(c.param("account_id"), c.param("user_group_id"))
	if g == nil {
		return nil, nil, errNotFound("User group")
	}
	return e.userGroupJSON(g), nil, nil
}

func createUserGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	var in userGroupIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	if err := checkUserGroupName(in.Name, true); err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	g := &UserGroup{AccountID: acct, Name: *in.Name, CreatedOn: e.now(), ModifiedOn: e.now(), Policies: []MemberPolicy{}}
	if in.Policies != nil {
		ps, err := e.parsePolicies(acct, *in.Policies, nil)
		if err != nil {
			return nil, nil, err
		}
		g.Policies = nonNil(ps)
	}
	g.ID = e.newID("user-group")
	e.userGroups = append(e.userGroups, g)
	return e.userGroupJSON(g), nil, nil
}

// updateUserGroup is PUT: name and policies, each kept when absent; policies
// carrying the ID of one of the group's keep it, as for members.
func updateUserGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	var in userGroupIn
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	acct := c.param("account_id")
	g := e.findUserGroup(acct, c.param("user_group_id"))
	if g == nil {
		return nil, nil, errNotFound("User group")
	}
	if err := checkUserGroupName(in.Name, false); err != nil {
		return nil, nil, err
	}
	policies := g.Policies
	if in.Policies != nil {
		ps, err := e.parsePolicies(acct, *in.Policies, nonNil(g.Policies))
		if err != nil {
			return nil, nil, err
		}
		policies = nonNil(ps)
	}
	err := e.tryKeepingSuperAdmin(acct, func() func() {
		old := g.Policies
		g.Policies = policies
		return func() { g.Policies = old }
	})
	if err != nil {
		return nil, nil, err
	}
	if in.Name != nil {
		g.Name = *in.Name
	}
	g.ModifiedOn = e.now()
	return e.userGroupJSON(g), nil, nil
}

func deleteUserGroup(e *Emulator, c *call) (any, *resultInfo, error) {
	acct := c.param("account_id")
	g := e.findUserGroup(acct, c.param("user_group_id"))
	if g == nil {
		return nil, nil, errNotFound("User group")
	}
	err := e.tryKeepingSuperAdmin(acct, func() func() {
		old := slices.Clone(e.userGroups)
		e.userGroups = slices.DeleteFunc(e.userGroups, func(x *UserGroup) bool { return x == g })
		return func() { e.userGroups = old }
	})
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"id": g.ID}, nil, nil
}

// --- user group members ---

// groupOf returns the path's user group, or a 404.
func (e *Emulator) groupOf(c *call) (*UserGroup, error) {
	g := e.findUserGroup(c.param("account_id"), c.param("user_group_id"))
	if g == nil {
		return nil, errNotFound("User group")
	}
	return g, nil
}

func (e *Emulator) userGroupMembersJSON(g *UserGroup) []map[string]any {
	out := []map[string]any{}
	for _, gm := range g.Members {
		if m := e.findMember(g.AccountID, gm.MemberID); m != nil {
			out = append(out, e.userGroupMemberJSON(m))
		}
	}
	return out
}

func listUserGroupMembers(e *Emulator, c *call) (any, *resultInfo, error) {
	g, err := e.groupOf(c)
	if err != nil {
		return nil, nil, err
	}
	desc, err := direction(c.query)
	if err != nil {
		return nil, nil, err
	}
	fuzzy := strings.ToLower(c.query.Get("fuzzyEmail"))
	var ms []*Member
	for _, gm := range g.Members {
		if m := e.findMember(g.AccountID, gm.MemberID); m != nil && (fuzzy == "" || strings.Contains(strings.ToLower(m.Email), fuzzy)) {
			ms = append(ms, m)
		}
	}
	// Sorted by e-mail address; direction reverses.
	sort.SliceStable(ms, func(i, j int) bool { return strings.ToLower(ms[i].Email) < strings.ToLower(ms[j].Email) })
	return pageOf(c, ms, desc, e.userGroupMemberJSON)
}

// decodeMemberRefs reads the bare JSON array [{"id": "<member_id>"}] of POST
// and PUT .../members: every ID must be a member of the account; an ID given
// twice counts once.
func (e *Emulator) decodeMemberRefs(c *call, accountID string) ([]string, error) {
	if !strings.HasPrefix(strings.TrimSpace(string(c.body)), "[") {
		return nil, errValidation("the body must be a JSON array of members: [{\"id\": \"<member_id>\"}]")
	}
	var in []*struct {
		ID *string `json:"id"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var ids []string
	for i, ref := range in {
		if ref == nil || ref.ID == nil || *ref.ID == "" {
			return nil, errValidation("[%d].id is required", i)
		}
		m := e.findMember(accountID, *ref.ID)
		if m == nil {
			return nil, errValidation("[%d].id: %s is not a member of this account", i, *ref.ID)
		}
		if !slices.Contains(ids, m.ID) {
			ids = append(ids, m.ID)
		}
	}
	return ids, nil
}

func addUserGroupMembers(e *Emulator, c *call) (any, *resultInfo, error) {
	g, err := e.groupOf(c)
	if err != nil {
		return nil, nil, err
	}
	ids, err := e.decodeMemberRefs(c, g.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		return nil, nil, errValidation("the body must list at least one member")
	}
	// Adding grants only: no Super Administrator can be lost.
	for _, id := range ids {
		if !g.hasMember(id) {
			g.Members = append(g.Members, UserGroupMember{MemberID: id, AddedOn: e.now()})
		}
	}
	return e.userGroupMembersJSON(g), nil, nil
}

func replaceUserGroupMembers(e *Emulator, c *call) (any, *resultInfo, error) {
	g, err := e.groupOf(c)
	if err != nil {
		return nil, nil, err
	}
	ids, err := e.decodeMemberRefs(c, g.AccountID)
	if err != nil {
		return nil, nil, err
	}
	next := make([]UserGroupMember, 0, len(ids))
	for _, id := range ids {
		gm := UserGroupMember{MemberID: id, AddedOn: e.now()}
		if i := slices.IndexFunc(g.Members, func(x UserGroupMember) bool { return x.MemberID == id }); i >= 0 {
			gm = g.Members[i] // still in the group: keeps when it joined
		}
		next = append(next, gm)
	}
	err = e.tryKeepingSuperAdmin(g.AccountID, func() func() {
		old := g.Members
		g.Members = next
		return func() { g.Members = old }
	})
	if err != nil {
		return nil, nil, err
	}
	return e.userGroupMembersJSON(g), nil, nil
}

// groupMember returns the path's group and member, or a 404 when either is
// missing or the member is not in the group.
func (e *Emulator) groupMember(c *call) (*UserGroup, *Member, UserGroupMember, error) {
	g, err := e.groupOf(c)
	if err != nil {
		return nil, nil, UserGroupMember{}, err
	}
	i := slices.IndexFunc(g.Members, func(x UserGroupMember) bool { return strings.EqualFold(x.MemberID, c.param("member_id")) })
	if i < 0 {
		return nil, nil, UserGroupMember{}, errNotFound("Member")
	}
	m := e.findMember(g.AccountID, g.Members[i].MemberID)
	if m == nil {
		return nil, nil, UserGroupMember{}, errNotFound("Member")
	}
	return g, m, g.Members[i], nil
}

func getUserGroupMember(e *Emulator, c *call) (any, *resultInfo, error) {
	_, m, gm, err := e.groupMember(c)
	if err != nil {
		return nil, nil, err
	}
	out := e.userGroupMemberJSON(m)
	out["created_at"] = ts(gm.AddedOn)
	user := map[string]any{"id": m.UserID, "email": m.Email, "first_name": nil, "last_name": nil}
	if u := e.findUser(m.UserID); u != nil {
		user["first_name"], user["last_name"] = nullable(u.FirstName), nullable(u.LastName)
	}
	out["user"] = user
	return out, nil, nil
}

func removeUserGroupMember(e *Emulator, c *call) (any, *resultInfo, error) {
	g, m, _, err := e.groupMember(c)
	if err != nil {
		return nil, nil, err
	}
	err = e.tryKeepingSuperAdmin(g.AccountID, func() func() {
		old := slices.Clone(g.Members)
		g.Members = slices.DeleteFunc(g.Members, func(x UserGroupMember) bool { return x.MemberID == m.ID })
		return func() { g.Members = old }
	})
	if err != nil {
		return nil, nil, err
	}
	return e.userGroupMemberJSON(m), nil, nil
}

// --- snapshot accessors (copies; safe to keep) ---

func copyUserGroup(g *UserGroup) UserGroup {
	c := *g
	c.Members = slices.Clone(g.Members)
	c.Policies = make([]MemberPolicy, len(g.Policies))
	for i, p := range g.Policies {
		c.Policies[i] = MemberPolicy{ID: p.ID, Access: p.Access,
			PermissionGroups: slices.Clone(p.PermissionGroups), ResourceGroups: slices.Clone(p.ResourceGroups)}
	}
	return c
}

// UserGroups returns the account's user groups in creation order.
func (e *Emulator) UserGroups(accountID string) []UserGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []UserGroup
	for _, g := range e.userGroups {
		if g.AccountID == accountID {
			out = append(out, copyUserGroup(g))
		}
	}
	return out
}

// UserGroup returns one user group of the account.
func (e *Emulator) UserGroup(accountID, id string) (UserGroup, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if g := e.findUserGroup(accountID, id); g != nil {
		return copyUserGroup(g), true
	}
	return UserGroup{}, false
}

// checkUserGroupsKeepCombination refuses a resource group change that would
// make a user group policy using it an invalid combination, as for members.
func (e *Emulator) checkUserGroupsKeepCombination(accountID, rgID string, kind catalog.Scope) error {
	for _, g := range e.userGroups {
		if g.AccountID != accountID {
			continue
		}
		for _, p := range g.Policies {
			if !slices.Contains(p.ResourceGroups, rgID) {
				continue
			}
			for _, pg := range p.PermissionGroups {
				if pgr := e.findIAMGroup(accountID, pg); pgr != nil && pgr.Scope != kind {
					return errf(http.StatusBadRequest, codeBadCombination,
						"invalid permission group and resource group combination: user group %s uses %q with this resource group", g.ID, pgr.Name)
				}
			}
		}
	}
	return nil
}
