package iampolicy

import "strings"

// IsProviderGroup reports whether a resource group is one that writers of
// policies make and clean up themselves, not one a user names: a member's
// or user group's group for one object (named by the object's resource
// key), a binding's (named with its family's prefix), or the account-wide
// group. Listing the account's resource groups for cfiam_resource_group
// skips these: importing one would make two owners of it.
func IsProviderGroup(name string, objectKeys []string) bool {
	for _, f := range additiveFamilies {
		if strings.HasPrefix(name, f.prefix) {
			return true
		}
	}
	_, _, ok := classifyGroup(name, objectKeys)
	return ok
}
