package provider_test

import (
	"regexp"
	"strings"
)

// regexpMust compiles an ExpectError pattern. Terraform wraps diagnostics at
// any space, so each space in pattern matches any run of white space, and
// (?s) lets the pattern span lines.
func regexpMust(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}
