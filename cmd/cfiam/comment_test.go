package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fakeComments is a pull request's comments as a platform holds them.
type fakeComments struct {
	mu        sync.Mutex
	byID      map[int64]string // body
	minimized map[int64]bool
	next      int64
	requests  []string // "METHOD path"
}

func newFakeComments() *fakeComments {
	f := &fakeComments{byID: map[int64]string{}, minimized: map[int64]bool{}, next: 1000}
	// 120 comments of people: the list takes two pages, and none is cfiam's.
	for i := range 120 {
		f.byID[int64(i+1)] = fmt.Sprintf("LGTM %d", i)
	}
	return f
}

// marked are cfiam's comments, by ID.
func (f *fakeComments) marked() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int64
	for id, body := range f.byID {
		if strings.Contains(body, commentMarker) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (f *fakeComments) body(id int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.byID[id]
}

func (f *fakeComments) page(r *http.Request) []int64 {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if per <= 0 || per > 100 {
		per = 30 // both platforms' defaults are smaller than what cfiam asks
	}
	if page <= 0 {
		page = 1
	}
	var ids []int64
	for id := range f.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	lo, hi := min((page-1)*per, len(ids)), min(page*per, len(ids))
	return ids[lo:hi]
}

func readBody(t *testing.T, r *http.Request) string {
	var in struct{ Body string }
	data, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(data, &in); err != nil || in.Body == "" {
		t.Errorf("%s %s: body %q", r.Method, r.URL.Path, data)
	}
	return in.Body
}

// githubServer speaks the GitHub routes cfiam uses, for repository o/r,
// pull request 7, token "gh-token".
func githubServer(t *testing.T, f *fakeComments) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		if r.Header.Get("Authorization") != "Bearer gh-token" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message": "Bad credentials"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		const list = "/repos/o/r/issues/7/comments"
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/o/r/issues/comments/"), 10, 64)
		_, exists := f.byID[id]
		switch {
		case r.Method == http.MethodGet && r.URL.Path == list:
			var out []map[string]any
			for _, id := range f.page(r) {
				out = append(out, map[string]any{"id": id, "node_id": fmt.Sprintf("IC_%d", id), "body": f.byID[id]})
			}
			if out == nil {
				out = []map[string]any{}
			}
			_ = json.NewEncoder(w).Encode(out)
		case r.Method == http.MethodPost && r.URL.Path == list:
			f.next++
			f.byID[f.next] = readBody(t, r)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{"id": f.next})
		case r.Method == http.MethodPatch && exists:
			f.byID[id] = readBody(t, r)
			_ = json.NewEncoder(w).Encode(map[string]any{"id": id})
		case r.Method == http.MethodDelete && exists:
			delete(f.byID, id)
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodPost && r.URL.Path == "/graphql":
			var in struct {
				Query     string
				Variables struct{ ID string }
			}
			data, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(data, &in)
			id, err := strconv.ParseInt(strings.TrimPrefix(in.Variables.ID, "IC_"), 10, 64)
			if _, ok := f.byID[id]; err != nil || !ok || !strings.Contains(in.Query, "minimizeComment") || !strings.Contains(in.Query, "OUTDATED") {
				_, _ = io.WriteString(w, `{"errors": [{"message": "Could not resolve to a node"}]}`)
				return
			}
			f.minimized[id] = true
			_, _ = io.WriteString(w, `{"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message": "Not Found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// gitlabServer speaks GitLab's merge request notes routes, for project 42,
// merge request 7, token "gl-token".
func gitlabServer(t *testing.T, f *fakeComments) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		if r.Header.Get("PRIVATE-TOKEN") != "gl-token" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message": "401 Unauthorized"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		const notes = "/api/v4/projects/42/merge_requests/7/notes"
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, notes+"/"), 10, 64)
		_, exists := f.byID[id]
		switch {
		case r.Method == http.MethodGet && r.URL.Path == notes:
			var out []map[string]any
			for _, id := range f.page(r) {
				out = append(out, map[string]any{"id": id, "body": f.byID[id], "system": false})
			}
			if out == nil {
				out = []map[string]any{}
			}
			_ = json.NewEncoder(w).Encode(out)
		case r.Method == http.MethodPost && r.URL.Path == notes:
			f.next++
			f.byID[f.next] = readBody(t, r)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{"id": f.next})
		case r.Method == http.MethodPut && exists:
			f.byID[id] = readBody(t, r)
			_ = json.NewEncoder(w).Encode(map[string]any{"id": id})
		case r.Method == http.MethodDelete && exists:
			delete(f.byID, id)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message": "404 Not found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func githubEnv(t *testing.T, srv *httptest.Server) {
	t.Helper()
	event := writeFile(t, "event.json", `{"action": "synchronize", "number": 7, "pull_request": {"number": 7}}`)
	for k, v := range map[string]string{"GITHUB_TOKEN": "gh-token", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": event,
		"GITHUB_API_URL": srv.URL, "GITHUB_GRAPHQL_URL": "", "CFIAM_PR_NUMBER": ""} {
		t.Setenv(k, v)
	}
}

func gitlabEnv(t *testing.T, srv *httptest.Server) {
	t.Helper()
	for k, v := range map[string]string{"GITLAB_TOKEN": "gl-token", "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "7", "CI_API_V4_URL": srv.URL + "/api/v4"} {
		t.Setenv(k, v)
	}
}

// noChangePlan changes no access.
const noChangePlan = `{"format_version": "1.2", "planned_values": {}, "resource_changes": []}`

func TestComment_modes(t *testing.T) {
	for _, platform := range []string{"github", "gitlab"} {
		t.Run(platform, func(t *testing.T) {
			f := newFakeComments()
			if platform == "github" {
				githubEnv(t, githubServer(t, f))
			} else {
				gitlabEnv(t, gitlabServer(t, f))
			}
			post := func(stdin string, args ...string) string {
				t.Helper()
				code, out, stderr := cfiam(t, stdin, append([]string{"review", "--comment", platform}, args...)...)
				if code != 0 || strings.Count(stderr, "\n") != 1 {
					t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
				}
				return out
			}
			// First run: one comment, the Markdown report behind the marker.
			out := post("", fixtures+"token-widened/plan.json")
			first := f.marked()
			if len(first) != 1 || f.body(first[0]) != commentMarker+"\n"+out {
				t.Fatalf("first run: marked %v, body %q", first, f.body(first[0]))
			}
			// update (the default): the same comment, now the new report.
			out = post("", fixtures+"member-escalation/plan.json")
			if got := f.marked(); !slices.Equal(got, first) || !strings.Contains(f.body(first[0]), "alice@example.com") || f.body(first[0]) != commentMarker+"\n"+out {
				t.Errorf("update: marked %v (want %v), body %q", got, first, f.body(first[0]))
			}
			// new: one more.
			post("", "--comment-mode", "new", fixtures+"member-escalation/plan.json")
			two := f.marked()
			if len(two) != 2 || two[0] != first[0] {
				t.Errorf("new: marked %v", two)
			}
			// update with two: the newest is edited, the older left.
			post("", "--comment-mode", "update", fixtures+"token-widened/plan.json")
			if got := f.marked(); !slices.Equal(got, two) || !strings.Contains(f.body(two[1]), `token "ci"`) || strings.Contains(f.body(two[0]), `token "ci"`) {
				t.Errorf("update of two: marked %v", got)
			}
			// delete-and-new: both go, one comes.
			post("", "--comment-mode", "delete-and-new", fixtures+"member-revoked/plan.json")
			three := f.marked()
			if len(three) != 1 || slices.Contains(two, three[0]) || !strings.Contains(f.body(three[0]), "carol@example.com") {
				t.Errorf("delete-and-new: marked %v (before %v)", three, two)
			}
			// hide-and-new: the old one hidden, a new one posted.
			post("", "--comment-mode", "hide-and-new", fixtures+"member-escalation/plan.json")
			if platform == "github" {
				got := f.marked()
				if len(got) != 2 || got[0] != three[0] || !f.minimized[three[0]] || f.minimized[got[1]] {
					t.Errorf("hide-and-new: marked %v, minimized %v", got, f.minimized)
				}
			} else {
				// GitLab has no minimize: the note is folded and no longer cfiam's current comment.
				got := f.marked()
				old := f.body(three[0])
				if len(got) != 1 || got[0] == three[0] || !strings.HasPrefix(old, hiddenMarker+"\n<details><summary>Outdated cfiam review") ||
					!strings.Contains(old, "carol@example.com") {
					t.Errorf("hide-and-new: marked %v, old note %q", got, old)
				}
			}
			// --skip-no-change with no change: nothing posted, cfiam's comments deleted.
			post(noChangePlan, "--skip-no-change", "-")
			if got := f.marked(); len(got) != 0 {
				t.Errorf("--skip-no-change: marked %v", got)
			}
			before := len(f.byID)
			post(noChangePlan, "--skip-no-change", "-")
			if len(f.marked()) != 0 || len(f.byID) != before {
				t.Errorf("--skip-no-change again: %d comments, was %d", len(f.byID), before)
			}
			// With a change, --skip-no-change posts as usual.
			post("", "--skip-no-change", fixtures+"member-revoked/plan.json")
			if got := f.marked(); len(got) != 1 {
				t.Errorf("--skip-no-change with a change: marked %v", got)
			}
			// People's comments are never touched.
			for i := range 120 {
				if f.body(int64(i+1)) != fmt.Sprintf("LGTM %d", i) {
					t.Fatalf("comment %d changed: %q", i+1, f.body(int64(i+1)))
				}
			}
		})
	}
}

func TestComment_missingVariables(t *testing.T) {
	f := newFakeComments()
	gh, gl := githubServer(t, f), gitlabServer(t, f)
	for _, tc := range []struct{ platform, unset string }{
		{"github", "GITHUB_TOKEN"}, {"github", "GITHUB_REPOSITORY"}, {"github", "GITHUB_EVENT_PATH"},
		{"gitlab", "GITLAB_TOKEN"}, {"gitlab", "CI_PROJECT_ID"}, {"gitlab", "CI_MERGE_REQUEST_IID"},
	} {
		t.Run(tc.unset, func(t *testing.T) {
			githubEnv(t, gh)
			gitlabEnv(t, gl)
			t.Setenv(tc.unset, "")
			f.requests = nil
			code, out, stderr := cfiam(t, "", "review", "--comment", tc.platform, fixtures+"member-revoked/plan.json")
			if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.unset+" is not set") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
			}
			if len(f.requests) != 0 {
				t.Errorf("requests made: %v", f.requests)
			}
		})
	}
	// A refused token: one line with the platform's answer, never the token.
	githubEnv(t, gh)
	t.Setenv("GITHUB_TOKEN", "wrong-token")
	code, _, stderr := cfiam(t, "", "review", "--comment", "github", fixtures+"member-revoked/plan.json")
	if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "GitHub answered 401") || !strings.Contains(stderr, "Bad credentials") ||
		strings.Contains(stderr, "wrong-token") {
		t.Errorf("refused: exit %d, %q", code, stderr)
	}
	// An event that is not a pull request's.
	githubEnv(t, gh)
	t.Setenv("GITHUB_EVENT_PATH", writeFile(t, "push.json", `{"ref": "refs/heads/main"}`))
	if code, _, stderr := cfiam(t, "", "review", "--comment", "github", fixtures+"member-revoked/plan.json"); code != 2 || !strings.Contains(stderr, "not about a pull request") {
		t.Errorf("push event: exit %d, %q", code, stderr)
	}
	for _, args := range [][]string{{"--comment", "bitbucket"}, {"--comment", "github", "--comment-mode", "replace"}, {"--skip-no-change"}} {
		if code, _, stderr := cfiam(t, "", append(append([]string{"review"}, args...), fixtures+"member-revoked/plan.json")...); code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// A report over GitHub's limit is cut, with a line saying so, and posted.
func TestComment_longReportCut(t *testing.T) {
	f := newFakeComments()
	githubEnv(t, githubServer(t, f))
	var changes []string
	for i := range 1500 {
		changes = append(changes, change(fmt.Sprintf("cfiam_account_member.m[%d]", i), "cfiam_account_member", "create", "",
			fmt.Sprintf(`{"email": "user%d@example.com", "status": "accepted", "account_id": "f037e56e89293a057740de681ac9abbe", "policies": %s}`, i, accountPolicy("Administrator"))))
	}
	code, out, stderr := cfiam(t, planOf(changes...), "review", "--comment", "github", "--fail-on", "never", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(out) < 2*githubCommentLimit {
		t.Fatalf("the report (%d bytes) should be well over the limit for this test to mean anything", len(out))
	}
	marked := f.marked()
	if len(marked) != 1 {
		t.Fatalf("marked %v", marked)
	}
	body := f.body(marked[0])
	if utf8.RuneCountInString(body) > githubCommentLimit || !strings.Contains(body, "this report was cut to fit the comment limit") ||
		strings.Count(body, "<details>") != strings.Count(body, "</details>") || !strings.HasPrefix(body, commentMarker+"\n**cfiam review:") {
		t.Errorf("body: %d characters, ends %q", utf8.RuneCountInString(body), body[max(0, len(body)-300):])
	}
	// GitLab's limit is larger: the same report fits whole.
	if got := commentBody(out, gitlabCommentLimit); got != commentMarker+"\n"+out {
		t.Error("a report under GitLab's limit was changed")
	}
}

// Names that are HTML or a link render as text in every format and in the comment.
func TestReview_injectionNames(t *testing.T) {
	const img = `<img src=x onerror=alert(1)>`
	const link = `](javascript:alert(1))`
	const click = `[click](javascript:alert(1))`
	plan := planOf(
		change(`cfiam_user_group.g`, "cfiam_user_group", "create", "",
			`{"name": "`+img+`", "account_id": "f037e56e89293a057740de681ac9abbe", "policies": `+accountPolicy("Administrator")+`}`),
		change(`cfiam_api_token.t[\"`+link+`\"]`, "cfiam_api_token", "create", "",
			`{"name": "`+link+`", "policies": [{"effect": "allow", "permission_groups": ["DNS Read"], "zone_ids": ["023e105f4ecef8ad9ca31a8372d0c353"]}]}`),
		change(`cfiam_api_token.c`, "cfiam_api_token", "create", "",
			`{"name": "`+click+`", "policies": [{"effect": "allow", "permission_groups": ["DNS Read"], "zone_ids": ["023e105f4ecef8ad9ca31a8372d0c353"]}]}`),
		change(`cfiam_account_member.m`, "cfiam_account_member", "create", "",
			`{"email": "`+img+`@example.com", "status": "accepted", "account_id": "f037e56e89293a057740de681ac9abbe", "policies": `+accountPolicy("Billing")+`}`),
	)
	// A guardrail and a baseline name the principals in findings too.
	policy := writeFile(t, "g.hcl", `rule "no_admins" {
  kind = "deny"
  role = "Administrator"
}`)
	empty := writeFile(t, "b.json", `{"version": 1, "grants": []}`)
	f := newFakeComments()
	githubEnv(t, githubServer(t, f))
	outputs := map[string]string{}
	for _, format := range []string{"markdown", "json", "sarif"} {
		_, out, stderr := cfiam(t, plan, "review", "--format", format, "--policy", policy, "--baseline", empty, "--fail-on", "never", "-")
		if out == "" {
			t.Fatalf("%s: no output: %s", format, stderr)
		}
		outputs[format] = out
	}
	cfiam(t, plan, "review", "--comment", "github", "--policy", policy, "--baseline", empty, "--fail-on", "never", "-")
	if m := f.marked(); len(m) == 1 {
		outputs["comment"] = f.body(m[0])
	} else {
		t.Fatalf("comment: marked %v", m)
	}
	// Markdown: no HTML tag, and no link: a ] or [ not escaped, outside
	// code spans (whose text Markdown shows as it is). JSON and SARIF are
	// data: encoding/json writes < as \u003c, and GitHub shows SARIF
	// message text as text.
	codeSpan := regexp.MustCompile("`[^`]*`")
	unescaped := regexp.MustCompile(`(^|[^\\])(\]\(javascript:|\[click)`)
	for name, out := range outputs {
		if strings.Contains(out, "<img") {
			t.Errorf("%s: <img unescaped", name)
		}
		if name == "json" || name == "sarif" {
			continue
		}
		text := codeSpan.ReplaceAllString(out, "")
		if m := unescaped.FindStringIndex(text); m != nil {
			t.Errorf("%s: a link: …%s…", name, text[max(0, m[0]-80):min(len(text), m[1]+80)])
		}
	}
	// Each name is there, as text.
	for _, name := range []string{"markdown", "comment"} {
		out := outputs[name]
		for _, want := range []string{
			"&lt;img src=x onerror=alert(1)&gt;",   // in a table cell and in a <summary>
			`\](javascript:alert(1))`,              // the token's name
			`\[click\](javascript:alert(1))`,       // in a table cell
			`&#91;click&#93;(javascript:alert(1))`, // in a <summary>
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: %q missing", name, want)
			}
		}
	}
	for _, name := range []string{"json", "sarif"} {
		var doc any
		if err := json.Unmarshal([]byte(outputs[name]), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text, _ := json.Marshal(doc)
		decoded := string(text)
		var strs []string
		collectStrings(doc, &strs)
		all := strings.Join(strs, "\n")
		if !strings.Contains(all, img) || !strings.Contains(all, link) || !strings.Contains(all, click) {
			t.Errorf("%s: the names are not kept as text: %s", name, decoded[:min(len(decoded), 400)])
		}
	}
}

func collectStrings(v any, out *[]string) {
	switch t := v.(type) {
	case string:
		*out = append(*out, t)
	case []any:
		for _, x := range t {
			collectStrings(x, out)
		}
	case map[string]any:
		for _, x := range t {
			collectStrings(x, out)
		}
	}
}
