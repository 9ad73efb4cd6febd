package ecosystem_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// examples/dr-drill, run against the simulator the way the "Run a DR drill" guide runs it in a pipeline:
// plan with a saved plan file, the policy on `terraform show -json`, apply the saved plan, verify, and
// switch back the same way. The module is copied as is; the site variables point it at the ohayo pair.
// TestOpenTofuDRDrill runs the same drill with tofu.
func TestDRDrillExample(t *testing.T) {
	t.Parallel()
	runDRDrill(t, terraformPath(t))
}

// runDRDrill runs the drill of TestDRDrillExample with the CLI binary cli (terraform or tofu).
func runDRDrill(t *testing.T, cli string) {
	t.Helper()
	sim := newSimulator(t)
	const (
		home = int64(2000022) // ohayo_1 on OB42_B, PRIMARY
		dr   = int64(2000025) // ohayo_2 on OB424_A, STANDBY
	)
	w := newWorkdirCLI(t, cli, "examples/dr-drill", map[string]string{"terraform.tfvars": `
home_site = {
  cluster_id = 3000009
  tenant_id  = 2000022
}
dr_site = {
  cluster_id = 3000010
  tenant_id  = 2000025
}
`})
	w.env = sim.env()

	step := func(drillActive string, wantPrimary, wantStandby int64, wantSwitchovers int) {
		t.Helper()
		planJSON := w.planJSON("-var", "drill_active="+drillActive)
		p := decodePlan(t, planJSON)
		if got := p.actionsOf("ocp_tenant_switchover.drill"); got != "create" && got != "update" {
			t.Fatalf("drill_active=%s: ocp_tenant_switchover.drill planned %q, want create or update", drillActive, got)
		}
		if sim.Counters().Switchovers != wantSwitchovers-1 {
			t.Fatalf("planning started a switchover")
		}
		if _, err := lookOPA(); err == nil {
			if msgs := deny(t, planJSON); len(msgs) > 0 {
				t.Fatalf("the policy denied the drill's plan:\n%s", strings.Join(msgs, "\n"))
			}
		}

		w.mustRun("apply", "-no-color", "-input=false", "tfplan")

		if got := sim.Counters().Switchovers; got != wantSwitchovers {
			t.Fatalf("after apply (drill_active=%s): %d switchovers started in total, want %d", drillActive, got, wantSwitchovers)
		}
		if r := sim.role(t, wantPrimary); r != "PRIMARY" {
			t.Fatalf("tenant %d is %s in the simulator, want PRIMARY", wantPrimary, r)
		}
		if r := sim.role(t, wantStandby); r != "STANDBY" {
			t.Fatalf("tenant %d is %s in the simulator, want STANDBY", wantStandby, r)
		}
		var outputs struct {
			RolesAfter struct {
				Value struct{ Primary, Standby string } `json:"value"`
			} `json:"roles_after"`
			Task struct {
				Value struct {
					ID     *int64 `json:"id"`
					Status string `json:"status"`
				} `json:"value"`
			} `json:"task"`
		}
		if err := json.Unmarshal([]byte(w.mustRun("output", "-json").stdout), &outputs); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(outputs.RolesAfter.Value.Primary, "PRIMARY") || !strings.Contains(outputs.RolesAfter.Value.Standby, "STANDBY") ||
			outputs.Task.Value.ID == nil || outputs.Task.Value.Status != "SUCCESSFUL" {
			t.Fatalf("outputs after apply: %+v", outputs)
		}
		t.Logf("drill_active=%s: roles_after %+v, task %d %s", drillActive, outputs.RolesAfter.Value, *outputs.Task.Value.ID, outputs.Task.Value.Status)

		// Planned again with the same variables, nothing is left to do and OCP is not asked to switch.
		again := decodePlan(t, w.planJSON("-var", "drill_active="+drillActive))
		for _, rc := range again.ResourceChanges {
			if a := strings.Join(rc.Change.Actions, ","); a != "no-op" && a != "read" {
				t.Fatalf("re-plan after apply: %s planned %q, want no-op", rc.Address, a)
			}
		}
	}

	// The first apply creates the resource with the roles as they are: nothing to switch.
	w.mustRun("apply", "-no-color", "-input=false", "-auto-approve", "-var", "drill_active=false")
	if n := sim.Counters().Switchovers; n != 0 {
		t.Fatalf("adopting the pair in its current roles started %d switchovers", n)
	}
	// The drill: the DR site becomes PRIMARY, with exactly one switchover.
	step("true", dr, home, 1)
	// Switch back: the same edit reversed, one more switchover.
	step("false", home, dr, 2)

	sim.checkUserAgents(t)
}
