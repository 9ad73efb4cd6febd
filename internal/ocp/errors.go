package ocp

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// APIError is an error envelope answered by OCP (or an HTTP 200 whose envelope says successful:false).
type APIError struct {
	// HTTPStatus is the HTTP status, or the envelope's status when OCP answered HTTP 2xx with
	// successful:false, so that classification sees the status OCP meant.
	HTTPStatus int
	// Code is OCP's error code (a number on some versions, a string on others).
	Code ErrorCode
	// Message is OCP's message, meant for people.
	Message string
	// TraceID identifies the request in OCP's logs; keep it in every message shown to a user.
	TraceID string
	// Method and Path name the request, without host or query.
	Method, Path string
	// AccessKey says the request was signed with an AccessKey, whose signature covers the time: a 401
	// may then mean that this machine's clock is more than 15 minutes from OCP's.
	AccessKey bool
}

// Error reads like `OCP POST /api/v2/ob/...: HTTP 404, code 60018: Tenant not found (trace id 94bc…)`.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OCP %s %s: HTTP %d", e.Method, e.Path, e.HTTPStatus)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.HTTPStatus)
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (trace id %s)", e.TraceID)
	}
	return b.String()
}

// DecodeError is a response that is not a well-formed OCP envelope: not JSON, truncated JSON, a JSON
// document without the envelope keys, or data of an unexpected shape. Proxies and load balancers
// produce these, so a DecodeError never says anything about the OCP object asked for.
type DecodeError struct {
	Method, Path string
	HTTPStatus   int
	TraceID      string
	// Body is a short, printable excerpt of the response body, to tell an HTML error page from a
	// truncated envelope. Responses never carry the client's credentials.
	Body string
	Err  error
}

// Error names the request, status, cause and body excerpt.
func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OCP %s %s: HTTP %d: unexpected response: %v", e.Method, e.Path, e.HTTPStatus, e.Err)
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (trace id %s)", e.TraceID)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, "; body starts %q", e.Body)
	}
	return b.String()
}

// Unwrap returns the decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

// TaskFailedError is a task that ended FAILED.
type TaskFailedError struct {
	Task   *Task
	Failed []Subtask
}

// Error names the task and its failed subtasks, which is what an operator looks up in OCP.
func (e *TaskFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OCP task %d %q failed", e.Task.ID, e.Task.Name)
	if len(e.Failed) == 0 {
		b.WriteString(" (OCP reported no failed subtask)")
	} else {
		b.WriteString(": failed subtasks ")
		for i, s := range e.Failed {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q (id %d)", s.Name, s.ID)
		}
	}
	if e.Task.TraceID != "" {
		fmt.Fprintf(&b, " (trace id %s)", e.Task.TraceID)
	}
	return b.String()
}

// WaitInterruptedError is returned when the context ended while waiting for a task. The task itself
// goes on running in OCP; Last is the most recent state seen (nil if none was).
type WaitInterruptedError struct {
	TaskID int64
	Last   *Task
	// Unreachable, when not nil, says that OCP had not answered the task's reads since then.
	Unreachable *Unreachable
	Err         error
}

// Error says the task is still running, not that it failed.
func (e *WaitInterruptedError) Error() string {
	var down string
	if u := e.Unreachable; u != nil {
		down = fmt.Sprintf("; OCP was unreachable since %s (%d failed reads, last: %v)", u.Since.UTC().Format(time.RFC3339), u.Failures, u.Err)
	}
	if e.Last == nil {
		return fmt.Sprintf("stopped waiting for OCP task %d before its state was known: %v%s", e.TaskID, e.Err, down)
	}
	done := 0
	for _, s := range e.Last.Subtasks {
		if s.Status == SubtaskSuccessful {
			done++
		}
	}
	return fmt.Sprintf("stopped waiting for OCP task %d %q (last seen %s, %d of %d subtasks successful; it keeps running in OCP): %v%s",
		e.TaskID, e.Last.Name, e.Last.Status, done, len(e.Last.Subtasks), e.Err, down)
}

// Unwrap returns the context's error, so errors.Is(err, context.DeadlineExceeded) works.
func (e *WaitInterruptedError) Unwrap() error { return e.Err }

// OutcomeUnknownError is returned when a request that starts an operation may or may not have reached
// OCP (connection lost, timeout, gateway error) and the task list did not show the operation started.
// The client never resends such a request itself: sending it twice could run the operation twice.
type OutcomeUnknownError struct {
	// Op describes the operation, for example "switchover of tenant 1002 (cluster 1)".
	Op string
	// Check says how an operator can find out, for example which task to look for in OCP.
	Check string
	// Candidates are tasks that may be the one the request started, running or already ended; none of
	// them could be told apart (empty when no task was found at all).
	Candidates []int64
	Err        error
}

// Error says both that the outcome is unknown and how to check.
func (e *OutcomeUnknownError) Error() string {
	s := fmt.Sprintf("OCP %s may or may not have started: %v", e.Op, e.Err)
	if len(e.Candidates) > 0 {
		ids := make([]string, len(e.Candidates))
		for i, id := range e.Candidates {
			ids[i] = strconv.FormatInt(id, 10)
		}
		s += fmt.Sprintf("; OCP lists task(s) %s that may be it, and the provider cannot tell which", strings.Join(ids, ", "))
	}
	if e.Check != "" {
		s += "; " + e.Check
	}
	return s
}

// Unwrap returns the transport or decoding error.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// OCP error codes the client classifies [doc]. They are strings on current OCP versions.
const (
	// CodeTenantStatusUnsupported: the tenant does not support the operation in its current status,
	// which is how OCP refuses an operation on a tenant that another task is changing.
	CodeTenantStatusUnsupported ErrorCode = "OBE21005"
	// CodeClusterTaskInProgress: the last O&M task of the cluster is still in progress.
	CodeClusterTaskInProgress ErrorCode = "OBE11020"
	// CodeTaskConflict is a task-engine refusal OCP documents beside the two above.
	CodeTaskConflict ErrorCode = "TSK10007"
	// CodePrimaryTenantAlive: a tenant failover was refused because the standby's primary tenant is
	// alive; OCP fails over only a standby whose primary is unavailable.
	CodePrimaryTenantAlive ErrorCode = "OBE26019"
)

// busyCodes are the codes with which OCP refuses an operation because the tenant or cluster already has
// one under way. It is the one list to extend when an OCP version answers busy with another code.
var busyCodes = []ErrorCode{CodeTenantStatusUnsupported, CodeClusterTaskInProgress, CodeTaskConflict}

// isBusyCode reports whether an error code means "busy with another operation".
func isBusyCode(c ErrorCode) bool { return slices.Contains(busyCodes, c) }

// IsNotFound reports whether err is OCP answering 404 for the object asked for. A 404 without an
// OCP envelope (a proxy's page) is a DecodeError and does not count: it says nothing of the object.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound
}

// IsUnauthorized reports whether OCP refused the credentials (401) or the permission (403).
func IsUnauthorized(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden)
}

// IsUnauthenticated reports whether OCP refused the credentials themselves (HTTP 401): no request can
// succeed with them. A 403 (the user lacks a permission) is not one of these.
func IsUnauthenticated(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.HTTPStatus == http.StatusUnauthorized
}

// IsRefused reports whether OCP answered a request with an error envelope and a 4xx status, so that
// the request had no effect: a definite refusal, unlike an OutcomeUnknownError (whose own lookup may have
// failed with an APIError) or a 5xx, after which OCP may have acted.
func IsRefused(err error) bool {
	var (
		apiErr  *APIError
		unknown *OutcomeUnknownError
	)
	return errors.As(err, &apiErr) && apiErr.HTTPStatus >= 400 && apiErr.HTTPStatus < 500 && !errors.As(err, &unknown)
}

// IsBusy reports whether OCP refused an operation because the tenant or cluster already has one running.
func IsBusy(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return e.HTTPStatus == http.StatusConflict || (e.HTTPStatus == http.StatusBadRequest && isBusyCode(e.Code))
}

// IsPrimaryAlive reports whether OCP refused a tenant failover because the standby's primary is alive.
func IsPrimaryAlive(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == CodePrimaryTenantAlive
}

// IsUnreachable reports whether err is a transport failure: OCP could not be reached or did not answer
// (connection refused or reset, DNS, TLS, timeout), as opposed to an answer OCP gave.
func IsUnreachable(err error) bool {
	var (
		urlErr *url.Error
		opErr  *net.OpError
	)
	return errors.As(err, &urlErr) || errors.As(err, &opErr)
}

// MissingRoleError says that OCP's tenant detail carries no tenant role. OCP's published reference has
// no role field on the tenant detail; the client reads `tenantRole` where OCP sends it and refuses to
// guess it otherwise: an operation decided on a guessed role could demote the wrong tenant.
type MissingRoleError struct {
	ClusterID, TenantID int64
	Name                string
}

// Error says what is missing and where to read more.
func (e *MissingRoleError) Error() string {
	name := ""
	if e.Name != "" {
		name = " (" + e.Name + ")"
	}
	return fmt.Sprintf("OCP's tenant detail of tenant %d%s of cluster %d carries no tenant role (no tenantRole field): "+
		"this OCP version does not report which tenant of a pair is PRIMARY, so the provider cannot decide a switchover "+
		"or failover from it; see the provider's API compatibility guide", e.TenantID, name, e.ClusterID)
}
