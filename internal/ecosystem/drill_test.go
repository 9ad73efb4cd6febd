package ecosystem_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
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

	step := func(drillActive string, wantPrimary, wantStandby int64, wantSwitchovers int, wantDelay *int64) {
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

		// The drill report, archived as the guide says: the evidence of this very switchover.
		raw := w.mustRun("output", "-raw", "drill_report").stdout
		r := decodeDrillReport(t, raw)
		if err := r.check(*outputs.Task.Value.ID, wantPrimary, wantDelay); err != nil {
			t.Fatalf("drill_active=%s: drill report: %v\n%s", drillActive, err, raw)
		}
		if r.DrillActive != (drillActive == "true") {
			t.Fatalf("drill report: drill_active %v", r.DrillActive)
		}
		behind := "an unreported time"
		if d := r.Switchover.StandbyBefore.LogDelayMS; d != nil {
			behind = fmt.Sprintf("%d ms", *d)
		}
		t.Logf("drill_active=%s: report: task %d took %v s, standby %d was %s behind", drillActive, r.Switchover.TaskID,
			r.Switchover.DurationSeconds, r.Switchover.StandbyBefore.TenantID, behind)

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
	// No switchover yet: the report says so.
	if r := decodeDrillReport(t, w.mustRun("output", "-raw", "drill_report").stdout); r.Switchover != nil || r.RolesAfter.Primary.TenantID != home {
		t.Fatalf("report before any switchover: %+v", r)
	}
	// The drill: the DR site becomes PRIMARY, with exactly one switchover; it was 200 ms behind before.
	delay := int64(200)
	step("true", dr, home, 1, &delay)
	// Switch back: the same edit reversed, one more switchover.
	step("false", home, dr, 2, nil)

	sim.checkUserAgents(t)
}

// switchoverSubtasks are the subtasks of OCP's switchover task (internal/ocpsim's template, from OCP's
// switchover page), a chain in this order.
var switchoverSubtasks = []string{
	"Prepare switchover tenant",
	"Create standby tenant read only user",
	"Wait all relation tenants accessible",
	"Switch primary tenant to standby",
	"Switchover standby tenant to primary",
	"Reset log restore source",
	"Update log restore source",
	"Restart tenant service name if started",
	"Update tenant role in meta",
	"Reset switchover tenant info",
}

// drillReport is examples/dr-drill's drill_report output.
type drillReport struct {
	DrillActive bool             `json:"drill_active"`
	HomeSite    map[string]int64 `json:"home_site"`
	DRSite      map[string]int64 `json:"dr_site"`
	RolesAfter  struct {
		Primary struct {
			TenantID int64  `json:"tenant_id"`
			Name     string `json:"name"`
			Role     string `json:"role"`
		} `json:"primary"`
		Standby struct {
			TenantID   int64  `json:"tenant_id"`
			Name       string `json:"name"`
			Role       string `json:"role"`
			LogDelayMS *int64 `json:"log_delay_ms"`
		} `json:"standby"`
	} `json:"roles_after"`
	Switchover *struct {
		TaskID          int64   `json:"task_id"`
		Status          string  `json:"status"`
		Attached        bool    `json:"attached"`
		StartedAt       string  `json:"started_at"`
		FinishedAt      string  `json:"finished_at"`
		DurationSeconds float64 `json:"duration_seconds"`
		StandbyBefore   struct {
			ClusterID  int64  `json:"cluster_id"`
			TenantID   int64  `json:"tenant_id"`
			Name       string `json:"name"`
			LogDelayMS *int64 `json:"log_delay_ms"`
			SyncSCN    *int64 `json:"sync_scn"`
		} `json:"standby_before"`
		Subtasks []struct {
			ID         int64  `json:"id"`
			Name       string `json:"name"`
			Status     string `json:"status"`
			StartedAt  string `json:"started_at"`
			FinishedAt string `json:"finished_at"`
		} `json:"subtasks"`
	} `json:"switchover"`
}

func decodeDrillReport(t *testing.T, raw string) drillReport {
	t.Helper()
	var r drillReport
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("drill_report is not the JSON document expected: %v\n%s", err, raw)
	}
	return r
}

// check verifies the report of a switchover: the task the resource recorded, SUCCESSFUL and started by
// the apply; the times in order (started ≤ each subtask's start ≤ its finish ≤ finished); the duration
// exactly finished − started; every subtask of the switchover DAG, in order; the standby before the switch
// (the tenant PRIMARY after it, with delay when given) and the roles after.
func (r drillReport) check(taskID, primaryAfter int64, delay *int64) error {
	sw := r.Switchover
	if sw == nil {
		return fmt.Errorf("no switchover in the report")
	}
	if sw.TaskID != taskID || sw.Status != "SUCCESSFUL" || sw.Attached {
		return fmt.Errorf("task %d %s (attached %v), want task %d SUCCESSFUL started by the apply", sw.TaskID, sw.Status, sw.Attached, taskID)
	}
	if r.RolesAfter.Primary.TenantID != primaryAfter || r.RolesAfter.Primary.Role != "PRIMARY" || r.RolesAfter.Standby.Role != "STANDBY" {
		return fmt.Errorf("roles after: %+v", r.RolesAfter)
	}
	// The standby before the switch is the tenant that is PRIMARY now.
	if sw.StandbyBefore.TenantID != primaryAfter || sw.StandbyBefore.SyncSCN == nil || *sw.StandbyBefore.SyncSCN <= 0 {
		return fmt.Errorf("standby before %+v, want tenant %d with the precheck's sync SCN", sw.StandbyBefore, primaryAfter)
	}
	if delay != nil && (sw.StandbyBefore.LogDelayMS == nil || *sw.StandbyBefore.LogDelayMS != *delay) {
		return fmt.Errorf("standby before: log delay %v, want %d", sw.StandbyBefore.LogDelayMS, *delay)
	}
	started, err1 := time.Parse(time.RFC3339Nano, sw.StartedAt)
	finished, err2 := time.Parse(time.RFC3339Nano, sw.FinishedAt)
	if err1 != nil || err2 != nil || !strings.HasSuffix(sw.StartedAt, "Z") || !strings.HasSuffix(sw.FinishedAt, "Z") {
		return fmt.Errorf("times %q – %q are not RFC 3339 in UTC: %w", sw.StartedAt, sw.FinishedAt, errors.Join(err1, err2))
	}
	if d := finished.Sub(started).Seconds(); sw.DurationSeconds != d || d <= 0 {
		return fmt.Errorf("duration_seconds %v, finished − started = %v", sw.DurationSeconds, d)
	}
	if len(sw.Subtasks) != len(switchoverSubtasks) {
		return fmt.Errorf("%d subtasks, want the %d of the switchover DAG", len(sw.Subtasks), len(switchoverSubtasks))
	}
	for i, st := range sw.Subtasks {
		s, err1 := time.Parse(time.RFC3339Nano, st.StartedAt)
		f, err2 := time.Parse(time.RFC3339Nano, st.FinishedAt)
		switch {
		case st.Name != switchoverSubtasks[i]:
			return fmt.Errorf("subtask %d is %q, want %q (DAG order)", i, st.Name, switchoverSubtasks[i])
		case st.Status != "SUCCESSFUL" || st.ID == 0 || err1 != nil || err2 != nil:
			return fmt.Errorf("subtask %q: %+v", st.Name, st)
		case s.Before(started) || f.Before(s) || finished.Before(f):
			return fmt.Errorf("subtask %q ran %s – %s, outside the task's %s – %s", st.Name, st.StartedAt, st.FinishedAt, sw.StartedAt, sw.FinishedAt)
		}
	}
	return nil
}
