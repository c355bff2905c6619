package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
)

// apiPrefix is where the API lives; controlPrefix the control surface.
const (
	apiPrefix     = "/client/v4"
	controlPrefix = "/__emulator/"
)

// Error codes. Cloudflare's own codes where Cloudflare documents them (auth,
// routing, malformed JSON); emulator-chosen codes in Cloudflare's style
// elsewhere. This list documents them; the tests pin the ones clients act on.
const (
	codeInvalidToken       = 1000  // /tokens/verify: "Invalid API Token" (401)
	codeValidation         = 1001  // a body or query field is invalid (400)
	codeNotFound           = 1003  // the object does not exist (404)
	codeUnknownGroup       = 1004  // unknown role / permission group ID (400)
	codeAlreadyMember      = 1005  // the e-mail already has a membership (400)
	codeBadCombination     = 1006  // permission group scope != resource group kind (400)
	codeUnknownResource    = 1008  // unknown resource group ID (400)
	codeInUse              = 1009  // resource group referenced by a member or user group policy (409)
	codeConflict           = 1013  // a Tunnel or route with that name/network exists (409)
	codeZoneExists         = 1061  // "<name> already exists" (400)
	codeInvalidHeaders     = 6003  // "Invalid request headers" (400)
	codeMalformedJSON      = 6007  // "Malformed JSON in request body" (400)
	codeBadAuthHeader      = 6111  // error_chain: "Invalid format for Authorization header"
	codeBadAuthKey         = 6103  // error_chain: "Invalid format for X-Auth-Key header"
	codeBadAuthEmail       = 6102  // error_chain: "Invalid format for X-Auth-Email header"
	codeNoRoute            = 7000  // "No route for that URI" (404)
	codeMethodNotAllowed   = 7001  // method not available for that URI (405)
	codeBadIdentifier      = 7003  // "Could not route to ..., perhaps your object identifier is invalid?" (404)
	codeUnknownKey         = 9103  // "Unknown X-Auth-Key or X-Auth-Email" (403)
	codeMissingAuth        = 9106  // "Missing X-Auth-Key, X-Auth-Email or Authorization headers" (400)
	codeBadToken           = 9109  // "Invalid access token" (403)
	codeAuthError          = 10000 // "Authentication error" (403)
	codeInternal           = 10001 // emulated 5xx fault / recovered panic
	codeRateLimited        = 10429 // emulated 429 fault
	codeTokenValidMessage  = 10000 // messages[] of a successful verify
	maxBodyBytes           = 1 << 20
	msgAuthenticationError = "Authentication error"
)

type apiMessage struct {
	Code       int          `json:"code"`
	Message    string       `json:"message"`
	ErrorChain []apiMessage `json:"error_chain,omitempty"`
}

// apiError is an error response.
type apiError struct {
	Status  int
	Code    int
	Message string
	Chain   []apiMessage
	// RetryAfter, when positive, is sent as the Retry-After header (seconds).
	RetryAfter int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %d %s", e.Status, e.Code, e.Message) }

func errf(status, code int, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errValidation(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, codeValidation, format, args...)
}

func errNotFound(what string) *apiError {
	return errf(http.StatusNotFound, codeNotFound, "%s not found", what)
}

func errForbidden() *apiError {
	return errf(http.StatusForbidden, codeAuthError, msgAuthenticationError)
}

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

type envelope struct {
	Success    bool         `json:"success"`
	Errors     []apiMessage `json:"errors"`
	Messages   []apiMessage `json:"messages"`
	Result     any          `json:"result"`
	ResultInfo *resultInfo  `json:"result_info,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"success":false,"errors":[{"code":10001,"message":"internal error in the emulator"}],"messages":[],"result":null}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeEnvelope(w http.ResponseWriter, messages []apiMessage, status int, result any, info *resultInfo, errs []apiMessage, success bool) {
	if errs == nil {
		errs = []apiMessage{}
	}
	if messages == nil {
		messages = []apiMessage{}
	}
	writeJSON(w, status, envelope{Success: success, Errors: errs, Messages: messages, Result: result, ResultInfo: info})
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeEnvelope(w, nil, e.Status, nil, nil, []apiMessage{{Code: e.Code, Message: e.Message, ErrorChain: e.Chain}}, false)
}

// --- routing ---

type handler func(e *Emulator, c *call) (any, *resultInfo, error)

type apiRoute struct {
	method  string
	pattern string // templated, without /client/v4
	segs    []string
	op      catalog.Operation // what the route does; empty for /tokens/verify
	h       handler
	verify  bool // a /tokens/verify route: bad credentials are 401 code 1000
}

func (rt *apiRoute) key() string { return rt.method + " " + rt.pattern }

func route(method, pattern string, h handler) *apiRoute {
	op, _ := catalog.OperationOf(method, pattern)
	return &apiRoute{method: method, pattern: pattern, op: op, segs: strings.Split(strings.Trim(pattern, "/"), "/"), h: h}
}

var (
	reHex32 = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	reUUID  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// idFormat tells the identifier format of a path parameter (nil: free text).
func idFormat(param string) *regexp.Regexp {
	switch param {
	case "account_id", "zone_id", "member_id", "role_id", "permission_group_id", "resource_group_id", "token_id", "user_group_id":
		return reHex32
	case "route_id":
		return reUUID
	}
	for _, k := range catalog.Kinds() {
		if param == k.IDParam { // every resource kind's objects have UUIDs
			return reUUID
		}
	}
	return nil
}

// match finds the route for a method and path. methodMismatch reports a path
// that exists for other methods only.
func (e *Emulator) match(method string, segs []string) (rt *apiRoute, params map[string]string, methodMismatch bool) {
	best := -1
	for _, cand := range e.table {
		if len(cand.segs) != len(segs) {
			continue
		}
		score, ok := 0, true
		for i, s := range cand.segs {
			if strings.HasPrefix(s, "{") {
				if segs[i] == "" {
					ok = false
					break
				}
				continue
			}
			if s != segs[i] {
				ok = false
				break
			}
			score++
		}
		if !ok {
			continue
		}
		if cand.method != method {
			methodMismatch = true
			continue
		}
		if score > best {
			best, rt = score, cand
		}
	}
	if rt == nil {
		return nil, nil, methodMismatch
	}
	params = map[string]string{}
	for i, s := range rt.segs {
		if strings.HasPrefix(s, "{") {
			params[strings.Trim(s, "{}")] = segs[i]
		}
	}
	return rt, params, false
}

func splitPath(escaped string) []string {
	escaped = strings.Trim(escaped, "/")
	if escaped == "" {
		return nil
	}
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	return parts
}

// call is one API request being served.
type call struct {
	r        *http.Request
	route    *apiRoute
	params   map[string]string
	query    url.Values
	body     []byte
	badJSON  bool
	p        *principal
	messages []apiMessage
}

func (c *call) param(name string) string { return c.params[name] }

// decode unmarshals the JSON body into v; a missing body decodes as {}.
func (c *call) decode(v any) error {
	body := c.body
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errf(http.StatusBadRequest, codeMalformedJSON, "Malformed JSON in request body")
	}
	return nil
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if strings.HasPrefix(path, controlPrefix) {
		e.serveControl(w, r, strings.TrimPrefix(path, controlPrefix))
		return
	}
	w = e.withLatency(w, r) // every answer but the control surface's crosses the network
	if path != apiPrefix && !strings.HasPrefix(path, apiPrefix+"/") {
		writeError(w, errf(http.StatusNotFound, codeNoRoute, "No route for that URI"))
		return
	}
	segs := splitPath(strings.TrimPrefix(path, apiPrefix))
	rt, params, mismatch := e.match(r.Method, segs)

	key := r.Method + " (no route)"
	if rt != nil {
		key = rt.key()
	}
	e.smu.Lock()
	e.stats.Requests++
	e.stats.ByRoute[key]++
	ray := e.stats.Requests
	fault := e.pickFaultLocked()
	e.smu.Unlock()
	// Cloudflare's edge names every response with a Ray ID (16 hex digits and
	// the data centre); clients log it for support tickets.
	w.Header().Set("Cf-Ray", fmt.Sprintf("%016x-EMU", ray))

	if fault.when == faultBefore {
		// Before anything else: a failed request changes nothing.
		if fault.status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(fault.retryAfter))
			writeError(w, errf(fault.status, codeRateLimited, "Rate limited; please wait and consider throttling your request speed (emulated fault)"))
			return
		}
		writeError(w, errf(fault.status, codeInternal, "%s (emulated fault)", http.StatusText(fault.status)))
		return
	}
	if fault.when == faultAfter {
		// The request runs to the end; what it answered is lost on the way.
		lost := w
		w = newDiscardWriter()
		defer func() {
			if fault.drop {
				panic(http.ErrAbortHandler) // net/http closes the connection without an answer
			}
			writeError(lost, errf(fault.status, codeInternal, "%s (emulated fault, after the request took effect)", http.StatusText(fault.status)))
		}()
	}
	if rt == nil {
		if mismatch {
			writeError(w, errf(http.StatusMethodNotAllowed, codeMethodNotAllowed, "Method %s not available for that URI", r.Method))
			return
		}
		writeError(w, errf(http.StatusNotFound, codeNoRoute, "No route for that URI"))
		return
	}
	for name, v := range params {
		if re := idFormat(name); re != nil && !re.MatchString(v) {
			writeError(w, errf(http.StatusNotFound, codeBadIdentifier,
				"Could not route to %s, perhaps your object identifier is invalid?", apiPrefix+"/"+strings.Join(segs, "/")))
			return
		}
	}

	c := &call{r: r, route: rt, params: params, query: r.URL.Query()}
	if r.Body != nil {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			writeError(w, errf(http.StatusRequestEntityTooLarge, codeMalformedJSON, "request body too large or unreadable"))
			return
		}
		c.body = b
		c.badJSON = len(strings.TrimSpace(string(b))) > 0 && !json.Valid(b)
	}

	e.mu.Lock()
	result, info, err := e.handleDurably(c)
	e.mu.Unlock()
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errf(http.StatusInternalServerError, codeInternal, "internal error in the emulator")
		}
		writeError(w, ae)
		return
	}
	writeEnvelope(w, c.messages, http.StatusOK, result, info, nil, true)
}

// handleDurably is handle, then, with a state file, saves a successful write
// before it is answered; if saving fails, the change is rolled back and the
// request fails with 500. e.mu is held.
func (e *Emulator) handleDurably(c *call) (any, *resultInfo, error) {
	if e.statePath == "" || !isWrite(c.r.Method) {
		return e.handle(c)
	}
	before, err := e.marshalStateLocked()
	if err != nil {
		return nil, nil, errf(http.StatusInternalServerError, codeInternal, "the emulator could not encode its state")
	}
	result, info, err := e.handle(c)
	if err != nil {
		return nil, nil, err
	}
	if serr := e.saveLocked(); serr != nil {
		if rerr := e.restoreLocked(before); rerr != nil {
			panic("emulator: cannot restore its own state: " + rerr.Error())
		}
		return nil, nil, errf(http.StatusInternalServerError, codeInternal,
			"the emulator could not save its state file; the request was not applied")
	}
	return result, info, nil
}

// handle authenticates, authorizes and runs the handler; e.mu is held.
func (e *Emulator) handle(c *call) (any, *resultInfo, error) {
	p, aerr := e.authenticate(c)
	if aerr != nil {
		return nil, nil, aerr
	}
	c.p = p
	if err := e.rateLimited(p); err != nil {
		return nil, nil, err
	}
	if err := e.authorize(c); err != nil {
		return nil, nil, err
	}
	if c.badJSON {
		return nil, nil, errf(http.StatusBadRequest, codeMalformedJSON, "Malformed JSON in request body")
	}
	res, info, err := c.route.h(e, c)
	if err == nil && p.token != nil {
		now := e.now()
		p.token.LastUsedOn = &now
	}
	return res, info, err
}

// --- pagination and query helpers ---

func queryInt(q url.Values, name string, def int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) || f > math.MaxInt32 || f < math.MinInt32 {
		return 0, errValidation("%s must be an integer", name)
	}
	return int(f), nil
}

func queryBool(q url.Values, name string) (val, set bool, err error) {
	s := q.Get(name)
	if s == "" {
		return false, false, nil
	}
	b, perr := strconv.ParseBool(s)
	if perr != nil {
		return false, false, errValidation("%s must be true or false", name)
	}
	return b, true, nil
}

// paginate slices items by page/per_page (validated: page >= 1, per_page in
// [minPer, maxPer]); a page past the end is empty, not an error.
func paginate[T any](c *call, items []T, defPer, minPer, maxPer int) ([]T, *resultInfo, error) {
	page, err := queryInt(c.query, "page", 1)
	if err != nil {
		return nil, nil, err
	}
	per, err := queryInt(c.query, "per_page", defPer)
	if err != nil {
		return nil, nil, err
	}
	if page < 1 {
		return nil, nil, errValidation("page must be 1 or more")
	}
	if per < minPer || per > maxPer {
		return nil, nil, errValidation("per_page must be between %d and %d", minPer, maxPer)
	}
	total := len(items)
	start := (page - 1) * per
	out := []T{}
	if start < total {
		end := min(start+per, total)
		out = items[start:end]
	}
	pages := (total + per - 1) / per
	return out, &resultInfo{Page: page, PerPage: per, Count: len(out), TotalCount: total, TotalPages: pages}, nil
}

// direction validates ?direction= (asc or desc) and reports desc.
func direction(q url.Values) (bool, error) {
	switch q.Get("direction") {
	case "", "asc":
		return false, nil
	case "desc":
		return true, nil
	}
	return false, errValidation("direction must be asc or desc")
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// discardWriter takes the answer of a request whose answer is lost.
type discardWriter struct{ h http.Header }

func newDiscardWriter() *discardWriter               { return &discardWriter{h: http.Header{}} }
func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
