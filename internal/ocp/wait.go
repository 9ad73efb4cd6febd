package ocp

import (
	"context"
	"time"
)

var _ taskWatcher = (*subscription)(nil)

// ProgressEvent reports one subtask status change seen while waiting for a task.
type ProgressEvent struct {
	TaskID   int64
	TaskName string
	// Subtask is the subtask whose status changed; its new status is Subtask.Status.
	Subtask Subtask
	// From is the previous status, "" when the subtask is first seen.
	From SubtaskStatus
	// Done counts the subtasks SUCCESSFUL so far; Total counts all subtasks.
	Done, Total int
}

// WaitForTask waits until the task ends. Concurrent waits of one Client share one poller, which
// checks all their tasks with one task-list request per tick and reads a task's detail when it ends;
// the schedule adapts to each task's predicted end around the PollInterval (see poller.go). It returns the task when SUCCESSFUL, a
// *TaskFailedError when FAILED, and a *WaitInterruptedError (wrapping ctx.Err()) when ctx ends first;
// the task goes on in OCP either way. onProgress, if not nil, is called for every subtask status
// change, in the order the subtasks are listed. Unknown task statuses are logged and waited out.
// Transient read failures are retried by the transport; other errors, such as a 404, are returned.
func (c *Client) WaitForTask(ctx context.Context, taskID int64, onProgress func(ProgressEvent)) (*Task, error) {
	w := c.watch(taskID)
	defer w.stop()

	var (
		last    *Task
		seen    = map[int64]SubtaskStatus{}
		warned  = map[TaskStatus]bool{}
		polling = time.Now()
	)
	for {
		t, err := w.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, &WaitInterruptedError{TaskID: taskID, Last: last, Err: ctx.Err()}
			}
			return nil, err
		}
		last = t
		reportProgress(t, seen, onProgress)
		switch t.Status {
		case TaskSuccessful:
			c.logger.Debug("OCP task succeeded", "task_id", taskID, "waited", time.Since(polling))
			return t, nil
		case TaskFailed:
			return nil, &TaskFailedError{Task: t, Failed: t.FailedSubtasks()}
		case TaskRunning:
		default:
			if !warned[t.Status] {
				warned[t.Status] = true
				c.logger.Warn("OCP task has an unknown status; waiting as if it were running",
					"task_id", taskID, "status", string(t.Status))
			}
		}
	}
}

// reportProgress sends one event per subtask whose status differs from the last poll, and records the
// statuses for the next comparison.
func reportProgress(t *Task, seen map[int64]SubtaskStatus, onProgress func(ProgressEvent)) {
	// Done counts up event by event, so a snapshot that finished several subtasks reads 3/10, 4/10, 5/10.
	done := 0
	for _, s := range t.Subtasks {
		if s.Status == SubtaskSuccessful && seen[s.ID] == SubtaskSuccessful {
			done++
		}
	}
	for _, s := range dagOrder(t.Subtasks) {
		from, ok := seen[s.ID]
		if ok && from == s.Status {
			continue
		}
		seen[s.ID] = s.Status
		if s.Status == SubtaskSuccessful {
			done++
		}
		if onProgress != nil {
			onProgress(ProgressEvent{TaskID: t.ID, TaskName: t.Name, Subtask: s, From: from,
				Done: done, Total: len(t.Subtasks)})
		}
	}
}

// dagOrder returns the subtasks in an order that respects their DAG (every subtask after its upstreams),
// keeping OCP's listing order among subtasks that are ready together. OCP lists subtasks in no useful
// order, so progress read in listing order would report a step before the one it waited for. Upstreams
// that are not listed are ignored, and a cycle (which OCP should never send) keeps the listing order.
func dagOrder(subtasks []Subtask) []Subtask {
	index := make(map[int64]int, len(subtasks))
	for i, s := range subtasks {
		index[s.ID] = i
	}
	pending := make([]int, len(subtasks)) // listed upstreams not yet placed
	children := make(map[int64][]int, len(subtasks))
	for i, s := range subtasks {
		for _, up := range s.Upstreams {
			if _, ok := index[up]; ok {
				pending[i]++
				children[up] = append(children[up], i)
			}
		}
	}
	out := make([]Subtask, 0, len(subtasks))
	placed := make([]bool, len(subtasks))
	for len(out) < len(subtasks) {
		progressed := false
		for i, s := range subtasks {
			if placed[i] || pending[i] > 0 {
				continue
			}
			placed[i], progressed = true, true
			out = append(out, s)
			for _, j := range children[s.ID] {
				pending[j]--
			}
		}
		if !progressed { // a cycle: the rest in listing order
			for i, s := range subtasks {
				if !placed[i] {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// taskWatcher delivers successive observations of one task. It is the seam between WaitForTask and
// the way tasks are polled: the client's one shared poller (poller.go) fans its ticks out to all waits.
type taskWatcher interface {
	// next blocks until the next observation is due, then returns it, or ctx's error.
	next(ctx context.Context) (*Task, error)
	// stop releases the watcher's resources.
	stop()
}

// watch returns the watcher WaitForTask uses: a subscription to the client's shared poller.
func (c *Client) watch(taskID int64) taskWatcher {
	return c.getPoller().subscribe(taskID)
}
