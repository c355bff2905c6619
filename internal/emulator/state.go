package emulator

// Durable state: NewFromFile, Save and the state file.
//
// The state file is one JSON document (format below), replaced atomically
// after every successful write: the new state goes to a temporary file in the
// same directory (".<name>.tmp-*", mode 0600), which is fsynced, renamed over
// the target, and the directory is fsynced. A crash at any moment leaves the
// previous or the new state, never a torn file; a stray temporary file left by
// a crash is ignored and removed at the next start.
//
// Format (version 1): top-level snake_case keys; each object inside is the
// exported Go type of this package (Member, Token, Tunnel, ...) as
// encoding/json writes it (Go field names as keys, times in RFC 3339).
//
//	{
//	  "format": "cfiam-emulator-state", "version": 1,
//	  "id_seq": 42,                                  // the ID counter: new IDs never collide
//	  "accounts": [...], "users": [...], "zones": [...],
//	  "members": [...], "resource_groups": [...], "user_groups": [...],
//	  "iam_permission_groups": {"<account_id>": [...]},
//	  "token_permission_groups": [...],
//	  "tokens": [{...Token..., "value_sha256": "<hex>"}],   // secrets as SHA-256 only
//	  "tunnels": [...], "mesh_nodes": [...], "routes": [...], // soft-deleted ones included
//	  "access_objects": [...],                       // Access applications, policies, ... (AccessObject)
//	  "member_tokens": [{"value_sha256": "...", "id": "...", "account_id": "...", "member_id": "..."}]
//	}
//
// Request counters (stats) and faults are not persisted.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	stateFormat  = "cfiam-emulator-state"
	stateVersion = 1
)

type tokenState struct {
	Token
	ValueSHA256 string `json:"value_sha256"`
}

type memberTokenState struct {
	ValueSHA256 string `json:"value_sha256"`
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	MemberID    string `json:"member_id"`
}

type stateFile struct {
	Format                string                        `json:"format"`
	Version               int                           `json:"version"`
	IDSeq                 uint64                        `json:"id_seq"`
	Accounts              []*Account                    `json:"accounts"`
	Users                 []*User                       `json:"users"`
	Zones                 []*Zone                       `json:"zones"`
	Members               []*Member                     `json:"members"`
	ResourceGroups        []*ResourceGroup              `json:"resource_groups"`
	UserGroups            []*UserGroup                  `json:"user_groups"`
	IAMPermissionGroups   map[string][]*PermissionGroup `json:"iam_permission_groups"`
	TokenPermissionGroups []*TokenPermissionGroup       `json:"token_permission_groups"`
	Tokens                []tokenState                  `json:"tokens"`
	Tunnels               []*Tunnel                     `json:"tunnels"`
	MeshNodes             []*Tunnel                     `json:"mesh_nodes"`
	Routes                []*Route                      `json:"routes"`
	AccessObjects         []*AccessObject               `json:"access_objects"`
	MemberTokens          []memberTokenState            `json:"member_tokens"`
}

// NewFromFile returns an emulator whose state is durable in the file at path.
// If the file exists, the whole state is loaded from it (a file that cannot
// be read or parsed is an error naming it; the emulator never silently
// reseeds); if it does not, the emulator starts from the seeds and writes the
// file at once. From then on every successful write request (POST, PUT,
// PATCH, DELETE under /client/v4, and state-changing /__emulator/ calls) is
// saved atomically before it is answered; if saving fails, the request fails
// with 500 and its change is rolled back. Stats and faults are not persisted.
// Use one emulator per file: two processes on the same file overwrite each
// other.
func NewFromFile(path string) (*Emulator, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("emulator state file: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("emulator state file %s: %w", path, err)
	}
	e := newBare()
	e.statePath = abs
	b, err := os.ReadFile(abs) //nolint:gosec // G304: the state file the operator named; reading it is the point
	switch {
	case errors.Is(err, fs.ErrNotExist):
		e.seed()
		if err := e.Save(); err != nil {
			return nil, err
		}
		return e, nil
	case err != nil:
		return nil, fmt.Errorf("emulator state file %s: %w", abs, err)
	}
	if err := e.restoreLocked(b); err != nil {
		return nil, fmt.Errorf("emulator state file %s is not a valid state (fix or remove it): %w", abs, err)
	}
	removeStrayTemps(abs)
	return e, nil
}

// StateFile is the state file's absolute path ("" for an in-memory emulator).
func (e *Emulator) StateFile() string { return e.statePath }

// Save writes the state file now (atomically); a no-op without a state file.
// The emulator saves after every write request by itself; Save is for state
// changed through Go (PutIAMPermissionGroup, PutTokenPermissionGroup), which
// also save, ignoring errors.
func (e *Emulator) Save() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.saveLocked()
}

// saveLocked writes the state file; e.mu is held (so saves are in the order
// of the changes).
func (e *Emulator) saveLocked() error {
	if e.statePath == "" {
		return nil
	}
	b, err := e.marshalStateLocked()
	if err != nil {
		return fmt.Errorf("emulator state file %s: %w", e.statePath, err)
	}
	if err := writeFileAtomic(e.statePath, b, e.beforeRename); err != nil {
		return fmt.Errorf("emulator state file %s: %w", e.statePath, err)
	}
	return nil
}

// marshalStateLocked encodes the whole API state; e.mu is held.
func (e *Emulator) marshalStateLocked() ([]byte, error) {
	s := stateFile{
		Format: stateFormat, Version: stateVersion, IDSeq: e.idSeq,
		Accounts: e.accounts, Users: e.users, Zones: e.zones, Members: e.members,
		ResourceGroups: e.resourceGroups, UserGroups: e.userGroups, IAMPermissionGroups: e.iamGroups, TokenPermissionGroups: e.tokenGroups,
		Tunnels: e.tunnels, MeshNodes: e.meshNodes, Routes: e.routes, AccessObjects: e.accessObjects,
		Tokens:       make([]tokenState, 0, len(e.tokens)),
		MemberTokens: make([]memberTokenState, 0, len(e.memberTokens)),
	}
	for _, t := range e.tokens {
		s.Tokens = append(s.Tokens, tokenState{Token: *t, ValueSHA256: t.valueHash})
	}
	for h, mt := range e.memberTokens {
		s.MemberTokens = append(s.MemberTokens, memberTokenState{ValueSHA256: h, ID: mt.id, AccountID: mt.accountID, MemberID: mt.memberID})
	}
	sort.Slice(s.MemberTokens, func(i, j int) bool { return s.MemberTokens[i].ID < s.MemberTokens[j].ID })
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// restoreLocked replaces the API state with an encoded one, or changes
// nothing and returns why it is not a valid state; e.mu is held (or e is not
// shared yet).
func (e *Emulator) restoreLocked(b []byte) error {
	var s stateFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if dec.More() {
		return errors.New("trailing data after the JSON document")
	}
	if s.Format != stateFormat || s.Version != stateVersion {
		return fmt.Errorf("format %q version %d, want %q version %d", s.Format, s.Version, stateFormat, stateVersion)
	}
	if len(s.Accounts) == 0 {
		return errors.New("no accounts")
	}
	for _, list := range [][]any{anys(s.Accounts), anys(s.Users), anys(s.Zones), anys(s.Members), anys(s.ResourceGroups), anys(s.UserGroups),
		anys(s.TokenPermissionGroups), anys(s.Tunnels), anys(s.MeshNodes), anys(s.Routes), anys(s.AccessObjects)} {
		for _, v := range list {
			if v == nil {
				return errors.New("null object in a list")
			}
		}
	}
	tokens := make([]*Token, 0, len(s.Tokens))
	for _, ts := range s.Tokens {
		if ts.ID == "" || ts.ValueSHA256 == "" {
			return errors.New("a token without id or value_sha256")
		}
		t := ts.Token
		t.valueHash = ts.ValueSHA256
		tokens = append(tokens, &t)
	}
	mts := make(map[string]memberToken, len(s.MemberTokens))
	for _, mt := range s.MemberTokens {
		if mt.ValueSHA256 == "" || mt.MemberID == "" {
			return errors.New("a member token without value_sha256 or member_id")
		}
		mts[mt.ValueSHA256] = memberToken{id: mt.ID, accountID: mt.AccountID, memberID: mt.MemberID}
	}
	if s.IAMPermissionGroups == nil {
		s.IAMPermissionGroups = map[string][]*PermissionGroup{}
	}
	e.idSeq = s.IDSeq
	e.accounts, e.users, e.zones, e.members = s.Accounts, s.Users, s.Zones, s.Members
	e.resourceGroups, e.userGroups, e.iamGroups, e.tokenGroups = s.ResourceGroups, s.UserGroups, s.IAMPermissionGroups, s.TokenPermissionGroups
	e.tokens, e.tunnels, e.meshNodes, e.routes, e.memberTokens = tokens, s.Tunnels, s.MeshNodes, s.Routes, mts
	e.accessObjects = s.AccessObjects
	return nil
}

func anys[T any](s []*T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		if v != nil {
			out[i] = v
		}
	}
	return out
}

// isWrite: does a request with this method change state when it succeeds?
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// tempPattern is the name pattern of the writer's temporary files.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, fsynced, renamed over path, then the directory fsynced.
// beforeRename (tests) runs after the temporary file is complete and synced;
// an error from it stops the write there, as a crash would (the temporary
// file is left behind).
func writeFileAtomic(path string, data []byte, beforeRename func(tmp string) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	fail := func(err error) error {
		_ = f.Close()
		_ = os.Remove(tmp)
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if beforeRename != nil {
		if err := beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	d, err := os.Open(dir) //nolint:gosec // G304: the state file's own directory, opened to fsync the rename
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}

// removeStrayTemps deletes temporary files a crashed writer left beside path.
func removeStrayTemps(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp-"
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if !en.IsDir() && strings.HasPrefix(en.Name(), prefix) {
			_ = os.Remove(filepath.Join(dir, en.Name()))
		}
	}
}
