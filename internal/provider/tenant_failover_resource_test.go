package provider_test

import (
	"fmt"
	"regexp"
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
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// checkFailoverOps is assertFailoverOps as a step check.
func checkFailoverOps(t *testing.T, sim *ocpsim.Sim, tenantFailovers, clusterFailovers int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := sim.Counters()
		if c.TenantFailovers != tenantFailovers || c.ClusterFailovers != clusterFailovers || c.Switchovers != 0 {
			return fmt.Errorf("operations started: %d tenant failovers, %d cluster failovers, %d switchovers; want %d, %d, 0",
				c.TenantFailovers, c.ClusterFailovers, c.Switchovers, tenantFailovers, clusterFailovers)
		}
		return nil
	}
}

// checkFailoverRoles is a step check that the simulator reports each tenant in the role given.
func checkFailoverRoles(sim *ocpsim.Sim, roles map[int64]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for id, want := range roles {
			if tn, _ := sim.Tenant(id); tn.TenantRole != want {
				return fmt.Errorf("tenant %d is %q in the simulator, want %q", id, tn.TenantRole, want)
			}
		}
		return nil
	}
}

// failoverTaskWithID is failoverTask with the exact task id.
func failoverTaskWithID(tenantID int64, status string, taskID int64) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"tenant_id": knownvalue.Int64Exact(tenantID),
		"task_id":   knownvalue.Int64Exact(taskID),
		"status":    knownvalue.StringExact(status),
	})
}

func failoverTask(tenantID int64, status string, withTask bool) knownvalue.Check {
	var taskID knownvalue.Check = knownvalue.Null()
	if withTask {
		taskID = knownvalue.NotNull()
	}
	// Partial: the drill evidence of each task is checked by drill_evidence_acc_test.go.
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"tenant_id": knownvalue.Int64Exact(tenantID),
		"task_id":   taskID,
		"status":    knownvalue.StringExact(status),
	})
}

// A batch of two standbys fails over with one request; the state records both tasks, the simulator
// shows both PRIMARY, and the re-plan is empty.
func TestAccTenantFailoverResource_batch(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants = [
    { tenant_id = 2000132, service_name = "batch_svc_1" },
    { tenant_id = 2000133 },
  ]
  timeouts {
    create = "5m"
  }
}`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionCreate),
				plancheck.ExpectUnknownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("id"), knownvalue.StringExact("3000014/2000132,2000133")),
				statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
					failoverTask(2000132, "SUCCESSFUL", true),
					failoverTask(2000133, "SUCCESSFUL", true),
				})),
				statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("completed_at"),
					knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
			},
			Check: resource.ComposeTestCheckFunc(
				checkFailoverOps(t, f.Sim, 2, 0),
				checkFailoverRoles(f.Sim, map[int64]string{2000132: ocpsim.RolePrimary, 2000133: ocpsim.RolePrimary, 2000134: ocpsim.RoleStandby}),
				func(*terraform.State) error {
					if svc := failoverServiceName(t, f.Sim, 2000132); svc != "batch_svc_1" {
						return fmt.Errorf("service name of 2000132: %q", svc)
					}
					return nil
				},
			),
		}},
	})
	assertFailoverOps(t, f.Sim, 2, 0, 0) // destroy called no API
}

// A tenant that became PRIMARY through a failover (one run in OCP, behind Terraform's back) is recorded
// as ALREADY_PRIMARY with that task, and nothing starts for it. Tenants that were never standbys are
// configuration errors, pointed at their element of tenants.
func TestAccTenantFailoverResource_alreadyPrimary(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	earlier := failoverInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) {
		tasks, err := c.FailoverTenants(t.Context(), 3000014, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: 2000132}}})
		if err != nil {
			return nil, err
		}
		return &tasks[0], nil
	})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "ocp_tenant_failover" "never_standbys" {
  cluster_id = 3000013
  tenants    = [{ tenant_id = 2000101 }, { tenant_id = 2000131 }]
}`),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Tenant\s+is\s+PRIMARY\s+and\s+was\s+never\s+failed\s+over.*tenants.*2000101\s+\(orders_p\)` +
					`.*Tenant\s+is\s+PRIMARY\s+and\s+was\s+never\s+failed\s+over.*2000131\s+\(batch_p\)`),
			},
			{
				Config: f.Config(`
resource "ocp_tenant_failover" "noop" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.noop", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTaskWithID(2000132, "ALREADY_PRIMARY", earlier),
					})),
				},
				Check: checkFailoverOps(t, f.Sim, 1, 0),
			},
		},
	})
	assertFailoverOps(t, f.Sim, 1, 0, 0)
}

// One tenant of a batch fails: the apply fails naming it and its subtask, the other is PRIMARY and
// recorded; the next apply replaces the tainted resource and fails over only the failed tenant.
func TestAccTenantFailoverResource_partialBatch(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.FailNextSubtask(ocpsim.OpTenantFailover, "Upgrade tenant data version") // the first task started: 2000132
	config := f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }, { tenant_id = 2000133 }, { tenant_id = 2000134 }]
}`)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)Failover task failed.*tenant 2000132 \(batch_s1\) of cluster 3000014.*` +
					`2000133\s+\(SUCCESSFUL\),\s+2000134\s+\(SUCCESSFUL\).*subtask\s+"Upgrade\s+tenant\s+data\s+version"`),
			},
			{
				PreConfig: func() {
					assertFailoverOps(t, f.Sim, 3, 0, 0)
					assertFailoverRole(t, f.Sim, 2000132, ocpsim.RoleStandby)
					assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000132, "SUCCESSFUL", true),
						// recorded with the tasks that made them PRIMARY in the first apply
						failoverTask(2000133, "ALREADY_PRIMARY", true),
						failoverTask(2000134, "ALREADY_PRIMARY", true),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 4, 0), // only 2000132 again
					checkFailoverRoles(f.Sim, map[int64]string{2000132: ocpsim.RolePrimary, 2000133: ocpsim.RolePrimary, 2000134: ocpsim.RolePrimary}),
				),
			},
		},
	})
}

// Changing triggers replaces the resource, which runs the failover again.
func TestAccTenantFailoverResource_triggers(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.SetTenantDown(2000022, true) // OCP fails over a standby only when its primary is down
	config := func(drill string) string {
		return f.Config(fmt.Sprintf(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000010
  tenants    = [{ tenant_id = 2000025, service_name = "orders" }]
  triggers   = { drill = %q }
}`, drill))
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config("2026-11-21"),
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 1, 0),
					checkFailoverRoles(f.Sim, map[int64]string{2000025: ocpsim.RolePrimary}),
				),
			},
			{
				// The drill is reset in OCP (the tenant is a standby again), then the trigger changes.
				PreConfig: func() { f.Sim.SetTenantRole(2000025, ocpsim.RoleStandby) },
				Config:    config("2026-12-05"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000025, "SUCCESSFUL", true),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 2, 0),
					checkFailoverRoles(f.Sim, map[int64]string{2000025: ocpsim.RolePrimary}),
				),
			},
		},
	})
}

// Plan-time errors stop the plan before anything starts.
func TestAccTenantFailoverResource_planErrors(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	cases := []struct {
		name, tenants string
		clusterID     int
		want          *regexp.Regexp
	}{
		{"not a standby", `[{ tenant_id = 2000022 }]`, 3000010,
			regexp.MustCompile(`(?s)Tenant\s+is\s+not\s+a\s+standby\s+of\s+the\s+cluster.*Tenant\s+2000022\s+is\s+not\s+a\s+tenant\s+of\s+cluster\s+3000010`)},
		{"unknown tenant", `[{ tenant_id = 2000132 }, { tenant_id = 424242 }]`, 3000014,
			regexp.MustCompile(`(?s)Tenant\s+424242\s+is\s+not\s+a\s+tenant\s+of\s+cluster\s+3000014.*HTTP\s+404`)},
		{"duplicate tenants", `[{ tenant_id = 2000132 }, { tenant_id = 2000132, service_name = "x" }]`, 3000014,
			regexp.MustCompile(`(?s)Duplicate\s+tenant\s+in\s+failover\s+batch.*Tenant\s+2000132\s+is\s+listed\s+more\s+than\s+once`)},
		{"empty batch", `[]`, 3000014, regexp.MustCompile(`(?s)tenants.*at\s+least\s+1`)},
		{"zero tenant id", `[{ tenant_id = 0 }]`, 3000014, regexp.MustCompile(`(?s)tenant_id.*at\s+least\s+1`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config: f.Config(fmt.Sprintf(`
resource "ocp_tenant_failover" "bad" {
  cluster_id = %d
  tenants    = %s
}`, tc.clusterID, tc.tenants)),
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	assertFailoverOps(t, f.Sim, 0, 0, 0)
}

// The plan warns that failover may lose data, with each standby's log delay, and that a tenant already
// PRIMARY is left alone. terraform-plugin-testing does not expose warnings, so the plan goes through the
// provider's protocol server, as Terraform sends it.
func TestTenantFailoverResource_planWarnings(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	f.Sim.SetStandbySync(2000133, 4321, ocpsim.SyncNormal)

	ds := p.PlanResourceCreate("ocp_tenant_failover", map[string]any{
		"cluster_id": 3000014,
		"tenants":    failoverTenantItems(2000132, 2000133),
	})
	if errs := ds.Errors(); len(errs) > 0 {
		t.Fatalf("plan: %s", errs)
	}
	w := ds.Warnings().String()
	for _, want := range []string{"Failover may lose data", "Tenant 2000132 (batch_s1) of cluster 3000014: about 100 ms",
		"Tenant 2000133 (batch_s2) of cluster 3000014: about 4321 ms", "two primaries may exist"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}

	earlier := failoverInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) {
		tasks, err := c.FailoverTenants(t.Context(), 3000014, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: 2000134}}})
		if err != nil {
			return nil, err
		}
		return &tasks[0], nil
	})
	ds = p.PlanResourceCreate("ocp_tenant_failover", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000134)})
	if w := ds.Warnings().String(); len(ds.Errors()) > 0 || !strings.Contains(w, "Tenant is already PRIMARY") ||
		!strings.Contains(w, fmt.Sprintf("failover task %d", earlier)) || strings.Contains(w, "may lose data") {
		t.Errorf("already PRIMARY: want one warning that nothing happens, naming the task, no data-loss warning:\n%s", ds)
	}
	assertFailoverOps(t, f.Sim, 1, 0, 0)
}

// When the timeout runs out the task goes on in OCP: the apply fails saying so, and the next apply waits
// for the same task instead of starting another. Once it has ended, the tenant is PRIMARY and the
// replacement records it as such.
func TestAccTenantFailoverResource_timeoutThenAttach(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{StepDuration: 10 * time.Minute}) // held until released
	f.Sim.SetTenantDown(2000022, true)                                          // OCP fails over a standby only when its primary is down
	config := f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000010
  tenants    = [{ tenant_id = 2000025 }]
  timeouts {
    create = "1s"
  }
}`)
	stillRunning := regexp.MustCompile(`(?s)Failover\s+task\s+still\s+running.*Stopped\s+waiting\s+for\s+OCP\s+task\s+\d+.*the\s+timeout\s+ran\s+out`)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config, ExpectError: stillRunning},
			{
				// Tainted, so replaced: the replacement attaches to the running task (and runs out of time again).
				PreConfig:   func() { assertFailoverOps(t, f.Sim, 1, 0, 0) },
				Config:      config,
				ExpectError: stillRunning,
			},
			{
				PreConfig: func() {
					assertFailoverOps(t, f.Sim, 1, 0, 0) // attached, not started again
					f.Sim.SetStepDuration(time.Millisecond)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000025, "ALREADY_PRIMARY", true), // the task it waited for
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 1, 0),
					checkFailoverRoles(f.Sim, map[int64]string{2000025: ocpsim.RolePrimary}),
				),
			},
		},
	})
}

// tenants is a set: reordering it plans nothing; adding a tenant months later is an in-place update that
// fails over only that tenant; removing one forgets it without calling OCP. Before, tenants was a list
// that required replacement: a reorder or an extension failed over every listed standby again.
func TestAccTenantFailoverResource_membership(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	config := func(tenants string) string { return westFailoverConfig(f, tenants) }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(`[{ tenant_id = 2000132 }, { tenant_id = 2000133 }]`),
				Check:  checkFailoverOps(t, f.Sim, 2, 0),
			},
			{
				// Reordered: no change at all.
				Config: config(`[{ tenant_id = 2000133 }, { tenant_id = 2000132 }]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionNoop),
				}},
				Check: checkFailoverOps(t, f.Sim, 2, 0),
			},
			{
				// Extended: an in-place update that fails over the new tenant only.
				Config: config(`[{ tenant_id = 2000133 }, { tenant_id = 2000132 }, { tenant_id = 2000134 }]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000132, "SUCCESSFUL", true),
						failoverTask(2000133, "SUCCESSFUL", true),
						failoverTask(2000134, "SUCCESSFUL", true),
					})),
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("id"), knownvalue.StringExact("3000014/2000132,2000133,2000134")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 3, 0),
					checkFailoverRoles(f.Sim, map[int64]string{2000134: ocpsim.RolePrimary}),
				),
			},
			{
				// Shrunk: forgotten, no API call.
				Config: config(`[{ tenant_id = 2000134 }]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000134, "SUCCESSFUL", true),
					})),
				},
				Check: checkFailoverOps(t, f.Sim, 3, 0),
			},
		},
	})
	assertFailoverOps(t, f.Sim, 3, 0, 0)
}

// A tenant added in an update whose failover task succeeds while OCP does not report it PRIMARY is
// recorded UNCONFIRMED and left out of tenants: the apply fails, a refresh keeps UNCONFIRMED, and the
// next plan shows the tenant again, whose apply fails it over (it is still a standby). Before, it was
// recorded SUCCESSFUL in tenants, and never planned again.
func TestAccTenantFailoverResource_unconfirmedIsPlannedAgain(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	config := func(tenants string) string { return westFailoverConfig(f, tenants) }
	both := config(`[{ tenant_id = 2000132 }, { tenant_id = 2000133 }]`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config(`[{ tenant_id = 2000132 }]`), Check: checkFailoverOps(t, f.Sim, 1, 0)},
			{
				PreConfig:   func() { f.Sim.SucceedWithoutEffect(ocpsim.OpTenantFailover) },
				Config:      both,
				ExpectError: regexp.MustCompile(`(?s)Failover\s+did\s+not\s+make\s+the\s+tenant\s+PRIMARY.*2000133.*reports\s+the\s+role\s+STANDBY.*UNCONFIRMED`),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // 2000133 is planned again
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tenants.#", "1"),
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tasks.1.tenant_id", "2000133"),
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tasks.1.status", "UNCONFIRMED"),
					checkFailoverRoles(f.Sim, map[int64]string{2000133: ocpsim.RoleStandby}),
				),
			},
			{
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_tenant_failover.dr", tfjsonpath.New("tasks"), knownvalue.ListExact([]knownvalue.Check{
						failoverTask(2000132, "SUCCESSFUL", true),
						failoverTask(2000133, "SUCCESSFUL", true),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 3, 0),
					checkFailoverRoles(f.Sim, map[int64]string{2000133: ocpsim.RolePrimary}),
				),
			},
		},
	})
}

// An update that starts nothing (OCP refuses the added tenant's failover: its primary is alive) leaves
// completed_at as it was. Before, it was overwritten with the time of the failed apply.
func TestAccTenantFailoverResource_nothingStartedKeepsCompletedAt(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	config := func(tenants string) string { return westFailoverConfig(f, tenants) }
	var completed string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(`[{ tenant_id = 2000132 }]`),
				Check: resource.TestCheckResourceAttrWith("ocp_tenant_failover.dr", "completed_at", func(v string) error {
					completed = v
					return nil
				}),
			},
			{
				PreConfig:   func() { time.Sleep(1100 * time.Millisecond) }, // completed_at counts whole seconds
				Config:      config(`[{ tenant_id = 2000132 }, { tenant_id = 2000102 }]`),
				ExpectError: regexp.MustCompile(`(?s)OCP\s+refuses\s+the\s+failover:\s+the\s+primary\s+tenant\s+is\s+alive`),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // 2000102 is planned again
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 1, 0),
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tasks.0.status", "NOT_STARTED"),
					resource.TestCheckResourceAttrWith("ocp_tenant_failover.dr", "completed_at", func(v string) error {
						if v != completed {
							return fmt.Errorf("completed_at %q after an update that started nothing, want %q as before", v, completed)
						}
						return nil
					}),
				),
			},
		},
	})
}

// A tenant added in an update that timed out is re-added after its task ended and OCP forgot it (task
// retention): the state's record of that task says it was failed over, so it is ALREADY_PRIMARY with
// that task, and nothing starts. Before, the plan refused it as "PRIMARY and was never failed over".
func TestAccTenantFailoverResource_reAddedAfterTimeout(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	config := f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }, { tenant_id = 2000133 }]
  timeouts {
    update = "1s"
  }
}`)
	var taskID int64
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
}`)},
			{
				PreConfig:   func() { holdTasks(f.Sim) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Failover\s+task\s+still\s+running`),
			},
			{
				PreConfig: func() {
					releaseTasks(f.Sim)
					waitFor(t, 30*time.Second, "the task to end", func() bool {
						tasks := f.Sim.Tasks()
						return len(tasks) == 2 && tasks[1].Status == ocpsim.TaskSuccessful
					})
					taskID = f.Sim.Tasks()[1].ID
					f.Sim.ForgetEndedTasks()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_tenant_failover.dr", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkFailoverOps(t, f.Sim, 2, 0),
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tenants.#", "2"),
					resource.TestCheckResourceAttr("ocp_tenant_failover.dr", "tasks.1.status", "ALREADY_PRIMARY"),
					resource.TestCheckResourceAttrWith("ocp_tenant_failover.dr", "tasks.1.task_id", func(v string) error {
						if v != fmt.Sprint(taskID) {
							return fmt.Errorf("task_id %s, want the task of the timed-out update, %d", v, taskID)
						}
						return nil
					}),
				),
			},
		},
	})
}

// westFailoverConfig is an ocp_tenant_failover "dr" of cluster 3000014 with tenants (an HCL list).
func westFailoverConfig(f *acctest.Fixture, tenants string) string {
	return f.Config(fmt.Sprintf(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = %s
}`, tenants))
}
