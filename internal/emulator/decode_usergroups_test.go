package emulator

import (
	"context"
	"errors"
	"net/http"
	"testing"

	cloudflare "github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/iam"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The OpenAPI subset lacks user groups: cloudflare-go v7's iam.UserGroup*
// types are the contract. Every route is called through the SDK, and every
// answer decoded into its type and checked against the emulator's own state.
func TestDecodeUserGroups(t *testing.T) {
	e, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	acct := cloudflare.F(AccountID)
	access := role(t, "Cloudflare Access", catalog.ScopeAccount)
	dns := role(t, "Domain DNS", catalog.ScopeZone)
	zoneRG := newRG(t, srv, "example.com", catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))
	minimal := role(t, "Minimal Account Access", catalog.ScopeAccount)
	m1, _ := newMember(t, srv, "one@example.com", "accepted", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})
	m2, _ := newMember(t, srv, "two@example.com", "pending", pol{"allow", []catalog.Entry{minimal}, AccountResourceGroupID})

	created, err := c.IAM.UserGroups.New(ctx, iam.UserGroupNewParams{AccountID: acct, Name: cloudflare.F("platform"),
		Policies: cloudflare.F([]iam.UserGroupNewParamsPolicy{{
			Access:           cloudflare.F(iam.UserGroupNewParamsPoliciesAccessAllow),
			PermissionGroups: cloudflare.F([]iam.UserGroupNewParamsPoliciesPermissionGroup{{ID: cloudflare.F(dns.ID)}}),
			ResourceGroups:   cloudflare.F([]iam.UserGroupNewParamsPoliciesResourceGroup{{ID: cloudflare.F(zoneRG)}}),
		}})})
	if err != nil {
		t.Fatal(err)
	}
	held, ok := e.UserGroup(AccountID, created.ID)
	if !ok {
		t.Fatal("created group not held")
	}
	check(t, "new name", created.Name, "platform")
	check(t, "new created_on", created.CreatedOn.IsZero(), false)
	check(t, "new modified_on", created.ModifiedOn.IsZero(), false)
	check(t, "new policy id", created.Policies[0].ID, held.Policies[0].ID)
	check(t, "new policy access", string(created.Policies[0].Access), "allow")
	check(t, "new policy access known", created.Policies[0].Access.IsKnown(), true)
	check(t, "new policy pg", created.Policies[0].PermissionGroups[0].ID, dns.ID)
	check(t, "new policy pg name", created.Policies[0].PermissionGroups[0].Name, "Domain DNS")
	rg := created.Policies[0].ResourceGroups[0]
	check(t, "new policy rg", rg.ID, zoneRG)
	check(t, "new policy rg name", rg.Name, "example.com")
	check(t, "new policy rg scope key", rg.Scope.Key, catalog.ResourceKey(catalog.ScopeAccount, AccountID))
	check(t, "new policy rg scope objects", len(rg.Scope.Objects), 1)
	check(t, "new policy rg scope object", rg.Scope.Objects[0].Key, catalog.ResourceKey(catalog.ScopeZone, ZoneExampleCom))

	upd, err := c.IAM.UserGroups.Update(ctx, created.ID, iam.UserGroupUpdateParams{AccountID: acct, Name: cloudflare.F("platform-admins"),
		Policies: cloudflare.F([]iam.UserGroupUpdateParamsPolicy{{
			Access:           cloudflare.F(iam.UserGroupUpdateParamsPoliciesAccessDeny),
			PermissionGroups: cloudflare.F([]iam.UserGroupUpdateParamsPoliciesPermissionGroup{{ID: cloudflare.F(access.ID)}}),
			ResourceGroups:   cloudflare.F([]iam.UserGroupUpdateParamsPoliciesResourceGroup{{ID: cloudflare.F(AccountResourceGroupID)}}),
		}})})
	if err != nil {
		t.Fatal(err)
	}
	held, _ = e.UserGroup(AccountID, created.ID)
	check(t, "updated name", upd.Name, "platform-admins")
	check(t, "updated policy id", upd.Policies[0].ID, held.Policies[0].ID)
	check(t, "updated access", string(upd.Policies[0].Access), "deny")
	check(t, "updated pg", upd.Policies[0].PermissionGroups[0].ID, access.ID)
	check(t, "updated rg", upd.Policies[0].ResourceGroups[0].ID, AccountResourceGroupID)
	check(t, "updated rg object", upd.Policies[0].ResourceGroups[0].Scope.Objects[0].Key, catalog.ResourceKey(catalog.ScopeAccount, AccountID))

	got, err := c.IAM.UserGroups.Get(ctx, created.ID, iam.UserGroupGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "get id", got.ID, created.ID)
	check(t, "get name", got.Name, "platform-admins")
	check(t, "get policy", got.Policies[0].PermissionGroups[0].ID, access.ID)
	check(t, "get created_on", got.CreatedOn.Equal(created.CreatedOn), true)

	second, err := c.IAM.UserGroups.New(ctx, iam.UserGroupNewParams{AccountID: acct, Name: cloudflare.F("auditors")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "no policies", len(second.Policies), 0)
	n := 0
	iter := c.IAM.UserGroups.ListAutoPaging(ctx, iam.UserGroupListParams{AccountID: acct, PerPage: cloudflare.F(5.0), Direction: cloudflare.F(iam.UserGroupListParamsDirectionDesc)})
	for iter.Next() {
		g := iter.Current()
		want, ok := e.UserGroup(AccountID, g.ID)
		if !ok {
			t.Fatalf("listed group %s not held", g.ID)
		}
		check(t, g.ID+" listed name", g.Name, want.Name)
		check(t, g.ID+" listed policies", len(g.Policies), len(want.Policies))
		n++
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	check(t, "listed groups", n, 2)
	byName, err := c.IAM.UserGroups.List(ctx, iam.UserGroupListParams{AccountID: acct, Name: cloudflare.F("auditors")})
	if err != nil || len(byName.Result) != 1 || byName.Result[0].ID != second.ID {
		t.Fatalf("list by name: %v %+v", err, byName)
	}
	fuzzy, err := c.IAM.UserGroups.List(ctx, iam.UserGroupListParams{AccountID: acct, FuzzyName: cloudflare.F("ADMIN"), ID: cloudflare.F(created.ID)})
	if err != nil || len(fuzzy.Result) != 1 || fuzzy.Result[0].ID != created.ID {
		t.Fatalf("list by fuzzy name and id: %v %+v", err, fuzzy)
	}

	// Members.
	added, err := c.IAM.UserGroups.Members.New(ctx, created.ID, iam.UserGroupMemberNewParams{AccountID: acct,
		Members: []iam.UserGroupMemberNewParamsMember{{ID: cloudflare.F(m1)}}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "added", len(added.Result), 1)
	check(t, "added id", added.Result[0].ID, m1)
	check(t, "added email", added.Result[0].Email, "one@example.com")
	check(t, "added status", string(added.Result[0].Status), "accepted")
	replaced, err := c.IAM.UserGroups.Members.Update(ctx, created.ID, iam.UserGroupMemberUpdateParams{AccountID: acct,
		Members: []iam.UserGroupMemberUpdateParamsMember{{ID: cloudflare.F(m2)}, {ID: cloudflare.F(m1)}}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "replaced", len(replaced.Result), 2)
	held, _ = e.UserGroup(AccountID, created.ID)
	check(t, "held members", len(held.Members), 2)
	check(t, "held first member", held.Members[0].MemberID, m2)
	statuses := map[string]string{}
	miter := c.IAM.UserGroups.Members.ListAutoPaging(ctx, created.ID, iam.UserGroupMemberListParams{AccountID: acct, PerPage: cloudflare.F(5.0)})
	for miter.Next() {
		m := miter.Current()
		statuses[m.Email] = string(m.Status)
		check(t, m.Email+" status known", m.Status.IsKnown(), true)
	}
	if err := miter.Err(); err != nil {
		t.Fatal(err)
	}
	check(t, "one status", statuses["one@example.com"], "accepted")
	check(t, "two status", statuses["two@example.com"], "pending")
	fz, err := c.IAM.UserGroups.Members.List(ctx, created.ID, iam.UserGroupMemberListParams{AccountID: acct, FuzzyEmail: cloudflare.F("two"),
		Direction: cloudflare.F(iam.UserGroupMemberListParamsDirectionAsc)})
	if err != nil || len(fz.Result) != 1 || fz.Result[0].ID != m2 {
		t.Fatalf("fuzzyEmail: %v %+v", err, fz)
	}
	gm, err := c.IAM.UserGroups.Members.Get(ctx, created.ID, m1, iam.UserGroupMemberGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	held1, _ := e.Member(AccountID, m1)
	check(t, "member id", gm.ID, m1)
	check(t, "member email", gm.Email, "one@example.com")
	check(t, "member created_at", gm.CreatedAt.IsZero(), false)
	check(t, "member user id", gm.User.ID, held1.UserID)
	check(t, "member user email", gm.User.Email, "one@example.com")
	removed, err := c.IAM.UserGroups.Members.Delete(ctx, created.ID, m1, iam.UserGroupMemberDeleteParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "removed id", removed.ID, m1)
	check(t, "removed status", string(removed.Status), "accepted")
	_, err = c.IAM.UserGroups.Members.Get(ctx, created.ID, m1, iam.UserGroupMemberGetParams{AccountID: acct})
	var apiErr *cloudflare.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("a removed member must be 404, got %v", err)
	}

	del, err := c.IAM.UserGroups.Delete(ctx, created.ID, iam.UserGroupDeleteParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "deleted id", del.ID, created.ID)
	if _, ok := e.UserGroup(AccountID, created.ID); ok {
		t.Fatal("deleted group still held")
	}
	_, err = c.IAM.UserGroups.Get(ctx, created.ID, iam.UserGroupGetParams{AccountID: acct})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || apiErr.Errors[0].Code != codeNotFound {
		t.Fatalf("a deleted group must be 404 with code %d, got %v", codeNotFound, err)
	}
}
