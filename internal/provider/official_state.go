package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// State moves from the official provider (cloudflare/cloudflare v5): what
// its state looks like, which of its versions cfiam takes, and the one path
// every move goes through (moveByRead). A move reads the account as import
// does and never writes to it.

// officialProviders are the addresses the official provider's state names:
// Terraform's registry and OpenTofu's.
var officialProviders = []string{"registry.terraform.io/cloudflare/cloudflare", "registry.opentofu.org/cloudflare/cloudflare"}

// officialSource is one official type a cfiam type takes state from, and
// the schema versions of v5 that cfiam reads. Version 0 is both v4's and
// v5.0-v5.15's (as the official provider's own upgraders say): v4 is told
// apart by its attributes (v4Attributes).
type officialSource struct {
	typeName     string
	versions     []int64
	v4Attributes []string
}

var (
	officialAccountMember    = officialSource{"cloudflare_account_member", []int64{0, 1, 500}, []string{"email_address", "role_ids"}}
	officialUserGroup        = officialSource{"cloudflare_user_group", []int64{0, 1, 500}, nil}
	officialUserGroupMembers = officialSource{"cloudflare_user_group_members", []int64{0, 1, 500}, nil}
	officialAPIToken         = officialSource{"cloudflare_api_token", []int64{0, 1, 500, 501}, []string{"policy"}}
	officialAccountToken     = officialSource{"cloudflare_account_token", []int64{0, 1, 500, 501}, []string{"policy"}}
)

// OfficialTypes maps each official type cfiam takes state from to its cfiam type.
var OfficialTypes = map[string]string{
	officialAccountMember.typeName:    "cfiam_account_member",
	officialUserGroup.typeName:        "cfiam_user_group",
	officialUserGroupMembers.typeName: "cfiam_user_group_members",
	officialAPIToken.typeName:         "cfiam_api_token",
	officialAccountToken.typeName:     "cfiam_account_token",
}

func (s officialSource) versionList() string {
	out := make([]string, len(s.versions))
	for i, v := range s.versions {
		out[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(out, ", ")
}

// supported says what a cfiam type takes, for error messages.
func (s officialSource) supported(target string) string {
	return fmt.Sprintf("%s takes state from %s of the official provider cloudflare/cloudflare v5 (schema versions %s) only",
		target, s.typeName, s.versionList())
}

// checkSource says why cfiam does not take this state, or "" when it does.
// raw is the state's JSON, for telling v4's version 0 from v5's.
func (s officialSource) checkSource(target, providerAddress, typeName string, version int64, raw []byte) string {
	if !slices.ContainsFunc(officialProviders, func(p string) bool { return strings.EqualFold(p, providerAddress) }) {
		return fmt.Sprintf("The source is %s of provider %s. %s.", typeName, providerAddress, s.supported(target))
	}
	if typeName != s.typeName {
		return fmt.Sprintf("The source is %s. %s; move %s into %s instead, if cfiam has it.", typeName, s.supported(target), typeName,
			orNone(OfficialTypes[typeName]))
	}
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &attrs); err != nil {
		return fmt.Sprintf("The state of %s is not a JSON object (%v).", typeName, err)
	}
	for _, a := range s.v4Attributes {
		if _, ok := attrs[a]; ok {
			return fmt.Sprintf("The state of %s is the official provider v4's (schema version %d, attribute %s). %s: "+
				"upgrade it first with cloudflare/cloudflare v5 (terraform apply with version = \"~> 5.0\" rewrites the state), then move it.",
				typeName, version, a, s.supported(target))
		}
	}
	if !slices.Contains(s.versions, version) {
		return fmt.Sprintf("The state of %s is at schema version %d. %s: apply once with cloudflare/cloudflare v5 to bring the state to one of them, then move it.",
			typeName, version, s.supported(target))
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "(none: cfiam has no such type)"
	}
	return s
}

// officialMoveError is the summary of every move cfiam refuses.
const officialMoveError = "Cannot move state into cfiam"

// accepts checks req against s; false (with an error in resp) when cfiam
// does not take it. The error names what is supported, and the state stays
// as it was.
func (s officialSource) accepts(target string, req resource.MoveStateRequest, resp *resource.MoveStateResponse) ([]byte, bool) {
	var raw []byte
	if req.SourceRawState != nil {
		raw = req.SourceRawState.JSON
	}
	if raw == nil {
		resp.Diagnostics.AddError(officialMoveError, fmt.Sprintf("Terraform sent no state for %s to move into %s.", req.SourceTypeName, target))
		return nil, false
	}
	if why := s.checkSource(target, req.SourceProviderAddress, req.SourceTypeName, req.SourceSchemaVersion, raw); why != "" {
		resp.Diagnostics.AddError(officialMoveError, why)
		return nil, false
	}
	return raw, true
}

// officialPolicy is a member's or user group's policy in the official state.
type officialPolicy struct {
	Access           string       `json:"access"`
	PermissionGroups []officialID `json:"permission_groups"`
	ResourceGroups   []officialID `json:"resource_groups"`
}

type officialID struct {
	ID string `json:"id"`
}

// officialMember is cloudflare_account_member's state (v5).
type officialMember struct {
	ID        string           `json:"id"`
	AccountID string           `json:"account_id"`
	Email     string           `json:"email"`
	Status    string           `json:"status"`
	Roles     []string         `json:"roles"`
	Policies  []officialPolicy `json:"policies"`
}

// officialUserGroupState is cloudflare_user_group's state (v5).
type officialUserGroupState struct {
	ID        string           `json:"id"`
	AccountID string           `json:"account_id"`
	Name      string           `json:"name"`
	Policies  []officialPolicy `json:"policies"`
}

// officialGroupMembers is cloudflare_user_group_members' state (v5).
type officialGroupMembers struct {
	ID          string       `json:"id"`
	AccountID   string       `json:"account_id"`
	UserGroupID string       `json:"user_group_id"`
	Members     []officialID `json:"members"`
}

// officialToken is cloudflare_api_token's and cloudflare_account_token's
// state (v5). A policy's resources is a JSON string from v5.9 on (and a map
// before).
type officialToken struct {
	ID        string                `json:"id"`
	AccountID string                `json:"account_id"`
	Name      string                `json:"name"`
	Value     string                `json:"value"`
	Status    string                `json:"status"`
	NotBefore *string               `json:"not_before"`
	ExpiresOn *string               `json:"expires_on"`
	Policies  []officialTokenPolicy `json:"policies"`
	Condition *struct {
		RequestIP *struct {
			In    []string `json:"in"`
			NotIn []string `json:"not_in"`
		} `json:"request_ip"`
	} `json:"condition"`
}

type officialTokenPolicy struct {
	Effect           string          `json:"effect"`
	PermissionGroups []officialID    `json:"permission_groups"`
	Resources        json.RawMessage `json:"resources"`
}

// resources decodes a policy's resources, in either form.
func (p officialTokenPolicy) resources() (map[string]any, error) {
	raw := p.Resources
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		raw = []byte(s)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("resources is not a JSON object: %w", err)
	}
	return out, nil
}

// decodeOfficial reads the official state's JSON into dst; the error names
// the type.
func decodeOfficial(typeName string, raw []byte, dst any) error {
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("the state of %s does not read as the official provider v5's: %w", typeName, err)
	}
	return nil
}

// officialMoveKey is the private state key a move leaves for the read that
// follows it: see readMovedFromOfficial.
const officialMoveKey = "cfiam_official_move"

// officialMoveMarker is what the first read after a move checks.
type officialMoveMarker struct {
	Source    string           `json:"source"`
	Target    string           `json:"target"`
	Describe  string           `json:"describe"`
	AccountID string           `json:"account_id"`
	ID        string           `json:"id,omitempty"` // the member's or user group's, whose policies the check reads
	Policies  []officialPolicy `json:"policies,omitempty"`
}

// moveState makes the moved state the way import does: the identifying
// attributes set (and those the API never returns again, such as a token's
// value), the rest left for the resource's Read. Terraform moves state
// before it configures the provider, so a move cannot read the account: the
// refresh of the same plan reads it (one paged list for many members), and
// readMovedFromOfficial checks there what the move could not (see
// officialMoveMarker). Nothing is written to the account.
func moveState(ctx context.Context, ids identityFields, set map[string]attr.Value, marker officialMoveMarker, resp *resource.MoveStateResponse) {
	state := tfsdk.State{Schema: resp.TargetState.Schema, Raw: resp.TargetState.Raw}
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if resp.Diagnostics.Append(state.SetAttribute(ctx, path.Root(name), set[name])...); resp.Diagnostics.HasError() {
			return
		}
	}
	b, err := json.Marshal(marker)
	if err != nil {
		resp.Diagnostics.AddError(officialMoveError, err.Error())
		return
	}
	if resp.Diagnostics.Append(resp.TargetPrivate.SetKey(ctx, officialMoveKey, b)...); resp.Diagnostics.HasError() {
		return
	}
	resp.TargetState = state
	ids.setIdentity(ctx, state, resp.TargetIdentity, &resp.Diagnostics)
}
