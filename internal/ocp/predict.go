package ocp

import (
	"slices"
	"time"
)

// Predicting when a running task ends, so that the poller checks it just after (schedule.go). A task's
// detail gives the durations of its finished subtasks and the start of the running ones; their median
// times the remaining longest path of the DAG predicts the end in OCP's clock. Tasks of the same name
// share what was learnt (the median of predicted and measured total durations), so that one detail
// predicts a whole batch.
//
// On a real OCP, subtasks of one task differ in length by orders of magnitude (a metadata update takes
// a second, a log restore minutes). While a long subtask runs, the prediction is early, and the checks
// after it come in quickening steps, then every base: the cost of a fixed interval. Once it has ended,
// the median of the finished steps ignores it, so the short steps left are predicted well (make bench's
// "uneven subtasks" scenario measures this; the mean, used before, predicted them as long and missed the
// detection target there). What bounds a wrong prediction is the schedule: a task is checked at least
// every mid before its predicted end.

// maxEstimateSamples is how many duration samples per task name the predictor keeps.
const maxEstimateSamples = 32

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

// predictEnd predicts, in OCP's clock, when a running task ends: the median duration of its successful
// subtasks times the remaining longest path of its DAG, counted from the start of each running subtask
// (from serverNow for those ready to start). It has no prediction before a subtask has finished, or
// once one has failed.
func predictEnd(t *Task, serverNow time.Time) (time.Time, bool) {
	if t.Status.Terminal() || len(t.Subtasks) == 0 {
		return time.Time{}, false
	}
	var (
		durations []time.Duration
		index     = make(map[int64]int, len(t.Subtasks))
	)
	for i, s := range t.Subtasks {
		index[s.ID] = i
		switch s.Status {
		case SubtaskFailed:
			return time.Time{}, false
		case SubtaskSuccessful:
			if s.StartTime != nil && s.FinishTime != nil && !s.FinishTime.Before(*s.StartTime) {
				durations = append(durations, s.FinishTime.Sub(*s.StartTime))
			}
		default:
			// Pending, ready, running or canceling: no duration to learn from yet.
		}
	}
	if len(durations) == 0 {
		return time.Time{}, false
	}
	// The median, not the mean: one long subtask (a log restore among metadata updates) would make the
	// mean predict every remaining short step as long, and the task's end far too late.
	slices.Sort(durations)
	step := durations[len(durations)/2]
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
		end = maxTime(end, from.Add(step*time.Duration(walk(i))))
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
