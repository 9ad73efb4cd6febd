package provider_test

import (
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// `terraform plan|apply -invoke=action.<type>.<name>` (Terraform >= 1.14): each action run on its own,
// outside any resource's lifecycle, writing no state. terraform-plugin-testing cannot pass -invoke, so these
// tests drive the terraform binary through acctest.Workdir (the provider built and run out of process, as
// a user runs it). acctest.RequireTerraform skips them below 1.14; make test runs them with the pinned
// Terraform.

// invoke runs `terraform apply -auto-approve -invoke=<addr>`, checks that Terraform reports the action
// invoked, and returns its output.
func invoke(t *testing.T, w *acctest.Workdir, addr string) string {
	t.Helper()
	out := w.MustRun("apply", "-auto-approve", "-invoke="+addr).Output()
	assertOutputContains(t, "apply -invoke="+addr, out, "Actions: 1 invoked")
	return out
}

// assertNoState fails the test when an invocation left anything of the provider's in the state.
func assertNoState(t *testing.T, w *acctest.Workdir) {
	t.Helper()
	if s := w.ReadFile("terraform.tfstate"); strings.Contains(s, `"ocp_`) {
		t.Fatalf("an invoked action wrote state:\n%s", s)
	}
}

func assertOutputContains(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Fatalf("%s: output lacks %q:\n%s", what, want, out)
		}
	}
}

func TestAccTenantFailoverAction_applyInvoke(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	w := acctest.NewWorkdir(t, f.Config(`
action "ocp_tenant_failover" "dr" {
  config {
    cluster_id = 3000014
    tenants    = [{ tenant_id = 2000132 }, { tenant_id = 2000133, service_name = "batch_svc_2" }]
  }
}
`))
	const addr = "action.ocp_tenant_failover.dr"

	// plan -invoke runs the plan-time checks only: the data-loss warning, and nothing started.
	plan := w.MustRun("plan", "-invoke="+addr).Output()
	assertOutputContains(t, "plan -invoke", plan, addr)
	assertFailoverOps(t, f.Sim, 0, 0, 0)

	out := invoke(t, w, addr)
	assertFailoverOps(t, f.Sim, 2, 0, 0)
	assertFailoverRole(t, f.Sim, 2000132, ocpsim.RolePrimary)
	assertFailoverRole(t, f.Sim, 2000133, ocpsim.RolePrimary)
	assertNoState(t, w)
	t.Logf("apply -invoke:\n%s", out)

	// Invoked again, both tenants are already PRIMARY: nothing is started.
	invoke(t, w, addr)
	assertFailoverOps(t, f.Sim, 2, 0, 0)
}

func TestAccTenantFailoverAction_applyInvokeFailure(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	f.Sim.FailNextSubtask(ocpsim.OpTenantFailover, "Failover to primary tenant")
	w := acctest.NewWorkdir(t, f.Config(`
action "ocp_tenant_failover" "dr" {
  config {
    cluster_id = 3000014
    tenants    = [{ tenant_id = 2000134 }]
  }
}
`))
	r := w.Run("apply", "-auto-approve", "-invoke=action.ocp_tenant_failover.dr")
	if r.Err == nil {
		t.Fatalf("apply -invoke of a failover whose task fails succeeded:\n%s", r.Output())
	}
	assertOutputContains(t, "apply -invoke", strings.Join(strings.Fields(r.Output()), " "),
		"Failover task failed", `"Failover to primary tenant"`)
	assertFailoverOps(t, f.Sim, 1, 0, 0)
}

func TestAccClusterFailoverAction_applyInvoke(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	w := acctest.NewWorkdir(t, f.Config(`
action "ocp_cluster_failover" "dr" {
  config {
    cluster_id = 3000012
  }
}
`))
	invoke(t, w, "action.ocp_cluster_failover.dr")
	assertFailoverOps(t, f.Sim, 0, 1, 0)
	if cl, _ := f.Sim.Cluster(3000012); cl.Type != ocpsim.ClusterPrimary {
		t.Fatalf("cluster 3000012 is %s, want PRIMARY", cl.Type)
	}
	assertNoState(t, w)
}

func TestAccTenantSwitchoverAction_applyInvoke(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformActions)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	w := acctest.NewWorkdir(t, f.Config(`
action "ocp_tenant_switchover" "drill" {
  config {
    primary = { cluster_id = 3000014, tenant_id = 2000102 }
    standby = { cluster_id = 3000013, tenant_id = 2000101 }
  }
}
`))
	const addr = "action.ocp_tenant_switchover.drill"
	w.MustRun("plan", "-invoke="+addr)
	assertFailoverOps(t, f.Sim, 0, 0, 0)

	invoke(t, w, addr)
	assertFailoverOps(t, f.Sim, 0, 0, 1)
	assertFailoverRole(t, f.Sim, 2000102, ocpsim.RolePrimary)
	assertFailoverRole(t, f.Sim, 2000101, ocpsim.RoleStandby)
	assertNoState(t, w)

	// The roles hold now: invoking it again starts nothing.
	invoke(t, w, addr)
	assertFailoverOps(t, f.Sim, 0, 0, 1)
}
