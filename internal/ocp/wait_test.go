package ocp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedTask serves GET /tasks/instances/{id}: state i on the i-th poll, the last one forever after.
func scriptedTask(t *testing.T, s *testServer, id int64, states ...Task) {
	t.Helper()
	var (
		mu sync.Mutex
		n  int
	)
	s.handle(fmt.Sprintf("GET /api/v2/tasks/instances/%d", id), func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		st := states[min(n, len(states)-1)]
		n++
		mu.Unlock()
		writeOK(w, st)
	})
}

func sub(id int64, name string, st SubtaskStatus) Subtask {
	return Subtask{ID: id, Name: name, Status: st}
}

func TestWaitForTaskReportsTransitions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	const id = 1 << 40
	mk := func(st TaskStatus, a, b SubtaskStatus) Task {
		return task(id, TaskNameSwitchover, st, time.Now(), sub(1, "Prepare", a), sub(2, "Switch", b))
	}
	scriptedTask(t, s, id,
		mk(TaskRunning, SubtaskRunning, SubtaskPending),
		mk(TaskRunning, SubtaskRunning, SubtaskPending), // no change: no event
		mk(TaskRunning, SubtaskSuccessful, SubtaskReady),
		mk(TaskSuccessful, SubtaskSuccessful, SubtaskSuccessful),
	)
	var got []string
	final, err := s.client().WaitForTask(t.Context(), id, WaitOptions{OnProgress: func(e ProgressEvent) {
		if e.TaskID != id || e.TaskName != TaskNameSwitchover || e.Total != 2 {
			t.Errorf("event %+v", e)
		}
		got = append(got, fmt.Sprintf("%s:%s->%s %d/%d", e.Subtask.Name, e.From, e.Subtask.Status, e.Position, e.Total))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != TaskSuccessful {
		t.Fatalf("final %+v", final)
	}
	// [n/m] is the step's place in the DAG; Switch, first seen PENDING, is reported once it moves.
	want := []string{
		"Prepare:->RUNNING 1/2",
		"Prepare:RUNNING->SUCCESSFUL 1/2", "Switch:PENDING->READY 2/2",
		"Switch:READY->SUCCESSFUL 2/2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events\n got %q\nwant %q", got, want)
	}
}

func TestWaitForTaskFailed(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	scriptedTask(t, s, 9,
		task(9, TaskNameTenantFailover, TaskRunning, time.Now(), sub(1, "Failover to primary tenant", SubtaskRunning)),
		task(9, TaskNameTenantFailover, TaskFailed, time.Now(), sub(1, "Failover to primary tenant", SubtaskFailed), sub(2, "Reset log restore source", SubtaskPending)),
	)
	_, err := s.client().WaitForTask(t.Context(), 9, WaitOptions{}) // nil callback allowed
	var failed *TaskFailedError
	if !errors.As(err, &failed) || len(failed.Failed) != 1 || failed.Failed[0].ID != 1 {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"task 9", TaskNameTenantFailover, `"Failover to primary tenant" (id 1)`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestWaitForTaskUnknownStatusKeepsWaiting(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	scriptedTask(t, s, 3,
		task(3, "x", "PAUSED", time.Now()),
		task(3, "x", "PAUSED", time.Now()),
		task(3, "x", TaskSuccessful, time.Now()),
	)
	var buf syncBuffer
	got, err := s.client(func(c *Config) { c.Logger = traceLogger(&buf) }).WaitForTask(t.Context(), 3, WaitOptions{})
	if err != nil || got.Status != TaskSuccessful {
		t.Fatalf("got %+v, %v", got, err)
	}
	if n := strings.Count(buf.String(), "[WARN]"); n != 1 {
		t.Fatalf("want one warning for the unknown status, got %d:\n%s", n, buf.String())
	}
}

func TestWaitForTaskNotFound(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/tasks/instances/4", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20000, "The 4 task does not exist.")
	})
	_, err := s.client().WaitForTask(t.Context(), 4, WaitOptions{})
	if !IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
}

func TestWaitForTaskTransientErrorsAreRetried(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var (
		mu sync.Mutex
		n  int
	)
	s.handle("GET /api/v2/tasks/instances/5", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		switch k {
		case 2:
			writeError(w, http.StatusServiceUnavailable, 10010, "blip")
		case 1, 3:
			writeOK(w, task(5, "x", TaskRunning, time.Now()))
		default:
			writeOK(w, task(5, "x", TaskSuccessful, time.Now()))
		}
	})
	if _, err := s.client().WaitForTask(t.Context(), 5, WaitOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestWaitForTaskCancellationIsPrompt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// hang makes the task detail request itself hang, so cancellation hits an HTTP request in flight
		// rather than the wait between polls.
		hang     bool
		wantLast bool
	}{
		{name: "between polls", wantLast: true},
		{name: "during a poll", hang: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			polled := make(chan struct{}, 1)
			s.handle("GET /api/v2/tasks/instances/6", func(w http.ResponseWriter, r *http.Request) {
				select {
				case polled <- struct{}{}:
				default:
				}
				if tt.hang {
					<-r.Context().Done()
					return
				}
				writeOK(w, task(6, "x", TaskRunning, time.Now(), sub(1, "a", SubtaskRunning)))
			})
			c := s.client(func(c *Config) { c.PollInterval = time.Hour })
			ctx, cancel := context.WithCancel(t.Context())
			type result struct {
				task *Task
				err  error
			}
			done := make(chan result, 1)
			progressed := make(chan struct{}, 1)
			go func() {
				tk, err := c.WaitForTask(ctx, 6, WaitOptions{OnProgress: func(ProgressEvent) { progressed <- struct{}{} }})
				done <- result{tk, err}
			}()
			if tt.hang {
				<-polled
			} else {
				<-progressed // the first poll has been processed; the wait is between polls
			}
			start := time.Now()
			cancel()
			var r result
			select {
			case r = <-done:
			case <-time.After(2 * time.Second):
				t.Fatal("WaitForTask did not return after cancel")
			}
			// Polls are an hour apart: any prompt return shows the wait honours ctx; 1 s leaves room for a
			// loaded machine.
			if d := time.Since(start); d > time.Second {
				t.Fatalf("returned %v after cancel", d)
			}
			var wi *WaitInterruptedError
			if !errors.As(r.err, &wi) || wi.TaskID != 6 || !errors.Is(r.err, context.Canceled) {
				t.Fatalf("got %v", r.err)
			}
			if (wi.Last != nil) != tt.wantLast {
				t.Fatalf("Last = %+v", wi.Last)
			}
			if tt.wantLast && !strings.Contains(r.err.Error(), "keeps running") {
				t.Fatalf("message should say the task goes on: %v", r.err)
			}
		})
	}
}

func TestWaitForTaskDeadline(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	scriptedTask(t, s, 7, task(7, "x", TaskRunning, time.Now()))
	// Long enough for the first reading (wi.Last) on a loaded machine under -race (30 ms was not, in make
	// test's race run); the task never ends, so the test takes this long.
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := s.client().WaitForTask(ctx, 7, WaitOptions{})
	var wi *WaitInterruptedError
	if !errors.As(err, &wi) || !errors.Is(err, context.DeadlineExceeded) || wi.Last == nil {
		t.Fatalf("got %v", err)
	}
}

// Progress within one reading follows the DAG, not OCP's listing order, and [n/m] is each step's place in
// it: two different subtasks never share a number.
func TestReportProgressFollowsTheDAG(t *testing.T) {
	// c depends on b, b on a; listed c, a, b; all three finished between two readings.
	task := &Task{ID: 1, Name: "t", Subtasks: []Subtask{
		{ID: 3, Name: "c", Status: SubtaskSuccessful, Upstreams: []int64{2}},
		{ID: 1, Name: "a", Status: SubtaskSuccessful},
		{ID: 2, Name: "b", Status: SubtaskSuccessful, Upstreams: []int64{1}, Downstreams: []int64{3}},
		{ID: 4, Name: "d", Status: SubtaskPending, Upstreams: []int64{3, 99}}, // 99 is not listed: ignored
	}}
	seen := map[int64]SubtaskStatus{1: SubtaskRunning, 2: SubtaskPending, 3: SubtaskPending, 4: SubtaskPending}
	var got []string
	reportProgress(task, seen, func(ev ProgressEvent) {
		got = append(got, fmt.Sprintf("%s %s %d/%d", ev.Subtask.Name, ev.Subtask.Status, ev.Position, ev.Total))
	})
	want := []string{"a SUCCESSFUL 1/4", "b SUCCESSFUL 2/4", "c SUCCESSFUL 3/4"}
	if !slices.Equal(got, want) {
		t.Fatalf("events %q, want %q", got, want)
	}
	// A cycle keeps the listing order rather than losing subtasks.
	cyc := DAGOrder([]Subtask{{ID: 1, Upstreams: []int64{2}}, {ID: 2, Upstreams: []int64{1}}, {ID: 3}})
	if len(cyc) != 3 || cyc[0].ID != 3 || cyc[1].ID != 1 || cyc[2].ID != 2 {
		t.Fatalf("cycle order %v", cyc)
	}
}

// TestWaitOutlastsOutage is the case in scaled time (1 ms here stands for 1 s): OCP stops
// answering for ten minutes of a wait whose timeout is thirty, then answers again; the wait goes on and
// ends with the task, having said once that OCP was unreachable and once that it answers again. Before
// waits outlasted outages, five failed reads ended this wait after about 48 scaled seconds.
func TestWaitOutlastsOutage(t *testing.T) {
	t.Parallel()
	const scale = time.Millisecond // one second
	s := newTestServer(t)
	var (
		mu        sync.Mutex
		downUntil time.Time
		reads     int
	)
	s.handle("GET /api/v2/tasks/instances/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reads++
		down, n := time.Now().Before(downUntil), reads
		mu.Unlock()
		switch {
		case down:
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>502 Bad Gateway</html>")
		case n == 1:
			writeOK(w, task(77, "Failover tenant", TaskRunning, time.Now(), sub(1, "Failover to primary tenant", SubtaskRunning)))
			mu.Lock()
			downUntil = time.Now().Add(10 * 60 * scale) // ten minutes from the first reading on
			mu.Unlock()
		default:
			writeOK(w, task(77, "Failover tenant", TaskSuccessful, time.Now(), sub(1, "Failover to primary tenant", SubtaskSuccessful)))
		}
	})
	c := s.client(func(c *Config) { c.PollInterval = 2 * scale; c.MaxRetries = -1 })
	ctx, cancel := context.WithTimeout(t.Context(), 30*60*scale)
	defer cancel()
	var reports []Unreachable
	got, err := c.WaitForTask(ctx, 77, WaitOptions{OnUnreachable: func(u Unreachable) { reports = append(reports, u) }})
	if err != nil {
		t.Fatalf("the wait ended during the outage: %v", err)
	}
	if got.Status != TaskSuccessful {
		t.Fatalf("task %+v", got)
	}
	if len(reports) < 2 || reports[0].Recovered || !reports[len(reports)-1].Recovered || reports[len(reports)-1].Failures < 10 {
		t.Fatalf("reports %+v", reports)
	}
}
