package ocpsim_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

type tenantList struct {
	Contents []json.RawMessage `json:"contents"`
	Page     struct {
		TotalElements int  `json:"totalElements"`
		TotalPages    *int `json:"totalPages"`
		TotalPage     *int `json:"totalPage"`
		Number        int  `json:"number"`
		Size          int  `json:"size"`
	} `json:"page"`
}

func (e *env) tenantList(cluster int64, query string) tenantList {
	e.t.Helper()
	var l tenantList
	e.do("GET", fmt.Sprintf("/api/v2/ob/clusters/%d/tenants%s", cluster, query), nil).ok(e.t, &l)
	return l
}

// ids returns the ids of the listed tenants, in list order.
func (l tenantList) ids(t *testing.T) []int64 {
	t.Helper()
	out := make([]int64, 0, len(l.Contents))
	for _, raw := range l.Contents {
		var w wireTenant
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		out = append(out, w.ID)
	}
	return out
}

// GET /ob/clusters/{id}/tenants: the cluster's tenants in id order, each the same object as the tenant
// detail, paged as OCP's lists are, with the name and status filters.
func TestTenantList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})

	west := e.tenantList(clusterWest, "")
	if got, want := west.ids(t), []int64{ordersS, lagS, nomatchS, batchS1, batchS2, batchS3}; !slices.Equal(got, want) {
		t.Fatalf("cluster 3000014 lists %v, want %v", got, want)
	}
	if p := west.Page; p.TotalElements != 6 || p.TotalPages == nil || *p.TotalPages != 1 || p.TotalPage != nil || p.Number != 1 || p.Size != 10 {
		t.Errorf("page = %+v", p)
	}
	// Each item is the tenant detail's object, DR fields included (the sync SCN advances with the clock).
	for i, id := range west.ids(t) {
		item, detail := object(t, west.Contents[i]), object(t, e.getData(fmt.Sprintf("/api/v2/ob/clusters/3000014/tenants/%d", id)))
		if _, ok := item["syncScn"]; !ok {
			t.Errorf("item %d has no syncScn", id)
		}
		delete(item, "syncScn")
		delete(detail, "syncScn")
		a, _ := json.Marshal(item)
		b, _ := json.Marshal(detail)
		equalJSON(t, fmt.Sprintf("item %d", id), a, string(b))
	}
	if got := e.tenantList(clusterB, "").ids(t); !slices.Equal(got, []int64{ohayo1}) {
		t.Errorf("cluster 3000009 lists %v", got)
	}
	if got := e.tenantList(clusterDC1, "").ids(t); len(got) != 0 {
		t.Errorf("a cluster without tenants lists %v", got)
	}
	if l := e.tenantList(clusterDC1, ""); l.Contents == nil {
		t.Error("an empty list has no contents array")
	}

	// name is a keyword (case-insensitive substring), status a comma-separated, repeatable list.
	if got := e.tenantList(clusterWest, "?name=BATCH").ids(t); !slices.Equal(got, []int64{batchS1, batchS2, batchS3}) {
		t.Errorf("name=BATCH lists %v", got)
	}
	e.sim.SetTenantStatus(lagS, ocpsim.TenantModifying)
	if got := e.tenantList(clusterWest, "?status=MODIFYING").ids(t); !slices.Equal(got, []int64{lagS}) {
		t.Errorf("status=MODIFYING lists %v", got)
	}
	if got := e.tenantList(clusterWest, "?status=normal,MODIFYING&name=s1").ids(t); !slices.Equal(got, []int64{batchS1}) {
		t.Errorf("status+name lists %v", got)
	}

	// Paging: 1-based, size capped at 2000, a page past the end is empty.
	p2 := e.tenantList(clusterWest, "?size=4&page=2")
	if got := p2.ids(t); !slices.Equal(got, []int64{batchS2, batchS3}) || p2.Page.TotalElements != 6 || *p2.Page.TotalPages != 2 || p2.Page.Number != 2 {
		t.Errorf("page 2 of size 4 = %v %+v", got, p2.Page)
	}
	if l := e.tenantList(clusterWest, "?page=9"); len(l.Contents) != 0 {
		t.Errorf("page past the end lists %d tenants", len(l.Contents))
	}
	if l := e.tenantList(clusterWest, "?size=5000"); l.Page.Size != 2000 {
		t.Errorf("size not capped: %d", l.Page.Size)
	}

	e.do("GET", "/api/v2/ob/clusters/42/tenants", nil).fails(t, 404, "50001")
	e.do("GET", "/api/v2/ob/clusters/3000014/tenants?page=0", nil).fails(t, 400, "10001")
	e.do("GET", "/api/v2/ob/clusters/abc/tenants", nil).fails(t, 400, "10001")
	if n := e.sim.Counters().Requests[ocpsim.RouteTenantList]; n < 10 {
		t.Errorf("tenant list requests counted %d times", n)
	}
}

// The list follows the switches of the tenant detail: no DR fields under OmitTenantDRFields, the page
// count spelt totalPage under LegacyTotalPage.
func TestTenantListSwitches(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{OmitTenantDRFields: true, LegacyTotalPage: true})
	l := e.tenantList(clusterWest, "?size=2")
	for _, raw := range l.Contents {
		hasKeys(t, "listed tenant", object(t, raw), "id", "name", "clusterId", "clusterName", "obClusterId", "clusterType", "mode",
			"createTime", "primaryZone", "status", "locked", "readonly", "obVersion", "serviceName")
	}
	if l.Page.TotalPages != nil || l.Page.TotalPage == nil || *l.Page.TotalPage != 3 {
		t.Errorf("legacy page = %+v", l.Page)
	}
}
