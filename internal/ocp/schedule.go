package ocp

import "time"

// When the poller checks a task. Every wait is "checked" on ticks of one shared loop (poller.go); this
// file decides when a task is due, from a prediction of its end (predict.go):
//   - a new wait is first checked after first = min(base/2, 1s);
//   - without a prediction, a task is checked every base (PollInterval, 2s by default);
//   - with one, it is checked just after its predicted end (+slack), and every mid = 1.5*base before
//     it in case it ends early (a failure, or a wrong prediction), skipping a check that would come
//     less than mid/2 before the predicted one;
//   - once past the predicted end and still running, the checks come after base/8, base/4, base/2,
//     then every base;
//   - ticks are at least minGap = base/8 apart; a tick checks every task (a list costs the same for one
//     task or two hundred), so tasks ending close together share it;
//   - after failed reads, the next check waits base, 2*base, 4*base, then 8*base between attempts, for
//     as long as the waits last (pollfail.go).

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

// failureBackoff is the wait after the n-th failed read in a row: base, 2*base, 4*base, then 8*base.
func (s schedule) failureBackoff(n int) time.Duration {
	return s.base << min(max(n-1, 0), 3)
}

// predictedEnd is when w should end, in our clock, or zero when there is no prediction: its own
// prediction, else the median duration of tasks of its name. Call with p.mu held.
func (p *poller) predictedEnd(w *watched) time.Time {
	if !w.ownEnd.IsZero() {
		return w.ownEnd
	}
	if w.name == "" || w.start.IsZero() {
		return time.Time{}
	}
	if est, ok := p.estimates[w.name].median(); ok {
		offset, _, _ := p.c.clock.get()
		return w.start.Add(-offset).Add(est)
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
	if p.list.failures < listFailuresBeforeDetails {
		next = maxTime(next, p.retryAt) // nothing is read until the list is tried again
	}
	return next
}

// checkedLocked records that w was seen running at t. Call with p.mu held.
func (p *poller) checkedLocked(w *watched, t time.Time) {
	if end := p.predictedEnd(w); !end.IsZero() && !t.Before(end.Add(p.sched.slack)) {
		w.overdue++
	}
	w.lastCheck = t
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
