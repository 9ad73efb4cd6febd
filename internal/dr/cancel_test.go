package dr

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// TestOrchestrationCancellationIsPrompt cancels the context of each DR operation while it waits for its
// task (what Terraform does on Ctrl-C, through the plugin server's Stop) and checks that the operation
// returns within a second, with the task it started, as RUNNING, so that the caller can save it. The
// client's waiter is held to 200ms by internal/ocp TestWaitForTaskCancellationIsPrompt; this covers the
// orchestration around it (re-reading the pair, concurrent waits of a batch). At the Terraform level,
// TestFaults_interruptedWhileWaiting sends SIGINT to terraform itself.
func TestCancellationIsPrompt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(ctx context.Context, c *ocp.Client) (taskID int64, status string, err error)
	}{
		{"switchover", func(ctx context.Context, c *ocp.Client) (int64, string, error) {
			out, ps := RunSwitchover(ctx, c, SwitchoverRequest{
				Primary: TenantRef{ClusterID: 3000014, TenantID: 2000102}, Standby: TenantRef{ClusterID: 3000013, TenantID: 2000101},
				AllowWarnings: true,
			}, SwitchoverRun{})
			if out.Task == nil {
				return 0, "", problemsErr(ps)
			}
			return out.Task.ID, string(out.Task.Status), problemsErr(ps)
		}},
		{"tenant failover", func(ctx context.Context, c *ocp.Client) (int64, string, error) {
			req := TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000132}, {TenantID: 2000133}}}
			checks, ps := CheckTenantFailover(ctx, c, req)
			if ps.HasError() {
				return 0, "", problemsErr(ps)
			}
			outs, ps := RunTenantFailover(ctx, c, req, checks, nil)
			if len(outs) != 2 || outs[0].Status != outs[1].Status {
				return 0, "", errors.New("want two outcomes with the same status")
			}
			return outs[0].TaskID(), string(outs[0].Status), problemsErr(ps)
		}},
		{"cluster failover", func(ctx context.Context, c *ocp.Client) (int64, string, error) {
			check, ps := CheckClusterFailover(ctx, c, ClusterFailoverRequest{ClusterID: 3000012})
			if ps.HasError() {
				return 0, "", problemsErr(ps)
			}
			out, ps := RunClusterFailover(ctx, c, check, nil)
			var id int64
			if out.Task != nil {
				id = out.Task.ID
			}
			return id, string(out.Status), problemsErr(ps)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{StepDuration: time.Hour}) // tasks stay RUNNING
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(sim.Close)
			srv := httptest.NewServer(sim)
			t.Cleanup(srv.Close)
			c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword,
				PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			type result struct {
				id     int64
				status string
				err    error
			}
			done := make(chan result, 1)
			go func() {
				id, status, err := tc.run(ctx, c)
				done <- result{id, status, err}
			}()
			// Cancel once a task runs and has been polled since it started (reads before it, such as the
			// lookup that precedes a start, do not count): the operation is waiting.
			reads := func(cs ocpsim.Counters) int {
				return cs.Requests[ocpsim.RouteTaskDetail] + cs.Requests[ocpsim.RouteTaskList]
			}
			deadline := time.Now().Add(10 * time.Second)
			readsAtStart := -1
			for {
				cs := sim.Counters()
				if readsAtStart < 0 && cs.Switchovers+cs.TenantFailovers+cs.ClusterFailovers > 0 {
					readsAtStart = reads(cs)
				}
				if readsAtStart >= 0 && reads(cs) > readsAtStart {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the operation never started waiting")
				}
				time.Sleep(2 * time.Millisecond)
			}
			start := time.Now()
			cancel()
			var r result
			select {
			case r = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the operation did not return within 5s of cancellation")
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("returned %s after cancellation, want under 1s", d)
			}
			tasks := sim.Tasks()
			if len(tasks) == 0 || r.id != tasks[0].ID || r.status != string(ocp.TaskRunning) {
				t.Fatalf("outcome task %d %q, err %v; OCP has %+v", r.id, r.status, r.err, tasks)
			}
			if r.err == nil {
				t.Fatal("a cancelled wait must be an error")
			}
		})
	}
}

// problemsErr turns error problems into one error (nil without errors).
func problemsErr(ps Problems) error {
	var errs []error
	for _, p := range errorsOf(ps) {
		errs = append(errs, errors.New(text(p)))
	}
	return errors.Join(errs...)
}
