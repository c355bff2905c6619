package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cfiam/terraform-provider-cfiam/internal/accessreport"
	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

const exitRead = 1 // cfiam access could not read the account

const accessUsage = `Usage: cfiam access [--format table|csv|json|markdown|html] [--principal TEXT] [--role TEXT]
                    [--scope TEXT] [--escalations-only] [--account-id ID] [--base-url URL] [--output FILE]

Reads a Cloudflare account once and prints every effective grant: who holds
which role or permission group, on which object, allowed or denied, and how.

Principals: members (by e-mail), user groups (by name), the account's API
tokens and the caller's own user tokens (by name; skipped with a note when
the credentials may not list them). Scopes: the account, each zone (by name)
and each object of every resource kind (Tunnels, Mesh nodes, Access
applications, identity providers, policies, service tokens, infrastructure
targets; by name). A member's row says how the grant is held: "direct" (one
of its own policies), "binding" (a policy a binding such as
cfiam_tunnel_binding owns), "group" (a policy of a user group it belongs to,
named), "legacy" (its legacy roles list); a token's, "token". An account
role is one row on the account, as it is held, naming in "reaches" the
scopes on every object of which it gives access (a Super Administrator's:
every zone and every kind); zones and objects get the rows of the grants
bound to them, and a deny bound to one is listed there. With --scope, the
question is who can do what on those objects: account roles are then also
listed on each zone and object they reach, so each object's rows are
exactly what the principal can read or edit there, after deny policies. A
member who has not accepted its invitation holds nothing. Escalations
(Super Administrator, Administrator, roles that manage members or tokens,
token permission groups that edit tokens or members) come first.

It reads with one paged list per kind and never writes: members, user
groups and each group's members, roles, tokens (and token permission groups
when a token holds one), then zones and the objects of each resource kind
that a grant of the principals kept by --principal, --role and
--escalations-only is bound to (with --scope: can reach, account roles
included). The credentials need to read them (for example Account
Settings Read, the Zero Trust and Tunnel read groups, Zone Read); a refusal
names the permission group to add.

Credentials, as the provider's: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY
and CLOUDFLARE_EMAIL), CLOUDFLARE_ACCOUNT_ID or --account-id,
CLOUDFLARE_BASE_URL or --base-url (the emulator: http://127.0.0.1:8787/client/v4),
CFIAM_MAX_RETRIES and CFIAM_REQUEST_TIMEOUT.

Formats:
  table     aligned columns, for a terminal (default)
  csv       one line per grant with its path, for evidence (table, csv
            and markdown: principal, kind, role, scope, object, effect,
            access, held, via, escalation, reaches)
  json      {"account_id", "grants": [{principal, principal_kind, principal_id,
            role, role_kind, scope, object_id, object_name, effect, access,
            held, group, policy, via, path, escalation, reaches}]}
  markdown  a table, escalations first
  html      one self-contained page (no network): a matrix of principals by
            objects, filter, sortable columns, each principal's grant paths,
            an owner and a confirm box per principal and a CSV export of the
            confirmations, for an access review

Filters (substrings, any case; all must match):
  --principal  member e-mail, group or token name, or ID
  --role       role or permission group name
  --scope      "zone", "tunnel", ... or an object's name or ID (account
               roles are then listed on each object they reach)

Exit status: 0 the report was written; 1 the account could not be read;
2 bad usage.

Flags:
`

func runAccess(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cfiam access", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output `format`: table, csv, json, markdown or html")
	var f accessreport.Filter
	fs.StringVar(&f.Principal, "principal", "", "keep the grants of principals matching `TEXT`")
	fs.StringVar(&f.Role, "role", "", "keep the grants of roles or permission groups matching `TEXT`")
	fs.StringVar(&f.Scope, "scope", "", "keep the grants on scopes or objects matching `TEXT`")
	fs.BoolVar(&f.EscalationsOnly, "escalations-only", false, "keep escalations only")
	accountID := fs.String("account-id", os.Getenv("CLOUDFLARE_ACCOUNT_ID"), "account `ID` (default $CLOUDFLARE_ACCOUNT_ID)")
	baseURL := fs.String("base-url", os.Getenv("CLOUDFLARE_BASE_URL"), "API base `URL` (default $CLOUDFLARE_BASE_URL, else Cloudflare's)")
	output := fs.String("output", "", "write the report to `FILE` instead of standard output")
	fs.Usage = func() {
		_, _ = fmt.Fprint(fs.Output(), accessUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
		return exitInput
	}
	fail := func(format string, a ...any) int {
		_, _ = fmt.Fprintf(stderr, "cfiam access: "+format+"\n", a...)
		return exitInput
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q; see cfiam access -h", fs.Arg(0))
	}
	switch *format {
	case "table", "csv", "json", "markdown", "html":
	default:
		return fail("unknown --format %q: want table, csv, json, markdown or html", *format)
	}
	cfg := cfclient.Config{
		APIToken: os.Getenv("CLOUDFLARE_API_TOKEN"), APIKey: os.Getenv("CLOUDFLARE_API_KEY"), Email: os.Getenv("CLOUDFLARE_EMAIL"),
		AccountID: *accountID, BaseURL: *baseURL, MaxRetries: 3, RequestTimeout: 30 * time.Second, UserAgentExtra: "cfiam-access",
	}
	if v := os.Getenv("CFIAM_MAX_RETRIES"); v != "" {
		if _, err := fmt.Sscan(v, &cfg.MaxRetries); err != nil || cfg.MaxRetries < 0 {
			return fail("CFIAM_MAX_RETRIES=%q: want a whole number", v)
		}
	}
	if v := os.Getenv("CFIAM_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fail("CFIAM_REQUEST_TIMEOUT=%q: want a duration such as 30s", v)
		}
		cfg.RequestTimeout = d
	}
	if cfg.APIToken == "" && (cfg.APIKey == "" || cfg.Email == "") {
		return fail("no credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)")
	}
	if cfg.AccountID == "" {
		return fail("no account: set CLOUDFLARE_ACCOUNT_ID or --account-id")
	}
	client, err := cfclient.New(cfg)
	if err != nil {
		return fail("%s", oneLine(err.Error()))
	}
	in, err := readAccount(ctx, client, cfg.AccountID, f, progress(stderr), stderr)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam access: %s\n", oneLine(explainRead(err)))
		return exitRead
	}
	rows := f.Apply(accessreport.Build(in))
	out := stdout
	if *output != "" {
		file, err := os.Create(*output)
		if err != nil {
			return fail("--output: %s", oneLine(err.Error()))
		}
		defer func() { _ = file.Close() }()
		out = file
	}
	switch *format {
	case "csv":
		err = accessreport.WriteCSV(out, rows)
	case "json":
		err = accessreport.WriteJSON(out, cfg.AccountID, rows)
	case "markdown":
		err = accessreport.WriteMarkdown(out, cfg.AccountID, rows)
	case "html":
		err = accessreport.WriteHTML(out, accessreport.Page{Title: "Access of account " + cfg.AccountID, AccountID: cfg.AccountID, Rows: rows})
	default:
		err = accessreport.WriteTable(out, rows)
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam access: writing the report: %s\n", oneLine(err.Error()))
		return exitRead
	}
	return exitOK
}

// progress returns a function printing what is being read on one
// overwritten line, when stderr is a terminal; otherwise one doing nothing.
func progress(stderr io.Writer) func(string) {
	f, ok := stderr.(*os.File)
	if !ok {
		return func(string) {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func(string) {}
	}
	return func(what string) {
		if what == "" {
			_, _ = fmt.Fprint(f, "\r\033[K")
			return
		}
		_, _ = fmt.Fprintf(f, "\r\033[Kreading %s…", what)
	}
}

// readAccount reads everything a report needs, once: the principals and
// the catalog, then the zones and the objects of the kinds that the grants
// of the principals f keeps are bound to, or with --scope reach
// (accessreport.Needs), each kind with one listing.
func readAccount(ctx context.Context, c *cfclient.Client, acct string, f accessreport.Filter, step func(string), stderr io.Writer) (accessreport.Input, error) {
	defer step("")
	in := accessreport.Input{Bindings: map[string]bool{}, Objects: map[catalog.Scope][]accessreport.Object{},
		EachObject: f.Scope != ""}
	step("the catalog")
	cat, err := c.Catalog(ctx, acct)
	if err != nil {
		return in, err
	}
	// Token permission groups are another list than member roles, read
	// only when a token holds one the roles' list does not name.
	var tokenCat *catalog.Catalog
	in.Role = func(id string) (catalog.Entry, bool) {
		if e, ok := cat.ByID(id); ok {
			return e, true
		}
		if tokenCat == nil {
			return catalog.Entry{}, false
		}
		return tokenCat.ByID(id)
	}
	step("members")
	members, err := c.ListMembers(ctx, acct)
	if err != nil {
		return in, err
	}
	in.Access.AccountID = acct
	for _, m := range members {
		in.Access.Members = append(in.Access.Members, catalog.AccountMember{ID: m.ID, Email: m.User.Email, Accepted: m.Status == "accepted",
			LegacyRoleIDs: m.RoleIDs(), Policies: m.CatalogPolicies()})
		for _, p := range m.Policies {
			if iampolicy.IsBindingPolicy(p) {
				in.Bindings[strings.ToLower(p.ID)] = true
			}
		}
	}
	step("user groups")
	if in.Access.Groups, err = c.UserGroups(ctx, acct); err != nil {
		return in, err
	}
	step("API tokens")
	unnamed := false
	for _, owner := range []struct{ id, kind string }{{acct, "account"}, {"", "user"}} {
		tokens, err := c.ListTokens(ctx, owner.id)
		if err != nil {
			// Tokens are listed where the credentials may: an account
			// token cannot list user tokens, and the reverse.
			if why := missingPermission(err); why != "" {
				_, _ = fmt.Fprintf(stderr, "cfiam access: %s tokens not listed: %s\n", owner.kind, why)
				continue
			}
			return in, err
		}
		for _, t := range tokens {
			at := accessreport.Token{ID: t.ID, Name: t.Name, Owner: owner.kind, Status: t.Status}
			for _, p := range t.Policies {
				at.Policies = append(at.Policies, accessreport.TokenPolicy{ID: p.ID, Effect: p.Effect,
					PermissionGroupIDs: p.PermissionGroupIDs(), Resources: p.Resources})
				for _, id := range p.PermissionGroupIDs() {
					if _, ok := cat.ByID(id); !ok {
						unnamed = true
					}
				}
			}
			in.Tokens = append(in.Tokens, at)
		}
	}
	if unnamed {
		if tokenCat, err = c.AccountTokenCatalog(ctx, acct); err != nil {
			tokenCat = catalog.Embedded() // a token that may not list permission groups: name them from the built-in catalog
		}
	}
	needs := accessreport.Needs(in, f)
	if needs[catalog.ScopeZone] {
		step("zones")
		zones, err := c.ListAccountZones(ctx, acct)
		if err != nil {
			return in, err
		}
		for _, z := range zones {
			in.Zones = append(in.Zones, accessreport.Object{ID: z.ID, Name: z.Name})
		}
	}
	var kinds []catalog.Scope
	for _, k := range catalog.Kinds() {
		if needs[k.Scope] {
			kinds = append(kinds, k.Scope)
		}
	}
	objects, err := c.ListObjectsOf(ctx, acct, kinds, step)
	if err != nil {
		return in, err
	}
	for kind, objs := range objects {
		for _, o := range objs {
			in.Objects[kind] = append(in.Objects[kind], accessreport.Object{ID: o.ID, Name: o.Name})
			if o.Parent != "" { // an application's own Access policy
				if in.Parents == nil {
					in.Parents = map[string]string{}
				}
				in.Parents[strings.ToLower(o.ID)] = o.Parent
			}
		}
	}
	return in, nil
}

// missingPermission names the permission group a 403 asks for ("" when the
// error is no such refusal).
func missingPermission(err error) string {
	var e *cfclient.APIError
	if !errors.As(err, &e) || e.Status != http.StatusForbidden && e.Status != http.StatusUnauthorized {
		return ""
	}
	op, ok := catalog.OperationOf(e.Method, e.Path)
	groups := catalog.NeededPermissionGroups(op)
	if !ok || groups == "" {
		return fmt.Sprintf("%s %s was refused (%d)", e.Method, e.Path, e.Status)
	}
	return fmt.Sprintf("%s %s is %s, which needs the permission group %s: add it to the API token", e.Method, e.Path, op.Describe(), groups)
}

// explainRead is a read failure in one line, naming the permission group to
// add when Cloudflare refused for want of one.
func explainRead(err error) string {
	var e *cfclient.APIError
	if errors.As(err, &e) && e.Status == http.StatusForbidden && (len(e.Codes) == 0 || e.HasCode(10000)) {
		if op, ok := catalog.OperationOf(e.Method, e.Path); ok {
			if groups := catalog.NeededPermissionGroups(op); groups != "" {
				return fmt.Sprintf("missing permission: %s %s is %s, which needs the permission group %s; add it to the API token (nothing was changed)",
					e.Method, e.Path, op.Describe(), groups)
			}
		}
	}
	return err.Error()
}
