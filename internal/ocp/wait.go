package ocp

import (
	"context"
	"sync"
	"time"
)

// ProgressEvent reports one subtask status change seen while waiting for a task.
type ProgressEvent struct {
	TaskID   int64
	TaskName string
	// Subtask is the subtask whose status changed; its new status is Subtask.Status.
	Subtask Subtask
	// From is the previous status, "" when the subtask is first seen.
	From SubtaskStatus
	// Position is the subtask's place (1-based) in the task's DAG order (see DAGOrder), Total the number
	// of subtasks: "[Position/Total]" names a step the same way in every event.
	Position, Total int
}

// WaitOptions are what a wait reports while it waits. Both callbacks may be nil.
type WaitOptions struct {
	// OnProgress is called for every subtask status change, in DAG order. Subtasks first seen PENDING
	// are not reported until they move: a task's first reading would otherwise list every step.
	OnProgress func(ProgressEvent)
	// OnUnreachable is called when OCP stops answering the task's reads (at the first failure, then at
	// most once a minute while it lasts) and once with Recovered set when it answers again.
	OnUnreachable func(Unreachable)
}

// WaitForTask waits until the task ends. Concurrent waits of one Client share one poller (poller.go),
// which checks all their tasks with one task-list request per tick and reads a task's detail when it
// ends. It returns the task when SUCCESSFUL, a *TaskFailedError when FAILED, and a *WaitInterruptedError
// (wrapping ctx.Err()) when ctx ends first; the task goes on in OCP either way. Unknown task statuses are
// logged and waited out. Reads that fail are retried for as long as ctx lasts, whatever the failure
// (OCP down, 5xx, garbled answers), except 401 and a 403 or 404 of the task itself, which are returned.
func (c *Client) WaitForTask(ctx context.Context, taskID int64, opts WaitOptions) (*Task, error) {
	w := c.getPoller().subscribe(taskID)
	defer w.stop()

	var (
		last     *Task
		seen     = map[int64]SubtaskStatus{}
		warned   = map[TaskStatus]bool{}
		polling  = time.Now()
		down     *Unreachable // the outage going on, as last reported by the poller
		reported time.Time    // when the wait last told OnUnreachable
	)
	for {
		o, err := w.next(ctx)
		if err != nil {
			return nil, &WaitInterruptedError{TaskID: taskID, Last: last, Unreachable: down, Err: ctx.Err()}
		}
		if u := o.unreachable; u != nil {
			switch {
			case u.Recovered:
				if down != nil && opts.OnUnreachable != nil {
					opts.OnUnreachable(*u)
				}
				down = nil
			default:
				first := down == nil
				down = u
				if opts.OnUnreachable != nil && (first || time.Since(reported) >= unreachableEvery) {
					reported = time.Now()
					opts.OnUnreachable(*u)
				}
			}
		}
		if o.err != nil {
			return nil, o.err
		}
		t := o.task
		if t == nil {
			continue
		}
		last = t
		reportProgress(t, seen, opts.OnProgress)
		switch t.Status {
		case TaskSuccessful:
			c.logger.Debug("OCP task succeeded", "task_id", logID(taskID), "waited", time.Since(polling).String())
			return t, nil
		case TaskFailed:
			return nil, &TaskFailedError{Task: t, Failed: t.FailedSubtasks()}
		case TaskRunning:
		default:
			if !warned[t.Status] {
				warned[t.Status] = true
				c.logger.Warn("OCP task has an unknown status; waiting as if it were running",
					"task_id", logID(taskID), "status", string(t.Status))
			}
		}
	}
}

// reportProgress sends one event per subtask whose status differs from the last reading, and records
// the statuses for the next comparison. Subtasks first seen PENDING are recorded silently.
func reportProgress(t *Task, seen map[int64]SubtaskStatus, onProgress func(ProgressEvent)) {
	for i, s := range DAGOrder(t.Subtasks) {
		from, ok := seen[s.ID]
		if ok && from == s.Status {
			continue
		}
		seen[s.ID] = s.Status
		if !ok && s.Status == SubtaskPending {
			continue
		}
		if onProgress != nil {
			onProgress(ProgressEvent{TaskID: t.ID, TaskName: t.Name, Subtask: s, From: from,
				Position: i + 1, Total: len(t.Subtasks)})
		}
	}
}

// DAGOrder returns the subtasks in an order that respects their DAG (every subtask after its upstreams),
// keeping OCP's listing order among subtasks that are ready together. OCP lists subtasks in no useful
// order, so progress read in listing order would report a step before the one it waited for. Upstreams
// that are not listed are ignored, and a cycle (which OCP should never send) keeps the listing order.
func DAGOrder(subtasks []Subtask) []Subtask {
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
					placed[i] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// observed is what a wait's mailbox holds: the latest reading of the task (or the error that ended the
// wait) and the latest outage report, each with its own freshness.
type observed struct {
	task        *Task
	err         error
	unreachable *Unreachable
}

// subscription is one WaitForTask's view of the poller: a mailbox holding the latest observation.
type subscription struct {
	p      *poller
	id     int64
	notify chan struct{}

	mu          sync.Mutex
	task        *Task
	err         error
	fresh       bool
	unreachable *Unreachable
}

// next returns the next observation of the task, or ctx's error as soon as ctx ends.
func (s *subscription) next(ctx context.Context) (observed, error) {
	for {
		s.mu.Lock()
		if s.fresh || s.unreachable != nil {
			o := observed{unreachable: s.unreachable}
			if s.fresh {
				o.task, o.err = s.task, s.err
			}
			s.fresh, s.unreachable = false, nil
			s.mu.Unlock()
			return o, nil
		}
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return observed{}, ctx.Err()
		case <-s.notify:
		}
	}
}

func (s *subscription) stop() { s.p.unsubscribe(s) }

// post replaces the mailbox's reading with the latest one: a slow reader skips intermediate states (its
// progress events then merge transitions) but never misses the last one.
func (s *subscription) post(t *Task, err error) {
	s.mu.Lock()
	s.task, s.err, s.fresh = t, err, true
	s.mu.Unlock()
	s.signal()
}

// postUnreachable replaces the mailbox's outage report with the latest one.
func (s *subscription) postUnreachable(u Unreachable) {
	s.mu.Lock()
	s.unreachable = &u
	s.mu.Unlock()
	s.signal()
}

func (s *subscription) signal() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}
