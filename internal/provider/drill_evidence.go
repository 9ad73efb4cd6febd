package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Drill evidence: what the audit of a DR drill asks for — when the operation ran, how long OCP's task
// took, how far behind the standby was — recorded from what the engine read anyway: the task as the
// wait last read it (with its subtasks) and the standby as read before the switch. Everything here is a
// pure mapping; no request is sent for it.
//
// Times are OCP's (startTime, finishTime), written as RFC 3339 in UTC with the precision OCP sent, so
// that duration_seconds is exactly finished_at − started_at.

// evidenceSubtaskAttrTypes is one subtask of a record.
var evidenceSubtaskAttrTypes = map[string]attr.Type{
	"id":          types.Int64Type,
	"name":        types.StringType,
	"status":      types.StringType,
	"started_at":  types.StringType,
	"finished_at": types.StringType,
}

var evidenceSubtaskType = types.ObjectType{AttrTypes: evidenceSubtaskAttrTypes}

// standbyBeforeAttrTypes is last_switchover.standby_before.
var standbyBeforeAttrTypes = map[string]attr.Type{
	"cluster_id":   types.Int64Type,
	"tenant_id":    types.Int64Type,
	"name":         types.StringType,
	"log_delay_ms": types.Int64Type,
	"sync_scn":     types.Int64Type,
}

// lastSwitchoverAttrTypes is ocp_tenant_switchover.last_switchover.
var lastSwitchoverAttrTypes = map[string]attr.Type{
	"task_id":          types.Int64Type,
	"status":           types.StringType,
	"attached":         types.BoolType,
	"started_at":       types.StringType,
	"finished_at":      types.StringType,
	"duration_seconds": types.Float64Type,
	"standby_before":   types.ObjectType{AttrTypes: standbyBeforeAttrTypes},
	"subtasks":         types.ListType{ElemType: evidenceSubtaskType},
}

// Descriptions shared by the switchover's record, the failover tasks and the cluster failover.
const (
	descEvidenceStartedAt = "When OCP started the task (its `startTime`), RFC 3339 in UTC to the millisecond (OCP's precision, " +
		"for example `2026-05-21T08:00:00.120Z`); null when OCP does not report it."
	descEvidenceFinishedAt = "When the task ended (its `finishTime`), RFC 3339 in UTC; null while it runs."
	descEvidenceDuration   = "How long the task took in seconds: exactly `finished_at` − `started_at` (the same instants, " +
		"with their fractions of a second); null while either is."
	descEvidenceSubtasks = "Every subtask of the task, in the task's DAG order (each after the subtasks it waits for), as the " +
		"provider last read them: the steps OCP took, with their own times. Empty when OCP listed none."
)

// evidenceSubtasksAttribute is the subtasks list of a record.
func evidenceSubtasksAttribute(mods ...planmodifier.List) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: descEvidenceSubtasks,
		PlanModifiers:       mods,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the subtask in OCP."},
			"name": schema.StringAttribute{Computed: true, MarkdownDescription: "The subtask's name, as OCP shows it in the task view."},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "Its status when last read: `SUCCESSFUL`, `FAILED`, " +
				"`RUNNING`, `PENDING`, `READY` or `CANCELING`."},
			"started_at":  schema.StringAttribute{Computed: true, MarkdownDescription: "When it started (RFC 3339, UTC); null if it has not."},
			"finished_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When it ended (RFC 3339, UTC); null if it has not."},
		}},
	}
}

// lastSwitchoverAttribute is ocp_tenant_switchover.last_switchover. Its plan is the state's value
// unless apply will run or wait for a switchover: ModifyPlan marks it unknown then, with task_id.
func lastSwitchoverAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "Evidence of the last switchover this resource ran or waited for, for the audit of a DR drill: " +
			"OCP's task, when it started and ended, how long it took, how far behind the standby was just before the switch, " +
			"and every subtask with its times. Written by the apply that runs (or waits for) a switchover, and kept as it is by " +
			"every other plan, apply and refresh (a refresh only completes a record whose task an interrupted apply left " +
			"`RUNNING`, or records the switchover that an apply with an `UNKNOWN` outcome turns out to have run, without " +
			"`standby_before`). Null until this resource runs or waits for a switchover: adopting a pair whose roles already hold " +
			"records none. It costs no request to OCP: it is what the apply read anyway.",
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes: map[string]schema.Attribute{
			"task_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the OCP switchover task."},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "The task's status when last read: `SUCCESSFUL`, " +
				"`FAILED`, or `RUNNING` (the apply stopped waiting; the next refresh or apply completes the record)."},
			"attached": schema.BoolAttribute{Computed: true, MarkdownDescription: "`true` when the apply waited for a switchover it " +
				"did not start (already running: started by another apply or in OCP). `standby_before` was then read while the switch " +
				"was under way, and its `sync_scn` is null. An apply that waits for the task of an earlier, interrupted one completes " +
				"that one's record instead."},
			"started_at":       schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceStartedAt},
			"finished_at":      schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceFinishedAt},
			"duration_seconds": schema.Float64Attribute{Computed: true, MarkdownDescription: descEvidenceDuration},
			"standby_before": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "The tenant that was STANDBY (and became PRIMARY), as OCP reported it just before the " +
					"switchover started: how far behind its primary it was.",
				Attributes: map[string]schema.Attribute{
					"cluster_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the OCP cluster that holds the tenant."},
					"tenant_id":  schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the tenant in OCP."},
					"name":       schema.StringAttribute{Computed: true, MarkdownDescription: "The tenant's name in OCP."},
					"log_delay_ms": schema.Int64Attribute{Computed: true, MarkdownDescription: "Its log synchronization delay behind " +
						"the primary, in milliseconds (OCP's `logSyncDelayMillis`); null when OCP does not report it."},
					"sync_scn": schema.Int64Attribute{Computed: true, MarkdownDescription: "Its synchronized SCN (OCP's `syncScn`) " +
						"in the switchover precheck run just before the switchover started; null when OCP reports none or when the " +
						"apply waited for a switchover it did not start (no precheck of that switchover was run)."},
				},
			},
			"subtasks": evidenceSubtasksAttribute(),
		},
	}
}

// failoverEvidenceAttributes are the evidence attributes of one ocp_tenant_failover.tasks element.
func failoverEvidenceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"started_at":       schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceStartedAt},
		"finished_at":      schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceFinishedAt},
		"duration_seconds": schema.Float64Attribute{Computed: true, MarkdownDescription: descEvidenceDuration},
		"log_delay_ms_before": schema.Int64Attribute{Computed: true, MarkdownDescription: "The standby's log synchronization " +
			"delay behind its primary in milliseconds (OCP's `logSyncDelayMillis`), read just before its failover: about how much " +
			"of the primary's changes the failover may have lost. Null when OCP does not report it, and for `ALREADY_PRIMARY` " +
			"(no failover ran)."},
		"subtasks": evidenceSubtasksAttribute(),
	}
}

// clusterEvidenceAttributes are the evidence attributes of ocp_cluster_failover. They keep the state's
// values in every plan (the resource is replaced to run the failover again).
func clusterEvidenceAttributes() map[string]schema.Attribute {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return map[string]schema.Attribute{
		"started_at":  schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceStartedAt, PlanModifiers: keep},
		"finished_at": schema.StringAttribute{Computed: true, MarkdownDescription: descEvidenceFinishedAt, PlanModifiers: keep},
		"duration_seconds": schema.Float64Attribute{Computed: true, MarkdownDescription: descEvidenceDuration,
			PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()}},
		"delay_seconds_before": schema.Float64Attribute{Computed: true, MarkdownDescription: "The standby cluster's replication " +
			"delay behind its primary in seconds (OCP's `delayTime`), read just before the failover: about how much of the " +
			"primary's changes the failover may have lost. Null when OCP does not report it, and for `ALREADY_PRIMARY`.",
			PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()}},
		"subtasks": evidenceSubtasksAttribute(listplanmodifier.UseStateForUnknown()),
	}
}

// millisLayout is RFC 3339 with milliseconds, OCP's precision: every instant OCP reports is written with
// three digits of fraction, so that the records of one task line up and sort as text.
const millisLayout = "2006-01-02T15:04:05.000Z07:00"

// instant writes one of OCP's instants: RFC 3339 in UTC, to the millisecond (OCP's precision), or with
// every digit of a finer fraction should OCP send one, so that nothing is rounded. Nil (not reported) is
// null.
func instant(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	u := t.UTC()
	if u.Nanosecond()%int(time.Millisecond) == 0 {
		return types.StringValue(u.Format(millisLayout))
	}
	return types.StringValue(u.Format(time.RFC3339Nano))
}

// durationSeconds is finish − start in seconds, from the instants recorded; null while either is unknown.
func durationSeconds(start, finish *time.Time) types.Float64 {
	if start == nil || finish == nil {
		return types.Float64Null()
	}
	return types.Float64Value(finish.Sub(*start).Seconds())
}

// optionalInt64 maps OCP's "not reported" (nil) onto null.
func optionalInt64(v *int64) types.Int64 {
	if v == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*v)
}

// optionalFloat64 maps OCP's "not reported" (nil) onto null.
func optionalFloat64(v *float64) types.Float64 {
	if v == nil {
		return types.Float64Null()
	}
	return types.Float64Value(*v)
}

// subtaskEvidence lists the subtasks in DAG order (OCP lists them in no useful order).
func subtaskEvidence(subtasks []ocp.Subtask) types.List {
	elems := make([]attr.Value, 0, len(subtasks))
	for _, s := range ocp.DAGOrder(subtasks) {
		elems = append(elems, types.ObjectValueMust(evidenceSubtaskAttrTypes, map[string]attr.Value{
			"id":          types.Int64Value(s.ID),
			"name":        types.StringValue(s.Name),
			"status":      types.StringValue(string(s.Status)),
			"started_at":  instant(s.StartTime),
			"finished_at": instant(s.FinishTime),
		}))
	}
	return types.ListValueMust(evidenceSubtaskType, elems)
}

// taskEvidence is what every record takes from a task: its times and subtasks. The failover models
// embed it (the framework promotes its fields). A nil task (none was started or found) gives nulls and
// no subtasks.
type taskEvidence struct {
	StartedAt       types.String  `tfsdk:"started_at"`
	FinishedAt      types.String  `tfsdk:"finished_at"`
	DurationSeconds types.Float64 `tfsdk:"duration_seconds"`
	Subtasks        types.List    `tfsdk:"subtasks"`
}

func taskEvidenceOf(t *ocp.Task) taskEvidence {
	if t == nil {
		return taskEvidence{StartedAt: types.StringNull(), FinishedAt: types.StringNull(), DurationSeconds: types.Float64Null(),
			Subtasks: types.ListValueMust(evidenceSubtaskType, nil)}
	}
	return taskEvidence{StartedAt: instant(t.StartTime), FinishedAt: instant(t.FinishTime),
		DurationSeconds: durationSeconds(t.StartTime, t.FinishTime), Subtasks: subtaskEvidence(t.Subtasks)}
}

// completedBy completes the evidence of a failover task recorded RUNNING (the wait ran out) from a
// later read of that task (a refresh's), before the status is refreshed. A record of an ended task, or
// a read of another task, leaves it as it was; a view without subtasks (a task list item) keeps the
// subtasks recorded.
func (ev taskEvidence) completedBy(status types.String, taskID types.Int64, t *ocp.Task) taskEvidence {
	if t == nil || status.ValueString() != string(dr.FailoverRunning) || taskID.IsNull() || taskID.ValueInt64() != t.ID {
		return ev
	}
	next := taskEvidenceOf(t)
	if len(t.Subtasks) == 0 {
		next.Subtasks = ev.Subtasks
	}
	return next
}

// switchoverEvidence is the record of the switchover an apply ran or waited for (out.Task, not nil).
func switchoverEvidence(out dr.SwitchoverOutcome) types.Object {
	standby := types.ObjectNull(standbyBeforeAttrTypes)
	if s, ok := out.StandbyBefore(); ok {
		standby = types.ObjectValueMust(standbyBeforeAttrTypes, map[string]attr.Value{
			"cluster_id":   types.Int64Value(s.ClusterID),
			"tenant_id":    types.Int64Value(s.ID),
			"name":         optionalString(s.Name),
			"log_delay_ms": optionalInt64(s.LogSyncDelayMillis),
			"sync_scn":     optionalInt64(out.SyncSCNBefore()),
		})
	}
	ev := taskEvidenceOf(out.Task)
	return types.ObjectValueMust(lastSwitchoverAttrTypes, map[string]attr.Value{
		"task_id":          types.Int64Value(out.Task.ID),
		"status":           types.StringValue(string(out.Task.Status)),
		"attached":         types.BoolValue(out.Attached),
		"started_at":       ev.StartedAt,
		"finished_at":      ev.FinishedAt,
		"duration_seconds": ev.DurationSeconds,
		"standby_before":   standby,
		"subtasks":         ev.Subtasks,
	})
}

// evidenceTaskID is the task id of a record, and false for a null or unknown one.
func evidenceTaskID(rec types.Object) (int64, bool) {
	if rec.IsNull() || rec.IsUnknown() {
		return 0, false
	}
	id, ok := rec.Attributes()["task_id"].(types.Int64)
	if !ok || id.IsNull() || id.IsUnknown() {
		return 0, false
	}
	return id.ValueInt64(), true
}

// completedEvidence brings a record up to date with a later read of its own task (an apply or refresh
// after an interrupted apply): status, times and subtasks change, what was read before the switch and
// attached stay. A read of another task, or a view without subtasks (a task list item), changes no more
// than it knows.
func completedEvidence(rec types.Object, t *ocp.Task) types.Object {
	id, ok := evidenceTaskID(rec)
	if !ok || t == nil || t.ID != id {
		return rec
	}
	attrs := make(map[string]attr.Value, len(lastSwitchoverAttrTypes))
	for k, v := range rec.Attributes() {
		attrs[k] = v
	}
	ev := taskEvidenceOf(t)
	attrs["status"] = types.StringValue(string(t.Status))
	attrs["started_at"], attrs["finished_at"], attrs["duration_seconds"] = ev.StartedAt, ev.FinishedAt, ev.DurationSeconds
	if len(t.Subtasks) > 0 {
		attrs["subtasks"] = ev.Subtasks
	}
	v, diags := types.ObjectValue(lastSwitchoverAttrTypes, attrs)
	if diags.HasError() {
		return rec // a record of another shape: kept as it is
	}
	return v
}

// lastSwitchoverAfter is last_switchover after an apply that ended with out, prev being the record
// before it: the same task completes the record; a switchover this apply started or waited for replaces
// it; anything else (nothing to do, nothing started) keeps it.
func lastSwitchoverAfter(prev types.Object, out dr.SwitchoverOutcome) types.Object {
	if out.Task == nil {
		return prev
	}
	if id, ok := evidenceTaskID(prev); ok && id == out.Task.ID {
		return completedEvidence(prev, out.Task)
	}
	if out.Started || out.Attached {
		return switchoverEvidence(out)
	}
	return prev
}

// The actions' final progress message carries the evidence in one line.

// secondsText writes a duration in seconds exactly as the state records it.
func secondsText(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) + " s" }

// taskEvidenceText is `task 5000000001 SUCCESSFUL, started 2026-…Z, finished 2026-…Z, took 0.021 s`.
func taskEvidenceText(t *ocp.Task) string {
	if t == nil {
		return "no task"
	}
	s := fmt.Sprintf("task %d %s, started %s, finished %s", t.ID, t.Status, instantText(t.StartTime), instantText(t.FinishTime))
	if d := durationSeconds(t.StartTime, t.FinishTime); !d.IsNull() {
		s += ", took " + secondsText(d.ValueFloat64())
	}
	return s
}

func instantText(t *time.Time) string {
	if v := instant(t); !v.IsNull() {
		return v.ValueString()
	}
	return "(not reported)"
}

// delayText words a log delay in milliseconds.
func delayText(ms *int64) string {
	if ms == nil {
		return "not reported by OCP"
	}
	return fmt.Sprintf("%d ms", *ms)
}

// switchoverEvidenceLine is the switchover action's final message, e.g.
// `evidence: switchover task 5000000001 SUCCESSFUL, started …, finished …, took 0.021 s; standby before
// the switch: ohayo_2 (tenant 2000025 of cluster 3000010), log delay 200 ms, sync SCN 1747817331313513000`.
func switchoverEvidenceLine(out dr.SwitchoverOutcome) string {
	s := "evidence: switchover " + taskEvidenceText(out.Task)
	if out.Attached {
		s += " (waited for, not started by this action)"
	}
	standby, ok := out.StandbyBefore()
	if !ok {
		return s
	}
	s += fmt.Sprintf("; standby before the switch: %s, log delay %s", dr.Label(standby), delayText(standby.LogSyncDelayMillis))
	if scn := out.SyncSCNBefore(); scn != nil {
		s += fmt.Sprintf(", sync SCN %d", *scn)
	}
	return s
}

// tenantFailoverEvidenceLine is the tenant failover action's final message: one part per tenant whose
// failover ran (or was waited for), e.g. `evidence: tenant 2000132 (batch_s1) of cluster 3000014: task
// 5000000002 SUCCESSFUL, started …, finished …, took 0.01 s, log delay before 100 ms; tenant 2000133 …`.
// Empty when no failover ran.
func tenantFailoverEvidenceLine(clusterID int64, outs []dr.TenantOutcome) string {
	var parts []string
	for _, o := range outs {
		if o.Task == nil || o.Status == dr.FailoverAlreadyPrimary {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s, log delay before %s", dr.TenantTarget(clusterID, o.TenantID, o.Name),
			taskEvidenceText(o.Task), delayText(o.DelayMillisBefore)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "evidence: " + strings.Join(parts, "; ")
}

// clusterFailoverEvidenceLine is the cluster failover action's final message, e.g. `evidence: cluster
// 3000012 (OB_DC2): task 5000000004 SUCCESSFUL, started …, finished …, took 0.018 s, replication delay
// before 1.5 s`. Empty when no failover ran.
func clusterFailoverEvidenceLine(target string, out dr.ClusterOutcome) string {
	if out.Task == nil || out.Status == dr.FailoverAlreadyPrimary {
		return ""
	}
	delay := "not reported by OCP"
	if out.DelaySecondsBefore != nil {
		delay = secondsText(*out.DelaySecondsBefore)
	}
	return fmt.Sprintf("evidence: %s: %s, replication delay before %s", target, taskEvidenceText(out.Task), delay)
}

// withFailoverEvidence records a tenant failover's evidence in its tasks element: the task's times and
// subtasks, and the standby's log delay read before the failover.
func withFailoverEvidence(m failoverTaskModel, t *ocp.Task, delayBefore *int64) failoverTaskModel {
	m.taskEvidence = taskEvidenceOf(t)
	m.LogDelayMsBefore = optionalInt64(delayBefore)
	return m
}

// withClusterEvidence records a cluster failover's evidence: the task's times and subtasks, and the
// cluster's replication delay read before the failover.
func withClusterEvidence(m clusterFailoverResourceModel, out dr.ClusterOutcome) clusterFailoverResourceModel {
	m.taskEvidence = taskEvidenceOf(out.Task)
	m.DelaySecondsBefore = optionalFloat64(out.DelaySecondsBefore)
	return m
}
