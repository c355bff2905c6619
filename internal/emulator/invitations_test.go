package emulator

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

// The refusal Cloudflare is reported to give a member added directly as
// accepted, written by hand from the public reports (and what the provider's
// refusedDirectAdd recognises): 400, code 1001, this message.
const wantDirectAddRefusal = "Invalid request: automatic verification of new members is not allowed"

func directAddBodies(t *testing.T) map[string]map[string]any {
	return map[string]map[string]any{
		"policies": {"email": "direct@example.com", "status": "accepted", "policies": []any{
			policyBody("", "allow", catalogID(t, "Analytics", "account"), AccountResourceGroupID)}},
		"roles": {"email": "direct@example.com", "status": "accepted", "roles": []string{catalogID(t, "Analytics", "account")}},
	}
}

// By default a member cannot be added as accepted, in either form: 400, 1001,
// Cloudflare's message, and no member, no user left behind.
func TestDirectAddRefusedByDefault(t *testing.T) {
	for form, body := range directAddBodies(t) {
		t.Run(form, func(t *testing.T) {
			e, srv := newServer(t)
			if e.AllowsDirectAdd() {
				t.Fatal("a new emulator must refuse direct adds")
			}
			r := api(t, srv, "POST", "/accounts/"+AccountID+"/members", body)
			wantErr(t, r, http.StatusBadRequest, 1001)
			if len(r.Env.Errors) != 1 || r.Env.Errors[0].Message != wantDirectAddRefusal {
				t.Errorf("errors: %s, want one with message %q", r.Body, wantDirectAddRefusal)
			}
			if ms := e.Members(AccountID); len(ms) != 1 || ms[0].ID != AdminMemberID {
				t.Errorf("the refused add left members: %+v", ms)
			}
			// The invitation works.
			body["status"] = "pending"
			var m struct{ Status string }
			mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", body)).result(t, &m)
			if m.Status != "pending" {
				t.Errorf("invited member is %q, want pending", m.Status)
			}
		})
	}
}

// With SetAllowDirectAdd(true), as for an account that allows it, the add
// succeeds and the member is accepted at once; status "pending" or none
// still invites.
func TestDirectAddAllowed(t *testing.T) {
	for form, body := range directAddBodies(t) {
		t.Run(form, func(t *testing.T) {
			e, srv := newServer(t)
			e.SetAllowDirectAdd(true)
			if !e.AllowsDirectAdd() {
				t.Fatal("AllowsDirectAdd after SetAllowDirectAdd(true)")
			}
			var m struct{ ID, Status string }
			mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", body)).result(t, &m)
			if held, ok := e.Member(AccountID, m.ID); m.Status != "accepted" || !ok || held.Status != "accepted" {
				t.Errorf("answered %q, held %+v: want accepted", m.Status, held)
			}
			delete(body, "status")
			body["email"] = "invited@example.com"
			mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", body)).result(t, &m)
			if m.Status != "pending" {
				t.Errorf("a member added without status is %q, want pending", m.Status)
			}
			e.SetAllowDirectAdd(false)
			body["email"], body["status"] = "late@example.com", "accepted"
			wantErr(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", body), http.StatusBadRequest, 1001)
		})
	}
}

// POST /__emulator/members/{id}/accept: the invitee accepts; the member is
// then accepted and holds its access; a second accept, or an accept of an
// accepted member, is 409; an unknown member 404.
func TestAcceptInvitation(t *testing.T) {
	e, srv := newServer(t)
	var m struct{ ID, Status string }
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "invitee@example.com",
		"policies": []any{policyBody("", "allow", catalogID(t, "Administrator Read Only", "account"), AccountResourceGroupID)}})).result(t, &m)
	if m.Status != "pending" {
		t.Fatalf("invited member is %q", m.Status)
	}
	tokR := send(t, srv, "POST", "/__emulator/members/"+m.ID+"/token", nil, map[string]string{})
	var tok struct{ Token string }
	if err := jsonUnmarshal(tokR.Body, &tok); err != nil || tok.Token == "" {
		t.Fatalf("member token: %s", tokR.Body)
	}
	members := "/client/v4/accounts/" + AccountID + "/members"
	wantErr(t, send(t, srv, "GET", members, nil, bearer(tok.Token)), http.StatusForbidden, codeAuthError)

	accept := func(id string) *apiResp {
		return send(t, srv, "POST", "/__emulator/members/"+id+"/accept", nil, map[string]string{})
	}
	r := accept(m.ID)
	if r.Status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	var got struct{ ID, Status string }
	if err := jsonUnmarshal(r.Body, &got); err != nil || got.ID != m.ID || got.Status != "accepted" {
		t.Errorf("accept answered %s, want the member, accepted", r.Body)
	}
	if held, _ := e.Member(AccountID, m.ID); held.Status != "accepted" {
		t.Errorf("held status %q after accept", held.Status)
	}
	mustOK(t, send(t, srv, "GET", members, nil, bearer(tok.Token))) // Administrator Read Only, now held

	wantErr(t, accept(m.ID), http.StatusConflict, codeValidation)
	wantErr(t, accept(AdminMemberID), http.StatusConflict, codeValidation)
	wantErr(t, accept("0123456789abcdef0123456789abcdef"), http.StatusNotFound, codeNotFound)
	if r := accept("not-an-id"); r.Status != http.StatusNotFound {
		t.Errorf("accept of a malformed ID: %d %s", r.Status, r.Body)
	}
	if r := send(t, srv, "GET", "/__emulator/members/"+m.ID+"/accept", nil, map[string]string{}); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("GET accept: %d %s", r.Status, r.Body)
	}
}

// With a state file, an accepted invitation is saved: the emulator loaded
// from the file holds the member as accepted.
func TestAcceptInvitationSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e, err := NewFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	var m struct{ ID string }
	mustOK(t, api(t, srv, "POST", "/accounts/"+AccountID+"/members", map[string]any{"email": "saved@example.com",
		"roles": []string{catalogID(t, "Analytics", "account")}})).result(t, &m)
	acceptInvite(t, srv, m.ID)
	again, err := NewFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if held, ok := again.Member(AccountID, m.ID); !ok || held.Status != "accepted" {
		t.Errorf("reloaded member: %+v, want accepted", held)
	}
	if again.AllowsDirectAdd() {
		t.Error("allowing direct adds is a setting, never part of the state")
	}
}
