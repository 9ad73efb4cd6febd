package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// errorDiagnostic is the one place where an error from the OCP client becomes a diagnostic. The summary
// is stable ("Error reading tenant"); target names the operation and its ids ("tenant 2000022 of cluster
// 3000009"). The detail carries what OCP said (code, message, trace id) and what the operator can do next.
func errorDiagnostic(summary, target string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, describeError(target, err))
}

// waitErrorDiagnostic is the diagnostic of a wait for OCP task taskID that ended with err. A failed task
// and an interrupted wait say themselves what became of the task; any other error (OCP stopped answering
// the task's reads) ended only the wait, so the detail says that the task may still be running and that
// running again waits for it instead of starting another operation.
func waitErrorDiagnostic(summary, target string, taskID int64, err error) diag.Diagnostic {
	detail := describeError(target, err)
	if !errors.As(err, new(*ocp.TaskFailedError)) && !errors.As(err, new(*ocp.WaitInterruptedError)) {
		detail += fmt.Sprintf("\n\nOnly the wait ended: OCP task %d may still be running. Once OCP answers again, run terraform apply "+
			"(or the action) again: the provider waits for task %d instead of starting another operation.", taskID, taskID)
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

func describeError(target string, err error) string {
	var b strings.Builder
	if target != "" {
		b.WriteString(upperFirst(target))
		b.WriteString(".\n\n")
	}

	var (
		apiErr     *ocp.APIError
		failed     *ocp.TaskFailedError
		stopped    *ocp.WaitInterruptedError
		unknown    *ocp.OutcomeUnknownError
		decodeErr  *ocp.DecodeError
		urlErr     *url.Error
		netOpError *net.OpError
	)
	switch {
	case errors.As(err, &failed):
		describeTaskFailure(&b, failed)
	case errors.As(err, &stopped):
		fmt.Fprintf(&b, "Stopped waiting for OCP task %d", stopped.TaskID)
		if stopped.Last != nil {
			fmt.Fprintf(&b, " (%q, last seen %s)", stopped.Last.Name, stopped.Last.Status)
		}
		if errors.Is(stopped.Err, context.DeadlineExceeded) {
			b.WriteString(": the timeout ran out.")
		} else {
			fmt.Fprintf(&b, ": %v.", stopped.Err)
		}
		fmt.Fprintf(&b, "\n\nThe task may still be running in OCP. Run terraform apply again: the provider waits for task %d "+
			"instead of starting another operation. Raise the timeouts block if the task normally takes longer.", stopped.TaskID)
	case errors.As(err, &unknown):
		fmt.Fprintf(&b, "%v\n\nThe provider could not tell whether OCP started the operation. Look for a running task of the tenant "+
			"or cluster in OCP before running terraform apply again; the next apply attaches to a running task instead of starting another.", unknown)
	case errors.As(err, &apiErr):
		fmt.Fprintf(&b, "OCP answered %s %s with HTTP %d", apiErr.Method, apiErr.Path, apiErr.HTTPStatus)
		if apiErr.Code != "" {
			fmt.Fprintf(&b, ", error code %s", apiErr.Code)
		}
		if apiErr.Message != "" {
			fmt.Fprintf(&b, ": %s", strings.TrimSuffix(apiErr.Message, "."))
		}
		b.WriteString(".")
		if apiErr.TraceID != "" {
			fmt.Fprintf(&b, "\nOCP trace id: %s (quote it to your OCP administrator).", apiErr.TraceID)
		}
		switch {
		case ocp.IsUnauthorized(err):
			b.WriteString("\n\nCheck the provider's credentials (username/password or access_key_id/access_key_secret) and the user's permissions in OCP. " +
				"An AccessKey signature also covers the time: this machine's clock must be within 15 minutes of OCP's.")
		case ocp.IsBusy(err):
			b.WriteString("\n\nAnother operation is running on this tenant or cluster. Wait for its task to end in OCP, then apply again.")
		}
	case errors.As(err, &decodeErr):
		fmt.Fprintf(&b, "OCP's answer could not be read: %v", decodeErr)
		if decodeErr.TraceID != "" {
			fmt.Fprintf(&b, "\nOCP trace id: %s.", decodeErr.TraceID)
		}
		b.WriteString("\n\nCheck that the provider's url points at OCP (not a proxy or login page) and that OCP speaks API v2.")
	case errors.As(err, &urlErr), errors.As(err, &netOpError):
		fmt.Fprintf(&b, "Could not reach OCP: %v\n\nCheck the provider's url, the network path to OCP and its TLS settings.", err)
	default:
		b.WriteString(err.Error())
	}
	return b.String()
}

func describeTaskFailure(b *strings.Builder, e *ocp.TaskFailedError) {
	t := e.Task
	fmt.Fprintf(b, "OCP task %d (%q) FAILED", t.ID, t.Name)
	if len(e.Failed) > 0 {
		b.WriteString(" at ")
		for i, s := range e.Failed {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "subtask %q (id %d)", s.Name, s.ID)
		}
	}
	b.WriteString(".")
	if t.TraceID != "" {
		fmt.Fprintf(b, "\nOCP trace id of the task's last reading: %s.", t.TraceID)
	}
	b.WriteString("\n\nTerraform's state records the roles OCP reports, not the ones planned. What to do next:\n")
	fmt.Fprintf(b, "  - find the cause in OCP's task view (task %d) and its subtask logs;\n", t.ID)
	fmt.Fprintf(b, "  - retry the task in OCP (POST /api/v2/tasks/instances/%d/retry), then run terraform apply again: it waits for the retried task;\n", t.ID)
	if t.ProhibitRollback {
		b.WriteString("  - this task cannot be rolled back; fix the cause and retry it.")
	} else {
		fmt.Fprintf(b, "  - or roll it back (POST /api/v2/tasks/instances/%d/rollback), then apply again to start a fresh operation.", t.ID)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
