package provider_test

import (
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// switchoverActionConfig asks for primary (cluster, tenant) to become PRIMARY and standby STANDBY.
func switchoverActionConfig(primaryCluster, primaryTenant, standbyCluster, standbyTenant int64, extra map[string]any) map[string]any {
	m := map[string]any{
		"primary": map[string]any{"cluster_id": primaryCluster, "tenant_id": primaryTenant},
		"standby": map[string]any{"cluster_id": standbyCluster, "tenant_id": standbyTenant},
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestTenantSwitchoverAction_invoke(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	// orders_s (standby) should become PRIMARY, orders_p STANDBY.
	cfg := switchoverActionConfig(3000014, 2000102, 3000013, 2000101, map[string]any{"timeouts": map[string]any{"invoke": "5m"}})

	if plan := p.PlanAction("ocp_tenant_switchover", cfg); len(plan) > 0 {
		t.Fatalf("plan: want no diagnostics (the precheck passes):\n%s", plan)
	}
	inv := p.InvokeAction("ocp_tenant_switchover", cfg)
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 0, 0, 1)
	assertFailoverRole(t, f.Sim, 2000102, ocpsim.RolePrimary)
	assertFailoverRole(t, f.Sim, 2000101, ocpsim.RoleStandby)
	progress := strings.Join(inv.Progress, "\n")
	for _, want := range []string{"waiting for switchover task", "started by this action, ended SUCCESSFUL", "switchover done"} {
		if len(inv.ProgressMatching(want)) != 1 {
			t.Errorf("no progress message %q:\n%s", want, progress)
		}
	}
	// The switchover DAG has 10 subtasks: each is seen ending.
	if n := len(inv.ProgressMatching(`"Switchover ob tenant for network mode"`, "SUCCESSFUL")); n < 10 {
		t.Errorf("want a progress event per subtask, got %d:\n%s", n, progress)
	}

	// The roles hold now: a no-op, said so at plan time and when invoked.
	if w := p.PlanAction("ocp_tenant_switchover", cfg).Warnings().String(); !strings.Contains(w, "Roles already as requested") {
		t.Errorf("plan of a no-op: %s", w)
	}
	again := p.InvokeAction("ocp_tenant_switchover", cfg)
	if len(again.Diagnostics.Errors()) > 0 || len(again.ProgressMatching("STANDBY already: nothing to do")) != 1 {
		t.Fatalf("second invoke: %v\n%s", again.Progress, again.Diagnostics)
	}
	assertFailoverOps(t, f.Sim, 0, 0, 1)
}

func TestTenantSwitchoverAction_failedSubtask(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	f.Sim.FailNextSubtask(ocpsim.OpSwitchover, "Switch primary tenant to standby")

	inv := p.InvokeAction("ocp_tenant_switchover", switchoverActionConfig(3000014, 2000102, 3000013, 2000101, nil))
	errs := inv.Diagnostics.Errors().String()
	for _, want := range []string{"Error waiting for the switchover", `subtask "Switch primary tenant to standby"`, "orders_p"} {
		if !strings.Contains(errs, want) {
			t.Errorf("error lacks %q:\n%s", want, inv.Diagnostics)
		}
	}
	assertFailoverOps(t, f.Sim, 0, 0, 1)
	assertFailoverRole(t, f.Sim, 2000101, ocpsim.RolePrimary)
}

func TestTenantSwitchoverAction_planErrors(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)

	// The lagging pair: the precheck blocks it (OBE26009), at plan time and when invoked.
	lag := switchoverActionConfig(3000014, 2000112, 3000013, 2000111, nil)
	if errs := p.PlanAction("ocp_tenant_switchover", lag).Errors().String(); !strings.Contains(errs, "OBE26009") {
		t.Errorf("lagging pair: want the blocking precheck OBE26009:\n%s", errs)
	}
	if errs := p.InvokeAction("ocp_tenant_switchover", lag).Diagnostics.Errors().String(); !strings.Contains(errs, "OBE26009") {
		t.Errorf("lagging pair invoked: want the blocking precheck OBE26009:\n%s", errs)
	}

	// The ohayo pair's clusters sit behind different OBProxy clusters: a warning, an error without allow_warnings.
	ohayo := switchoverActionConfig(3000010, 2000025, 3000009, 2000022, nil)
	if plan := p.PlanAction("ocp_tenant_switchover", ohayo); len(plan.Errors()) > 0 || !strings.Contains(plan.Warnings().String(), "OBE26107") {
		t.Errorf("ohayo pair: want the OBE26107 warning only:\n%s", plan)
	}
	strict := switchoverActionConfig(3000010, 2000025, 3000009, 2000022, map[string]any{"allow_warnings": false})
	if errs := p.PlanAction("ocp_tenant_switchover", strict).Errors().String(); !strings.Contains(errs, "OBE26107") {
		t.Errorf("allow_warnings = false: want OBE26107 as an error:\n%s", errs)
	}

	same := switchoverActionConfig(3000009, 2000022, 3000009, 2000022, nil)
	if errs := p.ValidateAction("ocp_tenant_switchover", same).Errors().String(); !strings.Contains(errs, "Primary and standby are the same tenant") {
		t.Errorf("one tenant twice: %s", errs)
	}
	assertFailoverOps(t, f.Sim, 0, 0, 0)
}
