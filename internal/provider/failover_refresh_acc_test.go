package provider_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// What a refresh records of a failover task that an apply left behind: a task that ended SUCCESSFUL is
// confirmed by reading the role, and completed_at follows the statuses (null while a task runs, set when
// the last one has ended).

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// taskEnded waits until the simulator's only task has ended.
func taskEnded(t *testing.T, sim *ocpsim.Sim) {
	t.Helper()
	waitFor(t, 30*time.Second, "the task to end", func() bool { return onlyTask(t, sim).Status != ocpsim.TaskRunning })
}

// The apply stops waiting (timeout); the task then ends SUCCESSFUL while OCP does not report the tenant
// (cluster) PRIMARY. The refresh records UNCONFIRMED, not SUCCESSFUL, and sets completed_at. Before, it
// copied the task's SUCCESSFUL and left completed_at null.
func TestAccFailoverRefresh_confirmsSuccess(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	for _, tc := range []struct {
		name, addr, config, status string
		kind                       ocpsim.OpKind
		still                      func(*ocpsim.Sim) bool
	}{
		{
			name: "tenant", addr: "ocp_tenant_failover.dr", status: "tasks.0.status", kind: ocpsim.OpTenantFailover,
			config: `
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
  timeouts {
    create = "1s"
  }
}`,
			still: func(s *ocpsim.Sim) bool { return tenantRole(s, 2000132) == ocpsim.RoleStandby },
		},
		{
			name: "cluster", addr: "ocp_cluster_failover.dr", status: "status", kind: ocpsim.OpClusterFailover,
			config: `
resource "ocp_cluster_failover" "dr" {
  cluster_id = 3000012
  timeouts {
    create = "1s"
  }
}`,
			still: func(s *ocpsim.Sim) bool { return clusterType(s, 3000012) == ocpsim.ClusterStandby },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := acctest.NewSimulator(t, ocpsim.Config{})
			holdTasks(f.Sim)
			f.Sim.SucceedWithoutEffect(tc.kind)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{
					{
						Config:      f.Config(tc.config),
						ExpectError: regexp.MustCompile(`(?s)Failover\s+task\s+still\s+running`),
					},
					{
						PreConfig:          func() { releaseTasks(f.Sim); taskEnded(t, f.Sim) },
						RefreshState:       true,
						ExpectNonEmptyPlan: true, // tainted: replaced by the next apply
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(tc.addr, tc.status, "UNCONFIRMED"),
							resource.TestMatchResourceAttr(tc.addr, "completed_at", rfc3339),
							func(*terraform.State) error {
								if !tc.still(f.Sim) {
									t.Error("the simulator applied the failover's effect")
								}
								return nil
							},
						),
					},
				},
			})
		})
	}
}

// A failed tenant failover task is retried in OCP: a refresh while it runs again records RUNNING and
// clears completed_at; once it has ended, a refresh confirms the role (PRIMARY: SUCCESSFUL) and sets
// completed_at again. Before, completed_at stayed set on RUNNING.
func TestAccTenantFailoverResource_refreshRetriedTask(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.FailNextSubtask(ocpsim.OpTenantFailover, "Upgrade tenant data version")
	const addr = "ocp_tenant_failover.dr"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
}`),
				ExpectError: regexp.MustCompile(`(?s)Failover\s+task\s+failed`),
			},
			{
				PreConfig: func() {
					holdTasks(f.Sim)
					if _, err := f.Sim.RetryTask(onlyTask(t, f.Sim).ID); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "tasks.0.status", "RUNNING"),
					resource.TestCheckNoResourceAttr(addr, "completed_at"),
				),
			},
			{
				PreConfig:          func() { releaseTasks(f.Sim); taskEnded(t, f.Sim) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "tasks.0.status", "SUCCESSFUL"),
					resource.TestMatchResourceAttr(addr, "completed_at", rfc3339),
					checkFailoverRoles(f.Sim, map[int64]string{2000132: ocpsim.RolePrimary}),
				),
			},
		},
	})
}
