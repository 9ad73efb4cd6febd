package ocp

import (
	"context"
	"slices"
	"sync"
	"time"
)

// This file holds the one task poller each Client runs for all its concurrent WaitForTask calls, and
// how its observations fan out to the waits. When a task is checked is schedule.go's business, the
// prediction of its end predict.go's, and what a failed read means pollfail.go's.
//
// A tick reads either the task detail (when the client waits for a single task: one request gives both
// the status and the progress) or, when it waits for several, one task-list request for all of them
// (GET /tasks/instances?status=RUNNING, 2000 a page), followed by one detail request per task that left
// the list (it has ended: the detail brings its subtasks, so that the final progress events, a failed
// task's subtasks and the returned Task stay what a per-task poll would give) and a few progress details.
// While the list fails (listFailuresBeforeDetails times in a row, and until it answers again) each due
// task is read by its detail, so that a list a gateway times out does not hide tasks that ended.
//
// Progress. A single wait gets every detail, so every subtask transition the poll rate can see. With
// several waits, each tick also reads the detail of at most maxProgressDetails tasks whose last detail
// is older than 3*base (tasks without a prediction first): progress events of a big batch come in
// coarser steps, and all remaining transitions arrive with the final detail. That keeps the requests of
// a batch bounded by ~1 list per tick plus a few details, not one request per task per tick.
//
// The poller's reads are sent once each (no transport retries): its own backoff (pollfail.go) is the
// retry policy, so that a wait's checks never stack retry delays on top of the schedule.
//
// Cancellation. Each wait reads its own mailbox and returns as soon as its context ends; its
// unsubscribing cancels the requests in flight for its task once no other wait shares it, and the loop
// stops when no wait is left. One wait's cancellation never touches another's.

const (
	// maxProgressDetails is how many progress details one tick may read when several tasks are waited.
	maxProgressDetails = 4
	// detailWorkers is how many detail requests the poller has in flight at most.
	detailWorkers = 8
	// listFailuresBeforeDetails is how many task lists in a row must fail before the tasks are read by
	// detail: one failure may be a blip, which a batch should not answer with a detail per task.
	listFailuresBeforeDetails = 2
)

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
	retryAt      time.Time // after list failures: no list before this (nor any tick, before the details take over)
	list         outage    // failed task lists in a row
	listDisabled bool
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
	fails                 outage    // failed reads in a row: its detail's, or the lists' while it depends on them
	failsByList           bool      // fails has no failure of its own detail: a list that shows the task ends it
	fatal                 error     // what ended its waits early (401, its 403/404); nil otherwise
	retryAt               time.Time
	inflight, finished    bool
}

func newPoller(c *Client, base time.Duration) *poller {
	return &poller{c: c, sched: newSchedule(base), wake: make(chan struct{}, 1),
		sem:   make(chan struct{}, detailWorkers),
		tasks: map[int64]*watched{}, estimates: map[string]*samples{}}
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
	} else if w.finished && w.fatal != nil {
		// Its waits ended with an answer no retry changes (credentials refused, the task unknown): so does
		// this one, without asking OCP again.
		w.subs = append(w.subs, s)
		s.post(nil, w.fatal)
		return s
	} else if w.finished {
		// Its end was delivered to the waits that were there; an earlier wait has not let go yet. This
		// wait would get nothing more: check the task again, and every wait of it gets its end.
		w.finished, w.added, w.lastCheck, w.retryAt = false, time.Now(), time.Time{}, time.Time{}
		w.fails.reset()
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

// pollable reports whether w still needs checks. Call with p.mu held.
func (w *watched) pollable() bool { return !w.finished && !w.inflight && len(w.subs) > 0 }

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

// tellUnreachable posts an outage report to every wait of w. Call with p.mu held.
func (w *watched) tellUnreachable(u Unreachable) {
	u.TaskID = w.id
	for _, s := range w.subs {
		s.postUnreachable(u)
	}
}

// answered records a successful read of w (by the list, or its detail): waits told of an outage hear
// that OCP answers again. A list ends only an outage of lists: it says nothing of a detail that fails.
// Call with p.mu held.
func (w *watched) answered(byList bool) {
	if w.fails.failures > 0 && (!byList || w.failsByList) {
		w.tellUnreachable(Unreachable{Since: w.fails.since, Failures: w.fails.failures, Recovered: true})
		w.fails.reset()
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

// tick checks the tasks: by detail when one task is waited (or the list is unusable or failing), else
// by one task list plus the details of the tasks that left it and a few progress details.
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
	// Once the list has failed listFailuresBeforeDetails times in a row, the due tasks are read by
	// detail, and the list is tried again only after its backoff.
	failing := p.list.failures >= listFailuresBeforeDetails
	byList := len(all) > 1 && !p.listDisabled && (!failing || !now.Before(p.retryAt))
	p.mu.Unlock()
	if len(all) == 0 {
		return
	}
	if !byList || failing {
		p.details(due, false) // first: a failing list may take its whole timeout to answer
		if !byList {
			return
		}
	}

	items, _, err := p.c.listTasks(ctx, TaskListOptions{Statuses: []TaskStatus{TaskRunning}, PageSize: maxTaskPageSize}, false)
	if ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	p.stats.lists++
	if err != nil {
		fallback := p.listFailedLocked(err, all)
		p.mu.Unlock()
		if fallback && !failing {
			p.details(due, false)
		}
		return
	}
	p.list.reset()
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
			// pages shifted, an unknown id): its detail says which, once its backoff allows.
			if !checked.Before(w.retryAt) {
				ended = append(ended, w)
			}
			continue
		}
		w.answered(true)
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
// details. Once it does, the waits hear of failures of their own details only. Call with p.mu held.
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
		now := time.Now()
		u := p.list.fail(now, err)
		wait := p.sched.failureBackoff(u.Failures)
		p.c.logger.Warn("OCP task list failed; backing off", "failures", u.Failures, "since", u.Since.Format(time.RFC3339),
			"wait", wait.String(), "error", err)
		p.retryAt = now.Add(wait)
		if u.Failures >= listFailuresBeforeDetails {
			return true
		}
		for _, w := range all {
			if w.fails.failures == 0 {
				w.failsByList = true
			}
			w.tellUnreachable(w.fails.fail(now, err))
		}
	}
	return false
}

// failLocked ends w's waits with err, which no retry changes. Call with p.mu held.
func (p *poller) failLocked(w *watched, err error) {
	w.finished, w.fatal = true, err
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
				p.detailDone(w, nil, observation{}, w.ctx.Err(), progress)
				return
			}
			defer func() { <-p.sem }()
			var t Task
			obs, err := p.c.callObserved(w.ctx, request{method: "GET", path: taskPath(w.id)}, false, &t)
			p.detailDone(w, &t, obs, err, progress)
		}()
	}
}

// detailDone applies one detail result.
func (p *poller) detailDone(w *watched, t *Task, obs observation, err error, progress bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.poke()
	w.inflight = false
	if w.ctx.Err() != nil || len(w.subs) == 0 {
		return // nobody waits for it any more
	}
	if w.finished {
		return // its waits have their end (a 401 of the list while this was in flight): nothing may replace it
	}
	p.stats.details++
	if progress {
		p.stats.progressDetails++
	}
	recv := obs.recv
	if recv.IsZero() {
		recv = time.Now()
	}
	if err != nil {
		if classifyPollError(err) == pollFatal {
			p.failLocked(w, err)
			return
		}
		u := w.fails.fail(recv, err)
		w.failsByList = false
		w.retryAt = recv.Add(p.sched.failureBackoff(u.Failures))
		p.c.logger.Warn("reading an OCP task failed; backing off", "task_id", logID(w.id), "failures", u.Failures,
			"since", u.Since.Format(time.RFC3339), "error", err)
		w.tellUnreachable(u)
		return
	}
	w.answered(false)
	w.lastDetail = recv
	w.name = t.Name
	if t.StartTime != nil {
		w.start = *t.StartTime
	}
	p.checkedLocked(w, recv)
	if t.Status.Terminal() {
		w.finished = true
		p.stats.terminal++
		if t.StartTime != nil && t.FinishTime != nil && t.Status == TaskSuccessful {
			p.sample(t.Name, t.FinishTime.Sub(*t.StartTime))
		}
	} else if end, ok := predictEnd(t, obs.server); ok {
		offset, _, _ := p.c.clock.get()
		w.ownEnd = end.Add(-offset)
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
