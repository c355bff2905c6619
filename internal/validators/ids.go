package validators

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

var (
	// Cloudflare Tunnel IDs are lowercase UUIDs, as the API returns them.
	tunnelIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// HexID accepts a Cloudflare ID of 32 lowercase hexadecimal characters
// (catalog.HexIDPattern); message says what is expected, such as "must be a
// 32-character lowercase hexadecimal zone ID". Null and unknown values are
// left alone, as by every validator here.
func HexID(message string) validator.String {
	return stringvalidator.RegexMatches(catalog.HexIDPattern, message)
}

// AccountID accepts an account ID.
func AccountID() validator.String {
	return HexID("must be a 32-character lowercase hexadecimal account ID")
}

// TunnelID accepts a Cloudflare Tunnel ID (a lowercase UUID); message says
// what is expected.
func TunnelID(message string) validator.String {
	return stringvalidator.RegexMatches(tunnelIDPattern, message)
}

// Email accepts an e-mail address (something@domain.tld).
func Email() validator.String {
	return stringvalidator.RegexMatches(emailPattern, "must be an e-mail address such as alice@example.com")
}
