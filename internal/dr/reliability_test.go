package dr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

var (
	refOrdersP = TenantRef{ClusterID: 3000013, TenantID: 2000101}
	refOrdersS = TenantRef{ClusterID: 3000014, TenantID: 2000102}
)

// OCP may mark the tenants of a new task MODIFYING only a while after the task appears. A re-apply in
// that window must find the running task and wait for it: one switchover. A plan finds it when the state
// says to look (an unknown outcome recorded); an apply always looks (a replaced resource has lost that
// state). Before, both trusted the NORMAL statuses: the apply started a second switchover, which OCP
// refused, and failed.
func TestSwitchoverInTheDelayedBusyWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		req        SwitchoverRequest
		planAttach bool
	}{
		{"the state records an unknown outcome", SwitchoverRequest{Primary: refOrdersS, Standby: refOrdersP, PriorUnknown: true}, true},
		{"no record (a replaced resource)", SwitchoverRequest{Primary: refOrdersS, Standby: refOrdersP}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, c := newSimClientWith(t, ocpsim.Config{BusyDelay: time.Hour, StepDuration: time.Hour})
			first, err := c.Switchover(ctx, refOrdersP.ClusterID, ocp.SwitchoverRequest{TenantID: refOrdersP.TenantID, StandbyTenantID: refOrdersS.TenantID})
			if err != nil {
				t.Fatal(err)
			}
			if tn, _ := sim.Tenant(refOrdersP.TenantID); tn.Status != ocpsim.TenantNormal {
				t.Fatalf("the window is closed: the primary is %s", tn.Status)
			}
			sp, ps := PlanSwitchover(ctx, c, tc.req)
			if found := sp.Running != nil && sp.Running.ID == first.ID; found != tc.planAttach {
				t.Fatalf("plan found task %d: %v, want %v\n%s", first.ID, found, tc.planAttach, summaries(ps))
			}
			time.AfterFunc(100*time.Millisecond, func() { sim.SetBusyDelay(0); sim.SetStepDuration(time.Millisecond) })
			out, ps := RunSwitchover(ctx, c, tc.req, SwitchoverRun{})
			if n := sim.Counters().Switchovers; n != 1 {
				t.Fatalf("%d switchovers, want 1", n)
			}
			if ps.HasError() || !out.Attached || out.Task.ID != first.ID || out.After.Roles() != RolesAsDeclared {
				t.Fatalf("%+v\n%s", out, summaries(ps))
			}
		})
	}
}

// OCP's published tenant detail carries no role: the engine says so and starts nothing, never taking a
// missing role for PRIMARY or STANDBY.
func TestNoRoleReportedStartsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sim, c := newSimClientWith(t, ocpsim.Config{OmitTenantDRFields: true})

	_, ps := PlanSwitchover(ctx, c, SwitchoverRequest{Primary: refOrdersS, Standby: refOrdersP})
	var missing *ocp.MissingRoleError
	if !ps.HasError() || !errors.As(errorsOf(ps)[0].Err, &missing) {
		t.Fatalf("plan: %s", summaries(ps))
	}
	out, ps := RunSwitchover(ctx, c, SwitchoverRequest{Primary: refOrdersS, Standby: refOrdersP}, SwitchoverRun{})
	if !ps.HasError() || !errors.As(errorsOf(ps)[0].Err, &missing) || out.Task != nil {
		t.Fatalf("run: %+v\n%s", out, summaries(ps))
	}
	_, ps = CheckTenantFailover(ctx, c, TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000132}}})
	if !ps.HasError() || !errors.As(errorsOf(ps)[0].Err, &missing) || errorsOf(ps)[0].TenantID != 2000132 {
		t.Fatalf("failover check: %s", summaries(ps))
	}
	if c := sim.Counters(); c.Switchovers+c.TenantFailovers+c.Prechecks != 0 {
		t.Fatalf("something was started or prechecked: %+v", c)
	}
}

// OCP refuses a tenant failover while the standby's primary is alive (OBE26019): nothing starts, and the
// problem says what it means and what to do instead.
func TestFailoverRefusedWhilePrimaryAlive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sim, c := newSimClient(t)
	req := TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000102}}}
	checks, ps := CheckTenantFailover(ctx, c, req)
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	outs, ps := RunTenantFailover(ctx, c, req, checks, nil)
	if len(outs) != 1 || outs[0].Status != FailoverNotStarted || !ocp.IsPrimaryAlive(outs[0].Err) {
		t.Fatalf("%+v", outs)
	}
	p := errorsOf(ps)[0]
	if p.Summary != "OCP refuses the failover: the primary tenant is alive" || !strings.Contains(p.Detail, "switch the pair over instead") ||
		p.Input != InputTenant || p.TenantID != 2000102 {
		t.Fatalf("%s", summaries(ps))
	}
	if n := sim.Counters().TenantFailovers; n != 0 {
		t.Fatalf("%d failovers", n)
	}
}

// A failover task that succeeds while OCP does not then report the tenant (cluster) PRIMARY, or while
// its role cannot be read, is not taken for a success: the status is UNCONFIRMED (a caller records as
// done only SUCCESSFUL and ALREADY_PRIMARY), the outcome carries the error, and the problem says the
// failover is not confirmed and that the next run checks again. Before, the status stayed SUCCESSFUL.
func TestFailoverSuccessIsConfirmedByTheRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	req := TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000133}}}
	runTenant := func(t *testing.T, c *ocp.Client) ([]TenantOutcome, Problems) {
		t.Helper()
		checks, ps := CheckTenantFailover(ctx, c, req)
		if ps.HasError() {
			t.Fatal(summaries(ps))
		}
		return RunTenantFailover(ctx, c, req, checks, nil)
	}

	t.Run("tenant reported STANDBY", func(t *testing.T) {
		t.Parallel()
		sim, c := newSimClient(t)
		sim.SucceedWithoutEffect(ocpsim.OpTenantFailover)
		outs, ps := runTenant(t, c)
		if len(outs) != 1 || outs[0].Status != FailoverUnconfirmed || outs[0].Err == nil || outs[0].TaskID() == 0 || outs[0].Status.Done() {
			t.Fatalf("%+v", outs)
		}
		p := errorsOf(ps)
		if len(p) != 1 || p[0].Summary != "Failover did not make the tenant PRIMARY" || !strings.Contains(text(p[0]), "reports the role STANDBY") ||
			!strings.Contains(text(p[0]), "UNCONFIRMED") || p[0].Waiting {
			t.Fatalf("%s", summaries(ps))
		}
	})
	t.Run("tenant role unreadable", func(t *testing.T) {
		t.Parallel()
		sim, err := ocpsim.New(ocpsim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		// Once the task has ended, the next read of the tenant fails (the client does not retry).
		var armed atomic.Bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/tenants/2000133") && len(sim.Tasks()) > 0 && sim.Tasks()[0].Status == ocpsim.TaskSuccessful &&
				armed.CompareAndSwap(false, true) {
				sim.FailRequests(ocpsim.RouteTenant, http.StatusServiceUnavailable, 1, 0)
			}
			sim.ServeHTTP(w, r)
		}))
		t.Cleanup(func() { srv.Close(); sim.Close() })
		c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword,
			PollInterval: 5 * time.Millisecond, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		outs, ps := runTenant(t, c)
		if len(outs) != 1 || outs[0].Status != FailoverUnconfirmed || outs[0].Err == nil {
			t.Fatalf("%+v", outs)
		}
		if p := errorsOf(ps); len(p) != 1 || p[0].Summary != "Failover not confirmed" || !strings.Contains(text(p[0]), "HTTP 503") || p[0].Waiting {
			t.Fatalf("%s", summaries(ps))
		}
	})
	t.Run("cluster reported STANDBY", func(t *testing.T) {
		t.Parallel()
		sim, c := newSimClient(t)
		sim.SucceedWithoutEffect(ocpsim.OpClusterFailover)
		check, ps := CheckClusterFailover(ctx, c, ClusterFailoverRequest{ClusterID: 3000012})
		if ps.HasError() {
			t.Fatal(summaries(ps))
		}
		out, ps := RunClusterFailover(ctx, c, check, nil)
		if out.Status != FailoverUnconfirmed || out.Err == nil || out.Task == nil {
			t.Fatalf("%+v", out)
		}
		if p := errorsOf(ps); len(p) != 1 || p[0].Summary != "Failover did not make the cluster PRIMARY" ||
			!strings.Contains(text(p[0]), "reports the role STANDBY") || !strings.Contains(text(p[0]), "UNCONFIRMED") {
			t.Fatalf("%s", summaries(ps))
		}
	})
}

// The start request of a failover is lost before OCP acts on it, and OCP's task list cannot be read
// either: the outcome is UNKNOWN (it may have started), not NOT_STARTED (OCP refused).
func TestFailoverOutcomeUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sim, c := newSimClient(t)
	sim.DropBeforeEffect(ocpsim.RouteTenantFailover, 1)
	req := TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000133}}}
	checks, ps := CheckTenantFailover(ctx, c, req)
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	sim.FailRequests(ocpsim.RouteTaskList, http.StatusServiceUnavailable, 100, 0)
	outs, ps := RunTenantFailover(ctx, c, req, checks, nil)
	var unknown *ocp.OutcomeUnknownError
	if len(outs) != 1 || outs[0].Status != FailoverUnknown || !errors.As(outs[0].Err, &unknown) || !ps.HasError() {
		t.Fatalf("%+v\n%s", outs, summaries(ps))
	}
	if n := sim.Counters().TenantFailovers; n != 0 {
		t.Fatalf("%d failovers", n)
	}
}

// A switchover of the pair ends between the apply's reading of the tenants (busy) and its lookup of
// running tasks (none any more): the tenants it read are stale, and a second read shows the roles as
// declared. The apply starts nothing, reports no error and records the switchover that brought them,
// whether it may start one or not (NoStart). Before, it reported "Tenant busy in another operation"
// from the stale read.
func TestRunSwitchoverWhenTheTaskEndsBetweenItsReads(t *testing.T) {
	t.Parallel()
	for _, noStart := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoStart %v", noStart), func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			// The first task list request waits until the held task has ended before it is answered.
			var ended atomic.Bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && r.URL.Path == "/api/v2/tasks/instances" && ended.CompareAndSwap(false, true) {
					sim.SetStepDuration(time.Millisecond)
					for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
						if tasks := sim.Tasks(); len(tasks) == 1 && tasks[0].Status == ocpsim.TaskSuccessful {
							break
						}
					}
				}
				sim.ServeHTTP(w, r)
			}))
			t.Cleanup(func() { srv.Close(); sim.Close() })
			c := newClientFor(t, srv.URL)
			task := startHeld(t, sim, c, refOhayo1, refOhayo2.TenantID)

			req := SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true, RecordLast: true, NoStart: noStart}
			out, ps := RunSwitchover(context.Background(), c, req, SwitchoverRun{})
			if ps.HasError() || out.Started || out.Task == nil || out.Task.ID != task.ID || !out.AfterRead || out.After.Roles() != RolesAsDeclared {
				t.Fatalf("%+v\n%s", out, summaries(ps))
			}
			if n := sim.Counters().Switchovers; n != 1 {
				t.Fatalf("%d switchovers, want the one that ended", n)
			}
		})
	}
}
