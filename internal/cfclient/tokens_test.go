package cfclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/emulator"
)

func groupID(t *testing.T, name string, s catalog.Scope) string {
	t.Helper()
	e, err := catalog.Embedded().ResolvePermissionGroup(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func TestTokens_roundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var bodies []string
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost || r.Method == http.MethodPut {
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}
	c, emu := newTestClient(t, adminConfig(), record)
	acctKey := catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID)
	allZones := map[string]any{acctKey: map[string]any{catalog.ResourceKey(catalog.ScopeZone, "*"): "*"}}
	in := cfclient.TokenInput{
		Name: "ci",
		Policies: []cfclient.TokenPolicy{
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: groupID(t, "DNS Read", catalog.ScopeZone)}}, Resources: allZones},
			{Effect: "allow", PermissionGroups: []cfclient.IDRef{{ID: groupID(t, "Account Settings Read", catalog.ScopeAccount)}}, Resources: map[string]any{acctKey: "*"}},
		},
		Condition: cfclient.TokenCondition{RequestIPIn: []string{"127.0.0.0/8"}, RequestIPNotIn: []string{"10.0.0.0/8"}},
		ExpiresOn: "2099-01-01T00:00:00Z",
	}
	tok, err := c.CreateToken(ctx, "", in)
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == "" || tok.Value == "" || tok.Status != "active" || len(tok.Policies) != 2 || tok.ExpiresOn != "2099-01-01T00:00:00Z" ||
		len(tok.Condition.RequestIPIn) != 1 || len(tok.Condition.RequestIPNotIn) != 1 {
		t.Fatalf("created %+v", tok)
	}
	if nested, ok := tok.Policies[0].Resources[acctKey].(map[string]any); !ok || nested[catalog.ResourceKey(catalog.ScopeZone, "*")] != "*" {
		t.Fatalf("nested resources read back as %#v", tok.Policies[0].Resources)
	}
	mu.Lock()
	create := bodies[0]
	mu.Unlock()
	if !strings.Contains(create, `"condition":{"request.ip":{"in":["127.0.0.0/8"],"not_in":["10.0.0.0/8"]}}`) || strings.Contains(create, `"status"`) {
		t.Fatalf("create body on the wire: %s", create)
	}
	if toks := emu.UserTokens(); len(toks) != 1 || toks[0].Condition == nil || toks[0].Condition.WireKey != "request.ip" {
		t.Fatalf("emulator holds %+v", toks)
	}

	got, err := c.GetToken(ctx, "", tok.ID)
	if err != nil || got.Name != "ci" || got.Value != "" || got.IssuedOn == "" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	list, err := c.ListTokens(ctx, "")
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %d, %v", len(list), err)
	}

	in.Name, in.Status, in.Condition, in.ExpiresOn = "ci-2", "disabled", cfclient.TokenCondition{}, ""
	upd, err := c.UpdateToken(ctx, "", tok.ID, in)
	if err != nil || upd.Name != "ci-2" || upd.Status != "disabled" || !upd.Condition.IsZero() || upd.ExpiresOn != "" {
		t.Fatalf("update: %+v, %v", upd, err)
	}

	v1, err := c.RollToken(ctx, "", tok.ID)
	if err != nil || v1 == "" || v1 == tok.Value {
		t.Fatalf("roll: %q, %v", v1, err)
	}
	if err := c.DeleteToken(ctx, "", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetToken(ctx, "", tok.ID); !cfclient.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestTokenCondition_JSON(t *testing.T) {
	t.Parallel()
	var c cfclient.TokenCondition
	if err := json.Unmarshal([]byte(`{"request_ip":{"in":["192.0.2.0/24"]}}`), &c); err != nil || len(c.RequestIPIn) != 1 {
		t.Fatalf("request_ip spelling: %+v, %v", c, err)
	}
	if err := json.Unmarshal([]byte(`{}`), &c); err != nil || !c.IsZero() {
		t.Fatalf("empty: %+v, %v", c, err)
	}
	if b, _ := json.Marshal(cfclient.TokenCondition{}); string(b) != "{}" {
		t.Fatalf("zero condition marshals as %s", b)
	}
}

// Caller and UserID find the provider's own token and user: through
// verify for a user token, the account's verify for an account token, and
// the user key of the token's own policies without User Details Read.
func TestTokens_callerAndUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := httptest.NewServer(emulator.New())
	t.Cleanup(srv.Close)
	base := srv.URL + "/client/v4"
	admin, err := cfclient.New(cfclient.Config{APIToken: emulator.AdminToken, AccountID: emulator.AccountID, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := admin.UserID(ctx); err != nil || id != emulator.AdminUserID {
		t.Fatalf("admin user: %q, %v", id, err)
	}
	if caller, err := admin.Caller(ctx); err != nil || caller == nil || caller.TokenID != emulator.AdminTokenID || caller.Policies != nil {
		t.Fatalf("admin caller: %+v, %v", caller, err)
	}
	userKey := catalog.ResourceKey(catalog.ScopeUser, emulator.AdminUserID)
	acctKey := catalog.ResourceKey(catalog.ScopeAccount, emulator.AccountID)

	userTok, err := admin.CreateToken(ctx, "", cfclient.TokenInput{Name: "u", Policies: []cfclient.TokenPolicy{{Effect: "allow",
		PermissionGroups: []cfclient.IDRef{{ID: groupID(t, "API Tokens Edit", catalog.ScopeUser)}, {ID: groupID(t, "API Tokens Read", catalog.ScopeUser)}},
		Resources:        map[string]any{userKey: "*"}}}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := cfclient.New(cfclient.Config{APIToken: userTok.Value, AccountID: emulator.AccountID, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if caller, err := u.Caller(ctx); err != nil || caller == nil || caller.TokenID != userTok.ID || caller.AccountID != "" || len(caller.Policies) != 1 {
		t.Fatalf("user token caller: %+v, %v", caller, err)
	}
	if id, err := u.UserID(ctx); err != nil || id != emulator.AdminUserID {
		t.Fatalf("user ID from the token's own policies: %q, %v", id, err)
	}

	acctTok, err := admin.CreateToken(ctx, emulator.AccountID, cfclient.TokenInput{Name: "a", Policies: []cfclient.TokenPolicy{{Effect: "allow",
		PermissionGroups: []cfclient.IDRef{{ID: groupID(t, "Account Settings Read", catalog.ScopeAccount)}},
		Resources:        map[string]any{acctKey: "*"}}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := cfclient.New(cfclient.Config{APIToken: acctTok.Value, AccountID: emulator.AccountID, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if caller, err := a.Caller(ctx); err != nil || caller == nil || caller.TokenID != acctTok.ID || caller.AccountID != emulator.AccountID || len(caller.Policies) != 1 {
		t.Fatalf("account token caller: %+v, %v", caller, err)
	}
	if cat, err := a.AccountTokenCatalog(ctx, emulator.AccountID); err != nil || len(cat.PermissionGroups()) == 0 {
		t.Fatalf("account token catalog: %v", err)
	}

	// Without a default account the user endpoint's refusal stands for a
	// user token's catalog; a token of the account reads the account's.
	noDefault, err := cfclient.New(cfclient.Config{APIToken: acctTok.Value, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noDefault.TokenCatalog(ctx, ""); !cfclient.IsForbidden(err) {
		t.Fatalf("user token catalog read with an account-owned token: %v, want a 403", err)
	}
	if cat, err := noDefault.TokenCatalog(ctx, emulator.AccountID); err != nil || len(cat.PermissionGroups()) == 0 {
		t.Fatalf("account token catalog through TokenCatalog: %v", err)
	}
}
