package ocp

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
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
	Err    error
}

// Error says the task is still running, not that it failed.
func (e *WaitInterruptedError) Error() string {
	if e.Last == nil {
		return fmt.Sprintf("stopped waiting for OCP task %d before its state was known: %v", e.TaskID, e.Err)
	}
	done := 0
	for _, s := range e.Last.Subtasks {
		if s.Status == SubtaskSuccessful {
			done++
		}
	}
	return fmt.Sprintf("stopped waiting for OCP task %d %q (last seen %s, %d of %d subtasks successful; it keeps running in OCP): %v",
		e.TaskID, e.Last.Name, e.Last.Status, done, len(e.Last.Subtasks), e.Err)
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
	Err   error
}

// Error says both that the outcome is unknown and how to check.
func (e *OutcomeUnknownError) Error() string {
	s := fmt.Sprintf("OCP %s may or may not have started: %v", e.Op, e.Err)
	if e.Check != "" {
		s += "; " + e.Check
	}
	return s
}

// Unwrap returns the transport or decoding error.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// isBusyCode reports whether an HTTP 400 error code means the tenant or cluster already has an
// operation running. [assumed]: OCP's own codes for this were not found; the list holds the
// simulator's (which it sends with HTTP 409, busy whatever the code) and is the one place to extend
// when a real OCP code is seen. OCP's 20003 (task state invalid) is deliberately absent: it also
// answers retrying a task that already succeeded, which is not "busy".
func isBusyCode(c ErrorCode) bool {
	switch c {
	case "60100", // tenant busy
		"50011": // cluster busy
		return true
	}
	return false
}

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

// IsRefused reports whether OCP answered a request with an error envelope, so that it had no effect: a
// definite refusal, unlike an OutcomeUnknownError (whose own lookup may have failed with an APIError).
func IsRefused(err error) bool {
	var (
		apiErr  *APIError
		unknown *OutcomeUnknownError
	)
	return errors.As(err, &apiErr) && !errors.As(err, &unknown)
}

// IsBusy reports whether OCP refused an operation because the tenant or cluster already has one running.
func IsBusy(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return e.HTTPStatus == http.StatusConflict || (e.HTTPStatus == http.StatusBadRequest && isBusyCode(e.Code))
}
