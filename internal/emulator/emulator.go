// Package emulator is a stateful, in-memory emulator of the part of
// Cloudflare's API that cfiam manages: accounts, zones, members, roles, IAM
// permission groups, resource groups, user groups, API tokens and their
// permission groups, Cloudflare Tunnels and Tunnel routes, Mesh nodes, and
// the Access objects resource-scoped roles are bound to (read only). It speaks Cloudflare's envelope,
// pagination and error codes under /client/v4, authenticates every request,
// and offers a small control surface under /__emulator/ for tests.
//
// It starts seeded, always with the same IDs (see the constants), so tests,
// examples and docs can name them.
//
// New keeps the state in memory. NewFromFile keeps it durable in a JSON file
// (see state.go for the format): loaded at start if the file exists, saved
// atomically (temporary file, fsync, rename, directory fsync) after every
// successful write before it is answered. Token secrets are kept, in memory
// and in the file, as SHA-256 hashes only. A token's last-used time, which a
// read also updates, reaches the file with the next write.
package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Seeds: fixed, public, documented in PRODUCT.md.
const (
	AccountID      = "f037e56e89293a057740de681ac9abbe"
	AccountName    = "Example Account"
	ZoneExampleCom = "023e105f4ecef8ad9ca31a8372d0c353"
	ZoneExampleOrg = "7b3e1a0d5c8f4e2a9d6b0c1f2e3a4b5c"
	TunnelAppA     = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
	TunnelAppB     = "2d5a8c1e-7b3f-4e9a-8c6d-1f0e2b3a4c5d"
	// Cloudflare Mesh nodes (the former WARP Connectors, /warp_connector).
	MeshNodeOfficeA = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"
	MeshNodeOfficeB = "3f6e9d2c-5b8a-4e1f-a2d3-c4b5a6978877"
	// AdminToken authenticates as the account's Super Administrator (the admin user).
	AdminToken = "cfiam-emulator-admin-token" //nolint:gosec // G101: a public, documented seed of the local emulator
)

// Further seeds the emulator adds: the admin user, its membership and legacy
// API key, the account-wide resource group that membership's policy uses, the
// default virtual network and one route per Tunnel.
const (
	AdminEmail  = "admin@example.com"
	AdminAPIKey = "c2547eb745079dac9320b638f5e225cf483cc" //nolint:gosec // G101: a public, documented seed of the local emulator
	AdminUserID = "7c5dae5552338874e5053f2534d2767a"
	// AdminMemberID is the admin user's membership of the seeded account.
	AdminMemberID = "4536bcfad5faccb111b47003c79917fa"
	// AdminTokenID is what /user/tokens/verify reports for AdminToken. The admin
	// token is a credential of the emulator, not a token the user owns: it is
	// not listed by GET /user/tokens and cannot be edited or deleted.
	AdminTokenID = "ed17574386854bf78a67040be0a770b0"
	// AccountResourceGroupID is the seeded account-wide resource group
	// (scope: the account) that the admin member's policy references.
	AccountResourceGroupID  = "6d7f2f5f5b1d4a0c9b8e7a6d5c4b3a21"
	DefaultVirtualNetworkID = "a5624d4e-044a-4ff0-b3e1-e2465353d4b4"
	RouteAppA               = "e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"
	RouteAppB               = "f2b3c4d5-e6f7-4a81-92a3-b4c5d6e7f8a9"
	RouteNetworkAppA        = "10.0.0.0/24"
	RouteNetworkAppB        = "10.1.0.0/24"
)

// seedTime is the creation time of every seed, for deterministic output.
var seedTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Account is the emulator's copy of an account.
type Account struct {
	ID, Name          string
	CreatedOn         time.Time
	EnforceTwofactor  bool
	AbuseContactEmail string
}

// User is a Cloudflare user (the person behind a membership).
type User struct {
	ID, Email, FirstName, LastName string
	Telephone, Country, Zipcode    string
}

// Zone is a zone of an account.
type Zone struct {
	ID, Name, AccountID, Status, Type string
	Paused                            bool
	VanityNameServers                 []string
	CreatedOn, ModifiedOn             time.Time
	ActivatedOn                       *time.Time
}

// Member is an account membership. Roles holds legacy role IDs (the `roles`
// form); Policies the IAM policies (the `policies` form).
type Member struct {
	ID, AccountID, UserID, Email string
	Status                       string // "accepted" or "pending"
	Roles                        []string
	Policies                     []MemberPolicy
}

// MemberPolicy is one policy of a member: IAM permission group IDs granted
// (or denied) on resource group IDs.
type MemberPolicy struct {
	ID               string
	Access           string // "allow" or "deny"
	PermissionGroups []string
	ResourceGroups   []string
}

// ResourceGroup is an IAM resource group: a scope key (the account) and the
// object keys it covers.
type ResourceGroup struct {
	ID, AccountID, Name string
	ScopeKey            string
	Objects             []string
	Meta                map[string]any
}

// PermissionGroup is an IAM permission group (a member role) in the live catalog.
type PermissionGroup struct {
	ID, Name, Label, Description string
	Scope                        catalog.Scope
}

// TokenPermissionGroup is an API token permission group in the live catalog.
type TokenPermissionGroup struct {
	ID, Name string
	Scopes   []catalog.Scope
}

// Token is an API token, user-owned (AccountID empty) or account-owned.
type Token struct {
	ID, Name, Status string // Status is what was set: "active" or "disabled"
	AccountID        string // set for account-owned tokens
	OwnerUserID      string // set for user-owned tokens
	IssuedOn         time.Time
	ModifiedOn       time.Time
	NotBefore        *time.Time
	ExpiresOn        *time.Time
	LastUsedOn       *time.Time
	Policies         []TokenPolicy
	Condition        *TokenCondition
	valueHash        string // hashTokenValue of the secret; the value itself is never kept
}

// TokenPolicy is one policy of an API token.
type TokenPolicy struct {
	ID               string
	Effect           string
	PermissionGroups []TokenPolicyPermissionGroup
	// Resources is the policy's resources object as sent: key -> "*" or key -> {key -> "*"}.
	Resources map[string]any
}

// TokenPolicyPermissionGroup references a token permission group; Meta is kept as sent.
type TokenPolicyPermissionGroup struct {
	ID   string
	Meta map[string]any
}

// TokenCondition is a token's request IP condition. WireKey is the key the
// client used for it ("request.ip", as in Cloudflare's OpenAPI schema, or
// "request_ip", as cloudflare-go v7 sends it); responses echo the same key.
type TokenCondition struct {
	WireKey string
	In      []string
	NotIn   []string
}

// Tunnel is a Cloudflare Tunnel (cfd_tunnel), or a Cloudflare Mesh node (a
// warp_connector tunnel, of the same shape; its ConfigSrc is unused).
type Tunnel struct {
	ID, AccountID, Name, Status, ConfigSrc string
	CreatedAt                              time.Time
	DeletedAt                              *time.Time
	Connections                            []TunnelConnection
}

// TunnelConnection is one (emulated) cloudflared connection.
type TunnelConnection struct {
	ID, ClientID, ClientVersion, ColoName, OriginIP string
	OpenedAt                                        time.Time
}

// Route is a Tunnel route (teamnet route) of a private network.
type Route struct {
	ID, AccountID, Network, TunnelID, Comment, VirtualNetworkID string
	CreatedAt                                                   time.Time
	DeletedAt                                                   *time.Time
}

// Stats counts API requests; see GET /__emulator/stats.
type Stats struct {
	Requests int
	ByRoute  map[string]int
}

// memberToken is a credential minted by POST /__emulator/members/{id}/token.
type memberToken struct {
	id, accountID, memberID string
}

type faultConfig struct {
	Rate float64 `json:"rate"`
	// AfterRate is the share of requests that take effect and then fail:
	// their answer is a 5xx of Statuses (502 if it lists none) or, for half
	// of them, a connection dropped before any answer. The write happened;
	// the client cannot know it.
	AfterRate         float64 `json:"after_rate"`
	Statuses          []int   `json:"statuses"`
	RetryAfterSeconds int     `json:"retry_after_seconds"`
}

// Emulator is the http.Handler. Create it with New; it is safe for concurrent use.
type Emulator struct {
	mu sync.Mutex // guards all API state below

	accounts       []*Account
	users          []*User
	zones          []*Zone
	members        []*Member
	resourceGroups []*ResourceGroup
	userGroups     []*UserGroup
	iamGroups      map[string][]*PermissionGroup // account ID -> live IAM permission groups
	tokenGroups    []*TokenPermissionGroup
	tokens         []*Token // user- and account-owned
	tunnels        []*Tunnel
	meshNodes      []*Tunnel       // Cloudflare Mesh nodes (warp_connector)
	accessObjects  []*AccessObject // the Access kinds' objects (handlers_access.go)
	routes         []*Route
	memberTokens   map[string]memberToken // hashTokenValue(value) -> member
	idSeq          uint64
	// allowDirectAdd lets members be created as "accepted" (invitations.go);
	// a setting, never saved with the state.
	allowDirectAdd bool

	smu       sync.Mutex // guards stats, faults, latency, the rate limit and rng
	stats     Stats
	faults    faultConfig
	latency   time.Duration // added to every API response (network.go)
	rateLimit RateLimit     // per user (network.go); zero: none
	windows   map[string]*userWindow
	rng       *rand.Rand
	// sleep waits out the latency, and clock tells the rate limit's time
	// (tests replace them).
	sleep func(ctx context.Context, d time.Duration)
	clock func() time.Time

	table []*apiRoute
	now   func() time.Time

	// statePath is the durable state file (NewFromFile); "" keeps state in memory only.
	statePath string
	// beforeRename, when set (tests), runs between writing the state's
	// temporary file and renaming it over statePath; an error stops the save
	// there, as a crash would.
	beforeRename func(tmp string) error
}

// New returns an emulator holding the seeds, with deterministic IDs, its
// state in memory only. NewFromFile returns one whose state is durable.
func New() *Emulator {
	e := newBare()
	e.seed()
	return e
}

// newBare returns an emulator with no API state.
func newBare() *Emulator {
	e := &Emulator{
		iamGroups:    map[string][]*PermissionGroup{},
		memberTokens: map[string]memberToken{},
		stats:        Stats{ByRoute: map[string]int{}},
		rng:          rand.New(rand.NewPCG(1, 2)), //nolint:gosec // fault sampling, not security
		now:          func() time.Time { return time.Now().UTC().Truncate(time.Second) },
		sleep:        sleepCtx,
		clock:        time.Now,
		windows:      map[string]*userWindow{},
	}
	e.table = apiRoutes()
	return e
}

func (e *Emulator) seed() {
	e.accounts = []*Account{{ID: AccountID, Name: AccountName, CreatedOn: seedTime}}
	e.users = []*User{{ID: AdminUserID, Email: AdminEmail, FirstName: "Ada", LastName: "Admin"}}
	act := seedTime
	for _, z := range []struct{ id, name string }{{ZoneExampleCom, "example.com"}, {ZoneExampleOrg, "example.org"}} {
		e.zones = append(e.zones, &Zone{ID: z.id, Name: z.name, AccountID: AccountID, Status: "active", Type: "full",
			CreatedOn: seedTime, ModifiedOn: seedTime, ActivatedOn: &act})
	}
	cat := catalog.Embedded()
	var groups []*PermissionGroup
	for _, r := range cat.Roles() {
		groups = append(groups, &PermissionGroup{ID: r.ID, Name: r.Name, Label: r.Label, Description: r.Description, Scope: r.Scope})
	}
	e.iamGroups[AccountID] = groups
	for _, p := range cat.PermissionGroups() {
		e.tokenGroups = append(e.tokenGroups, &TokenPermissionGroup{ID: p.ID, Name: p.Name, Scopes: []catalog.Scope{p.Scope}})
	}
	e.resourceGroups = []*ResourceGroup{{
		ID: AccountResourceGroupID, AccountID: AccountID,
		Name:     catalog.ResourceKey(catalog.ScopeAccount, AccountID),
		ScopeKey: catalog.ResourceKey(catalog.ScopeAccount, AccountID),
		Objects:  []string{catalog.ResourceKey(catalog.ScopeAccount, AccountID)},
		Meta:     map[string]any{"editable": "false"},
	}}
	superAdmin := ""
	for _, g := range groups {
		if g.Label == "super_administrator_all_privileges" {
			superAdmin = g.ID
		}
	}
	e.members = []*Member{{
		ID: AdminMemberID, AccountID: AccountID, UserID: AdminUserID, Email: AdminEmail, Status: "accepted",
		Roles: []string{superAdmin},
		Policies: []MemberPolicy{{ID: e.newID("policy"), Access: "allow",
			PermissionGroups: []string{superAdmin}, ResourceGroups: []string{AccountResourceGroupID}}},
	}}
	opened := seedTime.Add(time.Hour)
	e.tunnels = []*Tunnel{
		{ID: TunnelAppA, AccountID: AccountID, Name: "app-a", Status: "healthy", ConfigSrc: "cloudflare", CreatedAt: seedTime,
			Connections: []TunnelConnection{{ID: "1bedc50d-42b3-473c-b108-ff3d10c0d925", ClientID: "1bedc50d-42b3-473c-b108-ff3d10c0d926",
				ClientVersion: "2024.8.2", ColoName: "ams01", OriginIP: "192.0.2.10", OpenedAt: opened}}},
		{ID: TunnelAppB, AccountID: AccountID, Name: "app-b", Status: "inactive", ConfigSrc: "local", CreatedAt: seedTime},
	}
	e.meshNodes = []*Tunnel{
		{ID: MeshNodeOfficeA, AccountID: AccountID, Name: "office-a", Status: "healthy", CreatedAt: seedTime,
			Connections: []TunnelConnection{{ID: "5e0c1a2b-3d4e-4f5a-8b6c-7d8e9f0a1b2c", ClientID: "5e0c1a2b-3d4e-4f5a-8b6c-7d8e9f0a1b2d",
				ClientVersion: "2025.4.929.0", ColoName: "fra02", OriginIP: "192.0.2.20", OpenedAt: opened}}},
		{ID: MeshNodeOfficeB, AccountID: AccountID, Name: "office-b", Status: "inactive", CreatedAt: seedTime},
	}
	e.seedAccess()
	e.routes = []*Route{
		{ID: RouteAppA, AccountID: AccountID, Network: RouteNetworkAppA, TunnelID: TunnelAppA, Comment: "app-a network",
			VirtualNetworkID: DefaultVirtualNetworkID, CreatedAt: seedTime},
		{ID: RouteAppB, AccountID: AccountID, Network: RouteNetworkAppB, TunnelID: TunnelAppB, Comment: "app-b network",
			VirtualNetworkID: DefaultVirtualNetworkID, CreatedAt: seedTime},
	}
}

// newID returns a deterministic 32-hex-digit ID (the n-th of the emulator's life).
func (e *Emulator) newID(kind string) string {
	e.idSeq++
	sum := sha256.Sum256(fmt.Appendf(nil, "cfiam-emulator/%s/%d", kind, e.idSeq))
	return hex.EncodeToString(sum[:16])
}

// newUUID returns a deterministic UUID-formatted ID.
func (e *Emulator) newUUID(kind string) string {
	h := e.newID(kind)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// ServeHTTP serves /client/v4 (the API) and /__emulator/ (the control surface).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // the sentinel itself, as net/http compares it
				panic(v) // an after-fault that drops the connection (see serve)
			}
			// Never panic out of the handler: an envelope, without echoing the request.
			writeEnvelope(w, nil, http.StatusInternalServerError, nil, nil,
				[]apiMessage{{Code: 10001, Message: "internal error in the emulator"}}, false)
		}
	}()
	e.serve(w, r)
}

// Stats returns the request counters (a copy).
func (e *Emulator) Stats() Stats {
	e.smu.Lock()
	defer e.smu.Unlock()
	out := Stats{Requests: e.stats.Requests, ByRoute: make(map[string]int, len(e.stats.ByRoute))}
	for k, v := range e.stats.ByRoute {
		out.ByRoute[k] = v
	}
	return out
}

// --- snapshot accessors (copies; safe to keep) ---

func copyMember(m *Member) Member {
	c := *m
	c.Roles = slices.Clone(m.Roles)
	c.Policies = make([]MemberPolicy, len(m.Policies))
	for i, p := range m.Policies {
		c.Policies[i] = MemberPolicy{ID: p.ID, Access: p.Access,
			PermissionGroups: slices.Clone(p.PermissionGroups), ResourceGroups: slices.Clone(p.ResourceGroups)}
	}
	return c
}

// Members returns the account's members in creation order.
func (e *Emulator) Members(accountID string) []Member {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Member
	for _, m := range e.members {
		if m.AccountID == accountID {
			out = append(out, copyMember(m))
		}
	}
	return out
}

// Member returns one member of the account.
func (e *Emulator) Member(accountID, memberID string) (Member, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m := e.findMember(accountID, memberID); m != nil {
		return copyMember(m), true
	}
	return Member{}, false
}

func copyRG(g *ResourceGroup) ResourceGroup {
	c := *g
	c.Objects = slices.Clone(g.Objects)
	c.Meta = map[string]any{}
	for k, v := range g.Meta {
		c.Meta[k] = v
	}
	return c
}

// ResourceGroups returns the account's resource groups in creation order.
func (e *Emulator) ResourceGroups(accountID string) []ResourceGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []ResourceGroup
	for _, g := range e.resourceGroups {
		if g.AccountID == accountID {
			out = append(out, copyRG(g))
		}
	}
	return out
}

func copyToken(t *Token) Token {
	c := *t
	c.valueHash = ""
	c.Policies = make([]TokenPolicy, len(t.Policies))
	for i, p := range t.Policies {
		c.Policies[i] = TokenPolicy{ID: p.ID, Effect: p.Effect, Resources: deepCopyMap(p.Resources),
			PermissionGroups: make([]TokenPolicyPermissionGroup, len(p.PermissionGroups))}
		for j, g := range p.PermissionGroups {
			c.Policies[i].PermissionGroups[j] = TokenPolicyPermissionGroup{ID: g.ID, Meta: deepCopyMap(g.Meta)}
		}
	}
	if t.Condition != nil {
		cc := TokenCondition{WireKey: t.Condition.WireKey, In: slices.Clone(t.Condition.In), NotIn: slices.Clone(t.Condition.NotIn)}
		c.Condition = &cc
	}
	return c
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out[k] = deepCopyMap(sub)
		} else {
			out[k] = v
		}
	}
	return out
}

// UserTokens returns every user-owned API token (values are never included).
func (e *Emulator) UserTokens() []Token {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Token
	for _, t := range e.tokens {
		if t.AccountID == "" {
			out = append(out, copyToken(t))
		}
	}
	return out
}

// AccountTokens returns the account-owned API tokens of an account.
func (e *Emulator) AccountTokens(accountID string) []Token {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Token
	for _, t := range e.tokens {
		if t.AccountID == accountID {
			out = append(out, copyToken(t))
		}
	}
	return out
}

// Zones returns every zone.
func (e *Emulator) Zones() []Zone {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Zone, 0, len(e.zones))
	for _, z := range e.zones {
		c := *z
		c.VanityNameServers = slices.Clone(z.VanityNameServers)
		out = append(out, c)
	}
	return out
}

// Account returns the account with that ID.
func (e *Emulator) Account(accountID string) (Account, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if a := e.findAccount(accountID); a != nil {
		return *a, true
	}
	return Account{}, false
}

// Tunnels returns the account's Tunnels, soft-deleted ones included.
func (e *Emulator) Tunnels(accountID string) []Tunnel {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Tunnel
	for _, t := range e.tunnels {
		if t.AccountID == accountID {
			c := *t
			c.Connections = slices.Clone(t.Connections)
			out = append(out, c)
		}
	}
	return out
}

// MeshNodes returns the account's Cloudflare Mesh nodes, soft-deleted ones included.
func (e *Emulator) MeshNodes(accountID string) []Tunnel {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Tunnel
	for _, t := range e.meshNodes {
		if t.AccountID == accountID {
			c := *t
			c.Connections = slices.Clone(t.Connections)
			out = append(out, c)
		}
	}
	return out
}

// AccessObjects returns the account's objects of an Access kind (a catalog
// scope such as catalog.ScopeAccessApplication), in creation order.
func (e *Emulator) AccessObjects(accountID string, kind catalog.Scope) []AccessObject {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []AccessObject
	for _, o := range e.accessObjects {
		if o.AccountID == accountID && o.Kind == kind {
			out = append(out, *o)
		}
	}
	return out
}

// Routes returns the account's Tunnel routes, soft-deleted ones included.
func (e *Emulator) Routes(accountID string) []Route {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Route
	for _, r := range e.routes {
		if r.AccountID == accountID {
			out = append(out, *r)
		}
	}
	return out
}

// IAMPermissionGroups returns the account's live IAM permission groups.
func (e *Emulator) IAMPermissionGroups(accountID string) []PermissionGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []PermissionGroup
	for _, g := range e.iamGroups[accountID] {
		out = append(out, *g)
	}
	return out
}

// TokenPermissionGroups returns the live API token permission groups.
func (e *Emulator) TokenPermissionGroups() []TokenPermissionGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]TokenPermissionGroup, 0, len(e.tokenGroups))
	for _, g := range e.tokenGroups {
		out = append(out, TokenPermissionGroup{ID: g.ID, Name: g.Name, Scopes: slices.Clone(g.Scopes)})
	}
	return out
}

// PutIAMPermissionGroup adds or replaces (by ID) an IAM permission group in
// the account's live catalog: a test hook proving that the live API wins over
// the embedded catalog. The label is derived from the name.
func (e *Emulator) PutIAMPermissionGroup(accountID string, id, name string, scope catalog.Scope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := &PermissionGroup{ID: id, Name: name, Label: labelOf(name), Scope: scope}
	for i, old := range e.iamGroups[accountID] {
		if old.ID == id {
			e.iamGroups[accountID][i] = g
			_ = e.saveLocked()
			return
		}
	}
	e.iamGroups[accountID] = append(e.iamGroups[accountID], g)
	_ = e.saveLocked()
}

// PutTokenPermissionGroup adds or replaces (by ID) an API token permission
// group in the live catalog.
func (e *Emulator) PutTokenPermissionGroup(id, name string, scopes ...catalog.Scope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := &TokenPermissionGroup{ID: id, Name: name, Scopes: slices.Clone(scopes)}
	for i, old := range e.tokenGroups {
		if old.ID == id {
			e.tokenGroups[i] = g
			_ = e.saveLocked()
			return
		}
	}
	e.tokenGroups = append(e.tokenGroups, g)
	_ = e.saveLocked()
}

func labelOf(name string) string {
	out := make([]rune, 0, len(name))
	under := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, r)
			under = false
		case r >= 'A' && r <= 'Z':
			out = append(out, r+('a'-'A'))
			under = false
		default:
			if !under && len(out) > 0 {
				out = append(out, '_')
				under = true
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '_' {
		out = out[:len(out)-1]
	}
	return string(out)
}
