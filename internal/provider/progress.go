package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Progress of a task flows back from the client's waiter as one event per subtask transition. Resources
// log it (visible with TF_LOG=INFO); actions send it to Terraform's UI. Both word it the same way.

// progressMessage words one subtask transition, e.g.
// `task 5000000001 "Switchover ob tenant for network mode": [3/10] "Switch primary tenant to standby" RUNNING`.
func progressMessage(ev ocp.ProgressEvent) string {
	return fmt.Sprintf("task %d %q: [%d/%d] %q %s", ev.TaskID, ev.TaskName, ev.Position, ev.Total, ev.Subtask.Name, ev.Subtask.Status)
}

// logProgress returns a waiter callback that logs each transition with tflog.
func logProgress(ctx context.Context) func(ocp.ProgressEvent) {
	return func(ev ocp.ProgressEvent) {
		tflog.Info(ctx, progressMessage(ev), map[string]any{
			"task_id":        ev.TaskID,
			"subtask_id":     ev.Subtask.ID,
			"subtask_status": string(ev.Subtask.Status),
		})
	}
}

// sendProgress returns a waiter callback that sends each transition as an action progress event.
// SendProgress is nil when Invoke is called outside the framework (unit tests), so it is checked.
func sendProgress(resp *action.InvokeResponse) func(ocp.ProgressEvent) {
	return func(ev ocp.ProgressEvent) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: progressMessage(ev)})
		}
	}
}
