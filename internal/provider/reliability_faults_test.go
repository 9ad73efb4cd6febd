package provider_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The fault matrix: every case runs for the switchover, the tenant failover and the cluster failover,
// through the real terraform binary with the provider as its own process, and asserts on the
// simulator's counters how many operations started (0 or 1, never 2) and how many start requests
// reached OCP.
//
// Related cases elsewhere, not repeated here: the timeouts block running out on a switchover's update
// (TestAccTenantSwitchover_timeoutThenAttach; TestFaults_createTimeoutThenAttach covers create), a batch in which one tenant fails (TestAccTenantFailoverResource_partialBatch), the client's retry and
// unknown-outcome rules (internal/ocp TestRetries, Test429HonoursRetryAfter, TestStartOperations), and the
// waiter's promptness on cancellation (internal/ocp TestWaitForTaskCancellationIsPrompt;
// TestOrchestrationCancellationIsPrompt in this package for the three operations).

// simServer serves a fresh simulator; the server is returned so that a test can take OCP down.
func simServer(t *testing.T, cfg ocpsim.Config) (*acctest.Fixture, *httptest.Server) {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { srv.Close(); sim.Close() })
	return &acctest.Fixture{Sim: sim, URL: srv.URL}, srv
}

// forEachOp runs test for each DR operation, in parallel.
func forEachOp(t *testing.T, test func(t *testing.T, op drOp)) {
	acctest.BuildProvider(t)
	t.Parallel()
	for _, op := range drOps {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			test(t, op)
		})
	}
}

// 5xx and 429 bursts on the reads, the precheck and the task polling: the apply succeeds, retrying
// with backoff and honouring Retry-After, and starts exactly one operation.
func TestFaults_transientErrorBursts(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, ""))
		faults := []struct {
			route      string
			status, n  int
			retryAfter time.Duration
		}{
			{op.readRoute, http.StatusServiceUnavailable, 3, 0},
			{ocpsim.RoutePrecheck, http.StatusBadGateway, 2, 0},
			// The first two task list requests are the credentials checks of the apply's two walks (sent
			// once, their failure left to the resources): two more reach the operation's own lookups.
			{ocpsim.RouteTaskList, http.StatusInternalServerError, credentialsChecksPerApply + 2, 0},
			{ocpsim.RouteTaskDetail, http.StatusTooManyRequests, 2, time.Second},
		}
		for _, fl := range faults {
			f.Sim.FailRequests(fl.route, fl.status, fl.n, fl.retryAfter)
		}
		start := time.Now()
		w.MustRun("apply", "-auto-approve")
		elapsed := time.Since(start)
		op.expectStarted(t, f.Sim, 1)
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s's effect", op.name)
		}
		c := f.Sim.Counters()
		for _, fl := range faults {
			// Every faulted route that the operation used at all was used past its faults: the burst was
			// retried through. (The credentials checks are not the operation's.)
			used := c.Requests[fl.route]
			if fl.route == ocpsim.RouteTaskList {
				used -= credentialsChecksPerApply
			}
			if got := c.Requests[fl.route]; used > 0 && got <= fl.n {
				t.Errorf("%s: %d requests, all of them faulted: the apply cannot have got through it", fl.route, got)
			}
		}
		for _, route := range []string{op.readRoute, ocpsim.RouteTaskDetail} {
			if c.Requests[route] == 0 {
				t.Errorf("%s was never requested: the fault on it proves nothing", route)
			}
		}
		if c.Requests[ocpsim.RouteTaskDetail] > 2 && elapsed < 2*time.Second {
			t.Errorf("two 429s with Retry-After: 1 were retried within %s: Retry-After ignored", elapsed)
		}
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateStatuses(values), "SUCCESSFUL") {
			t.Errorf("state after a successful apply: tainted=%v %v", tainted, values)
		}
	})
}

// A start request that OCP refuses with a 5xx error envelope did not start anything, and is never
// re-sent by the provider: the apply fails clearly, and the next apply starts the one operation.
func TestFaults_startRefusedWith5xx(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, ""))
		f.Sim.FailRequests(op.startRoute, http.StatusServiceUnavailable, 1, 0)
		r := w.Run("apply", "-auto-approve")
		if r.Err == nil {
			t.Fatalf("apply succeeded although OCP refused the start request:\n%s", r.Output())
		}
		matchFlat(t, r.Output(), `Error starting .*HTTP 503.*simulated fault`)
		if c := f.Sim.Counters(); op.started(c) != 0 || c.Requests[op.startRoute] != 1 {
			t.Fatalf("after a refused start: %d started, %d start requests (want 0 and 1: never re-sent)", op.started(c), c.Requests[op.startRoute])
		}
		w.MustRun("apply", "-auto-approve")
		if c := f.Sim.Counters(); op.started(c) != 1 || c.Requests[op.startRoute] != 2 {
			t.Fatalf("after the second apply: %d started, %d start requests, want 1 and 2", op.started(c), c.Requests[op.startRoute])
		}
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s's effect", op.name)
		}
	})
}

// The connection drops after the start request took effect: the provider does not send it again, finds
// the task it started in OCP's task list, waits for it and succeeds.
func TestFaults_connectionDroppedAfterStart(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, ""))
		f.Sim.DropAfterEffect(op.startRoute, 1)
		w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, f.Sim, 1)
		task := onlyTask(t, f.Sim)
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Fatalf("the state does not record task %d found after the dropped answer: tainted=%v %v", task.ID, tainted, values)
		}
		if !op.done(f.Sim) || task.Status != ocpsim.TaskSuccessful {
			t.Errorf("OCP does not show the %s done: task %s", op.name, task.Status)
		}
	})
}

// The connection drops after the start request took effect AND OCP's task list is unavailable right
// then, so the provider cannot tell whether the operation started: the apply fails saying exactly that
// (the operation is not lost, nor started again), and the next apply finds the running task and waits
// for it.
func TestFaults_outcomeUnknownThenFound(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		sim, err := ocpsim.New(ocpsim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		// Arm the task list fault when the start request arrives, so that the checks before it are
		// unaffected and the lookup after the dropped answer exhausts its retries (max_retries = 1).
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && startPath.MatchString(r.URL.Path) {
				sim.FailRequests(ocpsim.RouteTaskList, http.StatusServiceUnavailable, 2, 0)
			}
			sim.ServeHTTP(w, r)
		}))
		t.Cleanup(func() { srv.Close(); sim.Close() })
		f := &acctest.Fixture{Sim: sim, URL: srv.URL}
		w := acctest.NewWorkdir(t, fmt.Sprintf("provider \"ocp\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 1\n}\n",
			f.URL, acctest.Username, acctest.Password)+fmt.Sprintf(op.resource, ""))
		holdTasks(sim)
		sim.DropAfterEffect(op.startRoute, 1)
		r := w.Run("apply", "-auto-approve")
		if r.Err == nil {
			t.Fatalf("apply succeeded although the outcome of the start request could not be known:\n%s", r.Output())
		}
		matchFlat(t, r.Output(), `may or may not have started.*could not tell whether OCP started the operation.*attaches to a running task`)
		op.expectStarted(t, sim, 1)
		task := onlyTask(t, sim)

		releaseWhenWaited(t, sim, 6)
		r = w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, sim, 1)
		matchFlat(t, r.Output(), regexp.QuoteMeta(op.attachedWarning)+`.*`+fmt.Sprint(task.ID))
		if !op.done(sim) {
			t.Errorf("OCP does not show the %s done", op.name)
		}
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Errorf("the next apply did not record the task it attached to (%d): tainted=%v %v", task.ID, tainted, values)
		}
	})
}

// startPath matches the paths of the three start requests.
var startPath = regexp.MustCompile(`/(switchover|tenants/failover|failover)$`)

// Terraform is interrupted (SIGINT, as Ctrl-C) while it waits: it stops promptly, the state keeps the
// task, and the next apply attaches to it (exactly one operation).
func TestFaults_interruptedWhileWaiting(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGINT and process groups")
	}
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, ""))
		holdTasks(f.Sim)
		p := w.Start("apply", "-auto-approve")
		waitFor(t, 30*time.Second, "the operation to start and the apply to wait for it", func() bool {
			return op.started(f.Sim.Counters()) == 1 && f.Sim.Counters().Requests[ocpsim.RouteTaskDetail] > 0
		})
		sent := time.Now()
		if err := p.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		r, ok := p.Wait(10 * time.Second)
		if !ok {
			t.Fatal("terraform did not exit within 10s of SIGINT")
		}
		stopped := time.Since(sent)
		t.Logf("terraform exited %s after SIGINT", stopped.Round(time.Millisecond))
		if stopped > 3*time.Second {
			t.Errorf("terraform took %s to stop after SIGINT", stopped)
		}
		if r.Err == nil {
			t.Fatalf("the interrupted apply succeeded:\n%s", r.Output())
		}
		matchFlat(t, r.Output(), `Stopped waiting for OCP task \d+.*context canceled`)

		task := onlyTask(t, f.Sim)
		if task.Status != ocpsim.TaskRunning {
			t.Fatalf("the task should still run in OCP, it is %s", task.Status)
		}
		values, _ := resourceState(t, w, op.addr)
		if !slices.Contains(stateTaskIDs(values), task.ID) || !slices.Contains(stateStatuses(values), "RUNNING") {
			t.Fatalf("the interrupted apply did not save task %d as RUNNING: %v", task.ID, values)
		}

		releaseWhenWaited(t, f.Sim, 6)
		r = w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, f.Sim, 1)
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s done after the attaching apply:\n%s", op.name, r.Output())
		}
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Errorf("the attaching apply did not record task %d: tainted=%v %v", task.ID, tainted, values)
		}
	})
}

// The timeouts block runs out while the task runs (create, for each operation; the switchover's update
// is TestAccTenantSwitchover_timeoutThenAttach): the apply says the task goes on, the state keeps it, and
// the next apply attaches to it.
func TestFaults_createTimeoutThenAttach(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, "  timeouts {\n    create = \"1s\"\n  }"))
		holdTasks(f.Sim)
		r := w.Run("apply", "-auto-approve")
		if r.Err == nil {
			t.Fatalf("apply succeeded although the task is held:\n%s", r.Output())
		}
		matchFlat(t, r.Output(), `Stopped waiting for OCP task \d+ .*last seen RUNNING\): the timeout ran out.*Run terraform apply again: the provider waits for task \d+ instead of starting another operation`)
		task := onlyTask(t, f.Sim)
		values, _ := resourceState(t, w, op.addr)
		if !slices.Contains(stateTaskIDs(values), task.ID) || !slices.Contains(stateStatuses(values), "RUNNING") {
			t.Fatalf("the timed-out apply did not save task %d as RUNNING: %v", task.ID, values)
		}
		w.SetConfig(op.config(f, "  timeouts {\n    create = \"2m\"\n  }"))
		releaseWhenWaited(t, f.Sim, 6)
		w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, f.Sim, 1)
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s done", op.name)
		}
		if values, tainted := resourceState(t, w, op.addr); values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Errorf("the attaching apply did not record task %d: tainted=%v %v", task.ID, tainted, values)
		}
	})
}

// The provider and Terraform are killed outright (SIGKILL) while they wait, so no state is saved: the
// next apply finds the running task in OCP's task list and waits for it instead of starting another.
func TestFaults_killedWhileWaiting(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGINT and process groups")
	}
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, op.config(f, ""))
		holdTasks(f.Sim)
		p := w.Start("apply", "-auto-approve")
		waitFor(t, 30*time.Second, "the operation to start and the apply to wait for it", func() bool {
			return op.started(f.Sim.Counters()) == 1 && f.Sim.Counters().Requests[ocpsim.RouteTaskDetail] > 0
		})
		p.Kill()
		task := onlyTask(t, f.Sim)
		if values, _ := resourceState(t, w, op.addr); values != nil {
			t.Fatalf("a killed apply saved state, so this test proves nothing about the task list: %v", values)
		}

		releaseWhenWaited(t, f.Sim, 6)
		r := w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, f.Sim, 1)
		matchFlat(t, r.Output(), regexp.QuoteMeta(op.attachedWarning)+`.*`+fmt.Sprint(task.ID))
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s done", op.name)
		}
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Errorf("the next apply did not record the task it attached to (%d): tainted=%v %v", task.ID, tainted, values)
		}
	})
}

// Two operators (two pipelines, each with its own state) apply the same operation at the same moment:
// OCP runs it once. Each apply either attaches to the running task and succeeds, or is refused by OCP as
// busy with a clear error; never do both start one.
//
// With startLatency the start requests of both applies are in flight together (the simulator holds each
// for that long before acting on it), so both pass the checks before either task exists and OCP must
// refuse one; without it, the later apply usually finds the earlier one's task and attaches.
func TestFaults_concurrentApplies(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		for _, startLatency := range []time.Duration{0, 700 * time.Millisecond} {
			t.Run(fmt.Sprintf("start latency %s", startLatency), func(t *testing.T) {
				t.Parallel()
				concurrentApplies(t, op, startLatency)
			})
		}
	})
}

func concurrentApplies(t *testing.T, op drOp, startLatency time.Duration) {
	f, _ := simServer(t, ocpsim.Config{})
	a := acctest.NewWorkdir(t, op.config(f, ""))
	b := acctest.NewWorkdir(t, op.config(f, ""))
	holdTasks(f.Sim)
	f.Sim.SetLatency(op.startRoute, startLatency)
	pa, pb := a.Start("apply", "-auto-approve"), b.Start("apply", "-auto-approve")
	waitFor(t, 30*time.Second, "an operation to start", func() bool { return op.started(f.Sim.Counters()) > 0 })
	time.Sleep(1500 * time.Millisecond) // both applies reach the task, or OCP's refusal
	releaseTasks(f.Sim)
	succeeded := 0
	for _, p := range []*acctest.Process{pa, pb} {
		r, ok := p.Wait(60 * time.Second)
		if !ok {
			t.Fatal("an apply did not finish")
		}
		if r.Err == nil {
			succeeded++
			continue
		}
		matchFlat(t, r.Output(), `Error starting .*HTTP (409|400).*(Another operation is running|busy|running task)`)
	}
	t.Logf("%d of 2 applies succeeded (the others were refused as busy)", succeeded)
	if succeeded == 0 {
		t.Error("neither apply succeeded")
	}
	if c := f.Sim.Counters(); op.started(c) != 1 {
		t.Fatalf("two applies at once started %d operations, want 1", op.started(c))
	}
	if !op.done(f.Sim) {
		t.Errorf("OCP does not show the %s done", op.name)
	}
}

// The task fails at each subtask in turn: the apply fails naming the subtask and what to do; the state
// records the failed task and OCP's roles (unchanged); once the task is retried in OCP, the next apply
// waits for it and completes, and no second operation starts.
func TestFaults_taskFailsAtEachSubtask(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	for _, op := range drOps {
		for _, subtask := range op.subtasks {
			t.Run(op.name+"/"+subtask, func(t *testing.T) {
				t.Parallel()
				f, _ := simServer(t, ocpsim.Config{})
				w := acctest.NewWorkdir(t, op.config(f, ""))
				f.Sim.FailNextSubtask(op.kind, subtask)
				r := w.Run("apply", "-auto-approve")
				if r.Err == nil {
					t.Fatalf("apply succeeded although subtask %q failed:\n%s", subtask, r.Output())
				}
				matchFlat(t, r.Output(), `OCP task \d+ \(".*"\) FAILED at subtask "`+regexp.QuoteMeta(subtask)+`".*retry the task in OCP`)
				op.expectStarted(t, f.Sim, 1)
				task := onlyTask(t, f.Sim)
				if task.Status != ocpsim.TaskFailed || !op.before(f.Sim) {
					t.Fatalf("OCP after the failure: task %s, roles as before = %v", task.Status, op.before(f.Sim))
				}
				values, _ := resourceState(t, w, op.addr)
				if !slices.Contains(stateTaskIDs(values), task.ID) || !slices.Contains(stateStatuses(values), "FAILED") {
					t.Fatalf("the state does not record failed task %d: %v", task.ID, values)
				}
				if op.kind == ocpsim.OpSwitchover {
					expectStateRolesAsOCP(t, values, f.Sim) // nothing switched, and the state says so
				}

				holdTasks(f.Sim)
				if _, err := f.Sim.RetryTask(task.ID); err != nil {
					t.Fatal(err)
				}
				releaseWhenWaited(t, f.Sim, 6)
				r = w.MustRun("apply", "-auto-approve")
				op.expectStarted(t, f.Sim, 1)
				matchFlat(t, r.Output(), regexp.QuoteMeta(op.attachedWarning))
				if task := onlyTask(t, f.Sim); task.Status != ocpsim.TaskSuccessful || !op.done(f.Sim) {
					t.Errorf("after the retry: task %s, done = %v", task.Status, op.done(f.Sim))
				}
				if values, tainted := resourceState(t, w, op.addr); tainted || !slices.Contains(stateStatuses(values), "SUCCESSFUL") &&
					!slices.Contains(stateStatuses(values), "ALREADY_PRIMARY") {
					t.Errorf("state after the retried task: tainted=%v %v", tainted, values)
				}
			})
		}
	}
}

// Roles change behind Terraform's back between plan and apply of a saved plan. The apply re-reads OCP:
// it never switches or fails over the wrong way and never starts a second operation; where no operation
// can bring the declared roles, it refuses with a clear error.
func TestFaults_rolesChangedBetweenPlanAndApply(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	cases := []struct {
		name   string
		op     drOp
		change func(t *testing.T, f *acctest.Fixture)
		// wantErr: the apply refuses with this error; "" means it succeeds without starting anything.
		wantErr string
		// byOCP: operations started in OCP behind Terraform's back.
		byOCP int
	}{
		{
			// The resource is created here, so its planned_action came from OCP at plan time: Terraform stops
			// the apply when it changes, before the provider does anything. (An update keeps its planned
			// value and applies: TestFaults_plannedActionWhenRolesChangeBetweenPlanAndApply.)
			name: "switchover done in OCP meanwhile", op: opSwitchover, byOCP: 1,
			change: func(t *testing.T, f *acctest.Fixture) {
				runInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) {
					return c.Switchover(t.Context(), 3000013, ocp.SwitchoverRequest{TenantID: 2000101, StandbyTenantID: 2000102})
				})
			},
			wantErr: `Provider produced inconsistent final plan.*planned_action: was cty.StringVal\("switchover orders_p \(2000101\) -> orders_s \(2000102\)"\), but now cty.StringVal\("none: roles already hold"\)`,
		},
		{
			name: "switchover: the standby was made primary", op: opSwitchover,
			change:  func(_ *testing.T, f *acctest.Fixture) { f.Sim.SetTenantRole(2000102, ocpsim.RolePrimary) },
			wantErr: `Tenant roles are neither as declared nor swapped.*orders_s \(tenant 2000102 of cluster 3000014\) is PRIMARY.*Two primaries`,
		},
		{
			name: "switchover: the primary was made standby", op: opSwitchover,
			change:  func(_ *testing.T, f *acctest.Fixture) { f.Sim.SetTenantRole(2000101, ocpsim.RoleStandby) },
			wantErr: `Tenant roles are neither as declared nor swapped.*Neither tenant is PRIMARY`,
		},
		{
			name: "tenant failover done in OCP meanwhile", op: opTenantFailover, byOCP: 1,
			change: func(t *testing.T, f *acctest.Fixture) {
				runInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) {
					tasks, err := c.FailoverTenants(t.Context(), 3000014, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: 2000132}}})
					if err != nil {
						return nil, err
					}
					return &tasks[0], nil
				})
			},
		},
		{
			// PRIMARY without any failover task: it was never a standby as far as OCP tells, and naming it
			// in a failover is refused rather than "succeeding".
			name: "tenant failover: the standby was made primary without a failover", op: opTenantFailover,
			change:  func(_ *testing.T, f *acctest.Fixture) { f.Sim.SetTenantRole(2000132, ocpsim.RolePrimary) },
			wantErr: `Tenant is PRIMARY and was never failed over.*batch_s1`,
		},
		{
			name: "cluster failover done in OCP meanwhile", op: opClusterFailover, byOCP: 1,
			change: func(t *testing.T, f *acctest.Fixture) {
				runInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) { return c.FailoverCluster(t.Context(), 3000012) })
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, _ := simServer(t, ocpsim.Config{})
			w := acctest.NewWorkdir(t, tc.op.config(f, ""))
			w.MustRun("plan", "-out=tfplan")
			tc.change(t, f)
			r := w.Run("apply", "tfplan")
			tc.op.expectStarted(t, f.Sim, tc.byOCP)
			if tc.wantErr != "" {
				if r.Err == nil {
					t.Fatalf("the apply succeeded; want it to refuse:\n%s", r.Output())
				}
				matchFlat(t, r.Output(), tc.wantErr)
				return
			}
			if r.Err != nil {
				t.Fatalf("apply: %v\n%s", r.Err, r.Output())
			}
			if !tc.op.done(f.Sim) {
				t.Errorf("OCP does not show the declared roles")
			}
			values, _ := resourceState(t, w, tc.op.addr)
			if tc.op.kind == ocpsim.OpSwitchover {
				expectStateRolesAsOCP(t, values, f.Sim)
			} else if !slices.Contains(stateStatuses(values), "ALREADY_PRIMARY") {
				t.Errorf("state should record ALREADY_PRIMARY: %v", values)
			}
		})
	}
}

// The switchover's planned_action when OCP changes between plan and apply of a saved plan: an update
// planned as a switchover that OCP meanwhile made applies without starting one (its value comes from the
// state both plans share); a create planned as "none" whose roles are then swapped in OCP is stopped by
// Terraform before the provider could start a switchover the plan did not show.
func TestFaults_plannedActionWhenRolesChangeBetweenPlanAndApply(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	const toStandby = "switchover orders_p (2000101) -> orders_s (2000102)"
	holds := strings.NewReplacer("3000014", "3000013", "2000102", "2000101", "3000013", "3000014", "2000101", "2000102").
		Replace(opSwitchover.resource) // orders_p declared primary: the roles hold
	switchInOCP := func(t *testing.T, f *acctest.Fixture) {
		runInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) {
			return c.Switchover(t.Context(), 3000013, ocp.SwitchoverRequest{TenantID: 2000101, StandbyTenantID: 2000102})
		})
	}

	t.Run("update planned as a switchover, done in OCP meanwhile", func(t *testing.T) {
		t.Parallel()
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, f.ProviderBlock()+fmt.Sprintf(holds, ""))
		w.MustRun("apply", "-auto-approve")
		w.SetConfig(opSwitchover.config(f, ""))
		w.MustRun("plan", "-out=tfplan")
		var plan struct {
			ResourceChanges []struct {
				Change struct {
					After map[string]any `json:"after"`
				} `json:"change"`
			} `json:"resource_changes"`
		}
		if err := json.Unmarshal([]byte(w.MustRun("show", "-json", "tfplan").Stdout), &plan); err != nil || len(plan.ResourceChanges) != 1 ||
			plan.ResourceChanges[0].Change.After["planned_action"] != toStandby {
			t.Fatalf("the plan does not show %q: %v %+v", toStandby, err, plan)
		}
		switchInOCP(t, f)
		w.MustRun("apply", "tfplan")
		opSwitchover.expectStarted(t, f.Sim, 1) // the one made in OCP
		values, _ := resourceState(t, w, opSwitchover.addr)
		expectStateRolesAsOCP(t, values, f.Sim)
		// The state keeps what the plan said apply would do; the roles are OCP's.
		if values["planned_action"] != toStandby {
			t.Errorf("state: planned_action %v", values["planned_action"])
		}
	})

	t.Run("create planned as none, swapped in OCP meanwhile", func(t *testing.T) {
		t.Parallel()
		f, _ := simServer(t, ocpsim.Config{})
		w := acctest.NewWorkdir(t, f.ProviderBlock()+fmt.Sprintf(holds, ""))
		w.MustRun("plan", "-out=tfplan")
		switchInOCP(t, f)
		r := w.Run("apply", "tfplan")
		if r.Err == nil {
			t.Fatalf("the apply succeeded:\n%s", r.Output())
		}
		matchFlat(t, r.Output(), `Provider produced inconsistent final plan.*planned_action: was cty.StringVal\("none: roles already hold"\), but now cty.StringVal\("switchover orders_s \(2000102\) -> orders_p \(2000101\)"\)`)
		opSwitchover.expectStarted(t, f.Sim, 1) // only the one made in OCP
	})
}

// expectStateRolesAsOCP checks that the switchover state's tenants carry the roles OCP reports for them.
func expectStateRolesAsOCP(t *testing.T, values map[string]any, s *ocpsim.Sim) {
	t.Helper()
	for _, k := range []string{"primary", "standby"} {
		obj, _ := values[k].(map[string]any)
		id, _ := obj["tenant_id"].(float64)
		if want := tenantRole(s, int64(id)); obj["role"] != want {
			t.Errorf("state %s: tenant %d has role %v; OCP says %s", k, int64(id), obj["role"], want)
		}
	}
}

// runInOCP starts an operation as an operator would in OCP's console, and waits for it to end.
func runInOCP(t *testing.T, f *acctest.Fixture, start func(*ocp.Client) (*ocp.Task, error)) {
	t.Helper()
	c, err := ocp.New(ocp.Config{URL: f.URL, Username: acctest.Username, Password: acctest.Password, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	task, err := start(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
}

// OCP is down (connection refused), at plan and at apply of a saved plan: a clear error that names the
// URL, and nothing starts.
func TestFaults_ocpDown(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		provider := func(url string) string {
			return fmt.Sprintf("provider \"ocp\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 1\n}\n",
				url, acctest.Username, acctest.Password)
		}
		t.Run("at plan", func(t *testing.T) {
			t.Parallel()
			url := "http://" + closedAddr(t)
			w := acctest.NewWorkdir(t, provider(url)+fmt.Sprintf(op.resource, ""))
			r := w.Run("plan")
			if r.Err == nil {
				t.Fatalf("plan succeeded with OCP down:\n%s", r.Output())
			}
			matchFlat(t, r.Output(), `Could not reach OCP: .*`+regexp.QuoteMeta(url)+`.*connection refused.*Check the provider's url`)
		})
		t.Run("at apply", func(t *testing.T) {
			t.Parallel()
			f, srv := simServer(t, ocpsim.Config{})
			w := acctest.NewWorkdir(t, provider(f.URL)+fmt.Sprintf(op.resource, ""))
			w.MustRun("plan", "-out=tfplan")
			srv.Close()
			r := w.Run("apply", "tfplan")
			if r.Err == nil {
				t.Fatalf("apply succeeded with OCP down:\n%s", r.Output())
			}
			matchFlat(t, r.Output(), `Could not reach OCP: .*`+regexp.QuoteMeta(f.URL)+`.*connection refused.*Check the provider's url`)
			op.expectStarted(t, f.Sim, 0)
			if values, _ := resourceState(t, w, op.addr); values != nil {
				t.Errorf("an apply that reached nothing saved state: %v", values)
			}
		})
	})
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// The plan finds a switchover of the pair running in OCP (started there) and says apply will wait for
// it; the task then fails before the saved plan is applied. The apply starts no switchover: it fails
// naming the task and what to do. Before, it ran the precheck and started a second switchover.
func TestFaults_waitedForTaskFailsBeforeApply(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	f, _ := simServer(t, ocpsim.Config{})
	w := acctest.NewWorkdir(t, switchoverConfig(f, ohayo1, ohayo2, ""))
	w.MustRun("apply", "-auto-approve")

	f.Sim.FailNextSubtask(ocpsim.OpSwitchover, "Prepare switchover tenant")
	switchInOCPHeld(t, f, ohayo1, ohayo2)
	task := onlyTask(t, f.Sim)
	w.SetConfig(switchoverConfig(f, ohayo2, ohayo1, ""))
	r := w.MustRun("plan", "-out=wait.tfplan")
	matchFlat(t, r.Output(), fmt.Sprintf(`A switchover of this pair is already running.*Apply will wait for task %d`, task.ID))

	releaseTasks(f.Sim)
	waitFor(t, 30*time.Second, "the task to fail", func() bool { return onlyTask(t, f.Sim).Status == ocpsim.TaskFailed })
	r = w.Run("apply", "wait.tfplan")
	if r.Err == nil {
		t.Fatalf("the apply succeeded; want it to refuse to start a switchover its plan did not announce:\n%s", r.Output())
	}
	matchFlat(t, r.Output(), fmt.Sprintf(`Switchover not started.*OCP task %d, which the plan expected to wait for, ended FAILED.*retry`, task.ID))
	if c := f.Sim.Counters(); c.Switchovers != 1 || c.Requests[ocpsim.RouteSwitchover] != 1 {
		t.Fatalf("%d switchovers, %d switchover requests: want only the one started in OCP", c.Switchovers, c.Requests[ocpsim.RouteSwitchover])
	}
}

// OCP may change the roles part-way through a task (the simulator's SetRolesChangeMidTask): a task that
// fails after its role subtask ends FAILED with the new roles. The apply fails naming the subtask, the
// state holds the roles OCP reports, and the next apply (the failed create is replaced) starts no second
// operation: the roles hold, or the failover is done through the FAILED task, with a warning naming it.
func TestFaults_taskFailsAfterTheRolesChanged(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	lastSubtask := map[ocpsim.OpKind]string{
		ocpsim.OpSwitchover:      "Reset switchover tenant info",
		ocpsim.OpTenantFailover:  "Update primary tenant info task",
		ocpsim.OpClusterFailover: "Update OB cluster status",
	}
	for _, op := range drOps {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			f, _ := simServer(t, ocpsim.Config{})
			w := acctest.NewWorkdir(t, op.config(f, ""))
			f.Sim.SetRolesChangeMidTask(true)
			f.Sim.FailNextSubtask(op.kind, lastSubtask[op.kind])
			r := w.Run("apply", "-auto-approve")
			if r.Err == nil {
				t.Fatalf("apply succeeded although the task failed:\n%s", r.Output())
			}
			matchFlat(t, r.Output(), `FAILED at subtask "`+regexp.QuoteMeta(lastSubtask[op.kind])+`"`)
			if task := onlyTask(t, f.Sim); task.Status != ocpsim.TaskFailed || !op.done(f.Sim) {
				t.Fatalf("OCP after the failure: task %s, roles changed = %v", task.Status, op.done(f.Sim))
			}
			values, _ := resourceState(t, w, op.addr)
			if !slices.Contains(stateStatuses(values), "FAILED") {
				t.Fatalf("the state does not record the failed task: %v", values)
			}
			if op.kind == ocpsim.OpSwitchover {
				expectStateRolesAsOCP(t, values, f.Sim)
			}
			r = w.MustRun("apply", "-auto-approve")
			op.expectStarted(t, f.Sim, 1)
			values, tainted := resourceState(t, w, op.addr)
			if tainted {
				t.Fatalf("still tainted: %v", values)
			}
			if op.kind == ocpsim.OpSwitchover {
				expectStateRolesAsOCP(t, values, f.Sim)
				return
			}
			matchFlat(t, r.Output(), `is already PRIMARY.*ended FAILED after its subtask that makes the standby primary succeeded`)
			if !slices.Contains(stateStatuses(values), "ALREADY_PRIMARY") {
				t.Errorf("state after the second apply: %v", values)
			}
		})
	}
}
