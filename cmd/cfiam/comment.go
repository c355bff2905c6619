package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

const commentHelp = `
Pull-request comment (--comment github|gitlab): cfiam posts the report in
Markdown (whatever --format prints) as one comment marked by a hidden tag,
` + commentMarker + `, and on the next run:
  --comment-mode update          edits that comment (the default; creates it
                                 the first time)
  --comment-mode new             adds a new comment each run
  --comment-mode delete-and-new  deletes the marked comments, adds a new one
  --comment-mode hide-and-new    hides the marked comments (GitHub: minimized
                                 as outdated; GitLab: folded into a closed
                                 "outdated" section), adds a new one
  --skip-no-change               when the plan changes no access, posts
                                 nothing and deletes a marked comment left
                                 from an earlier run
It reads the platform's own variables and fails with one line naming the
one that is missing:
  github  GITHUB_TOKEN (pull-requests: write; contents: read), GITHUB_REPOSITORY
          (owner/name), GITHUB_EVENT_PATH (the pull_request event, for its
          number; or set CFIAM_PR_NUMBER), GITHUB_API_URL (default
          https://api.github.com), GITHUB_GRAPHQL_URL (hide-and-new; default
          from GITHUB_API_URL)
  gitlab  GITLAB_TOKEN (a project or personal access token with api scope),
          CI_PROJECT_ID, CI_MERGE_REQUEST_IID (merge request pipelines),
          CI_API_V4_URL (default https://gitlab.com/api/v4)
A report longer than the platform's limit (GitHub 65,536 characters, GitLab
1,000,000) is cut, with a line saying so. Names of principals, groups,
tokens and resources are escaped: they show as text, never as HTML or links.
`

// commentMarker is the hidden tag that marks cfiam's comment.
const commentMarker = "<!-- cfiam-review -->"

// hiddenMarker marks a GitLab note hide-and-new folded away: not cfiam's
// current comment any more.
const hiddenMarker = "<!-- cfiam-review: outdated -->"

// Comment limits of the platforms, in characters.
const (
	githubCommentLimit = 65536
	gitlabCommentLimit = 1000000
)

// comment is one comment of a pull request or merge request.
type comment struct {
	ID     int64
	NodeID string // GitHub's GraphQL ID, for minimizeComment
	Body   string
}

// commenter speaks one platform's API.
type commenter interface {
	limit() int
	list(ctx context.Context) ([]comment, error)
	create(ctx context.Context, body string) error
	update(ctx context.Context, c comment, body string) error
	remove(ctx context.Context, c comment) error
	hide(ctx context.Context, c comment) error
}

// postComment does what --comment-mode says with the report's Markdown.
// changed is whether the plan changes any access (for --skip-no-change).
func postComment(ctx context.Context, c commenter, mode string, skipNoChange, changed bool, report string) (string, error) {
	all, err := c.list(ctx)
	if err != nil {
		return "", err
	}
	var marked []comment
	for _, x := range all {
		if strings.Contains(x.Body, commentMarker) {
			marked = append(marked, x)
		}
	}
	slices.SortFunc(marked, func(a, b comment) int { return cmp.Compare(a.ID, b.ID) })
	if skipNoChange && !changed {
		for _, x := range marked {
			if err := c.remove(ctx, x); err != nil {
				return "", err
			}
		}
		if len(marked) > 0 {
			return fmt.Sprintf("no access changes: deleted %d earlier comment(s), posted none", len(marked)), nil
		}
		return "no access changes: posted no comment", nil
	}
	body := commentBody(report, c.limit())
	switch mode {
	case "update":
		if len(marked) > 0 {
			last := marked[len(marked)-1]
			if err := c.update(ctx, last, body); err != nil {
				return "", err
			}
			return "updated the comment " + strconv.FormatInt(last.ID, 10), nil
		}
	case "delete-and-new":
		for _, x := range marked {
			if err := c.remove(ctx, x); err != nil {
				return "", err
			}
		}
	case "hide-and-new":
		for _, x := range marked {
			if err := c.hide(ctx, x); err != nil {
				return "", err
			}
		}
	}
	if err := c.create(ctx, body); err != nil {
		return "", err
	}
	return "posted a new comment", nil
}

// commentBody is the marker and the report, cut to limit characters with a
// line saying so, its open <details> sections closed.
func commentBody(report string, limit int) string {
	body := commentMarker + "\n" + strings.TrimRight(report, "\n") + "\n"
	if len(body) <= limit { // bytes: never fewer than characters
		return body
	}
	note := fmt.Sprintf("\n**cfiam: this report was cut to fit the comment limit (%d characters; the whole report is %d bytes). "+
		"Run cfiam review locally, or read the job's output, for all of it.**\n", limit, len(body))
	room := limit - len(note) - 64 // and the closing tags below
	lines := strings.SplitAfter(body, "\n")
	var b strings.Builder
	open := 0
	for _, l := range lines {
		closers := open * len("\n</details>\n")
		if b.Len()+len(l)+closers > room {
			if open == 0 && b.Len() < room/2 {
				// A line longer than what is left (the summary of a huge
				// plan): its start, cut at a character.
				cut := []rune(l[:max(0, room-b.Len())])
				b.WriteString(strings.TrimRight(string(cut[:max(0, len(cut)-1)]), "\\") + "…\n")
			}
			break
		}
		b.WriteString(l)
		open += strings.Count(l, "<details>") - strings.Count(l, "</details>")
	}
	for ; open > 0; open-- {
		b.WriteString("\n</details>\n")
	}
	b.WriteString(note)
	return b.String()
}

// httpAPI is the JSON over HTTP both platforms speak.
type httpAPI struct {
	client   *http.Client
	base     string
	platform string
	auth     func(*http.Request)
}

// do sends one request and decodes the answer into out; a refusal is one
// line with the platform's message, never the token.
func (a *httpAPI) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	target := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		target = strings.TrimRight(a.base, "/") + path
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "cfiam-review")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	a.auth(req)
	resp, err := a.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("%s %s: %w", method, redact(path), err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, redact(path), err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Message any `json:"message"`
			Error   any `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		msg := fmt.Sprint(e.Message)
		if e.Message == nil {
			msg = fmt.Sprint(e.Error)
		}
		if e.Message == nil && e.Error == nil {
			msg = http.StatusText(resp.StatusCode)
		}
		return fmt.Errorf("%s answered %d to %s %s: %s", a.platform, resp.StatusCode, method, redact(path), oneLine(msg))
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, redact(path), err)
		}
	}
	return nil
}

// redact drops a URL's query (never a secret here, but short lines read better).
func redact(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}

func env(name string) (string, error) {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return "", fmt.Errorf("--comment: %s is not set", name)
	}
	return v, nil
}

func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

var httpClient = &http.Client{Timeout: 60 * time.Second}

// GitHub: issue comments (a pull request is an issue) over REST, minimize over GraphQL.
type github struct {
	api     *httpAPI
	graphQL string
	repo    string
	number  int
}

func newGitHub() (*github, error) {
	token, err := env("GITHUB_TOKEN")
	if err != nil {
		return nil, err
	}
	repo, err := env("GITHUB_REPOSITORY")
	if err != nil {
		return nil, err
	}
	if owner, name, ok := strings.Cut(repo, "/"); !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("--comment: GITHUB_REPOSITORY %q: want owner/name", repo)
	}
	number, err := prNumber()
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(envOr("GITHUB_API_URL", "https://api.github.com"), "/")
	graphQL := os.Getenv("GITHUB_GRAPHQL_URL")
	if graphQL == "" {
		graphQL = base + "/graphql"
		if b, ok := strings.CutSuffix(base, "/v3"); ok { // GitHub Enterprise Server: /api/v3 → /api/graphql
			graphQL = b + "/graphql"
		}
	}
	api := &httpAPI{client: httpClient, base: base, platform: "GitHub", auth: func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	}}
	return &github{api: api, graphQL: graphQL, repo: repo, number: number}, nil
}

// prNumber is the pull request's number: CFIAM_PR_NUMBER, else the event file's.
func prNumber() (int, error) {
	if v := os.Getenv("CFIAM_PR_NUMBER"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--comment: CFIAM_PR_NUMBER %q is not a pull request number", v)
		}
		return n, nil
	}
	path, err := env("GITHUB_EVENT_PATH")
	if err != nil {
		return 0, errors.New("--comment: GITHUB_EVENT_PATH is not set (the pull request's event file; or set CFIAM_PR_NUMBER)")
	}
	data, err := os.ReadFile(path) //nolint:gosec // G304: the runner's event file
	if err != nil {
		return 0, fmt.Errorf("--comment: GITHUB_EVENT_PATH: %w", err)
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Issue struct {
			Number      int `json:"number"`
			PullRequest any `json:"pull_request"`
		} `json:"issue"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, fmt.Errorf("--comment: GITHUB_EVENT_PATH is not an event file: %w", err)
	}
	switch {
	case ev.PullRequest.Number > 0:
		return ev.PullRequest.Number, nil
	case ev.Issue.Number > 0 && ev.Issue.PullRequest != nil:
		return ev.Issue.Number, nil
	case ev.Number > 0:
		return ev.Number, nil
	}
	return 0, errors.New("--comment: the event in GITHUB_EVENT_PATH is not about a pull request (run on pull_request, or set CFIAM_PR_NUMBER)")
}

func (g *github) limit() int { return githubCommentLimit }

func (g *github) list(ctx context.Context) ([]comment, error) {
	var out []comment
	const perPage = 100
	for page := 1; ; page++ {
		var batch []struct {
			ID     int64  `json:"id"`
			NodeID string `json:"node_id"`
			Body   string `json:"body"`
		}
		path := fmt.Sprintf("/repos/%s/issues/%d/comments?per_page=%d&page=%d", g.repo, g.number, perPage, page)
		if err := g.api.do(ctx, http.MethodGet, path, nil, &batch); err != nil {
			return nil, err
		}
		for _, c := range batch {
			out = append(out, comment{ID: c.ID, NodeID: c.NodeID, Body: c.Body})
		}
		if len(batch) < perPage {
			return out, nil
		}
	}
}

func (g *github) create(ctx context.Context, body string) error {
	err := g.api.do(ctx, http.MethodPost, fmt.Sprintf("/repos/%s/issues/%d/comments", g.repo, g.number), map[string]string{"body": body}, nil)
	return err
}

func (g *github) update(ctx context.Context, c comment, body string) error {
	err := g.api.do(ctx, http.MethodPatch, fmt.Sprintf("/repos/%s/issues/comments/%d", g.repo, c.ID), map[string]string{"body": body}, nil)
	return err
}

func (g *github) remove(ctx context.Context, c comment) error {
	err := g.api.do(ctx, http.MethodDelete, fmt.Sprintf("/repos/%s/issues/comments/%d", g.repo, c.ID), nil, nil)
	return err
}

func (g *github) hide(ctx context.Context, c comment) error {
	const q = `mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }`
	var out struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := g.api.do(ctx, http.MethodPost, g.graphQL, map[string]any{"query": q, "variables": map[string]string{"id": c.NodeID}}, &out); err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		return fmt.Errorf("GitHub refused to minimize comment %d: %s", c.ID, oneLine(out.Errors[0].Message))
	}
	return nil
}

// GitLab: merge request notes.
type gitlab struct {
	api     *httpAPI
	project string
	iid     int
}

func newGitLab() (*gitlab, error) {
	token, err := env("GITLAB_TOKEN")
	if err != nil {
		return nil, err
	}
	project, err := env("CI_PROJECT_ID")
	if err != nil {
		return nil, err
	}
	iidText, err := env("CI_MERGE_REQUEST_IID")
	if err != nil {
		return nil, errors.New("--comment: CI_MERGE_REQUEST_IID is not set (run the job in a merge request pipeline)")
	}
	iid, err := strconv.Atoi(iidText)
	if err != nil || iid <= 0 {
		return nil, fmt.Errorf("--comment: CI_MERGE_REQUEST_IID %q is not a merge request IID", iidText)
	}
	base := envOr("CI_API_V4_URL", "https://gitlab.com/api/v4")
	api := &httpAPI{client: httpClient, base: base, platform: "GitLab", auth: func(r *http.Request) { r.Header.Set("PRIVATE-TOKEN", token) }}
	return &gitlab{api: api, project: url.PathEscape(project), iid: iid}, nil
}

func (g *gitlab) limit() int { return gitlabCommentLimit }

func (g *gitlab) notes() string {
	return fmt.Sprintf("/projects/%s/merge_requests/%d/notes", g.project, g.iid)
}

func (g *gitlab) list(ctx context.Context) ([]comment, error) {
	var out []comment
	const perPage = 100
	for page := 1; ; page++ {
		var batch []struct {
			ID     int64  `json:"id"`
			Body   string `json:"body"`
			System bool   `json:"system"`
		}
		if err := g.api.do(ctx, http.MethodGet, fmt.Sprintf("%s?per_page=%d&page=%d&sort=asc&order_by=created_at", g.notes(), perPage, page), nil, &batch); err != nil {
			return nil, err
		}
		for _, n := range batch {
			if !n.System {
				out = append(out, comment{ID: n.ID, Body: n.Body})
			}
		}
		if len(batch) < perPage {
			return out, nil
		}
	}
}

func (g *gitlab) create(ctx context.Context, body string) error {
	err := g.api.do(ctx, http.MethodPost, g.notes(), map[string]string{"body": body}, nil)
	return err
}

func (g *gitlab) update(ctx context.Context, c comment, body string) error {
	err := g.api.do(ctx, http.MethodPut, fmt.Sprintf("%s/%d", g.notes(), c.ID), map[string]string{"body": body}, nil)
	return err
}

func (g *gitlab) remove(ctx context.Context, c comment) error {
	err := g.api.do(ctx, http.MethodDelete, fmt.Sprintf("%s/%d", g.notes(), c.ID), nil, nil)
	return err
}

// hide folds the note into a closed section and unmarks it: GitLab has no
// minimize for notes.
func (g *gitlab) hide(ctx context.Context, c comment) error {
	old := strings.ReplaceAll(c.Body, commentMarker, "")
	body := hiddenMarker + "\n<details><summary>Outdated cfiam review (a later run posted a new one)</summary>\n\n" + strings.TrimSpace(old) + "\n\n</details>\n"
	if len(body) > gitlabCommentLimit {
		body = hiddenMarker + "\nOutdated cfiam review: a later run posted a new one.\n"
	}
	return g.update(ctx, c, body)
}
