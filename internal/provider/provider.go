// Package provider implements the cfiam Terraform provider: Cloudflare
// account access (members, roles, API tokens) with scope rules checked at plan.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
	"github.com/cfiam/terraform-provider-cfiam/internal/validators"
)

// Environment variables the provider reads when an attribute is not set.
// The CLOUDFLARE_* names are the official cloudflare provider's, so one
// environment serves both providers.
const (
	envAPIToken        = "CLOUDFLARE_API_TOKEN" //nolint:gosec // G101: an environment variable's name, not a credential
	envAPIKey          = "CLOUDFLARE_API_KEY"   //nolint:gosec // G101: an environment variable's name, not a credential
	envEmail           = "CLOUDFLARE_EMAIL"
	envAccountID       = "CLOUDFLARE_ACCOUNT_ID"
	envBaseURL         = "CLOUDFLARE_BASE_URL"
	envMaxRetries      = "CFIAM_MAX_RETRIES"
	envRequestTimeout  = "CFIAM_REQUEST_TIMEOUT"
	envRetryMaxWait    = "CFIAM_RETRY_MAX_WAIT"
	envUserAgentSuffix = "CFIAM_USER_AGENT_SUFFIX"
	envVerifyWrites    = "CFIAM_VERIFY_WRITES_AFTER"
)

// logSubsystemAPI is the tflog subsystem of the Cloudflare API client's log lines.
const logSubsystemAPI = "cloudflare_api"

const (
	defaultMaxRetries     = 4
	defaultRequestTimeout = 30 * time.Second
	defaultRetryMaxWait   = 10 * time.Second
)

var (
	_ provider.Provider                     = (*cfiamProvider)(nil)
	_ provider.ProviderWithConfigValidators = (*cfiamProvider)(nil)
	_ provider.ProviderWithListResources    = (*cfiamProvider)(nil)
)

// Option changes how a provider instance is built; tests use them to keep
// the process environment out of the provider and to observe HTTP traffic.
type Option func(*cfiamProvider)

// WithEnv makes the provider read environment variables through getenv
// instead of os.Getenv.
func WithEnv(getenv func(string) string) Option {
	return func(p *cfiamProvider) { p.getenv = getenv }
}

// WithHTTPClient makes the provider's Cloudflare client use hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(p *cfiamProvider) { p.httpClient = hc }
}

// New returns a constructor of cfiam provider instances, as providerserver wants.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &cfiamProvider{version: version, getenv: os.Getenv}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type cfiamProvider struct {
	version    string
	getenv     func(string) string
	httpClient *http.Client
	// configured is the providerData of the last Configure that made one.
	configured atomic.Pointer[providerData]
}

// ResourceData is what Configure gave resources, nil before
// (protoserver.ProviderWithResourceData).
func (p *cfiamProvider) ResourceData() any {
	if d := p.configured.Load(); d != nil {
		return d
	}
	return nil
}

type cfiamProviderModel struct {
	APIToken          types.String `tfsdk:"api_token"`
	APIKey            types.String `tfsdk:"api_key"`
	Email             types.String `tfsdk:"email"`
	AccountID         types.String `tfsdk:"account_id"`
	BaseURL           types.String `tfsdk:"base_url"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	RetryMaxWait      types.String `tfsdk:"retry_max_wait"`
	UserAgentSuffix   types.String `tfsdk:"user_agent_suffix"`
	VerifyWritesAfter types.String `tfsdk:"verify_writes_after"`
}

func (p *cfiamProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cfiam"
	resp.Version = p.version
}

func (p *cfiamProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage Cloudflare account access: account members and their policies, " +
			"resource-scoped Cloudflare Tunnel roles, and API tokens, with roles and permission groups " +
			"checked against their scope at plan time.\n\n" +
			"Without any credentials the provider still works offline: the catalog data sources serve the " +
			"catalog embedded in the provider, and `terraform validate` checks scopes. Anything that needs the " +
			"API then fails with a message saying which credential to set.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Cloudflare API token. May also be set with the `" + envAPIToken + "` environment variable. " +
					"Conflicts with `api_key` and `email`.",
				Optional:  true,
				Sensitive: true,
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Cloudflare Global API key, the legacy way to authenticate; needs `email`. " +
					"May also be set with the `" + envAPIKey + "` environment variable. Prefer `api_token`.",
				Optional:  true,
				Sensitive: true,
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "E-mail address of the user whose Global API key is `api_key`. " +
					"May also be set with the `" + envEmail + "` environment variable.",
				Optional: true,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "ID of the Cloudflare account that every resource and data source uses unless it sets its own `account_id`. " +
					"May also be set with the `" + envAccountID + "` environment variable.",
				Optional: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Cloudflare API, for example the local emulator's `http://127.0.0.1:8787/client/v4`. " +
					"May also be set with the `" + envBaseURL + "` environment variable. Defaults to `" + cfclient.DefaultBaseURL + "`.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried: any request Cloudflare refused with 429, and reads, updates and deletes that failed with 408, 5xx or a connection error, " +
					"with capped exponential backoff and jitter, honouring `Retry-After`. A create whose outcome is unknown is never repeated blindly: the provider reads back first. " +
					"May also be set with the `" + envMaxRetries + "` environment variable. Defaults to `" + strconv.Itoa(defaultMaxRetries) + "`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of each attempt of a request, as a duration such as `\"30s\"` or `\"2m\"`. " +
					"May also be set with the `" + envRequestTimeout + "` environment variable. Defaults to `\"" + defaultRequestTimeout.String() + "\"`.",
				Optional:   true,
				Validators: []validator.String{validators.Duration(time.Second)},
			},
			"retry_max_wait": schema.StringAttribute{
				MarkdownDescription: "Longest wait between two attempts, `Retry-After` included, as a duration such as `\"10s\"`; it keeps a 429 storm from stalling a plan for minutes. " +
					"May also be set with the `" + envRetryMaxWait + "` environment variable. Defaults to `\"" + defaultRetryMaxWait.String() + "\"`.",
				Optional:   true,
				Validators: []validator.String{validators.Duration(0)},
			},
			"user_agent_suffix": schema.StringAttribute{
				MarkdownDescription: "Text appended to the provider's User-Agent (`terraform-provider-cfiam/<version>`), to tell your pipelines apart in Cloudflare's audit logs. " +
					"May also be set with the `" + envUserAgentSuffix + "` environment variable.",
				Optional: true,
			},
			"verify_writes_after": schema.StringAttribute{
				MarkdownDescription: "How long after changing the policies of an existing member or user group (`cfiam_account_member`, the bindings, `cfiam_user_group`) " +
					"the provider reads them again, as a duration such as `\"1s\"`. Cloudflare replaces a member's policies whole and has no conditional write, " +
					"so two workspaces applying to one member at the same moment (its owner and a team's `cfiam_tunnel_binding`) can each drop the other's policy; " +
					"the read finds a change another process undid and applies it again from what the member holds then (up to " + strconv.Itoa(iampolicy.DefaultVerify.Repairs) + " times). " +
					"It should exceed the time another process takes from reading a member to writing it. What remains unprotected: " +
					"a write by another process that read the member before this one wrote and lands more than this long after it; the next plan then shows the missing policy. " +
					"`\"0s\"` turns the check off (one workspace per member). " +
					"May also be set with the `" + envVerifyWrites + "` environment variable. Defaults to `\"" + iampolicy.DefaultVerify.After.String() + "\"`.",
				Optional:   true,
				Validators: []validator.String{validators.Duration(0)},
			},
		},
	}
}

func (p *cfiamProvider) ConfigValidators(_ context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.Conflicting(path.MatchRoot("api_token"), path.MatchRoot("api_key")),
		providervalidator.Conflicting(path.MatchRoot("api_token"), path.MatchRoot("email")),
	}
}

func (p *cfiamProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.configured.Store(nil)
	var config cfiamProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value known only after apply (another resource's output) cannot
	// configure a client now: defer when Terraform allows it, else say which.
	if unknown := unknownAttributes(config); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, name := range unknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Provider configuration not known yet",
				fmt.Sprintf("%s depends on a value that is only known after apply, so the cfiam provider cannot be configured. "+
					"Use a value known at plan time (a variable or literal), or apply the resource it comes from first (terraform apply -target=...).", name))
		}
		return
	}

	settings, diags := p.resolve(config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{accountID: settings.AccountID, auth: settings.auth}
	if settings.auth == authNone {
		tflog.Info(ctx, "cfiam: no Cloudflare credentials configured; serving the embedded catalog (offline mode)")
	} else {
		client, err := cfclient.New(settings.Config)
		if err != nil {
			resp.Diagnostics.AddError("Invalid Cloudflare client configuration", err.Error())
			return
		}
		data.client, data.policies = client, iampolicy.New(client, settings.verify)
		tflog.Debug(ctx, "cfiam: Cloudflare client configured", map[string]any{
			"base_url": settings.BaseURL, "auth": string(settings.auth), "max_retries": settings.MaxRetries,
		})
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	p.configured.Store(data)
}

func (p *cfiamProvider) Resources(_ context.Context) []func() resource.Resource {
	return append([]func() resource.Resource{
		// one line per resource: keep each registration on its own line
		NewAccountMemberResource,
		NewResourceGroupResource,
		NewAPITokenResource,
		NewAccountTokenResource,
		NewUserGroupResource,
		NewUserGroupMembersResource,
		NewUserGroupMembershipResource,
	}, bindingResources()...) // one binding per resource kind (catalog.Kinds)
}

// ListResources are the list resources of `terraform query` (Terraform 1.14
// and later): list_resources.go.
func (p *cfiamProvider) ListResources(_ context.Context) []func() list.ListResource {
	return append([]func() list.ListResource{
		// one line per list resource: keep each registration on its own line
		newAccountMemberListResource,
		newResourceGroupListResource,
		newAPITokenListResource,
		newAccountTokenListResource,
		newUserGroupListResource,
	}, bindingListResources()...) // one per resource kind (catalog.Kinds)
}

func (p *cfiamProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return append([]func() datasource.DataSource{
		NewRolesDataSource,
		NewRoleDataSource,
		NewPermissionGroupsDataSource,
		NewPermissionGroupDataSource,
		NewTunnelsDataSource,
		NewMeshNodesDataSource,
		NewUserGroupDataSource,
		NewUserGroupsDataSource,
		NewEffectiveAccessDataSource,
		NewAccountMemberDataSource,
		NewAccountMembersDataSource,
	}, objectsDataSources()...) // the listing of each other resource kind (catalog.Kinds)
}

// providerSettings is the provider configuration with environment variables
// and defaults applied.
type providerSettings struct {
	cfclient.Config
	auth   authMethod
	verify iampolicy.Verify
}

// resolve applies the environment and defaults to config: configuration
// beats environment, and a token beats a key.
func (p *cfiamProvider) resolve(config cfiamProviderModel) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := providerSettings{Config: cfclient.Config{
		Version:    p.version,
		HTTPClient: p.httpClient,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			// Its own subsystem, so that TF_LOG_PROVIDER_CFIAM_CLOUDFLARE_API=debug
			// shows the API traffic alone. Fields never carry headers or secrets.
			ctx = tflog.NewSubsystem(ctx, logSubsystemAPI)
			tflog.SubsystemDebug(ctx, logSubsystemAPI, msg, fields)
		},
	}}
	str := func(v types.String, env string) string {
		if !v.IsNull() {
			return strings.TrimSpace(v.ValueString())
		}
		return strings.TrimSpace(p.getenv(env))
	}

	token := str(config.APIToken, envAPIToken)
	key := str(config.APIKey, envAPIKey)
	email := str(config.Email, envEmail)
	switch {
	case !config.APIToken.IsNull() && token != "":
		s.APIToken, s.auth = token, authToken
	case !config.APIKey.IsNull() || !config.Email.IsNull():
		s.APIKey, s.Email, s.auth = key, email, authKey
	case token != "":
		s.APIToken, s.auth = token, authToken
	case key != "" || email != "":
		s.APIKey, s.Email, s.auth = key, email, authKey
	default:
		s.auth = authNone
	}
	if s.auth == authKey {
		if s.APIKey == "" {
			diags.AddAttributeError(path.Root("api_key"), "Missing Cloudflare API key",
				"email is set but api_key is not: the legacy Global API key needs both. "+
					"Set api_key in the provider block or "+envAPIKey+", or use an API token instead (api_token or "+envAPIToken+") and remove email.")
		}
		if s.Email == "" {
			diags.AddAttributeError(path.Root("email"), "Missing Cloudflare e-mail address",
				"api_key is set but email is not: the legacy Global API key authenticates together with its user's e-mail address. "+
					"Set email in the provider block or "+envEmail+".")
		}
	}

	s.AccountID = str(config.AccountID, envAccountID)
	s.BaseURL = str(config.BaseURL, envBaseURL)
	if s.BaseURL == "" {
		s.BaseURL = cfclient.DefaultBaseURL
	}
	s.UserAgentExtra = str(config.UserAgentSuffix, envUserAgentSuffix)

	s.MaxRetries = defaultMaxRetries
	if !config.MaxRetries.IsNull() {
		s.MaxRetries = int(config.MaxRetries.ValueInt64())
	} else if raw := strings.TrimSpace(p.getenv(envMaxRetries)); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid "+envMaxRetries,
				fmt.Sprintf("%s=%q is not a whole number of 0 or more. Fix the variable or set max_retries in the provider block.", envMaxRetries, raw))
		}
		s.MaxRetries = n
	}

	s.RequestTimeout = defaultRequestTimeout
	if raw := str(config.RequestTimeout, envRequestTimeout); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < time.Second {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("%q is not a duration of at least 1s: write one such as \"30s\" or \"2m\" in request_timeout or %s.", raw, envRequestTimeout))
		}
		s.RequestTimeout = d
	}

	s.RetryMaxDelay = defaultRetryMaxWait
	if raw := str(config.RetryMaxWait, envRetryMaxWait); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			diags.AddAttributeError(path.Root("retry_max_wait"), "Invalid retry_max_wait",
				fmt.Sprintf("%q is not a duration: write one such as \"10s\" in retry_max_wait or %s.", raw, envRetryMaxWait))
		}
		s.RetryMaxDelay = d
	}

	s.verify = iampolicy.DefaultVerify
	if raw := str(config.VerifyWritesAfter, envVerifyWrites); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			diags.AddAttributeError(path.Root("verify_writes_after"), "Invalid verify_writes_after",
				fmt.Sprintf("%q is not a duration: write one such as \"1s\" (or \"0s\" to turn the check off) in verify_writes_after or %s.", raw, envVerifyWrites))
		}
		s.verify.After = d
	}
	return s, diags
}

// unknownAttributes names the provider attributes whose values are unknown.
func unknownAttributes(c cfiamProviderModel) []string {
	var out []string
	for name, unknown := range map[string]bool{
		"api_token":           c.APIToken.IsUnknown(),
		"api_key":             c.APIKey.IsUnknown(),
		"email":               c.Email.IsUnknown(),
		"account_id":          c.AccountID.IsUnknown(),
		"base_url":            c.BaseURL.IsUnknown(),
		"max_retries":         c.MaxRetries.IsUnknown(),
		"request_timeout":     c.RequestTimeout.IsUnknown(),
		"retry_max_wait":      c.RetryMaxWait.IsUnknown(),
		"user_agent_suffix":   c.UserAgentSuffix.IsUnknown(),
		"verify_writes_after": c.VerifyWritesAfter.IsUnknown(),
	} {
		if unknown {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
