package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The failover orchestration shared by the ocp_tenant_failover / ocp_cluster_failover resources and
// actions. It runs in two phases, so that plan and apply check the same things:
//
//   - check (plan time and again at apply): read each tenant (cluster), classify it as already PRIMARY,
//     a failover already running (attach), ready to fail over, or an error (unknown, not a standby of
//     the cluster, busy in another task);
//   - run (apply / invoke): one request starts every failover not yet under way, then every task is
//     waited for concurrently, reporting each subtask transition.
//
// Failover is idempotent per tenant: what is already PRIMARY is reported, what is running is waited on,
// so an apply after a partial failure finishes only what is left.

// Values of tasks[].status (tenant failover) and status (cluster failover) besides OCP's task statuses
// (SUCCESSFUL, FAILED, and RUNNING when the wait was interrupted).
const (
	// failoverAlreadyPrimary: the tenant (cluster) was PRIMARY already; nothing was started.
	failoverAlreadyPrimary = "ALREADY_PRIMARY"
	// failoverNotStarted: the request that would have started its failover was refused, or its outcome
	// is unknown and no task was found.
	failoverNotStarted = "NOT_STARTED"
)

// failoverStatusDoc documents the status values for the schemas.
const failoverStatusDoc = "`SUCCESSFUL` (the failover task succeeded), `FAILED` (it failed: see the apply error), " +
	"`RUNNING` (the wait ended, for example by the timeout, before the task did), `" + failoverAlreadyPrimary +
	"` (it was PRIMARY already, so no failover was started) or `" + failoverNotStarted +
	"` (OCP refused to start its failover, or it is unknown whether it started)."

// failoverDataLossNote is the warning every failover plan carries.
const failoverDataLossNote = "A failover makes a standby PRIMARY without its primary's consent: changes the primary " +
	"committed that the standby has not yet received are lost, and the old primary is left as it is (two primaries may " +
	"exist until it is dealt with). Prefer ocp_tenant_switchover when the primary is healthy."

// failoverReporter tells the operator what an operation does while it runs: a message at each
// milestone (start, attach, no-op, finish) and one event per subtask transition. Resources log both
// with tflog; actions send both to Terraform's UI. Concurrent waits report through it, so it
// serialises the calls.
type failoverReporter struct {
	mu       sync.Mutex
	message  func(string)
	progress func(ocp.ProgressEvent)
}

// resourceFailoverReporter logs with tflog (visible with TF_LOG=INFO).
func resourceFailoverReporter(ctx context.Context) *failoverReporter {
	return &failoverReporter{
		message:  func(m string) { tflog.Info(ctx, m) },
		progress: logProgress(ctx),
	}
}

// actionFailoverReporter sends progress events to Terraform's UI.
func actionFailoverReporter(resp *action.InvokeResponse) *failoverReporter {
	return &failoverReporter{
		message: func(m string) {
			if resp.SendProgress != nil {
				resp.SendProgress(action.InvokeProgressEvent{Message: m})
			}
		},
		progress: sendProgress(resp),
	}
}

func (r *failoverReporter) say(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.message(fmt.Sprintf(format, args...))
}

func (r *failoverReporter) onProgress(ev ocp.ProgressEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress(ev)
}

// ---------------------------------------------------------------------------------------------------
// Tenant failover

// failoverTenantSpec is one tenant of a batch, as configured.
type failoverTenantSpec struct {
	TenantID    int64
	ServiceName string
}

// tenantFailoverCheck is what the check found for one tenant that may take part in the batch.
type tenantFailoverCheck struct {
	Spec   failoverTenantSpec
	Tenant *ocp.Tenant
	// Running is a failover task of this tenant already under way: it is waited on, not started again.
	Running *ocp.Task
}

// alreadyPrimary reports whether the tenant needs no failover.
func (c tenantFailoverCheck) alreadyPrimary() bool { return c.Tenant.Role == ocp.RolePrimary }

// tenantFailoverOutcome is how one tenant of the batch ended.
type tenantFailoverOutcome struct {
	TenantID int64
	Name     string
	// TaskID is the failover task, 0 when none was started or found.
	TaskID int64
	// Status is the OCP task status, failoverAlreadyPrimary or failoverNotStarted.
	Status string
	// Err says why the tenant did not fail over; nil when it is PRIMARY now (or its task succeeded).
	Err error
}

// checkTenantFailover reads every tenant of the batch and classifies it. Errors name the tenant: not
// found in the cluster, not a standby, busy in another operation. The tenants are read one after
// another; a batch is a handful of tenants.
func checkTenantFailover(ctx context.Context, c *ocp.Client, clusterID int64, specs []failoverTenantSpec) ([]tenantFailoverCheck, diag.Diagnostics) {
	var diags diag.Diagnostics
	checks := make([]tenantFailoverCheck, 0, len(specs))
	for _, s := range specs {
		target := failoverTenantTarget(clusterID, s.TenantID, "")
		t, err := c.GetTenant(ctx, clusterID, s.TenantID)
		if err != nil {
			if ocp.IsNotFound(err) {
				diags.Append(errorDiagnostic("Tenant is not a standby of the cluster",
					fmt.Sprintf("tenant %d is not a tenant of cluster %d, so it is not a standby of that cluster: it does not exist, or it "+
						"belongs to another cluster (cluster_id must be the cluster of the standby tenants)", s.TenantID, clusterID), err))
			} else {
				diags.Append(errorDiagnostic("Error reading tenant", target, err))
			}
			continue
		}
		check := tenantFailoverCheck{Spec: s, Tenant: t}
		switch t.Role {
		case ocp.RolePrimary:
			checks = append(checks, check)
			continue
		case ocp.RoleStandby:
		default:
			diags.AddError("Tenant is not a standby of the cluster",
				fmt.Sprintf("%s has the role %q in OCP, neither STANDBY nor PRIMARY: only a standby tenant can be failed over.",
					upperFirst(failoverTenantTarget(clusterID, t.ID, t.Name)), t.Role))
			continue
		}
		running, err := c.FindRunningTenantFailover(ctx, t.ID)
		if err != nil {
			diags.Append(errorDiagnostic("Error looking for a running failover", failoverTenantTarget(clusterID, t.ID, t.Name), err))
			continue
		}
		if running != nil {
			check.Running = running
			checks = append(checks, check)
			continue
		}
		if t.Status != ocp.TenantNormal {
			diags.AddError("Tenant is busy", busyTenantDetail(ctx, c, clusterID, t))
			continue
		}
		checks = append(checks, check)
	}
	return checks, diags
}

// busyTenantDetail says what keeps a tenant busy, naming the switchover task when there is one.
func busyTenantDetail(ctx context.Context, c *ocp.Client, clusterID int64, t *ocp.Tenant) string {
	what := "another operation"
	ids := []int64{t.ID}
	if t.PrimaryTenantID != 0 {
		ids = append(ids, t.PrimaryTenantID)
	}
	if task, err := c.FindRunningSwitchover(ctx, ids...); err == nil && task != nil {
		what = fmt.Sprintf("OCP task %d (%q)", task.ID, task.Name)
	}
	return fmt.Sprintf("%s is %s in OCP: it is busy with %s. OCP runs one operation on a tenant at a time. "+
		"Wait for that task to end in OCP, then plan again.", upperFirst(failoverTenantTarget(clusterID, t.ID, t.Name)), t.Status, what)
}

// tenantFailoverPlanDiagnostics is what the resource's and the action's ModifyPlan report for a batch:
// the errors of checkTenantFailover, or else the warnings of planTenantFailover.
func tenantFailoverPlanDiagnostics(ctx context.Context, c *ocp.Client, clusterID int64, specs []failoverTenantSpec) diag.Diagnostics {
	checks, diags := checkTenantFailover(ctx, c, clusterID, specs)
	if diags.HasError() {
		return diags
	}
	return append(diags, planTenantFailover(clusterID, checks)...)
}

// planTenantFailover adds the plan-time warnings for checked tenants: a failover already running (apply
// waits for it), a tenant already PRIMARY (left alone), and the data-loss warning with each standby's
// current log delay as the estimated loss window where OCP reports it.
func planTenantFailover(clusterID int64, checks []tenantFailoverCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	var windows []string
	for _, ch := range checks {
		target := upperFirst(failoverTenantTarget(clusterID, ch.Tenant.ID, ch.Tenant.Name))
		switch {
		case ch.alreadyPrimary():
			diags.AddWarning("Tenant is already PRIMARY",
				fmt.Sprintf("%s is already PRIMARY: apply will not fail it over again and records it as %s.", target, failoverAlreadyPrimary))
			continue
		case ch.Running != nil:
			diags.AddWarning("Failover already running",
				fmt.Sprintf("%s already has failover task %d running in OCP: apply will wait for task %d instead of starting another failover.",
					target, ch.Running.ID, ch.Running.ID))
		}
		windows = append(windows, "  - "+target+": "+lossWindow(ch.Tenant.LogSyncDelayMillis))
	}
	if len(windows) > 0 {
		diags.AddWarning("Failover may lose data",
			failoverDataLossNote+"\n\nEstimated loss window (the standby's current log delay):\n"+strings.Join(windows, "\n"))
	}
	return diags
}

// lossWindow words a standby's log delay.
func lossWindow(delay *int64) string {
	if delay == nil {
		return "unknown (OCP does not report this standby's log delay)"
	}
	return fmt.Sprintf("about %d ms of changes (logSyncDelayMillis)", *delay)
}

// runTenantFailover fails over every checked tenant that is not PRIMARY yet: one batch request starts
// the failovers not already under way, then every task (started or attached) is waited for
// concurrently. It returns one outcome per checked tenant, in order, and an error diagnostic per
// tenant that did not fail over, naming it and saying why.
func runTenantFailover(ctx context.Context, c *ocp.Client, clusterID int64, checks []tenantFailoverCheck, rep *failoverReporter) ([]tenantFailoverOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	outcomes := make([]tenantFailoverOutcome, len(checks))
	var toStart []int // indexes into checks
	for i, ch := range checks {
		o := &outcomes[i]
		o.TenantID, o.Name = ch.Tenant.ID, ch.Tenant.Name
		switch {
		case ch.alreadyPrimary():
			o.Status = failoverAlreadyPrimary
			rep.say("%s is already PRIMARY: not failing it over again", failoverTenantTarget(clusterID, o.TenantID, o.Name))
		case ch.Running != nil:
			o.TaskID, o.Status = ch.Running.ID, string(ch.Running.Status)
			rep.say("%s: failover task %d is already running; waiting for it instead of starting another",
				failoverTenantTarget(clusterID, o.TenantID, o.Name), o.TaskID)
		default:
			toStart = append(toStart, i)
		}
	}

	if len(toStart) > 0 {
		req := ocp.FailoverRequest{Items: make([]ocp.FailoverItem, len(toStart))}
		names := make([]string, len(toStart))
		for k, i := range toStart {
			req.Items[k] = ocp.FailoverItem{TenantID: checks[i].Spec.TenantID, ServiceName: checks[i].Spec.ServiceName}
			names[k] = fmt.Sprintf("%d (%s)", checks[i].Tenant.ID, checks[i].Tenant.Name)
		}
		rep.say("starting the failover of %d standby tenant(s) of cluster %d in one request: %s", len(toStart), clusterID, strings.Join(names, ", "))
		tasks, err := c.FailoverTenants(ctx, clusterID, req)
		byTenant := map[int64]ocp.Task{}
		for _, t := range tasks {
			byTenant[t.TenantID] = t
		}
		attached := map[int64]bool{}
		if ocp.IsRefused(err) {
			// OCP refused the whole batch, typically as busy: another apply may have just started the
			// failover of some of these tenants. Wait for those instead of failing them.
			for _, i := range toStart {
				id := checks[i].Tenant.ID
				if t, ferr := c.FindRunningTenantFailover(ctx, id); ferr == nil && t != nil {
					byTenant[id], attached[id] = *t, true
					rep.say("%s: failover task %d started meanwhile (another apply?); waiting for it",
						failoverTenantTarget(clusterID, id, checks[i].Tenant.Name), t.ID)
				}
			}
		}
		var notStarted []string
		for _, i := range toStart {
			o := &outcomes[i]
			t, ok := byTenant[o.TenantID]
			if !ok {
				o.Status = failoverNotStarted
				o.Err = err
				notStarted = append(notStarted, fmt.Sprint(o.TenantID))
				continue
			}
			o.TaskID, o.Status = t.ID, string(t.Status)
			if !attached[o.TenantID] {
				rep.say("%s: started failover task %d", failoverTenantTarget(clusterID, o.TenantID, o.Name), t.ID)
			}
		}
		if len(notStarted) > 0 {
			if err == nil {
				// OCP answered without a task for these tenants; never expected, but never silent.
				err = fmt.Errorf("OCP started no failover task for tenant(s) %s", strings.Join(notStarted, ", "))
				for _, i := range toStart {
					if outcomes[i].Status == failoverNotStarted {
						outcomes[i].Err = err
					}
				}
			}
			diags.Append(errorDiagnostic("Error starting tenant failover",
				fmt.Sprintf("failover of standby tenant(s) %s of cluster %d", strings.Join(notStarted, ", "), clusterID), err))
		}
	}

	// Wait for every task at once: a batch takes as long as its slowest tenant, not the sum.
	var wg sync.WaitGroup
	for i := range outcomes {
		o := &outcomes[i]
		if o.TaskID == 0 || o.Status == failoverNotStarted {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t, err := c.WaitForTask(ctx, o.TaskID, ocp.WaitOptions{OnProgress: rep.onProgress})
			o.Err = err
			switch {
			case err == nil:
				o.Status = string(t.Status)
				rep.say("%s: failover task %d %s", failoverTenantTarget(clusterID, o.TenantID, o.Name), o.TaskID, t.Status)
			case errors.As(err, new(*ocp.TaskFailedError)):
				o.Status = string(ocp.TaskFailed)
				rep.say("%s: failover task %d FAILED", failoverTenantTarget(clusterID, o.TenantID, o.Name), o.TaskID)
			default:
				var stopped *ocp.WaitInterruptedError
				o.Status = string(ocp.TaskRunning)
				if errors.As(err, &stopped) && stopped.Last != nil {
					o.Status = string(stopped.Last.Status)
				}
			}
		}()
	}
	wg.Wait()

	var succeeded, failed []string
	for _, o := range outcomes {
		switch {
		case o.Status == failoverNotStarted:
			failed = append(failed, fmt.Sprint(o.TenantID))
		case o.Err != nil:
			failed = append(failed, fmt.Sprint(o.TenantID))
			diags.Append(waitErrorDiagnostic(failoverWaitSummary(o.Err), tenantFailureTarget(clusterID, o, outcomes), o.TaskID, o.Err))
		default:
			succeeded = append(succeeded, fmt.Sprintf("%d %s", o.TenantID, o.Status))
		}
	}
	rep.say("failover of cluster %d's tenants finished: %d done (%s), %d not done", clusterID,
		len(succeeded), strings.Join(succeeded, ", "), len(failed))
	return outcomes, diags
}

// failoverWaitSummary is the stable summary of a failover that did not end well.
func failoverWaitSummary(err error) string {
	switch {
	case errors.As(err, new(*ocp.TaskFailedError)):
		return "Failover task failed"
	case errors.As(err, new(*ocp.WaitInterruptedError)):
		return "Failover task still running"
	default:
		return "Error waiting for failover task"
	}
}

// tenantFailureTarget names the tenant that did not fail over and what became of the rest of its batch.
func tenantFailureTarget(clusterID int64, failed tenantFailoverOutcome, all []tenantFailoverOutcome) string {
	s := "failover of " + failoverTenantTarget(clusterID, failed.TenantID, failed.Name)
	var done []string
	for _, o := range all {
		if o.Err == nil && o.Status != failoverNotStarted {
			done = append(done, fmt.Sprintf("%d (%s)", o.TenantID, o.Status))
		}
	}
	if len(all) > 1 && len(done) > 0 {
		sort.Strings(done)
		s += fmt.Sprintf(". The other tenants of the batch are PRIMARY now and recorded in the state: %s. "+
			"The next apply fails over only the tenants that are not PRIMARY yet", strings.Join(done, ", "))
	}
	return s
}

// failoverTenantTarget names a tenant for messages: "standby tenant 2000025 (ohayo_2) of cluster 3000010".
func failoverTenantTarget(clusterID, tenantID int64, name string) string {
	if name != "" {
		return fmt.Sprintf("tenant %d (%s) of cluster %d", tenantID, name, clusterID)
	}
	return fmt.Sprintf("tenant %d of cluster %d", tenantID, clusterID)
}

// ---------------------------------------------------------------------------------------------------
// Cluster failover

// clusterFailoverCheck is what the check found for a cluster to fail over.
type clusterFailoverCheck struct {
	Cluster *ocp.Cluster
	Running *ocp.Task
}

func (c clusterFailoverCheck) alreadyPrimary() bool { return c.Cluster.Type == ocp.ClusterPrimary }

// clusterFailoverOutcome is how a cluster failover ended.
type clusterFailoverOutcome struct {
	TaskID int64
	Status string
	Err    error
}

// checkClusterFailover reads the cluster and classifies it: PRIMARY already (no-op), a failover
// running (attach), a standby ready to fail over, or an error (unknown, neither role, busy).
func checkClusterFailover(ctx context.Context, c *ocp.Client, clusterID int64) (*clusterFailoverCheck, diag.Diagnostics) {
	var diags diag.Diagnostics
	target := fmt.Sprintf("cluster %d", clusterID)
	cl, err := c.GetCluster(ctx, clusterID)
	if err != nil {
		diags.Append(errorDiagnostic("Error reading cluster", target, err))
		return nil, diags
	}
	target = clusterTargetName(cl)
	check := &clusterFailoverCheck{Cluster: cl}
	switch cl.Type {
	case ocp.ClusterPrimary:
		return check, diags
	case ocp.ClusterStandby:
	default:
		diags.AddError("Cluster is not a standby", fmt.Sprintf("%s has the type %q in OCP, neither STANDBY nor PRIMARY: only a standby cluster can be failed over.",
			upperFirst(target), cl.Type))
		return nil, diags
	}
	running, err := c.FindRunningClusterFailover(ctx, clusterID)
	if err != nil {
		diags.Append(errorDiagnostic("Error looking for a running failover", target, err))
		return nil, diags
	}
	if running != nil {
		check.Running = running
		return check, diags
	}
	if cl.Status != "" && cl.Status != "RUNNING" {
		diags.AddError("Cluster is busy", fmt.Sprintf("%s is %s in OCP: it is busy with another operation. OCP runs one operation on a cluster at a time. "+
			"Wait for that task to end in OCP, then plan again.", upperFirst(target), cl.Status))
		return nil, diags
	}
	return check, diags
}

func clusterTargetName(cl *ocp.Cluster) string {
	if cl.Name != "" {
		return fmt.Sprintf("cluster %d (%s)", cl.ID, cl.Name)
	}
	return fmt.Sprintf("cluster %d", cl.ID)
}

// clusterFailoverPlanDiagnostics is what the resource's and the action's ModifyPlan report for a cluster:
// the errors of checkClusterFailover, or else the warnings of planClusterFailover.
func clusterFailoverPlanDiagnostics(ctx context.Context, c *ocp.Client, clusterID int64) diag.Diagnostics {
	check, diags := checkClusterFailover(ctx, c, clusterID)
	if diags.HasError() {
		return diags
	}
	return append(diags, planClusterFailover(check)...)
}

// planClusterFailover adds the plan-time warnings for a checked cluster.
func planClusterFailover(check *clusterFailoverCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	target := upperFirst(clusterTargetName(check.Cluster))
	switch {
	case check.alreadyPrimary():
		diags.AddWarning("Cluster is already PRIMARY",
			fmt.Sprintf("%s is already PRIMARY: apply will not fail it over again and records it as %s.", target, failoverAlreadyPrimary))
		return diags
	case check.Running != nil:
		diags.AddWarning("Failover already running",
			fmt.Sprintf("%s already has failover task %d running in OCP: apply will wait for task %d instead of starting another failover.",
				target, check.Running.ID, check.Running.ID))
	}
	window := "The loss window is each standby tenant's log delay (logSyncDelayMillis; see the ocp_tenant data source)."
	if check.Cluster.PrimaryClusterID != 0 {
		window = fmt.Sprintf("Its primary is cluster %d. ", check.Cluster.PrimaryClusterID) + window
	}
	diags.AddWarning("Failover may lose data", target+" will become PRIMARY. "+failoverDataLossNote+"\n\n"+window)
	return diags
}

// runClusterFailover fails the checked cluster over (or waits for the failover already running).
func runClusterFailover(ctx context.Context, c *ocp.Client, check *clusterFailoverCheck, rep *failoverReporter) (clusterFailoverOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	target := clusterTargetName(check.Cluster)
	var task *ocp.Task
	switch {
	case check.alreadyPrimary():
		rep.say("%s is already PRIMARY: not failing it over again", target)
		return clusterFailoverOutcome{Status: failoverAlreadyPrimary}, diags
	case check.Running != nil:
		task = check.Running
		rep.say("%s: failover task %d is already running; waiting for it instead of starting another", target, task.ID)
	default:
		rep.say("starting the failover of standby %s", target)
		t, err := c.FailoverCluster(ctx, check.Cluster.ID)
		switch {
		case err == nil:
			rep.say("%s: started failover task %d", target, t.ID)
		case ocp.IsRefused(err):
			// Another apply may have just started this very failover, which OCP then refuses as busy.
			if running, ferr := c.FindRunningClusterFailover(ctx, check.Cluster.ID); ferr == nil && running != nil {
				t, err = running, nil
				rep.say("%s: failover task %d started meanwhile (another apply?); waiting for it", target, t.ID)
			}
		}
		if err != nil {
			diags.Append(errorDiagnostic("Error starting cluster failover", "failover of standby "+target, err))
			return clusterFailoverOutcome{Status: failoverNotStarted, Err: err}, diags
		}
		task = t
	}
	out := clusterFailoverOutcome{TaskID: task.ID, Status: string(task.Status)}
	t, err := c.WaitForTask(ctx, task.ID, ocp.WaitOptions{OnProgress: rep.onProgress})
	var stopped *ocp.WaitInterruptedError
	switch {
	case err == nil:
		out.Status = string(t.Status)
	case errors.As(err, new(*ocp.TaskFailedError)):
		out.Status = string(ocp.TaskFailed)
	case errors.As(err, &stopped) && stopped.Last != nil:
		out.Status = string(stopped.Last.Status)
	}
	if err != nil {
		out.Err = err
		diags.Append(waitErrorDiagnostic(failoverWaitSummary(err), "failover of standby "+target, task.ID, err))
	}
	rep.say("%s: failover task %d %s", target, task.ID, out.Status)
	return out, diags
}
