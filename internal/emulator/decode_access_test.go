package emulator

import (
	"context"
	"reflect"
	"testing"

	cloudflare "github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"
)

// The Access kinds' list and get answers, read with cloudflare-go v7's
// zero_trust types (the contract has no Access routes): each seeded object
// with the fields the SDK knows and none it does not, IDs and names as
// written by hand here (PRODUCT.md: two of each, one policy attached to the
// first application), every page read by the SDK's auto-pager.
func TestDecodeAccessKinds(t *testing.T) {
	_, srv := newServer(t)
	c, ctx := sdk(srv, AdminToken), context.Background()
	acct := cloudflare.F(AccountID)

	t.Run("applications", func(t *testing.T) {
		got := map[string]string{}
		pager := c.ZeroTrust.Access.Applications.ListAutoPaging(ctx, zero_trust.AccessApplicationListParams{AccountID: acct, PerPage: cloudflare.F(int64(1))})
		for pager.Next() {
			a := pager.Current()
			got[a.Name] = a.ID
			if a.Type != zero_trust.ApplicationTypeSelfHosted || a.Domain != a.Name+".example.com" || len(a.AUD) != 64 {
				t.Errorf("%s: type %q, domain %q, aud %q", a.Name, a.Type, a.Domain, a.AUD)
			}
			if len(a.JSON.ExtraFields) != 0 {
				t.Errorf("%s: fields cloudflare-go does not know: %v", a.Name, a.JSON.ExtraFields)
			}
			self, ok := a.AsUnion().(zero_trust.AccessApplicationListResponseSelfHostedApplication)
			if !ok {
				t.Fatalf("%s decodes as %T, want a self-hosted application", a.Name, a.AsUnion())
			}
			var own []string
			for _, p := range self.Policies {
				own = append(own, p.ID+" "+p.Name+" "+string(p.Decision))
				if p.Precedence != 1 || p.CreatedAt.IsZero() || len(p.Include) != 1 || len(p.JSON.ExtraFields) != 0 {
					t.Errorf("%s policy %s: %+v", a.Name, p.ID, p)
				}
			}
			want := map[string][]string{"app-a": {"42e339f7-cab6-47ec-b664-0cba16fbd493 app-a-own allow"}, "app-b": nil}[a.Name]
			if !reflect.DeepEqual(own, want) {
				t.Errorf("%s's own policies: %v, want %v", a.Name, own, want)
			}
		}
		if err := pager.Err(); err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"app-a": "64949abf-2738-491b-bd96-c0e80945fb37", "app-b": "8b81a960-ea9b-431f-8132-17e207d51b8e"}; !reflect.DeepEqual(got, want) {
			t.Errorf("applications %v, want %v", got, want)
		}
		g, err := c.ZeroTrust.Access.Applications.Get(ctx, AccessAppB, zero_trust.AccessApplicationGetParams{AccountID: acct})
		if err != nil || g.Name != "app-b" || g.Domain != "app-b.example.com" || len(g.JSON.ExtraFields) != 0 {
			t.Fatalf("get app-b: %v %+v", err, g)
		}
	})

	t.Run("identity providers", func(t *testing.T) {
		l, err := c.ZeroTrust.IdentityProviders.List(ctx, zero_trust.IdentityProviderListParams{AccountID: acct})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range l.Result {
			got[p.ID] = p.Name + " " + string(p.Type)
			if len(p.JSON.ExtraFields) != 0 || p.Config == nil {
				t.Errorf("%s: config %v, unknown fields %v", p.Name, p.Config, p.JSON.ExtraFields)
			}
		}
		want := map[string]string{"0e4727e0-d449-4719-a649-691d630f17a6": "idp-a onetimepin", "5d4feca9-2f60-49a8-8a3e-d0ca47b30612": "idp-b github"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("identity providers %v, want %v", got, want)
		}
		g, err := c.ZeroTrust.IdentityProviders.Get(ctx, AccessIdentityProviderB, zero_trust.IdentityProviderGetParams{AccountID: acct})
		if err != nil || g.Name != "idp-b" || g.Type != zero_trust.IdentityProviderTypeGitHub || len(g.JSON.ExtraFields) != 0 {
			t.Fatalf("get idp-b: %v %+v", err, g)
		}
	})

	t.Run("policies", func(t *testing.T) {
		l, err := c.ZeroTrust.Access.Policies.List(ctx, zero_trust.AccessPolicyListParams{AccountID: acct})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range l.Result {
			got[p.ID] = p.Name
			if p.Decision != zero_trust.DecisionAllow || p.CreatedAt.IsZero() || len(p.Include) != 1 || len(p.JSON.ExtraFields) != 0 {
				t.Errorf("%s: %+v", p.Name, p)
			}
			// Reusable policies say so; the application's own one does not.
			if wantReusable := p.Name != "app-a-own"; bool(p.Reusable) != wantReusable {
				t.Errorf("%s: reusable %v", p.Name, p.Reusable)
			}
		}
		want := map[string]string{"5b94410f-0f2a-4163-a2eb-fd25adb9c250": "policy-a", "d8757b79-a1c4-4445-b941-4e31e076cfab": "policy-b",
			"42e339f7-cab6-47ec-b664-0cba16fbd493": "app-a-own"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("policies %v, want %v", got, want)
		}
		g, err := c.ZeroTrust.Access.Policies.Get(ctx, AccessPolicyAppA, zero_trust.AccessPolicyGetParams{AccountID: acct})
		if err != nil || g.Name != "app-a-own" || g.AppCount != 1 || bool(g.Reusable) || len(g.JSON.ExtraFields) != 0 {
			t.Fatalf("get app-a-own: %v %+v", err, g)
		}
	})

	t.Run("service tokens", func(t *testing.T) {
		l, err := c.ZeroTrust.Access.ServiceTokens.List(ctx, zero_trust.AccessServiceTokenListParams{AccountID: acct})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range l.Result {
			got[s.ID] = s.Name
			if s.ClientID == "" || s.Duration != "8760h" || !s.ExpiresAt.After(seedTime) || len(s.JSON.ExtraFields) != 0 {
				t.Errorf("%s: %+v", s.Name, s)
			}
		}
		want := map[string]string{"369a74bf-024a-47ca-99c8-c026aec17e78": "token-a", "055c1a9e-510b-430a-9ddf-84ccf834e5b9": "token-b"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("service tokens %v, want %v", got, want)
		}
		g, err := c.ZeroTrust.Access.ServiceTokens.Get(ctx, AccessServiceTokenA, zero_trust.AccessServiceTokenGetParams{AccountID: acct})
		if err != nil || g.Name != "token-a" || len(g.JSON.ExtraFields) != 0 {
			t.Fatalf("get token-a: %v %+v", err, g)
		}
	})

	t.Run("infrastructure targets", func(t *testing.T) {
		l, err := c.ZeroTrust.Access.Infrastructure.Targets.List(ctx, zero_trust.AccessInfrastructureTargetListParams{AccountID: acct})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, tg := range l.Result {
			got[tg.ID] = tg.Hostname + " " + tg.IP.IPV4.IPAddr
			if tg.IP.IPV4.VirtualNetworkID != DefaultVirtualNetworkID || tg.CreatedAt.IsZero() || tg.ModifiedAt.IsZero() || len(tg.JSON.ExtraFields) != 0 {
				t.Errorf("%s: %+v", tg.Hostname, tg)
			}
		}
		want := map[string]string{"2373ca74-7824-49f4-99ae-7d5929c0e886": "host-a 10.0.0.10", "6c04a100-ddfd-4961-a05e-e94d10c46a62": "host-b 10.1.0.10"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("targets %v, want %v", got, want)
		}
		if l.ResultInfo.PerPage != 1000 {
			t.Errorf("targets' default page size %d, want 1000", l.ResultInfo.PerPage)
		}
		g, err := c.ZeroTrust.Access.Infrastructure.Targets.Get(ctx, InfrastructureTargetB, zero_trust.AccessInfrastructureTargetGetParams{AccountID: acct})
		if err != nil || g.Hostname != "host-b" || g.IP.IPV4.IPAddr != "10.1.0.10" || len(g.JSON.ExtraFields) != 0 {
			t.Fatalf("get host-b: %v %+v", err, g)
		}
	})
}
