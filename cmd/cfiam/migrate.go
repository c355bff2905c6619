package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

const migrateUsage = `Usage: cfiam migrate [--out FILE] DIR|STATE.json

Writes the cfiam configuration of the official cloudflare/cloudflare (v5)
provider's access resources, each with the moved block that takes its state
over, so that switching to cfiam is a reviewed plan that says "has moved to"
and changes nothing in the account:

  cloudflare_account_member      -> cfiam_account_member
  cloudflare_user_group          -> cfiam_user_group
  cloudflare_user_group_members  -> cfiam_user_group_members
  cloudflare_api_token           -> cfiam_api_token
  cloudflare_account_token       -> cfiam_account_token

The input is the official provider's state, read in one of two ways:
  DIR         a configuration directory, after 'terraform init': cfiam runs
              'terraform show -json' there (terraform on PATH) to read its state
  STATE.json  the output of 'terraform show -json' in that directory

Roles and permission groups are written by name (IDs only where the catalog
built into cfiam does not know them); a policy on a resource group holding
the account, or one zone or Tunnel that cfiam manages, is written account-wide
or with zone_ids / tunnel_ids, other groups as resource_group_ids: what
'terraform import' would read. A user group's and its members' IDs become
references to the resources written beside them. Telling what a resource
group holds needs one read of the account's resource groups, with the
provider's environment: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and
CLOUDFLARE_EMAIL), and CLOUDFLARE_BASE_URL where it is not Cloudflare's. It
reads, never writes.

Then: put the output in the configuration (merge its required_providers into
yours), remove the official resource blocks it replaces, and run
'terraform plan' (Terraform 1.8 or later): each resource "has moved to" its
cfiam address and nothing changes. Apply, and remove the moved blocks once
every workspace has applied them.

Flags:
  --out FILE  write the configuration to FILE (default: standard output)

Exit status: 0 written; 2 bad usage, input that is not the official
provider's state, a resource cfiam cannot move (the line says what to do), or
an account that could not be read.
`

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cfiam migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprint(stdout, migrateUsage)
			return exitOK
		}
		return migrateFail(stderr, err.Error()+" (see cfiam migrate -h)")
	}
	if fs.NArg() != 1 {
		return migrateFail(stderr, "give one input: a configuration directory or the output of 'terraform show -json' (see cfiam migrate -h)")
	}
	data, err := readState(ctx, fs.Arg(0))
	if err != nil {
		return migrateFail(stderr, err.Error())
	}
	text, skipped, err := migrate(ctx, fs.Arg(0), data)
	if err != nil {
		return migrateFail(stderr, err.Error())
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(text), 0o644); err != nil { //nolint:gosec // G306: a configuration file, as terraform's own
			return migrateFail(stderr, err.Error())
		}
	} else {
		_, _ = io.WriteString(stdout, text)
	}
	for _, s := range skipped {
		_, _ = fmt.Fprintf(stderr, "cfiam migrate: left as it is: %s\n", s)
	}
	return exitOK
}

func migrateFail(stderr io.Writer, msg string) int {
	_, _ = fmt.Fprintf(stderr, "cfiam migrate: %s\n", oneLine(msg))
	return exitInput
}

// readState returns `terraform show -json` of the state: the file's content,
// or terraform's answer in the directory.
func readState(ctx context.Context, name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return os.ReadFile(name) //nolint:gosec // G304: the file the user names is the input
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		return nil, fmt.Errorf("%s is a directory, and reading its state needs terraform on PATH: install it, or pass the output of 'terraform show -json'", name)
	}
	var so, se bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-chdir="+name, "show", "-json", "-no-color") //nolint:gosec // G204: terraform, in the directory the user names
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(se.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("terraform show -json in %s failed (run terraform init there first): %s", name, msg)
	}
	return so.Bytes(), nil
}

// showModule is a module of `terraform show -json`'s values.
type showModule struct {
	Resources []struct {
		Address       string          `json:"address"`
		Mode          string          `json:"mode"`
		Type          string          `json:"type"`
		Name          string          `json:"name"`
		Index         json.RawMessage `json:"index"`
		ProviderName  string          `json:"provider_name"`
		SchemaVersion int64           `json:"schema_version"`
		Values        json.RawMessage `json:"values"`
	} `json:"resources"`
	Address      string       `json:"address"`
	ChildModules []showModule `json:"child_modules"`
}

// officialResource is one resource instance to migrate.
type officialResource struct {
	address, provider, typeName, name string
	schemaVersion                     int64
	values                            json.RawMessage
	migrated                          *provider.MigratedResource
	cfiamName                         string
}

func collect(m showModule, out *[]*officialResource, skipped *[]string) {
	for _, r := range m.Resources {
		if r.Mode != "managed" {
			continue
		}
		if _, ok := provider.OfficialTypes[r.Type]; !ok {
			if strings.HasPrefix(r.Type, "cloudflare_") {
				*skipped = append(*skipped, r.Address+" (cfiam has no such type)")
			}
			continue
		}
		*out = append(*out, &officialResource{address: r.Address, provider: r.ProviderName, typeName: r.Type, name: r.Name,
			schemaVersion: r.SchemaVersion, values: r.Values})
	}
	for _, c := range m.ChildModules {
		collect(c, out, skipped)
	}
}

func migrate(ctx context.Context, input string, data []byte) (string, []string, error) {
	var show struct {
		FormatVersion string          `json:"format_version"`
		PlannedValues json.RawMessage `json:"planned_values"`
		Values        *struct {
			RootModule showModule `json:"root_module"`
		} `json:"values"`
		TFStateVersion *int `json:"version"`
	}
	if err := json.Unmarshal(data, &show); err != nil {
		return "", nil, fmt.Errorf("%s is not the output of 'terraform show -json' (not JSON: %w)", input, err)
	}
	switch {
	case show.PlannedValues != nil:
		return "", nil, fmt.Errorf("%s is a plan; give 'terraform show -json' of the state (no plan file), or the configuration directory", input)
	case show.TFStateVersion != nil:
		return "", nil, fmt.Errorf("%s is a raw state file; give 'terraform show -json' of it (run in its configuration's directory), or the directory", input)
	case show.FormatVersion == "" || !strings.HasPrefix(show.FormatVersion, "1."):
		return "", nil, fmt.Errorf("%s is not the output of 'terraform show -json' (no format_version 1.x)", input)
	case show.Values == nil:
		return "", nil, fmt.Errorf("%s holds no state (terraform show -json of an empty state): nothing to migrate", input)
	}
	var rs []*officialResource
	var skipped []string
	collect(show.Values.RootModule, &rs, &skipped)
	if len(rs) == 0 {
		return "", nil, fmt.Errorf("%s holds none of the official provider's resources that cfiam takes (%s)", input, strings.Join(officialTypeNames(), ", "))
	}
	groups, err := readGroups(ctx, rs)
	if err != nil {
		return "", nil, err
	}
	for _, r := range rs {
		if why := provider.MigrationSource(r.provider, r.typeName, r.schemaVersion, r.values); why != "" {
			return "", nil, fmt.Errorf("%s: %s", r.address, why)
		}
		m, err := provider.Migrate(r.typeName, r.values, groups[provider.ResourceGroupsNeeded(r.typeName, r.values)])
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", r.address, err)
		}
		r.migrated = m
	}
	nameAll(rs)
	return render(rs), skipped, nil
}

func officialTypeNames() []string {
	out := make([]string, 0, len(provider.OfficialTypes))
	for t := range provider.OfficialTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// readGroups reads the resource groups of each account whose groups a
// migration needs: one list each, with the provider's environment.
func readGroups(ctx context.Context, rs []*officialResource) (map[string][]cfclient.ResourceGroup, error) {
	out := map[string][]cfclient.ResourceGroup{}
	var c *cfclient.Client
	for _, r := range rs {
		acct := provider.ResourceGroupsNeeded(r.typeName, r.values)
		if _, done := out[acct]; done || acct == "" {
			continue
		}
		if c == nil {
			cfg := cfclient.Config{
				APIToken: os.Getenv("CLOUDFLARE_API_TOKEN"), APIKey: os.Getenv("CLOUDFLARE_API_KEY"), Email: os.Getenv("CLOUDFLARE_EMAIL"),
				BaseURL: os.Getenv("CLOUDFLARE_BASE_URL"), MaxRetries: 3, RequestTimeout: 30 * time.Second, UserAgentExtra: "cfiam-migrate",
			}
			if cfg.APIToken == "" && (cfg.APIKey == "" || cfg.Email == "") {
				return nil, fmt.Errorf("%s has policies on resource groups, and telling what each holds needs one read of the account's resource groups: "+
					"set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)", r.address)
			}
			var err error
			if c, err = cfclient.New(cfg); err != nil {
				return nil, err
			}
		}
		groups, err := c.ListResourceGroups(ctx, acct)
		if err != nil {
			return nil, fmt.Errorf("reading the resource groups of account %s: %w", acct, err)
		}
		out[acct] = groups
	}
	return out, nil
}

var notName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// nameAll gives each resource its cfiam name: the official one for a root
// resource without count or for_each, else the module path, name and key
// joined; unique within each cfiam type.
func nameAll(rs []*officialResource) {
	used := map[string]bool{}
	for _, r := range rs {
		base := r.name
		if r.address != r.typeName+"."+r.name {
			base = strings.Replace(r.address, r.typeName+".", "", 1)
			base = strings.Trim(notName.ReplaceAllString(strings.ReplaceAll(base, "module.", ""), "_"), "_")
		}
		if base == "" || !regexp.MustCompile(`^[A-Za-z_]`).MatchString(base) {
			base = "r_" + base
		}
		name := base
		for i := 2; used[r.migrated.Type+"."+name]; i++ {
			name = fmt.Sprintf("%s_%d", base, i)
		}
		used[r.migrated.Type+"."+name] = true
		r.cfiamName = name
	}
}

// render writes the configuration: cfiam's required_providers, then each
// resource with its moved block.
func render(rs []*officialResource) string {
	// IDs of the members and user groups written here: references to them.
	refs := map[string]string{}
	for _, r := range rs {
		if r.typeName != "cloudflare_account_member" && r.typeName != "cloudflare_user_group" {
			continue
		}
		var v struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(r.values, &v) == nil && v.ID != "" {
			refs[strings.ToLower(v.ID)] = r.migrated.Type + "." + r.cfiamName + ".id"
		}
	}
	var b strings.Builder
	b.WriteString("# Written by cfiam migrate: cfiam's configuration of the official provider's access resources,\n" +
		"# each with the moved block that takes its state over (Terraform 1.8 or later). Remove the official\n" +
		"# resource blocks these replace; remove the moved blocks once every workspace has applied them.\n\n" +
		"terraform {\n  required_providers {\n    cfiam = { source = \"cfiam/cfiam\" }\n  }\n}\n")
	for _, r := range rs {
		b.WriteString("\n")
		for _, n := range r.migrated.Notes {
			b.WriteString(hclComment(n))
		}
		fmt.Fprintf(&b, "resource %q %q {\n", r.migrated.Type, r.cfiamName)
		width := 0
		for _, a := range r.migrated.Attributes {
			width = max(width, len(a.Name))
		}
		for _, a := range r.migrated.Attributes {
			var ref func(string) (string, bool)
			if a.Reference {
				ref = func(id string) (string, bool) { s, ok := refs[strings.ToLower(id)]; return s, ok }
			}
			fmt.Fprintf(&b, "  %-*s = %s\n", width, a.Name, provider.HCL(a.Value, "  ", ref))
		}
		b.WriteString("}\n")
		fmt.Fprintf(&b, "moved {\n  from = %s\n  to   = %s.%s\n}\n", r.address, r.migrated.Type, r.cfiamName)
	}
	return string(hclwrite.Format([]byte(b.String())))
}

// hclComment writes text as # lines of at most about 100 characters.
func hclComment(text string) string {
	var b strings.Builder
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 100 && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	return b.String() + line + "\n"
}
