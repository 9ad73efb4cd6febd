package provider_test

import (
	"fmt"
	"regexp"
	"testing"

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

func checkClusterType(sim *ocpsim.Sim, clusterID int64, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if cl, _ := sim.Cluster(clusterID); cl.Type != want {
			return fmt.Errorf("cluster %d is %q in the simulator, want %q", clusterID, cl.Type, want)
		}
		return nil
	}
}

// The standby cluster fails over; a change of triggers replaces the resource, which finds the cluster
// PRIMARY and starts nothing.
func TestAccClusterFailoverResource_basic(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	config := func(drill string) string {
		return f.Config(fmt.Sprintf(`
resource "ocp_cluster_failover" "dr" {
  cluster_id = 3000012
  triggers   = { drill = %q }
}`, drill))
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("id"), knownvalue.StringExact("3000012")),
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("task_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("status"), knownvalue.StringExact("SUCCESSFUL")),
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("completed_at"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(checkFailoverOps(t, f.Sim, 0, 1), checkClusterType(f.Sim, 3000012, ocpsim.ClusterPrimary)),
			},
			{
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_cluster_failover.dr", plancheck.ResourceActionReplace),
				}},
				// The replacement records the failover task that made the cluster PRIMARY.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("task_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("status"), knownvalue.StringExact("ALREADY_PRIMARY")),
				},
				Check: checkFailoverOps(t, f.Sim, 0, 1),
			},
		},
	})
	assertFailoverOps(t, f.Sim, 0, 1, 0)
}

// A failed subtask fails the apply naming it; the tainted resource is replaced by the next apply, which
// starts a new failover (the failed task was neither retried nor rolled back, and the cluster is still a
// standby). An unknown cluster fails the plan.
func TestAccClusterFailoverResource_failure(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.FailNextSubtask(ocpsim.OpClusterFailover, "Failover to Primary")
	config := f.Config(`
resource "ocp_cluster_failover" "dr" {
  cluster_id = 3000012
}`)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "ocp_cluster_failover" "dr" {
  cluster_id = 999
}`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error\s+reading\s+cluster.*HTTP\s+404`),
			},
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Failover\s+task\s+failed.*cluster\s+3000012\s+\(OB_DC2\).*subtask\s+"Failover\s+to\s+Primary"`),
			},
			{
				PreConfig: func() { assertFailoverOps(t, f.Sim, 0, 1, 0) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ocp_cluster_failover.dr", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_cluster_failover.dr", tfjsonpath.New("status"), knownvalue.StringExact("SUCCESSFUL")),
				},
				Check: resource.ComposeTestCheckFunc(checkFailoverOps(t, f.Sim, 0, 2), checkClusterType(f.Sim, 3000012, ocpsim.ClusterPrimary)),
			},
		},
	})
}

// A cluster that became PRIMARY through a failover (here one run in OCP, behind Terraform's back) is
// recorded as ALREADY_PRIMARY, with that failover's task, and nothing starts. A cluster that never was a
// standby is a configuration error: in a real disaster, naming the wrong cluster must not "succeed".
func TestAccClusterFailoverResource_alreadyPrimary(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	earlier := failoverInOCP(t, f, func(c *ocp.Client) (*ocp.Task, error) { return c.FailoverCluster(t.Context(), 3000012) })

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "ocp_cluster_failover" "never_a_standby" {
  cluster_id = 3000011
}`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cluster\s+is\s+PRIMARY\s+and\s+was\s+never\s+failed\s+over.*cluster_id.*3000011\s+\(OB_DC1\)`),
			},
			{
				Config: f.Config(`
resource "ocp_cluster_failover" "noop" {
  cluster_id = 3000012
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ocp_cluster_failover.noop", tfjsonpath.New("status"), knownvalue.StringExact("ALREADY_PRIMARY")),
					statecheck.ExpectKnownValue("ocp_cluster_failover.noop", tfjsonpath.New("task_id"), knownvalue.Int64Exact(earlier)),
				},
				Check: checkFailoverOps(t, f.Sim, 0, 1),
			},
		},
	})
	assertFailoverOps(t, f.Sim, 0, 1, 0)
}

// failoverInOCP runs a failover in OCP, as an operator would in its console, and waits for it; it
// returns the task's id.
func failoverInOCP(t *testing.T, f *acctest.Fixture, start func(*ocp.Client) (*ocp.Task, error)) int64 {
	t.Helper()
	c := failoverSimClient(t, f)
	task, err := start(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
	return task.ID
}
