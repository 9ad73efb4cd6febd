package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The orchestration against the simulator, without Terraform: what the resource and the action share.

func newSimClient(t *testing.T) (*ocpsim.Sim, *ocp.Client) {
	t.Helper()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { srv.Close(); sim.Close() })
	c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

var (
	refOhayo1 = tenantRef{3000009, 2000022}
	refOhayo2 = tenantRef{3000010, 2000025}
)

// startHeld starts a switchover of primary → standby directly in OCP and holds it running.
func startHeld(t *testing.T, sim *ocpsim.Sim, c *ocp.Client, primary tenantRef, standbyID int64) *ocp.Task {
	t.Helper()
	sim.SetStepDuration(time.Hour)
	task, err := c.Switchover(context.Background(), primary.ClusterID, ocp.SwitchoverRequest{TenantID: primary.TenantID, StandbyTenantID: standbyID})
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func summaries(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + " | " + d.Detail() + "\n")
	}
	return b.String()
}

func TestPlanSwitchover(t *testing.T) {
	ctx := context.Background()

	t.Run("roles hold: nothing to do, no precheck", func(t *testing.T) {
		sim, c := newSimClient(t)
		sp, diags := planSwitchover(ctx, c, refOhayo1, refOhayo2, true)
		if len(diags) != 0 || sp.Needed || sp.Running != nil {
			t.Fatalf("%+v\n%s", sp, summaries(diags))
		}
		if n := sim.Counters().Prechecks; n != 0 {
			t.Fatalf("%d prechecks", n)
		}
	})

	t.Run("swapped: the precheck's warning is shown", func(t *testing.T) {
		sim, c := newSimClient(t)
		sp, diags := planSwitchover(ctx, c, refOhayo2, refOhayo1, true)
		if diags.HasError() || !sp.Needed || len(diags.Warnings()) != 1 || !strings.Contains(diags.Warnings()[0].Summary(), "OBE26107") {
			t.Fatalf("%+v\n%s", sp, summaries(diags))
		}
		// The precheck was asked with the tenants in their current roles.
		if !strings.Contains(diags.Warnings()[0].Detail(), "primary ohayo_1 (tenant 2000022 of cluster 3000009) to standby ohayo_2") {
			t.Fatal(diags.Warnings()[0].Detail())
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
		sp, diags := planSwitchover(ctx, c, refOhayo2, refOhayo1, false)
		if diags.HasError() || sp.Running == nil || sp.Running.ID != task.ID {
			t.Fatalf("%+v\n%s", sp, summaries(diags))
		}
		if w := diags.Warnings(); len(w) != 1 || !strings.Contains(w[0].Detail(), "Apply will wait for task") {
			t.Fatal(summaries(diags))
		}
		if n := sim.Counters().Prechecks; n != 0 {
			t.Fatalf("%d prechecks", n)
		}
		if n := sim.Counters().Requests[ocpsim.RouteTaskList]; n == 0 {
			t.Fatal("the running switchover was found without OCP's task list")
		}
	})

	t.Run("a tenant busy with another pair's switchover", func(t *testing.T) {
		sim, c := newSimClient(t)
		// batch_p switches over with batch_s1; the pair batch_p / batch_s2 is busy, not running.
		startHeld(t, sim, c, tenantRef{3000013, 2000131}, 2000132)
		_, diags := planSwitchover(ctx, c, tenantRef{3000014, 2000133}, tenantRef{3000013, 2000131}, true)
		if len(diags.Errors()) != 1 || diags.Errors()[0].Summary() != "Tenant busy in another operation" ||
			!strings.Contains(diags.Errors()[0].Detail(), "batch_p (tenant 2000131 of cluster 3000013) is PRIMARY and MODIFYING") {
			t.Fatal(summaries(diags))
		}
	})

	t.Run("two primaries", func(t *testing.T) {
		sim, c := newSimClient(t)
		sim.SetTenantRole(refOhayo2.TenantID, ocpsim.RolePrimary)
		_, diags := planSwitchover(ctx, c, refOhayo2, refOhayo1, true)
		if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Summary(), "neither as declared nor swapped") {
			t.Fatal(summaries(diags))
		}
	})

	t.Run("unknown tenant", func(t *testing.T) {
		_, c := newSimClient(t)
		_, diags := planSwitchover(ctx, c, tenantRef{3000009, 42}, refOhayo2, true)
		if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), "HTTP 404") {
			t.Fatal(summaries(diags))
		}
	})
}

func TestRunSwitchover(t *testing.T) {
	ctx := context.Background()

	t.Run("starts, reports progress, confirms the roles", func(t *testing.T) {
		sim, c := newSimClient(t)
		var onTask, events int
		out, diags := runSwitchover(ctx, c, switchoverRequest{
			Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true,
			OnTask: func(task ocp.Task, pair pairState) {
				onTask++
				if task.Status != ocp.TaskRunning || pair.roles() != rolesSwapped {
					t.Errorf("OnTask saw %s, roles %d", task.Status, pair.roles())
				}
			},
			OnProgress: func(ocp.ProgressEvent) { events++ },
		})
		if diags.HasError() || !out.Started || out.Attached || out.Task == nil || out.Task.Status != ocp.TaskSuccessful {
			t.Fatalf("%+v\n%s", out, summaries(diags))
		}
		if out.Pair.roles() != rolesAsDeclared || onTask != 1 || events == 0 {
			t.Fatalf("roles %d, OnTask %d, events %d", out.Pair.roles(), onTask, events)
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers", n)
		}
	})

	t.Run("attaches to a running switchover instead of starting another", func(t *testing.T) {
		sim, c := newSimClient(t)
		task := startHeld(t, sim, c, refOhayo1, refOhayo2.TenantID)
		time.AfterFunc(100*time.Millisecond, func() { sim.SetStepDuration(time.Millisecond) })
		out, diags := runSwitchover(ctx, c, switchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: false})
		if diags.HasError() || out.Started || !out.Attached || out.Task.ID != task.ID || out.Pair.roles() != rolesAsDeclared {
			t.Fatalf("%+v\n%s", out, summaries(diags))
		}
		if n := sim.Counters().Switchovers; n != 1 {
			t.Fatalf("%d switchovers", n)
		}
	})

	t.Run("roles hold: nothing started, the prior task is read again", func(t *testing.T) {
		sim, c := newSimClient(t)
		first, diags := runSwitchover(ctx, c, switchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true})
		if diags.HasError() {
			t.Fatal(summaries(diags))
		}
		out, diags := runSwitchover(ctx, c, switchoverRequest{Primary: refOhayo2, Standby: refOhayo1, PriorTaskID: first.Task.ID})
		if diags.HasError() || out.Started || out.Attached || out.Task == nil || out.Task.ID != first.Task.ID {
			t.Fatalf("%+v\n%s", out, summaries(diags))
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
		out, diags := runSwitchover(tctx, c, switchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true})
		if !diags.HasError() || !out.Started || out.Task == nil || out.Task.Status != ocp.TaskRunning {
			t.Fatalf("%+v\n%s", out, summaries(diags))
		}
		if out.Pair.Primary.Role != ocp.RoleStandby || out.Pair.Primary.Status != ocp.TenantModifying {
			t.Fatalf("pair after the timeout: %s", out.Pair.describe())
		}
		if d := diags.Errors()[0].Detail(); !strings.Contains(d, "the timeout ran out") {
			t.Fatal(d)
		}
	})

	t.Run("a blocking precheck starts nothing", func(t *testing.T) {
		sim, c := newSimClient(t)
		out, diags := runSwitchover(ctx, c, switchoverRequest{Primary: tenantRef{3000014, 2000112}, Standby: tenantRef{3000013, 2000111}, AllowWarnings: true})
		if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Summary(), "OBE26009") || out.Started || out.Task != nil {
			t.Fatalf("%+v\n%s", out, summaries(diags))
		}
		if n := sim.Counters().Switchovers; n != 0 {
			t.Fatalf("%d switchovers", n)
		}
	})
}

// A wait that ends because OCP stopped answering the task's reads (here a 403 once the task started)
// ended only the wait: the error says that the task may still be running and that applying again
// waits for it, as it does for a timeout.
func TestRunSwitchover_waitErrorSaysTheTaskGoesOn(t *testing.T) {
	sim, c := newSimClient(t)
	sim.SetStepDuration(time.Hour)
	out, diags := runSwitchover(context.Background(), c, switchoverRequest{
		Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true,
		OnTask: func(ocp.Task, pairState) { sim.FailRequests(ocpsim.RouteTaskDetail, 403, 1000, 0) },
	})
	if !diags.HasError() || !out.Started || out.Task == nil {
		t.Fatalf("%+v\n%s", out, summaries(diags))
	}
	d := diags.Errors()[0].Detail()
	if !strings.Contains(d, "HTTP 403") || !strings.Contains(d, "may still be running") ||
		!strings.Contains(d, fmt.Sprintf("waits for task %d", out.Task.ID)) {
		t.Fatal(d)
	}
}
