package ocpsim_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// object decodes raw as a JSON object, keeping its values raw.
func object(t *testing.T, raw json.RawMessage) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not an object: %v: %s", err, raw)
	}
	return m
}

// hasKeys asserts that the object has exactly the keys want.
func hasKeys(t *testing.T, what string, m map[string]json.RawMessage, want ...string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s keys = %s\nwant         %s", what, strings.Join(got, ","), strings.Join(want, ","))
	}
}

// equalJSON asserts that raw holds the same JSON value as want (compared after decoding both).
func equalJSON(t *testing.T, what string, raw json.RawMessage, want string) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %v: %s", what, err, raw)
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("%s = %s\nwant %s", what, ja, jb)
	}
}

// getData answers GET path's data.
func (e *env) getData(path string) json.RawMessage {
	e.t.Helper()
	r := e.do("GET", path, nil)
	r.ok(e.t, nil)
	return r.env.Data
}

// listItems answers the task list's items for query.
func (e *env) listItems(query string) []json.RawMessage {
	e.t.Helper()
	var l struct {
		Contents []json.RawMessage `json:"contents"`
	}
	if err := json.Unmarshal(e.getData("/api/v2/tasks/instances"+query), &l); err != nil {
		e.t.Fatal(err)
	}
	return l.Contents
}

// The keys of a task as created (and retried) in both modes, and as read back in the assumed mode.
var createdTaskKeys = []string{"id", "name", "clusterId", "tenantId", "creator", "executor", "operation",
	"prohibitRollback", "startTime", "status", "type", "taskDefinitionId", "subtasks"}

// The keys of a documented task detail or list item while it runs (finishTime comes at the end).
var documentedTaskKeys = []string{"id", "name", "taskDefinitionId", "cluster", "tenant", "creator", "status", "type",
	"operation", "executor", "prohibitRollback", "subtasks", "createTime", "startTime"}

func TestTaskShapesDocumented(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold})
	if got := e.sim.Settings().Shapes; got != ocpsim.ShapesDocumented {
		t.Fatalf("default shapes = %q", got)
	}
	r := e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS})
	r.ok(t, nil)
	created := object(t, r.env.Data)
	// The create answer is the samples' form: top-level ids, creator a string.
	hasKeys(t, "create answer", created, createdTaskKeys...)
	equalJSON(t, "create answer creator", created["creator"], `"admin"`)
	var id int64
	_ = json.Unmarshal(created["id"], &id)

	detail := object(t, e.getData(taskPath(id)))
	hasKeys(t, "detail", detail, documentedTaskKeys...)
	east, _ := e.sim.Cluster(clusterEast)
	op := tenant(t, e.sim, ordersP)
	equalJSON(t, "detail cluster", detail["cluster"], `{"id":3000013,"name":"OB_EAST","obClusterId":`+itoa(east.OBClusterID)+`,"type":"PRIMARY"}`)
	equalJSON(t, "detail tenant", detail["tenant"], `{"id":2000101,"name":"orders_p","obTenantId":`+itoa(op.OBTenantID)+`,"mode":"MYSQL"}`)
	equalJSON(t, "detail creator", detail["creator"], `{"id":1,"name":"admin"}`)
	var subs []map[string]json.RawMessage
	if err := json.Unmarshal(detail["subtasks"], &subs); err != nil || len(subs) != 10 {
		t.Fatalf("detail subtasks: %v (%d)", err, len(subs))
	}
	hasKeys(t, "detail subtask", subs[0], "id", "name", "description", "status", "seriesId", "timeout", "upstreams",
		"downstreams", "prohibitRollback", "parallelIdx", "runTime", "nodeType", "operation")
	var createTime, startTime string
	_ = json.Unmarshal(detail["createTime"], &createTime)
	_ = json.Unmarshal(detail["startTime"], &startTime)
	if _, err := time.Parse(time.RFC3339Nano, createTime); err != nil || createTime != startTime {
		t.Errorf("createTime %q, startTime %q", createTime, startTime)
	}

	items := e.listItems("?tenantId=2000101")
	if len(items) != 1 {
		t.Fatalf("list: %d items", len(items))
	}
	item := object(t, items[0])
	hasKeys(t, "list item", item, documentedTaskKeys...)
	equalJSON(t, "list item tenant", item["tenant"], string(detail["tenant"]))
	subs = nil // Unmarshal would merge into the detail's maps
	if err := json.Unmarshal(item["subtasks"], &subs); err != nil || len(subs) != 10 {
		t.Fatalf("list subtasks: %v (%d)", err, len(subs))
	}
	for _, st := range subs {
		hasKeys(t, "list item subtask", st, "id", "name", "description", "status", "operation")
	}

	// A cluster failover task has a cluster and no tenant.
	var cf wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &cf)
	cfDetail := object(t, e.getData(taskPath(cf.ID)))
	hasKeys(t, "cluster failover detail", cfDetail, slices.DeleteFunc(slices.Clone(documentedTaskKeys), func(k string) bool { return k == "tenant" })...)
	var cref struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(cfDetail["cluster"], &cref)
	if cref.ID != clusterDC2 || cref.Type != "STANDBY" {
		t.Errorf("cluster failover's cluster = %+v", cref)
	}

	// Once ended, finishTime joins; the cluster object follows the cluster (now PRIMARY).
	e.sim.SetStepDuration(time.Millisecond)
	waitTask(t, e.sim, id)
	waitTask(t, e.sim, cf.ID)
	hasKeys(t, "ended detail", object(t, e.getData(taskPath(id))), append(slices.Clone(documentedTaskKeys), "finishTime")...)
	_ = json.Unmarshal(object(t, e.getData(taskPath(cf.ID)))["cluster"], &cref)
	if cref.Type != "PRIMARY" {
		t.Errorf("failed-over cluster's type in the task = %s", cref.Type)
	}
}

func TestTaskShapesAssumed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{Shapes: ocpsim.ShapesAssumed})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	waitTask(t, e.sim, created.ID)
	detail := object(t, e.getData(taskPath(created.ID)))
	hasKeys(t, "detail", detail, append(slices.Clone(createdTaskKeys), "finishTime")...)
	equalJSON(t, "detail creator", detail["creator"], `{"id":1,"name":"admin"}`)
	equalJSON(t, "detail ids", []byte(`[`+string(detail["clusterId"])+`,`+string(detail["tenantId"])+`]`), `[3000013,2000101]`)
	items := e.listItems("")
	if len(items) != 1 {
		t.Fatalf("list: %d items", len(items))
	}
	item := object(t, items[0])
	hasKeys(t, "list item", item, "id", "name", "clusterId", "tenantId", "creator", "executor", "operation",
		"prohibitRollback", "startTime", "finishTime", "status", "type", "taskDefinitionId")
}

func TestClusterShapes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	dc1, _ := e.sim.Cluster(clusterDC1)
	dc2, _ := e.sim.Cluster(clusterDC2)
	standby := object(t, e.getData("/api/v2/ob/clusters/3000012"))
	hasKeys(t, "standby cluster", standby, "id", "name", "obClusterId", "obVersion", "status", "type",
		"primaryCluster", "standbyClusters", "delayTime", "syncStatus")
	equalJSON(t, "standby's primaryCluster", standby["primaryCluster"], `{"id":3000011,"name":"OB_DC1","obClusterId":`+itoa(dc1.OBClusterID)+`,"type":"PRIMARY"}`)
	equalJSON(t, "standby's standbyClusters", standby["standbyClusters"], `[]`)
	equalJSON(t, "standby's syncStatus", standby["syncStatus"], `"VALID"`)
	equalJSON(t, "standby's delayTime", standby["delayTime"], `1.5`)
	equalJSON(t, "standby's obVersion", standby["obVersion"], `"3.2.4.5"`)
	primary := object(t, e.getData("/api/v2/ob/clusters/3000011"))
	hasKeys(t, "primary cluster", primary, "id", "name", "obClusterId", "obVersion", "status", "type", "standbyClusters")
	equalJSON(t, "primary's standbyClusters", primary["standbyClusters"], `[{"id":3000012,"name":"OB_DC2","obClusterId":`+itoa(dc2.OBClusterID)+`,"type":"STANDBY"}]`)
	if dc1.OBClusterID == dc2.OBClusterID || dc1.OBClusterID <= 0 {
		t.Errorf("obClusterIds %d/%d", dc1.OBClusterID, dc2.OBClusterID)
	}

	a := newEnv(t, ocpsim.Config{Shapes: ocpsim.ShapesAssumed})
	standby = object(t, a.getData("/api/v2/ob/clusters/3000012"))
	hasKeys(t, "assumed standby cluster", standby, "id", "name", "status", "type", "primaryClusterId", "obproxyCluster")
	equalJSON(t, "assumed primaryClusterId", standby["primaryClusterId"], `3000011`)
	primary = object(t, a.getData("/api/v2/ob/clusters/3000011"))
	hasKeys(t, "assumed primary cluster", primary, "id", "name", "status", "type", "standbyClusterIds", "obproxyCluster")
	equalJSON(t, "assumed standbyClusterIds", primary["standbyClusterIds"], `[3000012]`)
}

// Without a scenario value, a standby cluster's delayTime is the largest log delay of its standby
// tenants, in seconds.
func TestClusterDelayTimeDerivedFromItsTenants(t *testing.T) {
	t.Parallel()
	delay := func(ms int64) *int64 { return &ms }
	sc := &ocpsim.Scenario{
		Clusters: []ocpsim.Cluster{
			{ID: 1, Name: "P", Type: ocpsim.ClusterPrimary},
			{ID: 2, Name: "S", Type: ocpsim.ClusterStandby, PrimaryClusterID: 1, SyncStatus: ocpsim.ClusterSyncSynchronizing},
		},
		Tenants: []ocpsim.Tenant{
			{ID: 10, Name: "p", ClusterID: 1, TenantRole: ocpsim.RolePrimary},
			{ID: 11, Name: "s1", ClusterID: 2, TenantRole: ocpsim.RoleStandby, PrimaryTenantID: 10, SyncStatus: "NORMAL", LogSyncDelayMillis: delay(1200)},
			{ID: 12, Name: "s2", ClusterID: 2, TenantRole: ocpsim.RoleStandby, PrimaryTenantID: 10, SyncStatus: "NORMAL", LogSyncDelayMillis: delay(3250)},
		},
	}
	e := newEnv(t, ocpsim.Config{Scenario: sc})
	c := object(t, e.getData("/api/v2/ob/clusters/2"))
	equalJSON(t, "delayTime", c["delayTime"], `3.25`)
	equalJSON(t, "syncStatus", c["syncStatus"], `"SYNCHRONIZING"`)
	e.sim.SetStandbySync(11, 9000, "NORMAL")
	equalJSON(t, "delayTime after SetStandbySync", object(t, e.getData("/api/v2/ob/clusters/2"))["delayTime"], `9`)
	// Derived OB ids: clusters 1, 2; each cluster's tenants 1002, 1004, ….
	for id, want := range map[int64]int64{10: 1002, 11: 1002, 12: 1004} {
		if got := tenant(t, e.sim, id).OBTenantID; got != want {
			t.Errorf("tenant %d obTenantId = %d, want %d", id, got, want)
		}
	}
	if c, _ := e.sim.Cluster(2); c.OBClusterID != 2 || c.OBVersion != "4.2.1.2" {
		t.Errorf("cluster 2 = %+v", c)
	}
}

// The tenant detail carries OCP's documented fields in both shape modes.
func TestTenantDetailDocumentedFields(t *testing.T) {
	t.Parallel()
	for _, shapes := range []ocpsim.Shapes{ocpsim.ShapesDocumented, ocpsim.ShapesAssumed} {
		t.Run(string(shapes), func(t *testing.T) {
			e := newEnv(t, ocpsim.Config{Shapes: shapes})
			west, _ := e.sim.Cluster(clusterWest)
			tn := object(t, e.getData("/api/v2/ob/clusters/3000014/tenants/2000102"))
			hasKeys(t, "standby tenant", tn, "id", "name", "clusterId", "clusterName", "obClusterId", "clusterType", "mode",
				"createTime", "primaryZone", "status", "locked", "readonly", "obVersion", "serviceName",
				"tenantRole", "primaryTenantId", "syncStatus", "logSyncDelayMillis", "syncScn")
			equalJSON(t, "documented fields", []byte(`[`+string(tn["obClusterId"])+`,`+string(tn["clusterType"])+`,`+
				string(tn["mode"])+`,`+string(tn["primaryZone"])+`,`+string(tn["locked"])+`,`+string(tn["readonly"])+`,`+string(tn["obVersion"])+`]`),
				`[`+itoa(west.OBClusterID)+`,"PRIMARY","MYSQL","zone1",false,false,"4.2.1.2"]`)
			var created string
			_ = json.Unmarshal(tn["createTime"], &created)
			if ct, err := time.Parse(time.RFC3339Nano, created); err != nil || !ct.Before(time.Now()) {
				t.Errorf("createTime %q: %v", created, err)
			}
			primary := object(t, e.getData("/api/v2/ob/clusters/3000013/tenants/2000101"))
			hasKeys(t, "primary tenant", primary, "id", "name", "clusterId", "clusterName", "obClusterId", "clusterType", "mode",
				"createTime", "primaryZone", "status", "locked", "readonly", "obVersion", "serviceName", "tenantRole")
		})
	}
}

func TestShapesFromScenarioAndConfig(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	sc.Shapes = ocpsim.ShapesAssumed
	if got := newEnv(t, ocpsim.Config{Scenario: sc}).sim.Settings().Shapes; got != ocpsim.ShapesAssumed {
		t.Errorf("scenario shapes ignored: %q", got)
	}
	sc = ocpsim.DefaultScenario()
	sc.Shapes = ocpsim.ShapesAssumed
	if got := newEnv(t, ocpsim.Config{Scenario: sc, Shapes: ocpsim.ShapesDocumented}).sim.Settings().Shapes; got != ocpsim.ShapesDocumented {
		t.Errorf("Config does not win: %q", got)
	}
	if _, err := ocpsim.New(ocpsim.Config{Shapes: "pretty"}); err == nil {
		t.Error("unknown Config shapes accepted")
	}
	sc = ocpsim.DefaultScenario()
	sc.Shapes = "pretty"
	if _, err := ocpsim.New(ocpsim.Config{Scenario: sc}); err == nil {
		t.Error("unknown scenario shapes accepted")
	}
}

// Under OmitTenantDRFields the tenant detail has none of the undocumented DR fields, yet the simulator
// tracks roles as before: a switchover still swaps them.
func TestOmitTenantDRFields(t *testing.T) {
	t.Parallel()
	documentedOnly := []string{"id", "name", "clusterId", "clusterName", "obClusterId", "clusterType", "mode",
		"createTime", "primaryZone", "status", "locked", "readonly", "obVersion", "serviceName"}
	sc := ocpsim.DefaultScenario()
	sc.OmitTenantDRFields = true
	fromScenario := newEnv(t, ocpsim.Config{Scenario: sc})
	fromConfig := newEnv(t, ocpsim.Config{OmitTenantDRFields: true, Shapes: ocpsim.ShapesAssumed})
	for _, e := range []*env{fromScenario, fromConfig} {
		if !e.sim.Settings().OmitTenantDRFields {
			t.Fatal("switch not on")
		}
		hasKeys(t, "standby", object(t, e.getData("/api/v2/ob/clusters/3000014/tenants/2000102")), documentedOnly...)
		hasKeys(t, "primary", object(t, e.getData("/api/v2/ob/clusters/3000013/tenants/2000101")), documentedOnly...)
	}
	e := fromScenario
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	if waitTask(t, e.sim, created.ID).Status != ocpsim.TaskSuccessful || tenant(t, e.sim, ordersS).TenantRole != ocpsim.RolePrimary {
		t.Error("roles not tracked with the DR fields omitted")
	}
	hasKeys(t, "new primary", object(t, e.getData("/api/v2/ob/clusters/3000014/tenants/2000102")), documentedOnly...)
	if newEnv(t, ocpsim.Config{}).sim.Settings().OmitTenantDRFields {
		t.Error("on by default")
	}
}
