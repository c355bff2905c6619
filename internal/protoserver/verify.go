package protoserver

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// disagreement is the only diagnostic of an answer whose shortcut and the
// framework differ (Verify): alone, so that a test expecting the framework's
// own error does not pass on it. The diff's spaces become underscores, so
// that no test's pattern matches the framework's message quoted in it.
func disagreement(call, typeName, diff string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError,
		Summary: call + " shortcut disagrees with the framework", Detail: typeName + ": " + strings.ReplaceAll(diff, " ", "_")}}
}

// sameValue reports how two encoded values of type typ differ ("" when they
// do not); what names them in the report.
func sameValue(typ tftypes.Type, what string, a, b *tfprotov6.DynamicValue) string {
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("%s differ: one is missing (shortcut %v, framework %v)", what, a != nil, b != nil)
	}
	if a == nil {
		return ""
	}
	va, err1 := a.Unmarshal(typ)
	vb, err2 := b.Unmarshal(typ)
	if err1 != nil || err2 != nil || !va.Equal(vb) {
		return fmt.Sprintf("%s differ:\n shortcut  %v\n framework %v", what, va, vb)
	}
	return ""
}

// sameIdentity is sameValue for identities: a missing identity and a null
// one are the same answer.
func sameIdentity(t *shortcutType, what string, a, b *tfprotov6.ResourceIdentityData) string {
	null := func(x *tfprotov6.ResourceIdentityData) bool {
		if x == nil || x.IdentityData == nil {
			return true
		}
		if t.identityTyp == nil {
			return false
		}
		v, err := x.IdentityData.Unmarshal(t.identityTyp)
		return err == nil && v.IsNull()
	}
	if null(a) && null(b) {
		return ""
	}
	if null(a) != null(b) {
		return fmt.Sprintf("%s differ: shortcut null %v, framework null %v", what, null(a), null(b))
	}
	return sameValue(t.identityTyp, what, a.IdentityData, b.IdentityData)
}
