package provider

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// What an operation reports while it runs (dr.Reporter): resources log it (visible with TF_LOG=INFO, or
// TF_LOG_PROVIDER=INFO for the provider's lines alone); actions send it to Terraform's UI. Both word it
// the same way.

var (
	_ dr.Reporter = logReporter{}
	_ dr.Reporter = actionReporter{}
)

// progressMessage words one subtask transition, e.g.
// `task 5000000001 "Switchover ob tenant for network mode": [3/10] "Switch primary tenant to standby" RUNNING`,
// where [3/10] is the subtask's place in the task's DAG.
func progressMessage(ev ocp.ProgressEvent) string {
	return fmt.Sprintf("task %d %q: [%d/%d] %q %s", ev.TaskID, ev.TaskName, ev.Position, ev.Total, ev.Subtask.Name, ev.Subtask.Status)
}

// unreachableMessage words an outage report, e.g. `OCP unreachable since 10:04:05 UTC (12 failed reads)
// while waiting for task 5000000001; still waiting: ...`.
func unreachableMessage(u ocp.Unreachable) string {
	since := u.Since.UTC().Format("15:04:05 UTC")
	if u.Recovered {
		return fmt.Sprintf("OCP answers again (unreachable since %s, %d failed reads); waiting for task %d", since, u.Failures, u.TaskID)
	}
	return fmt.Sprintf("OCP unreachable since %s (%d failed reads) while waiting for task %d; still waiting until the timeout: %v",
		since, u.Failures, u.TaskID, u.Err)
}

// logReporter logs with tflog. Ids are logged as strings: Terraform's log reader turns JSON numbers
// into floats, and 5000000003 would read 5.000000003e+09.
type logReporter struct{ ctx context.Context }

func (r logReporter) Say(m string) { tflog.Info(r.ctx, m) }

func (r logReporter) Progress(ev ocp.ProgressEvent) {
	tflog.Info(r.ctx, progressMessage(ev), map[string]any{
		"task_id":        strconv.FormatInt(ev.TaskID, 10),
		"subtask_id":     strconv.FormatInt(ev.Subtask.ID, 10),
		"subtask_status": string(ev.Subtask.Status),
	})
}

func (r logReporter) Unreachable(u ocp.Unreachable) {
	fields := map[string]any{"task_id": strconv.FormatInt(u.TaskID, 10), "since": u.Since.UTC().Format(time.RFC3339),
		"failures": strconv.Itoa(u.Failures)}
	if u.Recovered {
		tflog.Info(r.ctx, unreachableMessage(u), fields)
		return
	}
	tflog.Warn(r.ctx, unreachableMessage(u), fields)
}

// actionReporter sends progress events to Terraform's UI. SendProgress is nil when Invoke is called
// outside the framework (unit tests), so it is checked.
type actionReporter struct{ resp *action.InvokeResponse }

func (r actionReporter) Say(m string) {
	if r.resp.SendProgress != nil {
		r.resp.SendProgress(action.InvokeProgressEvent{Message: m})
	}
}

func (r actionReporter) Progress(ev ocp.ProgressEvent) { r.Say(progressMessage(ev)) }

func (r actionReporter) Unreachable(u ocp.Unreachable) { r.Say(unreachableMessage(u)) }
