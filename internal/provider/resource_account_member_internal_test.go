package provider

import (
	"reflect"
	"testing"
)

// Read leaves the prior state in place when accountMemberModel.equal says
// nothing changed: equal must compare every attribute of the model.
func TestAccountMemberModelEqualComparesEveryField(t *testing.T) {
	if n := reflect.TypeFor[accountMemberModel]().NumField(); n != 8 {
		t.Fatalf("accountMemberModel has %d fields; equal compares 8: compare the new ones too, then update this count", n)
	}
}
