package ocp

import (
	"net/http"
	"strconv"
	"testing"
)

// ListTenants follows every page of OCP's tenant list, whichever way the page says how many there are,
// keeps a tenant listed twice once, fills a missing cluster id with the one asked, and decodes the
// tenant objects as the detail's (DR fields included).
func TestListTenantsFollowsPages(t *testing.T) {
	t.Parallel()
	const total = 230
	tests := []struct {
		name string
		page func(number, size int) map[string]any // nil: un-paged, everything at once
		// shift makes each page after the first start one item early, as when a tenant was added
		// between two requests: the item on the boundary is listed twice.
		shift bool
	}{
		{name: "totalPages", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "totalPages": (total + size - 1) / size, "number": n, "size": size}
		}},
		{name: "old totalPage spelling", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "totalPage": (total + size - 1) / size, "number": n, "size": size}
		}},
		{name: "totalElements only", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "number": n, "size": size}
		}},
		{name: "shifted pages", shift: true, page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "totalPages": (total + size - 1) / size, "number": n, "size": size}
		}},
		{name: "un-paged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			s.handle("GET /api/v2/ob/clusters/{id}/tenants", func(w http.ResponseWriter, r *http.Request) {
				if r.PathValue("id") != "3000014" {
					t.Errorf("path %s", r.URL.Path)
				}
				size, _ := strconv.Atoi(r.URL.Query().Get("size"))
				n, _ := strconv.Atoi(r.URL.Query().Get("page"))
				if size != 100 || n < 1 {
					t.Errorf("query %q", r.URL.RawQuery)
				}
				from, to := (n-1)*size, min(n*size, total)
				if tt.shift && n > 1 {
					from--
				}
				if tt.page == nil {
					from, to = 0, total
				}
				var contents []map[string]any
				for i := from; i < to; i++ {
					item := map[string]any{"id": 1_000_000 + i, "name": "t" + strconv.Itoa(i), "status": "NORMAL",
						"tenantRole": "STANDBY", "primaryTenantId": 7}
					if i%2 == 0 {
						item["clusterId"] = 3000014
					}
					contents = append(contents, item)
				}
				data := map[string]any{"contents": contents}
				if tt.page != nil {
					data["page"] = tt.page(n, size)
				}
				writeOK(w, data)
			})
			got, err := s.client().ListTenants(t.Context(), 3000014)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != total {
				t.Fatalf("got %d tenants, want %d", len(got), total)
			}
			for i, tn := range got {
				if tn.ID != int64(1_000_000+i) || tn.ClusterID != 3000014 || tn.Role != RoleStandby || tn.PrimaryTenantID != 7 {
					t.Fatalf("tenant %d = %+v", i, tn)
				}
			}
		})
	}
}

func TestListTenantsUnknownCluster(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/ob/clusters/{id}/tenants", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, 50001, "OB cluster 42 does not exist.")
	})
	got, err := s.client().ListTenants(t.Context(), 42)
	if !IsNotFound(err) || got != nil {
		t.Fatalf("got %v, %v; want a not-found error", got, err)
	}
}

// A server that claims pages it does not have: an empty page ends the walk.
func TestListTenantsStopsOnEmptyPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	const route = "GET /api/v2/ob/clusters/{id}/tenants"
	s.handle(route, func(w http.ResponseWriter, _ *http.Request) {
		writeOK(w, map[string]any{"contents": []any{}, "page": map[string]any{"totalPages": 1000, "number": 1, "size": 100}})
	})
	got, err := s.client().ListTenants(t.Context(), 1)
	if err != nil || len(got) != 0 || s.count(route) != 1 {
		t.Fatalf("got %v, %v after %d requests", got, err, s.count(route))
	}
}
