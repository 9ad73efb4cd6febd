package ocp

import (
	"errors"
	"net/http"
	"time"
)

// What a failed read means for the waits. OCP flapping is normal during the very incident a failover is
// for, so a wait outlasts any outage: failed reads are retried with the schedule's capped backoff until
// the wait's own context ends, and each wait is told that OCP is unreachable (Unreachable). Only answers
// that no retry can change end a wait early: 401 (credentials), and a 403 or 404 of the task's own detail
// (no permission on it, or the task is gone). A task list that OCP does not support or lets this user
// read (400, 403, 404, 405 or 501 on the list route, a request only the poller makes) makes the poller
// read each task's detail instead; so does a list that keeps failing, until it answers again.

// pollErrorClass says what a failed poll means for the waits.
type pollErrorClass int

const (
	pollTransient   pollErrorClass = iota // back off and try again, for as long as the waits last
	pollFatal                             // the waits concerned end with the error
	pollUnsupported                       // (task list only) the route is not usable: poll details instead
)

func classifyPollError(err error) pollErrorClass {
	var api *APIError
	if !errors.As(err, &api) {
		return pollTransient // connection errors, malformed responses, proxies' pages
	}
	switch s := api.HTTPStatus; {
	case s == http.StatusUnauthorized:
		return pollFatal
	case api.Path == apiPrefix+"/tasks/instances":
		switch s {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
			return pollUnsupported
		}
	case s == http.StatusForbidden || s == http.StatusNotFound:
		return pollFatal // the task's own detail
	}
	return pollTransient
}

// Unreachable reports that OCP has not answered a task's reads since Since: Failures reads in a row
// failed, the last with Err. A wait reports it at the first failure and then at most once per
// unreachableEvery; Recovered is set on the one report that says OCP answers again.
type Unreachable struct {
	TaskID    int64
	Since     time.Time
	Failures  int
	Err       error
	Recovered bool
}

// unreachableEvery is how often a wait repeats that OCP is still unreachable.
const unreachableEvery = time.Minute

// outage counts the failed reads in a row of one task, or of the task list.
type outage struct {
	since    time.Time
	failures int
	err      error
}

// fail records a failed read at t and returns the outage so far.
func (o *outage) fail(t time.Time, err error) Unreachable {
	if o.failures == 0 {
		o.since = t
	}
	o.failures++
	o.err = err
	return Unreachable{Since: o.since, Failures: o.failures, Err: err}
}

// reset records a successful read.
func (o *outage) reset() { *o = outage{} }
