package provider

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The framework's server answers every RPC frameworkServer lists: were one
// gone, ProtocolServer would serve the framework's server unwrapped, and
// every request's context would again stay live until the provider exits.
func TestProtocolServer_wrapsTheFrameworkServer(t *testing.T) {
	if s := ProtocolServer(New("test")()); !isReleasing(s) {
		t.Fatalf("ProtocolServer serves %T: the framework's server no longer answers every RPC frameworkServer lists", s)
	}
}

func isReleasing(s tfprotov6.ProviderServer) bool {
	_, ok := s.(releasingServer)
	return ok
}

// What a request's context holds is released when the request ends, though
// the framework's server keeps a cancel function per request. Not parallel:
// it measures the heap.
func TestProtocolServer_releasesRequestContexts(t *testing.T) {
	const requests, payload = 400, 32 << 10
	s := ProtocolServer(New("test")())
	type key struct{}
	before := liveHeap()
	for range requests {
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), key{}, make([]byte, payload)))
		_, _ = s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "cfiam_account_member"})
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
		QuietUnreadLogs(tc.environ, func(k, v string) error { got[k] = v; return nil })
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("environment %q: set %v, want %v", tc.environ, got, tc.want)
		}
	}
}

// tf6server finds these RPCs by type assertion: the wrapper must keep them.
var (
	_ tfprotov6.ProviderServerWithListResource = releasingServer{} //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
	_ tfprotov6.ProviderServerWithActions      = releasingServer{} //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
	_ tfprotov6.ProviderServerWithStateStores  = releasingServer{} //nolint:staticcheck // SA1019: what tf6server v0.31 asserts
)
