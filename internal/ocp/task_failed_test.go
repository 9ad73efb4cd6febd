package ocp_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// A failed task's error names the failed subtask and quotes the trace id of the reading that saw it
// fail, so that an operator can hand OCP's administrators the request to look for.
func TestWaitForTask_failedTaskCarriesTraceID(t *testing.T) {
	t.Parallel()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}

	const failing = "Switch primary tenant to standby"
	sim.FailNextSubtask(ocpsim.OpSwitchover, failing)
	task, err := c.Switchover(t.Context(), 3000009, ocp.SwitchoverRequest{TenantID: 2000022, StandbyTenantID: 2000025})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{})
	var failed *ocp.TaskFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("want *TaskFailedError, got %v", err)
	}
	if len(failed.Failed) != 1 || failed.Failed[0].Name != failing {
		t.Fatalf("failed subtasks %+v", failed.Failed)
	}
	if len(failed.Task.TraceID) != 16 || !strings.Contains(err.Error(), failed.Task.TraceID) {
		t.Fatalf("trace id %q missing from %q", failed.Task.TraceID, err)
	}
}

func TestTaskFailedErrorWithoutFailedSubtaskKeepsTraceID(t *testing.T) {
	t.Parallel()
	err := &ocp.TaskFailedError{Task: &ocp.Task{ID: 7, Name: "Failover tenant", TraceID: "94bc249dd98d432f"}}
	if got := err.Error(); !strings.Contains(got, "no failed subtask") || !strings.Contains(got, "94bc249dd98d432f") {
		t.Fatalf("%q", got)
	}
}
