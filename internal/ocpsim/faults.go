package ocpsim

import (
	"net/http"
	"time"
)

// faultState holds the injected faults. Guarded by Sim.mu.
type faultState struct {
	failNext   map[OpKind]string
	noEffect   map[OpKind]bool
	fail       map[string]*requestFault
	latency    map[string]time.Duration
	drop       map[string]int // after effect
	dropBefore map[string]int
	outage     OutageMode
}

// OutageMode is how the simulator fails every request during an outage (SetOutage).
type OutageMode string

// The outage modes.
const (
	// OutageNone is no outage.
	OutageNone OutageMode = ""
	// Outage503 answers HTTP 503 with OCP's error envelope, as OCP does while it cannot serve.
	Outage503 OutageMode = "503"
	// OutageGateway answers HTTP 502 with an HTML page and no envelope, as a load balancer or reverse
	// proxy in front of a dead OCP does.
	OutageGateway OutageMode = "gateway"
	// OutageReset closes the connection without an answer.
	OutageReset OutageMode = "reset"
)

// requestFault answers the next n requests of a route with an error and no effect.
type requestFault struct {
	status     int
	n          int
	retryAfter time.Duration
}

func newFaultState() faultState {
	return faultState{
		failNext:   map[OpKind]string{},
		noEffect:   map[OpKind]bool{},
		fail:       map[string]*requestFault{},
		latency:    map[string]time.Duration{},
		drop:       map[string]int{},
		dropBefore: map[string]int{},
	}
}

// FailNextSubtask makes the next task of kind fail at the subtask called subtaskName: the subtask runs
// its step and ends FAILED, the task ends FAILED and can be retried (the retry succeeds) or rolled back.
// An unknown subtask name is logged and ignored.
func (s *Sim) FailNextSubtask(op OpKind, subtaskName string) {
	tmpl := s.templates[op]
	if tmpl == nil || !tmpl.hasStep(subtaskName) {
		s.log.Warn("FailNextSubtask: no such subtask, ignored", "op", op, "subtask", subtaskName)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failNext[op] = subtaskName
}

// SucceedWithoutEffect makes the next task of kind end SUCCESSFUL without changing any role or type:
// OCP reports a success that its tenant and cluster details then contradict, so a client that confirms
// a success by reading the role again can be tested.
func (s *Sim) SucceedWithoutEffect(op OpKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.noEffect[op] = true
}

// FailRequests makes the next n requests of route answer status (a 5xx or 429) with the error envelope,
// and a Retry-After header of whole seconds when retryAfter > 0. Those requests have no effect.
func (s *Sim) FailRequests(route string, status int, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.faults.fail, route)
		return
	}
	s.faults.fail[route] = &requestFault{status: status, n: n, retryAfter: retryAfter}
}

// SetLatency delays every answer of route by d (0 removes it). A client that gives up first gets
// nothing, and the request has no effect.
func (s *Sim) SetLatency(route string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.faults.latency, route)
		return
	}
	s.faults.latency[route] = d
}

// DropAfterEffect makes the next n requests of route take effect and then lose their answer: the
// connection is closed without a response, as when a proxy or the network fails after the server acted.
func (s *Sim) DropAfterEffect(route string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.faults.drop, route)
		return
	}
	s.faults.drop[route] = n
}

// DropBeforeEffect makes the next n requests of route lose their connection before the simulator acts:
// the connection is closed without a response and the request has no effect, as when the network fails
// on the way in.
func (s *Sim) DropBeforeEffect(route string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.faults.dropBefore, route)
		return
	}
	s.faults.dropBefore[route] = n
}

// SetOutage makes every request, on every route, fail without effect in the given mode until
// ClearOutage (or SetOutage(OutageNone)). Tasks keep progressing in the background, so a client that
// waits out the outage finds them further on. The failed requests count in Counters.Requests. An
// unknown mode is logged and ignored.
func (s *Sim) SetOutage(mode OutageMode) {
	switch mode {
	case OutageNone, Outage503, OutageGateway, OutageReset:
	default:
		s.log.Warn("SetOutage: unknown mode, ignored", "mode", mode)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.outage = mode
}

// ClearOutage ends the outage: requests are answered again.
func (s *Sim) ClearOutage() { s.SetOutage(OutageNone) }

// SetStepDuration sets how long each subtask runs and turns off the TaskDuration override. It applies
// to subtasks started from now on and also to those running now, counted from their start: a test can
// hold a task running with a long step and release it with a short one.
func (s *Sim) SetStepDuration(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.step = max(d, time.Microsecond)
	s.taskDuration = 0
	if !s.closed {
		s.rescheduleRunning()
	}
}

// takeRequestFault consumes one request fault of route, if any. Call with s.mu held.
func (s *Sim) takeRequestFault(route string) (*requestFault, bool) {
	f, ok := s.faults.fail[route]
	if !ok {
		return nil, false
	}
	f.n--
	if f.n <= 0 {
		delete(s.faults.fail, route)
	}
	return f, true
}

// takeDrop consumes one drop of route from drops (faults.drop or faults.dropBefore), if any. Call with
// s.mu held.
func takeDrop(drops map[string]int, route string) bool {
	n := drops[route]
	if n <= 0 {
		return false
	}
	if n == 1 {
		delete(drops, route)
	} else {
		drops[route] = n - 1
	}
	return true
}

// faultError is the envelope error of an injected request failure.
func faultError(status int) *Error {
	if status == http.StatusTooManyRequests {
		return errf(status, CodeTooManyRequests, "Too many requests (simulated fault).")
	}
	return errf(status, CodeUnexpected, "Unexpected error (simulated fault): %s.", http.StatusText(status))
}
