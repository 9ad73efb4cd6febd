package ocpsim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

type failoverItem struct {
	TenantID    int64  `json:"tenantId"`
	ServiceName string `json:"serviceName,omitempty"`
}

type failoverBody struct {
	Items []failoverItem `json:"failoverTenantItemList"`
}

func failoverReq(ids ...int64) failoverBody {
	b := failoverBody{Items: []failoverItem{}}
	for _, id := range ids {
		b.Items = append(b.Items, failoverItem{TenantID: id})
	}
	return b
}

const westFailover = "/api/v2/ob/clusters/3000014/tenants/failover"

func TestBatchTenantFailover(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	body := failoverReq(batchS1, batchS2, batchS3)
	body.Items[0].ServiceName = "batch_new_svc"
	var data struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, body).ok(t, &data)
	if len(data.Contents) != 3 {
		t.Fatalf("want 3 tasks, got %d", len(data.Contents))
	}
	wantFirst := map[string]bool{"Reset log restore source": true}
	for i, task := range data.Contents {
		if task.Name != "Failover tenant" || task.TenantID != body.Items[i].TenantID || task.ClusterID != clusterWest || len(task.Subtasks) != 5 {
			t.Errorf("task %d = %+v", i, task)
		}
		for _, st := range task.Subtasks {
			if (st.Status == "READY") != wantFirst[st.Name] {
				t.Errorf("subtask %q starts %s", st.Name, st.Status)
			}
		}
	}
	for _, task := range data.Contents {
		final := waitTask(t, e.sim, task.ID)
		checkDAG(t, final)
		if final.Status != ocpsim.TaskSuccessful {
			t.Errorf("task %d ended %s", task.ID, final.Status)
		}
	}
	for _, id := range []int64{batchS1, batchS2, batchS3} {
		tn := tenant(t, e.sim, id)
		if tn.TenantRole != "PRIMARY" || tn.PrimaryTenantID != 0 || tn.SyncStatus != "" || tn.LogSyncDelayMillis != nil || tn.Status != "NORMAL" {
			t.Errorf("failed-over tenant = %+v", tn)
		}
	}
	if got := tenant(t, e.sim, batchS1).ServiceName; got != "batch_new_svc" {
		t.Errorf("service name = %q", got)
	}
	// The old primary is untouched: four primaries now.
	if p := tenant(t, e.sim, batchP); p.TenantRole != "PRIMARY" || p.Status != "NORMAL" {
		t.Errorf("old primary = %+v", p)
	}
	if c := e.sim.Counters(); c.TenantFailovers != 3 {
		t.Errorf("TenantFailovers = %d", c.TenantFailovers)
	}
}

func TestBatchTenantFailoverValidatesEveryItemFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	cases := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"empty list", westFailover, failoverReq(), 400, "10001"},
		{"no list", westFailover, map[string]any{}, 400, "10001"},
		{"unknown tenant", westFailover, failoverReq(batchS1, 999), 404, "60018"},
		{"a primary", westFailover, failoverReq(batchS1, ordersP), 400, "60101"},
		{"standby of another cluster", westFailover, failoverReq(batchS1, ohayo2), 400, "60101"},
		{"duplicate", westFailover, failoverReq(batchS1, batchS2, batchS1), 400, "60103"},
		{"primary alive", westFailover, failoverReq(batchS1, ordersS), 400, `"OBE26019"`},
		{"unknown cluster", "/api/v2/ob/clusters/1/tenants/failover", failoverReq(batchS1), 404, "50001"},
		{"malformed", westFailover, []byte(`{"failoverTenantItemList": [`), 400, "10001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.do("POST", c.path, c.body).fails(t, c.status, c.code)
		})
	}
	if c := e.sim.Counters(); c.TenantFailovers != 0 || len(e.sim.Tasks()) != 0 {
		t.Errorf("an invalid batch started something: %+v", c)
	}
	if tenant(t, e.sim, batchS1).TenantRole != "STANDBY" {
		t.Error("batch_s1 changed role")
	}
}

func TestTenantFailoverFailureKeepsTheStandby(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailNextSubtask(ocpsim.OpTenantFailover, "Failover to primary tenant")
	var data struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, failoverReq(batchS2)).ok(t, &data)
	task := waitTask(t, e.sim, data.Contents[0].ID)
	if task.Status != ocpsim.TaskFailed {
		t.Fatalf("task ended %s", task.Status)
	}
	if tn := tenant(t, e.sim, batchS2); tn.TenantRole != "STANDBY" || tn.Status != "NORMAL" || tn.PrimaryTenantID != batchP {
		t.Errorf("standby after a failed failover = %+v", tn)
	}
}

func TestClusterFailover(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold})
	var created wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &created)
	if created.Name != "Failover OB cluster" || created.ClusterID != clusterDC2 || created.TenantID != 0 || len(created.Subtasks) != 9 {
		t.Fatalf("created = %+v", created)
	}
	for _, st := range created.Subtasks {
		if (st.Status == "READY") != (st.Name == "Mc lock ob clusters") {
			t.Errorf("subtask %q starts %s", st.Name, st.Status)
		}
	}
	if c, _ := e.sim.Cluster(clusterDC2); c.Status != "FAILOVER" || c.Type != "STANDBY" {
		t.Errorf("cluster while failing over = %+v", c)
	}
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).fails(t, 400, `"OBE11020"`)

	e.sim.SetStepDuration(0)
	task := waitTask(t, e.sim, created.ID)
	checkDAG(t, task)
	if task.Status != ocpsim.TaskSuccessful {
		t.Fatalf("task ended %s", task.Status)
	}
	var c struct {
		Status          string          `json:"status"`
		Type            string          `json:"type"`
		PrimaryCluster  json.RawMessage `json:"primaryCluster"`
		StandbyClusters []struct {
			ID int64 `json:"id"`
		} `json:"standbyClusters"`
		DelayTime *float64 `json:"delayTime"`
	}
	e.do("GET", "/api/v2/ob/clusters/3000012", nil).ok(t, &c)
	if c.Status != "RUNNING" || c.Type != "PRIMARY" || c.PrimaryCluster != nil || c.DelayTime != nil {
		t.Errorf("cluster after failover = %+v", c)
	}
	e.do("GET", "/api/v2/ob/clusters/3000011", nil).ok(t, &c)
	if c.StandbyClusters == nil || len(c.StandbyClusters) != 0 {
		t.Errorf("old primary still lists standbys %v", c.StandbyClusters)
	}
	// Now it is a primary: a second failover is refused.
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).fails(t, 400, "50010")
	e.do("POST", "/api/v2/ob/clusters/3000011/failover", nil).fails(t, 400, "50010")
	e.do("POST", "/api/v2/ob/clusters/1/failover", nil).fails(t, 404, "50001")
	if got := e.sim.Counters().ClusterFailovers; got != 1 {
		t.Errorf("ClusterFailovers = %d", got)
	}
}

// OCP fails a standby over only while its primary is unavailable: orders_p is alive, so orders_s is
// refused with OBE26019 until the primary goes down.
func TestTenantFailoverRequiresThePrimaryDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	if !tenant(t, e.sim, batchP).Down || tenant(t, e.sim, ordersP).Down {
		t.Fatal("default world: batch_p should be down, orders_p alive")
	}
	r := e.do("POST", westFailover, failoverReq(ordersS))
	r.fails(t, 400, `"OBE26019"`)
	if !strings.Contains(r.env.Error.Message, "The primary tenant orders_p corresponding to this tenant") {
		t.Errorf("message = %q", r.env.Error.Message)
	}
	// One live primary in a batch refuses the whole batch.
	e.do("POST", westFailover, failoverReq(batchS1, ordersS)).fails(t, 400, `"OBE26019"`)
	if len(e.sim.Tasks()) != 0 || e.sim.Counters().TenantFailovers != 0 {
		t.Fatal("a refused failover started a task")
	}

	e.sim.SetTenantDown(ordersP, true)
	var data struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, failoverReq(batchS1, ordersS)).ok(t, &data)
	for _, task := range data.Contents {
		if waitTask(t, e.sim, task.ID).Status != ocpsim.TaskSuccessful {
			t.Errorf("task %d did not succeed", task.ID)
		}
	}
	if tn := tenant(t, e.sim, ordersS); tn.TenantRole != ocpsim.RolePrimary {
		t.Errorf("orders_s after failover = %+v", tn)
	}
	// Down is the simulator's notion: never on the wire.
	if _, ok := object(t, e.getData("/api/v2/ob/clusters/3000013/tenants/2000101"))["down"]; ok {
		t.Error("the tenant detail serves down")
	}
	e.sim.SetTenantDown(ordersP, false)
	if tenant(t, e.sim, ordersP).Down {
		t.Error("SetTenantDown(false) ignored")
	}
	e.sim.SetTenantDown(999, true) // logged and ignored
}

// A down tenant blocks a precheck (OBE26006), so the switchover is refused.
func TestPrecheckAndSwitchoverWithADownTenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	for _, down := range []int64{ordersP, ordersS} {
		e.sim.SetTenantDown(down, true)
		res := e.precheck(clusterEast, ordersP, ordersS)
		if got := codes(res.StandbyCheckResults[0].CheckResults); res.Valid || len(got) != 1 || got[0] != "OBE26006" {
			t.Errorf("precheck with tenant %d down: valid=%v codes=%v", down, res.Valid, got)
		}
		e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS}).fails(t, 400, "60102")
		e.sim.SetTenantDown(down, false)
	}
	if !e.precheck(clusterEast, ordersP, ordersS).Valid {
		t.Error("precheck still blocks with both tenants up")
	}
}

// SucceedWithoutEffect: the next task ends SUCCESSFUL and the standby stays STANDBY; the one after
// has its effect again.
func TestSucceedWithoutEffect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SucceedWithoutEffect(ocpsim.OpTenantFailover)
	var data struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, failoverReq(batchS2)).ok(t, &data)
	if task := waitTask(t, e.sim, data.Contents[0].ID); task.Status != ocpsim.TaskSuccessful {
		t.Fatalf("task ended %s", task.Status)
	}
	if tn := tenant(t, e.sim, batchS2); tn.TenantRole != "STANDBY" || tn.Status != "NORMAL" {
		t.Errorf("standby after a success without effect = %+v", tn)
	}
	e.do("POST", westFailover, failoverReq(batchS2)).ok(t, &data)
	waitTask(t, e.sim, data.Contents[0].ID)
	if tn := tenant(t, e.sim, batchS2); tn.TenantRole != "PRIMARY" {
		t.Errorf("the next failover had no effect either: %+v", tn)
	}
}
