package ocpsim

import (
	"net/http"
	"time"
)

// faultState holds the injected faults. Guarded by Sim.mu.
type faultState struct {
	failNext   map[OpKind]string
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

// SetStandbySync sets a standby's log delay and sync status (for example "STANDBY LOG NOT MATCH").
// An unknown tenant is logged and ignored.
func (s *Sim) SetStandbySync(tenantID int64, delayMillis int64, syncStatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetStandbySync: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	t.LogSyncDelayMillis = &delayMillis
	t.SyncStatus = syncStatus
}

// SetTenantRole changes a tenant's role behind the client's back, to test drift detection. Making a
// tenant PRIMARY also clears its primary and sync fields, as OCP would show them.
func (s *Sim) SetTenantRole(tenantID int64, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetTenantRole: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	if role == RolePrimary {
		setPrimaryFields(t)
		return
	}
	t.TenantRole = role
}

// SetTenantDown marks a tenant unavailable (down) or available again. A down primary lets its standbys
// be failed over (OCP refuses otherwise, OBE26019), and a precheck involving a down tenant blocks
// (OBE26006), so a switchover is refused. Nothing else changes: the tenant reads as before, and its
// standbys keep their sync fields (SetStandbySync sets the lag a lost primary leaves). An unknown tenant
// is logged and ignored.
func (s *Sim) SetTenantDown(tenantID int64, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetTenantDown: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	t.Down = down
}

// SetTenantStatus shows a tenant in status (MODIFYING, CREATING, anything) behind the client's back, as
// a disaster may leave it. The rules stay OCP's: a switchover or failover of a tenant that is not
// NORMAL is refused (OBE21005) even with no task running, and its precheck blocks (OBE26004). A task
// that later runs on the tenant sets MODIFYING and, when it ends, NORMAL. An unknown tenant or an
// empty status is logged and ignored.
func (s *Sim) SetTenantStatus(tenantID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok || status == "" {
		s.log.Warn("SetTenantStatus: no such tenant or no status, ignored", "tenantId", tenantID, "status", status)
		return
	}
	t.Status = status
}

// SetClusterStatus shows a cluster in status (OPERATING, UNAVAILABLE, anything) behind the client's
// back. Cluster failover's rules do not look at the status: a standby cluster in an odd status can be
// failed over, only a running task on it refuses (OBE11020). A cluster failover sets FAILOVER and, when
// it ends, RUNNING. An unknown cluster or an empty status is logged and ignored.
func (s *Sim) SetClusterStatus(clusterID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok || status == "" {
		s.log.Warn("SetClusterStatus: no such cluster or no status, ignored", "clusterId", clusterID, "status", status)
		return
	}
	c.Status = status
}

// SetClusterSync sets a standby cluster's delay (seconds) and sync status (VALID, DISABLED,
// SYNCHRONIZING or anything else a test needs), as the documented cluster detail shows them; a
// negative delay goes back to deriving it from the cluster's standby tenants. It changes no rule. An
// unknown cluster is logged and ignored.
func (s *Sim) SetClusterSync(clusterID int64, delaySeconds float64, syncStatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok {
		s.log.Warn("SetClusterSync: no such cluster, ignored", "clusterId", clusterID)
		return
	}
	c.DelayTime = nil
	if delaySeconds >= 0 {
		c.DelayTime = &delaySeconds
	}
	c.SyncStatus = syncStatus
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
