package dr

import (
	"context"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The standby before the switch is the tenant the task did not start from, whatever order the caller
// named the pair in; without a task the roles read before decide.
func TestStandbyBefore(t *testing.T) {
	delay := int64(200)
	p := ocp.Tenant{ID: 1, ClusterID: 10, Role: ocp.RolePrimary, Status: ocp.TenantNormal}
	s := ocp.Tenant{ID: 2, ClusterID: 20, Role: ocp.RoleStandby, Status: ocp.TenantNormal, LogSyncDelayMillis: &delay}
	cases := []struct {
		name string
		out  SwitchoverOutcome
		want int64
		ok   bool
	}{
		{"not read", SwitchoverOutcome{}, 0, false},
		{"swapped, no task: the current standby", SwitchoverOutcome{Before: Pair{Primary: s, Standby: p}}, 2, true},
		{"task from the declared standby", SwitchoverOutcome{Before: Pair{Primary: s, Standby: p}, Task: &ocp.Task{TenantID: 1}}, 2, true},
		// Attached mid-switch: the roles read may be anything, the task says who was primary.
		{"task names the primary, roles mid-switch", SwitchoverOutcome{Before: Pair{Primary: with(s, ocp.RoleStandby, ocp.TenantModifying), Standby: with(p, ocp.RoleStandby, ocp.TenantModifying)},
			Task: &ocp.Task{TenantID: 1}}, 2, true},
		{"task names neither", SwitchoverOutcome{Before: Pair{Primary: s, Standby: p}, Task: &ocp.Task{TenantID: 99}}, 2, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.out.StandbyBefore()
			if ok != tc.ok || got.ID != tc.want {
				t.Fatalf("StandbyBefore = %d, %v; want %d, %v", got.ID, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestSyncSCNBefore(t *testing.T) {
	p := ocp.Tenant{ID: 1, Role: ocp.RolePrimary}
	s := ocp.Tenant{ID: 2, Role: ocp.RoleStandby}
	pre := &ocp.PrecheckResult{StandbyCheckResults: []ocp.StandbyPrecheckResult{{TenantID: 3, SyncSCN: 5}, {TenantID: 2, SyncSCN: 42}}}
	out := SwitchoverOutcome{Before: Pair{Primary: s, Standby: p}, Precheck: pre, Started: true}
	if got := out.SyncSCNBefore(); got == nil || *got != 42 {
		t.Fatalf("SyncSCNBefore = %v, want 42 (the standby's, not another's)", got)
	}
	attached := out
	attached.Started, attached.Attached = false, true
	if got := attached.SyncSCNBefore(); got != nil {
		t.Fatalf("attached: %d, want nil (that precheck is not of the switchover waited for)", *got)
	}
	none := out
	none.Precheck = &ocp.PrecheckResult{StandbyCheckResults: []ocp.StandbyPrecheckResult{{TenantID: 2}}}
	if got := none.SyncSCNBefore(); got != nil {
		t.Fatalf("no SCN reported: %d, want nil", *got)
	}
	if got := (SwitchoverOutcome{Before: out.Before}).SyncSCNBefore(); got != nil {
		t.Fatalf("no precheck: %d", *got)
	}
}

// Against the simulator: the evidence is what RunSwitchover read before the switch, and the task the
// wait read last carries every subtask with its times.
func TestSwitchoverEvidence(t *testing.T) {
	sim, c := newSimClient(t)
	out, ps := RunSwitchover(context.Background(), c, SwitchoverRequest{Primary: refOhayo2, Standby: refOhayo1, AllowWarnings: true}, SwitchoverRun{})
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	standby, ok := out.StandbyBefore()
	if !ok || standby.ID != refOhayo2.TenantID || standby.LogSyncDelayMillis == nil || *standby.LogSyncDelayMillis != 200 {
		t.Fatalf("standby before: %+v (%v)", standby, ok)
	}
	if scn := out.SyncSCNBefore(); scn == nil || *scn <= 0 {
		t.Fatalf("sync SCN before: %v", scn)
	}
	task := out.Task
	if task.StartTime == nil || task.FinishTime == nil || len(task.Subtasks) != 10 {
		t.Fatalf("task: start %v, finish %v, %d subtasks", task.StartTime, task.FinishTime, len(task.Subtasks))
	}
	for _, st := range task.Subtasks {
		if st.StartTime == nil || st.FinishTime == nil || st.StartTime.Before(*task.StartTime) || st.FinishTime.After(*task.FinishTime) {
			t.Errorf("subtask %q: %v – %v, task %v – %v", st.Name, st.StartTime, st.FinishTime, task.StartTime, task.FinishTime)
		}
	}
	if n := sim.Counters().Switchovers; n != 1 {
		t.Fatalf("%d switchovers", n)
	}
}

func TestClusterFailoverDelayBefore(t *testing.T) {
	ctx := context.Background()
	_, c := newSimClient(t)
	check, ps := CheckClusterFailover(ctx, c, ClusterFailoverRequest{ClusterID: 3000012})
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	out, ps := RunClusterFailover(ctx, c, check, nil)
	if ps.HasError() || out.DelaySecondsBefore == nil || *out.DelaySecondsBefore != 1.5 {
		t.Fatalf("delay before %v\n%s", out.DelaySecondsBefore, summaries(ps))
	}
	if out.Task == nil || out.Task.FinishTime == nil || len(out.Task.Subtasks) != 9 {
		t.Fatalf("task: %+v", out.Task)
	}
	// Failed over already: no failover ran, so no delay "before" it.
	check, ps = CheckClusterFailover(ctx, c, ClusterFailoverRequest{ClusterID: 3000012, FailedOverBefore: true})
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	again, _ := RunClusterFailover(ctx, c, check, nil)
	if again.Status != FailoverAlreadyPrimary || again.DelaySecondsBefore != nil {
		t.Fatalf("already primary: %+v", again)
	}
}

func TestTenantFailoverDelayBefore(t *testing.T) {
	ctx := context.Background()
	_, c := newSimClient(t)
	req := TenantFailoverRequest{ClusterID: 3000014, Tenants: []FailoverTenant{{TenantID: 2000132}}}
	checks, ps := CheckTenantFailover(ctx, c, req)
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	outs, ps := RunTenantFailover(ctx, c, req, checks, nil)
	if ps.HasError() || outs[0].DelayMillisBefore == nil || *outs[0].DelayMillisBefore != 100 || outs[0].Task.FinishTime == nil || len(outs[0].Task.Subtasks) != 5 {
		t.Fatalf("%+v\n%s", outs, summaries(ps))
	}
	checks, ps = CheckTenantFailover(ctx, c, req)
	if ps.HasError() {
		t.Fatal(summaries(ps))
	}
	outs, _ = RunTenantFailover(ctx, c, req, checks, nil)
	if outs[0].Status != FailoverAlreadyPrimary || outs[0].DelayMillisBefore != nil {
		t.Fatalf("already primary: %+v", outs[0])
	}
}
