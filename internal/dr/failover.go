package dr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// What tenant and cluster failovers share: their statuses, the data-loss warning, and how a wait ends.

// FailoverStatus is how the failover of one tenant (or a cluster) stands.
type FailoverStatus string

const (
	// FailoverSuccessful: the failover task succeeded and OCP reports the tenant (cluster) PRIMARY.
	FailoverSuccessful FailoverStatus = "SUCCESSFUL"
	// FailoverFailed: the failover task failed.
	FailoverFailed FailoverStatus = "FAILED"
	// FailoverRunning: the wait ended (the timeout, say) before the task did; it goes on in OCP.
	FailoverRunning FailoverStatus = "RUNNING"
	// FailoverAlreadyPrimary: it was PRIMARY already (through an earlier failover); nothing was started.
	FailoverAlreadyPrimary FailoverStatus = "ALREADY_PRIMARY"
	// FailoverNotStarted: OCP refused to start it.
	FailoverNotStarted FailoverStatus = "NOT_STARTED"
	// FailoverUnknown: the request that starts it may or may not have reached OCP, and OCP's task list
	// could not tell; a failover may be running that nobody waits for.
	FailoverUnknown FailoverStatus = "UNKNOWN"
	// FailoverUnconfirmed: the failover task succeeded, but OCP does not report the tenant (cluster)
	// PRIMARY, or its role could not be read. Not done: the next run checks it again.
	FailoverUnconfirmed FailoverStatus = "UNCONFIRMED"
)

// Done reports whether OCP confirms the failover's end: the tenant (cluster) is PRIMARY. Only then is
// it recorded as failed over; any other status is looked at again by the next run.
func (s FailoverStatus) Done() bool { return s == FailoverSuccessful || s == FailoverAlreadyPrimary }

// Ended reports whether the status is final: nothing of this failover goes on in OCP.
func (s FailoverStatus) Ended() bool {
	return s != FailoverRunning && s != FailoverUnknown
}

// FailoverStatuses lists the statuses, for documentation.
var FailoverStatuses = []FailoverStatus{FailoverSuccessful, FailoverFailed, FailoverRunning, FailoverAlreadyPrimary,
	FailoverNotStarted, FailoverUnknown, FailoverUnconfirmed}

// DataLossNote is the warning every failover plan carries.
const DataLossNote = "A failover makes a standby PRIMARY without its primary's consent: changes the primary " +
	"committed that the standby has not yet received are lost, and the old primary is left as it is (two primaries may " +
	"exist until it is dealt with). Prefer a switchover when the primary is healthy."

// statusAfterWait maps how a failover task's wait ended.
func statusAfterWait(t *ocp.Task, err error) FailoverStatus {
	var stopped *ocp.WaitInterruptedError
	switch {
	case err == nil && t != nil:
		return FailoverStatus(t.Status)
	case errors.As(err, new(*ocp.TaskFailedError)):
		return FailoverFailed
	case errors.As(err, &stopped) && stopped.Last != nil:
		return FailoverStatus(stopped.Last.Status)
	}
	return FailoverRunning
}

// waitSummary is the stable summary of a failover that did not end well.
func waitSummary(err error) string {
	switch {
	case errors.As(err, new(*ocp.TaskFailedError)):
		return "Failover task failed"
	case errors.As(err, new(*ocp.WaitInterruptedError)):
		return "Failover task still running"
	default:
		return "Error waiting for failover task"
	}
}

// startStatus is the status of a failover whose start failed with err.
func startStatus(err error) FailoverStatus {
	if errors.As(err, new(*ocp.OutcomeUnknownError)) {
		return FailoverUnknown
	}
	return FailoverNotStarted
}

// primaryAliveDetail explains OCP's OBE26019 refusal.
const primaryAliveDetail = "OCP fails over a standby only when its primary is lost: it refused because the primary tenant is " +
	"alive. A failover is the emergency path; while the primary is healthy, switch the pair over instead (no data is lost). " +
	"If the primary is in fact unusable, make OCP see it as down (stop it, or fix what OCP checks), then apply again."

// earlierFailover is the newest failover task of a tenant or cluster (opts' filter and name) that made
// it PRIMARY (see newestThatChangedRoles), or nil.
func earlierFailover(ctx context.Context, c *ocp.Client, opts ocp.TaskListOptions, roleSubtask string) (*ocp.Task, error) {
	opts.Statuses = []ocp.TaskStatus{ocp.TaskSuccessful, ocp.TaskFailed}
	tasks, err := c.ListTasks(ctx, opts)
	if err != nil {
		return nil, err
	}
	return newestThatChangedRoles(ctx, c, tasks, roleSubtask)
}

// alreadyPrimaryWarning says that apply leaves a tenant or cluster (what: "Tenant", "Cluster") alone
// because it is PRIMARY through an earlier failover (the task, when OCP lists it).
func alreadyPrimaryWarning(what, target string, earlier *ocp.Task) Problem {
	how, failed := "an earlier failover of this configuration", ""
	if earlier != nil {
		how = fmt.Sprintf("failover task %d", earlier.ID)
		if earlier.Status == ocp.TaskFailed {
			failed = fmt.Sprintf("\n\nTask %d ended FAILED after its subtask that makes the standby primary succeeded: the subtasks "+
				"after the failure did not run. Look at the task in OCP and retry it there to finish them.", earlier.ID)
		}
	}
	return Problem{Severity: Warning, Summary: what + " is already PRIMARY", Target: target,
		Detail: fmt.Sprintf("%s is already PRIMARY (through %s): apply will not fail it over again and records it as %s.%s", target, how,
			FailoverAlreadyPrimary, failed)}
}

// runningWarning says that apply waits for a failover task already running.
func runningWarning(target string, task *ocp.Task) Problem {
	return Problem{Severity: Warning, Summary: "Failover already running", Target: target, TaskID: task.ID,
		Detail: fmt.Sprintf("%s already has failover task %d running in OCP: apply will wait for task %d instead of starting another failover.",
			target, task.ID, task.ID)}
}

// timed is a wait's bounds in our clock.
type timed struct{ WaitStarted, WaitEnded time.Time }
