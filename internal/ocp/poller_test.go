package ocp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The poller's tests use intervals of milliseconds and assert on request counts and event order, never
// on how long something took.

// fakeTasks is a scripted OCP for the task list and task detail routes: each task runs until the test
// moves it on.
type fakeTasks struct {
	t *testing.T

	mu      sync.Mutex
	tasks   map[int64]*Task
	lists   int
	details map[int64]int
	// listScript: statuses the next list requests answer, one each, before listFail applies.
	listScript []int
	// listFail, when > 0 (or < 0: forever), makes the next list requests answer listStatus.
	listFail   int
	listStatus int
	// detailFail, likewise, for detail requests (of the tasks in detailFailOnly, when it is not empty).
	detailFail     int
	detailStatus   int
	detailFailOnly map[int64]bool
	// hang makes the detail of these tasks hang until the client gives up; hung is told when it does.
	hang map[int64]chan struct{}
	// detailDelay slows every detail answer.
	detailDelay time.Duration
}

// newFakeTasks serves tasks ids, each RUNNING with subtasks a (RUNNING) → b (PENDING).
func newFakeTasks(t *testing.T, s *testServer, ids ...int64) *fakeTasks {
	f := &fakeTasks{t: t, tasks: map[int64]*Task{}, details: map[int64]int{}, hang: map[int64]chan struct{}{}}
	for _, id := range ids {
		tk := task(id, "job", TaskRunning, time.Now(), sub(id*10+1, "a", SubtaskRunning), sub(id*10+2, "b", SubtaskPending))
		tk.Subtasks[0].Downstreams = []int64{id*10 + 2}
		tk.Subtasks[1].Upstreams = []int64{id*10 + 1}
		f.tasks[id] = &tk
	}
	s.handle("GET /api/v2/tasks/instances", f.list)
	s.handle("GET /api/v2/tasks/instances/{id}", f.detail)
	return f
}

func (f *fakeTasks) list(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.lists++
	if len(f.listScript) > 0 {
		st := f.listScript[0]
		f.listScript = f.listScript[1:]
		f.mu.Unlock()
		writeError(w, st, 10000, "list failed")
		return
	}
	if f.listFail != 0 {
		if f.listFail > 0 {
			f.listFail--
		}
		st := f.listStatus
		f.mu.Unlock()
		writeError(w, st, 10000, "list failed")
		return
	}
	if got := r.URL.Query().Get("status"); got != "RUNNING" {
		f.t.Errorf("list status filter %q", got)
	}
	var items []Task
	for _, tk := range f.tasks {
		if tk.Status == TaskRunning {
			item := *tk
			item.Subtasks = nil
			items = append(items, item)
		}
	}
	f.mu.Unlock()
	writeOK(w, map[string]any{"contents": items,
		"page": map[string]any{"totalElements": len(items), "totalPages": 1, "number": 1, "size": 2000}})
}

func (f *fakeTasks) detail(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f.mu.Lock()
	f.details[id]++
	if d := f.detailDelay; d > 0 {
		f.mu.Unlock()
		time.Sleep(d)
		f.mu.Lock()
	}
	if hung, ok := f.hang[id]; ok {
		f.mu.Unlock()
		<-r.Context().Done()
		close(hung)
		return
	}
	if f.detailFail != 0 && (len(f.detailFailOnly) == 0 || f.detailFailOnly[id]) {
		if f.detailFail > 0 {
			f.detailFail--
		}
		st := f.detailStatus
		f.mu.Unlock()
		writeError(w, st, 10000, "detail failed")
		return
	}
	tk, ok := f.tasks[id]
	var cp Task
	if ok {
		cp = *tk
		cp.Subtasks = append([]Subtask(nil), tk.Subtasks...)
	}
	f.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, 20000, fmt.Sprintf("The %d task does not exist.", id))
		return
	}
	writeOK(w, cp)
}

// advance moves task id on: a SUCCESSFUL and b RUNNING, then both SUCCESSFUL and the task with them
// (or FAILED, with b, when fail is set).
func (f *fakeTasks) advance(id int64, fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tk := f.tasks[id]
	switch {
	case tk.Subtasks[0].Status != SubtaskSuccessful:
		tk.Subtasks[0].Status, tk.Subtasks[1].Status = SubtaskSuccessful, SubtaskRunning
	case fail:
		tk.Subtasks[1].Status, tk.Status = SubtaskFailed, TaskFailed
	default:
		tk.Subtasks[1].Status, tk.Status = SubtaskSuccessful, TaskSuccessful
	}
}

func (f *fakeTasks) counts() (lists int, details map[int64]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := map[int64]int{}
	for k, v := range f.details {
		d[k] = v
	}
	return f.lists, d
}

// waitFor polls cond every millisecond until it holds; the test times out otherwise.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (p *poller) statsNow() pollerStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

type waitResult struct {
	task   *Task
	err    error
	events []ProgressEvent
}

// startWaits runs WaitForTask for each id in its own goroutine, after subscribing an anchor for
// each id first, so that the poller sees all of them from its first tick on. The anchors are released
// by the returned function.
func startWaits(ctx context.Context, c *Client, ids ...int64) (results map[int64]chan waitResult, release func()) {
	var anchors []*subscription
	p := c.getPoller()
	p.mu.Lock()
	for _, id := range ids {
		anchors = append(anchors, p.subscribeLocked(id))
	}
	p.mu.Unlock()
	results = map[int64]chan waitResult{}
	for _, id := range ids {
		ch := make(chan waitResult, 1)
		results[id] = ch
		go func() {
			var r waitResult
			r.task, r.err = c.WaitForTask(ctx, id, WaitOptions{OnProgress: func(e ProgressEvent) { r.events = append(r.events, e) }})
			ch <- r
		}()
	}
	return results, func() {
		for _, a := range anchors {
			a.stop()
		}
	}
}

func TestScheduleDue(t *testing.T) {
	t.Parallel()
	const base = 100 * time.Millisecond
	p := newPoller(&Client{}, base)
	t0 := time.Date(2024, 7, 23, 17, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	w := &watched{added: t0}
	check := func(step string, want time.Time) {
		t.Helper()
		if got := p.due(w); !got.Equal(want) {
			t.Errorf("%s: due at +%v, want +%v", step, got.Sub(t0), want.Sub(t0))
		}
	}
	check("new wait: first check after base/2", ms(50))
	w.lastCheck = ms(50)
	check("no prediction: every base", ms(150))

	// A prediction from the task's name: started at t0 in OCP's clock, which runs 2s ahead of ours.
	w.name, w.start = "job", t0.Add(2*time.Second)
	p.c.clock.offset, p.c.clock.known = 2*time.Second, true
	p.sample("job", 900*time.Millisecond)
	p.sample("job", time.Second)
	p.sample("job", 5*time.Second)
	check("predicted end far: every 1.5*base", ms(200))
	w.lastCheck = ms(900)
	check("predicted end near: just after it (+base/20)", ms(1005))

	// Its own detail overrides the name's estimate.
	w.ownEnd = ms(2000)
	check("own prediction", ms(1050))
	for n, step := range []time.Duration{12500 * time.Microsecond, 25 * time.Millisecond, 50 * time.Millisecond, base, base} {
		w.lastCheck, w.overdue = ms(2005+10*n), n+1
		check(fmt.Sprintf("overdue check %d: base/8, base/4, base/2, then base", n+1), w.lastCheck.Add(step))
	}

	w.retryAt = ms(5000)
	check("after a failure: not before the backoff", ms(5000))

	for n, want := range map[int]time.Duration{1: base, 2: 2 * base, 3: 4 * base, 4: 8 * base, 9: 8 * base} {
		if got := p.sched.failureBackoff(n); got != want {
			t.Errorf("failureBackoff(%d) = %v, want %v", n, got, want)
		}
	}

	// Ticks keep minGap apart, and wait out a list backoff.
	w2 := &watched{added: t0, subs: []*subscription{{}}}
	p.tasks[1] = w2
	p.lastTick = ms(49)
	if got := p.nextTickLocked(t0); !got.Equal(ms(49).Add(base / 8)) {
		t.Errorf("next tick at +%v, want +61.5ms", got.Sub(t0))
	}
	p.retryAt = ms(300)
	if got := p.nextTickLocked(t0); !got.Equal(ms(300)) {
		t.Errorf("next tick at +%v during a list backoff", got.Sub(t0))
	}

	if got := newSchedule(time.Hour).first; got != time.Second {
		t.Errorf("first check of a long base interval after %v, want 1s", got)
	}
}

func TestPredictEnd(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 7, 23, 17, 0, 0, 0, time.UTC)
	at := func(s int) *time.Time { tm := t0.Add(time.Duration(s) * time.Second); return &tm }
	mk := func(id int64, st SubtaskStatus, start, finish *time.Time, ups ...int64) Subtask {
		return Subtask{ID: id, Status: st, StartTime: start, FinishTime: finish, Upstreams: ups}
	}
	tests := []struct {
		name   string
		subs   []Subtask
		now    time.Time
		want   time.Time
		wantOK bool
	}{
		{
			name: "chain: 2 done in 3s each, third running since 6s, two more to go",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(3)), mk(2, SubtaskSuccessful, at(3), at(6), 1),
				mk(3, SubtaskRunning, at(6), nil, 2), mk(4, SubtaskPending, nil, nil, 3), mk(5, SubtaskPending, nil, nil, 4)},
			now: t0.Add(7 * time.Second), want: t0.Add(15 * time.Second), wantOK: true,
		},
		{
			name: "parallel branches: the longer one counts",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(2)),
				mk(2, SubtaskRunning, at(2), nil, 1), mk(3, SubtaskRunning, at(2), nil, 1), mk(4, SubtaskPending, nil, nil, 3),
				mk(5, SubtaskPending, nil, nil, 2, 4)},
			now: t0.Add(3 * time.Second), want: t0.Add(8 * time.Second), wantOK: true,
		},
		{
			name: "ready subtask counts from now",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(2)), mk(2, SubtaskReady, nil, nil, 1)},
			now:  t0.Add(5 * time.Second), want: t0.Add(7 * time.Second), wantOK: true,
		},
		{
			// The mean (14s) would predict the last step to end at 56s; the median step (1s), at 43s.
			name: "one long step among short ones: the median, not the mean, predicts the rest",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(1)), mk(2, SubtaskSuccessful, at(1), at(2), 1),
				mk(3, SubtaskSuccessful, at(2), at(42), 2), mk(4, SubtaskRunning, at(42), nil, 3)},
			now: t0.Add(42 * time.Second), want: t0.Add(43 * time.Second), wantOK: true,
		},
		{
			name: "nothing finished yet: no prediction",
			subs: []Subtask{mk(1, SubtaskRunning, at(0), nil), mk(2, SubtaskPending, nil, nil, 1)},
			now:  t0.Add(time.Second),
		},
		{
			name: "a failed subtask: no prediction",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(1)), mk(2, SubtaskFailed, at(1), at(2), 1)},
			now:  t0.Add(3 * time.Second),
		},
		{
			name: "a cycle does not hang",
			subs: []Subtask{mk(1, SubtaskSuccessful, at(0), at(1)), mk(2, SubtaskRunning, at(1), nil, 1, 3), mk(3, SubtaskPending, nil, nil, 2)},
			now:  t0.Add(2 * time.Second), want: t0.Add(3 * time.Second), wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := &Task{Status: TaskRunning, Subtasks: tt.subs}
			got, ok := predictEnd(tk, tt.now)
			if ok != tt.wantOK || (ok && !got.Equal(tt.want)) {
				t.Fatalf("predictEnd = %v, %v; want %v, %v", got.Sub(t0), ok, tt.want.Sub(t0), tt.wantOK)
			}
		})
	}
}

// TestPollerCoalescesWaits: ten concurrent waits cost one task list per tick, not ten details, plus one
// detail per task that ends and a bounded number of progress details.
func TestPollerCoalescesWaits(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ids := []int64{101, 102, 103, 104, 105, 106, 107, 108, 109, 110}
	f := newFakeTasks(t, s, ids...)
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond })
	results, release := startWaits(t.Context(), c, ids...)
	p := c.getPoller()

	waitFor(t, "ten ticks", func() bool { return p.statsNow().lists >= 10 })
	for _, id := range ids {
		f.advance(id, false)
	}
	waitFor(t, "twenty ticks", func() bool { return p.statsNow().lists >= 20 })
	for _, id := range ids {
		f.advance(id, false)
	}
	for _, id := range ids {
		r := <-results[id]
		if r.err != nil || r.task.Status != TaskSuccessful || len(r.task.Subtasks) != 2 {
			t.Fatalf("task %d: %+v, %v", id, r.task, r.err)
		}
		if last := r.events[len(r.events)-1]; last.Position != 2 || last.Subtask.Name != "b" || last.From == SubtaskSuccessful {
			t.Errorf("task %d: last event %+v", id, last)
		}
	}
	release()

	st := p.statsNow()
	lists, details := f.counts()
	if lists != st.lists || st.lists > st.ticks {
		t.Errorf("%d list requests, %d lists counted, %d ticks: want at most one list per tick", lists, st.lists, st.ticks)
	}
	total := 0
	for _, id := range ids {
		total += details[id]
	}
	if total != st.details {
		t.Errorf("%d detail requests, %d counted", total, st.details)
	}
	if st.terminal != len(ids) || st.details-st.progressDetails > len(ids) {
		t.Errorf("%d details saw a task ended, %d were read because a task left the list: want one per task (%d)",
			st.terminal, st.details-st.progressDetails, len(ids))
	}
	if st.progressDetails > maxProgressDetails*st.lists {
		t.Errorf("%d progress details in %d ticks: more than %d a tick", st.progressDetails, st.lists, maxProgressDetails)
	}
	if total >= lists*len(ids)/2 {
		t.Errorf("%d details in %d ticks for %d tasks: polling is not shared", total, lists, len(ids))
	}
}

// TestPollerProgressWithSeveralWaits: with several waits, each still gets its subtask transitions in
// order, ending with the final ones, and a failed task its typed error.
func TestPollerProgressWithSeveralWaits(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 201, 202, 203)
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond })
	results, release := startWaits(t.Context(), c, 201, 202, 203)
	defer release()
	p := c.getPoller()

	// Each task gets a progress detail before it moves on, so that its intermediate state is seen.
	waitFor(t, "a progress detail of each task", func() bool {
		_, d := f.counts()
		return d[201] > 0 && d[202] > 0 && d[203] > 0
	})
	for _, id := range []int64{201, 202, 203} {
		f.advance(id, false)
	}
	waitFor(t, "a second progress detail of each task", func() bool {
		_, d := f.counts()
		return d[201] > 1 && d[202] > 1 && d[203] > 1
	})
	f.advance(201, false)
	f.advance(202, false)
	f.advance(203, true)

	// [n/m] is the subtask's place in the DAG; b, first seen PENDING, is reported once it moves.
	want := []string{"a:->RUNNING 1/2", "a:RUNNING->SUCCESSFUL 1/2", "b:PENDING->RUNNING 2/2"}
	for _, id := range []int64{201, 202, 203} {
		r := <-results[id]
		var got []string
		for _, e := range r.events {
			got = append(got, fmt.Sprintf("%s:%s->%s %d/%d", e.Subtask.Name, e.From, e.Subtask.Status, e.Position, e.Total))
		}
		wantID := append(append([]string(nil), want...), "b:RUNNING->SUCCESSFUL 2/2")
		if id == 203 {
			wantID[len(wantID)-1] = "b:RUNNING->FAILED 2/2"
			var failed *TaskFailedError
			if !errors.As(r.err, &failed) || len(failed.Failed) != 1 || failed.Failed[0].Name != "b" {
				t.Errorf("task 203: %v", r.err)
			}
		} else if r.err != nil {
			t.Errorf("task %d: %v", id, r.err)
		}
		if fmt.Sprint(got) != fmt.Sprint(wantID) {
			t.Errorf("task %d events\n got %q\nwant %q", id, got, wantID)
		}
	}
	if p.statsNow().lists == 0 {
		t.Error("several waits should share task lists")
	}
}

// TestPollerCancellationIsolated: one wait ending (its context cancelled while its task's detail hangs)
// returns at once, cancels that request, and leaves the other waits polling to their end.
func TestPollerCancellationIsolated(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 301, 302, 303)
	hung := make(chan struct{})
	f.mu.Lock()
	f.hang[301] = hung
	f.tasks[301].Status = TaskSuccessful // leaves the list: its (hanging) detail is read
	f.mu.Unlock()
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond })

	ctx1, cancel1 := context.WithCancel(t.Context())
	done1 := make(chan error, 1)
	go func() {
		_, err := c.WaitForTask(ctx1, 301, WaitOptions{})
		done1 <- err
	}()
	results, release := startWaits(t.Context(), c, 302, 303)
	defer release()
	waitFor(t, "the hanging detail", func() bool { _, d := f.counts(); return d[301] > 0 })
	cancel1()
	select {
	case err := <-done1:
		var wi *WaitInterruptedError
		if !errors.As(err, &wi) || !errors.Is(err, context.Canceled) || wi.TaskID != 301 {
			t.Fatalf("cancelled wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled wait did not return")
	}
	select {
	case <-hung:
	case <-time.After(5 * time.Second):
		t.Fatal("the request of the cancelled wait is still in flight")
	}

	lists, _ := f.counts()
	waitFor(t, "more ticks after the cancellation", func() bool { l, _ := f.counts(); return l >= lists+3 })
	for _, id := range []int64{302, 303} {
		f.advance(id, false)
		f.advance(id, false)
	}
	for _, id := range []int64{302, 303} {
		if r := <-results[id]; r.err != nil || r.task.Status != TaskSuccessful {
			t.Fatalf("task %d: %+v, %v", id, r.task, r.err)
		}
	}
	if _, d := f.counts(); d[301] != 1 {
		t.Errorf("task 301 read %d times after its wait ended", d[301])
	}
}

// TestPollerLoopStops: the loop ends when the last wait does, and starts again for the next one.
func TestPollerLoopStops(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 401)
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond })
	f.advance(401, false)
	f.advance(401, false)
	for range 2 {
		if _, err := c.WaitForTask(t.Context(), 401, WaitOptions{}); err != nil {
			t.Fatal(err)
		}
		p := c.getPoller()
		p.mu.Lock()
		running, n := p.stopLoop != nil, len(p.tasks)
		p.mu.Unlock()
		if running || n != 0 {
			t.Fatalf("after the last wait: loop running %v, %d tasks watched", running, n)
		}
	}
}

func TestPollerListErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		failures int // -1: forever
		// wantErr is the status the waits end with; 0: they succeed.
		wantErr int
		// wantFallback: the poller stops listing and reads details instead.
		wantFallback bool
	}{
		{name: "transient failures back off and recover", status: http.StatusServiceUnavailable, failures: 4},
		{name: "a long outage does not end the waits", status: http.StatusBadGateway, failures: 12},
		{name: "credentials refused end the waits", status: http.StatusUnauthorized, failures: -1, wantErr: http.StatusUnauthorized},
		{name: "a list OCP does not support falls back to details", status: http.StatusNotFound, failures: -1, wantFallback: true},
		// The list is the poller's own request (only with several waits); each task's detail may still be readable.
		{name: "a list this user may not read falls back to details", status: http.StatusForbidden, failures: -1, wantFallback: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			f := newFakeTasks(t, s, 501, 502)
			f.listFail, f.listStatus = tt.failures, tt.status
			// Without transport retries, one failed tick is one failed request.
			c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
			results, release := startWaits(t.Context(), c, 501, 502)
			defer release()
			if tt.wantErr == 0 {
				waitFor(t, "the list failures to pass", func() bool {
					l, _ := f.counts()
					return tt.failures < 0 && l > 0 || l > tt.failures
				})
				for _, id := range []int64{501, 502} {
					f.advance(id, false)
					f.advance(id, false)
				}
			}
			for _, id := range []int64{501, 502} {
				r := <-results[id]
				var api *APIError
				switch {
				case tt.wantErr == 0 && r.err != nil:
					t.Errorf("task %d: %v", id, r.err)
				case tt.wantErr != 0 && (!errors.As(r.err, &api) || api.HTTPStatus != tt.wantErr):
					t.Errorf("task %d: got %v, want HTTP %d", id, r.err, tt.wantErr)
				}
			}
			lists, _ := f.counts()
			p := c.getPoller()
			p.mu.Lock()
			disabled := p.listDisabled
			p.mu.Unlock()
			switch {
			case tt.wantFallback && (lists != 1 || !disabled):
				t.Errorf("fallback: %d list requests, list disabled %v", lists, disabled)
			case tt.status == http.StatusUnauthorized && lists != 1:
				t.Errorf("%d list requests after a 401", lists)
			case tt.failures > 0 && lists <= tt.failures:
				t.Errorf("%d list requests for %d failures", lists, tt.failures)
			}
		})
	}
}

// TestPollerListOutage: with several waits, a task list that keeps failing (a gateway timing out the
// heavy all-RUNNING list) does not blind them: the tasks are read by detail meanwhile, the waits hear
// that OCP answers again once their task is read, and the list is used again when it recovers.
func TestPollerListOutage(t *testing.T) {
	t.Parallel()
	t.Run("tasks that ended are seen by detail", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 901, 902)
		f.listFail, f.listStatus = -1, http.StatusGatewayTimeout
		for _, id := range []int64{901, 902} {
			f.advance(id, false)
			f.advance(id, false)
		}
		c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		results, release := startWaits(ctx, c, 901, 902)
		defer release()
		for _, id := range []int64{901, 902} {
			if r := <-results[id]; r.err != nil {
				t.Errorf("task %d SUCCESSFUL and its detail readable: %v", id, r.err)
			}
		}
	})
	t.Run("the outage a wait was told of ends when its task is read", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 701, 702)
		f.listFail, f.listStatus = -1, http.StatusBadGateway
		c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
		ctx, cancel := context.WithCancel(t.Context())
		var (
			mu      sync.Mutex
			reports []Unreachable
		)
		done := make(chan error, 1)
		go func() {
			_, err := c.WaitForTask(ctx, 701, WaitOptions{OnUnreachable: func(u Unreachable) {
				mu.Lock()
				reports = append(reports, u)
				mu.Unlock()
			}})
			done <- err
		}()
		otherCtx, cancelOther := context.WithCancel(t.Context())
		other, release := startWaits(otherCtx, c, 702)
		defer func() { cancelOther(); release(); <-other[702] }()
		waitFor(t, "detail reads of 701", func() bool { _, d := f.counts(); return d[701] >= 3 })
		cancel()
		err := <-done
		mu.Lock()
		defer mu.Unlock()
		var wi *WaitInterruptedError
		if len(reports) < 2 || reports[0].Recovered || !reports[len(reports)-1].Recovered ||
			!reports[len(reports)-1].Since.Equal(reports[0].Since) || !errors.As(err, &wi) || wi.Unreachable != nil {
			t.Fatalf("reports %+v, err %v; want an outage, then its recovery, and no outage in the error", reports, err)
		}
	})
	t.Run("the list is used again when it recovers", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 801, 802)
		f.listFail, f.listStatus = -1, http.StatusGatewayTimeout
		c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
		results, release := startWaits(t.Context(), c, 801, 802)
		defer release()
		waitFor(t, "detail reads while the list fails", func() bool { _, d := f.counts(); return d[801] > 0 && d[802] > 0 })
		f.mu.Lock()
		f.listFail = 0
		failed := f.lists
		f.mu.Unlock()
		waitFor(t, "lists after the outage", func() bool { l, _ := f.counts(); return l >= failed+3 })
		for _, id := range []int64{801, 802} {
			f.advance(id, false)
			f.advance(id, false)
			if r := <-results[id]; r.err != nil {
				t.Errorf("task %d: %v", id, r.err)
			}
		}
	})
}

// TestPollerListModeHonoursDetailBackoff: a task missing from the RUNNING list whose detail fails is
// read again on its backoff (base, 2*base, … 8*base), not on every list tick.
func TestPollerListModeHonoursDetailBackoff(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 1001, 1002)
	f.mu.Lock()
	f.tasks[1002].Status = TaskFailed // not listed as RUNNING: its detail is read, and fails
	f.detailFail, f.detailStatus, f.detailFailOnly = -1, http.StatusServiceUnavailable, map[int64]bool{1002: true}
	f.mu.Unlock()
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond; c.MaxRetries = -1 })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, release := startWaits(ctx, c, 1001, 1002)
	defer release()
	waitFor(t, "list ticks", func() bool { l, _ := f.counts(); return l >= 40 })
	// About 40 ticks of 10ms: the backoff allows some 4 + 400ms/80ms reads, one per tick would be 40.
	if l, d := f.counts(); d[1002] > l/2 {
		t.Errorf("%d detail reads of the failing task in %d list ticks", d[1002], l)
	}
}

// TestPollerListDoesNotEndADetailOutage: a RUNNING list that shows a task whose own detail keeps failing
// does not say OCP answers again: the wait hears of one outage, no recovery, and the detail keeps its
// backoff (a list that ended the outage restarted it at base, and the report limit, on every tick).
func TestPollerListDoesNotEndADetailOutage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 1101, 1102)
	f.detailFail, f.detailStatus, f.detailFailOnly = -1, http.StatusServiceUnavailable, map[int64]bool{1101: true}
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond; c.MaxRetries = -1 })
	ctx, cancel := context.WithCancel(t.Context())
	var (
		mu      sync.Mutex
		reports []Unreachable
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.WaitForTask(ctx, 1101, WaitOptions{OnUnreachable: func(u Unreachable) {
			mu.Lock()
			reports = append(reports, u)
			mu.Unlock()
		}})
	}()
	_, release := startWaits(ctx, c, 1102)
	defer release()
	waitFor(t, "list ticks", func() bool { l, _ := f.counts(); return l >= 80 })
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	recovered := 0
	for _, u := range reports {
		if u.Recovered {
			recovered++
		}
	}
	if len(reports) != 1 || recovered > 0 {
		t.Errorf("%d outage reports and %d recoveries, want the one outage", len(reports)-recovered, recovered)
	}
	// About 80 ticks of 10ms: the backoff allows some 4 + 650ms/80ms reads, one per tick would be 80.
	if l, d := f.counts(); d[1101] > l/4 {
		t.Errorf("%d detail reads of the failing task in %d list ticks", d[1101], l)
	}
}

// TestPollerFatalListWithDetailsInFlight: a 401 of the list ends the waits even when a detail the tick
// started before it (the list failing) answers RUNNING afterwards, before a wait slow in OnUnreachable
// reads its mailbox: that answer must not replace the 401, since nothing polls an ended task again.
func TestPollerFatalListWithDetailsInFlight(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 1201, 1202)
	f.listScript = []int{http.StatusBadGateway, http.StatusBadGateway}
	f.listFail, f.listStatus = -1, http.StatusUnauthorized
	f.detailDelay = 50 * time.Millisecond
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond; c.MaxRetries = -1 })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	errs := make(chan error, 2)
	for _, id := range []int64{1201, 1202} {
		go func() {
			_, err := c.WaitForTask(ctx, id, WaitOptions{OnUnreachable: func(Unreachable) { time.Sleep(300 * time.Millisecond) }})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; !IsUnauthenticated(err) {
			t.Errorf("got %v, want the list's 401", err)
		}
	}
}

func TestPollerDetailErrors(t *testing.T) {
	t.Parallel()
	t.Run("transient failures are retried for as long as the wait lasts, and reported", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 601)
		const failures = 12 // well beyond any fixed budget of retries
		f.detailFail, f.detailStatus = failures, http.StatusServiceUnavailable
		f.advance(601, false)
		f.advance(601, false)
		c := s.client(func(c *Config) { c.PollInterval = time.Millisecond; c.MaxRetries = -1 })
		var reports []Unreachable
		if _, err := c.WaitForTask(t.Context(), 601, WaitOptions{OnUnreachable: func(u Unreachable) { reports = append(reports, u) }}); err != nil {
			t.Fatal(err)
		}
		if _, d := f.counts(); d[601] != failures+1 {
			t.Errorf("%d detail requests, want %d", d[601], failures+1)
		}
		// The first failure and the recovery; the reports in between are at most one a minute.
		if len(reports) != 2 || reports[0].Failures != 1 || reports[0].Recovered || !reports[1].Recovered ||
			reports[1].Failures != failures || !reports[1].Since.Equal(reports[0].Since) || reports[0].TaskID != 601 {
			t.Errorf("reports %+v", reports)
		}
	})
	t.Run("a wait that ends during an outage says since when OCP was unreachable", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 602)
		f.detailFail, f.detailStatus = -1, http.StatusInternalServerError
		c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, err := c.WaitForTask(ctx, 602, WaitOptions{})
		var wi *WaitInterruptedError
		if !errors.As(err, &wi) || wi.Unreachable == nil || wi.Unreachable.Failures < 3 || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v", err)
		}
		if !strings.Contains(err.Error(), "OCP was unreachable since") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("a 404 of the task ends its wait", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 604)
		f.detailFail, f.detailStatus = -1, http.StatusNotFound
		c := s.client(func(c *Config) { c.PollInterval = 2 * time.Millisecond; c.MaxRetries = -1 })
		if _, err := c.WaitForTask(t.Context(), 604, WaitOptions{}); !IsNotFound(err) {
			t.Fatalf("got %v", err)
		}
		if _, d := f.counts(); d[604] != 1 {
			t.Errorf("%d detail requests, want 1", d[604])
		}
	})
	t.Run("an unknown task among several ends only its wait", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t)
		f := newFakeTasks(t, s, 603)
		c := s.client(func(c *Config) { c.PollInterval = 5 * time.Millisecond })
		results, release := startWaits(t.Context(), c, 603, 999)
		defer release()
		if r := <-results[999]; !IsNotFound(r.err) {
			t.Fatalf("unknown task: %v", r.err)
		}
		f.advance(603, false)
		f.advance(603, false)
		if r := <-results[603]; r.err != nil {
			t.Fatalf("task 603: %v", r.err)
		}
	})
}

// TestPollerLateWaitOfEndedTask: a wait that starts for a task the poller has just seen end, while an
// earlier wait of it has not let go yet (two resources waiting for one task; the anchor plays the
// earlier wait), gets the task's end too, instead of waiting until its context runs out.
func TestPollerLateWaitOfEndedTask(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	f := newFakeTasks(t, s, 501)
	f.advance(501, false)
	f.advance(501, false)
	c := s.client(func(c *Config) { c.PollInterval = 10 * time.Millisecond })

	results, release := startWaits(t.Context(), c, 501)
	defer release()
	if r := <-results[501]; r.err != nil || r.task.Status != TaskSuccessful {
		t.Fatalf("first wait: %+v, %v", r.task, r.err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	got, err := c.WaitForTask(ctx, 501, WaitOptions{})
	if err != nil || got.Status != TaskSuccessful {
		t.Fatalf("late wait of the ended task: %+v, %v", got, err)
	}
}
