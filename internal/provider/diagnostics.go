package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/ocpdr/terraform-provider-ocp/internal/dr"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// This file is the one place where errors from OCP and the DR engine's problems become diagnostics.

// errorDiagnostic is the diagnostic of an OCP client error. The summary is stable ("Error reading
// tenant"); target names the operation and its ids ("tenant 2000022 of cluster 3000009"). The detail
// carries what OCP said (code, message, trace id) and what the operator can do next.
func errorDiagnostic(summary, target string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, describeError(target, err))
}

// problemDiagnostics turns the engine's problems into diagnostics. where maps the input a problem
// concerns onto its attribute path (false: no path, the diagnostic is the resource's).
func problemDiagnostics(ps dr.Problems, where func(dr.Problem) (path.Path, bool)) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, p := range ps {
		detail := problemDetail(p)
		var at path.Path
		ok := false
		if where != nil && p.Input != dr.InputNone {
			at, ok = where(p)
		}
		switch {
		case p.Severity == dr.Warning && ok:
			diags.AddAttributeWarning(at, p.Summary, detail)
		case p.Severity == dr.Warning:
			diags.AddWarning(p.Summary, detail)
		case ok:
			diags.AddAttributeError(at, p.Summary, detail)
		default:
			diags.AddError(p.Summary, detail)
		}
	}
	return diags
}

// configAdvice ends the detail of a problem that comes from the configuration (dr.Problem.Config) when
// the engine's words do not say so already: such a problem is fixed in the configuration, not in OCP.
const configAdvice = "This comes from the configuration, not from OCP's state: correct the setting this points at, then plan again."

// problemDetail words a problem: what OCP said when an error is behind it, then the engine's
// explanation, then (for a wait that ended before its task) that the task may still be running, or
// (for a configuration mistake) that the configuration is where to fix it.
func problemDetail(p dr.Problem) string {
	detail := problemText(p)
	if p.Config && !strings.Contains(detail, "configuration") {
		detail += "\n\n" + configAdvice
	}
	return detail
}

func problemText(p dr.Problem) string {
	if p.Err == nil {
		if p.Target == "" || strings.Contains(p.Detail, p.Target) {
			return p.Detail
		}
		return upperFirst(p.Target) + ".\n\n" + p.Detail
	}
	detail := describeError(p.Target, p.Err)
	if p.Detail != "" {
		detail += "\n\n" + p.Detail
	}
	if p.Waiting && !errors.As(p.Err, new(*ocp.TaskFailedError)) && !errors.As(p.Err, new(*ocp.WaitInterruptedError)) {
		detail += fmt.Sprintf("\n\nOnly the wait ended: OCP task %d may still be running. Once OCP answers again, run terraform apply "+
			"(or the action) again: the provider waits for task %d instead of starting another operation.", p.TaskID, p.TaskID)
	}
	return detail
}

// credentialsDiagnostic is the one error of a run whose credentials OCP refuses (see checkCredentials);
// sources says where they came from (describeSources).
func credentialsDiagnostic(err error, sources string) diag.Diagnostic {
	detail := describeError("checking the provider's credentials with one read of OCP's task list, before any resource or data source asks OCP", err)
	if sources != "" {
		detail += "\n\nThe credentials sent: " + sources + "."
	}
	return diag.NewErrorDiagnostic("OCP refused the provider's credentials",
		detail+"\n\nTerraform stops here, once, instead of reporting the same refusal for every resource and data source of this provider.")
}

// switchoverStartWarning says at plan time that apply will start a switchover (a plan that finds the
// roles in place, or a switchover already running, does not warn this). action is the switchover as
// planned_action names it.
func switchoverStartWarning(from, to ocp.Tenant, action string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Apply will start a switchover",
		fmt.Sprintf("%s: terraform apply runs OCP's precheck again, starts OCP's %s and waits for the task. "+
			"Afterwards %s is PRIMARY and %s STANDBY.", action, dr.SwitchoverTarget(from, to), dr.Label(to), dr.Label(from)))
}

// describeError words an OCP client error for people, with its ids and OCP's trace id.
func describeError(target string, err error) string {
	var b strings.Builder
	if target != "" {
		b.WriteString(upperFirst(target))
		b.WriteString(".\n\n")
	}

	var (
		apiErr      *ocp.APIError
		failed      *ocp.TaskFailedError
		stopped     *ocp.WaitInterruptedError
		unknown     *ocp.OutcomeUnknownError
		decodeErr   *ocp.DecodeError
		missingRole *ocp.MissingRoleError
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
		if u := stopped.Unreachable; u != nil {
			fmt.Fprintf(&b, " OCP had not answered the task's reads since %s (%d failed reads; last: %v).",
				u.Since.UTC().Format("2006-01-02 15:04:05 UTC"), u.Failures, u.Err)
		}
		fmt.Fprintf(&b, "\n\nThe task may still be running in OCP. Run terraform apply again: the provider waits for task %d "+
			"instead of starting another operation. Raise the timeouts block if the task normally takes longer.", stopped.TaskID)
	case errors.As(err, &unknown):
		fmt.Fprintf(&b, "%v\n\nThe provider could not tell whether OCP started the operation. Look for a running task of the tenant "+
			"or cluster in OCP before running terraform apply again; the next apply looks in OCP's task list and attaches to a running "+
			"task instead of starting another.", unknown)
	case errors.As(err, &missingRole):
		fmt.Fprintf(&b, "%v.", missingRole)
	case errors.As(err, &apiErr):
		fmt.Fprintf(&b, "OCP answered %s %s with HTTP %d", apiErr.Method, apiErr.Path, apiErr.HTTPStatus)
		if apiErr.Code != "" {
			fmt.Fprintf(&b, ", error code %s", apiErr.Code)
		}
		if msg := strings.TrimRight(strings.TrimSpace(apiErr.Message), ".;"); msg != "" {
			fmt.Fprintf(&b, ": %s", msg)
		}
		b.WriteString(".")
		if apiErr.TraceID != "" {
			fmt.Fprintf(&b, "\nOCP trace id: %s (quote it to your OCP administrator).", apiErr.TraceID)
		}
		switch {
		case ocp.IsUnauthorized(err):
			b.WriteString("\n\nCheck the provider's credentials (username/password or access_key_id/access_key_secret) and the user's permissions in OCP.")
			if apiErr.AccessKey {
				b.WriteString(" An AccessKey signature also covers the time: this machine's clock must be within 15 minutes of OCP's.")
			}
		case ocp.IsBusy(err):
			b.WriteString("\n\nAnother operation is running on this tenant or cluster. Wait for its task to end in OCP, then apply again.")
		}
	case errors.As(err, &decodeErr):
		fmt.Fprintf(&b, "OCP's answer could not be read: %v", decodeErr)
		if decodeErr.TraceID != "" {
			fmt.Fprintf(&b, "\nOCP trace id: %s.", decodeErr.TraceID)
		}
		b.WriteString("\n\nCheck that the provider's url points at OCP (not a proxy or login page) and that OCP speaks API v2.")
	case ocp.IsUnreachable(err):
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
	fmt.Fprintf(b, "  - retry the task in OCP (POST %s), then run terraform apply again: it waits for the retried task;\n", ocp.RetryPath(t.ID))
	if t.ProhibitRollback {
		b.WriteString("  - this task cannot be rolled back; fix the cause and retry it.")
	} else {
		fmt.Fprintf(b, "  - or roll it back (POST %s), then apply again to start a fresh operation.", ocp.RollbackPath(t.ID))
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
