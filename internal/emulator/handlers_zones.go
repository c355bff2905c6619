package emulator

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

func (e *Emulator) findZone(id string) *Zone {
	for _, z := range e.zones {
		if strings.EqualFold(z.ID, id) {
			return z
		}
	}
	return nil
}

func (e *Emulator) zoneJSON(z *Zone) map[string]any {
	acctName := ""
	if a := e.findAccount(z.AccountID); a != nil {
		acctName = a.Name
	}
	var activated any
	if z.ActivatedOn != nil {
		activated = ts(*z.ActivatedOn)
	}
	vanity := z.VanityNameServers
	if vanity == nil {
		vanity = []string{}
	}
	return map[string]any{
		"id": z.ID, "name": z.Name, "status": z.Status, "paused": z.Paused, "type": z.Type,
		"development_mode":      0,
		"name_servers":          []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		"original_name_servers": nil, "original_registrar": nil, "original_dnshost": nil,
		"created_on": ts(z.CreatedOn), "modified_on": ts(z.ModifiedOn), "activated_on": activated,
		"account": map[string]any{"id": z.AccountID, "name": acctName},
		"owner":   map[string]any{"id": z.AccountID, "name": acctName, "type": "organization"},
		"meta": map[string]any{"step": 2, "custom_certificate_quota": 0, "page_rule_quota": 3,
			"phishing_detected": false, "cdn_only": false, "dns_only": false, "foundation_dns": false},
		"plan": map[string]any{"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "price": 0, "currency": "USD",
			"frequency": "", "is_subscribed": false, "can_subscribe": false, "legacy_id": "free",
			"legacy_discount": false, "externally_managed": false},
		"vanity_name_servers": vanity,
		"permissions":         []string{"#zone:read", "#zone:edit"},
	}
}

// nameMatches implements Cloudflare's name filter operators (contains:,
// starts_with:, ends_with:, equal:) and plain case-insensitive equality.
func nameMatches(filter, name string) bool {
	f, n := strings.ToLower(filter), strings.ToLower(name)
	switch {
	case strings.HasPrefix(f, "contains:"):
		return strings.Contains(n, strings.TrimPrefix(f, "contains:"))
	case strings.HasPrefix(f, "starts_with:"):
		return strings.HasPrefix(n, strings.TrimPrefix(f, "starts_with:"))
	case strings.HasPrefix(f, "ends_with:"):
		return strings.HasSuffix(n, strings.TrimPrefix(f, "ends_with:"))
	case strings.HasPrefix(f, "equal:"):
		return n == strings.TrimPrefix(f, "equal:")
	}
	return n == f
}

func listZones(e *Emulator, c *call) (any, *resultInfo, error) {
	q := c.query
	status := q.Get("status")
	switch status {
	case "", "initializing", "pending", "active", "moved":
	default:
		return nil, nil, errValidation("status must be initializing, pending, active or moved")
	}
	order := q.Get("order")
	switch order {
	case "", "name", "status", "account.id", "account.name":
	default:
		return nil, nil, errValidation("order must be name, status, account.id or account.name")
	}
	match := q.Get("match")
	if match != "" && match != "all" && match != "any" {
		return nil, nil, errValidation("match must be any or all")
	}
	desc, err := direction(q)
	if err != nil {
		return nil, nil, err
	}
	name, acctID, acctName := q.Get("name"), q.Get("account.id"), q.Get("account.name")
	var zs []*Zone
	for _, z := range e.zones {
		if !e.allowsZone(c.p, catalog.OpZonesRead, z) {
			continue
		}
		a := e.findAccount(z.AccountID)
		conds := []bool{}
		if name != "" {
			conds = append(conds, nameMatches(name, z.Name))
		}
		if status != "" {
			conds = append(conds, z.Status == status)
		}
		if acctID != "" {
			conds = append(conds, z.AccountID == acctID)
		}
		if acctName != "" {
			conds = append(conds, a != nil && nameMatches(acctName, a.Name))
		}
		ok := len(conds) == 0 || (match == "any" && slices.Contains(conds, true)) || (match != "any" && !slices.Contains(conds, false))
		if ok {
			zs = append(zs, z)
		}
	}
	key := func(z *Zone) string {
		switch order {
		case "status":
			return z.Status
		case "account.id":
			return z.AccountID
		case "account.name":
			if a := e.findAccount(z.AccountID); a != nil {
				return a.Name
			}
		}
		return z.Name
	}
	if order != "" {
		sort.SliceStable(zs, func(i, j int) bool { return key(zs[i]) < key(zs[j]) })
	}
	return pageOf(c, zs, desc, e.zoneJSON)
}

var reZoneName = regexp.MustCompile(`^([a-zA-Z0-9][\-a-zA-Z0-9]*\.)+[\-a-zA-Z0-9]{2,20}$`)

func createZone(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		Name    string `json:"name"`
		Type    string `json:"type"`
		Account *struct {
			ID string `json:"id"`
		} `json:"account"`
	}
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	if in.Account == nil || in.Account.ID == "" {
		return nil, nil, errValidation("account.id is required")
	}
	if !reHex32.MatchString(in.Account.ID) || e.findAccount(in.Account.ID) == nil || !e.allowsNewZone(c.p, in.Account.ID) {
		return nil, nil, errForbidden()
	}
	name := strings.ToLower(strings.TrimSuffix(in.Name, "."))
	if len(name) > 253 || !reZoneName.MatchString(name) {
		return nil, nil, errValidation("name must be a registrable domain name")
	}
	switch in.Type {
	case "":
		in.Type = "full"
	case "full", "partial", "secondary":
	default:
		return nil, nil, errValidation("type must be full, partial or secondary")
	}
	for _, z := range e.zones {
		if z.Name == name {
			return nil, nil, errf(http.StatusBadRequest, codeZoneExists, "%s already exists", name)
		}
	}
	now := e.now()
	z := &Zone{ID: e.newID("zone"), Name: name, AccountID: in.Account.ID, Status: "pending", Type: in.Type, CreatedOn: now, ModifiedOn: now}
	e.zones = append(e.zones, z)
	return e.zoneJSON(z), nil, nil
}

func getZone(e *Emulator, c *call) (any, *resultInfo, error) {
	return e.zoneJSON(e.findZone(c.param("zone_id"))), nil, nil
}

func editZone(e *Emulator, c *call) (any, *resultInfo, error) {
	var in struct {
		Paused            *bool    `json:"paused"`
		Type              *string  `json:"type"`
		VanityNameServers []string `json:"vanity_name_servers"`
		Plan              *struct {
			ID string `json:"id"`
		} `json:"plan"`
	}
	if err := c.decode(&in); err != nil {
		return nil, nil, err
	}
	z := e.findZone(c.param("zone_id"))
	if in.Type != nil && *in.Type != "full" && *in.Type != "partial" && *in.Type != "secondary" {
		return nil, nil, errValidation("type must be full, partial or secondary")
	}
	for _, ns := range in.VanityNameServers {
		if !reZoneName.MatchString(ns) {
			return nil, nil, errValidation("vanity_name_servers: %q is not a hostname", ns)
		}
	}
	if in.Paused != nil {
		z.Paused = *in.Paused
	}
	if in.Type != nil {
		z.Type = *in.Type
	}
	if in.VanityNameServers != nil {
		z.VanityNameServers = in.VanityNameServers
	}
	z.ModifiedOn = e.now()
	return e.zoneJSON(z), nil, nil
}

func deleteZone(e *Emulator, c *call) (any, *resultInfo, error) {
	z := e.findZone(c.param("zone_id"))
	e.zones = slices.DeleteFunc(e.zones, func(x *Zone) bool { return x == z })
	return map[string]any{"id": z.ID}, nil, nil
}
