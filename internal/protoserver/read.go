package protoserver

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A refresh costs the framework twice what the resource's own Read costs:
// decoding the state, semantic equality, nulling write-only attributes,
// encoding it again. For the types of the registry, whose schemas have no
// custom types and no write-only attributes (Unsupported), the server runs
// the resource's Read itself, as the framework does (configured, on a copy
// of the state, with a null identity when the state has none), and answers
// with the request's own state when Read leaves it as it was, or with Read's
// state when it does not: one read either way.

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if s.off.read {
		return serve(ctx, req, s.frameworkServer.ReadResource)
	}
	short, ok := s.read(ctx, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.ReadResource)
	}
	if s.verify && s.verifyReads {
		full, err := serve(ctx, req, s.frameworkServer.ReadResource)
		if err != nil {
			return nil, err
		}
		if diff := sameRead(s.shortcuts.of(ctx, req.TypeName), short, full); diff != "" {
			return &tfprotov6.ReadResourceResponse{Diagnostics: disagreement("Read", req.TypeName, diff)}, nil
		}
	}
	return short, nil
}

// read answers req as the framework would; false when the framework must:
// a type outside the registry, private state (an import's mark, a move's),
// Read's diagnostics, a deferral, or a value that does not decode.
func (s *server) read(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, bool) {
	t := s.shortcuts.of(ctx, req.TypeName)
	if t == nil || req.CurrentState == nil || len(req.CurrentState.MsgPack) == 0 || !emptyPrivate(req.Private) {
		return nil, false
	}
	rc := newRequestContext(ctx)
	defer rc.end()
	current, err := req.CurrentState.Unmarshal(t.typ)
	if err != nil || current.IsNull() {
		return nil, false
	}
	var identity tftypes.Value
	if t.identity != nil {
		identity = tftypes.NewValue(t.identityTyp, nil) // as the framework fills a missing identity in
		if req.CurrentIdentity != nil && req.CurrentIdentity.IdentityData != nil {
			if identity, err = req.CurrentIdentity.IdentityData.Unmarshal(t.identityTyp); err != nil {
				return nil, false
			}
		}
	}
	r, ok := t.configured(rc, s.configured())
	if !ok {
		return nil, false
	}
	readReq := resource.ReadRequest{State: tfsdk.State{Schema: t.schema, Raw: current.Copy()}}
	readResp := resource.ReadResponse{State: tfsdk.State{Schema: t.schema, Raw: current.Copy()}}
	if t.identity != nil {
		readReq.Identity = &tfsdk.ResourceIdentity{Schema: t.identity, Raw: identity.Copy()}
		readResp.Identity = &tfsdk.ResourceIdentity{Schema: t.identity, Raw: identity.Copy()}
	}
	r.Read(rc, readReq, &readResp)
	if len(readResp.Diagnostics) > 0 || readResp.Deferred != nil {
		return nil, false
	}
	resp := &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, NewIdentity: req.CurrentIdentity}
	if !equalValues(readResp.State.Raw, current) {
		v, err := tfprotov6.NewDynamicValue(t.typ, readResp.State.Raw)
		if err != nil {
			return nil, false
		}
		resp.NewState = &v
	}
	if t.identity != nil {
		got := readResp.Identity.Raw
		// The framework's checks: an identity once stored never changes, and
		// a read leaves one. Either failing is the framework's error to give.
		if got.IsFullyNull() || (!identity.IsFullyNull() && !identity.Equal(got)) {
			return nil, false
		}
		if !got.Equal(identity) || req.CurrentIdentity == nil {
			v, err := tfprotov6.NewDynamicValue(t.identityTyp, got)
			if err != nil {
				return nil, false
			}
			resp.NewIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &v}
		}
	}
	return resp, true
}

// sameRead reports how the shortcut's read differs from the framework's
// ("" when it does not).
func sameRead(t *shortcutType, short, full *tfprotov6.ReadResourceResponse) string {
	if len(full.Diagnostics) > 0 {
		return fmt.Sprintf("the framework's read has %d diagnostics (first: %q)", len(full.Diagnostics), full.Diagnostics[0].Summary)
	}
	if full.Deferred != nil {
		return "the framework's read is deferred"
	}
	if d := sameValue(t.typ, "new states", short.NewState, full.NewState); d != "" {
		return d
	}
	if string(short.Private) != string(full.Private) && (!emptyPrivate(short.Private) || !emptyPrivate(full.Private)) {
		return fmt.Sprintf("private states differ: %q, %q", short.Private, full.Private)
	}
	return sameIdentity(t, "new identities", short.NewIdentity, full.NewIdentity)
}
