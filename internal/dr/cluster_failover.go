package dr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The failover of a standby cluster to primary (cluster-level DR, OceanBase before 4.0).

// ClusterFailoverRequest is a cluster to fail over.
type ClusterFailoverRequest struct {
	ClusterID int64
	// FailedOverBefore says the caller's own record has this cluster failed over by an earlier run.
	FailedOverBefore bool
}

// ClusterCheck is what the check found for a cluster to fail over.
type ClusterCheck struct {
	Cluster ocp.Cluster
	// Running is a failover task of the cluster already under way.
	Running *ocp.Task
	// Earlier is the failover task that made an already PRIMARY cluster so.
	Earlier *ocp.Task
}

// AlreadyPrimary reports whether the cluster needs no failover.
func (c ClusterCheck) AlreadyPrimary() bool { return c.Cluster.Type == ocp.ClusterPrimary }

// ClusterOutcome is how a cluster failover ended.
type ClusterOutcome struct {
	Status     FailoverStatus
	Task       *ocp.Task
	Candidates []int64
	Err        error
	// DelaySecondsBefore is the cluster's replication delay (OCP's delayTime, seconds) read before the
	// failover; nil when OCP did not report it, or when no failover ran (already PRIMARY).
	DelaySecondsBefore *float64
	timed
}

// ClusterTarget names a cluster for messages: "cluster 3000012 (OB_DC2)".
func ClusterTarget(cl ocp.Cluster) string {
	if cl.Name != "" {
		return fmt.Sprintf("cluster %d (%s)", cl.ID, cl.Name)
	}
	return fmt.Sprintf("cluster %d", cl.ID)
}

// CheckClusterFailover reads the cluster and classifies it: PRIMARY through an earlier failover
// (nothing to do), a failover running (attach), a standby to fail over, or an error (unknown, never a
// standby, neither role). An odd status is a warning: OCP decides when asked.
func CheckClusterFailover(ctx context.Context, c *ocp.Client, req ClusterFailoverRequest) (*ClusterCheck, Problems) {
	var ps Problems
	cl, err := c.GetCluster(ctx, req.ClusterID)
	if err != nil {
		p := ps.ocpError("Error reading cluster", fmt.Sprintf("cluster %d", req.ClusterID), err)
		p.Input, p.Config = InputCluster, ocp.IsNotFound(err)
		return nil, ps
	}
	if cl.ID == 0 {
		cl.ID = req.ClusterID
	}
	target := ClusterTarget(*cl)
	check := &ClusterCheck{Cluster: *cl}
	switch cl.Type {
	case ocp.ClusterPrimary:
		if !req.FailedOverBefore {
			earlier, err := earlierFailover(ctx, c, ocp.TaskListOptions{ClusterID: cl.ID, Name: ocp.TaskNameClusterFailover},
				ocp.SubtaskClusterFailoverToPrimary)
			if err != nil {
				ps.ocpError("Error reading the cluster's failover history", target, err).Input = InputCluster
				return nil, ps
			}
			if earlier == nil {
				p := ps.add(Error, "Cluster is PRIMARY and was never failed over", target,
					fmt.Sprintf("%s is PRIMARY, and OCP lists no failover task that made it so: it never was a standby, and failing it over "+
						"means nothing. Name the standby cluster in the configuration.", upperFirst(target)))
				p.Input, p.Config = InputCluster, true
				return nil, ps
			}
			check.Earlier = earlier
		}
		return check, ps
	case ocp.ClusterStandby:
	default:
		ps.add(Error, "Cluster is not a standby", target, fmt.Sprintf("%s has the type %q in OCP, neither STANDBY nor PRIMARY: only a "+
			"standby cluster can be failed over.", upperFirst(target), cl.Type)).Input = InputCluster
		return nil, ps
	}
	running, err := c.FindRunningClusterFailover(ctx, cl.ID)
	if err != nil {
		ps.ocpError("Error looking for a running failover", target, err).Input = InputCluster
		return nil, ps
	}
	check.Running = running
	if running == nil && cl.Status.InOperation() {
		ps.add(Warning, "Cluster is in another operation", target, fmt.Sprintf("OCP reports %s as %s, and no failover of it is running. "+
			"OCP decides when the failover is asked whether it can proceed; if it refuses, apply fails with OCP's reason and starts "+
			"nothing.", target, cl.Status))
	}
	return check, ps
}

// PlanClusterFailover is what a plan reports for a cluster: the problems of CheckClusterFailover and,
// when none stops it, the warnings of a failover already running, a cluster already PRIMARY, and the
// data-loss warning.
func PlanClusterFailover(ctx context.Context, c *ocp.Client, req ClusterFailoverRequest) Problems {
	check, ps := CheckClusterFailover(ctx, c, req)
	if ps.HasError() {
		return ps
	}
	target := upperFirst(ClusterTarget(check.Cluster))
	switch {
	case check.AlreadyPrimary():
		return append(ps, alreadyPrimaryWarning("Cluster", target, check.Earlier))
	case check.Running != nil:
		ps = append(ps, runningWarning(target, check.Running))
	}
	window := "The loss window is each standby tenant's log delay (see the ocp_tenant data source)."
	if d := check.Cluster.DelaySeconds; d != nil {
		window = fmt.Sprintf("OCP reports the cluster's replication delay as %.3g s: about that much of the primary's changes may be lost.", *d)
	}
	if check.Cluster.PrimaryClusterID != 0 {
		window = fmt.Sprintf("Its primary is cluster %d. ", check.Cluster.PrimaryClusterID) + window
	}
	ps.add(Warning, "Failover may lose data", target, target+" will become PRIMARY. "+DataLossNote+"\n\n"+window)
	return ps
}

// RunClusterFailover fails the checked cluster over (or waits for the failover already running), then
// reads it again to confirm it is PRIMARY.
func RunClusterFailover(ctx context.Context, c *ocp.Client, check *ClusterCheck, reporter Reporter) (ClusterOutcome, Problems) {
	var ps Problems
	rep := serialise(reporter)
	target := ClusterTarget(check.Cluster)
	var task *ocp.Task
	switch {
	case check.AlreadyPrimary():
		rep.Say(target + " is already PRIMARY: not failing it over again")
		return ClusterOutcome{Status: FailoverAlreadyPrimary, Task: check.Earlier}, ps
	case check.Running != nil:
		task = check.Running
		rep.Say(fmt.Sprintf("%s: failover task %d is already running; waiting for it instead of starting another", target, task.ID))
	default:
		rep.Say("starting the failover of standby " + target)
		t, err := c.FailoverCluster(ctx, check.Cluster.ID)
		switch {
		case err == nil:
			rep.Say(fmt.Sprintf("%s: started failover task %d", target, t.ID))
		case ocp.IsRefused(err):
			// Another apply may have just started this very failover, which OCP then refuses as busy.
			if running, ferr := c.FindRunningClusterFailover(ctx, check.Cluster.ID); ferr == nil && running != nil {
				t, err = running, nil
				rep.Say(fmt.Sprintf("%s: failover task %d started meanwhile (another apply?); waiting for it", target, t.ID))
			}
		}
		if err != nil {
			out := ClusterOutcome{Status: startStatus(err), Err: err, DelaySecondsBefore: check.Cluster.DelaySeconds}
			var unknown *ocp.OutcomeUnknownError
			if errors.As(err, &unknown) {
				out.Candidates = unknown.Candidates
			}
			ps.ocpError("Error starting cluster failover", "failover of standby "+target, err).Input = InputCluster
			return out, ps
		}
		task = t
	}
	out := ClusterOutcome{Task: task, Status: FailoverStatus(task.Status), DelaySecondsBefore: check.Cluster.DelaySeconds}
	out.WaitStarted = time.Now()
	t, err := c.WaitForTask(ctx, task.ID, waitOptions(rep))
	out.WaitEnded = time.Now()
	out.Task, out.Status, out.Err = lastSeen(task, t, err), statusAfterWait(t, err), err
	if err == nil {
		rctx, cancel := afterWait(ctx)
		out.Status, out.Err = ConfirmClusterFailover(rctx, c, check.Cluster.ID, task.ID)
		cancel()
	}
	if out.Err != nil {
		p := Problem{Severity: Error, Summary: waitSummary(out.Err), Target: "failover of standby " + target, Err: out.Err,
			TaskID: task.ID, Waiting: err != nil}
		if out.Status == FailoverUnconfirmed {
			p.Summary, p.Detail = unconfirmedSummary("cluster", out.Err), unconfirmedDetail("cluster")
		}
		ps = append(ps, p)
	}
	rep.Say(fmt.Sprintf("%s: failover task %d %s", target, task.ID, out.Status))
	return out, ps
}

// ConfirmClusterFailover is ConfirmTenantFailover for a cluster: SUCCESSFUL when OCP reports it
// PRIMARY after its failover task (taskID) succeeded, else UNCONFIRMED with the reason.
func ConfirmClusterFailover(ctx context.Context, c *ocp.Client, clusterID, taskID int64) (FailoverStatus, error) {
	cl, err := c.GetCluster(ctx, clusterID)
	if err != nil {
		return FailoverUnconfirmed, fmt.Errorf("failover task %d ended SUCCESSFUL, but reading the cluster to confirm it is PRIMARY failed: %w", taskID, err)
	}
	if cl.Type != ocp.ClusterPrimary {
		return FailoverUnconfirmed, &notPrimaryError{taskID: taskID, role: string(cl.Type)}
	}
	return FailoverSuccessful, nil
}
