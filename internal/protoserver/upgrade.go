package protoserver

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Terraform upgrades every resource's state before its plan, most often a
// state already at the schema's version. For the types of the registry the
// server does what the framework does with one (the JSON state decoded with
// the schema's type, attributes the schema no longer has dropped) without
// its walk for null blocks, which these schemas have none of (Unsupported),
// and turns the JSON into MessagePack directly (jsonStateToMsgPack): tftypes'
// JSON decoder parses each nested value again at every level.

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if s.off.upgrade {
		return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
	}
	short, ok := s.upgradeCurrent(ctx, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
	}
	if s.verify {
		full, err := serve(ctx, req, s.frameworkServer.UpgradeResourceState)
		if err != nil {
			return nil, err
		}
		if diff := sameUpgrade(s.shortcuts.of(ctx, req.TypeName), short, full); diff != "" {
			return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: disagreement("State upgrade", req.TypeName, diff)}, nil
		}
	}
	return short, nil
}

// upgradeCurrent answers an upgrade of a state at the schema's version;
// false when the framework must.
func (s *server) upgradeCurrent(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool) {
	t := s.shortcuts.of(ctx, req.TypeName)
	if t == nil || req.RawState == nil || len(req.RawState.JSON) == 0 || req.Version != t.schema.GetVersion() {
		return nil, false
	}
	state, ok := jsonStateToMsgPack(req.RawState.JSON, t.typ)
	if !ok {
		return nil, false // the framework decodes it, or reports why not
	}
	dv := tfprotov6.DynamicValue{MsgPack: state}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, true
}

// sameUpgrade reports how the shortcut's upgrade differs from the
// framework's ("" when it does not).
func sameUpgrade(t *shortcutType, short, full *tfprotov6.UpgradeResourceStateResponse) string {
	if len(full.Diagnostics) > 0 {
		return fmt.Sprintf("the framework's upgrade has %d diagnostics (first: %q)", len(full.Diagnostics), full.Diagnostics[0].Summary)
	}
	return sameValue(t.typ, "upgraded states", short.UpgradedState, full.UpgradedState)
}
