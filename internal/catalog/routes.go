package catalog

import "strings"

// OperationOf returns the operation a request to Cloudflare's API performs,
// from its method and path: the path relative to /client/v4 (a route
// pattern such as /accounts/{account_id}/members works too), or a whole
// path holding /client/v4/. It is the one mapping of routes to operations:
// the emulator authorizes each route with it, and the provider names, in a
// refused request's error, the permission groups the operation needs. A GET
// reads; any other method writes. ok is false for a route no operation
// guards (a token verifying itself) or one the project does not know.
func OperationOf(method, path string) (op Operation, ok bool) {
	if i := strings.Index(path, "/client/v4/"); i >= 0 {
		path = path[i+len("/client/v4"):]
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	object := routeObject(segs)
	if object == "" {
		return "", false
	}
	op = Operation(object + ".write")
	if strings.EqualFold(method, "GET") {
		op = Operation(object + ".read")
	}
	// Roles, IAM permission groups and most resource kinds are read-only here.
	if !isOperation(op) {
		return "", false
	}
	return op, true
}

// routeObject names the object of a path's segments, as the operations do
// ("members", "tokens", ...), or "" for none.
func routeObject(segs []string) string {
	at := func(i int) string {
		if i < len(segs) {
			return segs[i]
		}
		return ""
	}
	switch at(0) {
	case "zones":
		return "zones"
	case "user":
		switch {
		case len(segs) == 1:
			return "user"
		case at(1) != "tokens" || at(2) == "verify":
			return ""
		}
		return "tokens"
	case "accounts":
		if len(segs) <= 2 {
			return "account"
		}
	default:
		return ""
	}
	for _, k := range kinds {
		if path := strings.Join(segs[2:], "/") + "/"; strings.HasPrefix(path, k.Path+"/") {
			return k.Plural
		}
	}
	switch at(2) {
	case "members":
		return "members"
	case "roles":
		return "roles"
	case "iam":
		switch at(3) {
		case "permission_groups":
			return "iam"
		case "resource_groups":
			return "resource_groups"
		case "user_groups":
			// User groups are account membership: Account Settings, as members.
			return "members"
		}
	case "tokens":
		if at(3) == "verify" {
			return ""
		}
		return "account_tokens"
	case "teamnet":
		if at(3) == "routes" {
			return "routes"
		}
	}
	return ""
}

func isOperation(op Operation) bool {
	for _, o := range operations {
		if o == op {
			return true
		}
	}
	return false
}

// operationObjects names each operation's object for messages.
var operationObjects = map[string]string{ //nolint:gosec // G101: names of API objects, not credentials
	"account":         "the account",
	"members":         "account members and user groups",
	"roles":           "roles",
	"iam":             "permission groups",
	"resource_groups": "resource groups",
	"account_tokens":  "account-owned API tokens",
	"zones":           "zones",
	"routes":          "Tunnel routes",
	"user":            "the user's details",
	"tokens":          "the user's API tokens",
}

// Describe says what the operation does, such as "writing account members
// and user groups".
func (o Operation) Describe() string {
	object, verb, _ := strings.Cut(string(o), ".")
	if verb == "write" {
		verb = "writing"
	} else {
		verb = "reading"
	}
	if words, ok := operationObjects[object]; ok {
		object = words
	} else if k, ok := KindByPlural(object); ok {
		object = k.Nouns
	}
	return verb + " " + object
}

// NeededPermissionGroups says which API token permission groups allow op,
// for a message: `"Account Settings Edit"`, or `"Account Settings Read" or
// "Account Settings Edit"`, with the level they are granted at.
func NeededPermissionGroups(op Operation) string {
	scope, names := PermissionGroupsFor(op)
	if len(names) == 0 {
		return ""
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = `"` + n + `"`
	}
	level := map[Scope]string{ScopeAccount: "on the account", ScopeZone: "on the zone (or all zones of the account)", ScopeUser: "on the user"}[scope]
	return strings.Join(quoted, " or ") + " " + level
}
