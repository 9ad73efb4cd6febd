package dr

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The batch failover of standby tenants of one cluster. It runs in two phases, so that plan and apply
// check the same things:
//
//   - CheckTenantFailover (plan time and again at apply): read each tenant and classify it as PRIMARY
//     through an earlier failover (nothing to do), a failover already running (attach), a standby to
//     fail over, or an error (not a tenant of the cluster, never a standby, no role reported);
//   - RunTenantFailover (apply / invoke): one request starts every failover not yet under way, then
//     every task is waited for concurrently, and each tenant's role is read again to confirm it.
//
// A tenant's status (NORMAL, MODIFYING, …) is only a warning: in a disaster statuses look odd, and OCP
// itself refuses what it cannot do (then the apply fails with OCP's reason and nothing started).

// FailoverTenant is one tenant of a batch, as asked.
type FailoverTenant struct {
	TenantID    int64
	ServiceName string
	// FailedOverBefore says the caller's own record (a resource's state) has this tenant failed over by
	// an earlier run: PRIMARY is then the expected end, without asking OCP's task history.
	FailedOverBefore bool
}

// TenantFailoverRequest is a batch: standby tenants of one cluster.
type TenantFailoverRequest struct {
	ClusterID int64
	Tenants   []FailoverTenant
}

// TenantCheck is what the check found for one tenant of the batch.
type TenantCheck struct {
	Spec   FailoverTenant
	Tenant ocp.Tenant
	// Running is a failover task of this tenant already under way: it is waited on, not started again.
	Running *ocp.Task
	// Earlier is the failover task that made an already PRIMARY tenant so (nil when Spec says so).
	Earlier *ocp.Task
}

// AlreadyPrimary reports whether the tenant needs no failover.
func (c TenantCheck) AlreadyPrimary() bool { return c.Tenant.Role == ocp.RolePrimary }

// TenantOutcome is how one tenant of the batch ended.
type TenantOutcome struct {
	TenantID int64
	Name     string
	Status   FailoverStatus
	// Task is the last view of its failover task (nil when none was started or found).
	Task *ocp.Task
	// DelayMillisBefore is the standby's log delay read before the failover (nil: not reported, or the
	// tenant was PRIMARY already and no failover ran).
	DelayMillisBefore *int64
	// Candidates are the tasks that may be its failover when Status is FailoverUnknown.
	Candidates []int64
	// Err says why the tenant did not fail over; nil when it is PRIMARY now.
	Err error
	timed
}

// TaskID is the failover task's id, 0 when none.
func (o TenantOutcome) TaskID() int64 {
	if o.Task == nil {
		return 0
	}
	return o.Task.ID
}

// TenantTarget names a tenant for messages: "tenant 2000025 (ohayo_2) of cluster 3000010".
func TenantTarget(clusterID, tenantID int64, name string) string {
	if name != "" {
		return fmt.Sprintf("tenant %d (%s) of cluster %d", tenantID, name, clusterID)
	}
	return fmt.Sprintf("tenant %d of cluster %d", tenantID, clusterID)
}

// checkConcurrency bounds the tenants CheckTenantFailover reads at once: a batch of hundreds of tenants
// is read in a fraction of the time one after another takes, with a handful of requests in flight.
const checkConcurrency = 8

// CheckTenantFailover reads every tenant of the batch and classifies it. Errors name the tenant and the
// input they concern. Tenants are read concurrently (checkConcurrency); checks and problems keep the
// batch's order.
func CheckTenantFailover(ctx context.Context, c *ocp.Client, req TenantFailoverRequest) ([]TenantCheck, Problems) {
	type result struct {
		check TenantCheck
		ok    bool
		ps    Problems
	}
	results := make([]result, len(req.Tenants))
	sem := make(chan struct{}, checkConcurrency)
	var wg sync.WaitGroup
	for i, s := range req.Tenants {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := &results[i]
			r.check, r.ok, r.ps = checkFailoverTenant(ctx, c, req.ClusterID, s)
		}()
	}
	wg.Wait()
	var ps Problems
	checks := make([]TenantCheck, 0, len(req.Tenants))
	for _, r := range results {
		ps = append(ps, r.ps...)
		if r.ok {
			checks = append(checks, r.check)
		}
	}
	return checks, ps
}

// checkFailoverTenant reads one tenant of a batch and classifies it; ok is false when it cannot be
// failed over (the problems say why).
func checkFailoverTenant(ctx context.Context, c *ocp.Client, clusterID int64, s FailoverTenant) (check TenantCheck, ok bool, ps Problems) {
	target := TenantTarget(clusterID, s.TenantID, "")
	t, err := c.GetTenant(ctx, clusterID, s.TenantID)
	if err != nil {
		p := ps.ocpError("Error reading tenant", target, err)
		p.Input, p.TenantID = InputTenant, s.TenantID
		if ocp.IsNotFound(err) {
			p.Summary, p.Config = "Tenant is not a standby of the cluster", true
			p.Target = fmt.Sprintf("tenant %d is not a tenant of cluster %d, so it is not a standby of that cluster", s.TenantID, clusterID)
			p.Detail = "It does not exist, or it belongs to another cluster: cluster_id must be the cluster of the standby tenants."
		}
		return check, false, ps
	}
	if t.ClusterID == 0 {
		t.ClusterID = clusterID
	}
	target = TenantTarget(clusterID, t.ID, t.Name)
	check = TenantCheck{Spec: s, Tenant: *t}
	switch t.Role {
	case ocp.RolePrimary:
		if !s.FailedOverBefore {
			earlier, err := earlierFailover(ctx, c, ocp.TaskListOptions{TenantID: t.ID, Name: ocp.TaskNameTenantFailover},
				ocp.SubtaskTenantFailoverToPrimary)
			if err != nil {
				p := ps.ocpError("Error reading the tenant's failover history", target, err)
				p.Input, p.TenantID = InputTenant, t.ID
				return check, false, ps
			}
			if earlier == nil {
				p := ps.add(Error, "Tenant is PRIMARY and was never failed over", target,
					fmt.Sprintf("%s is PRIMARY, and OCP lists no failover task that made it so: it is not a standby, and failing it "+
						"over means nothing. Name the standby tenants of cluster %d in the configuration.", upperFirst(target), clusterID))
				p.Input, p.TenantID, p.Config = InputTenant, t.ID, true
				return check, false, ps
			}
			check.Earlier = earlier
		}
		return check, true, ps
	case ocp.RoleStandby:
	case "":
		p := ps.ocpError("OCP does not report the tenant's role", target, &ocp.MissingRoleError{ClusterID: clusterID, TenantID: t.ID, Name: t.Name})
		p.Input, p.TenantID = InputTenant, t.ID
		return check, false, ps
	default:
		p := ps.add(Error, "Tenant is not a standby of the cluster", target,
			fmt.Sprintf("%s has the role %q in OCP, neither STANDBY nor PRIMARY: only a standby tenant can be failed over.", upperFirst(target), t.Role))
		p.Input, p.TenantID = InputTenant, t.ID
		return check, false, ps
	}
	running, err := c.FindRunningTenantFailover(ctx, t.ID)
	if err != nil {
		p := ps.ocpError("Error looking for a running failover", target, err)
		p.Input, p.TenantID = InputTenant, t.ID
		return check, false, ps
	}
	check.Running = running
	if running == nil && t.Status != ocp.TenantNormal {
		p := ps.add(Warning, "Tenant is not NORMAL", target,
			fmt.Sprintf("OCP reports %s as %s, and no failover of it is running: it is busy with %s. OCP decides when the failover is "+
				"asked whether it can proceed; if it refuses, apply fails with OCP's reason and starts nothing.", target, t.Status, busyWith(ctx, c, t)))
		p.Input, p.TenantID = InputTenant, t.ID
	}
	return check, true, ps
}

// busyWith names what keeps a tenant busy: its switchover task when there is one, else "another operation".
func busyWith(ctx context.Context, c *ocp.Client, t *ocp.Tenant) string {
	ids := []int64{t.ID}
	if t.PrimaryTenantID != 0 {
		ids = append(ids, t.PrimaryTenantID)
	}
	if task, err := c.FindRunningSwitchover(ctx, ids...); err == nil && task != nil {
		return fmt.Sprintf("OCP task %d (%q)", task.ID, task.Name)
	}
	return "another operation (look at its tasks in OCP)"
}

// PlanTenantFailover is what a plan reports for a batch: the problems of CheckTenantFailover and, when
// none stops it, the warnings of a failover already running, tenants already PRIMARY, and the data-loss
// warning with each standby's current log delay as the estimated loss window.
func PlanTenantFailover(ctx context.Context, c *ocp.Client, req TenantFailoverRequest) Problems {
	checks, ps := CheckTenantFailover(ctx, c, req)
	if ps.HasError() {
		return ps
	}
	var windows []string
	for _, ch := range checks {
		target := upperFirst(TenantTarget(req.ClusterID, ch.Tenant.ID, ch.Tenant.Name))
		switch {
		case ch.AlreadyPrimary():
			ps = append(ps, alreadyPrimaryWarning("Tenant", target, ch.Earlier))
			continue
		case ch.Running != nil:
			ps = append(ps, runningWarning(target, ch.Running))
		}
		windows = append(windows, "  - "+target+": "+lossWindow(ch.Tenant.LogSyncDelayMillis))
	}
	if len(windows) > 0 {
		ps.add(Warning, "Failover may lose data", "",
			DataLossNote+"\n\nEstimated loss window (the standby's current log delay):\n"+strings.Join(windows, "\n"))
	}
	return ps
}

// lossWindow words a standby's log delay.
func lossWindow(delay *int64) string {
	if delay == nil {
		return "unknown (OCP does not report this standby's log delay)"
	}
	return fmt.Sprintf("about %d ms of changes (logSyncDelayMillis)", *delay)
}

// RunTenantFailover fails over every checked tenant that is not PRIMARY yet: one batch request starts
// the failovers not already under way, then every task (started or attached) is waited for
// concurrently, and each tenant is read again to confirm it is PRIMARY. It returns one outcome per
// checked tenant, in order, and an error problem per tenant that did not fail over.
func RunTenantFailover(ctx context.Context, c *ocp.Client, req TenantFailoverRequest, checks []TenantCheck, reporter Reporter) ([]TenantOutcome, Problems) {
	var ps Problems
	rep := serialise(reporter)
	outcomes := make([]TenantOutcome, len(checks))
	var toStart []int // indexes into checks
	for i, ch := range checks {
		o := &outcomes[i]
		o.TenantID, o.Name = ch.Tenant.ID, ch.Tenant.Name
		if !ch.AlreadyPrimary() {
			o.DelayMillisBefore = ch.Tenant.LogSyncDelayMillis
		}
		target := TenantTarget(req.ClusterID, o.TenantID, o.Name)
		switch {
		case ch.AlreadyPrimary():
			o.Status, o.Task = FailoverAlreadyPrimary, ch.Earlier
			rep.Say(fmt.Sprintf("%s is already PRIMARY: not failing it over again", target))
		case ch.Running != nil:
			o.Task, o.Status = ch.Running, FailoverStatus(ch.Running.Status)
			rep.Say(fmt.Sprintf("%s: failover task %d is already running; waiting for it instead of starting another", target, ch.Running.ID))
		default:
			toStart = append(toStart, i)
		}
	}
	if len(toStart) > 0 {
		ps = append(ps, startTenantFailovers(ctx, c, req.ClusterID, checks, toStart, outcomes, rep)...)
	}

	// Wait for every task at once: a batch takes as long as its slowest tenant, not the sum.
	var wg sync.WaitGroup
	for i := range outcomes {
		o := &outcomes[i]
		if o.Task == nil || o.Status == FailoverAlreadyPrimary {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := TenantTarget(req.ClusterID, o.TenantID, o.Name)
			o.WaitStarted = time.Now()
			t, err := c.WaitForTask(ctx, o.Task.ID, waitOptions(rep))
			o.WaitEnded = time.Now()
			o.Task, o.Status, o.Err = lastSeen(o.Task, t, err), statusAfterWait(t, err), err
			if err == nil {
				rctx, cancel := afterWait(ctx)
				o.Status, o.Err = ConfirmTenantFailover(rctx, c, req.ClusterID, o.TenantID, o.TaskID())
				cancel()
			}
			rep.Say(fmt.Sprintf("%s: failover task %d %s", target, o.Task.ID, o.Status))
		}()
	}
	wg.Wait()

	var done, notDone []string
	for _, o := range outcomes {
		switch {
		case o.Err == nil:
			done = append(done, fmt.Sprintf("%d %s", o.TenantID, o.Status))
		case o.Task == nil:
			notDone = append(notDone, fmt.Sprint(o.TenantID)) // its start's problem is reported already
		default:
			notDone = append(notDone, fmt.Sprint(o.TenantID))
			p := Problem{Severity: Error, Summary: waitSummary(o.Err), Target: tenantFailureTarget(req.ClusterID, o, outcomes),
				Err: o.Err, TaskID: o.Task.ID, Waiting: true, Input: InputTenant, TenantID: o.TenantID}
			if o.Status == FailoverUnconfirmed {
				p.Summary, p.Detail, p.Waiting = unconfirmedSummary("tenant", o.Err), unconfirmedDetail("tenant"), false
			}
			ps = append(ps, p)
		}
	}
	rep.Say(fmt.Sprintf("failover of cluster %d's tenants finished: %d done (%s), %d not done", req.ClusterID,
		len(done), strings.Join(done, ", "), len(notDone)))
	return outcomes, ps
}

// startTenantFailovers sends the one batch request for checks[toStart] and records each tenant's task
// or why it has none in outcomes.
func startTenantFailovers(ctx context.Context, c *ocp.Client, clusterID int64, checks []TenantCheck, toStart []int,
	outcomes []TenantOutcome, rep *syncReporter) Problems {
	var ps Problems
	req := ocp.FailoverRequest{Items: make([]ocp.FailoverItem, len(toStart))}
	names := make([]string, len(toStart))
	for k, i := range toStart {
		req.Items[k] = ocp.FailoverItem{TenantID: checks[i].Spec.TenantID, ServiceName: checks[i].Spec.ServiceName}
		names[k] = fmt.Sprintf("%d (%s)", checks[i].Tenant.ID, checks[i].Tenant.Name)
	}
	rep.Say(fmt.Sprintf("starting the failover of %d standby tenant(s) of cluster %d in one request: %s", len(toStart), clusterID, strings.Join(names, ", ")))
	tasks, err := c.FailoverTenants(ctx, clusterID, req)
	byTenant := map[int64]ocp.Task{}
	for _, t := range tasks {
		byTenant[t.TenantID] = t
	}
	attached := map[int64]bool{}
	if ocp.IsRefused(err) && !ocp.IsPrimaryAlive(err) {
		// OCP refused the whole batch, typically as busy: another apply may have just started the
		// failover of some of these tenants. Wait for those instead of failing them.
		for _, i := range toStart {
			id := checks[i].Tenant.ID
			if t, ferr := c.FindRunningTenantFailover(ctx, id); ferr == nil && t != nil {
				byTenant[id], attached[id] = *t, true
				rep.Say(fmt.Sprintf("%s: failover task %d started meanwhile (another apply?); waiting for it",
					TenantTarget(clusterID, id, checks[i].Tenant.Name), t.ID))
			}
		}
	}
	var unknown *ocp.OutcomeUnknownError
	errors.As(err, &unknown)
	var missing []string
	for _, i := range toStart {
		o := &outcomes[i]
		t, ok := byTenant[o.TenantID]
		if !ok {
			o.Status, o.Err = startStatus(err), err
			if unknown != nil {
				o.Candidates = unknown.Candidates
			}
			missing = append(missing, fmt.Sprint(o.TenantID))
			continue
		}
		o.Task, o.Status = &t, FailoverStatus(t.Status)
		if !attached[o.TenantID] {
			rep.Say(fmt.Sprintf("%s: started failover task %d", TenantTarget(clusterID, o.TenantID, o.Name), t.ID))
		}
	}
	if len(missing) == 0 {
		return ps
	}
	if err == nil {
		// OCP answered without a task for these tenants; never expected, but never silent.
		err = fmt.Errorf("OCP started no failover task for tenant(s) %s", strings.Join(missing, ", "))
		for _, i := range toStart {
			if outcomes[i].Task == nil {
				outcomes[i].Status, outcomes[i].Err = FailoverUnknown, err
			}
		}
	}
	p := ps.ocpError("Error starting tenant failover", fmt.Sprintf("failover of standby tenant(s) %s of cluster %d", strings.Join(missing, ", "), clusterID), err)
	if ocp.IsPrimaryAlive(err) {
		p.Summary, p.Detail = "OCP refuses the failover: the primary tenant is alive", primaryAliveDetail
	}
	if len(missing) == 1 {
		p.Input, p.TenantID = InputTenant, outcomes[slices.IndexFunc(outcomes, func(o TenantOutcome) bool { return fmt.Sprint(o.TenantID) == missing[0] })].TenantID
	}
	return ps
}

// notPrimaryError is a failover task that succeeded while OCP does not report the tenant PRIMARY.
type notPrimaryError struct {
	taskID int64
	role   string
}

func (e *notPrimaryError) Error() string {
	return fmt.Sprintf("failover task %d ended SUCCESSFUL, but OCP reports the role %s: the failover is not confirmed. "+
		"Look at the task and the role in OCP.", e.taskID, e.role)
}

// unconfirmedSummary is the summary of an UNCONFIRMED failover of a tenant or cluster (what): a role
// OCP reports otherwise, or one that could not be read.
func unconfirmedSummary(what string, err error) string {
	if errors.As(err, new(*notPrimaryError)) {
		return "Failover did not make the " + what + " PRIMARY"
	}
	return "Failover not confirmed"
}

// unconfirmedDetail says what an UNCONFIRMED failover of a tenant or cluster (what) means for the next run.
func unconfirmedDetail(what string) string {
	return fmt.Sprintf("Its status is %s, not %s: it is not counted as failed over, and the next run checks the %s again. If OCP then "+
		"reports it PRIMARY and lists this failover, nothing starts (%s); if it is still a standby, it is failed over again.",
		FailoverUnconfirmed, FailoverSuccessful, what, FailoverAlreadyPrimary)
}

// ConfirmTenantFailover reads a tenant whose failover task (taskID) ended SUCCESSFUL: its success is OCP
// reporting it PRIMARY, not the task's status alone. It returns SUCCESSFUL, or UNCONFIRMED with the
// reason (another role, or a read that failed). Used after a wait, and by a refresh that finds a
// recorded task ended SUCCESSFUL (the read ends with ctx: a cancelled refresh does not wait for it).
func ConfirmTenantFailover(ctx context.Context, c *ocp.Client, clusterID, tenantID, taskID int64) (FailoverStatus, error) {
	t, err := c.GetTenant(ctx, clusterID, tenantID)
	if err != nil {
		return FailoverUnconfirmed, fmt.Errorf("failover task %d ended SUCCESSFUL, but reading the tenant to confirm it is PRIMARY failed: %w", taskID, err)
	}
	if t.Role != ocp.RolePrimary {
		role := string(t.Role)
		if role == "" {
			role = "(none reported)"
		}
		return FailoverUnconfirmed, &notPrimaryError{taskID: taskID, role: role}
	}
	return FailoverSuccessful, nil
}

// tenantFailureTarget names the tenant that did not fail over and what became of the rest of its batch.
func tenantFailureTarget(clusterID int64, failed TenantOutcome, all []TenantOutcome) string {
	s := "failover of " + TenantTarget(clusterID, failed.TenantID, failed.Name)
	var done []string
	for _, o := range all {
		if o.Err == nil {
			done = append(done, fmt.Sprintf("%d (%s)", o.TenantID, o.Status))
		}
	}
	if len(all) > 1 && len(done) > 0 {
		slices.Sort(done)
		s += fmt.Sprintf(". The other tenants of the batch are PRIMARY now: %s. "+
			"The next run fails over only the tenants that are not PRIMARY yet", strings.Join(done, ", "))
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
