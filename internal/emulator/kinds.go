package emulator

import (
	"slices"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// The emulator's side of the catalog's table of resource kinds
// (catalog.Kinds): where each kind's objects are kept, and the per-object
// authorization every kind's routes share. Which roles give access to which
// kind, which token permission groups read it and its resource key form are
// the table's; nothing here names a kind but the storage of Tunnels and Mesh
// nodes, which predates the Access kinds' common storage (AccessObject).

// kindObject is one object of a resource kind, as authorization sees it.
type kindObject struct {
	ID, AccountID string
	// Parent is the application an Access policy is attached to directly
	// (AccessObject.AppID): whoever reads the application reads its own
	// policies (Cloudflare's changelog of 2026-08-19). "" for none.
	Parent string
}

// kindObjects lists the objects of a resource kind, soft-deleted ones included.
func (e *Emulator) kindObjects(kind catalog.Scope) []kindObject {
	var tunnels []*Tunnel
	switch kind {
	case catalog.ScopeTunnel:
		tunnels = e.tunnels
	case catalog.ScopeMeshNode:
		tunnels = e.meshNodes
	default:
		var out []kindObject
		for _, o := range e.accessObjects {
			if o.Kind == kind {
				out = append(out, kindObject{ID: o.ID, AccountID: o.AccountID, Parent: o.AppID})
			}
		}
		return out
	}
	out := make([]kindObject, 0, len(tunnels))
	for _, t := range tunnels {
		out = append(out, kindObject{ID: t.ID, AccountID: t.AccountID})
	}
	return out
}

// findKindObject finds an object of the kind in the account.
func (e *Emulator) findKindObject(kind catalog.Scope, accountID, id string) (kindObject, bool) {
	for _, o := range e.kindObjects(kind) {
		if o.AccountID == accountID && strings.EqualFold(o.ID, id) {
			return o, true
		}
	}
	return kindObject{}, false
}

// resourceKindOf is the resource kind an operation acts on, whose access a
// member has per object (catalog.EffectiveResourceAccess): the kind whose
// Plural names the operation ("tunnels.read", "access_applications.read"),
// and Tunnels for Tunnel routes, which are authorized per Tunnel; "" for
// other operations.
func resourceKindOf(op catalog.Operation) catalog.Scope {
	if op == catalog.OpRoutesRead || op == catalog.OpRoutesWrite {
		return catalog.ScopeTunnel
	}
	object, _, _ := strings.Cut(string(op), ".")
	if k, ok := catalog.KindByPlural(object); ok {
		return k.Scope
	}
	return ""
}

// kindAccess returns whether the principal may read / edit a given object of
// the kind in the call's account. Members follow
// catalog.EffectiveResourceAccess over the account's objects of the kind
// (account roles of the kind's Coverage, or the kind's roles bound to the
// object), and read or edit an object attached to a parent (an
// application's own Access policy) as they do its parent. The admin and API
// tokens have account-wide access by the kind's operations or none
// (allowsAccount): its read operation, and its write operation where the
// API writes the kind.
func (e *Emulator) kindAccess(c *call, kind catalog.Scope) (canRead, canWrite func(id string) bool) {
	p, acct := c.p, c.param("account_id")
	k, _ := catalog.KindOf(kind)
	if p.kind != pMember {
		writeOp := catalog.Operation(k.Plural + ".write")
		r := e.allowsAccount(p, k.ReadOperation(), acct)
		w := slices.Contains(catalog.Operations(), writeOp) && e.allowsAccount(p, writeOp, acct)
		return func(string) bool { return r }, func(string) bool { return w }
	}
	grants := e.memberGrants(p.member)
	// levels: each object's access (-1 where a deny bound to it takes it
	// away, which a parent's grant does not give back) and its parent.
	levels := func(kind catalog.Scope) (map[string]catalog.Access, map[string]string) {
		var ids []string
		parents := map[string]string{}
		if e.inAccount(p, acct) {
			for _, o := range e.kindObjects(kind) {
				if o.AccountID == acct {
					ids = append(ids, o.ID)
					parents[strings.ToLower(o.ID)] = o.Parent
				}
			}
		}
		out := map[string]catalog.Access{}
		for id, v := range catalog.EffectiveResourceAccess(grants, ids, kind) {
			out[strings.ToLower(id)] = v.Access
			if len(v.Denied) > 0 {
				out[strings.ToLower(id)] = -1
			}
		}
		return out, parents
	}
	own, parents := levels(kind)
	var parentLevel map[string]catalog.Access
	if parent := parentKind(kind); parent != "" {
		parentLevel, _ = levels(parent)
	}
	level := func(id string) catalog.Access {
		id = strings.ToLower(id)
		a := own[id]
		if a < 0 {
			return catalog.AccessNone
		}
		if par := parents[id]; par != "" {
			a = max(a, parentLevel[strings.ToLower(par)])
		}
		return a
	}
	return func(id string) bool { return level(id) >= catalog.AccessRead },
		func(id string) bool { return level(id) >= catalog.AccessEdit }
}

// parentKind is the kind of the objects a kind's objects may be attached to:
// an Access policy to an Access application (the application's own
// policies, which Cloudflare Access App Admin on the application manages).
func parentKind(kind catalog.Scope) catalog.Scope {
	k, _ := catalog.KindOf(kind)
	return k.AttachedTo
}

// checkKindObject: may a resource group name this object of kind k? It
// exists in the account ("*" names every object of the kind) and is not
// attached to a parent: the "Role scopes" page scopes one reusable Access
// policy, and an application's own policies are managed through the
// application (Cloudflare Access App Admin on it).
func (e *Emulator) checkKindObject(k catalog.ResourceKind, accountID, id string) error {
	if id == "*" {
		return nil
	}
	o, ok := e.findKindObject(k.Scope, accountID, id)
	if !ok {
		return errValidation("scope.objects: %s %s not found in this account", k.Noun, id)
	}
	if o.Parent != "" {
		return errValidation("scope.objects: %s %s belongs to application %s and is not reusable: name the application instead", k.Noun, id, o.Parent)
	}
	return nil
}

// objectKinds names what a resource group may hold, for an error: "the
// account, zones, Tunnels, Mesh nodes, ...".
func objectKinds() string {
	names := []string{"the account", "zones"}
	for _, k := range catalog.Kinds() {
		names = append(names, k.Nouns)
	}
	return strings.Join(names, ", ")
}
