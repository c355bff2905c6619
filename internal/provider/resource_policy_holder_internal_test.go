package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A holder's Read leaves the prior state in place when sameModel says
// nothing changed: sameModel must see a change in any one attribute of
// either holder's model, whatever its type.
func TestSameModelSeesEveryField(t *testing.T) {
	t.Run("cfiam_account_member", func(t *testing.T) { sameModelSeesEveryField(t, importedMember("a")) })
	t.Run("cfiam_user_group", func(t *testing.T) {
		sameModelSeesEveryField(t, userGroupModel{Policies: types.SetNull(policyObjectType), ResolvedPolicies: types.ListNull(resolvedPolicyObjectType)})
	})
}

func sameModelSeesEveryField[M any](t *testing.T, base M) {
	t.Helper()
	if !sameModel(base, base) {
		t.Fatalf("sameModel(m, m) = false for %+v", base)
	}
	typ := reflect.TypeFor[M]()
	for i := range typ.NumField() {
		changed := base
		f := reflect.ValueOf(&changed).Elem().Field(i)
		// Each field's other value: a known one where base's is null, the
		// unknown value of its type otherwise.
		var other any
		switch f.Interface().(type) {
		case types.String:
			other = types.StringValue("x")
		case types.Bool:
			other = types.BoolValue(true)
		case types.Set:
			other = types.SetUnknown(policyObjectType)
		case types.List:
			other = types.ListUnknown(resolvedPolicyObjectType)
		case types.Object:
			other = types.ObjectUnknown(userAttrTypes)
		default:
			t.Fatalf("field %s has type %s: give it another value here", typ.Field(i).Name, f.Type())
		}
		f.Set(reflect.ValueOf(other))
		if sameModel(base, changed) || sameModel(changed, base) {
			t.Errorf("sameModel does not see a change of %s", typ.Field(i).Name)
		}
	}
}
