package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// A wait that ends because OCP stopped answering the task's reads (here a 403) ended only the wait: the
// diagnostic says that the task may still be running and that applying again waits for it, as it does
// for a timeout; a timeout says so itself, with the outage it ended in.
func TestProblemDetail(t *testing.T) {
	t.Parallel()
	forbidden := &ocp.APIError{HTTPStatus: 403, Code: "30014", Message: "Access denied", Method: "GET", Path: "/api/v2/tasks/instances/5000000007", TraceID: "abc"}
	d := problemDetail(dr.Problem{Severity: dr.Error, Summary: "Error waiting for the switchover", Target: "switchover of primary a to standby b",
		Err: forbidden, TaskID: 5000000007, Waiting: true})
	for _, want := range []string{"Switchover of primary a to standby b.", "HTTP 403", "OCP trace id: abc", "may still be running",
		fmt.Sprintf("waits for task %d", 5000000007)} {
		if !strings.Contains(d, want) {
			t.Errorf("detail lacks %q:\n%s", want, d)
		}
	}

	since := time.Date(2026, 12, 1, 10, 4, 5, 0, time.UTC)
	timeout := &ocp.WaitInterruptedError{TaskID: 9, Err: context.DeadlineExceeded,
		Unreachable: &ocp.Unreachable{Since: since, Failures: 12, Err: errors.New("connection refused")}}
	d = problemDetail(dr.Problem{Severity: dr.Error, Summary: "x", Err: timeout, TaskID: 9, Waiting: true})
	for _, want := range []string{"the timeout ran out", "since 2026-12-01 10:04:05 UTC (12 failed reads", "waits for task 9"} {
		if !strings.Contains(d, want) {
			t.Errorf("detail lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "Only the wait ended") {
		t.Errorf("a timeout says itself that the task goes on:\n%s", d)
	}

	// The AccessKey clock hint only for AccessKey auth; no empty trace id; no doubled punctuation.
	basic := &ocp.APIError{HTTPStatus: 401, Message: "Unauthorized.", Method: "GET", Path: "/api/v2/x"}
	if d := describeError("", basic); strings.Contains(d, "clock") || strings.Contains(d, "trace id") || strings.Contains(d, "..") {
		t.Errorf("basic 401:\n%s", d)
	}
	signed := *basic
	signed.AccessKey = true
	if d := describeError("", &signed); !strings.Contains(d, "clock must be within 15 minutes") {
		t.Errorf("AccessKey 401:\n%s", d)
	}
}

// A problem of the configuration says so, once: the engine's words when they say it, the provider's
// otherwise (an OCP 404 on the cluster a failover names), never "Fix the cause in OCP".
func TestProblemDetailConfig(t *testing.T) {
	t.Parallel()
	notFound := &ocp.APIError{HTTPStatus: 404, Code: "60018", Message: "OB cluster 4242 does not exist.", Method: "GET", Path: "/api/v2/ob/clusters/4242"}
	d := problemDetail(dr.Problem{Severity: dr.Error, Summary: "Error reading cluster", Target: "cluster 4242", Err: notFound,
		Input: dr.InputCluster, Config: true})
	if !strings.Contains(d, "HTTP 404") || !strings.HasSuffix(d, configAdvice) {
		t.Errorf("cluster 404:\n%s", d)
	}
	worded := dr.Problem{Severity: dr.Error, Summary: "The two tenants are not a primary/standby pair", Config: true, Input: dr.InputStandby,
		Detail: "The configuration names two tenants that do not replicate to each other: set primary and standby to the two tenants of one pair."}
	if d := problemDetail(worded); strings.Count(d, "configuration") != 1 || strings.Contains(d, configAdvice) {
		t.Errorf("said twice:\n%s", d)
	}
	if d := problemDetail(dr.Problem{Severity: dr.Error, Summary: "Error reading cluster", Target: "cluster 4242", Err: notFound}); strings.Contains(d, configAdvice) {
		t.Errorf("OCP's state, not the configuration:\n%s", d)
	}
}
