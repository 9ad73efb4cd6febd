package provider_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The actions keep no state: their final progress message carries the drill's evidence in one line.

// lastProgress is an invocation's final progress message.
func lastProgress(t *testing.T, inv acctest.Invocation) string {
	t.Helper()
	if len(inv.Progress) == 0 {
		t.Fatal("no progress message")
	}
	return inv.Progress[len(inv.Progress)-1]
}

// taskEvidenceText is what the line says of a task OCP (the simulator) ended.
func taskEvidenceText(task ocpsim.Task) string {
	start, finish := simInstant(task.StartTime), simInstant(*task.FinishTime)
	s, _ := time.Parse(time.RFC3339Nano, start)
	f, _ := time.Parse(time.RFC3339Nano, finish)
	return fmt.Sprintf("task %d %s, started %s, finished %s, took %s s", task.ID, task.Status, start, finish,
		strconv.FormatFloat(f.Sub(s).Seconds(), 'f', -1, 64))
}

func TestTenantSwitchoverAction_evidence(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	// orders_s (STANDBY, 120 ms behind) becomes PRIMARY.
	inv := p.InvokeAction("ocp_tenant_switchover", switchoverActionConfig(3000014, 2000102, 3000013, 2000101, nil))
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	task := f.Sim.Tasks()[0]
	line := lastProgress(t, inv)
	want := "evidence: switchover " + taskEvidenceText(task) + "; standby before the switch: orders_s (tenant 2000102 of cluster 3000014), log delay 120 ms, sync SCN "
	if !strings.HasPrefix(line, want) || strings.Contains(line, "\n") {
		t.Fatalf("final message:\n got %s\nwant %s<scn>", line, want)
	}
	if scn, err := strconv.ParseInt(strings.TrimPrefix(line, want), 10, 64); err != nil || scn <= 0 {
		t.Fatalf("sync SCN in %q: %v", line, err)
	}

	// A no-op invocation runs nothing and claims no evidence.
	again := p.InvokeAction("ocp_tenant_switchover", switchoverActionConfig(3000014, 2000102, 3000013, 2000101, nil))
	if len(again.ProgressMatching("evidence:")) != 0 {
		t.Fatalf("a no-op reported evidence:\n%s", strings.Join(again.Progress, "\n"))
	}
}

func TestTenantFailoverAction_evidence(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	inv := p.InvokeAction("ocp_tenant_failover", map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000133, 2000132)})
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	parts := map[int64]string{}
	for _, task := range f.Sim.Tasks() {
		parts[task.TenantID] = taskEvidenceText(task)
	}
	// In the order asked.
	want := "evidence: tenant 2000133 (batch_s2) of cluster 3000014: " + parts[2000133] + ", log delay before 200 ms; " +
		"tenant 2000132 (batch_s1) of cluster 3000014: " + parts[2000132] + ", log delay before 100 ms"
	if got := lastProgress(t, inv); got != want {
		t.Fatalf("final message:\n got %s\nwant %s", got, want)
	}
}

func TestClusterFailoverAction_evidence(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	inv := p.InvokeAction("ocp_cluster_failover", map[string]any{"cluster_id": 3000012})
	if len(inv.Diagnostics.Errors()) > 0 {
		t.Fatalf("invoke: %s", inv.Diagnostics)
	}
	want := "evidence: cluster 3000012 (OB_DC2): " + taskEvidenceText(f.Sim.Tasks()[0]) + ", replication delay before 1.5 s"
	if got := lastProgress(t, inv); got != want {
		t.Fatalf("final message:\n got %s\nwant %s", got, want)
	}
}
