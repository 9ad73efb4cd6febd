package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

const switchoverAddr = "ocp_tenant_switchover.t"

// The default world's pairs, as {cluster, tenant}.
var (
	ohayo1 = [2]int64{3000009, 2000022} // PRIMARY at start
	ohayo2 = [2]int64{3000010, 2000025} // its STANDBY
	lagP   = [2]int64{3000013, 2000111} // PRIMARY
	lagS   = [2]int64{3000014, 2000112} // STANDBY, 14,883,430 ms behind
)

// switchoverConfig declares which tenant should be primary; extra goes inside the resource block.
func switchoverConfig(f *acctest.Fixture, primary, standby [2]int64, extra string) string {
	return f.Config(fmt.Sprintf(`
resource "ocp_tenant_switchover" "t" {
  primary = { cluster_id = %d, tenant_id = %d }
  standby = { cluster_id = %d, tenant_id = %d }
%s
}
`, primary[0], primary[1], standby[0], standby[1], extra))
}

// wrapped compiles a pattern of an error message in which each space matches any run of white space:
// Terraform wraps diagnostics at its terminal width.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// expectSwitchovers checks how many switchovers the simulator started, and that exactly as many
// switchover requests reached it: a plan never sends one.
func expectSwitchovers(f *acctest.Fixture, n int) resource.TestCheckFunc {
	return func(*terraform.State) error { return checkSwitchovers(f, n) }
}

func checkSwitchovers(f *acctest.Fixture, n int) error {
	c := f.Sim.Counters()
	if c.Switchovers != n || c.Requests[ocpsim.RouteSwitchover] != n {
		return fmt.Errorf("switchovers started = %d, switchover requests = %d, want %d", c.Switchovers, c.Requests[ocpsim.RouteSwitchover], n)
	}
	if c.TenantFailovers+c.ClusterFailovers != 0 {
		return fmt.Errorf("a switchover test started failovers: %+v", c)
	}
	return nil
}

// expectRole checks a tenant's role in the simulator.
func expectRole(f *acctest.Fixture, tenantID int64, role string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		t, ok := f.Sim.Tenant(tenantID)
		if !ok || t.TenantRole != role {
			return fmt.Errorf("tenant %d: role %q in the simulator, want %q", tenantID, t.TenantRole, role)
		}
		return nil
	}
}

func tenantChecks(which string, tenant [2]int64, name, role string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New(which), knownvalue.ObjectExact(map[string]knownvalue.Check{
			"cluster_id": knownvalue.Int64Exact(tenant[0]),
			"tenant_id":  knownvalue.Int64Exact(tenant[1]),
			"name":       knownvalue.StringExact(name),
			"role":       knownvalue.StringExact(role),
		})),
	}
}

func plannedRoles(primary, standby [2]int64) []plancheck.PlanCheck {
	return []plancheck.PlanCheck{
		plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("primary").AtMapKey("tenant_id"), knownvalue.Int64Exact(primary[1])),
		plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("primary").AtMapKey("role"), knownvalue.StringExact("PRIMARY")),
		plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("standby").AtMapKey("tenant_id"), knownvalue.Int64Exact(standby[1])),
		plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("standby").AtMapKey("role"), knownvalue.StringExact("STANDBY")),
		plancheck.ExpectUnknownValue(switchoverAddr, tfjsonpath.New("task_id")),
	}
}

const ohayoID = "3000009/2000022,3000010/2000025"

// The DR drill: switch the ohayo pair over, find nothing left to do, switch back by swapping the config.
func TestAccTenantSwitchover_drill(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(plannedRoles(ohayo2, ohayo1),
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("id"), knownvalue.StringExact(ohayoID)),
					plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("primary").AtMapKey("name"), knownvalue.StringExact("ohayo_2")),
				)},
				ConfigStateChecks: append(append(tenantChecks("primary", ohayo2, "ohayo_2", "PRIMARY"), tenantChecks("standby", ohayo1, "ohayo_1", "STANDBY")...),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("id"), knownvalue.StringExact(ohayoID)),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("SUCCESSFUL")),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("switched_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("allow_warnings"), knownvalue.Bool(true)),
				),
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1),
					expectRole(f, ohayo2[1], ocpsim.RolePrimary), expectRole(f, ohayo1[1], ocpsim.RoleStandby)),
			},
			{
				// Nothing to change: an empty plan, and no switchover.
				Config:           switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectSwitchovers(f, 1),
			},
			{
				// Switch back: the same edit reversed is an update of the same resource.
				Config: switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(plannedRoles(ohayo1, ohayo2),
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("id"), knownvalue.StringExact(ohayoID)),
				)},
				ConfigStateChecks: append(append(tenantChecks("primary", ohayo1, "ohayo_1", "PRIMARY"), tenantChecks("standby", ohayo2, "ohayo_2", "STANDBY")...),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("SUCCESSFUL")),
				),
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 2),
					expectRole(f, ohayo1[1], ocpsim.RolePrimary), expectRole(f, ohayo2[1], ocpsim.RoleStandby),
					func(*terraform.State) error {
						// The subtasks ran as the switchover page's DAG says, and the last task is the one recorded.
						tasks := f.Sim.Tasks()
						if len(tasks) != 2 || tasks[1].Status != ocpsim.TaskSuccessful {
							return fmt.Errorf("tasks: %+v", tasks)
						}
						return nil
					}),
			},
		},
	})
}

// Creating a resource whose roles already hold starts nothing, and neither does a plan.
func TestAccTenantSwitchover_createHolds(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: switchoverConfig(f, ohayo1, ohayo2, ""),
			ConfigStateChecks: append(append(tenantChecks("primary", ohayo1, "ohayo_1", "PRIMARY"), tenantChecks("standby", ohayo2, "ohayo_2", "STANDBY")...),
				statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.Null()),
				statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("switched_at"), knownvalue.Null()),
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 0), func(*terraform.State) error {
				if n := f.Sim.Counters().Prechecks; n != 0 {
					return fmt.Errorf("%d prechecks for a pair whose roles hold", n)
				}
				return nil
			}),
		}},
	})
}

// A blocking precheck fails the plan with one error per check, naming both tenants; nothing is started.
func TestAccTenantSwitchover_precheckBlocks(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      switchoverConfig(f, lagS, lagP, ""),
			ExpectError: wrapped(`Switchover precheck failed: OBE26009.*primary lag_p \(tenant 2000111 of cluster 3000013\) to standby lag_s \(tenant 2000112 of cluster 3000014\).*OBE26009: This operation is not allowed because the log synchronization latency of the lag_s tenant is 14,883,430 ms`),
		}},
	})
	if err := checkSwitchovers(f, 0); err != nil {
		t.Fatal(err)
	}
	if f.Sim.Counters().Prechecks == 0 {
		t.Fatal("the plan did not run the precheck")
	}
}

// OBE26107 is a warning; allow_warnings = false turns it into a plan error.
func TestAccTenantSwitchover_warningsNotAllowed(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      switchoverConfig(f, ohayo2, ohayo1, "  allow_warnings = false"),
			ExpectError: wrapped(`Switchover precheck warning not allowed: OBE26107.*ohayo_1 \(tenant 2000022 of cluster 3000009\).*allow_warnings = false`),
		}},
	})
	if err := checkSwitchovers(f, 0); err != nil {
		t.Fatal(err)
	}
}

// A failed subtask fails the apply with the subtask, the task and what to do; the state keeps the roles
// OCP reports and the failed task, and a later apply starts a fresh switchover.
func TestAccTenantSwitchover_failedSubtask(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	const subtask = "Switch primary tenant to standby"

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: switchoverConfig(f, ohayo1, ohayo2, ""), Check: expectSwitchovers(f, 0)},
			{
				PreConfig:   func() { f.Sim.FailNextSubtask(ocpsim.OpSwitchover, subtask) },
				Config:      switchoverConfig(f, ohayo2, ohayo1, ""),
				ExpectError: wrapped(`Error waiting for the switchover.*OCP task \d+ \("Switchover ob tenant for network mode"\) FAILED at subtask "Switch primary tenant to standby".*OCP trace id of the task.s last reading: [0-9a-f]{16}.*retry the task in OCP`),
			},
			{
				// The state holds what OCP reports: the roles did not change, and the task failed.
				Config:           switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(append(tenantChecks("primary", ohayo1, "ohayo_1", "PRIMARY"), tenantChecks("standby", ohayo2, "ohayo_2", "STANDBY")...),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("FAILED")),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("switched_at"), knownvalue.Null()),
				),
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), expectRole(f, ohayo1[1], ocpsim.RolePrimary)),
			},
			{
				Config: switchoverConfig(f, ohayo2, ohayo1, ""),
				ConfigStateChecks: append(tenantChecks("primary", ohayo2, "ohayo_2", "PRIMARY"),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("SUCCESSFUL"))),
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 2), expectRole(f, ohayo2[1], ocpsim.RolePrimary)),
			},
		},
	})
}

// The timeout runs out while the task runs: the error says so and gives the task; the next apply waits
// for that task instead of starting another.
func TestAccTenantSwitchover_timeoutThenAttach(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	var taskID int64

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: switchoverConfig(f, ohayo1, ohayo2, ""), Check: expectSwitchovers(f, 0)},
			{
				PreConfig:   func() { f.Sim.SetStepDuration(time.Hour) }, // hold the task running
				Config:      switchoverConfig(f, ohayo2, ohayo1, `  timeouts { update = "1s" }`),
				ExpectError: wrapped(`Stopped waiting for OCP task \d+.*the timeout ran out.*may still be running in OCP.*waits for task \d+`),
			},
			{
				PreConfig: func() {
					tasks := f.Sim.Tasks()
					if len(tasks) != 1 || tasks[0].Status != ocpsim.TaskRunning {
						t.Fatalf("after the timeout, want one running task, got %+v", tasks)
					}
					taskID = tasks[0].ID
					releaseWhenPolled(t, f, 20)
				},
				Config: switchoverConfig(f, ohayo2, ohayo1, `  timeouts { update = "2m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(plannedRoles(ohayo2, ohayo1),
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate),
					// The state recorded the task RUNNING: apply waits for it, and the plan says so.
					plancheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("planned_action"),
						knownvalue.StringRegexp(regexp.MustCompile(`^wait for switchover task \d+$`))))},
				ConfigStateChecks: append(tenantChecks("primary", ohayo2, "ohayo_2", "PRIMARY"),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("SUCCESSFUL"))),
				Check: resource.ComposeTestCheckFunc(expectSwitchovers(f, 1), expectRole(f, ohayo2[1], ocpsim.RolePrimary),
					resource.TestCheckResourceAttrWith(switchoverAddr, "task_id", func(v string) error {
						if v != strconv.FormatInt(taskID, 10) {
							return fmt.Errorf("task_id %s, want the task the first apply started, %d", v, taskID)
						}
						return nil
					})),
			},
		},
	})
}

// releaseWhenPolled lets a held task finish once the provider has polled its detail n more times, that
// is once an apply is waiting for it (a plan does not poll tasks).
func releaseWhenPolled(t *testing.T, f *acctest.Fixture, n int) {
	base := f.Sim.Counters().Requests[ocpsim.RouteTaskDetail]
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		deadline := time.After(30 * time.Second)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-deadline:
				f.Sim.SetStepDuration(time.Millisecond)
				return
			case <-tick.C:
				if f.Sim.Counters().Requests[ocpsim.RouteTaskDetail] >= base+n {
					f.Sim.SetStepDuration(time.Millisecond)
					return
				}
			}
		}
	}()
}

// A switchover made behind Terraform's back shows up as an update that switches the pair back.
func TestAccTenantSwitchover_drift(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: switchoverConfig(f, ohayo1, ohayo2, ""), Check: expectSwitchovers(f, 0)},
			{
				PreConfig: func() { switchInOCP(t, f, ohayo1, ohayo2) },
				Config:    switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(plannedRoles(ohayo1, ohayo2),
					plancheck.ExpectResourceAction(switchoverAddr, plancheck.ResourceActionUpdate))},
				ConfigStateChecks: tenantChecks("primary", ohayo1, "ohayo_1", "PRIMARY"),
				Check:             resource.ComposeTestCheckFunc(expectSwitchovers(f, 2), expectRole(f, ohayo1[1], ocpsim.RolePrimary)),
			},
		},
	})
}

// switchInOCP switches a pair over directly through the OCP API, as an operator in OCP's console would.
func switchInOCP(t *testing.T, f *acctest.Fixture, primary, standby [2]int64) {
	t.Helper()
	c, err := ocp.New(ocp.Config{URL: f.URL, Username: acctest.Username, Password: acctest.Password, PollInterval: acctest.PollInterval})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	task, err := c.Switchover(ctx, primary[0], ocp.SwitchoverRequest{TenantID: primary[1], StandbyTenantID: standby[1]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(ctx, task.ID, ocp.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Roles that no switchover can fix (two primaries, as after a failover) fail the plan and say what OCP
// reports; a tenant busy in another task too.
func TestAccTenantSwitchover_inconsistentRoles(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: switchoverConfig(f, ohayo1, ohayo2, ""), Check: expectSwitchovers(f, 0)},
			{
				PreConfig:   func() { f.Sim.SetTenantRole(ohayo2[1], ocpsim.RolePrimary) },
				Config:      switchoverConfig(f, ohayo1, ohayo2, ""),
				ExpectError: wrapped(`Tenant roles are neither as declared nor swapped.*ohayo_1 \(tenant 2000022 of cluster 3000009\) is PRIMARY.*ohayo_2 \(tenant 2000025 of cluster 3000010\) is PRIMARY.*failover`),
			},
			{
				// Back to one primary: the plan is empty again.
				PreConfig:        func() { f.Sim.SetTenantRole(ohayo2[1], ocpsim.RoleStandby) },
				Config:           switchoverConfig(f, ohayo1, ohayo2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectSwitchovers(f, 0),
			},
		},
	})
}

// Import by both tenants, in either order; Read puts the primary first. An unknown tenant imports nothing.
func TestAccTenantSwitchover_import(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	cfg := switchoverConfig(f, ohayo1, ohayo2, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: expectSwitchovers(f, 0)},
			// planned_action is what the last plan applied said; an import has applied no plan.
			{Config: cfg, ResourceName: switchoverAddr, ImportState: true, ImportStateVerify: true,
				ImportStateId: "3000010/2000025,3000009/2000022", ImportStateVerifyIgnore: []string{"planned_action"}},
			{Config: cfg, ResourceName: switchoverAddr, ImportState: true, ImportStateId: "3000009/2000022",
				ExpectError: wrapped(`Invalid import id.*<cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>`)},
			{Config: cfg, ResourceName: switchoverAddr, ImportState: true, ImportStateId: "3000009/2000022,3000010/424242",
				ExpectError: regexp.MustCompile(`(?i)Cannot import non-existent remote object`)},
			{Config: cfg, Check: expectSwitchovers(f, 0)},
		},
	})
}

// Validation at plan time: positive ids, two different tenants.
func TestAccTenantSwitchover_validation(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	cases := []struct {
		name    string
		p, s    [2]int64
		wantErr *regexp.Regexp
	}{
		{"same tenant", ohayo1, ohayo1, regexp.MustCompile(`Primary and standby are the same tenant`)},
		{"zero tenant id", [2]int64{3000009, 0}, ohayo2, regexp.MustCompile(`(?s)primary.tenant_id.*at least 1`)},
		{"negative cluster id", ohayo1, [2]int64{-1, 2000025}, regexp.MustCompile(`(?s)standby.cluster_id.*at least 1`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps:                    []resource.TestStep{{Config: switchoverConfig(f, tc.p, tc.s, ""), ExpectError: tc.wantErr}},
			})
		})
	}
	if err := checkSwitchovers(f, 0); err != nil {
		t.Fatal(err)
	}
}

// An update's start request is answered by nobody (the connection drops after OCP acted) and OCP's task
// list fails too: the apply ends "may or may not have started" with task_status UNKNOWN. Once the
// switchover has finished, the next refresh resolves it: the roles are the ones asked for, so the state
// records the pair's last switchover (task_id, SUCCESSFUL, switched_at, last_switchover), and the plan
// is empty. Before, UNKNOWN and a null task_id stayed for good (the plan, seeing the roles hold, asked
// OCP nothing). With the task list down at the first refresh after the switchover, UNKNOWN stays then
// and the next refresh resolves it (before, the first refresh rewrote the roles it went by, and UNKNOWN
// stayed for good).
func TestAccTenantSwitchover_unknownResolvedByRefresh(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	for _, listDown := range []bool{false, true} {
		t.Run(fmt.Sprintf("task list down at the first refresh %v", listDown), func(t *testing.T) {
			t.Parallel()
			unknownResolvedByRefresh(t, listDown)
		})
	}
}

func unknownResolvedByRefresh(t *testing.T, listDown bool) {
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The task list fails when the start request arrives, so that the lookup after the dropped answer
	// exhausts its retries (max_retries = 1) while the checks before it are unaffected.
	var listsDown atomic.Bool // every task list read fails (an OCP whose list route is down)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/switchover") {
			sim.FailRequests(ocpsim.RouteTaskList, http.StatusServiceUnavailable, 2, 0)
		}
		if listsDown.Load() && r.Method == http.MethodGet && r.URL.Path == "/api/v2/tasks/instances" {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	provider := fmt.Sprintf("provider \"ocp\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 1\n}\n",
		srv.URL, acctest.Username, acctest.Password)
	config := func(primary, standby [2]int64) string {
		return provider + fmt.Sprintf(`
resource "ocp_tenant_switchover" "t" {
  primary = { cluster_id = %d, tenant_id = %d }
  standby = { cluster_id = %d, tenant_id = %d }
}
`, primary[0], primary[1], standby[0], standby[1])
	}
	var taskID int64
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config(ohayo1, ohayo2)},
			{
				PreConfig:   func() { sim.DropAfterEffect(ocpsim.RouteSwitchover, 1) },
				Config:      config(ohayo2, ohayo1),
				ExpectError: wrapped(`may or may not have started`),
			},
			{
				PreConfig: func() {
					waitFor(t, 30*time.Second, "the switchover to end", func() bool {
						tasks := sim.Tasks()
						return len(tasks) == 1 && tasks[0].Status == ocpsim.TaskSuccessful
					})
					taskID = sim.Tasks()[0].ID
					listsDown.Store(listDown)
				},
				RefreshState: true,
				Check: resource.TestCheckResourceAttrWith(switchoverAddr, "task_status", func(v string) error {
					if listDown && v != "UNKNOWN" {
						return fmt.Errorf("task_status %s with OCP's task list down, want UNKNOWN", v)
					}
					return nil
				}),
			},
			{
				PreConfig:        func() { listsDown.Store(false) },
				Config:           config(ohayo2, ohayo1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(tenantChecks("primary", ohayo2, "ohayo_2", "PRIMARY"),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("task_status"), knownvalue.StringExact("SUCCESSFUL")),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("switched_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(switchoverAddr, tfjsonpath.New("last_switchover").AtMapKey("status"), knownvalue.StringExact("SUCCESSFUL")),
				),
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error { return checkSwitchovers(&acctest.Fixture{Sim: sim}, 1) },
					resource.TestCheckResourceAttrWith(switchoverAddr, "task_id", func(v string) error {
						if v != strconv.FormatInt(taskID, 10) {
							return fmt.Errorf("task_id %s, want the switchover whose start had an unknown outcome, %d", v, taskID)
						}
						return nil
					}),
					resource.TestCheckResourceAttrWith(switchoverAddr, "last_switchover.task_id", func(v string) error {
						if v != strconv.FormatInt(taskID, 10) {
							return fmt.Errorf("last_switchover.task_id %s, want %d", v, taskID)
						}
						return nil
					}),
				),
			},
		},
	})
}
