package ocpsim_test

import (
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// With a busy delay, a task's tenants read NORMAL for a while after the task appears in the list, yet
// the task holds them: another operation on them is refused as busy.
func TestBusyDelayWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold, BusyDelay: ocpsimHold})
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	var cf wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &cf)

	if items := e.listItems("?status=RUNNING"); len(items) != 2 {
		t.Fatalf("running tasks listed: %d", len(items))
	}
	var tn wireTenant
	for _, path := range []string{"/api/v2/ob/clusters/3000013/tenants/2000101", "/api/v2/ob/clusters/3000014/tenants/2000102"} {
		e.do("GET", path, nil).ok(t, &tn)
		if tn.Status != "NORMAL" {
			t.Errorf("tenant %d is %s inside the window", tn.ID, tn.Status)
		}
	}
	var cl struct {
		Status string `json:"status"`
	}
	e.do("GET", "/api/v2/ob/clusters/3000012", nil).ok(t, &cl)
	if cl.Status != "RUNNING" {
		t.Errorf("cluster is %s inside the window", cl.Status)
	}
	// Held all the same.
	e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS}).fails(t, 400, `"OBE21005"`)
	e.do("POST", switchoverPath(clusterWest, ordersS), pair{ordersS, ordersP}).fails(t, 400, `"OBE21005"`)
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).fails(t, 400, `"OBE11020"`)
	if c := e.sim.Counters(); c.Switchovers != 1 || c.ClusterFailovers != 1 {
		t.Errorf("refused operations counted: %+v", c)
	}

	// Closing the window marks them, counted from the tasks' start.
	e.sim.SetBusyDelay(0)
	if got := e.sim.Settings().BusyDelay; got != 0 {
		t.Errorf("BusyDelay = %v", got)
	}
	for _, id := range []int64{ordersP, ordersS} {
		if st := tenant(t, e.sim, id).Status; st != "MODIFYING" {
			t.Errorf("tenant %d is %s after the window", id, st)
		}
	}
	if c, _ := e.sim.Cluster(clusterDC2); c.Status != "FAILOVER" {
		t.Errorf("cluster is %s after the window", c.Status)
	}
	e.sim.SetStepDuration(time.Millisecond)
	waitTask(t, e.sim, created.ID)
	waitTask(t, e.sim, cf.ID)
	if st := tenant(t, e.sim, ordersP).Status; st != "NORMAL" {
		t.Errorf("tenant is %s after the task", st)
	}
}

// A window that the task outlives ends in the marking; one the task does not outlive never shows it.
func TestBusyDelayElapses(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	sc.BusyDelayMillis = 5
	e := newEnv(t, ocpsim.Config{Scenario: sc, StepDuration: ocpsimHold})
	if got := e.sim.Settings().BusyDelay; got != 5*time.Millisecond {
		t.Fatalf("scenario busyDelayMillis ignored: %v", got)
	}
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	eventually(t, "the tenants to turn MODIFYING", func() bool {
		return tenant(t, e.sim, ordersP).Status == "MODIFYING" && tenant(t, e.sim, ordersS).Status == "MODIFYING"
	})
	e.sim.SetStepDuration(time.Millisecond)
	waitTask(t, e.sim, created.ID)

	// A long window over a quick task: the tenants never leave NORMAL, and stay NORMAL.
	e.sim.SetBusyDelay(ocpsimHold)
	back := e.startSwitchover(clusterWest, ordersS, ordersP)
	for {
		if tenant(t, e.sim, ordersS).Status != "NORMAL" {
			t.Fatal("tenant marked inside the window")
		}
		if task, _ := e.sim.Task(back.ID); task.Status != ocpsim.TaskRunning {
			break
		}
		time.Sleep(time.Millisecond)
	}
	e.sim.SetBusyDelay(0) // a dropped marking is not revived
	if st := tenant(t, e.sim, ordersS).Status; st != "NORMAL" {
		t.Errorf("tenant is %s after its task ended", st)
	}
}
