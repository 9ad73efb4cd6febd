package dr

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func TestPlanSwitchover(t *testing.T) {
	ctx := context.Background()

	t.Run("roles hold: nothing to do, no precheck", func(t *testing.T) {
		sim, c := newSimClient(t)
		sp, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo1, Standby: refOhayo2, AllowWarnings: true})
		if len(ps) != 0 || sp.Needed || sp.Running != nil {
			t.Fatalf("%+v\n%s", sp, summaries(ps))
		}
		if n := sim.Counters().Prechecks; n != 0 {
			t.Fatalf("%d prechecks", n)
		}
	})

	t.Run("swapped: the precheck's warning is shown", func(t *testing.T) {
		sim, c := newSimClient(t)
		sp, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true})
		if ps.HasError() || !sp.Needed || len(warningsOf(ps)) != 1 || !strings.Contains(warningsOf(ps)[0].Summary, "OBE26107") {
			t.Fatalf("%+v\n%s", sp, summaries(ps))
		}
		// The precheck was asked with the tenants in their current roles.
		if !strings.Contains(warningsOf(ps)[0].Detail, "primary ohayo_1 (tenant 2000022 of cluster 3000009) to standby ohayo_2") {
			t.Fatal(warningsOf(ps)[0].Detail)
		}
		if c := sim.Counters(); c.Prechecks != 1 || c.Switchovers != 0 {
			t.Fatalf("%+v", c)
		}
		// Both tenants NORMAL: no switchover can be running for the pair, so the task list is not
		// asked. Three requests: both tenants and the precheck.
		if r := sim.Counters().Requests; r[ocpsim.RouteTaskList] != 0 || r[ocpsim.RoutePrecheck] != 1 {
			t.Fatalf("requests: %v", r)
		}
	})

	t.Run("a switchover of the pair is running: wait for it, no precheck", func(t *testing.T) {
		sim, c := newSimClient(t)
		task := startHeld(t, sim, c, refOhayo1, refOhayo2.TenantID)
		sp, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: false})
		if ps.HasError() || sp.Running == nil || sp.Running.ID != task.ID {
			t.Fatalf("%+v\n%s", sp, summaries(ps))
		}
		if w := warningsOf(ps); len(w) != 1 || !strings.Contains(w[0].Detail, "Apply will wait for task") {
			t.Fatal(summaries(ps))
		}
		if n := sim.Counters().Prechecks; n != 0 {
			t.Fatalf("%d prechecks", n)
		}
		if n := sim.Counters().Requests[ocpsim.RouteTaskList]; n == 0 {
			t.Fatal("the running switchover was found without OCP's task list")
		}
	})

	// Also when the caller records an ended task of the pair: only an unknown outcome or a task recorded
	// still running makes a plan take a running task of either tenant for the pair's. Before, any
	// recorded task did, and the plan announced a wait for the other pair's task.
	t.Run("a tenant busy with another pair's switchover", func(t *testing.T) {
		for _, prior := range []struct {
			id     int64
			status ocp.TaskStatus
		}{{0, ""}, {1, ocp.TaskSuccessful}, {1, ocp.TaskFailed}} {
			sim, c := newSimClient(t)
			// batch_p switches over with batch_s1; the pair batch_p / batch_s2 is busy, not running. (The default
			// world has batch_p down, for failover tests: up here.)
			sim.SetTenantDown(2000131, false)
			startHeld(t, sim, c, TenantRef{ClusterID: 3000013, TenantID: 2000131}, 2000132)
			sp, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: TenantRef{ClusterID: 3000014, TenantID: 2000133},
				Standby: TenantRef{ClusterID: 3000013, TenantID: 2000131}, AllowWarnings: true, PriorTaskID: prior.id, PriorTaskStatus: prior.status})
			if sp.Running != nil || len(errorsOf(ps)) != 1 || errorsOf(ps)[0].Summary != "Tenant busy in another operation" ||
				!strings.Contains(text(errorsOf(ps)[0]), "batch_p (tenant 2000131 of cluster 3000013) is PRIMARY and MODIFYING") {
				t.Fatalf("prior task %d %s: running %v\n%s", prior.id, prior.status, sp.Running, summaries(ps))
			}
		}
	})

	t.Run("two primaries", func(t *testing.T) {
		sim, c := newSimClient(t)
		sim.SetTenantRole(refOhayo2.TenantID, ocpsim.RolePrimary)
		_, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true})
		if len(errorsOf(ps)) != 1 || !strings.Contains(errorsOf(ps)[0].Summary, "neither as declared nor swapped") {
			t.Fatal(summaries(ps))
		}
	})

	t.Run("not a pair: the configuration error points at the setting of the current standby", func(t *testing.T) {
		ordersS := TenantRef{ClusterID: 3000014, TenantID: 2000102}
		for _, tc := range []struct {
			name             string
			primary, standby TenantRef
			summary          string
			want             Input
		}{
			{"roles as declared", refOhayo1, ordersS, "not a primary/standby pair", InputStandby},
			{"a switchover asked for", ordersS, refOhayo1, "not a primary/standby pair", InputPrimary},
		} {
			_, c := newSimClient(t)
			_, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: tc.primary, Standby: tc.standby, AllowWarnings: true})
			errs := errorsOf(ps)
			if len(errs) != 1 || !strings.Contains(errs[0].Summary, tc.summary) || !errs[0].Config || errs[0].Input != tc.want ||
				strings.Contains(errs[0].Detail, "Fix the cause in OCP") {
				t.Fatalf("%s: %s", tc.name, summaries(ps))
			}
		}
	})

	t.Run("unknown tenant", func(t *testing.T) {
		_, c := newSimClient(t)
		_, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: TenantRef{3000009, 42}, Standby: refOhayo2, AllowWarnings: true})
		if len(errorsOf(ps)) != 1 || !strings.Contains(text(errorsOf(ps)[0]), "HTTP 404") {
			t.Fatal(summaries(ps))
		}
	})
}

func TestRunSwitchover(t *testing.T) {
	ctx := context.Background()

	t.Run("starts, reports progress, confirms the roles", func(t *testing.T) {
		sim, c := newSimClient(t)
		var onTask, events int
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{
			OnTask: func(task ocp.Task, sofar SwitchoverOutcome) {
				onTask++
				if task.Status != ocp.TaskRunning || sofar.Before.Roles() != RolesSwapped || !sofar.Started || sofar.Precheck == nil {
					t.Errorf("OnTask saw %s, roles %d, started %v, precheck %v", task.Status, sofar.Before.Roles(), sofar.Started, sofar.Precheck)
				}
			},
			Reporter: &countingReporter{progress: &events},
		})
		if ps.HasError() || !out.Started || out.Attached || out.Task == nil || out.Task.Status != ocp.TaskSuccessful {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if out.After.Roles() != RolesAsDeclared || !out.AfterRead || out.Before.Roles() != RolesSwapped || onTask != 1 || events == 0 {
			t.Fatalf("roles %d, OnTask %d, events %d", out.After.Roles(), onTask, events)
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers", n)
		}
	})

	t.Run("attaches to a running switchover instead of starting another", func(t *testing.T) {
		sim, c := newSimClient(t)
		task := startHeld(t, sim, c, refOhayo1, refOhayo2.TenantID)
		time.AfterFunc(100*time.Millisecond, func() { sim.SetStepDuration(time.Millisecond) })
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: false}, SwitchoverRun{})
		if ps.HasError() || out.Started || !out.Attached || out.Task.ID != task.ID || out.After.Roles() != RolesAsDeclared {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers", n)
		}
	})

	t.Run("roles hold: nothing started, the prior task is read again", func(t *testing.T) {
		sim, c := newSimClient(t)
		first, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{})
		if ps.HasError() {
			t.Fatal(summaries(ps))
		}
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, PriorTaskID: first.Task.ID}, SwitchoverRun{})
		if ps.HasError() || out.Started || out.Attached || out.Task == nil || out.Task.ID != first.Task.ID {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers", n)
		}
	})

	t.Run("timeout: the task and the roles OCP reports are returned", func(t *testing.T) {
		sim, c := newSimClient(t)
		sim.SetStepDuration(time.Hour)
		tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		out, ps := RunSwitchover(tctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{})
		if !ps.HasError() || !out.Started || out.Task == nil || out.Task.Status != ocp.TaskRunning {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if out.After.Primary.Role != ocp.RoleStandby || out.After.Primary.Status != ocp.TenantModifying {
			t.Fatalf("pair after the timeout: %s", out.After.Describe())
		}
		var stopped *ocp.WaitInterruptedError
		if p := errorsOf(ps)[0]; !errors.As(p.Err, &stopped) || !p.Waiting || p.TaskID != out.Task.ID {
			t.Fatal(summaries(ps))
		}
	})

	t.Run("NoStart: waits for a running switchover", func(t *testing.T) {
		sim, c := newSimClient(t)
		task := startHeld(t, sim, c, refOhayo1, refOhayo2.TenantID)
		time.AfterFunc(100*time.Millisecond, func() { sim.SetStepDuration(time.Millisecond) })
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, PriorTaskID: task.ID, NoStart: true}, SwitchoverRun{})
		if ps.HasError() || !out.Attached || out.Task.ID != task.ID || out.After.Roles() != RolesAsDeclared {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
	})

	t.Run("NoStart: the switchover waited for failed, none is started", func(t *testing.T) {
		sim, c := newSimClient(t)
		sim.FailNextSubtask(ocpsim.OpSwitchover, "Switch primary tenant to standby")
		failed, _ := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{})
		if failed.Task == nil || failed.Task.Status != ocp.TaskFailed {
			t.Fatalf("the first switchover did not fail: %+v", failed)
		}
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true,
			PriorTaskID: failed.Task.ID, NoStart: true}, SwitchoverRun{})
		if len(errorsOf(ps)) != 1 || errorsOf(ps)[0].Summary != "Switchover not started: the plan did not announce one" ||
			!strings.Contains(errorsOf(ps)[0].Detail, "which the plan expected to wait for, ended FAILED") ||
			!strings.Contains(errorsOf(ps)[0].Detail, "ohayo_2 (tenant 2000025 of cluster 3000010) is STANDBY") || out.Started || out.Attached {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers, want the failed one only", n)
		}
		// Without a prior task: the roles changed since a plan that expected none.
		_, ps = RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, NoStart: true}, SwitchoverRun{})
		if len(errorsOf(ps)) != 1 || !strings.Contains(errorsOf(ps)[0].Detail, "no switchover of the pair is running") {
			t.Fatal(summaries(ps))
		}
	})

	t.Run("a blocking precheck starts nothing", func(t *testing.T) {
		sim, c := newSimClient(t)
		out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: TenantRef{3000014, 2000112}, Standby: TenantRef{3000013, 2000111}, AllowWarnings: true}, SwitchoverRun{})
		if len(errorsOf(ps)) != 1 || !strings.Contains(errorsOf(ps)[0].Summary, "OBE26009") || out.Started || out.Task != nil {
			t.Fatalf("%+v\n%s", out, summaries(ps))
		}
		if n := sim.Counters().Switchovers; n != 0 {
			t.Fatalf("%d switchovers", n)
		}
	})
}

// LastSwitchover finds the switchover that brought the roles OCP reports: one that FAILED after its role
// subtask counts when OCP did change the roles (they change mid-task), and not when it did not; a
// rolled-back one never does.
func TestLastSwitchover(t *testing.T) {
	cases := []struct {
		name      string
		midTask   bool // OCP changes the roles at "Update tenant role in meta"
		rollback  bool
		wantFound bool
	}{
		{"failed after the roles changed", true, false, true},
		{"failed, roles unchanged", false, false, false},
		{"failed early and rolled back", false, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, c := newSimClient(t)
			sim.SetRolesChangeMidTask(tc.midTask)
			failAt := "Reset switchover tenant info"
			if tc.rollback {
				failAt = "Create standby tenant read only user"
			}
			sim.FailNextSubtask(ocpsim.OpSwitchover, failAt)
			task, err := c.Switchover(t.Context(), refOhayo1.ClusterID, ocp.SwitchoverRequest{TenantID: refOhayo1.TenantID, StandbyTenantID: refOhayo2.TenantID})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err == nil {
				t.Fatal("the switchover did not fail")
			}
			if tc.rollback {
				if err := c.RollbackTask(t.Context(), task.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			pair, err := ReadPair(t.Context(), c, refOhayo1, refOhayo2)
			if err != nil {
				t.Fatal(err)
			}
			got := LastSwitchover(t.Context(), c, pair)
			if found := got != nil && got.ID == task.ID; found != tc.wantFound {
				t.Fatalf("LastSwitchover = %+v, want task %d found = %v (roles: %s)", got, task.ID, tc.wantFound, pair.Describe())
			}
		})
	}
}
