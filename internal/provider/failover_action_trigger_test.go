package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The failover actions as Terraform >= 1.14 runs them: an action_trigger on a terraform_data resource.
// Actions write no state, so their effect is asserted on the simulator. Older Terraform cannot parse
// action blocks: acctest.RequireTerraform skips these tests there, and make test runs them again with the
// pinned Terraform (bin/terraform-<TERRAFORM_VERSION>). The protocol-level tests in failover_action_test.go
// cover the actions on every Terraform.

func TestAccTenantFailoverAction_trigger(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
action "ocp_tenant_failover" "dr" {
  config {
    cluster_id = 3000014
    tenants    = [{ tenant_id = 2000132 }, { tenant_id = 2000133, service_name = "batch_svc_2" }]
    timeouts {
      invoke = "5m"
    }
  }
}

resource "terraform_data" "drill" {
  input = "2026-11-21"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ocp_tenant_failover.dr]
    }
  }
}`),
			PostApplyFunc: func() {
				assertFailoverOps(t, f.Sim, 2, 0, 0)
				assertFailoverRole(t, f.Sim, 2000132, ocpsim.RolePrimary)
				assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)
			},
		}},
	})
}

func TestAccTenantFailoverAction_triggerFailure(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.SetTenantDown(2000022, true) // OCP fails over a standby only when its primary is down
	f.Sim.FailNextSubtask(ocpsim.OpTenantFailover, "Failover to primary tenant")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
action "ocp_tenant_failover" "dr" {
  config {
    cluster_id = 3000010
    tenants    = [{ tenant_id = 2000025 }]
  }
}

resource "terraform_data" "drill" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ocp_tenant_failover.dr]
    }
  }
}`),
			ExpectError: regexp.MustCompile(`(?s)Failover\s+task\s+failed.*subtask\s+"Failover\s+to\s+primary\s+tenant"`),
		}},
	})
	assertFailoverOps(t, f.Sim, 1, 0, 0)
}

func TestAccClusterFailoverAction_trigger(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
action "ocp_cluster_failover" "dr" {
  config {
    cluster_id = 3000012
  }
}

resource "terraform_data" "drill" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ocp_cluster_failover.dr]
    }
  }
}`),
			PostApplyFunc: func() {
				assertFailoverOps(t, f.Sim, 0, 1, 0)
				if cl, _ := f.Sim.Cluster(3000012); cl.Type != ocpsim.ClusterPrimary {
					t.Errorf("cluster 3000012 is %s, want PRIMARY", cl.Type)
				}
			},
		}},
	})
}

func TestAccTenantSwitchoverAction_trigger(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
action "ocp_tenant_switchover" "drill" {
  config {
    primary = { cluster_id = 3000014, tenant_id = 2000102 }
    standby = { cluster_id = 3000013, tenant_id = 2000101 }
  }
}

resource "terraform_data" "drill" {
  input = "2026-11-21"
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.ocp_tenant_switchover.drill]
    }
  }
}`),
			PostApplyFunc: func() {
				assertFailoverOps(t, f.Sim, 0, 0, 1)
				assertFailoverRole(t, f.Sim, 2000102, ocpsim.RolePrimary)
				assertFailoverRole(t, f.Sim, 2000101, ocpsim.RoleStandby)
			},
		}},
	})
}
