// Package protoserver wraps the terraform-plugin-framework's protocol 6
// server with what the framework does not do for a provider whose
// workspaces hold resources by the thousand: it releases each request's
// context when the request ends, turns off logs nobody reads, and answers
// the calls of an unchanged resource (a no-op plan's plan, read, state
// upgrade, validation)
// without the framework's conversions, for the resource types that declare
// when that is right (ResourceWithUnchangedPlan).
//
// Everything here is an optimisation: deleting this package and the one
// line in main.go (and in internal/acctest) that calls Wrap serves the
// framework's server as it is, and every test still passes.
package protoserver

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// frameworkServer is every RPC the framework's server answers. Embedding it,
// server answers them all too: tf6server finds the list resource, action and
// state store RPCs by type assertion.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// ProviderWithResourceData is a provider that says what its Configure gave
// resources (ConfigureResponse.ResourceData), nil before it is configured:
// the shortcuts configure resources with it, as the framework does.
type ProviderWithResourceData interface {
	provider.Provider
	ResourceData() any
}

// Option changes how Wrap serves.
type Option func(*options)

type options struct {
	verify, verifyReads bool
	quietLogs           string // the provider's log variable, TF_LOG_PROVIDER_<NAME>; "" leaves the logs on
	off                 struct{ plan, read, validate, upgrade bool }
}

// Wrap returns a factory of framework's servers, each wrapped: p is the
// provider framework serves. A framework server without one of the RPCs
// frameworkServer lists is served as it is (TestWrap_wrapsTheFrameworkServer
// fails then).
func Wrap(p provider.Provider, framework func() tfprotov6.ProviderServer, opts ...Option) func() tfprotov6.ProviderServer {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.quietLogs != "" {
		QuietUnreadLogs(os.Environ(), os.Setenv, o.quietLogs)
	}
	shortcuts := newRegistry(p)
	return func() tfprotov6.ProviderServer {
		s := framework()
		fw, ok := s.(frameworkServer)
		if !ok {
			return s
		}
		srv := &server{frameworkServer: fw, shortcuts: shortcuts, options: o}
		if pd, ok := p.(ProviderWithResourceData); ok {
			srv.resourceData = pd.ResourceData
		}
		return srv
	}
}

// QuietLogs has Wrap call QuietUnreadLogs for the provider whose own log
// variable is providerEnv (TF_LOG_PROVIDER_CFIAM), unless debugging: a
// developer running the provider with -debug reads its logs in the terminal.
func QuietLogs(providerEnv string, debugging bool) Option {
	return func(o *options) {
		if !debugging {
			o.quietLogs = providerEnv
		}
	}
}

// Verify has every call a shortcut answers asked of the framework too:
// Terraform gets the shortcut's answer, unless the framework's differs, and
// then the call fails with the difference. Reads are asked twice as well
// unless skipReads: a second read may find the API changed (fault
// injection) and costs requests of its own (request counting). The
// acceptance tests serve with it.
func Verify(skipReads bool) Option {
	return func(o *options) { o.verify, o.verifyReads = true, !skipReads }
}

// Without turns the named shortcuts off ("plan", "read", "validate",
// "upgrade"; "all"):
// to measure what each saves (bench/README.md).
func Without(names ...string) Option {
	return func(o *options) {
		for _, n := range names {
			switch strings.TrimSpace(n) {
			case "plan":
				o.off.plan = true
			case "read":
				o.off.read = true
			case "validate":
				o.off.validate = true
			case "upgrade":
				o.off.upgrade = true
			case "all":
				o.off.plan, o.off.read, o.off.validate, o.off.upgrade = true, true, true, true
			}
		}
	}
}

// WithoutFromEnv is Without with the names in CFIAM_SHORTCUTS_OFF
// (comma-separated), for make bench's runs of the provider binary.
func WithoutFromEnv() Option {
	return Without(strings.Split(os.Getenv("CFIAM_SHORTCUTS_OFF"), ",")...)
}

// server serves each per-object request on a requestContext, and the
// shortcuts' calls without the framework. The streaming RPCs (list
// resources, actions, state stores), which use their context after they
// return, and the once-per-run provider RPCs pass through as they are.
type server struct {
	frameworkServer
	options
	shortcuts    *registry
	resourceData func() any // the provider's ResourceData; nil for a provider that does not say
}

// configured is the provider's resource data, nil before Configure.
func (s *server) configured() any {
	if s.resourceData == nil {
		return nil
	}
	return s.resourceData()
}

// serve runs one request on a context that ends with it.
func serve[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.end()
	return rpc(rc, req)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s *server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.MoveResourceState)
}

func (s *server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s *server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.GenerateResourceConfig)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s *server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateEphemeralResourceConfig)
}

func (s *server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.OpenEphemeralResource)
}

func (s *server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.RenewEphemeralResource)
}

func (s *server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.CloseEphemeralResource)
}

func (s *server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(ctx, req, s.frameworkServer.CallFunction)
}

// The framework's server keeps a cancel function for every request it has
// served (proto6server.Server.registerContext, released only by
// StopProvider), and each holds the request's whole context: its loggers,
// their fields, the gRPC stream, some 15 KiB per request. A requestContext
// is what the framework gets instead: its request's context until end, and
// then a cancelled context with no values, so that what the framework keeps
// is a few hundred bytes. (terraform-plugin-framework v1.19.) While the
// request runs it is its context in every respect, cancellation included.
type requestContext struct {
	ctx atomic.Pointer[context.Context]
}

// ended is what a requestContext is after its request: cancelled, no values.
var ended = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newRequestContext(ctx context.Context) *requestContext {
	rc := &requestContext{}
	rc.ctx.Store(&ctx)
	return rc
}

// end cuts the context loose from its request, once the request has been
// answered. gRPC cancels the request's own context right after, so whatever
// still holds either finds it done.
func (rc *requestContext) end() { rc.ctx.Store(&ended) }

func (rc *requestContext) current() context.Context { return *rc.ctx.Load() }

func (rc *requestContext) Deadline() (time.Time, bool) { return rc.current().Deadline() }
func (rc *requestContext) Done() <-chan struct{}       { return rc.current().Done() }
func (rc *requestContext) Err() error                  { return rc.current().Err() }
func (rc *requestContext) Value(key any) any           { return rc.current().Value(key) }

// QuietUnreadLogs turns the SDK's and the provider's logs off when Terraform
// would throw them away; call it before serving. Unless told otherwise,
// terraform-plugin-go and the framework log at TRACE to stderr, dozens of
// JSON lines per resource and request, and Terraform parses each line only
// to drop it unless TF_LOG or TF_LOG_PROVIDER asks for provider logs. Any
// TF_LOG* variable, set to anything, leaves the logs as they were.
// providerEnv names the provider's own root logger: TF_LOG_PROVIDER_CFIAM.
func QuietUnreadLogs(environ []string, setenv func(key, value string) error, providerEnv string) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	// The SDK's root logger (its proto and framework subsystems inherit its
	// level) and the provider's (tflog; its subsystems inherit it too).
	for _, name := range []string{"TF_LOG_SDK", providerEnv} {
		if err := setenv(name, "off"); err != nil {
			return // the logs stay on: slower, not wrong
		}
	}
}
