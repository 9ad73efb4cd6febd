package ocpsim_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func TestFailRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailRequests(ocpsim.RouteSwitchover, http.StatusServiceUnavailable, 2, 1500*time.Millisecond)
	for range 2 {
		r := e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS})
		r.fails(t, 503, "10010")
		if got := r.header.Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After = %q, want 2", got)
		}
	}
	if c := e.sim.Counters(); c.Switchovers != 0 || len(e.sim.Tasks()) != 0 {
		t.Fatalf("a faulted request had an effect: %+v", c)
	}
	e.startSwitchover(clusterEast, ordersP, ordersS)
	if c := e.sim.Counters(); c.Requests[ocpsim.RouteSwitchover] != 3 || c.Switchovers != 1 {
		t.Errorf("counters = %+v", c)
	}

	e.sim.FailRequests(ocpsim.RouteTenant, http.StatusTooManyRequests, 1, 0)
	r := e.do("GET", "/api/v2/ob/clusters/3000009/tenants/2000022", nil)
	r.fails(t, 429, "0")
	if r.header.Get("Retry-After") != "" {
		t.Errorf("unexpected Retry-After")
	}
	e.do("GET", "/api/v2/ob/clusters/3000009/tenants/2000022", nil).ok(t, nil)
}

func TestLatencyHonoursTheClientContext(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetLatency(ocpsim.RouteTenantFailover, time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req := e.newRequest("POST", westFailover, failoverReq(batchS1)).WithContext(ctx)
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatal("request under an hour of latency answered")
	}
	// The abandoned request had no effect.
	eventually(t, "the request to be counted", func() bool { return e.sim.Counters().Requests[ocpsim.RouteTenantFailover] == 1 })
	if len(e.sim.Tasks()) != 0 {
		t.Fatal("abandoned request started a task")
	}
	e.sim.SetLatency(ocpsim.RouteTenantFailover, 20*time.Millisecond)
	start := time.Now()
	e.do("POST", westFailover, failoverReq(batchS1)).ok(t, nil)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered in %v despite 20ms latency", d)
	}
}

func TestDropAfterEffect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.DropAfterEffect(ocpsim.RouteSwitchover, 1)
	req := e.newRequest("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS})
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("dropped request answered HTTP %d", res.StatusCode)
	}
	// The switchover started anyway: a client retrying blindly would now be refused as busy or find the task.
	tasks := e.sim.Tasks()
	if len(tasks) != 1 || e.sim.Counters().Switchovers != 1 {
		t.Fatalf("dropped request had no effect: %d tasks", len(tasks))
	}
	waitTask(t, e.sim, tasks[0].ID)
	// Only the next request was dropped.
	e.do("GET", taskPath(tasks[0].ID), nil).ok(t, nil)
}

func TestDriftAndSyncChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetTenantRole(ordersS, "PRIMARY")
	var tn wireTenant
	e.do("GET", "/api/v2/ob/clusters/3000014/tenants/2000102", nil).ok(t, &tn)
	if tn.TenantRole != "PRIMARY" || tn.PrimaryTenantID != 0 || tn.LogSyncDelayMillis != nil {
		t.Errorf("drifted tenant = %+v", tn)
	}
	e.sim.SetStandbySync(ohayo2, 1234, "STANDBY LOG NOT MATCH")
	e.do("GET", "/api/v2/ob/clusters/3000010/tenants/2000025", nil).ok(t, &tn)
	if tn.SyncStatus != "STANDBY LOG NOT MATCH" || tn.LogSyncDelayMillis == nil || *tn.LogSyncDelayMillis != 1234 {
		t.Errorf("standby = %+v", tn)
	}
}

func TestCloseFreezesTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: 5 * time.Millisecond})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	e.sim.Close()
	frozen, _ := e.sim.Task(created.ID)
	// Ten 5 ms steps: an open simulator ends the task well within 100 ms.
	time.Sleep(100 * time.Millisecond)
	task, _ := e.sim.Task(created.ID)
	if task.Status != ocpsim.TaskRunning || !reflect.DeepEqual(task, frozen) {
		t.Errorf("task moved on after Close: %s, %+v", task.Status, task.Subtasks)
	}
}

// With roles changing mid-task, a task that fails after its role subtask ends FAILED with the new roles;
// one that fails before it leaves the old ones. A retry that succeeds changes nothing more.
func TestRolesChangeMidTask(t *testing.T) {
	t.Parallel()
	cases := []struct {
		failAt  string
		swapped bool
	}{
		{"Reset switchover tenant info", true},
		{"Switch primary tenant to standby", false},
	}
	for _, tc := range cases {
		t.Run(tc.failAt, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, ocpsim.Config{})
			e.sim.SetRolesChangeMidTask(true)
			e.sim.FailNextSubtask(ocpsim.OpSwitchover, tc.failAt)
			created := e.startSwitchover(clusterEast, ordersP, ordersS)
			if task := waitTask(t, e.sim, created.ID); task.Status != ocpsim.TaskFailed {
				t.Fatalf("task ended %s", task.Status)
			}
			p, s := tenant(t, e.sim, ordersP), tenant(t, e.sim, ordersS)
			if got := p.TenantRole == "STANDBY" && s.TenantRole == "PRIMARY" && s.PrimaryTenantID == 0 && p.PrimaryTenantID == ordersS; got != tc.swapped {
				t.Fatalf("swapped = %v, want %v: %+v / %+v", got, tc.swapped, p, s)
			}
			if !tc.swapped && (p.TenantRole != "PRIMARY" || s.TenantRole != "STANDBY") {
				t.Fatalf("roles changed: %+v / %+v", p, s)
			}
			e.do("POST", taskPath(created.ID)+"/retry", nil).ok(t, nil)
			if task := waitTask(t, e.sim, created.ID); task.Status != ocpsim.TaskSuccessful {
				t.Fatalf("retry ended %s", task.Status)
			}
			if p, s := tenant(t, e.sim, ordersP), tenant(t, e.sim, ordersS); p.TenantRole != "STANDBY" || s.TenantRole != "PRIMARY" || p.PrimaryTenantID != ordersS {
				t.Fatalf("after the retry: %+v / %+v", p, s)
			}
		})
	}
}
