package ocpsim_test

import (
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// A tenant left in an odd status with no task: OCP checks the status before an operation, so the
// simulator refuses a switchover or failover of it (OBE21005) and its precheck blocks (OBE26004).
func TestOddTenantStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetTenantStatus(batchS2, "MODIFYING")
	var tn wireTenant
	e.do("GET", "/api/v2/ob/clusters/3000014/tenants/2000133", nil).ok(t, &tn)
	if tn.Status != "MODIFYING" {
		t.Fatalf("status = %s", tn.Status)
	}
	r := e.do("POST", westFailover, failoverReq(batchS1, batchS2))
	r.fails(t, 400, `"OBE21005"`)
	if !strings.Contains(r.env.Error.Message, "batch_s2") || !strings.Contains(r.env.Error.Message, "MODIFYING") {
		t.Errorf("message = %q", r.env.Error.Message)
	}
	if len(e.sim.Tasks()) != 0 {
		t.Fatal("a refused batch started a task")
	}

	e.sim.SetTenantStatus(ordersS, "CREATING")
	e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS}).fails(t, 400, `"OBE21005"`)
	res := e.precheck(clusterEast, ordersP, ordersS)
	if got := codes(res.StandbyCheckResults[0].CheckResults); res.Valid || len(got) != 1 || got[0] != "OBE26004" {
		t.Errorf("precheck: valid=%v codes=%v", res.Valid, got)
	}

	// Back to NORMAL, the operations go through, and the task's end leaves NORMAL.
	e.sim.SetTenantStatus(batchS2, "NORMAL")
	var data struct {
		Contents []wireTask `json:"contents"`
	}
	e.do("POST", westFailover, failoverReq(batchS2)).ok(t, &data)
	waitTask(t, e.sim, data.Contents[0].ID)
	if st := tenant(t, e.sim, batchS2).Status; st != "NORMAL" {
		t.Errorf("after the failover: %s", st)
	}
	e.sim.SetTenantStatus(batchS2, "")   // ignored
	e.sim.SetTenantStatus(999, "NORMAL") // ignored
	if st := tenant(t, e.sim, batchS2).Status; st != "NORMAL" {
		t.Errorf("an ignored SetTenantStatus changed the status to %q", st)
	}
}

// A standby cluster in an odd status can still be failed over: only a running task refuses.
func TestOddClusterStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetClusterStatus(clusterDC2, "OPERATING")
	var c struct {
		Status string `json:"status"`
	}
	e.do("GET", "/api/v2/ob/clusters/3000012", nil).ok(t, &c)
	if c.Status != "OPERATING" {
		t.Fatalf("status = %s", c.Status)
	}
	var created wireTask
	e.do("POST", "/api/v2/ob/clusters/3000012/failover", nil).ok(t, &created)
	if task := waitTask(t, e.sim, created.ID); task.Status != ocpsim.TaskSuccessful {
		t.Fatalf("task %s", task.Status)
	}
	if cl, _ := e.sim.Cluster(clusterDC2); cl.Status != "RUNNING" || cl.Type != "PRIMARY" {
		t.Errorf("after the failover: %+v", cl)
	}
	e.sim.SetClusterStatus(clusterDC2, "")
	e.sim.SetClusterStatus(1, "RUNNING")
	if cl, _ := e.sim.Cluster(clusterDC2); cl.Status != "RUNNING" {
		t.Errorf("an ignored SetClusterStatus changed the status to %q", cl.Status)
	}
}

func TestSetClusterSync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetClusterSync(clusterDC2, 42.5, "DISABLED")
	c := object(t, e.getData("/api/v2/ob/clusters/3000012"))
	equalJSON(t, "delay and sync", []byte(`[`+string(c["delayTime"])+`,`+string(c["syncStatus"])+`]`), `[42.5,"DISABLED"]`)
	// A negative delay derives it again: OB_DC2 holds no standby tenant.
	e.sim.SetClusterSync(clusterDC2, -1, "VALID")
	equalJSON(t, "derived delay", object(t, e.getData("/api/v2/ob/clusters/3000012"))["delayTime"], `0`)
	e.sim.SetClusterSync(1, 0, "VALID") // ignored
}
