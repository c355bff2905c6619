package emulator

import (
	"net/http"
)

// Invitations. Cloudflare is reported (publicly, since 2025) to refuse a
// member added directly as "accepted" (POST .../members with status
// "accepted") for accounts that may not add members without an invitation,
// although the API contract allows the status: 400, code 1001, "Invalid
// request: automatic verification of new members is not allowed". The
// emulator refuses it so by default; SetAllowDirectAdd(true) (the standalone
// emulator's EMULATOR_ALLOW_DIRECT_ADD=1) emulates an account that allows it.
// An invited (pending) member becomes accepted when the invitee accepts:
// POST /__emulator/members/{member_id}/accept.

// msgDirectAddRefused is Cloudflare's message for a refused direct add.
const msgDirectAddRefused = "Invalid request: automatic verification of new members is not allowed"

// errDirectAddRefused is the answer to a member created as accepted where the
// account does not allow it.
func errDirectAddRefused() *apiError {
	return errf(http.StatusBadRequest, codeValidation, "%s", msgDirectAddRefused)
}

// SetAllowDirectAdd lets members be added directly as "accepted" (true), as
// some accounts may, or refuses that as Cloudflare does elsewhere (false, the
// default). It is a setting of the emulator, not of its state: a state file
// does not keep it.
func (e *Emulator) SetAllowDirectAdd(allow bool) {
	e.mu.Lock()
	e.allowDirectAdd = allow
	e.mu.Unlock()
}

// AllowsDirectAdd reports whether members may be added directly as "accepted".
func (e *Emulator) AllowsDirectAdd() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.allowDirectAdd
}

// acceptInvitation turns the pending member memberID into an accepted one,
// as the invitee accepting the invitation would; e.mu is held. It returns the
// member as the API shows it.
func (e *Emulator) acceptInvitationLocked(memberID string) (map[string]any, *apiError) {
	var m *Member
	for _, cand := range e.members {
		if cand.ID == memberID {
			m = cand
		}
	}
	if m == nil {
		return nil, errNotFound("Member")
	}
	if m.Status != "pending" {
		return nil, errf(http.StatusConflict, codeValidation,
			"member %s is %s, not pending: there is no invitation to accept", m.ID, m.Status)
	}
	m.Status = "accepted"
	if err := e.saveLocked(); err != nil {
		m.Status = "pending"
		return nil, errf(http.StatusInternalServerError, codeInternal, "the emulator could not save its state file; the invitation was not accepted")
	}
	return e.memberJSON(m), nil
}
