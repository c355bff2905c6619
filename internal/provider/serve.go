package provider

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The framework's server keeps a cancel function for every request it has
// served (proto6server.Server.registerContext, released only by
// StopProvider), and each holds the request's whole context: its loggers,
// their fields, the gRPC stream. That is some 15 KiB per request, four
// requests per member in a plan, all live until the provider exits: at a
// thousand members the heap nears main's soft memory limit and the garbage
// collector runs all but constantly. ProtocolServer hands the framework a
// context it can cut loose once the request is answered, so that what the
// framework keeps is a few hundred bytes. (terraform-plugin-framework v1.19;
// its main branch still does it.)

// frameworkServer is every RPC the framework's server answers. Embedding it,
// releasingServer answers them all too: tf6server finds the list resource,
// action and state store RPCs by type assertion.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// ProtocolServer is the protocol 6 server main serves (and the acceptance
// tests): the framework's, with each resource, data source, ephemeral
// resource and function request's context released when it ends.
func ProtocolServer(p provider.Provider, opts ...ServeOption) tfprotov6.ProviderServer {
	s := providerserver.NewProtocol6(p)()
	fw, ok := s.(frameworkServer)
	if !ok {
		return s // a framework without one of them: served as it is, and TestProtocolServer_wrapsTheFrameworkServer fails
	}
	rs := releasingServer{frameworkServer: fw}
	if cp, ok := p.(*cfiamProvider); ok {
		rs.configured = cp.configuredData
	}
	for _, o := range opts {
		o(&rs)
	}
	return rs
}

// ServeOption changes how ProtocolServer serves.
type ServeOption func(*releasingServer)

// VerifyUnchangedPlans has every plan, state upgrade and validation that
// ProtocolServer answers without the framework (unchanged_plan.go,
// validate_config.go) asked of the framework too, and fails the call when
// the answers differ. The acceptance tests serve with it. Reads are not
// asked twice: a second read may find the emulator changed (the fault
// tests), and readUnchanged answers only when the resource's own Read
// changed nothing.
func VerifyUnchangedPlans() ServeOption { return func(s *releasingServer) { s.verifyUnchanged = true } }

// releasingServer serves each per-object request on a requestContext. The
// streaming RPCs (list resources, actions, state stores), which use their
// context after they return, and the once-per-run provider RPCs pass
// through as they are.
type releasingServer struct {
	frameworkServer
	configured      func() *providerData // the provider's settings once configured, nil before (or when the provider has none)
	verifyUnchanged bool
}

// serve runs one request on a context that ends with it.
func serve[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.end()
	return rpc(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	var d *providerData
	if s.configured != nil {
		d = s.configured()
	}
	short, ok := serveValidation(ctx, d, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
	}
	if s.verifyUnchanged {
		full, err := serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
		if err != nil {
			return nil, err
		}
		if diff := sameValidation(short, full); diff != "" {
			return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: disagreement("Validation", req.TypeName, diff)}, nil
		}
		return full, nil
	}
	return short, nil
}

// serveValidation is validateConfig on a context that ends with it.
func serveValidation(ctx context.Context, d *providerData, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, bool) {
	rc := newRequestContext(ctx)
	defer rc.end()
	return validateConfig(rc, d, req)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	short, ok := upgradeCurrent(ctx, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
	}
	if s.verifyUnchanged {
		full, err := serve(ctx, req, s.frameworkServer.UpgradeResourceState)
		if err != nil {
			return nil, err
		}
		if diff := sameUpgrade(ctx, req, short, full); diff != "" {
			return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: disagreement("State upgrade", req.TypeName, diff)}, nil
		}
		return full, nil
	}
	return short, nil
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if marker, ok := movedFromOfficial(req.Private); ok {
		return s.readMovedFromOfficial(ctx, req, marker)
	}
	if s.configured != nil {
		if resp, ok := serveUnchangedRead(ctx, s.configured(), req); ok {
			return resp, nil
		}
	}
	return serve(ctx, req, s.frameworkServer.ReadResource)
}

// serveUnchangedRead is readUnchanged on a context that ends with it.
func serveUnchangedRead(ctx context.Context, d *providerData, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, bool) {
	rc := newRequestContext(ctx)
	defer rc.end()
	return readUnchanged(rc, d, req)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.configured != nil {
		if short, ok := answerUnchanged(ctx, s.configured(), req); ok {
			if !s.verifyUnchanged {
				return short, nil
			}
			full, err := serve(ctx, req, s.frameworkServer.PlanResourceChange)
			if err != nil {
				return nil, err
			}
			if diff := sameAnswer(ctx, req, short, full); diff != "" {
				return &tfprotov6.PlanResourceChangeResponse{Diagnostics: disagreement("Unchanged-plan", req.TypeName, diff)}, nil
			}
			return full, nil
		}
	}
	return serve(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.GenerateResourceConfig)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateEphemeralResourceConfig)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.OpenEphemeralResource)
}

func (s releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.RenewEphemeralResource)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.CloseEphemeralResource)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(ctx, req, s.frameworkServer.CallFunction)
}

// requestContext is a request's context until end, and then a cancelled
// context with no values: whatever still holds it after the request no
// longer holds the request. While the request runs it is its context in
// every respect, cancellation included (context.WithCancel on it joins the
// request's own cancellation, as on the request's context itself).
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
// would throw them away; main calls it before serving. Unless told
// otherwise, terraform-plugin-go and the framework log at TRACE to stderr,
// dozens of JSON lines per resource and request, and Terraform parses each
// line only to drop it unless TF_LOG or TF_LOG_PROVIDER asks for provider
// logs. In a no-op plan of members that was some 200 KiB of logs per member,
// and about 40% of the provider's CPU. Any TF_LOG* variable, set to
// anything, leaves the logs as they were.
func QuietUnreadLogs(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	// The SDK's root logger (its proto and framework subsystems inherit its
	// level) and the provider's (tflog; our subsystems inherit it too).
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_CFIAM"} {
		if err := setenv(name, "off"); err != nil {
			return // the logs stay on: slower, not wrong
		}
	}
}

// disagreement is the only diagnostic of an answer whose shortcut and the
// framework differ (VerifyUnchangedPlans): alone, so that a test expecting
// the framework's own error does not pass on it.
// The diff's spaces become underscores, so that no test's pattern matches
// the framework's message quoted in it.
func disagreement(shortcut, typeName, diff string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError,
		Summary: shortcut + " shortcut disagrees with the framework", Detail: typeName + ": " + strings.ReplaceAll(diff, " ", "_")}}
}
