// Command cfiam reviews Cloudflare access changes in a Terraform plan:
// `cfiam review PLAN` says who gains and who loses which access, escalations
// first, with the scope findings of cfiam's provider, as Markdown for a
// pull-request comment, JSON, SARIF or an HTML page. See `cfiam review -h`.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/review"
	"github.com/cfiam/terraform-provider-cfiam/internal/tfsource"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailOn = 1 // --fail-on found what it fails on
	exitInput  = 2 // bad usage or input that is not a plan
)

const usage = `cfiam: Cloudflare access tools for Terraform.

Usage:
  cfiam review [flags] PLAN    who gains and who loses which access, from a plan
  cfiam migrate [--out FILE] DIR|STATE.json
                               cfiam's configuration, with moved blocks, of the
                               official provider's members, user groups and tokens
  cfiam access [flags]         every effective grant of an account, read from its API

Run 'cfiam review -h', 'cfiam migrate -h' or 'cfiam access -h' for their flags.
`

const reviewUsage = `Usage: cfiam review [--format markdown|json|sarif|html] [--fail-on escalation|error|never] [--ignore ADDRESS:CODE]...
                    [--config-dir DIR] [--live] [--policy FILE] [--baseline FILE] [--write-baseline FILE]
                    [--comment github|gitlab [--comment-mode MODE] [--skip-no-change]] [--sarif-category NAME] PLAN

Reads a Terraform plan and reports, per principal (members by e-mail, user
groups with their members, API tokens by name), each Cloudflare role or
permission group gained or lost, on which object, and through which Terraform
address. It reads cfiam's resources (cfiam_account_member, cfiam_tunnel_binding,
cfiam_api_token, cfiam_account_token) and the official cloudflare provider's
(cloudflare_account_member, cloudflare_api_token, cloudflare_account_token,
cloudflare_user_group, cloudflare_user_group_members). It runs offline, from
the catalog built into cfiam, and covers the resources of this plan only.

PLAN is one of:
  plan.json    the output of 'terraform show -json PLANFILE'
  -            the same, on standard input
  PLANFILE     a plan saved with 'terraform plan -out=PLANFILE': cfiam runs
               'terraform show -json PLANFILE' itself, so run it in the
               configuration's directory, after 'terraform init'

Order of the report:
  1. escalations: Super Administrator, Administrator, roles that manage
     members or tokens, token permission groups that edit tokens or members,
     and account-wide or all-zones grants to a principal that held only
     narrower ones before; a deny removed where an allow of the same role
     stays (the revoke gives the role);
  2. the loss of the last Super Administrator among the plan's members;
  3. other grants; 4. revocations; 5. how many grants each principal keeps.
Roles and permission groups are named from the catalog; zones and Tunnels
from the plan's own cloudflare_zone and cloudflare_zero_trust_tunnel_cloudflared
values. A value only apply knows is shown as "(known after apply)". No value
the plan marks sensitive (a token's value, a secret) is ever shown.

Findings are the scope errors cfiam's provider raises (a role or permission
group at the wrong scope, an unknown name, a policy mixing kinds), raised on
the official provider's resources too, each with a stable code, a severity
(error blocks, warning does not), the address, the attribute path and the fix.

Flags:
`

const reviewExit = `
Live mode (--live): without it, the review counts only the plan's resources.
With it, the account's members outside the plan (members added by hand,
other workspaces) count as unchanged grants, and so do the policies other
workspaces' bindings keep on the plan's members and the roles any member
holds through user groups and memberships the plan does not manage, so that
"after" is the account's real access (the last Super Administrator among them
included). A change the plan makes to a group's policies reaches the group's
members that the plan does not list; a membership the plan adds to a group it
does not declare gives that group's roles. A resource group in a policy is
named by what it holds (the account, zones, Tunnels). It reads, never writes;
the token needs to read members, user groups and resource groups.

Formats:
  markdown  for a pull-request comment: a summary line naming every
            escalation and nothing else, the findings, then one collapsible
            section per principal
  json      {"findings": [{code, severity, blocking, address, path, message, fix,
             file, line}], "changes": [{principal, principal_kind, change
             (grant|revoke), role, scope, access, via, group, escalation, file,
             line}], "unchanged": [...], "coverage", "guardrails" (how many,
             with --policy), "baseline" ({accepted, not_in_baseline, expired},
             with --baseline)}; file and line only where the address's block
             was found (see Locations)
  sarif     SARIF 2.1.0, for code-scanning upload: findings, and escalations
            under the rule access_escalation, at their Terraform addresses
            (logical locations) and at the file and line of their block
            (physical locations; see Locations). Each result's ruleId is its
            code; its partialFingerprints stay the same across runs for the
            same finding and change when it says something else;
            --sarif-category sets automationDetails.id; at most 5,000
            results (errors first), with a note when cut
  html      one self-contained page (no network; the view of cfiam access
            --format html): a matrix of principals by objects whose cells
            list each role or permission group gained (+, green), lost (-,
            red) or kept (=, grey) there, escalations first and marked; a
            filter, sortable columns, each principal's grants with the
            Terraform address they come through, an owner and a confirm box
            per principal and a CSV export of the confirmations. Findings
            are not in it: read them in another format

Locations: cfiam reads the .tf files of the configuration (--config-dir DIR;
by default the saved plan file's directory, else the current directory if it
holds .tf files) to find where each address's resource block is written,
following module calls (local sources, or those 'terraform init' installed);
every count or for_each instance points at its one block. SARIF results get a
physical location and JSON rows "file" and "line", the file relative to the
Git repository's root (the nearest parent directory holding .git), else to
DIR. An address whose block is not found keeps its logical location only.

Exit status:
  0  nothing to fail on (see --fail-on)
  1  --fail-on error: a blocking finding (a scope error, a blocking guardrail,
     a grant not in the baseline); --fail-on escalation: that, or an escalation
  2  bad usage, or PLAN is not a plan cfiam reads (not JSON, truncated,
     state rather than a plan, a format_version other than 1.x), or --live
     could not read the account, or a --policy or --baseline file is
     malformed (one line: FILE:LINE: what), or --comment could not post
     (one line naming the missing variable, or the platform's answer)
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, usage)
		return exitInput
	}
	switch args[0] {
	case "review":
		return runReview(ctx, args[1:], stdin, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr)
	case "access":
		return runAccess(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		_, _ = fmt.Fprint(stdout, usage)
		return exitOK
	}
	_, _ = fmt.Fprintf(stderr, "cfiam: unknown command %q\n%s", args[0], usage)
	return exitInput
}

type ignores []string

func (i *ignores) String() string { return strings.Join(*i, ",") }

func (i *ignores) Set(v string) error {
	addr, code, ok := strings.Cut(v, ":")
	if !ok || addr == "" || code == "" {
		return errors.New("want ADDRESS:CODE, such as cloudflare_account_token.t:permission_group_wrong_scope")
	}
	*i = append(*i, v)
	return nil
}

func runReview(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cfiam review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "output `format`: markdown, json, sarif or html")
	failOn := fs.String("fail-on", "error", "exit 1 on: `escalation` (an escalation or a blocking finding), error (a blocking finding), never")
	var ignore ignores
	fs.Var(&ignore, "ignore", "silence an accepted finding, as `ADDRESS:CODE` (repeatable)")
	configDir := fs.String("config-dir", "", "the configuration's `DIR`, whose .tf files say where each address is written (SARIF physical locations, file and line in JSON); "+
		"default: the saved plan file's directory, else the current directory if it holds .tf files")
	live := fs.Bool("live", false, "also read the account's members, user groups and resource groups from Cloudflare's API (credentials as the provider's: "+
		"CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL; CLOUDFLARE_ACCOUNT_ID, else the plan's account_id; CLOUDFLARE_BASE_URL)")
	pr := addPRFlags(fs)
	fs.Usage = func() {
		_, _ = fmt.Fprint(fs.Output(), reviewUsage)
		fs.PrintDefaults()
		_, _ = fmt.Fprint(fs.Output(), reviewExit+guardrailsHelp+baselineHelp+commentHelp)
	}
	// Flags may follow PLAN.
	var plans []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return exitOK
			}
			return exitInput
		}
		if fs.NArg() == 0 {
			break
		}
		plans = append(plans, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(plans) != 1 {
		_, _ = fmt.Fprintln(stderr, "cfiam review: want one PLAN (a plan JSON file, - for standard input, or a saved plan file); see cfiam review -h")
		return exitInput
	}
	switch *format {
	case "markdown", "json", "sarif", "html":
	default:
		_, _ = fmt.Fprintf(stderr, "cfiam review: unknown --format %q: want markdown, json, sarif or html\n", *format)
		return exitInput
	}
	switch *failOn {
	case "escalation", "error", "never":
	default:
		_, _ = fmt.Fprintf(stderr, "cfiam review: unknown --fail-on %q: want escalation, error or never\n", *failOn)
		return exitInput
	}

	if err := pr.check(); err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: %s\n", oneLine(err.Error()))
		return exitInput
	}

	data, saved, err := readPlan(ctx, plans[0], stdin)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: %s\n", oneLine(err.Error()))
		return exitInput
	}
	locate, err := locator(*configDir, plans[0], saved)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: --config-dir: %s\n", oneLine(err.Error()))
		return exitInput
	}
	plan, err := review.Decode(bytes.NewReader(data))
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: %s: %s\n", plans[0], oneLine(err.Error()))
		return exitInput
	}
	opts := review.Options{Ignore: ignore, Locate: locate}
	if err := pr.options(&opts); err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: %s\n", oneLine(err.Error()))
		return exitInput
	}
	if *live {
		if opts.Live, err = readLive(ctx, plan); err != nil {
			_, _ = fmt.Fprintf(stderr, "cfiam review --live: %s\n", oneLine(err.Error()))
			return exitInput
		}
	}
	rep := review.Review(catalog.Embedded(), plan, opts)
	switch *format {
	case "json":
		err = rep.WriteJSON(stdout)
	case "sarif":
		err = rep.WriteSARIFCategory(stdout, pr.sarifCategory)
	case "html":
		err = writeReviewHTML(stdout, rep, plans[0])
	default:
		err = rep.WriteMarkdown(stdout)
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: writing the report: %s\n", oneLine(err.Error()))
		return exitInput
	}
	if err := pr.after(ctx, rep, stderr); err != nil {
		_, _ = fmt.Fprintf(stderr, "cfiam review: %s\n", oneLine(err.Error()))
		return exitInput
	}
	blocking := false
	for _, f := range rep.Findings {
		blocking = blocking || f.Blocking
	}
	switch {
	case *failOn == "never":
	case blocking:
		return exitFailOn
	case *failOn == "escalation" && len(rep.Escalations()) > 0:
		return exitFailOn
	}
	return exitOK
}

// zipMagic starts a saved plan file (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// readPlan returns the plan's JSON: the file (or standard input) as it is,
// or, for a saved plan file (saved), what `terraform show -json` makes of it.
func readPlan(ctx context.Context, name string, stdin io.Reader) (data []byte, saved bool, err error) {
	data, err = readPlanData(ctx, name, stdin, &saved)
	return data, saved, err
}

// locator returns where the configuration's addresses are written: in dir
// when given, else in the saved plan file's directory, else in the current
// directory when it holds .tf files; nil when there is no configuration.
func locator(dir, plan string, saved bool) (func(string) (review.Location, bool), error) {
	if dir == "" {
		switch {
		case saved && plan != "-":
			dir = filepath.Dir(plan)
		case tfsource.HasTF("."):
			dir = "."
		default:
			return nil, nil
		}
	}
	ix, err := tfsource.Open(dir)
	if err != nil {
		return nil, err
	}
	return func(address string) (review.Location, bool) {
		l, ok := ix.Locate(address)
		return review.Location{File: l.File, Line: l.Line}, ok
	}, nil
}

func readPlanData(ctx context.Context, name string, stdin io.Reader, saved *bool) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name) //nolint:gosec // G304: the file the user names is the input
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the plan: %w", err)
	}
	if !bytes.HasPrefix(data, zipMagic) {
		return data, nil
	}
	*saved = true
	path := name
	if name == "-" {
		f, err := os.CreateTemp("", "cfiam-plan-*.tfplan")
		if err != nil {
			return nil, err
		}
		defer func() { _ = os.Remove(f.Name()) }()
		if _, err := f.Write(data); err != nil {
			_ = f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		path = f.Name()
	}
	return terraformShow(ctx, path)
}

// terraformShow runs `terraform show -json PLANFILE` in the working directory.
func terraformShow(ctx context.Context, path string) ([]byte, error) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		return nil, errors.New("PLAN is a saved plan file, and reading it needs terraform on PATH: install it, or pass the output of 'terraform show -json PLANFILE'")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "show", "-json", "-no-color", path) //nolint:gosec // G204: terraform, with the plan file the user names
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("terraform show -json %s failed (run cfiam in the configuration's directory, after terraform init): %s", path, msg)
	}
	return stdout.Bytes(), nil
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
