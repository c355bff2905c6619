package emulator

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Cloudflare Access objects that resource-scoped roles are bound to: Access
// applications, identity providers, policies, service tokens and Access for
// Infrastructure targets, listed and read under /accounts/{account_id}/ at
// each kind's catalog routes (ResourceKind.ListRoute, GetRoute), in
// cloudflare-go v7's zero_trust shapes, with Cloudflare's envelope and page
// paging. The listings are authorization-aware (Cloudflare's changelog of
// 2026-08-19, resource-scoped-kinds.md): a member sees the objects its roles
// reach (kindAccess), an API token all of them or none (the kind's
// ReadGroups).

// The seeded Access objects: two of each kind, and one policy attached
// directly to AccessAppA (the application's own policy, beside the two
// reusable ones). Fixed, public IDs, so tests, examples and docs can name them.
const (
	AccessAppA              = "64949abf-2738-491b-bd96-c0e80945fb37" // Access application "app-a" (app-a.example.com)
	AccessAppB              = "8b81a960-ea9b-431f-8132-17e207d51b8e" // Access application "app-b" (app-b.example.com)
	AccessIdentityProviderA = "0e4727e0-d449-4719-a649-691d630f17a6" // identity provider "idp-a" (one-time PIN)
	AccessIdentityProviderB = "5d4feca9-2f60-49a8-8a3e-d0ca47b30612" // identity provider "idp-b" (GitHub)
	AccessPolicyA           = "5b94410f-0f2a-4163-a2eb-fd25adb9c250" // reusable Access policy "policy-a"
	AccessPolicyB           = "d8757b79-a1c4-4445-b941-4e31e076cfab" // reusable Access policy "policy-b"
	AccessPolicyAppA        = "42e339f7-cab6-47ec-b664-0cba16fbd493" // "app-a-own", attached directly to AccessAppA
	// Service tokens "token-a" and "token-b": object IDs, not secrets.
	AccessServiceTokenA      = "369a74bf-024a-47ca-99c8-c026aec17e78" //nolint:gosec // G101: a public seed ID, no credential
	AccessServiceTokenB      = "055c1a9e-510b-430a-9ddf-84ccf834e5b9" //nolint:gosec // G101: a public seed ID, no credential
	InfrastructureTargetA    = "2373ca74-7824-49f4-99ae-7d5929c0e886" // infrastructure target "host-a" (10.0.0.10)
	InfrastructureTargetB    = "6c04a100-ddfd-4961-a05e-e94d10c46a62" // infrastructure target "host-b" (10.1.0.10)
	accessTeamDomain         = "example.cloudflareaccess.com"
	accessServiceTokenExpiry = 365 * 24 * time.Hour
)

// AccessObject is one object of an Access kind (Kind: the catalog scope of
// its row). Name is an application's, identity provider's, policy's or
// service token's name, a target's hostname.
type AccessObject struct {
	Kind                catalog.Scope
	ID, AccountID, Name string
	// Type is an application's type ("self_hosted") or an identity provider's ("onetimepin", "github").
	Type string
	// Domain is an application's domain; IPv4 a target's address.
	Domain, IPv4 string
	// AppID is, for an Access policy attached directly to an application
	// (the application's own policy), that application; "" for a reusable
	// policy. Whoever reads the application reads its own policies.
	AppID string
	// Decision is a policy's ("allow"); ClientID a service token's.
	Decision, ClientID string
	CreatedAt          time.Time
}

func (e *Emulator) seedAccess() {
	obj := func(kind catalog.Scope, id, name string) *AccessObject {
		return &AccessObject{Kind: kind, ID: id, AccountID: AccountID, Name: name, CreatedAt: seedTime}
	}
	app := func(id, name string) *AccessObject {
		o := obj(catalog.ScopeAccessApplication, id, name)
		o.Type, o.Domain = "self_hosted", name+".example.com"
		return o
	}
	idp := func(id, name, typ string) *AccessObject {
		o := obj(catalog.ScopeAccessIdentityProvider, id, name)
		o.Type = typ
		return o
	}
	policy := func(id, name, appID string) *AccessObject {
		o := obj(catalog.ScopeAccessPolicy, id, name)
		o.Decision, o.AppID = "allow", appID
		return o
	}
	token := func(id, name, clientID string) *AccessObject {
		o := obj(catalog.ScopeAccessServiceToken, id, name)
		o.ClientID = clientID
		return o
	}
	target := func(id, host, ip string) *AccessObject {
		o := obj(catalog.ScopeInfrastructureTarget, id, host)
		o.IPv4 = ip
		return o
	}
	e.accessObjects = []*AccessObject{
		app(AccessAppA, "app-a"), app(AccessAppB, "app-b"),
		idp(AccessIdentityProviderA, "idp-a", "onetimepin"), idp(AccessIdentityProviderB, "idp-b", "github"),
		policy(AccessPolicyA, "policy-a", ""), policy(AccessPolicyB, "policy-b", ""), policy(AccessPolicyAppA, "app-a-own", AccessAppA),
		token(AccessServiceTokenA, "token-a", "3c8a2f1e9b7d4c6a8e0f1a2b3c4d5e6f.access"),
		token(AccessServiceTokenB, "token-b", "7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a.access"),
		target(InfrastructureTargetA, "host-a", "10.0.0.10"), target(InfrastructureTargetB, "host-b", "10.1.0.10"),
	}
}

// accessKinds are the Access kinds the emulator serves, each with its
// answer's shape (cloudflare-go v7's zero_trust types) and the paging of its
// list: Cloudflare does not publish the page sizes; these are the
// emulator's (targets list up to 1,000 at once, the other lists 20 by default).
var accessKinds = []struct {
	scope          catalog.Scope
	render         func(e *Emulator, o *AccessObject) map[string]any
	filter         func(c *call, o *AccessObject) (bool, error)
	defPer, maxPer int
}{
	{catalog.ScopeAccessApplication, (*Emulator).accessAppJSON, filterAccessApp, 20, 1000},
	{catalog.ScopeAccessIdentityProvider, func(_ *Emulator, o *AccessObject) map[string]any { return identityProviderJSON(o) }, filterIdentityProvider, 20, 1000},
	{catalog.ScopeAccessPolicy, accessPolicyJSON, nil, 20, 1000},
	{catalog.ScopeAccessServiceToken, func(_ *Emulator, o *AccessObject) map[string]any { return serviceTokenJSON(o) }, filterServiceToken, 20, 1000},
	{catalog.ScopeInfrastructureTarget, func(_ *Emulator, o *AccessObject) map[string]any { return targetJSON(o) }, filterTarget, 1000, 1000},
}

// accessRoutes are the Access kinds' list and get routes, at their catalog paths.
func accessRoutes() []*apiRoute {
	var out []*apiRoute
	for _, ak := range accessKinds {
		k, ok := catalog.KindOf(ak.scope)
		if !ok {
			panic("emulator: no catalog row for " + string(ak.scope))
		}
		render, filter, defPer, maxPer := ak.render, ak.filter, ak.defPer, ak.maxPer
		out = append(out,
			route(http.MethodGet, k.ListRoute(), func(e *Emulator, c *call) (any, *resultInfo, error) {
				return e.listAccess(c, k, render, filter, defPer, maxPer)
			}),
			route(http.MethodGet, k.GetRoute(), func(e *Emulator, c *call) (any, *resultInfo, error) {
				o, err := e.readableAccess(c, k)
				if err != nil {
					return nil, nil, err
				}
				return render(e, o), nil, nil
			}))
	}
	return out
}

func (e *Emulator) findAccessObject(kind catalog.Scope, accountID, id string) *AccessObject {
	for _, o := range e.accessObjects {
		if o.Kind == kind && o.AccountID == accountID && strings.EqualFold(o.ID, id) {
			return o
		}
	}
	return nil
}

// readableAccess finds the object of the get route that the principal may
// read: 404 when missing, 403 when the principal may not read it (as for a
// Tunnel).
func (e *Emulator) readableAccess(c *call, k catalog.ResourceKind) (*AccessObject, error) {
	o := e.findAccessObject(k.Scope, c.param("account_id"), c.param(k.IDParam))
	if o == nil {
		return nil, errNotFound(k.Noun)
	}
	if canRead, _ := e.kindAccess(c, k.Scope); !canRead(o.ID) {
		return nil, errForbidden()
	}
	return o, nil
}

// listAccess lists the kind's objects in the account that the principal may
// read and that pass the kind's filters, oldest first, one page of them.
func (e *Emulator) listAccess(c *call, k catalog.ResourceKind, render func(*Emulator, *AccessObject) map[string]any,
	filter func(*call, *AccessObject) (bool, error), defPer, maxPer int) (any, *resultInfo, error) {
	canRead, _ := e.kindAccess(c, k.Scope)
	var out []map[string]any
	for _, o := range e.accessObjects {
		if o.Kind != k.Scope || o.AccountID != c.param("account_id") || !canRead(o.ID) {
			continue
		}
		if filter != nil {
			keep, err := filter(c, o)
			if err != nil {
				return nil, nil, err
			}
			if !keep {
				continue
			}
		}
		out = append(out, render(e, o))
	}
	return paginate(c, orEmpty(out), defPer, 1, maxPer)
}

func orEmpty(s []map[string]any) []map[string]any {
	if s == nil {
		return []map[string]any{}
	}
	return s
}

// --- shapes (cloudflare-go v7 zero_trust) ---

// accessRule is an Access rule: e-mail addresses of the domain example.com.
func accessRule() []any {
	return []any{map[string]any{"email_domain": map[string]any{"domain": "example.com"}}}
}

// policyFields are what a reusable policy (AccessPolicyListResponse) and an
// application's policy (its `policies`) share.
func policyFields(o *AccessObject) map[string]any {
	return map[string]any{
		"id": o.ID, "name": o.Name, "decision": o.Decision, "include": accessRule(), "exclude": []any{}, "require": []any{},
		"approval_required": false, "isolation_required": false, "purpose_justification_required": false,
		"session_duration": "24h", "created_at": ts(o.CreatedAt), "updated_at": ts(o.CreatedAt),
	}
}

// accessPolicyJSON is an Access policy as /access/policies answers it
// (AccessPolicyListResponse, AccessPolicyGetResponse): `reusable` is true
// for a reusable policy; an application's own policy, which this list shows
// to whoever reads the application, has `reusable` false (the emulator's
// reading of the changelog: the SDK types know only true).
func accessPolicyJSON(_ *Emulator, o *AccessObject) map[string]any {
	out := policyFields(o)
	out["reusable"] = o.AppID == ""
	// The seeded reusable policies are not attached to any application.
	out["app_count"] = 0
	if o.AppID != "" {
		out["app_count"] = 1
	}
	return out
}

// accessAppJSON is a self-hosted Access application
// (AccessApplicationListResponse, AccessApplicationGetResponse), its own
// policies included, with their precedence.
func (e *Emulator) accessAppJSON(o *AccessObject) map[string]any {
	policies := []map[string]any{}
	for _, p := range e.accessObjects {
		if p.Kind == catalog.ScopeAccessPolicy && p.AppID == o.ID {
			pj := policyFields(p)
			pj["precedence"] = len(policies) + 1
			policies = append(policies, pj)
		}
	}
	return map[string]any{
		"id": o.ID, "name": o.Name, "type": o.Type, "domain": o.Domain, "aud": audOf(o.ID),
		"self_hosted_domains":  []string{o.Domain},
		"destinations":         []any{map[string]any{"type": "public", "uri": o.Domain}},
		"allowed_idps":         []string{},
		"app_launcher_visible": true, "auto_redirect_to_identity": false, "enable_binding_cookie": false,
		"http_only_cookie_attribute": true, "options_preflight_bypass": false, "service_auth_401_redirect": false,
		"skip_interstitial": false, "session_duration": "24h", "tags": []string{}, "policies": policies,
	}
}

// audOf is an application's audience tag: 64 hex digits, stable per application.
func audOf(id string) string {
	h := strings.ReplaceAll(id, "-", "")
	return h + h
}

// identityProviderJSON is an identity provider (IdentityProviderListResponse,
// IdentityProvider): a one-time PIN or GitHub login, its secret never shown.
func identityProviderJSON(o *AccessObject) map[string]any {
	config := map[string]any{"redirect_url": "https://" + accessTeamDomain + "/cdn-cgi/access/callback"}
	if o.Type == "github" {
		config = map[string]any{"client_id": "Iv1." + strings.ReplaceAll(o.ID, "-", "")[:16]}
	}
	return map[string]any{"id": o.ID, "name": o.Name, "type": o.Type, "config": config}
}

// serviceTokenJSON is a service token (ServiceToken): its client ID, never its secret.
func serviceTokenJSON(o *AccessObject) map[string]any {
	return map[string]any{"id": o.ID, "name": o.Name, "client_id": o.ClientID, "duration": "8760h",
		"expires_at": ts(o.CreatedAt.Add(accessServiceTokenExpiry))}
}

// targetJSON is an Access for Infrastructure target
// (AccessInfrastructureTargetListResponse, ...GetResponse): its hostname
// and IPv4 address in the default virtual network.
func targetJSON(o *AccessObject) map[string]any {
	return map[string]any{"id": o.ID, "hostname": o.Name, "created_at": ts(o.CreatedAt), "modified_at": ts(o.CreatedAt),
		"ip": map[string]any{"ipv4": map[string]any{"ip_addr": o.IPv4, "virtual_network_id": DefaultVirtualNetworkID}}}
}

// --- list filters (the query parameters of cloudflare-go v7's *ListParams) ---

// filterAccessApp: name, domain and aud match as substrings, or exactly with
// exact=true; search matches the name or the domain.
func filterAccessApp(c *call, o *AccessObject) (bool, error) {
	exact, _, err := queryBool(c.query, "exact")
	if err != nil {
		return false, err
	}
	match := func(param, value string) bool {
		want := c.query.Get(param)
		if want == "" {
			return true
		}
		if exact {
			return value == want
		}
		return strings.Contains(strings.ToLower(value), strings.ToLower(want))
	}
	search := strings.ToLower(c.query.Get("search"))
	return match("name", o.Name) && match("domain", o.Domain) && match("aud", audOf(o.ID)) &&
		(search == "" || strings.Contains(strings.ToLower(o.Name), search) || strings.Contains(strings.ToLower(o.Domain), search)), nil
}

// filterIdentityProvider: scim_enabled=true lists none (no seeded provider has SCIM).
func filterIdentityProvider(c *call, _ *AccessObject) (bool, error) {
	scim, set, err := queryBool(c.query, "scim_enabled")
	return !set || !scim, err
}

// filterServiceToken: name exactly, search in the name.
func filterServiceToken(c *call, o *AccessObject) (bool, error) {
	name, search := c.query.Get("name"), strings.ToLower(c.query.Get("search"))
	return (name == "" || o.Name == name) && (search == "" || strings.Contains(strings.ToLower(o.Name), search)), nil
}

// filterTarget: hostname, hostname_contains, ip_v4, virtual_network_id and
// target_ids (repeated).
func filterTarget(c *call, o *AccessObject) (bool, error) {
	q := c.query
	if s := q.Get("ip_v4"); s != "" {
		if _, err := netip.ParseAddr(s); err != nil {
			return false, errValidation("ip_v4 must be an IPv4 address")
		}
		if s != o.IPv4 {
			return false, nil
		}
	}
	if ids := q["target_ids"]; len(ids) > 0 && !slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, o.ID) }) {
		return false, nil
	}
	if v := q.Get("virtual_network_id"); v != "" && !strings.EqualFold(v, DefaultVirtualNetworkID) {
		return false, nil
	}
	return (q.Get("hostname") == "" || q.Get("hostname") == o.Name) &&
		(q.Get("hostname_contains") == "" || strings.Contains(o.Name, q.Get("hostname_contains"))), nil
}
