package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The worst day, through the real terraform binary: OCP flapping for minutes during a wait, a start
// request lost while an older task of the same tenant exists, and a re-apply while OCP has not yet
// marked the tenants of a running task busy. Time is scaled: the test provider polls every 5ms where the
// provider polls every 2s, so 1.5s here stands for ten minutes and 4.5s for thirty.

// OCP does not answer for ten minutes of a wait whose timeout is thirty: the apply waits it out, says
// that OCP is unreachable, and ends with the operation done, started once. Before waits outlasted
// outages, five failed reads (well under a scaled minute) ended the apply.
func TestFaults_waitOutlastsOutage(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		if op.kind == ocpsim.OpTenantFailover {
			f.Sim.SetTenantDown(2000131, true) // batch_s1's primary is down in a disaster
		}
		w := acctest.NewWorkdir(t, op.config(f, "  timeouts {\n    create = \"4500ms\"\n  }\n"))
		log := filepath.Join(w.Dir, "provider.log")
		w.Env = append(w.Env, "TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+log)
		holdTasks(f.Sim)
		p := w.Start("apply", "-auto-approve")
		waitFor(t, 30*time.Second, "the apply to wait for its task", func() bool {
			return op.started(f.Sim.Counters()) == 1 && taskPolls(f.Sim) > 0
		})
		f.Sim.SetOutage(ocpsim.OutageGateway)
		time.Sleep(1500 * time.Millisecond) // ten scaled minutes
		f.Sim.ClearOutage()
		releaseTasks(f.Sim)
		r, ok := p.Wait(time.Minute)
		if !ok {
			t.Fatal("the apply did not end")
		}
		if r.Err != nil {
			t.Fatalf("the apply failed across the outage: %v\n%s", r.Err, r.Output())
		}
		op.expectStarted(t, f.Sim, 1)
		if !op.done(f.Sim) {
			t.Errorf("OCP does not show the %s done", op.name)
		}
		b, _ := os.ReadFile(log)
		for _, want := range []string{"OCP unreachable since", "OCP answers again"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the provider's log does not say %q", want)
			}
		}
		// Ids in the log (progress and the client's warnings during the outage) read as integers:
		// Terraform's log reader prints a JSON number id as 5.000000001e+09.
		if i := strings.Index(string(b), "e+09"); i >= 0 {
			t.Errorf("the provider's log prints an id as a float: %q", string(b)[max(0, i-80):i+4])
		}
	})
}

// The switchover's start request is lost before OCP acts on it, and the same primary's previous
// switchover failed 40 seconds earlier. That old task is not taken for this apply's: the apply says it
// cannot tell whether a switchover started, the state records UNKNOWN, and the next apply (which looks
// in OCP's task list first) starts the one switchover. Before, the lookup took the old FAILED task for
// its own and reported that it had failed.
func TestFaults_lostStartWithAnOldFailedTask(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	// OCP's clock runs 40 seconds behind while the earlier switchover runs, so that it is dated 40
	// seconds before this apply, as in the issue; then it is right again.
	var behind atomic.Int64
	behind.Store(int64(40 * time.Second))
	f, _ := simServer(t, ocpsim.Config{Now: func() time.Time { return time.Now().Add(-time.Duration(behind.Load())) }})
	c := failoverSimClient(t, f)
	f.Sim.FailNextSubtask(ocpsim.OpSwitchover, "Switch primary tenant to standby")
	old, err := c.Switchover(t.Context(), 3000013, ocp.SwitchoverRequest{TenantID: 2000101, StandbyTenantID: 2000102})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(t.Context(), old.ID, ocp.WaitOptions{}); err == nil {
		t.Fatal("the earlier switchover should have failed")
	}
	behind.Store(0)

	w := acctest.NewWorkdir(t, opSwitchover.config(f, ""))
	f.Sim.DropBeforeEffect(ocpsim.RouteSwitchover, 1)
	r := w.Run("apply", "-auto-approve")
	if r.Err == nil {
		t.Fatalf("the apply succeeded although its start request was lost:\n%s", r.Output())
	}
	matchFlat(t, r.Output(), `may or may not have started`)
	if strings.Contains(flat(r.Output()), fmt.Sprintf("task %d", old.ID)) {
		t.Errorf("the old task %d was taken for this apply's:\n%s", old.ID, r.Output())
	}
	if n := f.Sim.Counters().Switchovers; n != 1 {
		t.Fatalf("%d switchovers, want only the old one", n)
	}
	values, _ := resourceState(t, w, opSwitchover.addr)
	if values == nil || values["task_status"] != "UNKNOWN" || values["task_id"] != nil {
		t.Fatalf("the state does not record the unknown outcome: %v", values)
	}

	w.MustRun("apply", "-auto-approve")
	if n := f.Sim.Counters().Switchovers; n != 2 {
		t.Fatalf("%d switchovers after the second apply, want 2 (the old one and this one)", n)
	}
	if !opSwitchover.done(f.Sim) {
		t.Error("OCP does not show the switchover done")
	}
}

// OCP may mark the tenants of a new task MODIFYING only a while after the task appears. An apply whose
// start had an unknown outcome records it (and the failed create taints the resource); a re-apply in that
// window (the tenants still read NORMAL) replaces the resource, looks in OCP's task list (an apply always
// does), finds the running switchover and waits for it: one switchover. Before, it trusted the NORMAL
// statuses, started another, and OCP's refusal failed it.
func TestFaults_reapplyInTheDelayedBusyWindow(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	sim, err := ocpsim.New(ocpsim.Config{BusyDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/switchover") && sim.Counters().Switchovers == 0 {
			sim.FailRequests(ocpsim.RouteTaskList, http.StatusServiceUnavailable, 2, 0) // the lookup fails too
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	f := &acctest.Fixture{Sim: sim, URL: srv.URL}
	w := acctest.NewWorkdir(t, fmt.Sprintf("provider \"ocp\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 1\n}\n",
		f.URL, acctest.Username, acctest.Password)+fmt.Sprintf(opSwitchover.resource, ""))
	holdTasks(sim)
	sim.DropAfterEffect(ocpsim.RouteSwitchover, 1)
	r := w.Run("apply", "-auto-approve")
	if r.Err == nil {
		t.Fatalf("apply succeeded although the outcome of its start could not be known:\n%s", r.Output())
	}
	task := onlyTask(t, sim)
	for _, id := range []int64{2000101, 2000102} {
		if tn, _ := sim.Tenant(id); tn.Status != ocpsim.TenantNormal {
			t.Fatalf("the window is closed: tenant %d is %s", id, tn.Status)
		}
	}
	if values, _ := resourceState(t, w, opSwitchover.addr); values == nil || values["task_status"] != "UNKNOWN" {
		t.Fatalf("the state does not record the unknown outcome: %v", values)
	}

	releaseWhenWaited(t, sim, 4)
	w.MustRun("apply", "-auto-approve")
	opSwitchover.expectStarted(t, sim, 1)
	if !opSwitchover.done(sim) {
		t.Error("OCP does not show the switchover done")
	}
	values, _ := resourceState(t, w, opSwitchover.addr)
	if !slices.Contains(stateTaskIDs(values), task.ID) || values["task_status"] != "SUCCESSFUL" {
		t.Errorf("the state does not record the task waited for (%d): %v", task.ID, values)
	}
}

// The apply's timeout runs out, so the resource is tainted with its task RUNNING; the task then ends in
// OCP before the next apply, whose replacement finds the roles already in place. It starts nothing, and
// the state keeps the task that brought them: its id and status (and, for a switchover, when it
// finished), not nulls.
func TestFaults_replacementAfterTheTaskEnded(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		f, _ := simServer(t, ocpsim.Config{})
		if op.kind == ocpsim.OpTenantFailover {
			f.Sim.SetTenantDown(2000131, true)
		}
		w := acctest.NewWorkdir(t, op.config(f, "  timeouts {\n    create = \"1s\"\n  }"))
		holdTasks(f.Sim)
		if r := w.Run("apply", "-auto-approve"); r.Err == nil {
			t.Fatalf("apply succeeded although the task is held:\n%s", r.Output())
		}
		task := onlyTask(t, f.Sim)
		releaseTasks(f.Sim)
		waitFor(t, 30*time.Second, "the task to end in OCP", func() bool { return op.done(f.Sim) })

		w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, f.Sim, 1)
		values, tainted := resourceState(t, w, op.addr)
		if values == nil || tainted || !slices.Contains(stateTaskIDs(values), task.ID) {
			t.Fatalf("the replacement did not keep task %d: tainted=%v %v", task.ID, tainted, values)
		}
		want := "ALREADY_PRIMARY"
		if op.kind == ocpsim.OpSwitchover {
			want = "SUCCESSFUL"
			if values["switched_at"] == nil {
				t.Errorf("switched_at is null: %v", values)
			}
		}
		if !slices.Equal(stateStatuses(values), []string{want}) {
			t.Errorf("statuses %v, want [%s]", stateStatuses(values), want)
		}
	})
}

// The switchover's task succeeds, but the tenants cannot be read afterwards (OCP stops answering their
// reads). The apply fails saying so, and the state records the task as SUCCESSFUL with no roles, rather
// than the old roles beside a successful task; the next refresh reads the roles.
func TestFaults_rolesUnreadableAfterTheSwitchover(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var down, over atomic.Bool // down: tenant reads fail; over: the outage has ended for good
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/tenants/") {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>502 Bad Gateway</html>")
			return
		}
		if tasks := sim.Tasks(); !over.Load() && len(tasks) == 1 && tasks[0].Status == ocpsim.TaskSuccessful {
			down.Store(true)
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	f := &acctest.Fixture{Sim: sim, URL: srv.URL}
	w := acctest.NewWorkdir(t, fmt.Sprintf("provider \"ocp\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 1\n}\n",
		f.URL, acctest.Username, acctest.Password)+fmt.Sprintf(opSwitchover.resource, ""))
	r := w.Run("apply", "-auto-approve")
	if r.Err == nil {
		t.Fatalf("apply succeeded although the roles could not be read:\n%s", r.Output())
	}
	matchFlat(t, r.Output(), `Error reading the tenants of the switchover.*ended SUCCESSFUL, but the tenants could not be read afterwards`)
	opSwitchover.expectStarted(t, sim, 1)
	values, _ := resourceState(t, w, opSwitchover.addr)
	if values == nil || values["task_status"] != "SUCCESSFUL" {
		t.Fatalf("state %v", values)
	}
	for _, k := range []string{"primary", "standby"} {
		if m, _ := values[k].(map[string]any); m == nil || m["role"] != nil {
			t.Errorf("%s claims a role OCP did not report after the switchover: %v", k, values[k])
		}
	}
	over.Store(true)
	down.Store(false)
	w.MustRun("apply", "-refresh-only", "-auto-approve")
	values, _ = resourceState(t, w, opSwitchover.addr)
	expectStateRolesAsOCP(t, values, sim)
}

// OCP's published tenant detail documents no tenant role. Against an OCP that sends none, a switchover
// and a tenant failover stop at plan with an error that says so, and nothing is started or prechecked: a
// missing role is never taken for PRIMARY or STANDBY.
func TestFaults_noTenantRoleReported(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	for _, op := range []drOp{opSwitchover, opTenantFailover} {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			f, _ := simServer(t, ocpsim.Config{OmitTenantDRFields: true})
			w := acctest.NewWorkdir(t, op.config(f, ""))
			r := w.Run("apply", "-auto-approve")
			if r.Err == nil {
				t.Fatalf("the apply succeeded without any tenant role:\n%s", r.Output())
			}
			matchFlat(t, r.Output(), `OCP does not report the tenants?'s? role.*carries no tenant role \(no tenantRole field\).*API compatibility guide`)
			if c := f.Sim.Counters(); c.Switchovers+c.TenantFailovers+c.ClusterFailovers+c.Prechecks != 0 {
				t.Fatalf("started or prechecked: %+v", c)
			}
		})
	}
}
