package cfclient_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/cfiam/terraform-provider-cfiam/internal/catalog"
	"github.com/cfiam/terraform-provider-cfiam/internal/cfclient"
)

// TestListObjects_pages: an Access listing reads every page and no more: 101
// service tokens in pages of 100 are two requests, whether result_info says
// total_pages or not (then the short second page ends it); 2 are one.
func TestListObjects_pages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		objects    int
		totalPages bool
		want       int // requests
	}{
		{"101 with total_pages", 101, true, 2},
		{"101 without total_pages", 101, false, 2},
		{"2 without total_pages", 2, false, 1},
		{"100 without total_pages", 100, false, 2}, // a full page: the next, empty, page says it was the last
		{"100 with total_pages", 100, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			requests := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requests++
				mu.Unlock()
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				page = max(page, 1)
				perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
				var result []map[string]any
				for i := (page - 1) * perPage; i < min(page*perPage, tc.objects); i++ {
					result = append(result, map[string]any{"id": fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), "name": fmt.Sprint("token-", i)})
				}
				info := map[string]any{"page": page, "per_page": perPage, "count": len(result)}
				if tc.totalPages {
					info["total_pages"] = (tc.objects + perPage - 1) / perPage
					info["total_count"] = tc.objects
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": result, "result_info": info})
			}))
			t.Cleanup(srv.Close)
			c, err := cfclient.New(cfclient.Config{APIToken: "test-token", BaseURL: srv.URL, AccountID: "f037e56e89293a057740de681ac9abbe", MaxRetries: 0})
			if err != nil {
				t.Fatal(err)
			}
			objs, err := c.ListObjects(t.Context(), catalog.ScopeAccessServiceToken, "f037e56e89293a057740de681ac9abbe")
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != tc.objects || requests != tc.want {
				t.Errorf("%d objects in %d requests, want %d in %d", len(objs), requests, tc.objects, tc.want)
			}
		})
	}
}
