package compat

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// documented reads one of the client's samples of OCP's published shapes (internal/ocp/testdata/documented)
// as the answer to a request of kind.
func documented(t *testing.T, kind, ref, file string) Exchange {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "ocp", "testdata", "documented", file))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Status int `json:"status"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	return Exchange{Kind: kind, Ref: ref, Method: "GET", Path: "/api/v2/" + file, HTTPStatus: env.Status, Body: body}
}

// answer is an exchange whose body is an envelope around data (a JSON text), with OCP's other keys.
func answer(kind, ref string, status int, data string) Exchange {
	body := `{"data":` + data + `,"successful":true,"status":200,"timestamp":"2024-07-23T17:23:00.000+08:00","traceId":"0bc49000675d41af","server":"a83ad33525"}`
	if status >= 300 {
		body = data
	}
	return Exchange{Kind: kind, Ref: ref, Method: "GET", Path: "/api/v2/x", HTTPStatus: status, Body: []byte(body)}
}

// verdict runs one check over the exchanges.
func verdict(t *testing.T, id string, o *Observations) Check {
	t.Helper()
	for _, c := range Evaluate(o) {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q", id)
	return Check{}
}

func expect(t *testing.T, o *Observations, id string, want Result, seen ...string) {
	t.Helper()
	c := verdict(t, id, o)
	if c.Result != want {
		t.Errorf("%s: %s (seen %q), want %s", id, c.Result, c.Seen, want)
	}
	for _, s := range seen {
		if !strings.Contains(c.Seen, s) {
			t.Errorf("%s: seen %q lacks %q", id, c.Seen, s)
		}
	}
}

// OCP's published shapes (the client's documented samples) against every check they can decide.
func TestChecksOnDocumentedSamples(t *testing.T) {
	t.Parallel()
	notFound := documented(t, KindNotFound, "task 9", "error_429.json") // the only documented error sample
	o := &Observations{Exchanges: []Exchange{
		documented(t, KindCluster, "cluster 3000012", "cluster.json"),
		documented(t, KindCluster, "cluster 3000011", "cluster_primary.json"),
		documented(t, KindTenant, "tenant 2000025 of cluster 3000010", "tenant.json"),
		documented(t, KindTaskList, "tasks", "task_list.json"),
		documented(t, KindTaskDetail, "task 5000000123", "task_detail.json"),
		notFound,
	}}

	expect(t, o, "envelope.success", Held, "duration, server, status, successful, timestamp, traceId")
	expect(t, o, "envelope.timestamp", Held, "in all 6 envelopes")
	expect(t, o, "envelope.trace_id", Held, "(2 empty)")
	expect(t, o, "error.not_found", Different, "HTTP 429, code 0")
	expect(t, o, "error.code", Held, "a number (0)")

	// OCP's documented tenant detail: documented fields held, every DR field missing.
	expect(t, o, "tenant.detail", Held, "keys charset, clusterId, clusterName, clusterType")
	expect(t, o, "tenant.status", Held, "NORMAL")
	expect(t, o, "tenant.cluster_type", Held, "clusterType PRIMARY, obVersion 4.2.4.0")
	expect(t, o, "tenant.role", Missing, "no tenantRole")
	expect(t, o, "tenant.primary_tenant", Missing, "none reports a role")
	expect(t, o, "tenant.sync_status", Missing)
	expect(t, o, "tenant.log_delay", Missing)
	expect(t, o, "tenant.service_name", NotChecked)

	expect(t, o, "cluster.detail", Held)
	expect(t, o, "cluster.type", Held, "cluster 3000012: STANDBY", "cluster 3000011: PRIMARY")
	expect(t, o, "cluster.status", Held, "SWITCHOVER")
	expect(t, o, "cluster.relations", Held, "cluster 3000012 (STANDBY): primaryCluster{id, name, obClusterId, type}", "standbyClusters (2)")
	expect(t, o, "cluster.standby_sync", Held, "delayTime 1.25, syncStatus VALID")

	expect(t, o, "task_list.page", Held, "totalPage, the older spelling")
	expect(t, o, "task_list.items", Held, "item 171603: cluster{}", "item 5000000001: cluster{}, tenant{}")
	expect(t, o, "task.detail", Held, "cluster{}, tenant{}", "2 subtasks")
	expect(t, o, "task.creator", Held, "creator{id, name}")
	expect(t, o, "task.statuses", Held, "tasks RUNNING, SUCCESSFUL", "subtasks RUNNING, SUCCESSFUL")
	expect(t, o, "task.times", Held, "all RFC 3339")
	expect(t, o, "task.names", Held, `"Failover ob cluster"`, `"Switchover ob tenant for network mode"`)
	expect(t, o, "task_list.name_filter", NotChecked)
	expect(t, o, "precheck.answer", NotChecked, "not requested")

	if got := OBVersions(o); !slices.Equal(got, []string{"cluster 3000012: 3.2.4.5", "tenant 2000025 of cluster 3000010: 4.2.4.0"}) {
		t.Errorf("OB versions %q", got)
	}
}

// The forms assumed before OCP's reference was read: accepted by the client, reported as different.
func TestChecksOnAssumedShapes(t *testing.T) {
	t.Parallel()
	o := &Observations{Exchanges: []Exchange{
		answer(KindCluster, "cluster 1", 200, `{"id":1,"name":"a","status":"RUNNING","type":"PRIMARY","standbyClusterIds":[2]}`),
		answer(KindCluster, "cluster 2", 200, `{"id":2,"name":"b","status":"RUNNING","type":"STANDBY","primaryClusterId":1}`),
		answer(KindCluster, "cluster 4", 200, `{"id":4,"name":"d","status":"RUNNING","type":"PRIMARY"}`),
		answer(KindTenant, "tenant 10 of cluster 1", 200, `{"id":10,"name":"p","clusterId":1,"clusterName":"a","status":"NORMAL","tenantRole":"PRIMARY"}`),
		answer(KindTenant, "tenant 11 of cluster 2", 200, `{"id":11,"name":"s","clusterId":2,"clusterName":"b","status":"NORMAL","tenantRole":"STANDBY",
			"primaryTenantId":10,"syncStatus":"NORMAL","logSyncDelayMillis":120,"serviceName":"svc"}`),
		answer(KindTaskList, "tasks", 200, `{"contents":[{"id":7,"name":"Failover tenant","clusterId":2,"tenantId":11,"creator":"admin","status":"RUNNING",
			"startTime":"2024-07-23T17:20:55.929+08:00"}],"page":{"totalElements":1,"totalPages":1,"number":1,"size":10}}`),
		answer(KindTaskDetail, "task 7", 200, `{"id":7,"name":"Failover tenant","clusterId":2,"tenantId":11,"creator":"admin","status":"RUNNING",
			"startTime":"2024-07-23T17:20:55.929+08:00","subtasks":[{"id":1,"name":"x","status":"RUNNING","timeout":60,"upstreams":[],"downstreams":[]}]}`),
	}}
	expect(t, o, "tenant.role", Held, "tenant 10 of cluster 1: PRIMARY", "tenant 11 of cluster 2: STANDBY")
	expect(t, o, "tenant.primary_tenant", Held, "primaryTenantId 10")
	expect(t, o, "tenant.sync_status", Held, `syncStatus "NORMAL"`)
	expect(t, o, "tenant.log_delay", Held, "logSyncDelayMillis 120")
	expect(t, o, "tenant.service_name", Held, "tenant 11 of cluster 2: serviceName present")
	expect(t, o, "tenant.cluster_type", Missing, "no clusterType, obVersion")
	expect(t, o, "cluster.relations", Different, "cluster 1: standbyClusterIds", "cluster 2 (STANDBY): primaryClusterId", "cluster 4: no relation field")
	expect(t, o, "cluster.standby_sync", Missing, "cluster 2: no delayTime, syncStatus")
	expect(t, o, "task_list.page", Held, "(totalPages)")
	expect(t, o, "task_list.items", Different, "item 7: top-level clusterId, tenantId")
	expect(t, o, "task.detail", Different, "task 7: top-level clusterId, tenantId", "1 subtasks with id, name, status, timeout, upstreams, downstreams")
	expect(t, o, "task.creator", Different, "creator is a string")
	expect(t, o, "task.names", Held, `"Failover tenant"`)
	expect(t, o, "error.not_found", NotChecked)
	expect(t, o, "error.code", NotChecked)
}

// A tenant detail with a role but a standby without the DR fields: missing on the standby only; a pair of
// primaries says nothing of the standby fields.
func TestStandbyFields(t *testing.T) {
	t.Parallel()
	primary := answer(KindTenant, "tenant 10 of cluster 1", 200, `{"id":10,"name":"p","clusterId":1,"clusterName":"a","status":"NORMAL","tenantRole":"PRIMARY"}`)
	standby := answer(KindTenant, "tenant 11 of cluster 1", 200, `{"id":11,"name":"s","clusterId":1,"clusterName":"a","status":"NORMAL","tenantRole":"STANDBY","logSyncDelayMillis":"12"}`)
	o := &Observations{Exchanges: []Exchange{primary, standby}}
	expect(t, o, "tenant.primary_tenant", Missing, "tenant 11 of cluster 1 (STANDBY): no primaryTenantId")
	expect(t, o, "tenant.log_delay", Different, "logSyncDelayMillis is a string")
	o = &Observations{Exchanges: []Exchange{primary}}
	expect(t, o, "tenant.primary_tenant", NotChecked, "no STANDBY tenant")
	odd := answer(KindTenant, "tenant 12 of cluster 1", 200, `{"id":12,"name":"r","clusterId":1,"clusterName":"a","status":"LOCKED","tenantRole":"RESTORE"}`)
	o = &Observations{Exchanges: []Exchange{primary, odd}}
	expect(t, o, "tenant.role", Different, `tenantRole "RESTORE"`)
	expect(t, o, "tenant.status", Different, `status "LOCKED"`)
	gone := answer(KindTenant, "tenant 13 of cluster 1", 404, `{"successful":false,"status":404,"traceId":"","error":{"code":"60018","message":"Tenant not found"}}`)
	o = &Observations{Exchanges: []Exchange{primary, gone}}
	expect(t, o, "tenant.detail", Different, "tenant 13 of cluster 1: HTTP 404, code 60018")
	expect(t, o, "error.code", Held, `a string ("60018")`)
	if r, _ := evalTenantDetail(&Observations{}); r != NotChecked {
		t.Errorf("no tenant: %s", r)
	}
}

func TestEnvelopeChecks(t *testing.T) {
	t.Parallel()
	noTS := Exchange{Kind: KindCluster, Ref: "cluster 1", Method: "GET", Path: "/api/v2/ob/clusters/1", HTTPStatus: 200,
		Body: []byte(`{"data":{"id":1},"successful":true,"status":200}`)}
	badTS := Exchange{Kind: KindCluster, Ref: "cluster 2", Method: "GET", Path: "/api/v2/ob/clusters/2", HTTPStatus: 200,
		Body: []byte(`{"data":{"id":2},"successful":true,"status":200,"timestamp":1721726575000,"traceId":7}`)}
	html := Exchange{Kind: KindTaskList, Ref: "tasks", Method: "GET", Path: "/api/v2/tasks/instances", HTTPStatus: 200, Body: []byte("<html>proxy</html>")}
	o := &Observations{Exchanges: []Exchange{noTS}}
	expect(t, o, "envelope.timestamp", Missing, "no timestamp")
	expect(t, o, "envelope.trace_id", Missing, "no traceId")
	o = &Observations{Exchanges: []Exchange{badTS}}
	expect(t, o, "envelope.timestamp", Different, "timestamp is a number")
	expect(t, o, "envelope.trace_id", Different, "traceId is a number")
	o = &Observations{Exchanges: []Exchange{html}}
	expect(t, o, "envelope.success", Different, "not a JSON object")
	expect(t, o, "task_list.page", Different, "not JSON")
	notFound400 := answer(KindNotFound, "task 9", 400, `{"successful":false,"status":400,"traceId":"x","timestamp":"2024-07-23T17:23:00.000+08:00","error":{"code":{"n":1},"message":"bad"}}`)
	o = &Observations{Exchanges: []Exchange{notFound400}}
	expect(t, o, "error.not_found", Different, "HTTP 400")
	expect(t, o, "error.code", Different, "error.code is a object")
	notFound := answer(KindNotFound, "task 9", 404, `{"successful":false,"status":404,"traceId":"","error":{"code":20000}}`)
	o = &Observations{Exchanges: []Exchange{notFound}}
	expect(t, o, "error.not_found", Missing, "error without message")
}

// A route the user may not read is a finding of the auth check, not a failure of the whole check.
func TestAuthCheckForbidden(t *testing.T) {
	t.Parallel()
	o := &Observations{AccessKey: true, Exchanges: []Exchange{
		answer(KindTaskList, "tasks", 403, `{"successful":false,"status":403,"error":{"code":30014,"message":"no permission"}}`),
	}}
	expect(t, o, "auth", Different, "AccessKey: HTTP 403 (a permission the user lacks) for GET /api/v2/x")
	expect(t, &Observations{AccessKey: true}, "auth", Held, "AccessKey")
	expect(t, &Observations{}, "auth", Held, "HTTP Basic")
}

func TestVersionCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		status     int
		want       Result
		version    string
	}{
		{"bare, as documented", `{"artifact":"ocp-server","buildVersion":"4.2.1-20240101"}`, 200, Held, "4.2.1-20240101"},
		{"in an envelope", `{"data":{"buildVersion":"4.3.0"},"successful":true,"status":200}`, 200, Held, "4.3.0"},
		{"no route", `{"successful":false,"status":400,"error":{"code":10001,"message":"No handler"}}`, 400, Missing, ""},
		{"no buildVersion", `{"name":"ocp-server"}`, 200, Different, ""},
	} {
		o := &Observations{Exchanges: []Exchange{{Kind: KindInfo, Ref: "OCP", Method: "GET", Path: "/api/v2/info", HTTPStatus: tc.status, Body: []byte(tc.body)}}}
		if c := verdict(t, "ocp.version", o); c.Result != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, c.Result, c.Seen, tc.want)
		}
		if v := OCPVersion(o); v != tc.version {
			t.Errorf("%s: version %q, want %q", tc.name, v, tc.version)
		}
	}
}

func TestTaskChecks(t *testing.T) {
	t.Parallel()
	list := answer(KindTaskList, "tasks", 200, `{"contents":[{"id":7,"name":"Add host","cluster":{"id":1},"creator":{"id":1},"status":"CANCELED",
		"startTime":1721726575000,"subtasks":[{"id":1,"status":"SKIPPED","startTime":"yesterday"}]}],"page":{"totalElements":1,"number":1,"size":10}}`)
	o := &Observations{Exchanges: []Exchange{list}}
	expect(t, o, "task.statuses", Different, `status "CANCELED"`, `subtask status "SKIPPED"`, "treated as running")
	expect(t, o, "task.times", Different, "startTime is a number", `startTime "yesterday" is not RFC 3339`)
	expect(t, o, "task.creator", Missing, "creator{id} without name")
	expect(t, o, "task.names", NotChecked, `names seen: "Add host"`)
	expect(t, o, "task_list.page", Different, "neither totalPages nor totalPage")
	expect(t, o, "task.detail", NotChecked)

	empty := answer(KindTaskList, "tasks", 200, `{"contents":[]}`)
	o = &Observations{Exchanges: []Exchange{empty}}
	expect(t, o, "task_list.page", Missing, "no page object")
	expect(t, o, "task_list.items", NotChecked, "first page is empty")
	expect(t, o, "task.times", NotChecked)
}

func TestNameFilterCheck(t *testing.T) {
	t.Parallel()
	probe := func(data string) *Observations {
		e := answer(KindNameProbe, "task 7", 200, data)
		e.Query = map[string][]string{"name": {"FAILOVER"}}
		return &Observations{Exchanges: []Exchange{e}}
	}
	expect(t, probe(`{"contents":[{"id":6},{"id":7}],"page":{"totalPages":1}}`), "task_list.name_filter", Held, "name=FAILOVER found task 7 among 2")
	expect(t, probe(`{"contents":[],"page":{"totalPages":1}}`), "task_list.name_filter", Different, "exact or case-sensitive")
	expect(t, probe(`{"contents":[{"id":6}],"page":{"totalPage":3}}`), "task_list.name_filter", NotChecked, "not on the first of 3 pages")

	q, ok := nameProbeQuery(asObject([]byte(`{"id":7,"name":"Failover OB cluster","cluster":{"id":6}}`)))
	if !ok || q.Get("name") != "FAILOVER" || q.Get("clusterId") != "6" {
		t.Errorf("probe query %v", q)
	}
	if got := probeKeyword("ADD HOST"); got != "host" {
		t.Errorf("keyword of an upper-case name %q", got)
	}
	if _, ok := nameProbeQuery(asObject([]byte(`{"id":7,"name":"a b"}`))); ok {
		t.Error("a name without a word of four letters has no probe")
	}
}

func TestPrecheckCheck(t *testing.T) {
	t.Parallel()
	pre := func(status int, data string) *Observations {
		e := answer(KindPrecheck, "tenant 1", status, data)
		e.Method = "POST"
		return &Observations{PrecheckRequested: true, Exchanges: []Exchange{e}}
	}
	expect(t, pre(200, `{"valid":false,"standbyCheckResults":[{"valid":false,"checkResults":[{"warning":false,"errorCode":"OBE26009","errorMessage":"lag"},
		{"warning":true,"errorCode":"OBE26107","errorMessage":"proxy"}]}]}`), "precheck.answer", Held, "valid false", "OBE26009 (blocking), OBE26107 (warning)")
	expect(t, pre(200, `{"valid":true}`), "precheck.answer", Missing, "no standbyCheckResults")
	expect(t, pre(200, `{"valid":true,"standbyCheckResults":[{"checkResults":[{"warning":"no","errorCode":1}]}]}`), "precheck.answer", Different, "a check result with keys")
	expect(t, pre(400, `{"successful":false,"status":400,"error":{"code":"60102","message":"blocked"}}`), "precheck.answer", Different, "HTTP 400, code 60102")
}

// Every check has a unique id, an assumption, a source marked [doc] or [assumed] and an impact, and the
// API compatibility guide names every check the check verifies.
func TestCatalogAndGuide(t *testing.T) {
	t.Parallel()
	guide, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "api-compatibility.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range catalog {
		if seen[s.id] {
			t.Errorf("duplicate check id %q", s.id)
		}
		seen[s.id] = true
		if s.assumption == "" || s.impact == "" || (!strings.Contains(s.source, "[doc]") && !strings.Contains(s.source, "[assumed]")) {
			t.Errorf("check %q: assumption, impact or source missing (%+v)", s.id, s)
		}
		if !strings.Contains(string(guide), "`"+s.id+"`") {
			t.Errorf("the API compatibility guide does not name check `%s`", s.id)
		}
	}
	// …and names no check that does not exist.
	for _, m := range regexp.MustCompile("check `([a-z_]+\\.[a-z_.]+|auth)`").FindAllStringSubmatch(string(guide), -1) {
		if !seen[m[1]] {
			t.Errorf("the guide names check %q, which does not exist", m[1])
		}
	}
}
