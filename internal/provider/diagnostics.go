package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
	"github.com/cfiam/terraform-provider-cfiam/internal/iampolicy"
)

// apiErrorDiagnostic is the one place that turns an error from cfclient into
// what the user reads: the summary names the operation and its object
// ("reading the roles of account X"), the detail gives Cloudflare's codes and
// message and the next step. Credentials never appear: cfclient errors do
// not carry headers.
func apiErrorDiagnostic(auth authMethod, operation string, err error) diag.Diagnostic {
	var apiErr *cfclient.APIError
	isAPI := errors.As(err, &apiErr)
	answer := ""
	if isAPI {
		answer = "Cloudflare answered " + describeAPIError(apiErr) + "."
	}

	if d, ok := missingPermissionDiagnostic(auth, operation, apiErr, answer); ok {
		return d
	}
	switch {
	case cfclient.IsUnauthorized(err):
		return diag.NewErrorDiagnostic(
			"Cloudflare rejected the credentials while "+operation,
			answer+"\n\nThe credentials are missing, invalid, expired, or not allowed to do this. "+credentialFix(auth)+
				" If the credentials are valid, give the token the permission this needs "+
				"(reading roles and permission groups needs Account Settings Read).")
	case cfclient.IsForbidden(err):
		return diag.NewErrorDiagnostic(
			"Cloudflare refused "+operation,
			answer+"\n\nThe credentials were accepted but lack a permission this needs. "+
				"Add the permission group to the API token (or the role to the user), or use credentials that have it.")
	case cfclient.IsRateLimited(err):
		return diag.NewErrorDiagnostic(
			"Cloudflare rate-limited "+operation,
			answer+"\n\nThe provider already retried. Run Terraform again later, lower -parallelism, or raise max_retries in the provider block.")
	case cfclient.IsNotFound(err):
		return diag.NewErrorDiagnostic(
			"Not found while "+operation,
			answer+"\n\nCheck the account ID (account_id here, in the provider block, or CLOUDFLARE_ACCOUNT_ID) and that the credentials can see that account.")
	case cfclient.IsConflict(err):
		return diag.NewErrorDiagnostic(
			"Conflict while "+operation,
			answer+"\n\nSomething else changed the object at the same time. Run Terraform again.")
	case errors.Is(err, iampolicy.ErrContended):
		return diag.NewErrorDiagnostic(
			"Another apply kept undoing this change while "+operation,
			err.Error()+"\n\nEach time the provider applied the change, another process wrote the same member or user group "+
				"from an older read and dropped it. If two configurations manage the same policies (two cfiam_account_member "+
				"for one member, or a binding imported twice), keep one; otherwise run terraform apply again once the other apply has ended.")
	case isAPI:
		return diag.NewErrorDiagnostic(
			"Cloudflare API error while "+operation,
			answer+"\n\nIf this persists, check Cloudflare's status page and the request above.")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return diag.NewErrorDiagnostic(
			"Timed out or cancelled while "+operation,
			err.Error()+"\n\nRaise request_timeout in the provider block if Cloudflare is slow, or run Terraform again.")
	default:
		return diag.NewErrorDiagnostic(
			"Could not reach Cloudflare while "+operation,
			err.Error()+"\n\nCheck base_url (or CLOUDFLARE_BASE_URL) and the network between Terraform and Cloudflare.")
	}
}

// missingPermissionDiagnostic is the error of a request Cloudflare refused
// with 403 for want of a permission (code 10000, or no code), when the
// request's route says which operation it was: it names the API token
// permission groups that allow it (catalog.OperationOf and the reference's
// table), not only "forbidden". Refusals of the token itself (invalid,
// expired: 9109 and the like) are not this.
func missingPermissionDiagnostic(auth authMethod, operation string, e *cfclient.APIError, answer string) (diag.Diagnostic, bool) {
	if e == nil || e.Status != http.StatusForbidden || len(e.Codes) > 0 && !e.HasCode(10000) {
		return nil, false
	}
	op, ok := catalog.OperationOf(e.Method, e.Path)
	groups := catalog.NeededPermissionGroups(op)
	if !ok || groups == "" {
		return nil, false
	}
	fix := "Add " + groups + " to the API token (or use a token that has it); the provider's documentation lists the minimum permissions of every resource and data source."
	if auth == authKey {
		fix = "The Global API key acts as its user: give the user a role that allows " + op.Describe() + " in this account (an API token with " + groups + " also works)."
	}
	return diag.NewErrorDiagnostic(
		"Missing permission for "+op.Describe()+" while "+operation,
		answer+"\n\nThe credentials were accepted, but "+e.Method+" "+e.Path+" is "+op.Describe()+", which needs the permission group "+groups+". "+fix), true
}

// describeAPIError renders status, codes and messages: `403 Forbidden ([9109] Invalid access token) on GET /path`.
func describeAPIError(e *cfclient.APIError) string {
	parts := make([]string, 0, len(e.Messages))
	for i, m := range e.Messages {
		if i < len(e.Codes) && e.Codes[i] != 0 {
			parts = append(parts, fmt.Sprintf("[%d] %s", e.Codes[i], m))
		} else {
			parts = append(parts, m)
		}
	}
	s := fmt.Sprintf("HTTP %d", e.Status)
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, "; ") + ")"
	}
	if e.Method != "" {
		s += " to " + e.Method + " " + e.Path
	}
	return s
}

// credentialFix says which setting to fix for the way the provider authenticates.
func credentialFix(auth authMethod) string {
	switch auth {
	case authKey:
		return "Set a valid Global API key and the e-mail address of its user: api_key and email in the provider block, or " +
			envAPIKey + " and " + envEmail + " (or switch to an API token: api_token or " + envAPIToken + ")."
	default:
		return "Set a valid API token: api_token in the provider block or " + envAPIToken + "."
	}
}

// offlineDiagnostic is the error of anything that needs the API while the
// provider has no credentials.
func offlineDiagnostic(operation string) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Cloudflare credentials needed for "+operation,
		"The cfiam provider has no credentials, so it runs offline: it can validate configuration against its embedded catalog but cannot call Cloudflare. "+
			"Set api_token in the provider block or "+envAPIToken+" (or the legacy api_key and email, or "+envAPIKey+" and "+envEmail+").")
}

// missingAccountDiagnostic is the error of an account-bound operation
// without any account ID.
func missingAccountDiagnostic(operation string) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Account ID needed for "+operation,
		"No account ID is configured. Set account_id on this data source or resource, in the provider block, or with "+envAccountID+".")
}

// catalogErrorDiagnostic explains why a name did not resolve in the catalog:
// unknown (with the nearest names), ambiguous (with its scopes) or in
// another scope (with the scopes it has and, if any, its twin in the wanted
// scope). where says which catalog was searched ("the live catalog of
// account X", "the embedded catalog").
func catalogErrorDiagnostic(err error, where string) (summary, detail string) {
	var (
		notFound  *catalog.NotFoundError
		ambiguous *catalog.AmbiguousError
		wrong     *catalog.WrongScopeError
	)
	switch {
	case errors.As(err, &notFound):
		summary = "Unknown " + string(notFound.Kind)
		detail = fmt.Sprintf("No %s named %q in %s", notFound.Kind, notFound.Ref, scopePhrase(notFound.Scope, where))
		if suggestions := dedupe(notFound.Suggestions); len(suggestions) > 0 {
			detail += ". Did you mean " + quoteList(suggestions) + "?"
		} else {
			detail += "."
		}
		detail += " Names are matched without regard to case; an ID works too."
	case errors.As(err, &ambiguous):
		summary = "Ambiguous " + string(ambiguous.Kind) + " name"
		scopes := make([]string, len(ambiguous.Scopes))
		for i, s := range ambiguous.Scopes {
			scopes[i] = string(s)
		}
		detail = fmt.Sprintf("%q is a %s in several scopes: %s. Set scope to one of %s to say which one you mean.",
			ambiguous.Ref, ambiguous.Kind, strings.Join(scopes, ", "), quoteList(scopes))
	case errors.As(err, &wrong):
		summary = fmt.Sprintf("Wrong scope for %s", wrong.Kind)
		have := make([]string, len(wrong.Found))
		scopes := make([]string, len(wrong.Found))
		for i, f := range wrong.Found {
			have[i] = describeScope(f.Scope, wrong.Kind)
			scopes[i] = string(f.Scope)
		}
		name := wrong.Ref
		if len(wrong.Found) > 0 {
			name = wrong.Found[0].Name
		}
		detail = fmt.Sprintf("%q is %s, not %s.", name, strings.Join(have, " and "), describeScope(wrong.Want, wrong.Kind))
		if len(wrong.Instead) > 0 {
			detail += fmt.Sprintf(" At %s scope, use %s.", wrong.Want, quoteList(wrong.Instead))
		}
		detail += fmt.Sprintf(" To look up %q itself, set scope to %s.", name, quoteList(scopes))
	default:
		summary = "Catalog lookup failed"
		detail = err.Error()
	}
	return summary, detail
}

func scopePhrase(s catalog.Scope, where string) string {
	if s == "" {
		return where
	}
	return fmt.Sprintf("the %s scope of %s", s, where)
}

// describeScope says what an object of kind at scope s is: roles in the
// dashboard's words ("a domain-scoped role"), permission groups by the token
// policy they fit ("a zone permission group").
func describeScope(s catalog.Scope, k catalog.Kind) string {
	if k == catalog.KindRole {
		return s.Describe(k)
	}
	return fmt.Sprintf("%s %s %s", article(string(s)), s, k)
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// quoteList lists alternatives: `"a", "b" or "c"`.
func quoteList(items []string) string { return catalog.QuoteList(items, "or") }

// dedupe drops repeated names, keeping the first (best) of each: a name
// that exists in two scopes is suggested once.
func dedupe(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}
