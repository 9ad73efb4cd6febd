package ocpsim_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func failedSubtasks(task ocpsim.Task) []string {
	var out []string
	for _, st := range task.Subtasks {
		if st.Status == ocpsim.SubtaskFailed {
			out = append(out, st.Name)
		}
	}
	return out
}

func TestRetryAfterAFailedSubtaskCompletesTheTask(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailNextSubtask(ocpsim.OpSwitchover, "Switch primary tenant to standby")
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	task := waitTask(t, e.sim, created.ID)
	checkDAG(t, task)
	if task.Status != ocpsim.TaskFailed || task.FinishTime == nil {
		t.Fatalf("task ended %s", task.Status)
	}
	if f := failedSubtasks(task); len(f) != 1 || f[0] != "Switch primary tenant to standby" {
		t.Fatalf("failed subtasks = %v", f)
	}
	// Roles stay, statuses are back to NORMAL.
	if p, s := tenant(t, e.sim, ordersP), tenant(t, e.sim, ordersS); p.TenantRole != "PRIMARY" || s.TenantRole != "STANDBY" || p.Status != "NORMAL" || s.Status != "NORMAL" {
		t.Fatalf("after failure: %+v / %+v", p, s)
	}

	var retried wireTask
	e.do("POST", taskPath(created.ID)+"/retry", nil).ok(t, &retried)
	if retried.Status != "RUNNING" || retried.Operation != "RETRY" {
		t.Errorf("retry answered %+v", retried)
	}
	for _, st := range retried.Subtasks {
		if st.Name == "Switch primary tenant to standby" && (st.Status != "READY" || st.RunTime != 2 || st.Operation != "RETRY") {
			t.Errorf("retried subtask = %+v", st)
		}
	}
	task = waitTask(t, e.sim, created.ID)
	checkDAG(t, task)
	if task.Status != ocpsim.TaskSuccessful || tenant(t, e.sim, ordersS).TenantRole != "PRIMARY" {
		t.Fatalf("retried task ended %s", task.Status)
	}
	if c := e.sim.Counters(); c.TaskRetries != 1 || c.Switchovers != 1 {
		t.Errorf("counters = %+v", c)
	}
	// A SUCCESSFUL task can be neither retried nor rolled back.
	e.do("POST", taskPath(created.ID)+"/retry", nil).fails(t, 400, "20003")
	e.do("POST", taskPath(created.ID)+"/rollback", nil).fails(t, 400, "20003")
	e.do("POST", taskPath(1)+"/retry", nil).fails(t, 404, "20000")
	e.do("POST", taskPath(1)+"/rollback", nil).fails(t, 404, "20000")
}

func TestRollbackUndoesInReverseOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailNextSubtask(ocpsim.OpSwitchover, "Switch primary tenant to standby")
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	if task := waitTask(t, e.sim, created.ID); task.Status != ocpsim.TaskFailed || task.ProhibitRollback {
		t.Fatalf("task ended %s, prohibitRollback %v", task.Status, task.ProhibitRollback)
	}

	r := e.do("POST", taskPath(created.ID)+"/rollback", nil)
	r.ok(t, nil)
	if r.env.Data != nil {
		t.Errorf("rollback answered data %s", r.env.Data)
	}
	task := waitTask(t, e.sim, created.ID)
	if task.Status != ocpsim.TaskSuccessful || task.Operation != ocpsim.OperationRollback {
		t.Fatalf("rolled back task: %s/%s", task.Status, task.Operation)
	}
	byID := map[int64]ocpsim.Subtask{}
	for _, st := range task.Subtasks {
		byID[st.ID] = st
	}
	rolledBack := 0
	for _, st := range task.Subtasks {
		if st.Status == ocpsim.SubtaskPending {
			if st.Operation != ocpsim.OperationExecute {
				t.Errorf("never-run %q has operation %s", st.Name, st.Operation)
			}
			continue
		}
		rolledBack++
		if st.Operation != ocpsim.OperationRollback || st.Status != ocpsim.SubtaskSuccessful {
			t.Errorf("%q after rollback: %s/%s", st.Name, st.Status, st.Operation)
		}
		// Reverse order: each rolled-back downstream finished before this one started its rollback.
		for _, d := range st.Downstreams {
			down := byID[d]
			if down.Status != ocpsim.SubtaskPending && down.FinishTime.After(*st.StartTime) {
				t.Errorf("%q rolled back before its downstream %q", st.Name, down.Name)
			}
		}
	}
	if rolledBack != 4 {
		t.Errorf("%d subtasks rolled back, want 4 (the three that succeeded and the failed one)", rolledBack)
	}
	if p := tenant(t, e.sim, ordersP); p.TenantRole != "PRIMARY" || p.Status != "NORMAL" {
		t.Errorf("primary after rollback = %+v", p)
	}
	// A rolled-back task cannot be retried or rolled back again.
	e.do("POST", taskPath(created.ID)+"/retry", nil).fails(t, 400, "20003")
	if c := e.sim.Counters(); c.TaskRollbacks != 1 {
		t.Errorf("TaskRollbacks = %d", c.TaskRollbacks)
	}
}

func TestRollbackRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold})
	held := e.startSwitchover(clusterB, ohayo1, ohayo2)
	// RUNNING: neither retry nor rollback.
	e.do("POST", taskPath(held.ID)+"/rollback", nil).fails(t, 400, "20003")
	e.do("POST", taskPath(held.ID)+"/retry", nil).fails(t, 400, "20003")
	e.sim.SetStepDuration(0)
	waitTask(t, e.sim, held.ID)

	// Failing after the irreversible "Switchover standby tenant to primary" started: rollback is
	// prohibited (20004), retry still works.
	e.sim.FailNextSubtask(ocpsim.OpSwitchover, "Reset log restore source")
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	task := waitTask(t, e.sim, created.ID)
	if task.Status != ocpsim.TaskFailed || !task.ProhibitRollback {
		t.Fatalf("task %s, prohibitRollback %v", task.Status, task.ProhibitRollback)
	}
	e.do("POST", taskPath(created.ID)+"/rollback", nil).fails(t, 400, "20004")
	var err *ocpsim.Error
	if e2 := e.sim.RollbackTask(created.ID); !errors.As(e2, &err) || err.Code != ocpsim.CodeTaskProhibitRB {
		t.Errorf("RollbackTask = %v", e2)
	}
	if _, e2 := e.sim.RetryTask(created.ID); e2 != nil {
		t.Fatalf("RetryTask: %v", e2)
	}
	if waitTask(t, e.sim, created.ID).Status != ocpsim.TaskSuccessful {
		t.Error("retry did not complete the task")
	}
}

func TestTaskList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	var fo struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, failoverReq(batchS1, batchS2, batchS3)).ok(t, &fo)
	e.sim.FailNextSubtask(ocpsim.OpSwitchover, "Prepare switchover tenant")
	sw := e.startSwitchover(clusterEast, ordersP, ordersS)
	for _, task := range append(fo.Contents, sw) {
		waitTask(t, e.sim, task.ID)
	}
	type list struct {
		Contents []wireTask `json:"contents"`
		Page     struct {
			TotalElements int `json:"totalElements"`
			TotalPages    int `json:"totalPages"`
			Number        int `json:"number"`
			Size          int `json:"size"`
		} `json:"page"`
	}
	get := func(query string) list {
		t.Helper()
		var l list
		e.do("GET", "/api/v2/tasks/instances"+query, nil).ok(t, &l)
		return l
	}
	all := get("")
	if all.Page.TotalElements != 4 || all.Page.TotalPages != 1 || all.Page.Number != 1 || all.Page.Size != 10 || len(all.Contents) != 4 {
		t.Fatalf("all = %+v", all.Page)
	}
	if all.Contents[0].ID != sw.ID {
		t.Errorf("list is not newest first")
	}
	if l := get("?tenantId=2000133"); l.Page.TotalElements != 1 || l.Contents[0].Tenant == nil || l.Contents[0].Tenant.ID != batchS2 {
		t.Errorf("tenantId filter: %+v", l)
	}
	if l := get("?tenantId=2000102"); l.Page.TotalElements != 0 || l.Contents == nil {
		t.Errorf("a switchover is listed under its primary only: %+v", l)
	}
	if l := get("?clusterId=3000014"); l.Page.TotalElements != 3 {
		t.Errorf("clusterId filter: %+v", l.Page)
	}
	if l := get("?name=Failover+tenant&status=SUCCESSFUL"); l.Page.TotalElements != 3 {
		t.Errorf("name+status filter: %+v", l.Page)
	}
	// name is a keyword: a case-insensitive substring.
	if l := get("?name=FAILOVER"); l.Page.TotalElements != 3 {
		t.Errorf("keyword FAILOVER: %+v", l.Page)
	}
	if l := get("?name=switchover+ob"); l.Page.TotalElements != 1 || l.Contents[0].ID != sw.ID {
		t.Errorf("keyword 'switchover ob': %+v", l.Page)
	}
	if l := get("?name=cluster"); l.Page.TotalElements != 0 {
		t.Errorf("keyword cluster: %+v", l.Page)
	}
	if l := get("?status=FAILED"); l.Page.TotalElements != 1 || l.Contents[0].ID != sw.ID {
		t.Errorf("status filter: %+v", l.Page)
	}
	if l := get("?status=RUNNING,FAILED&status=SUCCESSFUL"); l.Page.TotalElements != 4 {
		t.Errorf("repeated, comma-separated status: %+v", l.Page)
	}
	if l := get("?status=RUNNING"); l.Page.TotalElements != 0 {
		t.Errorf("RUNNING: %+v", l.Page)
	}
	p2 := get("?size=3&page=2")
	if p2.Page.TotalElements != 4 || p2.Page.TotalPages != 2 || p2.Page.Number != 2 || p2.Page.Size != 3 || len(p2.Contents) != 1 || p2.Contents[0].ID != fo.Contents[0].ID {
		t.Errorf("page 2 of 3 = %+v", p2)
	}
	if l := get("?page=9"); len(l.Contents) != 0 {
		t.Errorf("page past the end: %+v", l)
	}
	if l := get("?size=5000"); l.Page.Size != 2000 {
		t.Errorf("size not capped: %d", l.Page.Size)
	}
	e.do("GET", "/api/v2/tasks/instances?page=0", nil).fails(t, 400, "10001")
	e.do("GET", "/api/v2/tasks/instances?tenantId=abc", nil).fails(t, 400, "10001")
}

// OCP refuses to restart a failed task while another task holds its tenants (OBE21005) or its cluster
// (OBE11020), with HTTP 400 as for any busy refusal.
func TestRetryAndRollbackRefusedWhileAnotherTaskHolds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailNextSubtask(ocpsim.OpSwitchover, "Prepare switchover tenant")
	failed := e.startSwitchover(clusterEast, ordersP, ordersS)
	waitTask(t, e.sim, failed.ID)
	e.sim.FailNextSubtask(ocpsim.OpClusterFailover, "Mc lock ob clusters")
	var failedCF wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &failedCF)
	waitTask(t, e.sim, failedCF.ID)

	// The same operations again, held running.
	e.sim.SetStepDuration(ocpsimHold)
	again := e.startSwitchover(clusterEast, ordersP, ordersS)
	var againCF wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &againCF)

	for _, op := range []string{"/retry", "/rollback"} {
		e.do("POST", taskPath(failed.ID)+op, nil).fails(t, 400, `"OBE21005"`)
		e.do("POST", taskPath(failedCF.ID)+op, nil).fails(t, 400, `"OBE11020"`)
	}
	var err *ocpsim.Error
	if _, e2 := e.sim.RetryTask(failed.ID); !errors.As(e2, &err) || err.Code != ocpsim.CodeTenantBusy || err.Status != 400 {
		t.Errorf("RetryTask = %v", e2)
	}
	if c := e.sim.Counters(); c.TaskRetries != 0 || c.TaskRollbacks != 0 {
		t.Errorf("refused restarts counted: %+v", c)
	}
	e.sim.SetStepDuration(time.Millisecond)
	waitTask(t, e.sim, again.ID)
	waitTask(t, e.sim, againCF.ID)
}

// "legacyTotalPage" spells the page count as old OCP versions do.
func TestTaskListTotalPageSpelling(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	sc.LegacyTotalPage = true
	for _, c := range []struct {
		cfg  ocpsim.Config
		want string
	}{
		{ocpsim.Config{}, `{"totalElements":0,"totalPages":0,"number":1,"size":10}`},
		{ocpsim.Config{Scenario: sc}, `{"totalElements":0,"totalPage":0,"number":1,"size":10}`},
		{ocpsim.Config{LegacyTotalPage: true}, `{"totalElements":0,"totalPage":0,"number":1,"size":10}`},
	} {
		e := newEnv(t, c.cfg)
		equalJSON(t, "page", object(t, e.getData("/api/v2/tasks/instances"))["page"], c.want)
	}
}

// ForgetEndedTasks drops the ended tasks from the detail and the list; a running one stays.
func TestForgetEndedTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	ended := e.startSwitchover(clusterEast, ordersP, ordersS)
	waitTask(t, e.sim, ended.ID)
	e.sim.SetStepDuration(time.Hour)
	running := e.startSwitchover(3000009, 2000022, 2000025)
	e.sim.ForgetEndedTasks()
	e.do("GET", taskPath(ended.ID), nil).fails(t, 404, "20000")
	e.do("GET", taskPath(running.ID), nil).ok(t, nil)
	if tasks := e.sim.Tasks(); len(tasks) != 1 || tasks[0].ID != running.ID {
		t.Fatalf("tasks after ForgetEndedTasks: %+v", tasks)
	}
}
