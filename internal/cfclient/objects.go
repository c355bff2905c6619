package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// Object is one object of a resource kind (a Tunnel, an Access application,
// ...) as its listing returns it: what effective access and the data
// sources name it by.
type Object struct {
	ID   string
	Name string // an infrastructure target's hostname
	// Parent is the object this one is attached to (an application's own
	// Access policy: the application's ID), catalog.ResourceKind.AttachedTo.
	Parent string
}

// objectsPerPage is a page of the Access listings.
const objectsPerPage = 100

// notDeleted lists Tunnels and Mesh nodes that are not deleted.
var notDeleted = false

// objectListers lists the objects of each resource kind, every page, through
// cloudflare-go's typed calls: one entry per row of catalog's kinds table.
var objectListers = map[catalog.Scope]func(c *Client, ctx context.Context, accountID string) ([]Object, error){
	catalog.ScopeTunnel: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		return tunnelObjects(c.ListTunnels(ctx, accountID, TunnelFilter{IsDeleted: &notDeleted}))
	},
	catalog.ScopeMeshNode: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		return tunnelObjects(c.ListMeshNodes(ctx, accountID, TunnelFilter{IsDeleted: &notDeleted}))
	},
	catalog.ScopeAccessApplication: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		apps, _, err := c.accessApplications(ctx, accountID)
		return apps, err
	},
	catalog.ScopeAccessIdentityProvider: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		return collect(listing(catalog.ScopeAccessIdentityProvider, accountID),
			func(p zero_trust.IdentityProviderListResponse) Object { return Object{ID: p.ID, Name: p.Name} })(
			c.sdk.ZeroTrust.IdentityProviders.List(ctx, zero_trust.IdentityProviderListParams{
				AccountID: cloudflare.F(accountID), PerPage: cloudflare.F(int64(objectsPerPage))}))
	},
	catalog.ScopeAccessPolicy: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		policies, err := c.accessPolicies(ctx, accountID)
		if err != nil || len(policies) == 0 {
			return policies, err
		}
		_, parents, err := c.accessApplications(ctx, accountID)
		if err != nil {
			return nil, err
		}
		setParents(policies, parents)
		return policies, nil
	},
	catalog.ScopeAccessServiceToken: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		return collect(listing(catalog.ScopeAccessServiceToken, accountID),
			func(t zero_trust.ServiceToken) Object { return Object{ID: t.ID, Name: t.Name} })(
			c.sdk.ZeroTrust.Access.ServiceTokens.List(ctx, zero_trust.AccessServiceTokenListParams{
				AccountID: cloudflare.F(accountID), PerPage: cloudflare.F(int64(objectsPerPage))}))
	},
	catalog.ScopeInfrastructureTarget: func(c *Client, ctx context.Context, accountID string) ([]Object, error) {
		return collect(listing(catalog.ScopeInfrastructureTarget, accountID),
			func(t zero_trust.AccessInfrastructureTargetListResponse) Object {
				return Object{ID: t.ID, Name: t.Hostname}
			})(
			c.sdk.ZeroTrust.Access.Infrastructure.Targets.List(ctx, zero_trust.AccessInfrastructureTargetListParams{
				AccountID: cloudflare.F(accountID), PerPage: cloudflare.F(int64(objectsPerPage))}))
	},
}

func (c *Client) accessPolicies(ctx context.Context, accountID string) ([]Object, error) {
	return collect(listing(catalog.ScopeAccessPolicy, accountID),
		func(p zero_trust.AccessPolicyListResponse) Object { return Object{ID: p.ID, Name: p.Name} })(
		c.sdk.ZeroTrust.Access.Policies.List(ctx, zero_trust.AccessPolicyListParams{
			AccountID: cloudflare.F(accountID), PerPage: cloudflare.F(int64(objectsPerPage))}))
}

// accessApplications lists the applications and, from the same listing,
// which Access policies are an application's own (lowercase policy ID →
// application ID): the listing names each application's policies.
func (c *Client) accessApplications(ctx context.Context, accountID string) ([]Object, map[string]string, error) {
	var apps []Object
	parents := map[string]string{}
	page, err := c.sdk.ZeroTrust.Access.Applications.List(ctx, zero_trust.AccessApplicationListParams{
		AccountID: cloudflare.F(accountID), PerPage: cloudflare.F(int64(objectsPerPage))})
	err = eachPage(page, err, func(app zero_trust.AccessApplicationListResponse) {
		apps = append(apps, Object{ID: app.ID, Name: app.Name})
		var own []struct {
			ID       string `json:"id"`
			Reusable bool   `json:"reusable"`
		}
		if raw := app.JSON.Policies.Raw(); raw != "" && json.Unmarshal([]byte(raw), &own) == nil {
			for _, p := range own {
				if !p.Reusable {
					parents[strings.ToLower(p.ID)] = app.ID
				}
			}
		}
	})
	if err != nil {
		return nil, nil, wrapError(err, "%s", listing(catalog.ScopeAccessApplication, accountID))
	}
	return apps, parents, nil
}

func setParents(policies []Object, parents map[string]string) {
	for i := range policies {
		policies[i].Parent = parents[strings.ToLower(policies[i].ID)]
	}
}

// ListObjectsOf is ListObjects for several kinds, each listed once: with
// both Access applications and policies, the applications' one listing
// also says which policies are an application's own. step is called with
// each kind's nouns before it is read.
func (c *Client) ListObjectsOf(ctx context.Context, accountID string, kinds []catalog.Scope, step func(string)) (map[catalog.Scope][]Object, error) {
	out := map[catalog.Scope][]Object{}
	var parents map[string]string
	apps := func() error {
		if parents != nil {
			return nil
		}
		var err error
		out[catalog.ScopeAccessApplication], parents, err = c.accessApplications(ctx, accountID)
		return err
	}
	for _, kind := range kinds {
		k, ok := catalog.KindOf(kind)
		if !ok {
			return nil, fmt.Errorf("listing %s: not a resource kind", kind)
		}
		step(k.Nouns)
		var err error
		switch kind {
		case catalog.ScopeAccessApplication:
			err = apps()
		case catalog.ScopeAccessPolicy:
			var policies []Object
			if policies, err = c.accessPolicies(ctx, accountID); err == nil && len(policies) > 0 {
				if err = apps(); err == nil {
					setParents(policies, parents)
				}
			}
			out[kind] = policies
		default:
			out[kind], err = c.ListObjects(ctx, kind, accountID)
		}
		if err != nil {
			return nil, err
		}
	}
	if parents != nil && !slices.Contains(kinds, catalog.ScopeAccessApplication) {
		delete(out, catalog.ScopeAccessApplication) // read for the policies only
	}
	return out, nil
}

// ListObjects returns the objects of a resource kind that the credentials
// may read, every page (Tunnels and Mesh nodes not deleted). Cloudflare
// filters each listing by the caller's access: a member's own token sees
// only what its roles reach.
func (c *Client) ListObjects(ctx context.Context, kind catalog.Scope, accountID string) ([]Object, error) {
	list, ok := objectListers[kind]
	if !ok {
		return nil, fmt.Errorf("listing %s: not a resource kind", kind)
	}
	return list(c, ctx, accountID)
}

func tunnelObjects(ts []Tunnel, err error) ([]Object, error) {
	if err != nil {
		return nil, err
	}
	out := make([]Object, len(ts))
	for i, t := range ts {
		out[i] = Object{ID: t.ID, Name: t.Name}
	}
	return out, nil
}

// collect reads every page of a listing from its first; what names it in
// an error.
// It returns a function taking what the List call returns.
func collect[T any](what string, object func(T) Object) func(*pagination.V4PagePaginationArray[T], error) ([]Object, error) {
	return func(page *pagination.V4PagePaginationArray[T], err error) ([]Object, error) {
		var out []Object
		if err := eachPage(page, err, func(v T) { out = append(out, object(v)) }); err != nil {
			return nil, wrapError(err, "%s", what)
		}
		return out, nil
	}
}

// eachPage calls f on each item of every page from the first (page, err:
// what the List call returned). lastPage says when to stop, so that no
// request is spent on the empty page cloudflare-go's auto-pager asks for.
func eachPage[T any](page *pagination.V4PagePaginationArray[T], err error, f func(T)) error {
	for n := 1; ; n++ {
		if err != nil {
			return err
		}
		if page == nil {
			return nil
		}
		for _, v := range page.Result {
			f(v)
		}
		if lastPage(n, len(page.Result), objectsPerPage, page.ResultInfo.JSON.RawJSON()) {
			return nil
		}
		page, err = page.GetNextPage()
	}
}

// listing names the listing of a kind's objects in an error.
func listing(kind catalog.Scope, accountID string) string {
	k, _ := catalog.KindOf(kind)
	return fmt.Sprintf("listing the %s of account %s", k.Nouns, accountID)
}
