package provider_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The failover actions run on Terraform >= 1.14 only, so they are tested through the provider's
// protocol server (acctest.ProtocolServer): PlanAction runs ModifyPlan, InvokeAction streams progress.

// assertFailoverOps fails the test unless the simulator started exactly these operations.
func assertFailoverOps(t *testing.T, sim *ocpsim.Sim, tenantFailovers, clusterFailovers, switchovers int) {
	t.Helper()
	c := sim.Counters()
	if c.TenantFailovers != tenantFailovers || c.ClusterFailovers != clusterFailovers || c.Switchovers != switchovers {
		t.Fatalf("operations started: %d tenant failovers, %d cluster failovers, %d switchovers; want %d, %d, %d",
			c.TenantFailovers, c.ClusterFailovers, c.Switchovers, tenantFailovers, clusterFailovers, switchovers)
	}
}

// assertFailoverRole fails the test unless the simulator reports the tenant in that role.
func assertFailoverRole(t *testing.T, sim *ocpsim.Sim, tenantID int64, role string) {
	t.Helper()
	tn, ok := sim.Tenant(tenantID)
	if !ok || tn.TenantRole != role {
		t.Fatalf("tenant %d: role %q (found %v), want %q", tenantID, tn.TenantRole, ok, role)
	}
}

func failoverTenantItems(ids ...int64) []map[string]any {
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"tenant_id": id}
	}
	return out
}

func TestTenantFailoverAction_invoke(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	cfg := map[string]any{"cluster_id": 3000014, "tenants": []map[string]any{
		{"tenant_id": 2000132, "service_name": "batch_svc_1"},
		{"tenant_id": 2000133},
	}}

	plan := p.PlanAction("ocp_tenant_failover", cfg)
	if errs := plan.Errors(); len(errs) > 0 {
		t.Fatalf("plan: %s", errs)
	}
	if w := plan.Warnings().String(); !strings.Contains(w, "Failover may lose data") || !strings.Contains(w, "about 100 ms") ||
		!strings.Contains(w, "about 200 ms") {
		t.Errorf("plan warnings lack the data-loss window of both standbys:\n%s", w)
	}
	assertFailoverOps(t, f.Sim, 0, 0, 0)

	inv := p.InvokeAction("ocp_tenant_failover", cfg)
	if !inv.Completed || len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: completed=%v\n%s", inv.Completed, inv.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 2, 0, 0)
	assertFailoverRole(t, f.Sim, 2000132, ocpsim.RolePrimary)
	assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)

	// One request for the batch, a progress event for every subtask transition of both tasks.
	if n := len(inv.ProgressMatching("starting the failover of 2 standby tenant(s) of cluster 3000014 in one request")); n != 1 {
		t.Errorf("want one start message, got %d:\n%s", n, strings.Join(inv.Progress, "\n"))
	}
	for _, task := range f.Sim.Tasks() {
		for _, st := range task.Subtasks {
			// Each of the 5 subtasks of each task was seen SUCCESSFUL, at least.
			if len(inv.ProgressMatching(`"`+st.Name+`" SUCCESSFUL`, "task "+failoverItoa(task.ID))) != 1 {
				t.Errorf("no progress event for subtask %q of task %d SUCCESSFUL:\n%s", st.Name, task.ID, strings.Join(inv.Progress, "\n"))
			}
		}
	}
	for _, task := range f.Sim.Tasks() {
		if len(inv.ProgressMatching("task "+failoverItoa(task.ID), "[5/5]")) == 0 {
			t.Errorf("no progress event of task %d with all 5 subtasks done:\n%s", task.ID, strings.Join(inv.Progress, "\n"))
		}
	}
	if len(inv.ProgressMatching("finished: 2 done")) != 1 {
		t.Errorf("no finish message:\n%s", strings.Join(inv.Progress, "\n"))
	}
	if svc := failoverServiceName(t, f.Sim, 2000132); svc != "batch_svc_1" {
		t.Errorf("service name sent for 2000132: %q", svc)
	}

	// Invoked again: both are PRIMARY now, so nothing starts and the progress says so.
	again := p.InvokeAction("ocp_tenant_failover", cfg)
	if len(again.Diagnostics.Errors()) > 0 {
		t.Fatalf("second invoke: %s", again.Diagnostics)
	}
	if len(again.ProgressMatching("is already PRIMARY: not failing it over again")) != 2 {
		t.Errorf("want two no-op messages:\n%s", strings.Join(again.Progress, "\n"))
	}
	assertFailoverOps(t, f.Sim, 2, 0, 0)
}

func TestTenantFailoverAction_failedSubtask(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	f.Sim.FailNextSubtask(ocpsim.OpTenantFailover, "Upgrade tenant data version")

	inv := p.InvokeAction("ocp_tenant_failover", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 2000133)})
	errs := inv.Diagnostics.Errors()
	if len(errs) != 1 {
		t.Fatalf("want one error (the failed tenant), got:\n%s", inv.Diagnostics)
	}
	for _, want := range []string{"Failover task failed", "tenant 2000132 (batch_s1) of cluster 3000014", `subtask "Upgrade tenant data version"`,
		"2000133 (SUCCESSFUL)", "retry"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("error lacks %q:\n%s", want, errs)
		}
	}
	if len(inv.ProgressMatching(`"Upgrade tenant data version" FAILED`)) != 1 {
		t.Errorf("no progress event for the failed subtask:\n%s", strings.Join(inv.Progress, "\n"))
	}
	assertFailoverOps(t, f.Sim, 2, 0, 0)
	assertFailoverRole(t, f.Sim, 2000132, ocpsim.RoleStandby)
	assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)

	// Invoked again, it fails over only the tenant that is left.
	again := p.InvokeAction("ocp_tenant_failover", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 2000133)})
	if len(again.Diagnostics.Errors()) > 0 {
		t.Fatalf("second invoke: %s", again.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 3, 0, 0)
	assertFailoverRole(t, f.Sim, 2000132, ocpsim.RolePrimary)
}

func TestTenantFailoverAction_planErrors(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)

	cases := []struct {
		name     string
		cfg      map[string]any
		validate bool // a config validator's error, from ValidateActionConfig
		want     []string
	}{
		{"not a standby of the cluster", map[string]any{"cluster_id": 3000010, "tenants": failoverTenantItems(2000022)}, false,
			[]string{"Tenant is not a standby of the cluster", "Tenant 2000022 is not a tenant of cluster 3000010", "HTTP 404"}},
		{"unknown tenant", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 424242)}, false,
			[]string{"Tenant 424242 is not a tenant of cluster 3000014"}},
		{"duplicate tenant", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 2000133, 2000132)}, true,
			[]string{"Duplicate tenant in failover batch", "tenants[0] and tenants[2]"}},
		{"empty batch", map[string]any{"cluster_id": 3000014, "tenants": []map[string]any{}}, true,
			[]string{"at least 1"}},
		{"zero cluster id", map[string]any{"cluster_id": 0, "tenants": failoverTenantItems(2000132)}, true,
			[]string{"at least 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ds acctest.Diagnostics
			if tc.validate {
				ds = p.ValidateAction("ocp_tenant_failover", tc.cfg)
			} else {
				ds = p.PlanAction("ocp_tenant_failover", tc.cfg)
			}
			errs := ds.Errors().String()
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("errors lack %q:\n%s", w, ds)
				}
			}
		})
	}
	assertFailoverOps(t, f.Sim, 0, 0, 0)
}

// A tenant busy in a switchover is a plan warning naming the switchover (OCP decides, and refuses); a
// failover already running is a warning, and invoking waits for it instead of starting another.
func TestTenantFailoverAction_busyAndAttach(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{StepDuration: 10 * time.Minute})
	p := f.ProtocolServer(t)
	c := failoverSimClient(t, f)

	sw, err := c.Switchover(t.Context(), 3000013, ocp.SwitchoverRequest{TenantID: 2000101, StandbyTenantID: 2000102})
	if err != nil {
		t.Fatal(err)
	}
	plan := p.PlanAction("ocp_tenant_failover", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000102)})
	if w := plan.Warnings().String(); len(plan.Errors()) > 0 || !strings.Contains(w, "Tenant is not NORMAL") || !strings.Contains(w, "task "+failoverItoa(sw.ID)) {
		t.Errorf("want a warning naming switchover task %d:\n%s", sw.ID, plan)
	}

	tasks, err := c.FailoverTenants(t.Context(), 3000014, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: 2000132}}})
	if err != nil {
		t.Fatal(err)
	}
	running := tasks[0].ID
	cfg := map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 2000133)}
	plan = p.PlanAction("ocp_tenant_failover", cfg)
	if len(plan.Errors()) > 0 || !strings.Contains(plan.Warnings().String(), "apply will wait for task "+failoverItoa(running)) {
		t.Errorf("want a warning that apply waits for task %d:\n%s", running, plan)
	}
	failoverReleaseWhenPolled(t, f)
	inv := p.InvokeAction("ocp_tenant_failover", cfg)
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	if len(inv.ProgressMatching("failover task "+failoverItoa(running)+" is already running; waiting for it")) != 1 {
		t.Errorf("no attach message:\n%s", strings.Join(inv.Progress, "\n"))
	}
	// The switchover, the failover started behind Terraform's back, and one started for 2000133 only.
	assertFailoverOps(t, f.Sim, 2, 0, 1)
	assertFailoverRole(t, f.Sim, 2000132, ocpsim.RolePrimary)
	assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)
}

func TestClusterFailoverAction_invoke(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	cfg := map[string]any{"cluster_id": 3000012, "timeouts": map[string]any{"invoke": "5m"}}

	plan := p.PlanAction("ocp_cluster_failover", cfg)
	if len(plan.Errors()) > 0 || !strings.Contains(plan.Warnings().String(), "Failover may lose data") {
		t.Fatalf("plan: want only the data-loss warning:\n%s", plan)
	}
	inv := p.InvokeAction("ocp_cluster_failover", cfg)
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 0, 1, 0)
	if cl, _ := f.Sim.Cluster(3000012); cl.Type != ocpsim.ClusterPrimary {
		t.Errorf("cluster 3000012 is %s, want PRIMARY", cl.Type)
	}
	// 9 subtasks, each seen at least once finishing.
	if n := len(inv.ProgressMatching("SUCCESSFUL", `"Failover OB cluster"`)); n < 9 {
		t.Errorf("want a progress event per subtask, got %d:\n%s", n, strings.Join(inv.Progress, "\n"))
	}
	if len(inv.ProgressMatching("starting the failover of standby cluster 3000012 (OB_DC2)")) != 1 {
		t.Errorf("no start message:\n%s", strings.Join(inv.Progress, "\n"))
	}

	// Already PRIMARY: a no-op with a message, and no operation.
	again := p.InvokeAction("ocp_cluster_failover", cfg)
	if len(again.Diagnostics.Errors()) > 0 || len(again.ProgressMatching("already PRIMARY: not failing it over again")) != 1 {
		t.Fatalf("second invoke: %v\n%s", again.Progress, again.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 0, 1, 0)
}

func TestClusterFailoverAction_failureAndPlanErrors(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)

	if errs := p.PlanAction("ocp_cluster_failover", map[string]any{"cluster_id": 999}).Errors().String(); !strings.Contains(errs, "Error reading cluster") ||
		!strings.Contains(errs, "HTTP 404") {
		t.Errorf("unknown cluster: %s", errs)
	}

	f.Sim.FailNextSubtask(ocpsim.OpClusterFailover, "Failover to Primary")
	inv := p.InvokeAction("ocp_cluster_failover", map[string]any{"cluster_id": 3000012})
	errs := inv.Diagnostics.Errors().String()
	for _, want := range []string{"Failover task failed", "cluster 3000012 (OB_DC2)", `subtask "Failover to Primary"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("error lacks %q:\n%s", want, errs)
		}
	}
	assertFailoverOps(t, f.Sim, 0, 1, 0)
	if cl, _ := f.Sim.Cluster(3000012); cl.Type != ocpsim.ClusterStandby {
		t.Errorf("cluster 3000012 is %s after a failed failover, want STANDBY", cl.Type)
	}
}

func failoverItoa(n int64) string { return strconv.FormatInt(n, 10) }

// failoverServiceName returns the tenant's service name as the simulator reports it.
func failoverServiceName(t *testing.T, sim *ocpsim.Sim, tenantID int64) string {
	t.Helper()
	tn, ok := sim.Tenant(tenantID)
	if !ok {
		t.Fatalf("no tenant %d", tenantID)
	}
	return tn.ServiceName
}

// failoverSimClient is an OCP client of the simulator, for starting operations behind Terraform's back.
func failoverSimClient(t *testing.T, f *acctest.Fixture) *ocp.Client {
	t.Helper()
	c, err := ocp.New(ocp.Config{URL: f.URL, Username: acctest.Username, Password: acctest.Password, PollInterval: acctest.PollInterval})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// failoverReleaseWhenPolled lets the simulator's held tasks (a long StepDuration) finish as soon as someone
// polls a task's detail, that is once the provider waits: the provider attaches to a task that is still
// running, deterministically.
func failoverReleaseWhenPolled(t *testing.T, f *acctest.Fixture) {
	t.Helper()
	before := f.Sim.Counters().Requests[ocpsim.RouteTaskDetail]
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if f.Sim.Counters().Requests[ocpsim.RouteTaskDetail] > before {
					f.Sim.SetStepDuration(2 * time.Millisecond)
					return
				}
			}
		}
	}()
}
