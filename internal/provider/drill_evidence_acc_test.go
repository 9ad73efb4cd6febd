package provider_test

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// Helpers of the drill evidence's acceptance tests: the evidence recorded in the state must be what OCP
// (the simulator) reports of the task, to the millisecond OCP writes.

// simInstant is how OCP writes an instant (milliseconds) and the state records it (RFC 3339, UTC, to the
// millisecond).
func simInstant(t time.Time) string {
	return t.Truncate(time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// resourceAttrs returns the flat attributes of a resource in the state.
func resourceAttrs(s *terraform.State, addr string) (map[string]string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return nil, fmt.Errorf("%s not in the state", addr)
	}
	return rs.Primary.Attributes, nil
}

// withPrefix returns the attributes under prefix (e.g. "last_switchover."), keyed without it.
func withPrefix(attrs map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range attrs {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}

// checkTaskEvidence checks a record's times and subtasks (keys relative to the record) against the
// simulator's task: started_at, finished_at and every subtask as OCP reported them, duration_seconds
// exactly finished_at − started_at, the subtasks in DAG order, and the times in order (started ≤ each
// subtask's start ≤ its finish ≤ finished).
func checkTaskEvidence(rec map[string]string, task ocpsim.Task) error {
	if task.FinishTime == nil {
		return fmt.Errorf("task %d has not finished in the simulator", task.ID)
	}
	if rec["started_at"] != simInstant(task.StartTime) || rec["finished_at"] != simInstant(*task.FinishTime) {
		return fmt.Errorf("times %s – %s, OCP reports %s – %s", rec["started_at"], rec["finished_at"],
			simInstant(task.StartTime), simInstant(*task.FinishTime))
	}
	start, err1 := time.Parse(time.RFC3339Nano, rec["started_at"])
	finish, err2 := time.Parse(time.RFC3339Nano, rec["finished_at"])
	dur, err3 := strconv.ParseFloat(rec["duration_seconds"], 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return fmt.Errorf("unreadable times: %w", errors.Join(err1, err2, err3))
	}
	if dur != finish.Sub(start).Seconds() {
		return fmt.Errorf("duration_seconds %v, finished_at − started_at = %v", dur, finish.Sub(start).Seconds())
	}
	if n, _ := strconv.Atoi(rec["subtasks.#"]); n != len(task.Subtasks) {
		return fmt.Errorf("%d subtasks recorded, OCP lists %d", n, len(task.Subtasks))
	}
	byID := map[string]ocpsim.Subtask{}
	for _, st := range task.Subtasks {
		byID[strconv.FormatInt(st.ID, 10)] = st
	}
	placed := map[int64]bool{}
	for i := range task.Subtasks {
		p := fmt.Sprintf("subtasks.%d.", i)
		st, ok := byID[rec[p+"id"]]
		if !ok || rec[p+"name"] != st.Name || rec[p+"status"] != st.Status || st.StartTime == nil || st.FinishTime == nil ||
			rec[p+"started_at"] != simInstant(*st.StartTime) || rec[p+"finished_at"] != simInstant(*st.FinishTime) {
			return fmt.Errorf("subtask %d recorded as %v; OCP reports %+v", i, withPrefix(rec, p), st)
		}
		for _, up := range st.Upstreams {
			if !placed[up] {
				return fmt.Errorf("subtask %d %q comes before its upstream %d: not in DAG order", i, st.Name, up)
			}
		}
		placed[st.ID] = true
		s, _ := time.Parse(time.RFC3339Nano, rec[p+"started_at"])
		f, _ := time.Parse(time.RFC3339Nano, rec[p+"finished_at"])
		if s.Before(start) || f.Before(s) || finish.Before(f) {
			return fmt.Errorf("subtask %q ran %s – %s, outside the task's %s – %s", st.Name, rec[p+"started_at"], rec[p+"finished_at"],
				rec["started_at"], rec["finished_at"])
		}
	}
	return nil
}

// sameRecord fails unless the record under prefix is exactly the one saved.
func sameRecord(saved, now map[string]string) error {
	if !maps.Equal(saved, now) {
		return fmt.Errorf("the record changed:\nwas %v\nnow %v", saved, now)
	}
	return nil
}

// switchoverEvidence checks last_switchover against the simulator's task number n (0-based, oldest
// first): the task, its times and subtasks, the standby read before the switch; the record is saved
// into *saved for later steps.
func switchoverEvidence(f *acctest.Fixture, n int, standbyID, standbyCluster int64, logDelay string, attached bool, saved *map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := resourceAttrs(s, switchoverAddr)
		if err != nil {
			return err
		}
		rec := withPrefix(attrs, "last_switchover.")
		tasks := f.Sim.Tasks()
		if len(tasks) <= n {
			return fmt.Errorf("the simulator has %d tasks, want task %d", len(tasks), n)
		}
		task := tasks[n]
		if rec["task_id"] != strconv.FormatInt(task.ID, 10) || rec["task_id"] != attrs["task_id"] || rec["status"] != task.Status ||
			rec["attached"] != strconv.FormatBool(attached) {
			return fmt.Errorf("record %v; want task %d %s (task_id %s), attached %v", rec, task.ID, task.Status, attrs["task_id"], attached)
		}
		if rec["standby_before.tenant_id"] != strconv.FormatInt(standbyID, 10) || rec["standby_before.cluster_id"] != strconv.FormatInt(standbyCluster, 10) ||
			rec["standby_before.log_delay_ms"] != logDelay {
			return fmt.Errorf("standby before %v; want tenant %d of cluster %d, %s ms behind", withPrefix(rec, "standby_before."), standbyID, standbyCluster, logDelay)
		}
		if scn, err := strconv.ParseInt(rec["standby_before.sync_scn"], 10, 64); attached != (err != nil) || !attached && scn <= 0 {
			return fmt.Errorf("sync_scn %q (attached %v): want OCP's precheck's value when this apply started the switchover, null otherwise",
				rec["standby_before.sync_scn"], attached)
		}
		if err := checkTaskEvidence(rec, task); err != nil {
			return err
		}
		if saved != nil {
			*saved = rec
		}
		return nil
	}
}

// unchangedEvidence fails unless last_switchover is exactly the record saved.
func unchangedEvidence(saved *map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := resourceAttrs(s, switchoverAddr)
		if err != nil {
			return err
		}
		return sameRecord(*saved, withPrefix(attrs, "last_switchover."))
	}
}

// The drill's evidence: recorded by the switchover, kept by a no-op plan, apply and refresh and by an
// update that switches nothing, replaced by the switch back.
func TestAccTenantSwitchover_evidence(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	var drill map[string]string
	lastSwitchover := tfjsonpath.New("last_switchover")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				// Adopting the pair in its roles runs no switchover: no evidence.
				Config:            switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(switchoverAddr, lastSwitchover, knownvalue.Null())},
				Check:             expectSwitchovers(f, 0),
			},
			{
				// The drill: ohayo_2 (STANDBY, 200 ms behind) becomes PRIMARY.
				Config: switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(switchoverAddr, lastSwitchover)}},
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), switchoverEvidence(f, 0, ohayo2[1], ohayo2[0], "200", false, &drill)),
			},
			{
				// Planned again: empty, the record as it was.
				Config:           switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), unchangedEvidence(&drill)),
			},
			{
				// A refresh reads the tenants; the record stays.
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), unchangedEvidence(&drill)),
			},
			{
				// An update that switches nothing (allow_warnings): the plan shows the record known, the apply keeps it.
				Config: switchoverConfig(f, ohayo2, ohayo1, "  allow_warnings = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(switchoverAddr, lastSwitchover.AtMapKey("task_id"), knownvalue.NotNull()),
				}},
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), unchangedEvidence(&drill)),
			},
			{
				// The switch back replaces the record: ohayo_2 was the standby before it no more; ohayo_1 is.
				Config: switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(switchoverAddr, lastSwitchover)}},
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 2), func(s *terraform.State) error {
					attrs, err := resourceAttrs(s, switchoverAddr)
					if err != nil {
						return err
					}
					back := withPrefix(attrs, "last_switchover.")
					if back["task_id"] == drill["task_id"] || back["standby_before.tenant_id"] != strconv.FormatInt(ohayo1[1], 10) {
						return fmt.Errorf("the switch back's record %v: want task 2, standby before ohayo_1", back)
					}
					return checkTaskEvidence(back, f.Sim.Tasks()[1])
				}),
			},
		},
	})
}

// An apply whose wait runs out records the task RUNNING with what it read before the switch; a refresh
// completes that record from the task read it does anyway, and keeps what was read before.
func TestAccTenantSwitchover_evidenceCompletedByRefresh(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	var running map[string]string

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: switchoverConfig(f, ohayo1, ohayo2, ""), Check: expectSwitchovers(f, 0)},
			{
				PreConfig:   func() { f.Sim.SetStepDuration(time.Hour) }, // hold the task running
				Config:      switchoverConfig(f, ohayo2, ohayo1, `  timeouts { update = "1s" }`),
				ExpectError: wrapped(`Stopped waiting for OCP task \d+`),
			},
			{
				// The state after the interrupted apply: a RUNNING record with the standby read before (and
				// a plan that waits for the task).
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					attrs, err := resourceAttrs(s, switchoverAddr)
					if err != nil {
						return err
					}
					running = withPrefix(attrs, "last_switchover.")
					if running["status"] != "RUNNING" || running["finished_at"] != "" || running["standby_before.log_delay_ms"] != "200" ||
						running["standby_before.sync_scn"] == "" || running["attached"] != "false" {
						return fmt.Errorf("record after the timeout: %v", running)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					f.Sim.SetStepDuration(time.Millisecond)
					waitTasksEnded(t, f)
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1),
					switchoverEvidence(f, 0, ohayo2[1], ohayo2[0], "200", false, nil),
					func(s *terraform.State) error {
						attrs, _ := resourceAttrs(s, switchoverAddr)
						done := withPrefix(attrs, "last_switchover.")
						if done["standby_before.sync_scn"] != running["standby_before.sync_scn"] || done["started_at"] != running["started_at"] {
							return fmt.Errorf("completing the record changed what was read before: %v, was %v", done, running)
						}
						return nil
					}),
			},
			{
				// And the roles hold now: nothing to plan.
				Config:           switchoverConfig(f, ohayo2, ohayo1, `  timeouts { update = "1s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// waitTasksEnded waits until every task of the simulator has ended.
func waitTasksEnded(t *testing.T, f *acctest.Fixture) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ended := true
		for _, task := range f.Sim.Tasks() {
			ended = ended && task.Status != ocpsim.TaskRunning
		}
		if ended {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the simulator's tasks did not end")
}

// simTaskOf returns the simulator's task of a tenant (or, with tenantID 0, of a cluster).
func simTaskOf(sim *ocpsim.Sim, tenantID, clusterID int64) (ocpsim.Task, error) {
	for _, task := range sim.Tasks() {
		if tenantID != 0 && task.TenantID == tenantID || tenantID == 0 && task.ClusterID == clusterID {
			return task, nil
		}
	}
	return ocpsim.Task{}, fmt.Errorf("no task of tenant %d / cluster %d in the simulator", tenantID, clusterID)
}

// failoverEvidence checks each ocp_tenant_failover.tasks element's evidence against the simulator (in
// tenant id order: delays are the standbys' log delays before the failover, in ms) and saves the
// attributes of tasks into *saved.
func failoverEvidence(f *acctest.Fixture, addr string, tenants []int64, delays []string, saved *map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs, err := resourceAttrs(s, addr)
		if err != nil {
			return err
		}
		if attrs["tasks.#"] != strconv.Itoa(len(tenants)) {
			return fmt.Errorf("%s tasks recorded, want %d", attrs["tasks.#"], len(tenants))
		}
		for i, id := range tenants {
			rec := withPrefix(attrs, fmt.Sprintf("tasks.%d.", i))
			task, err := simTaskOf(f.Sim, id, 0)
			if err != nil {
				return err
			}
			if rec["tenant_id"] != strconv.FormatInt(id, 10) || rec["task_id"] != strconv.FormatInt(task.ID, 10) || rec["log_delay_ms_before"] != delays[i] {
				return fmt.Errorf("tasks[%d] = %v; want tenant %d, task %d, %s ms behind before", i, rec, id, task.ID, delays[i])
			}
			if err := checkTaskEvidence(rec, task); err != nil {
				return fmt.Errorf("tasks[%d]: %w", i, err)
			}
		}
		if saved != nil {
			*saved = withPrefix(attrs, "tasks.")
		}
		return nil
	}
}

// A batch failover records each tenant's evidence; adding a tenant later records its own and keeps the
// others' as recorded; refreshes and empty plans keep all of it.
func TestAccTenantFailoverResource_evidence(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	const addr = "ocp_tenant_failover.dr"
	config := func(ids ...int64) string {
		var items []string
		for _, id := range ids {
			items = append(items, fmt.Sprintf("{ tenant_id = %d }", id))
		}
		return f.Config(fmt.Sprintf(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [%s]
}`, strings.Join(items, ", ")))
	}
	var first map[string]string

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				// Listed out of order: tasks are sorted by tenant id.
				Config: config(2000133, 2000132),
				Check:  failoverEvidence(f, addr, []int64{2000132, 2000133}, []string{"100", "200"}, &first),
			},
			{
				RefreshState: true,
				Check: func(s *terraform.State) error {
					attrs, err := resourceAttrs(s, addr)
					if err != nil {
						return err
					}
					return sameRecord(first, withPrefix(attrs, "tasks."))
				},
			},
			{
				// 2000134 added: failed over alone, in place; the first two keep their evidence.
				Config: config(2000133, 2000132, 2000134),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeTestCheckFunc(checkFailoverOps(t, f.Sim, 3, 0),
					failoverEvidence(f, addr, []int64{2000132, 2000133, 2000134}, []string{"100", "200", "300"}, nil),
					func(s *terraform.State) error {
						attrs, err := resourceAttrs(s, addr)
						if err != nil {
							return err
						}
						for _, i := range []string{"0.", "1."} {
							if err := sameRecord(withPrefix(first, i), withPrefix(attrs, "tasks."+i)); err != nil {
								return fmt.Errorf("tasks[%s]: %w", i, err)
							}
						}
						return nil
					}),
			},
			{
				Config:           config(2000133, 2000132, 2000134),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A cluster failover records its task's times and subtasks and the cluster's delay (delayTime) before it.
func TestAccClusterFailoverResource_evidence(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	const addr = "ocp_cluster_failover.dr"
	config := f.Config(`
resource "ocp_cluster_failover" "dr" {
  cluster_id = 3000012
}`)
	var rec map[string]string

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("subtasks"))}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("delay_seconds_before"), knownvalue.Float64Exact(1.5)),
				},
				Check: func(s *terraform.State) error {
					attrs, err := resourceAttrs(s, addr)
					if err != nil {
						return err
					}
					task, err := simTaskOf(f.Sim, 0, 3000012)
					if err != nil {
						return err
					}
					if attrs["task_id"] != strconv.FormatInt(task.ID, 10) || len(task.Subtasks) != 9 {
						return fmt.Errorf("task_id %s, simulator's task %d with %d subtasks", attrs["task_id"], task.ID, len(task.Subtasks))
					}
					rec = attrs
					return checkTaskEvidence(attrs, task)
				},
			},
			{
				// Refreshed and planned again: the evidence as recorded.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(s *terraform.State) error {
					attrs, err := resourceAttrs(s, addr)
					if err != nil {
						return err
					}
					return sameRecord(rec, attrs)
				},
			},
		},
	})
}
