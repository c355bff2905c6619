package protoserver

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cfiam/terraform-provider-cfiam/internal/provider"
)

func wrapped() tfprotov6.ProviderServer {
	p := provider.New("test", provider.WithEnv(func(string) string { return "" }))()
	return Wrap(p, providerserver.NewProtocol6(p))()
}

// The framework's server answers every RPC frameworkServer lists: were one
// gone, Wrap would serve the framework's server unwrapped, and every
// request's context would again stay live until the provider exits.
func TestWrap_wrapsTheFrameworkServer(t *testing.T) {
	if s, ok := wrapped().(*server); !ok || s.resourceData == nil {
		t.Fatalf("Wrap serves %T: the framework's server no longer answers every RPC frameworkServer lists, "+
			"or the provider no longer says what it gives resources", wrapped())
	}
}

// What a request's context holds is released when the request ends, though
// the framework's server keeps a cancel function per request. Not parallel:
// it measures the heap.
func TestWrap_releasesRequestContexts(t *testing.T) {
	const requests, payload = 400, 32 << 10
	s := wrapped()
	type key struct{}
	before := liveHeap()
	for range requests {
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), key{}, make([]byte, payload)))
		_, _ = s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "cfiam_account_member"})
		_, _ = s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "cfiam_resource_group"})
		cancel() // as gRPC does when the response has gone out
	}
	after := liveHeap()
	runtime.KeepAlive(s)
	// Unreleased, the payloads alone would be requests*payload (12.5 MiB).
	if limit := uint64(requests * payload / 8); after > before+limit {
		t.Errorf("the live heap grew by %d KiB over %d requests (limit %d KiB): request contexts are kept", (after-before)>>10, requests, limit>>10)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A requestContext is its request's context while the request runs, and a
// cancelled context with no values after it.
func TestRequestContext(t *testing.T) {
	type key struct{}
	parent, cancelParent := context.WithCancel(context.WithValue(t.Context(), key{}, "v"))
	rc := newRequestContext(parent)
	child, cancelChild := context.WithCancel(rc)
	defer cancelChild()
	if rc.Value(key{}) != "v" || rc.Err() != nil || child.Value(key{}) != "v" {
		t.Fatal("while the request runs, its context's values and state show through")
	}
	cancelParent()
	<-child.Done() // the request's cancellation reaches what derives from it
	if !errors.Is(rc.Err(), context.Canceled) {
		t.Fatalf("Err() = %v after the request was cancelled", rc.Err())
	}
	rc.end()
	if rc.Value(key{}) != nil || child.Value(key{}) != nil {
		t.Error("after end, the request's values are still reachable")
	}
	if !errors.Is(rc.Err(), context.Canceled) {
		t.Errorf("Err() = %v after end, want context.Canceled", rc.Err())
	}
	select {
	case <-rc.Done():
	default:
		t.Error("Done() is open after end")
	}
}

func TestQuietUnreadLogs(t *testing.T) {
	for _, tc := range []struct {
		environ []string
		want    map[string]string
	}{
		{[]string{"HOME=/root", "TF_IN_AUTOMATION=1"}, map[string]string{"TF_LOG_SDK": "off", "TF_LOG_PROVIDER_CFIAM": "off"}},
		{[]string{"TF_LOG=trace"}, map[string]string{}},
		{[]string{"TF_LOG="}, map[string]string{}},
		{[]string{"TF_LOG_PROVIDER=debug"}, map[string]string{}},
		{[]string{"TF_LOG_PROVIDER_CFIAM_CLOUDFLARE_API=debug"}, map[string]string{}},
		{[]string{"TF_LOG_SDK_FRAMEWORK=trace"}, map[string]string{}},
	} {
		got := map[string]string{}
		QuietUnreadLogs(tc.environ, func(k, v string) error { got[k] = v; return nil }, "TF_LOG_PROVIDER_CFIAM")
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("environment %q: set %v, want %v", tc.environ, got, tc.want)
		}
	}
}

// tf6server finds these RPCs by type assertion: the wrapper must keep them.
var (
	_ tfprotov6.ProviderServerWithListResource = (*server)(nil) //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
	_ tfprotov6.ProviderServerWithActions      = (*server)(nil) //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
	_ tfprotov6.ProviderServerWithStateStores  = (*server)(nil) //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
)

// The schema guard: every cfiam resource type that declares its unchanged
// plan has a schema the shortcuts reproduce the framework on. A default, a
// plan modifier not known to leave an unchanged plan alone, a write-only
// attribute (and the rest Unsupported lists) fails here, named; the type
// would otherwise be served by the framework alone, silently slower.
func TestShortcutSchemas_cfiam(t *testing.T) {
	ctx := context.Background()
	p := provider.New("test", provider.WithEnv(func(string) string { return "" }))()
	var served []string
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		if _, ok := r.(ResourceWithUnchangedPlan); !ok {
			continue
		}
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cfiam"}, &meta)
		var sresp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sresp)
		for _, problem := range Unsupported(sresp.Schema) {
			t.Errorf("%s: %s", meta.TypeName, problem)
		}
		served = append(served, meta.TypeName)
	}
	slices.Sort(served)
	if want := []string{"cfiam_account_member", "cfiam_user_group"}; !slices.Equal(served, want) {
		t.Errorf("types with the shortcuts: %v, want %v", served, want)
	}
	reg := newRegistry(p)
	for _, name := range served {
		if reg.of(ctx, name) == nil {
			t.Errorf("%s is not in the registry", name)
		}
	}
}
