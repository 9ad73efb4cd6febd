package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The switchover of a primary/standby tenant pair, as both the ocp_tenant_switchover resource and the
// ocp_tenant_switchover action run it. Callers name the pair by the roles they WANT (desired primary,
// desired standby); the functions here read what OCP reports, decide, and turn every problem into
// diagnostics. Nothing in this file knows about plans or state.
//
//	planSwitchover  plan time: read, classify, find a running task, precheck. Never writes.
//	runSwitchover   apply time: the same checks again, then attach to a running task or start one,
//	                wait for it, re-read both tenants and confirm the roles.

// tenantRef names one tenant: the cluster that holds it and its id.
type tenantRef struct{ ClusterID, TenantID int64 }

func (r tenantRef) String() string { return tenantTarget(r.ClusterID, r.TenantID) }

func refOf(t ocp.Tenant) tenantRef { return tenantRef{ClusterID: t.ClusterID, TenantID: t.ID} }

// pairRoles classifies what OCP reports for a pair against the roles wanted.
type pairRoles int

const (
	// rolesAsDeclared: the desired primary is PRIMARY and the desired standby STANDBY.
	rolesAsDeclared pairRoles = iota
	// rolesSwapped: the desired primary is STANDBY and the desired standby PRIMARY; a switchover fixes it.
	rolesSwapped
	// rolesInconsistent: anything else (two primaries after a failover, two standbys, a role OCP does not
	// report); no switchover can fix it.
	rolesInconsistent
)

// pairState is what OCP reports for the two tenants of a pair, kept in the order the caller wants them.
type pairState struct {
	// Primary is the tenant that should be PRIMARY, Standby the one that should be STANDBY.
	Primary, Standby ocp.Tenant
}

// roles classifies the pair.
func (p pairState) roles() pairRoles {
	switch {
	case p.Primary.Role == ocp.RolePrimary && p.Standby.Role == ocp.RoleStandby:
		return rolesAsDeclared
	case p.Primary.Role == ocp.RoleStandby && p.Standby.Role == ocp.RolePrimary:
		return rolesSwapped
	default:
		return rolesInconsistent
	}
}

// current returns the pair in the roles OCP reports now: (primary, standby). Only meaningful when the
// roles are as declared or swapped.
func (p pairState) current() (primary, standby ocp.Tenant) {
	if p.roles() == rolesSwapped {
		return p.Standby, p.Primary
	}
	return p.Primary, p.Standby
}

// busy returns the tenants whose status is not NORMAL (MODIFYING while a task changes them, …).
func (p pairState) busy() []ocp.Tenant {
	var out []ocp.Tenant
	for _, t := range []ocp.Tenant{p.Primary, p.Standby} {
		if t.Status != ocp.TenantNormal {
			out = append(out, t)
		}
	}
	return out
}

// describe says what OCP reports for both tenants, e.g.
// `ohayo_1 (tenant 2000022 of cluster 3000009) is PRIMARY and NORMAL; ohayo_2 (…) is STANDBY and MODIFYING`.
func (p pairState) describe() string {
	return describeTenant(p.Primary) + "; " + describeTenant(p.Standby)
}

func describeTenant(t ocp.Tenant) string {
	role := string(t.Role)
	if role == "" {
		role = "without a role"
	}
	return fmt.Sprintf("%s is %s and %s", tenantLabel(t), role, t.Status)
}

// tenantLabel names a tenant for people: `ohayo_1 (tenant 2000022 of cluster 3000009)`.
func tenantLabel(t ocp.Tenant) string {
	return fmt.Sprintf("%s (%s)", t.Name, tenantTarget(t.ClusterID, t.ID))
}

// readPair reads both tenants from OCP. Errors are the client's, unchanged, so that callers can test
// ocp.IsNotFound (the resource forgets a pair whose tenant is gone).
func readPair(ctx context.Context, c *ocp.Client, primary, standby tenantRef) (pairState, error) {
	p, err := c.GetTenant(ctx, primary.ClusterID, primary.TenantID)
	if err != nil {
		return pairState{}, err
	}
	s, err := c.GetTenant(ctx, standby.ClusterID, standby.TenantID)
	if err != nil {
		return pairState{}, err
	}
	// OCP's detail may leave out the cluster id it was asked by; keep the one asked.
	if p.ClusterID == 0 {
		p.ClusterID = primary.ClusterID
	}
	if s.ClusterID == 0 {
		s.ClusterID = standby.ClusterID
	}
	return pairState{Primary: *p, Standby: *s}, nil
}

// readPairDiagnostic is the diagnostic of a readPair error.
func readPairDiagnostic(primary, standby tenantRef, err error) diag.Diagnostic {
	return errorDiagnostic("Error reading the tenants of the switchover",
		fmt.Sprintf("primary %s and standby %s", primary, standby), err)
}

// switchoverPlan is what planSwitchover found.
type switchoverPlan struct {
	Pair pairState
	// Needed is true when the roles are not as declared: apply will switch over (or wait for Running).
	Needed bool
	// Running is a switchover of this pair already RUNNING in OCP; apply waits for it instead of
	// starting another. Nil when there is none.
	Running *ocp.Task
}

// planSwitchover checks at plan time whether the pair can be brought to the desired roles, without
// changing anything: it reads both tenants; when they already hold the desired roles it returns
// Needed=false. Otherwise it looks for a switchover of the pair already running (a warning saying that
// apply will wait for it); failing that, it refuses roles that no switchover can fix and busy tenants,
// and runs OCP's precheck with the tenants in their CURRENT roles (see checkSwitchover).
func planSwitchover(ctx context.Context, c *ocp.Client, primary, standby tenantRef, allowWarnings bool) (switchoverPlan, diag.Diagnostics) {
	var diags diag.Diagnostics
	pair, err := readPair(ctx, c, primary, standby)
	if err != nil {
		diags.Append(readPairDiagnostic(primary, standby, err))
		return switchoverPlan{}, diags
	}
	plan := switchoverPlan{Pair: pair}
	if pair.roles() == rolesAsDeclared {
		return plan, diags
	}
	plan.Needed = true
	running, d := findPairSwitchover(ctx, c, pair)
	diags.Append(d...)
	if diags.HasError() {
		return plan, diags
	}
	if running != nil {
		plan.Running = running
		diags.Append(attachWarning(pair, running))
		return plan, diags
	}
	var checks diag.Diagnostics
	if d := pairProblem(pair); d != nil {
		checks.Append(d)
	} else {
		checks = checkSwitchover(ctx, c, pair, allowWarnings)
	}
	if checks.HasError() {
		// Another apply may have started this very switchover while the tenants were read one after the
		// other, or before the precheck, which then blocks on the tenants it made MODIFYING: waiting for
		// it is what this plan wants.
		if running, again := startedMeanwhile(ctx, c, primary, standby); running != nil {
			plan.Pair, plan.Running = again, running
			diags.Append(attachWarning(again, running))
			return plan, diags
		}
	}
	diags.Append(checks...)
	return plan, diags
}

// attachWarning says that apply will wait for a switchover of the pair that is already running.
func attachWarning(pair pairState, running *ocp.Task) diag.Diagnostic {
	return diag.NewWarningDiagnostic("A switchover of this pair is already running",
		fmt.Sprintf("OCP task %d (%q) is switching over %s and %s. Apply will wait for task %d instead of starting another switchover; "+
			"OCP's precheck is not run while it is under way.", running.ID, running.Name, tenantLabel(pair.Primary), tenantLabel(pair.Standby), running.ID))
}

// attachMeanwhile is startedMeanwhile for runSwitchover: when a switchover of the pair is running now,
// it records it as the task to wait for and returns true.
func attachMeanwhile(ctx context.Context, c *ocp.Client, req switchoverRequest, out *switchoverOutcome, task **ocp.Task) bool {
	running, pair := startedMeanwhile(ctx, c, req.Primary, req.Standby)
	if running == nil {
		return false
	}
	*task = running
	out.Pair, out.Attached = pair, true
	tflog.Info(ctx, "a switchover of the pair started meanwhile; waiting for it", map[string]any{"task_id": running.ID})
	return true
}

// startedMeanwhile looks again for a switchover of the pair after OCP blocked or refused one: two applies
// of the same pair race between reading the tenants and asking OCP, and the loser sees the winner's task
// (both tenants MODIFYING) instead of a reason to fail. Nil when there is none, or when the tenants
// cannot be read again (the original refusal then stands).
func startedMeanwhile(ctx context.Context, c *ocp.Client, primary, standby tenantRef) (*ocp.Task, pairState) {
	pair, err := readPair(ctx, c, primary, standby)
	if err != nil {
		return nil, pairState{}
	}
	running, d := findPairSwitchover(ctx, c, pair)
	if d.HasError() {
		return nil, pair
	}
	return running, pair
}

// checkSwitchover runs OCP's precheck for the switchover that would bring the pair to the desired roles,
// that is with the tenants in their CURRENT roles (the current primary's cluster and tenant, the current
// standby), and maps the answer with precheckDiagnostics. The pair must be swapped (see pairState.roles).
func checkSwitchover(ctx context.Context, c *ocp.Client, pair pairState, allowWarnings bool) diag.Diagnostics {
	var diags diag.Diagnostics
	from, to := pair.current()
	res, err := c.SwitchoverPrecheck(ctx, from.ClusterID, ocp.SwitchoverRequest{TenantID: from.ID, StandbyTenantID: to.ID})
	if err != nil {
		diags.Append(errorDiagnostic("Error running the switchover precheck", switchoverTarget(from, to), err))
		return diags
	}
	return precheckDiagnostics(res, from, to, allowWarnings)
}

// precheckDiagnostics turns a precheck result into diagnostics: one error per blocking check, one
// warning per warning (an error when !allowWarnings). Each names the check's code and message and both
// tenants by name and id. A result that is not valid but lists no blocking check is still an error.
// from and to are the tenants in the roles the precheck was asked with (current primary, current standby).
func precheckDiagnostics(res *ocp.PrecheckResult, from, to ocp.Tenant, allowWarnings bool) diag.Diagnostics {
	var diags diag.Diagnostics
	// Prefer the names OCP put in the answer; fall back to the tenant details.
	if res.Name != "" {
		from.Name = res.Name
	}
	blocking := 0
	for _, sr := range res.StandbyCheckResults {
		standby := to
		if sr.TenantID != 0 && sr.TenantID != to.ID {
			standby = ocp.Tenant{ID: sr.TenantID, ClusterID: sr.ClusterID}
		}
		if sr.Name != "" {
			standby.Name = sr.Name
		}
		what := switchoverTarget(from, standby)
		blockingHere := 0
		for _, cr := range sr.CheckResults {
			check := cr.ErrorCode + ": " + strings.TrimSpace(cr.ErrorMessage)
			switch {
			case !cr.Warning:
				blockingHere++
				diags.AddError("Switchover precheck failed: "+cr.ErrorCode,
					fmt.Sprintf("OCP's precheck blocks the %s:\n\n%s\n\nFix the cause in OCP, then plan again.", what, check))
			case allowWarnings:
				diags.AddWarning("Switchover precheck warning: "+cr.ErrorCode,
					fmt.Sprintf("OCP's precheck warns about the %s:\n\n%s\n\nThe warning does not block the switchover. "+
						"Set allow_warnings = false to treat precheck warnings as errors.", what, check))
			default:
				diags.AddError("Switchover precheck warning not allowed: "+cr.ErrorCode,
					fmt.Sprintf("OCP's precheck warns about the %s:\n\n%s\n\nallow_warnings = false turns precheck warnings into errors. "+
						"Fix the cause in OCP, or set allow_warnings = true to accept the warning.", what, check))
			}
		}
		if !sr.Valid && blockingHere == 0 {
			blockingHere++
			diags.AddError("Switchover precheck failed",
				fmt.Sprintf("OCP's precheck answered that standby %s is not valid for the %s, without naming a check. Look at the tenants in OCP, then plan again.",
					tenantLabel(standby), what))
		}
		blocking += blockingHere
	}
	if !res.Valid && blocking == 0 {
		diags.AddError("Switchover precheck failed",
			fmt.Sprintf("OCP's precheck answered valid = false for the %s, without naming a check. Look at the tenants in OCP, then plan again.",
				switchoverTarget(from, to)))
	}
	return diags
}

// switchoverTarget names a switchover by the tenants' current roles:
// `switchover of primary ohayo_1 (tenant 2000022 of cluster 3000009) to standby ohayo_2 (…)`.
func switchoverTarget(from, to ocp.Tenant) string {
	return fmt.Sprintf("switchover of primary %s to standby %s", tenantLabel(from), tenantLabel(to))
}

// pairProblem explains why no switchover can be started for a pair whose roles are not as declared:
// the roles are inconsistent, or a tenant is busy in another task. Nil when a switchover may start.
func pairProblem(pair pairState) diag.Diagnostic {
	if pair.roles() == rolesInconsistent {
		hint := "Bring the pair back to one PRIMARY and one STANDBY in OCP, or change the configuration to the tenants you mean, then plan again."
		switch {
		case pair.Primary.Role == ocp.RolePrimary && pair.Standby.Role == ocp.RolePrimary:
			hint = "Two primaries usually follow a failover: the old primary was not demoted. Rebuild the standby relation in OCP " +
				"(or remove this resource from the configuration), then plan again. A switchover cannot resolve it."
		case pair.Primary.Role == ocp.RoleStandby && pair.Standby.Role == ocp.RoleStandby:
			hint = "Neither tenant is PRIMARY, so there is nothing to switch over from. Fix the pair in OCP, then plan again."
		}
		return diag.NewErrorDiagnostic("Tenant roles are neither as declared nor swapped",
			fmt.Sprintf("OCP reports: %s.\n\nA switchover needs one PRIMARY and one STANDBY. %s", pair.describe(), hint))
	}
	if busy := pair.busy(); len(busy) > 0 {
		names := make([]string, len(busy))
		for i, t := range busy {
			names[i] = describeTenant(t)
		}
		return diag.NewErrorDiagnostic("Tenant busy in another operation",
			fmt.Sprintf("OCP reports: %s.\n\nNo switchover of this pair is running, so another OCP task is changing the tenant. "+
				"Wait for it to end in OCP, then plan again.", strings.Join(names, "; ")))
	}
	return nil
}

// findPairSwitchover returns a switchover task RUNNING for the pair, or nil. A switchover task carries
// the tenant that was primary when it started, so both tenants' tasks are listed. A running switchover
// of one of the two tenants counts as the pair's only when the other tenant is busy too; otherwise it
// switches that tenant with a third one, and the pair is simply busy (see pairProblem). So when both
// tenants are NORMAL no task can be the pair's, and OCP's task list is not asked (two requests fewer
// for every plan and apply of a pair that needs a switchover).
func findPairSwitchover(ctx context.Context, c *ocp.Client, pair pairState) (*ocp.Task, diag.Diagnostics) {
	var diags diag.Diagnostics
	if len(pair.busy()) == 0 {
		return nil, diags
	}
	t, err := c.FindRunningSwitchover(ctx, pair.Primary.ID, pair.Standby.ID)
	if err != nil {
		diags.Append(errorDiagnostic("Error looking for a running switchover", fmt.Sprintf("tenants %s and %s", tenantLabel(pair.Primary), tenantLabel(pair.Standby)), err))
		return nil, diags
	}
	if t == nil || !taskBelongsToPair(t, pair) {
		return nil, diags
	}
	return t, diags
}

// taskBelongsToPair reports whether a running switchover task is the pair's: it carries one of the two
// tenants and the other one is not NORMAL (OCP marks both tenants of a switchover MODIFYING).
func taskBelongsToPair(t *ocp.Task, pair pairState) bool {
	switch t.TenantID {
	case pair.Primary.ID:
		return pair.Standby.Status != ocp.TenantNormal
	case pair.Standby.ID:
		return pair.Primary.Status != ocp.TenantNormal
	default:
		return false
	}
}

// switchoverRequest is what runSwitchover is asked to do.
type switchoverRequest struct {
	// Primary and Standby are the roles wanted after the switchover.
	Primary, Standby tenantRef
	// AllowWarnings lets precheck warnings pass (as warnings); false makes them errors.
	AllowWarnings bool
	// PriorTaskID is a switchover task this caller started before (the resource's state), 0 if none:
	// when it is still RUNNING it is waited for, and when the roles already hold it is read again so
	// that the caller can record how it ended.
	PriorTaskID int64
	// OnTask, if not nil, is called once the task to wait for is known (started or attached), before
	// waiting, with the pair as OCP reported it before the task: the resource saves the task id to state
	// there, so an interrupted apply keeps it.
	OnTask func(task ocp.Task, pair pairState)
	// OnProgress receives each subtask transition: logProgress(ctx) for a resource,
	// sendProgress(resp) for an action.
	OnProgress func(ocp.ProgressEvent)
}

// switchoverOutcome is what runSwitchover did. Pair and Task are set as far as they are known, also
// when diagnostics carry errors, so that the caller records what OCP reports and never the roles planned.
type switchoverOutcome struct {
	// Pair is both tenants as OCP reports them at the end (zero when they could not be read).
	Pair pairState
	// Task is the last view of the task waited for; when nothing had to be done it is the prior task
	// (switchoverRequest.PriorTaskID) as OCP reports it now, or nil.
	Task *ocp.Task
	// Started is true when this call started Task; Attached when it waited for a task already running.
	Started, Attached bool
}

// runSwitchover brings the pair to the desired roles. It reads both tenants; when they already hold the
// desired roles it starts nothing. When a switchover of the pair is already running (PriorTaskID, or one
// found in OCP's task list) it waits for that task instead of starting another. Otherwise it refuses
// inconsistent roles and busy tenants, runs the precheck again (checkSwitchover) and starts the
// switchover on the CURRENT primary's cluster. It waits under ctx (the caller's timeout) reporting
// progress, then re-reads both tenants and confirms that the roles swapped. Failures (task FAILED,
// timeout, unexpected roles) are error diagnostics from errorDiagnostic, with Outcome still filled in.
func runSwitchover(ctx context.Context, c *ocp.Client, req switchoverRequest) (switchoverOutcome, diag.Diagnostics) {
	var (
		out   switchoverOutcome
		diags diag.Diagnostics
	)
	pair, err := readPair(ctx, c, req.Primary, req.Standby)
	if err != nil {
		diags.Append(readPairDiagnostic(req.Primary, req.Standby, err))
		return out, diags
	}
	out.Pair = pair

	var prior *ocp.Task
	if req.PriorTaskID != 0 {
		t, err := c.GetTask(ctx, req.PriorTaskID)
		switch {
		case ocp.IsNotFound(err):
			tflog.Warn(ctx, "the switchover task recorded in state is unknown to OCP", map[string]any{"task_id": req.PriorTaskID})
		case err != nil:
			diags.Append(errorDiagnostic("Error reading the previous switchover task", fmt.Sprintf("OCP task %d", req.PriorTaskID), err))
			return out, diags
		default:
			prior = t
		}
	}
	if pair.roles() == rolesAsDeclared {
		out.Task = prior
		tflog.Info(ctx, "tenant roles already hold; no switchover needed", map[string]any{"primary": tenantLabel(pair.Primary), "standby": tenantLabel(pair.Standby)})
		return out, diags
	}

	var task *ocp.Task
	if prior != nil && prior.Name == ocp.TaskNameSwitchover && !prior.Status.Terminal() {
		task = prior
	} else {
		running, d := findPairSwitchover(ctx, c, pair)
		diags.Append(d...)
		if diags.HasError() {
			return out, diags
		}
		task = running
	}
	from, to := pair.current()
	if task != nil {
		out.Attached = true
		tflog.Info(ctx, "a switchover of the pair is already running; waiting for it", map[string]any{"task_id": task.ID})
	} else {
		var checks diag.Diagnostics
		if d := pairProblem(pair); d != nil {
			checks.Append(d)
		} else {
			checks = checkSwitchover(ctx, c, pair, req.AllowWarnings)
		}
		if !checks.HasError() {
			diags.Append(checks...)
			task, err = c.Switchover(ctx, from.ClusterID, ocp.SwitchoverRequest{TenantID: from.ID, StandbyTenantID: to.ID})
		}
		switch {
		case (checks.HasError() || ocp.IsRefused(err)) && attachMeanwhile(ctx, c, req, &out, &task):
			// Another apply started this switchover between our read and our request: wait for it.
		case checks.HasError():
			diags.Append(checks...)
			return out, diags
		case err != nil:
			diags.Append(errorDiagnostic("Error starting the switchover", switchoverTarget(from, to), err))
			return out, diags
		default:
			out.Started = true
			tflog.Info(ctx, "switchover started", map[string]any{"task_id": task.ID, "primary": tenantLabel(from), "standby": tenantLabel(to)})
		}
	}
	out.Task = task
	if req.OnTask != nil {
		req.OnTask(*task, pair)
	}

	final, werr := c.WaitForTask(ctx, task.ID, ocp.WaitOptions{OnProgress: req.OnProgress})
	var (
		failed  *ocp.TaskFailedError
		stopped *ocp.WaitInterruptedError
	)
	switch {
	case werr == nil:
		out.Task = final
	case errors.As(werr, &failed) && failed.Task != nil:
		out.Task = failed.Task
	case errors.As(werr, &stopped) && stopped.Last != nil:
		out.Task = stopped.Last
	}

	// Record the roles OCP reports now, whatever happened; ctx may have run out, so read under a short
	// context of its own.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	after, rerr := readPair(rctx, c, req.Primary, req.Standby)
	if rerr == nil {
		out.Pair = after
	}
	if werr != nil {
		diags.Append(waitErrorDiagnostic("Error waiting for the switchover", switchoverTarget(from, to), task.ID, werr))
		return out, diags
	}
	if rerr != nil {
		diags.Append(readPairDiagnostic(req.Primary, req.Standby, rerr))
		return out, diags
	}
	if after.roles() != rolesAsDeclared {
		diags.AddError("Switchover did not bring the declared roles",
			fmt.Sprintf("OCP task %d (%q) ended %s, but OCP reports: %s.\n\nLook at the task and the tenants in OCP, then plan again.",
				task.ID, out.Task.Name, out.Task.Status, after.describe()))
	}
	return out, diags
}
