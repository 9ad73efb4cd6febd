package ocpsim_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// ocpsimHold is a step long enough to hold a task RUNNING for the whole test.
const ocpsimHold = time.Hour

// checkDAG asserts that no subtask has started before all its upstreams succeeded.
func checkDAG(t *testing.T, task ocpsim.Task) {
	t.Helper()
	byID := map[int64]ocpsim.Subtask{}
	for _, st := range task.Subtasks {
		byID[st.ID] = st
	}
	for _, st := range task.Subtasks {
		if st.Status == ocpsim.SubtaskPending || st.Status == ocpsim.SubtaskReady {
			continue
		}
		for _, u := range st.Upstreams {
			up := byID[u]
			if up.Status != ocpsim.SubtaskSuccessful || up.FinishTime == nil || st.StartTime == nil || up.FinishTime.After(*st.StartTime) {
				t.Fatalf("%q is %s but its upstream %q is %s (finished %v, started %v)", st.Name, st.Status, up.Name, up.Status, up.FinishTime, st.StartTime)
			}
		}
	}
}

var switchoverSubtasks = map[string]struct {
	series, timeout int
	prohibit        bool
	ups             []string
}{
	"Prepare switchover tenant":              {3, 60, false, nil},
	"Create standby tenant read only user":   {5, 1800, false, []string{"Prepare switchover tenant"}},
	"Wait all relation tenants accessible":   {0, 3600, false, []string{"Create standby tenant read only user"}},
	"Switch primary tenant to standby":       {1, 1800, false, []string{"Wait all relation tenants accessible"}},
	"Switchover standby tenant to primary":   {7, 1800, true, []string{"Switch primary tenant to standby"}},
	"Reset log restore source":               {2, 1800, false, []string{"Switchover standby tenant to primary"}},
	"Update log restore source":              {8, 900, false, []string{"Reset log restore source"}},
	"Restart tenant service name if started": {9, 600, false, []string{"Update log restore source"}},
	"Update tenant role in meta":             {4, 120, false, []string{"Restart tenant service name if started"}},
	"Reset switchover tenant info":           {6, 120, false, []string{"Update tenant role in meta"}},
}

func TestSwitchoverRunsTheDAGAndSwapsRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)

	if created.Name != "Switchover ob tenant for network mode" || created.TenantID != ordersP || created.ClusterID != clusterEast ||
		created.Status != "RUNNING" || created.Operation != "EXECUTE" || created.ID <= 1<<32 {
		t.Fatalf("created task = %+v", created)
	}
	var creator string
	if err := json.Unmarshal(created.Creator, &creator); err != nil || creator != "admin" {
		t.Errorf("create response creator = %s, want the string \"admin\"", created.Creator)
	}
	if len(created.Subtasks) != len(switchoverSubtasks) {
		t.Fatalf("got %d subtasks", len(created.Subtasks))
	}
	names := map[int64]string{}
	for _, st := range created.Subtasks {
		names[st.ID] = st.Name
	}
	for _, st := range created.Subtasks {
		want, ok := switchoverSubtasks[st.Name]
		if !ok {
			t.Fatalf("unexpected subtask %q", st.Name)
		}
		if st.ID <= 1<<32 || st.SeriesID != want.series || st.Timeout != want.timeout || st.ProhibitRollback != want.prohibit ||
			st.Description != st.Name || st.RunTime != 1 || st.Operation != "EXECUTE" {
			t.Errorf("subtask %+v, want %+v", st, want)
		}
		var ups []string
		for _, u := range st.Upstreams {
			ups = append(ups, names[u])
		}
		if len(ups) != len(want.ups) || (len(ups) == 1 && ups[0] != want.ups[0]) {
			t.Errorf("%q upstreams = %v, want %v", st.Name, ups, want.ups)
		}
		wantStatus := "PENDING"
		if len(want.ups) == 0 {
			wantStatus = "READY"
		}
		if st.Status != wantStatus {
			t.Errorf("%q starts %s, want %s", st.Name, st.Status, wantStatus)
		}
	}

	// Poll while it runs: the DAG order holds in every snapshot.
	var final ocpsim.Task
	eventually(t, "switchover to end", func() bool {
		task, _ := e.sim.Task(created.ID)
		checkDAG(t, task)
		final = task
		return task.Status != ocpsim.TaskRunning
	})
	checkDAG(t, final)
	if final.Status != ocpsim.TaskSuccessful || final.FinishTime == nil {
		t.Fatalf("task ended %s (finish %v)", final.Status, final.FinishTime)
	}
	p, s := tenant(t, e.sim, ordersP), tenant(t, e.sim, ordersS)
	if p.TenantRole != "STANDBY" || p.PrimaryTenantID != ordersS || p.Status != "NORMAL" || p.SyncStatus != "NORMAL" {
		t.Errorf("old primary = %+v", p)
	}
	if s.TenantRole != "PRIMARY" || s.PrimaryTenantID != 0 || s.Status != "NORMAL" || s.LogSyncDelayMillis != nil {
		t.Errorf("new primary = %+v", s)
	}

	// Task detail: creator is an object, finishTime set.
	var detail wireTask
	e.do("GET", taskPath(created.ID), nil).ok(t, &detail)
	var obj struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(detail.Creator, &obj); err != nil || obj.ID != 1 || obj.Name != "admin" {
		t.Errorf("detail creator = %s, want {\"id\":1,\"name\":\"admin\"}", detail.Creator)
	}
	if detail.Status != "SUCCESSFUL" || detail.FinishTime == "" || len(detail.Subtasks) != 10 {
		t.Errorf("detail = %+v", detail)
	}
	if _, err := time.Parse(time.RFC3339Nano, detail.FinishTime); err != nil {
		t.Errorf("finishTime %q: %v", detail.FinishTime, err)
	}
	if c := e.sim.Counters(); c.Switchovers != 1 {
		t.Errorf("Switchovers = %d", c.Switchovers)
	}

	// And back again: the pair's roles are now the other way round.
	back := e.startSwitchover(clusterWest, ordersS, ordersP)
	if waitTask(t, e.sim, back.ID).Status != ocpsim.TaskSuccessful || tenant(t, e.sim, ordersP).TenantRole != "PRIMARY" {
		t.Errorf("switch back failed")
	}
}

func TestSwitchoverTenantsModifyingAndBusy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	for _, id := range []int64{ordersP, ordersS} {
		if st := tenant(t, e.sim, id).Status; st != "MODIFYING" {
			t.Errorf("tenant %d is %s while switching", id, st)
		}
	}
	// A second switchover, either way round, and a failover of the standby are refused.
	e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS}).fails(t, 400, `"OBE21005"`)
	e.do("POST", switchoverPath(clusterWest, ordersS), pair{ordersS, ordersP}).fails(t, 400, `"OBE21005"`)
	e.do("POST", "/api/v2/ob/clusters/3000014/tenants/failover", failoverReq(ordersS)).fails(t, 400, `"OBE21005"`)
	if c := e.sim.Counters(); c.Switchovers != 1 || c.TenantFailovers != 0 {
		t.Errorf("refused operations counted: %+v", c)
	}
	// Release the held task.
	e.sim.SetStepDuration(time.Millisecond)
	if waitTask(t, e.sim, created.ID).Status != ocpsim.TaskSuccessful {
		t.Fatal("released task did not succeed")
	}
}

func TestSwitchoverRefusedWhenPrecheckBlocks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	r := e.do("POST", switchoverPath(clusterEast, lagP), pair{lagP, lagS})
	r.fails(t, 400, "60102")
	e.do("POST", switchoverPath(clusterEast, nomatchP), pair{nomatchP, nomatchS}).fails(t, 400, "60102")
	e.do("POST", switchoverPath(clusterWest, ordersS), pair{ordersS, ordersP}).fails(t, 400, "60102")
	if c := e.sim.Counters(); c.Switchovers != 0 || len(e.sim.Tasks()) != 0 {
		t.Errorf("refused switchovers started tasks: %+v", c)
	}
}

func TestTaskDurationSplitsOverTheLongestPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{TaskDuration: 60 * time.Millisecond})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	task := waitTask(t, e.sim, created.ID)
	if d := task.FinishTime.Sub(task.StartTime); d < 60*time.Millisecond || d > 2*time.Second {
		t.Errorf("task took %v, want about 60ms", d)
	}
}

// A switchover keeps the topology: the old primary's other standbys follow the new primary.
func TestSwitchoverMovesTheOtherStandbys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetTenantDown(batchP, false)
	created := e.startSwitchover(clusterEast, batchP, batchS1)
	if task := waitTask(t, e.sim, created.ID); task.Status != ocpsim.TaskSuccessful {
		t.Fatalf("switchover ended %s", task.Status)
	}
	if s1 := tenant(t, e.sim, batchS1); s1.TenantRole != "PRIMARY" {
		t.Fatalf("new primary = %+v", s1)
	}
	if p := tenant(t, e.sim, batchP); p.TenantRole != "STANDBY" || p.PrimaryTenantID != batchS1 {
		t.Errorf("old primary = %+v", p)
	}
	for _, id := range []int64{batchS2, batchS3} {
		if s := tenant(t, e.sim, id); s.TenantRole != "STANDBY" || s.PrimaryTenantID != batchS1 {
			t.Errorf("standby %d follows %d, want %d", id, s.PrimaryTenantID, batchS1)
		}
	}
}
