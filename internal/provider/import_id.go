package provider

import (
	"fmt"
	"strings"
)

// parseImportID reads an import ID of the form <account_id>/<part>/..., one
// segment per name in parts. The account ID may be left out when the
// provider has one (defaultAccount). Every segment must be non-empty. The
// error says what was expected, in the resource's own terms.
func parseImportID(id, defaultAccount string, parts ...string) (string, []string, error) {
	segs := strings.Split(strings.TrimSpace(id), "/")
	var account string
	switch len(segs) {
	case len(parts) + 1:
		account, segs = segs[0], segs[1:]
	case len(parts):
		account = defaultAccount
	default:
		return "", nil, importIDError(id, defaultAccount, parts)
	}
	if account == "" {
		return "", nil, importIDError(id, defaultAccount, parts)
	}
	for _, s := range segs {
		if s == "" {
			return "", nil, importIDError(id, defaultAccount, parts)
		}
	}
	return account, segs, nil
}

func importIDError(id, defaultAccount string, parts []string) error {
	want := "<account_id>/<" + strings.Join(parts, ">/<") + ">"
	short := "<" + strings.Join(parts, ">/<") + ">"
	if defaultAccount != "" {
		return fmt.Errorf("expected %s or %s (the provider's account), got %q", want, short, id)
	}
	return fmt.Errorf("expected %s, got %q; %s alone needs the provider's account_id (or %s)", want, id, short, envAccountID)
}
