package ocp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// This file holds the one task poller each Client runs for all its concurrent WaitForTask calls.
//
// Schedule. Every wait is "checked" on ticks of one shared loop. A tick reads either the task detail
// (when the client waits for a single task: one request gives both the status and the progress) or,
// when it waits for several, one task-list request for all of them (GET /tasks/instances?status=
// RUNNING, 2000 a page), followed by one detail request per task that left the list (it has ended:
// the detail brings its subtasks, so that the final progress events, a failed task's subtasks and
// the returned Task stay what a per-task poll would give) and a few progress details (below).
//
// When a tick is due depends on a prediction of each task's end. A task's detail gives the durations
// of its finished subtasks and the start of the running ones; their mean times the remaining longest
// path of the DAG predicts the end in OCP's clock, which the envelope's timestamp maps to ours. Tasks
// of the same name share what was learnt (the median of predicted and measured total durations), so
// that one detail predicts a whole batch. Then:
//   - a new wait is first checked after first = min(base/2, 1s);
//   - without a prediction, a task is checked every base (PollInterval, 2s by default);
//   - with one, it is checked just after its predicted end (+slack), and every mid = 1.5*base before
//     it in case it ends early (a failure, or a wrong prediction), skipping a check that would come
//     less than mid/2 before the predicted one;
//   - once past the predicted end and still running, the checks come after base/8, base/4, base/2,
//     then every base;
//   - ticks are at least minGap = base/8 apart; a tick checks every task (a list costs the same for one
//     task or two hundred), so tasks ending close together share it.
//
// Progress. A single wait gets every detail, so every subtask transition the poll rate can see. With
// several waits, each tick also reads the detail of at most maxProgressDetails tasks whose last detail
// is older than 3*base (tasks without a prediction first): progress events of a big batch come in
// coarser steps, and all remaining transitions arrive with the final detail. That keeps the requests
// of a batch bounded by ~1 list per tick plus a few details, not one request per task per tick.
//
// Errors. A detail answering 404 or another non-transient error ends that wait with the error. Transient
// failures (connection errors, 5xx, 429, malformed responses: the transport has already retried them)
// back off and fail the waits only after maxPollFailures in a row. A task list that OCP does not
// support (400, 404, 405, 501) makes the poller fall back to per-task details; one answering 401/403
// fails the waits.
//
// Cancellation. Each wait reads its own mailbox and returns as soon as its context ends; its
// unsubscribing cancels the requests in flight for its task once no other wait shares it, and the
// loop stops when no wait is left. One wait's cancellation never touches another's.

const (
	// maxProgressDetails is how many progress details one tick may read when several tasks are waited.
	maxProgressDetails = 4
	// detailWorkers is how many detail requests the poller has in flight at most.
	detailWorkers = 8
	// maxPollFailures is how many transient failures in a row end the waits concerned.
	maxPollFailures = 5
	// maxEstimateSamples is how many duration samples per task name the predictor keeps.
	maxEstimateSamples = 32
)

// schedule holds the poller's intervals, all derived from the base interval.
type schedule struct {
	base          time.Duration // checks without a prediction; Config.PollInterval
	first         time.Duration // delay of a new wait's first check
	mid           time.Duration // longest gap between checks before a predicted end
	minGap        time.Duration // shortest gap between ticks
	slack         time.Duration // how long after the predicted end to check
	progressEvery time.Duration // age of the last detail before a progress detail, with several waits
}

func newSchedule(base time.Duration) schedule {
	return schedule{
		base:          base,
		first:         min(base/2, time.Second),
		mid:           base * 3 / 2,
		minGap:        base / 8,
		slack:         base / 20,
		progressEvery: 3 * base,
	}
}

// overdueStep is the gap before the next check of a task that is past its predicted end and was
// checked n >= 1 times since: base/8, base/4, base/2, then base.
func (s schedule) overdueStep(n int) time.Duration {
	return s.base / 8 << min(max(n-1, 0), 3)
}

// failureBackoff is the wait after the n-th transient failure in a row: base, 2*base, ... up to 8*base.
func (s schedule) failureBackoff(n int) time.Duration {
	return s.base << min(max(n-1, 0), 3)
}

// pollerHolder is the Client's lazily started poller.
type pollerHolder struct {
	once sync.Once
	p    *poller
}

// getPoller returns the client's poller, creating it on first use.
func (c *Client) getPoller() *poller {
	c.polls.once.Do(func() { c.polls.p = newPoller(c, c.pollInterval) })
	return c.polls.p
}

// pollerStats counts what the poller did; tests assert on it.
type pollerStats struct {
	ticks, lists, details, progressDetails, terminal int
}

// poller is the one task poller of a Client. All fields below mu are guarded by it.
type poller struct {
	c     *Client
	sched schedule
	wake  chan struct{}
	sem   chan struct{} // bounds the detail requests in flight

	mu           sync.Mutex
	tasks        map[int64]*watched
	gen          int                // loop generation; a loop whose generation is stale exits
	stopLoop     context.CancelFunc // cancels the running loop's list requests
	lastTick     time.Time
	retryAt      time.Time // no tick before this, after list failures
	listFailures int
	listDisabled bool
	offset       time.Duration // OCP's clock minus ours, from the last detail's envelope
	estimates    map[string]*samples
	stats        pollerStats
}

// watched is one task being waited for, by one or more subscriptions.
type watched struct {
	id     int64
	subs   []*subscription
	ctx    context.Context // requests for this task; cancelled when its last wait stops
	cancel context.CancelFunc
	added  time.Time

	lastCheck, lastDetail time.Time
	name                  string
	start                 time.Time // OCP's clock; zero when not known yet
	ownEnd                time.Time // predicted end in our clock, from the task's own detail; zero if none
	overdue               int       // checks at or after the predicted end
	failures              int       // transient detail failures in a row
	retryAt               time.Time
	inflight, finished    bool
}

func newPoller(c *Client, base time.Duration) *poller {
	return &poller{c: c, sched: newSchedule(base), wake: make(chan struct{}, 1),
		sem:   make(chan struct{}, detailWorkers),
		tasks: map[int64]*watched{}, estimates: map[string]*samples{}}
}

// subscription is one WaitForTask's view of the poller: a mailbox holding the latest observation.
type subscription struct {
	p      *poller
	id     int64
	notify chan struct{}

	mu    sync.Mutex
	task  *Task
	err   error
	fresh bool
}

// subscribe registers a wait for taskID and makes sure the loop runs.
func (p *poller) subscribe(taskID int64) *subscription {
	p.mu.Lock()
	s := p.subscribeLocked(taskID)
	p.mu.Unlock()
	p.poke()
	return s
}

// subscribeLocked is subscribe with p.mu held; the caller pokes the loop.
func (p *poller) subscribeLocked(taskID int64) *subscription {
	s := &subscription{p: p, id: taskID, notify: make(chan struct{}, 1)}
	w := p.tasks[taskID]
	if w == nil {
		ctx, cancel := context.WithCancel(context.Background())
		w = &watched{id: taskID, ctx: ctx, cancel: cancel, added: time.Now()}
		p.tasks[taskID] = w
	} else if w.finished {
		// Its end was delivered to the waits that were there; an earlier wait has not let go yet. This
		// wait would get nothing more: check the task again, and every wait of it gets its end.
		w.finished, w.added, w.lastCheck, w.failures, w.retryAt = false, time.Now(), time.Time{}, 0, time.Time{}
	}
	w.subs = append(w.subs, s)
	if p.stopLoop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		p.gen++
		p.stopLoop = cancel
		go p.loop(ctx, p.gen)
	}
	return s
}

// unsubscribe removes s; the last wait for a task cancels its requests, the last wait of all stops
// the loop.
func (p *poller) unsubscribe(s *subscription) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.tasks[s.id]
	if w == nil {
		return
	}
	w.subs = slices.DeleteFunc(w.subs, func(x *subscription) bool { return x == s })
	if len(w.subs) > 0 {
		return
	}
	w.cancel()
	delete(p.tasks, s.id)
	if len(p.tasks) == 0 && p.stopLoop != nil {
		p.stopLoop()
		p.stopLoop = nil
		p.gen++
	}
	p.poke()
}

// poke makes the loop recompute its next tick.
func (p *poller) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// next returns the next observation of the task, or ctx's error as soon as ctx ends.
func (s *subscription) next(ctx context.Context) (*Task, error) {
	for {
		s.mu.Lock()
		if s.fresh {
			s.fresh = false
			t, err := s.task, s.err
			s.mu.Unlock()
			return t, err
		}
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.notify:
		}
	}
}

func (s *subscription) stop() { s.p.unsubscribe(s) }

// post replaces the mailbox's content with the latest observation: a slow reader skips intermediate
// states (its progress events then merge transitions) but never misses the last one.
func (s *subscription) post(t *Task, err error) {
	s.mu.Lock()
	s.task, s.err, s.fresh = t, err, true
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// deliver posts an observation to every wait of w, each with its own copy of the task.
// Call with p.mu held.
func (w *watched) deliver(t *Task, err error) {
	for _, s := range w.subs {
		var cp *Task
		if t != nil {
			c := *t
			c.Subtasks = slices.Clone(t.Subtasks)
			cp = &c
		}
		s.post(cp, err)
	}
}

// loop runs the ticks until no wait is left (its generation goes stale).
func (p *poller) loop(ctx context.Context, gen int) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		if p.gen != gen {
			p.mu.Unlock()
			return
		}
		now := time.Now()
		at := p.nextTickLocked(now)
		p.mu.Unlock()
		if d := at.Sub(now); d > 0 {
			timer.Reset(d)
			select {
			case <-ctx.Done():
				return
			case <-p.wake:
				timer.Stop()
				continue
			case <-timer.C:
			}
		}
		p.tick(ctx)
	}
}

// predictedEnd is when w should end, in our clock, or zero when there is no prediction.
// Call with p.mu held.
func (p *poller) predictedEnd(w *watched) time.Time {
	if !w.ownEnd.IsZero() {
		return w.ownEnd
	}
	if w.name == "" || w.start.IsZero() {
		return time.Time{}
	}
	if est, ok := p.estimates[w.name].median(); ok {
		return w.start.Add(-p.offset).Add(est)
	}
	return time.Time{}
}

// due is when w should next be checked. Call with p.mu held.
func (p *poller) due(w *watched) time.Time {
	var at time.Time
	switch end := p.predictedEnd(w); {
	case w.lastCheck.IsZero():
		at = w.added.Add(p.sched.first)
	case end.IsZero():
		at = w.lastCheck.Add(p.sched.base)
	case w.lastCheck.Before(end.Add(p.sched.slack)):
		// Checks every mid until the predicted end, but none that would come less than mid/2 before it.
		at = end.Add(p.sched.slack)
		if at.Sub(w.lastCheck) > p.sched.mid*3/2 {
			at = w.lastCheck.Add(p.sched.mid)
		}
	default:
		at = w.lastCheck.Add(p.sched.overdueStep(w.overdue))
	}
	if at.Before(w.retryAt) {
		at = w.retryAt
	}
	return at
}

// pollable reports whether w still needs checks. Call with p.mu held.
func (w *watched) pollable() bool { return !w.finished && !w.inflight && len(w.subs) > 0 }

// nextTickLocked is when the next tick is due. Call with p.mu held.
func (p *poller) nextTickLocked(now time.Time) time.Time {
	next := now.Add(time.Hour) // nothing to poll: a subscription pokes the loop
	for _, w := range p.tasks {
		if w.pollable() {
			next = minTime(next, p.due(w))
		}
	}
	if !p.lastTick.IsZero() {
		next = maxTime(next, p.lastTick.Add(p.sched.minGap))
	}
	return maxTime(next, p.retryAt)
}

// tick checks the tasks: by detail when one task is waited (or the list is unusable), else by one
// task list plus the details of the tasks that left it and a few progress details.
func (p *poller) tick(ctx context.Context) {
	now := time.Now()
	p.mu.Lock()
	p.lastTick = now
	p.stats.ticks++
	var all, due []*watched
	horizon := now.Add(p.sched.minGap / 2)
	for _, w := range p.tasks {
		if !w.pollable() {
			continue
		}
		all = append(all, w)
		if !p.due(w).After(horizon) {
			due = append(due, w)
		}
	}
	listMode := len(all) > 1 && !p.listDisabled
	p.mu.Unlock()
	if len(all) == 0 {
		return
	}
	if !listMode {
		p.details(due, false)
		return
	}

	items, err := p.c.ListTasks(ctx, TaskListOptions{Statuses: []TaskStatus{TaskRunning}, PageSize: maxTaskPageSize})
	if ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	p.stats.lists++
	if err != nil {
		fallback := p.listFailedLocked(err, all)
		p.mu.Unlock()
		if fallback {
			p.details(due, false)
		}
		return
	}
	p.listFailures = 0
	running := make(map[int64]*Task, len(items))
	for i := range items {
		if !items[i].Status.Terminal() {
			running[items[i].ID] = &items[i]
		}
	}
	checked := time.Now()
	var ended, progress []*watched
	for _, w := range all {
		if !w.pollable() {
			continue
		}
		item, ok := running[w.id]
		if !ok {
			// Ended, or not a task OCP lists as running (an unknown status, a list that skipped it as
			// pages shifted, an unknown id): its detail says which.
			ended = append(ended, w)
			continue
		}
		w.name = item.Name
		if item.StartTime != nil {
			w.start = *item.StartTime
		}
		p.checkedLocked(w, checked)
		if checked.Sub(w.added) >= p.sched.first &&
			(w.lastDetail.IsZero() || checked.Sub(w.lastDetail) >= p.sched.progressEvery) && !checked.Before(w.retryAt) {
			progress = append(progress, w)
		}
	}
	// Tasks nothing is known about first, then the longest without a detail.
	slices.SortStableFunc(progress, func(a, b *watched) int {
		pa, pb := p.predictedEnd(a).IsZero(), p.predictedEnd(b).IsZero()
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		}
		return a.lastDetail.Compare(b.lastDetail)
	})
	progress = progress[:min(len(progress), maxProgressDetails)]
	p.mu.Unlock()
	p.details(ended, false)
	p.details(progress, true)
}

// listFailedLocked handles a failed task list and reports whether this tick should fall back to
// details. Call with p.mu held.
func (p *poller) listFailedLocked(err error, all []*watched) (fallback bool) {
	switch classifyPollError(err) {
	case pollFatal:
		p.c.logger.Error("OCP task list refused; the waits end", "error", err)
		for _, w := range all {
			p.failLocked(w, err)
		}
	case pollUnsupported:
		p.c.logger.Warn("OCP task list not usable; polling each task's detail instead", "error", err)
		p.listDisabled = true
		return true
	default:
		p.listFailures++
		if p.listFailures >= maxPollFailures {
			p.c.logger.Error("OCP task list keeps failing; the waits end", "failures", p.listFailures, "error", err)
			for _, w := range all {
				p.failLocked(w, err)
			}
			p.listFailures = 0
			return false
		}
		wait := p.sched.failureBackoff(p.listFailures)
		p.c.logger.Warn("OCP task list failed; backing off", "failures", p.listFailures, "wait", wait, "error", err)
		p.retryAt = time.Now().Add(wait)
	}
	return false
}

// checkedLocked records that w was seen running at t. Call with p.mu held.
func (p *poller) checkedLocked(w *watched, t time.Time) {
	if end := p.predictedEnd(w); !end.IsZero() && !t.Before(end.Add(p.sched.slack)) {
		w.overdue++
	}
	w.lastCheck = t
}

// failLocked ends w's waits with err. Call with p.mu held.
func (p *poller) failLocked(w *watched, err error) {
	w.finished = true
	w.deliver(nil, err)
}

// details starts reading the detail of each task, at most detailWorkers at a time across ticks, and
// does not wait: a slow answer for one task must not hold up the ticks of the others. A task stays out
// of the ticks while its detail is in flight.
func (p *poller) details(ws []*watched, progress bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range ws {
		if !w.pollable() {
			continue
		}
		w.inflight = true
		go func() {
			select {
			case p.sem <- struct{}{}:
			case <-w.ctx.Done():
				p.detailDone(w, nil, w.ctx.Err(), time.Time{}, time.Time{}, time.Time{}, progress)
				return
			}
			defer func() { <-p.sem }()
			sent := time.Now()
			t, serverNow, err := p.c.getTaskObserved(w.ctx, w.id)
			p.detailDone(w, t, err, sent, time.Now(), serverNow, progress)
		}()
	}
}

// detailDone applies one detail result.
func (p *poller) detailDone(w *watched, t *Task, err error, sent, recv, serverNow time.Time, progress bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.poke()
	w.inflight = false
	if w.ctx.Err() != nil || len(w.subs) == 0 {
		return // nobody waits for it any more
	}
	p.stats.details++
	if progress {
		p.stats.progressDetails++
	}
	if err != nil {
		if classifyPollError(err) != pollTransient {
			p.failLocked(w, err)
			return
		}
		w.failures++
		if w.failures >= maxPollFailures {
			p.failLocked(w, err)
			return
		}
		w.retryAt = recv.Add(p.sched.failureBackoff(w.failures))
		p.c.logger.Warn("reading an OCP task failed; backing off", "task_id", w.id, "failures", w.failures, "error", err)
		return
	}
	w.failures = 0
	w.lastDetail = recv
	w.name = t.Name
	if t.StartTime != nil {
		w.start = *t.StartTime
	}
	if !serverNow.IsZero() {
		p.offset = serverNow.Sub(sent.Add(recv.Sub(sent) / 2))
	}
	p.checkedLocked(w, recv)
	if t.Status.Terminal() {
		w.finished = true
		p.stats.terminal++
		if t.StartTime != nil && t.FinishTime != nil && t.Status == TaskSuccessful {
			p.sample(t.Name, t.FinishTime.Sub(*t.StartTime))
		}
	} else if end, ok := predictEnd(t, serverNow); ok {
		w.ownEnd = end.Add(-p.offset)
		if t.StartTime != nil && t.Operation != taskOperationRetry && t.Operation != taskOperationRollback {
			p.sample(t.Name, end.Sub(*t.StartTime))
		}
		if recv.Before(w.ownEnd.Add(p.sched.slack)) {
			w.overdue = 0
		}
	} else {
		w.ownEnd = time.Time{}
	}
	w.deliver(t, nil)
}

// sample records a total duration for tasks called name. Call with p.mu held.
func (p *poller) sample(name string, d time.Duration) {
	if name == "" || d <= 0 {
		return
	}
	s := p.estimates[name]
	if s == nil {
		s = &samples{}
		p.estimates[name] = s
	}
	s.add(d)
}

// samples is a ring of recent durations.
type samples struct {
	v    []time.Duration
	next int
}

func (s *samples) add(d time.Duration) {
	if len(s.v) < maxEstimateSamples {
		s.v = append(s.v, d)
		return
	}
	s.v[s.next] = d
	s.next = (s.next + 1) % maxEstimateSamples
}

func (s *samples) median() (time.Duration, bool) {
	if s == nil || len(s.v) == 0 {
		return 0, false
	}
	v := slices.Clone(s.v)
	slices.Sort(v)
	return v[len(v)/2], true
}

// predictEnd predicts, in OCP's clock, when a running task ends: the mean duration of its successful
// subtasks times the remaining longest path of its DAG, counted from the start of each running subtask
// (from serverNow for those ready to start). It has no prediction before a subtask has finished, or
// once one has failed.
func predictEnd(t *Task, serverNow time.Time) (time.Time, bool) {
	if t.Status.Terminal() || len(t.Subtasks) == 0 {
		return time.Time{}, false
	}
	var (
		sum   time.Duration
		n     int
		index = make(map[int64]int, len(t.Subtasks))
	)
	for i, s := range t.Subtasks {
		index[s.ID] = i
		switch s.Status {
		case SubtaskFailed:
			return time.Time{}, false
		case SubtaskSuccessful:
			if s.StartTime != nil && s.FinishTime != nil && !s.FinishTime.Before(*s.StartTime) {
				sum += s.FinishTime.Sub(*s.StartTime)
				n++
			}
		default:
			// Pending, ready, running or canceling: no duration to learn from yet.
		}
	}
	if n == 0 {
		return time.Time{}, false
	}
	mean := sum / time.Duration(n)
	if serverNow.IsZero() {
		serverNow = latestInstant(t)
	}
	// The DAG from both directions, in case OCP fills only one.
	down := make([][]int, len(t.Subtasks))
	up := make([][]int, len(t.Subtasks))
	link := func(from, to int) {
		if !slices.Contains(down[from], to) {
			down[from] = append(down[from], to)
			up[to] = append(up[to], from)
		}
	}
	for i, s := range t.Subtasks {
		for _, u := range s.Upstreams {
			if j, ok := index[u]; ok {
				link(j, i)
			}
		}
		for _, d := range s.Downstreams {
			if j, ok := index[d]; ok {
				link(i, j)
			}
		}
	}
	done := func(i int) bool { return t.Subtasks[i].Status == SubtaskSuccessful }
	// remaining[i] is the number of unfinished subtasks on the longest path from i; -1 marks a visit in
	// progress, so that a malformed (cyclic) DAG cannot loop.
	remaining := make([]int, len(t.Subtasks))
	var walk func(i int) int
	walk = func(i int) int {
		switch remaining[i] {
		case -1:
			return 0
		case 0:
		default:
			return remaining[i]
		}
		remaining[i] = -1
		longest := 0
		for _, d := range down[i] {
			if !done(d) {
				longest = max(longest, walk(d))
			}
		}
		remaining[i] = 1 + longest
		return remaining[i]
	}
	var end time.Time
	for i, s := range t.Subtasks {
		if done(i) {
			continue
		}
		from := serverNow
		if s.Status == SubtaskRunning && s.StartTime != nil {
			from = *s.StartTime
		} else if slices.ContainsFunc(up[i], func(u int) bool { return !done(u) }) {
			continue // waits for an unfinished upstream, whose path counts it
		}
		end = maxTime(end, from.Add(mean*time.Duration(walk(i))))
	}
	return end, !end.IsZero()
}

// latestInstant is the latest start or finish time in the task: a lower bound of OCP's clock.
func latestInstant(t *Task) time.Time {
	var latest time.Time
	consider := func(p *time.Time) {
		if p != nil {
			latest = maxTime(latest, *p)
		}
	}
	consider(t.StartTime)
	for _, s := range t.Subtasks {
		consider(s.StartTime)
		consider(s.FinishTime)
	}
	return latest
}

// getTaskObserved is GetTask that also returns OCP's clock at the time of the answer (the envelope's
// timestamp; zero when absent), which maps the task's instants to ours.
func (c *Client) getTaskObserved(ctx context.Context, taskID int64) (*Task, time.Time, error) {
	r := request{method: http.MethodGet, path: fmt.Sprintf("/tasks/instances/%d", taskID)}
	resp, err := c.doRetrying(ctx, r)
	if err != nil {
		return nil, time.Time{}, err
	}
	var t Task
	if err := decodeEnvelope(r.method, apiPrefix+r.path, resp, &t); err != nil {
		return nil, time.Time{}, err
	}
	var env struct {
		Timestamp string `json:"timestamp"`
	}
	var serverNow time.Time
	if json.Unmarshal(resp.body, &env) == nil && env.Timestamp != "" {
		if ts, err := time.Parse(time.RFC3339Nano, env.Timestamp); err == nil {
			serverNow = ts
		}
	}
	return &t, serverNow, nil
}

// pollErrorClass says what a failed poll means for the waits.
type pollErrorClass int

const (
	pollTransient   pollErrorClass = iota // back off and try again
	pollFatal                             // the waits concerned end with the error
	pollUnsupported                       // (task list only) the route is not usable: poll details instead
)

func classifyPollError(err error) pollErrorClass {
	var api *APIError
	if !errors.As(err, &api) {
		return pollTransient // connection errors, malformed responses
	}
	switch s := api.HTTPStatus; {
	case s == http.StatusTooManyRequests || s >= 500 && s != http.StatusNotImplemented:
		return pollTransient
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return pollFatal
	case s == http.StatusBadRequest || s == http.StatusNotFound || s == http.StatusMethodNotAllowed || s == http.StatusNotImplemented:
		if api.Path == apiPrefix+"/tasks/instances" {
			return pollUnsupported
		}
	}
	return pollFatal
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
