package protoserver

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A no-op plan asks every resource to plan with Terraform's proposed new
// state equal to the prior state. The framework then decodes the config,
// prior and proposed states, walks every attribute for defaults, write-only
// attributes and plan modifiers, runs ModifyPlan and encodes the answer, for
// an answer that is the prior state. For a ResourceWithUnchangedPlan whose
// PlansPriorState holds, the server answers with the prior state itself.

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.off.plan {
		return serve(ctx, req, s.frameworkServer.PlanResourceChange)
	}
	short, ok := s.planUnchanged(ctx, req)
	if !ok {
		return serve(ctx, req, s.frameworkServer.PlanResourceChange)
	}
	if s.verify {
		full, err := serve(ctx, req, s.frameworkServer.PlanResourceChange)
		if err != nil {
			return nil, err
		}
		if diff := samePlan(s.shortcuts.of(ctx, req.TypeName), short, full); diff != "" {
			return &tfprotov6.PlanResourceChangeResponse{Diagnostics: disagreement("Plan", req.TypeName, diff)}, nil
		}
	}
	return short, nil
}

// planUnchanged answers req with the prior state when Terraform proposes no
// change and the type's PlansPriorState holds; false when the framework
// must answer.
func (s *server) planUnchanged(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	t := s.shortcuts.of(ctx, req.TypeName)
	if t == nil || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil ||
		len(req.PriorState.MsgPack) == 0 || string(req.PriorState.MsgPack) != string(req.ProposedNewState.MsgPack) {
		return nil, false
	}
	data := s.configured()
	if data == nil {
		return nil, false
	}
	rc := newRequestContext(ctx)
	defer rc.end()
	prior, err := req.PriorState.Unmarshal(t.typ)
	if err != nil || prior.IsNull() {
		return nil, false
	}
	config, err := req.Config.Unmarshal(t.typ)
	if err != nil || config.IsNull() {
		return nil, false
	}
	r, ok := t.configured(rc, data)
	if !ok {
		return nil, false
	}
	if u, ok := r.(ResourceWithUnchangedPlan); !ok || !u.PlansPriorState(rc, config, prior) {
		return nil, false
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState:    req.ProposedNewState,
		PlannedPrivate:  req.PriorPrivate,
		PlannedIdentity: req.PriorIdentity,
	}, true
}

// samePlan reports how the shortcut's answer differs from the framework's
// ("" when it does not).
func samePlan(t *shortcutType, short, full *tfprotov6.PlanResourceChangeResponse) string {
	if len(full.Diagnostics) > 0 {
		return fmt.Sprintf("the framework's plan has %d diagnostics (first: %q)", len(full.Diagnostics), full.Diagnostics[0].Summary)
	}
	if len(full.RequiresReplace) > 0 {
		return "the framework's plan requires replacement"
	}
	if full.Deferred != nil {
		return "the framework's plan is deferred"
	}
	if d := sameValue(t.typ, "planned states", short.PlannedState, full.PlannedState); d != "" {
		return d
	}
	if string(short.PlannedPrivate) != string(full.PlannedPrivate) && (!emptyPrivate(short.PlannedPrivate) || !emptyPrivate(full.PlannedPrivate)) {
		return fmt.Sprintf("private states differ: %q, %q", short.PlannedPrivate, full.PlannedPrivate)
	}
	return sameIdentity(t, "planned identities", short.PlannedIdentity, full.PlannedIdentity)
}

// emptyPrivate: the framework answers an empty private state as nil or as
// an empty JSON object.
func emptyPrivate(b []byte) bool { return len(b) == 0 || string(b) == "{}" }
