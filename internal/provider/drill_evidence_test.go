package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The pure mapping of the drill evidence: OCP's task and what was read before the switch, to state.

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// evidenceTask is a switchover task as OCP lists it: subtasks in no useful order (a chain 3 → 1 → 2,
// listed 1, 2, 3), times in OCP's zone, the last subtask still running.
func evidenceTask() *ocp.Task {
	return &ocp.Task{ID: 5000000001, Name: ocp.TaskNameSwitchover, TenantID: 2000022, Status: ocp.TaskRunning,
		StartTime: at("2026-05-21T16:00:00.120+08:00"),
		Subtasks: []ocp.Subtask{
			{ID: 11, Name: "Switch primary tenant to standby", Status: ocp.SubtaskSuccessful, Upstreams: []int64{13},
				StartTime: at("2026-05-21T16:00:01.5+08:00"), FinishTime: at("2026-05-21T16:00:09.999+08:00")},
			{ID: 12, Name: "Reset switchover tenant info", Status: ocp.SubtaskRunning, Upstreams: []int64{11},
				StartTime: at("2026-05-21T16:00:10+08:00")},
			{ID: 13, Name: "Prepare switchover tenant", Status: ocp.SubtaskSuccessful,
				StartTime: at("2026-05-21T16:00:00.121+08:00"), FinishTime: at("2026-05-21T16:00:01.5+08:00")},
		}}
}

func finished(t *ocp.Task) *ocp.Task {
	c := *t
	c.Subtasks = append([]ocp.Subtask(nil), t.Subtasks...)
	c.Status, c.FinishTime = ocp.TaskSuccessful, at("2026-05-21T16:00:21.456+08:00")
	c.Subtasks[1].Status, c.Subtasks[1].FinishTime = ocp.SubtaskSuccessful, at("2026-05-21T16:00:21.4+08:00")
	return &c
}

// evidenceOutcome is a switchover of ohayo_1 (PRIMARY) to ohayo_2 (STANDBY, delay) with a precheck.
func evidenceOutcome(task *ocp.Task, delay *int64) dr.SwitchoverOutcome {
	standby := ohayo2
	standby.LogSyncDelayMillis = delay
	return dr.SwitchoverOutcome{
		Before:   dr.Pair{Primary: standby, Standby: ohayo1},
		Precheck: &ocp.PrecheckResult{Valid: true, StandbyCheckResults: []ocp.StandbyPrecheckResult{{TenantID: 2000025, SyncSCN: 1747817331313513000}}},
		Task:     task, Started: true,
	}
}

// evidenceFixture is a complete record, for the model's conversion tests.
func evidenceFixture() types.Object {
	delay := int64(200)
	return switchoverEvidence(evidenceOutcome(finished(evidenceTask()), &delay))
}

func attrOf[T attr.Value](t *testing.T, obj types.Object, name string) T {
	t.Helper()
	v, ok := obj.Attributes()[name].(T)
	if !ok {
		t.Fatalf("%s: %T, not the type wanted", name, obj.Attributes()[name])
	}
	return v
}

func subtaskNames(t *testing.T, l types.List) []string {
	t.Helper()
	var names []string
	for _, e := range l.Elements() {
		names = append(names, attrOf[types.String](t, e.(types.Object), "name").ValueString())
	}
	return names
}

func TestInstantAndDuration(t *testing.T) {
	start, end := at("2026-05-21T16:00:00.120+08:00"), at("2026-05-21T08:00:21.456Z")
	if got := instant(start).ValueString(); got != "2026-05-21T08:00:00.120Z" {
		t.Errorf("instant = %s: want UTC with OCP's milliseconds", got)
	}
	if got := instant(at("2026-05-21T16:00:00.123456789+08:00")).ValueString(); got != "2026-05-21T08:00:00.123456789Z" {
		t.Errorf("a finer fraction is kept whole: %s", got)
	}
	if got := instant(at("2026-05-21T16:00:00+08:00")).ValueString(); got != "2026-05-21T08:00:00.000Z" {
		t.Errorf("instant of a whole second = %s", got)
	}
	if !instant(nil).IsNull() || !durationSeconds(start, nil).IsNull() || !durationSeconds(nil, end).IsNull() {
		t.Error("a time OCP did not report must be null")
	}
	if got := durationSeconds(start, end).ValueFloat64(); got != 21.336 {
		t.Errorf("duration = %v, want 21.336", got)
	}
	// Exactly finish − start, from the instants as written to the state.
	s, _ := time.Parse(time.RFC3339Nano, instant(start).ValueString())
	e, _ := time.Parse(time.RFC3339Nano, instant(end).ValueString())
	if e.Sub(s).Seconds() != durationSeconds(start, end).ValueFloat64() {
		t.Error("duration_seconds differs from finished_at − started_at")
	}
}

// Subtasks come in DAG order whatever OCP's listing order; one not finished has a null finished_at.
func TestSubtaskEvidence(t *testing.T) {
	l := subtaskEvidence(evidenceTask().Subtasks)
	if got := strings.Join(subtaskNames(t, l), " → "); got != "Prepare switchover tenant → Switch primary tenant to standby → Reset switchover tenant info" {
		t.Fatalf("order: %s", got)
	}
	last := l.Elements()[2].(types.Object)
	if attrOf[types.Int64](t, last, "id").ValueInt64() != 12 || attrOf[types.String](t, last, "status").ValueString() != "RUNNING" ||
		attrOf[types.String](t, last, "started_at").ValueString() != "2026-05-21T08:00:10.000Z" || !attrOf[types.String](t, last, "finished_at").IsNull() {
		t.Fatalf("running subtask: %s", last)
	}
	if empty := subtaskEvidence(nil); empty.IsNull() || len(empty.Elements()) != 0 {
		t.Fatalf("no subtasks: %s, want an empty list", empty)
	}
}

func TestSwitchoverEvidence(t *testing.T) {
	delay := int64(200)
	rec := switchoverEvidence(evidenceOutcome(finished(evidenceTask()), &delay))
	if attrOf[types.Int64](t, rec, "task_id").ValueInt64() != 5000000001 || attrOf[types.String](t, rec, "status").ValueString() != "SUCCESSFUL" ||
		attrOf[types.Bool](t, rec, "attached").ValueBool() {
		t.Fatalf("record: %s", rec)
	}
	if attrOf[types.String](t, rec, "started_at").ValueString() != "2026-05-21T08:00:00.120Z" ||
		attrOf[types.String](t, rec, "finished_at").ValueString() != "2026-05-21T08:00:21.456Z" ||
		attrOf[types.Float64](t, rec, "duration_seconds").ValueFloat64() != 21.336 {
		t.Fatalf("times: %s", rec)
	}
	sb := attrOf[types.Object](t, rec, "standby_before")
	if attrOf[types.Int64](t, sb, "tenant_id").ValueInt64() != 2000025 || attrOf[types.Int64](t, sb, "cluster_id").ValueInt64() != 3000010 ||
		attrOf[types.String](t, sb, "name").ValueString() != "ohayo_2" || attrOf[types.Int64](t, sb, "log_delay_ms").ValueInt64() != 200 ||
		attrOf[types.Int64](t, sb, "sync_scn").ValueInt64() != 1747817331313513000 {
		t.Fatalf("standby before: %s", sb)
	}
	if n := len(attrOf[types.List](t, rec, "subtasks").Elements()); n != 3 {
		t.Fatalf("%d subtasks", n)
	}

	// OCP reports no delay, the task is still running, and the apply attached: nulls, never guesses.
	out := evidenceOutcome(evidenceTask(), nil)
	out.Started, out.Attached = false, true
	rec = switchoverEvidence(out)
	sb = attrOf[types.Object](t, rec, "standby_before")
	if !attrOf[types.Int64](t, sb, "log_delay_ms").IsNull() || !attrOf[types.Int64](t, sb, "sync_scn").IsNull() ||
		!attrOf[types.Bool](t, rec, "attached").ValueBool() {
		t.Fatalf("attached, no delay: %s", rec)
	}
	if !attrOf[types.String](t, rec, "finished_at").IsNull() || !attrOf[types.Float64](t, rec, "duration_seconds").IsNull() ||
		attrOf[types.String](t, rec, "status").ValueString() != "RUNNING" {
		t.Fatalf("running: %s", rec)
	}
	// The tenants could not be read before: no standby, the task is still recorded.
	rec = switchoverEvidence(dr.SwitchoverOutcome{Task: evidenceTask(), Started: true})
	if !attrOf[types.Object](t, rec, "standby_before").IsNull() || attrOf[types.Int64](t, rec, "task_id").ValueInt64() != 5000000001 {
		t.Fatalf("no pair read: %s", rec)
	}
}

// The record changes only when a switchover ran, or to complete the record of its own task.
func TestLastSwitchoverAfter(t *testing.T) {
	delay := int64(200)
	running := switchoverEvidence(evidenceOutcome(evidenceTask(), &delay))
	none := types.ObjectNull(lastSwitchoverAttrTypes)

	// Nothing to do (roles hold), with or without the pair's last task to record: kept.
	kept := evidenceOutcome(finished(evidenceTask()), nil)
	kept.Started = false
	if got := lastSwitchoverAfter(none, kept); !got.IsNull() {
		t.Fatalf("a task found, not run, made a record: %s", got)
	}
	if got := lastSwitchoverAfter(running, dr.SwitchoverOutcome{}); !got.Equal(running) {
		t.Fatalf("no task changed the record: %s", got)
	}
	other := *finished(evidenceTask())
	other.ID = 5000000009
	if got := lastSwitchoverAfter(running, dr.SwitchoverOutcome{Task: &other}); !got.Equal(running) {
		t.Fatalf("another task, not run, changed the record: %s", got)
	}

	// The same task, read again (an apply after an interrupted one attaches to it): completed, and what
	// was read before the switch stays — also against a later read of the standby and no precheck.
	again := evidenceOutcome(finished(evidenceTask()), nil)
	again.Started, again.Attached, again.Precheck = false, true, nil
	got := lastSwitchoverAfter(running, again)
	if attrOf[types.String](t, got, "status").ValueString() != "SUCCESSFUL" || attrOf[types.Float64](t, got, "duration_seconds").ValueFloat64() != 21.336 ||
		!attrOf[types.Object](t, got, "standby_before").Equal(attrOf[types.Object](t, running, "standby_before")) || attrOf[types.Bool](t, got, "attached").ValueBool() {
		t.Fatalf("completed record: %s", got)
	}
	if l := attrOf[types.List](t, got, "subtasks").Elements(); attrOf[types.String](t, l[2].(types.Object), "finished_at").ValueString() != "2026-05-21T08:00:21.400Z" {
		t.Fatalf("subtasks not completed: %s", got)
	}

	// A new switchover replaces the record (switching back).
	back := other
	back.TenantID = 2000025
	out := dr.SwitchoverOutcome{Before: dr.Pair{Primary: ohayo1, Standby: with(ohayo2, ocp.RolePrimary, ocp.TenantNormal)}, Task: &back, Started: true}
	got = lastSwitchoverAfter(running, out)
	if attrOf[types.Int64](t, got, "task_id").ValueInt64() != 5000000009 ||
		attrOf[types.Int64](t, attrOf[types.Object](t, got, "standby_before"), "tenant_id").ValueInt64() != 2000022 {
		t.Fatalf("new switchover: %s", got)
	}
}

// A later view without subtasks (a task list item) completes the times and keeps the subtasks.
func TestCompletedEvidenceWithoutSubtasks(t *testing.T) {
	rec := switchoverEvidence(evidenceOutcome(evidenceTask(), nil))
	item := *finished(evidenceTask())
	item.Subtasks = nil
	got := completedEvidence(rec, &item)
	if attrOf[types.String](t, got, "status").ValueString() != "SUCCESSFUL" || len(attrOf[types.List](t, got, "subtasks").Elements()) != 3 {
		t.Fatalf("%s", got)
	}
	if got := completedEvidence(types.ObjectNull(lastSwitchoverAttrTypes), &item); !got.IsNull() {
		t.Fatalf("no record to complete: %s", got)
	}
}

func TestEvidenceLines(t *testing.T) {
	delay := int64(200)
	line := switchoverEvidenceLine(evidenceOutcome(finished(evidenceTask()), &delay))
	want := "evidence: switchover task 5000000001 SUCCESSFUL, started 2026-05-21T08:00:00.120Z, finished 2026-05-21T08:00:21.456Z, " +
		"took 21.336 s; standby before the switch: ohayo_2 (tenant 2000025 of cluster 3000010), log delay 200 ms, sync SCN 1747817331313513000"
	if line != want {
		t.Errorf("switchover line:\n got %s\nwant %s", line, want)
	}
	out := evidenceOutcome(evidenceTask(), nil)
	out.Started, out.Attached = false, true
	line = switchoverEvidenceLine(out)
	for _, w := range []string{"RUNNING", "finished (not reported)", "waited for, not started by this action", "log delay not reported by OCP"} {
		if !strings.Contains(line, w) || strings.Contains(line, "took") || strings.Contains(line, "SCN") {
			t.Errorf("running, attached line lacks %q (or says more): %s", w, line)
		}
	}

	ft := finished(evidenceTask())
	d1 := int64(100)
	line = tenantFailoverEvidenceLine(3000014, []dr.TenantOutcome{
		{TenantID: 2000132, Name: "batch_s1", Status: dr.FailoverSuccessful, Task: ft, DelayMillisBefore: &d1},
		{TenantID: 2000133, Name: "batch_s2", Status: dr.FailoverAlreadyPrimary, Task: ft},
		{TenantID: 2000134, Name: "batch_s3", Status: dr.FailoverNotStarted},
	})
	want = "evidence: tenant 2000132 (batch_s1) of cluster 3000014: task 5000000001 SUCCESSFUL, started 2026-05-21T08:00:00.120Z, " +
		"finished 2026-05-21T08:00:21.456Z, took 21.336 s, log delay before 100 ms"
	if line != want {
		t.Errorf("tenant failover line:\n got %s\nwant %s", line, want)
	}
	if line := tenantFailoverEvidenceLine(3000014, []dr.TenantOutcome{{Status: dr.FailoverAlreadyPrimary, Task: ft}}); line != "" {
		t.Errorf("nothing ran: %q", line)
	}
	delaySec := 1.5
	line = clusterFailoverEvidenceLine("cluster 3000012 (OB_DC2)", dr.ClusterOutcome{Status: dr.FailoverSuccessful, Task: ft, DelaySecondsBefore: &delaySec})
	if !strings.HasPrefix(line, "evidence: cluster 3000012 (OB_DC2): task 5000000001 SUCCESSFUL") || !strings.HasSuffix(line, "took 21.336 s, replication delay before 1.5 s") {
		t.Errorf("cluster failover line: %s", line)
	}
}

// A failover's evidence: the task's times and subtasks, the delay read before; nulls where nothing is
// known; completed from a later read only while the record says RUNNING.
func TestFailoverEvidence(t *testing.T) {
	d := int64(100)
	running := evidenceTask()
	m := failoverTaskModelFrom(dr.TenantOutcome{TenantID: 2000132, Status: dr.FailoverRunning, Task: running, DelayMillisBefore: &d})
	if m.StartedAt.ValueString() != "2026-05-21T08:00:00.120Z" || !m.FinishedAt.IsNull() || !m.DurationSeconds.IsNull() ||
		m.LogDelayMsBefore.ValueInt64() != 100 || len(m.Subtasks.Elements()) != 3 {
		t.Fatalf("running: %+v", m)
	}
	done := m
	done.taskEvidence = m.completedBy(m.Status, m.TaskID, finished(running))
	if done.FinishedAt.ValueString() != "2026-05-21T08:00:21.456Z" || done.DurationSeconds.ValueFloat64() != 21.336 || done.LogDelayMsBefore != m.LogDelayMsBefore {
		t.Fatalf("completed: %+v", done)
	}
	// A record of an ended task is not rewritten by a refresh (a retry in OCP, say).
	ended := done
	ended.Status = types.StringValue("SUCCESSFUL")
	later := *finished(running)
	later.FinishTime = at("2026-05-22T00:00:00Z")
	if got := ended.completedBy(ended.Status, ended.TaskID, &later); got.FinishedAt != ended.FinishedAt {
		t.Fatalf("an ended record was rewritten: %+v", got)
	}
	// A task list item (no subtasks) completes the times and keeps the subtasks recorded.
	item := *finished(running)
	item.Subtasks = nil
	if got := m.completedBy(m.Status, m.TaskID, &item); got.FinishedAt.IsNull() || len(got.Subtasks.Elements()) != 3 {
		t.Fatalf("completed from a list item: %+v", got)
	}
	// A read of another task changes nothing.
	other := *finished(running)
	other.ID++
	if got := m.completedBy(m.Status, m.TaskID, &other); !got.FinishedAt.IsNull() {
		t.Fatalf("completed from another task: %+v", got)
	}

	none := failoverTaskModelFrom(dr.TenantOutcome{TenantID: 2000133, Status: dr.FailoverNotStarted})
	if !none.StartedAt.IsNull() || !none.FinishedAt.IsNull() || !none.DurationSeconds.IsNull() || !none.LogDelayMsBefore.IsNull() ||
		none.Subtasks.IsNull() || len(none.Subtasks.Elements()) != 0 {
		t.Fatalf("no task: %+v", none)
	}

	sec := 1.5
	c := withClusterEvidence(clusterFailoverResourceModel{TaskID: types.Int64Value(running.ID), Status: types.StringValue("RUNNING")},
		dr.ClusterOutcome{Task: running, DelaySecondsBefore: &sec})
	if c.DelaySecondsBefore.ValueFloat64() != 1.5 || !c.FinishedAt.IsNull() {
		t.Fatalf("cluster: %+v", c)
	}
	if c.taskEvidence = c.completedBy(c.Status, c.TaskID, finished(running)); c.DurationSeconds.ValueFloat64() != 21.336 {
		t.Fatalf("cluster completed: %+v", c)
	}
	if c := withClusterEvidence(clusterFailoverResourceModel{}, dr.ClusterOutcome{Status: dr.FailoverUnknown}); !c.DelaySecondsBefore.IsNull() || !c.StartedAt.IsNull() {
		t.Fatalf("cluster, no task: %+v", c)
	}
}
