package dr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// The switchover of a primary/standby tenant pair. Callers name the pair by the roles they WANT (desired
// primary, desired standby); PlanSwitchover and RunSwitchover read what OCP reports and decide:
//
//	PlanSwitchover  read, classify, find a running task, precheck. Never writes.
//	RunSwitchover   the same checks again, then attach to a running task or start one, wait for it,
//	                re-read both tenants and confirm the roles.

// SwitchoverRequest is a switchover to plan or run.
type SwitchoverRequest struct {
	// Primary and Standby are the roles wanted.
	Primary, Standby TenantRef
	// AllowWarnings lets precheck warnings pass (as warnings); false makes them errors.
	AllowWarnings bool
	// PriorTaskID is a switchover task the caller started or found before (a resource's state), 0 if
	// none: when it is still RUNNING it is waited for, and when the roles already hold it is read again
	// so that the caller can record how it ended.
	PriorTaskID int64
	// PriorTaskStatus is that task's status as the caller recorded it ("" when unknown).
	PriorTaskStatus ocp.TaskStatus
	// PriorUnknown says that the caller's last start of this switchover had an unknown outcome.
	PriorUnknown bool
	// RecordLast asks, when the roles already hold and there is no prior task, for the pair's last
	// successful switchover (a resource created, or replaced, after its switchover ended records it).
	RecordLast bool
	// NoStart forbids starting a switchover: the caller's plan announced none (the roles held, or it
	// waits for a switchover already running). RunSwitchover still waits for a running switchover of the
	// pair and records the roles, but when the roles need a switchover and none is running it starts
	// nothing and says so.
	NoStart bool
}

// lookForRunning reports whether a plan must search OCP's task list whatever the tenants' statuses say,
// and take a running task of either tenant for the pair's: after a start whose outcome is unknown, or
// with a task recorded still running, OCP may not have marked the tenants busy yet (it need not do so
// in the instant it creates the task). A recorded task that has ended says nothing of a task running
// now, which may switch one of the tenants with a third one. RunSwitchover always searches.
func (r SwitchoverRequest) lookForRunning() bool {
	return r.PriorUnknown || (r.PriorTaskID != 0 && !r.PriorTaskStatus.Terminal())
}

// SwitchoverPlan is what PlanSwitchover found.
type SwitchoverPlan struct {
	Pair Pair
	// Needed is true when the roles are not as declared: apply switches over (or waits for Running).
	Needed bool
	// Running is a switchover of this pair already RUNNING in OCP, which apply waits for instead of
	// starting another. Nil when there is none.
	Running *ocp.Task
	// Precheck is OCP's precheck of the switchover Needed asks for (nil when none was run).
	Precheck *ocp.PrecheckResult
}

// PlanSwitchover checks whether the pair can be brought to the desired roles, without changing
// anything. When the roles already hold, Needed is false. Otherwise it looks for a switchover of the
// pair already running (a warning says apply will wait for it); failing that, it refuses what no
// switchover can fix and busy tenants, and runs OCP's precheck with the tenants in their CURRENT roles.
func PlanSwitchover(ctx context.Context, c *ocp.Client, req SwitchoverRequest) (SwitchoverPlan, Problems) {
	var ps Problems
	pair, err := ReadPair(ctx, c, req.Primary, req.Standby)
	if err != nil {
		return SwitchoverPlan{}, append(ps, readPairProblem(req.Primary, req.Standby, err))
	}
	plan := SwitchoverPlan{Pair: pair}
	switch pair.Roles() {
	case RolesAsDeclared:
		if p := notAPair(pair); p != nil {
			ps = append(ps, *p)
		}
		return plan, ps
	case RolesUnknown:
		return plan, append(ps, *pairProblem(pair))
	default:
		// Swapped or inconsistent: a switchover is needed, and pairProblem says whether one can run.
	}
	plan.Needed = true
	running, p := findPairSwitchover(ctx, c, pair, req.lookForRunning())
	if p != nil {
		return plan, append(ps, *p)
	}
	if running != nil {
		plan.Running = running
		return plan, append(ps, attachWarning(pair, running))
	}
	var checks Problems
	if p := pairProblem(pair); p != nil {
		checks = append(checks, *p)
	} else {
		plan.Precheck, checks = checkSwitchover(ctx, c, pair, req.AllowWarnings)
	}
	if checks.HasError() {
		// Another apply may have started this very switchover while the tenants were read one after the
		// other, or before the precheck, which then blocks on the tenants it made busy: waiting for it is
		// what this plan wants.
		if running, again := startedMeanwhile(ctx, c, req, req.lookForRunning()); running != nil {
			plan.Pair, plan.Running, plan.Precheck = again, running, nil
			return plan, append(ps, attachWarning(again, running))
		}
	}
	return plan, append(ps, checks...)
}

// attachWarning says that apply will wait for a switchover of the pair that is already running.
func attachWarning(pair Pair, running *ocp.Task) Problem {
	return Problem{Severity: Warning, Summary: "A switchover of this pair is already running", TaskID: running.ID,
		Detail: fmt.Sprintf("OCP task %d (%q) is switching over %s and %s. Apply will wait for task %d instead of starting another switchover; "+
			"OCP's precheck is not run while it is under way.", running.ID, running.Name, Label(pair.Primary), Label(pair.Standby), running.ID)}
}

// startedMeanwhile looks again for a switchover of the pair after OCP blocked or refused one: two applies
// of the same pair race between reading the tenants and asking OCP, and the loser sees the winner's task
// instead of a reason to fail. trust is findPairSwitchover's. Nil when there is none, or when OCP cannot
// be read again (the refusal then stands).
func startedMeanwhile(ctx context.Context, c *ocp.Client, req SwitchoverRequest, trust bool) (*ocp.Task, Pair) {
	pair, err := ReadPair(ctx, c, req.Primary, req.Standby)
	if err != nil {
		return nil, Pair{}
	}
	running, p := findPairSwitchover(ctx, c, pair, trust)
	if p != nil {
		return nil, pair
	}
	return running, pair
}

// checkSwitchover runs OCP's precheck of the switchover that brings the pair to the desired roles, that
// is with the tenants in their CURRENT roles, and maps the answer with precheckProblems.
func checkSwitchover(ctx context.Context, c *ocp.Client, pair Pair, allowWarnings bool) (*ocp.PrecheckResult, Problems) {
	from, to := pair.Current()
	res, err := c.SwitchoverPrecheck(ctx, from.ClusterID, ocp.SwitchoverRequest{TenantID: from.ID, StandbyTenantID: to.ID})
	if err != nil {
		var ps Problems
		ps.ocpError("Error running the switchover precheck", SwitchoverTarget(from, to), err)
		return nil, ps
	}
	ps := PrecheckProblems(res, from, to, allowWarnings)
	for i := range ps {
		if ps[i].Input == InputStandby {
			// PrecheckProblems means the precheck's standby, the current one: name the setting that holds it.
			ps[i].Input = pair.inputOf(to.ID)
		}
	}
	return res, ps
}

// configChecks are precheck codes that say the configuration names tenants that cannot be switched over
// together, so that the advice is to change the configuration, not OCP. [assumed] OBE26003 is the code
// for "the standby is a standby of another tenant"; OCP's reference lists no OBE26xxx codes.
var configChecks = map[string]bool{"OBE26003": true}

// PrecheckProblems maps a precheck result: one error per blocking check, one warning per warning (an
// error when !allowWarnings). Each names the check's code and message and both tenants by name and id.
// A result that is not valid but lists no blocking check is still an error. from and to are the tenants
// in the roles the precheck was asked with (current primary, current standby).
func PrecheckProblems(res *ocp.PrecheckResult, from, to ocp.Tenant, allowWarnings bool) Problems {
	var ps Problems
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
		what := SwitchoverTarget(from, standby)
		blockingHere := 0
		for _, cr := range sr.CheckResults {
			check := cr.ErrorCode + ": " + strings.TrimRight(strings.TrimSpace(cr.ErrorMessage), ".;")
			switch {
			case !cr.Warning && configChecks[cr.ErrorCode]:
				blockingHere++
				p := ps.add(Error, "Switchover precheck failed: "+cr.ErrorCode, what,
					fmt.Sprintf("OCP's precheck blocks the %s:\n\n%s.\n\nThe configuration names tenants that cannot switch over together: "+
						"set primary and standby to the two tenants of one pair.", what, check))
				p.Config, p.Input = true, InputStandby
			case !cr.Warning:
				blockingHere++
				ps.add(Error, "Switchover precheck failed: "+cr.ErrorCode, what,
					fmt.Sprintf("OCP's precheck blocks the %s:\n\n%s.\n\nFix the cause in OCP, then plan again.", what, check))
			case allowWarnings:
				ps.add(Warning, "Switchover precheck warning: "+cr.ErrorCode, what,
					fmt.Sprintf("OCP's precheck warns about the %s:\n\n%s.\n\nThe warning does not block the switchover. "+
						"Set allow_warnings = false to treat precheck warnings as errors.", what, check))
			default:
				ps.add(Error, "Switchover precheck warning not allowed: "+cr.ErrorCode, what,
					fmt.Sprintf("OCP's precheck warns about the %s:\n\n%s.\n\nallow_warnings = false turns precheck warnings into errors. "+
						"Fix the cause in OCP, or set allow_warnings = true to accept the warning.", what, check))
			}
		}
		if !sr.Valid && blockingHere == 0 {
			blockingHere++
			ps.add(Error, "Switchover precheck failed", what,
				fmt.Sprintf("OCP's precheck answered that standby %s is not valid for the %s, without naming a check. Look at the tenants in OCP, then plan again.",
					Label(standby), what))
		}
		blocking += blockingHere
	}
	if !res.Valid && blocking == 0 {
		what := SwitchoverTarget(from, to)
		ps.add(Error, "Switchover precheck failed", what,
			fmt.Sprintf("OCP's precheck answered valid = false for the %s, without naming a check. Look at the tenants in OCP, then plan again.", what))
	}
	return ps
}

// SwitchoverTarget names a switchover by the tenants' current roles:
// `switchover of primary ohayo_1 (tenant 2000022 of cluster 3000009) to standby ohayo_2 (…)`.
func SwitchoverTarget(from, to ocp.Tenant) string {
	return fmt.Sprintf("switchover of primary %s to standby %s", Label(from), Label(to))
}

// findPairSwitchover returns a switchover task RUNNING for the pair, or nil. A switchover task carries
// the tenant that was primary when it started (OCP's task names no standby), so both tenants' tasks are
// listed. A running switchover of one of the two tenants counts as the pair's only when the other
// tenant is busy too: otherwise it switches that tenant with a third one and the pair is simply busy.
// So when both tenants are NORMAL, OCP's task list is not asked (two requests fewer for every plan of a
// pair that needs a switchover) — unless the caller knows that a switchover of this very pair may have
// started (trust: an unknown outcome or a task recorded), since OCP need not mark the tenants busy in
// the instant it creates the task; a task of either tenant then counts as the pair's.
func findPairSwitchover(ctx context.Context, c *ocp.Client, pair Pair, trust bool) (*ocp.Task, *Problem) {
	if !trust && len(pair.busy()) == 0 {
		return nil, nil
	}
	t, err := c.FindRunningSwitchover(ctx, pair.Primary.ID, pair.Standby.ID)
	if err != nil {
		return nil, &Problem{Severity: Error, Summary: "Error looking for a running switchover",
			Target: fmt.Sprintf("tenants %s and %s", Label(pair.Primary), Label(pair.Standby)), Err: err}
	}
	if t == nil || !taskBelongsToPair(t, pair, trust) {
		return nil, nil
	}
	return t, nil
}

// RunningPairSwitchover is the switchover of the pair running in OCP, or nil, as a plan finds it: a
// refresh records it, so that the plan that follows waits for it and apply never starts another. trust
// is the caller's record of an unknown outcome or of a task still running (see lookForRunning).
func RunningPairSwitchover(ctx context.Context, c *ocp.Client, pair Pair, trust bool) (*ocp.Task, error) {
	t, p := findPairSwitchover(ctx, c, pair, trust)
	if p != nil {
		return nil, p.Err
	}
	return t, nil
}

// taskBelongsToPair reports whether a running switchover task is the pair's: it carries one of the two
// tenants and the other one is not NORMAL (OCP marks both tenants of a switchover busy), or the caller
// knows a switchover of this pair may have started (trusting the task over the statuses).
func taskBelongsToPair(t *ocp.Task, pair Pair, trust bool) bool {
	switch t.TenantID {
	case pair.Primary.ID:
		return trust || pair.Standby.Status != ocp.TenantNormal
	case pair.Standby.ID:
		return trust || pair.Primary.Status != ocp.TenantNormal
	default:
		return false
	}
}

// SwitchoverRun is what RunSwitchover is given besides the request: what it reports and where it says
// which task it waits for.
type SwitchoverRun struct {
	Reporter Reporter
	// OnTask, if not nil, is called once the task to wait for is known (started or attached), before
	// waiting, with the outcome so far (Before, the pair as OCP reported it before the task; Precheck;
	// Started or Attached): a resource saves the task id and what it read before to its state there, so
	// that an interrupted apply keeps them.
	OnTask func(task ocp.Task, sofar SwitchoverOutcome)
}

// SwitchoverOutcome is what RunSwitchover did. Fields are set as far as they are known, also when it
// returns errors, so that the caller records what OCP reports and never the roles planned.
type SwitchoverOutcome struct {
	// Before is the pair as read before the switchover (with the standby's log delay); zero when it
	// could not be read.
	Before Pair
	// After is the pair as OCP reports it at the end; AfterRead is false when it could not be read (the
	// roles are then unknown: do not record the roles planned, nor those of Before).
	After     Pair
	AfterRead bool
	// Precheck is the precheck run just before starting (nil when none ran).
	Precheck *ocp.PrecheckResult
	// Task is the last view of the task waited for; when nothing had to be done it is the prior task
	// (SwitchoverRequest.PriorTaskID) as OCP reports it now, or nil.
	Task *ocp.Task
	// Started is true when this call started Task; Attached when it waited for a task already running.
	Started, Attached bool
	// Unknown is true when the start's outcome is unknown: OCP may be running a switchover nobody waits for.
	Unknown bool
	// WaitStarted and WaitEnded bound the wait in our clock (zero when there was none).
	WaitStarted, WaitEnded time.Time
}

// RunSwitchover brings the pair to the desired roles. When they already hold it starts nothing. When a
// switchover of the pair is already running (PriorTaskID, or one in OCP's task list) it waits for that
// task instead of starting another. Otherwise it refuses what no switchover can fix and busy tenants,
// runs the precheck again and starts the switchover on the CURRENT primary's cluster. It waits under ctx
// (the caller's timeout), reporting progress, then re-reads both tenants and confirms the roles.
//
// Unlike a plan, it always asks OCP's task list, and takes a running switchover of either tenant for the
// pair's even while both tenants read NORMAL: OCP may mark them busy only a while after it creates the
// task, and a resource replaced after an unknown outcome has lost the state that would say so. OCP's task
// names no standby, so such a task could switch one of the tenants with a third one; OCP would then refuse
// a second start anyway, and the roles check after the wait says what OCP reports. Two task list requests
// per apply that switches over are the cost.
func RunSwitchover(ctx context.Context, c *ocp.Client, req SwitchoverRequest, run SwitchoverRun) (SwitchoverOutcome, Problems) {
	var (
		out SwitchoverOutcome
		ps  Problems
	)
	rep := serialise(run.Reporter)
	pair, err := ReadPair(ctx, c, req.Primary, req.Standby)
	if err != nil {
		return out, append(ps, readPairProblem(req.Primary, req.Standby, err))
	}
	out.Before, out.After, out.AfterRead = pair, pair, true

	var prior *ocp.Task
	if req.PriorTaskID != 0 {
		t, err := c.GetTask(ctx, req.PriorTaskID)
		switch {
		case ocp.IsNotFound(err):
			rep.Say(fmt.Sprintf("the switchover task %d recorded before is unknown to OCP", req.PriorTaskID))
		case err != nil:
			ps.ocpError("Error reading the previous switchover task", fmt.Sprintf("OCP task %d", req.PriorTaskID), err)
			return out, ps
		default:
			prior = t
		}
	}
	switch pair.Roles() {
	case RolesAsDeclared:
		if p := notAPair(pair); p != nil {
			return out, append(ps, *p)
		}
		out.Task = prior
		if prior == nil && req.RecordLast {
			// A replacement, or an apply that lost its record: the last switchover of the pair is what
			// brought these roles, and its record belongs in the state.
			out.Task = LastSwitchover(ctx, c, pair)
		}
		rep.Say(fmt.Sprintf("%s is PRIMARY and %s STANDBY already: nothing to do", Label(pair.Primary), Label(pair.Standby)))
		return out, ps
	case RolesUnknown:
		return out, append(ps, *pairProblem(pair))
	default:
		// Swapped or inconsistent: attach, or check and start.
	}

	var task *ocp.Task
	if prior != nil && prior.Is(ocp.TaskNameSwitchover) && !prior.Status.Terminal() {
		task = prior
	} else {
		running, p := findPairSwitchover(ctx, c, pair, true)
		if p != nil {
			return out, append(ps, *p)
		}
		task = running
	}
	from, to := pair.Current()
	if task == nil && req.NoStart {
		if again, ok := endedMeanwhile(ctx, c, req); ok {
			return heldAfterAll(ctx, c, req, out, again, rep), ps
		}
		if p := pairProblem(pair); p != nil {
			return out, append(ps, *p)
		}
		return out, append(ps, notAnnounced(pair, prior))
	}
	if task != nil {
		out.Attached = true
		rep.Say(fmt.Sprintf("switchover task %d of the pair is already running; waiting for it instead of starting another", task.ID))
	} else {
		var checks Problems
		if p := pairProblem(pair); p != nil {
			checks = append(checks, *p)
		} else {
			out.Precheck, checks = checkSwitchover(ctx, c, pair, req.AllowWarnings)
		}
		if !checks.HasError() {
			ps = append(ps, checks...)
			rep.Say(fmt.Sprintf("starting the %s", SwitchoverTarget(from, to)))
			task, err = c.Switchover(ctx, from.ClusterID, ocp.SwitchoverRequest{TenantID: from.ID, StandbyTenantID: to.ID})
		}
		var (
			meanwhile *ocp.Task
			again     Pair
		)
		if checks.HasError() || ocp.IsRefused(err) {
			// Another apply may have started this switchover between our read and our request.
			meanwhile, again = startedMeanwhile(ctx, c, req, true)
		}
		switch {
		case meanwhile != nil:
			task, out.Attached, out.Before, out.After = meanwhile, true, again, again
			rep.Say(fmt.Sprintf("switchover task %d of the pair started meanwhile (another apply?); waiting for it", task.ID))
		case checks.HasError() && again.Roles() == RolesAsDeclared && notAPair(again) == nil:
			// A switchover of the pair ended between the reads: the checks saw it busy, the roles now hold.
			return heldAfterAll(ctx, c, req, out, again, rep), ps
		case checks.HasError():
			return out, append(ps, checks...)
		case err != nil:
			var unknown *ocp.OutcomeUnknownError
			out.Unknown = errors.As(err, &unknown)
			return out, append(ps, Problem{Severity: Error, Summary: "Error starting the switchover", Target: SwitchoverTarget(from, to), Err: err})
		default:
			out.Started = true
			rep.Say(fmt.Sprintf("started switchover task %d", task.ID))
		}
	}
	out.Task = task
	if run.OnTask != nil {
		run.OnTask(*task, out)
	}

	out.WaitStarted = time.Now()
	final, werr := c.WaitForTask(ctx, task.ID, waitOptions(rep))
	out.WaitEnded = time.Now()
	out.Task = lastSeen(out.Task, final, werr)

	// Record the roles OCP reports now, whatever happened; ctx may have run out, so read under a short
	// context of its own.
	rctx, cancel := afterWait(ctx)
	defer cancel()
	after, rerr := ReadPair(rctx, c, req.Primary, req.Standby)
	out.After, out.AfterRead = after, rerr == nil
	if werr != nil {
		return out, append(ps, Problem{Severity: Error, Summary: "Error waiting for the switchover", Target: SwitchoverTarget(from, to),
			Err: werr, TaskID: task.ID, Waiting: true})
	}
	if rerr != nil {
		p := readPairProblem(req.Primary, req.Standby, rerr)
		p.Detail = fmt.Sprintf("OCP task %d ended %s, but the tenants could not be read afterwards: their roles are unknown until "+
			"the next refresh reads them.", task.ID, out.Task.Status)
		return out, append(ps, p)
	}
	if after.Roles() != RolesAsDeclared {
		ps.add(Error, "Switchover did not bring the declared roles", SwitchoverTarget(from, to),
			fmt.Sprintf("OCP task %d (%q) ended %s, but OCP reports: %s.\n\nLook at the task and the tenants in OCP, then plan again.",
				task.ID, out.Task.Name, out.Task.Status, after.Describe()))
		return out, ps
	}
	rep.Say(fmt.Sprintf("switchover task %d ended %s: %s", task.ID, out.Task.Status, after.Describe()))
	return out, ps
}

// endedMeanwhile reads the pair again after a run found no switchover of it running while the roles it
// read first needed one: a switchover of the pair may have ended between its reads. True when the roles
// now hold.
func endedMeanwhile(ctx context.Context, c *ocp.Client, req SwitchoverRequest) (Pair, bool) {
	again, err := ReadPair(ctx, c, req.Primary, req.Standby)
	return again, err == nil && again.Roles() == RolesAsDeclared && notAPair(again) == nil
}

// heldAfterAll is the outcome of a run whose roles turned out to hold (again, read after a switchover of
// the pair ended meanwhile): nothing started, and with RecordLast the switchover that brought them.
func heldAfterAll(ctx context.Context, c *ocp.Client, req SwitchoverRequest, out SwitchoverOutcome, again Pair, rep *syncReporter) SwitchoverOutcome {
	out.Before, out.After, out.AfterRead = again, again, true
	if req.RecordLast {
		out.Task = LastSwitchover(ctx, c, again)
	}
	rep.Say(fmt.Sprintf("%s is PRIMARY and %s STANDBY now: a switchover of the pair ended meanwhile; nothing to do",
		Label(again.Primary), Label(again.Standby)))
	return out
}

// notAnnounced is the error of a run that would have to start a switchover its caller's plan did not
// announce: the roles changed since the plan, or the switchover the plan waits for ended without
// bringing them.
func notAnnounced(pair Pair, prior *ocp.Task) Problem {
	why, next := "no switchover of the pair is running", ""
	if prior != nil {
		why = fmt.Sprintf("OCP task %d, which the plan expected to wait for, ended %s", prior.ID, prior.Status)
		if prior.Status == ocp.TaskFailed {
			next = fmt.Sprintf(" Or retry task %d in OCP (POST %s) first: the next apply then waits for it.", prior.ID, ocp.RetryPath(prior.ID))
		}
	}
	return Problem{Severity: Error, Summary: "Switchover not started: the plan did not announce one", TaskID: taskIDOf(prior),
		Detail: fmt.Sprintf("OCP reports: %s, and %s. The plan expected apply to start no switchover, so apply starts none. "+
			"Run terraform plan again: it shows the switchover these roles need.%s", pair.Describe(), why, next)}
}

// taskIDOf is a task's id, 0 for none.
func taskIDOf(t *ocp.Task) int64 {
	if t == nil {
		return 0
	}
	return t.ID
}

// LastSwitchover is the switchover that brought the roles OCP reports now: the newest one started from
// the tenant that is STANDBY now and that changed the roles (see newestThatChangedRoles), or nil (also
// when OCP's task list cannot be read: it is a record, not a decision). pair's roles must be as declared
// or swapped.
func LastSwitchover(ctx context.Context, c *ocp.Client, pair Pair) *ocp.Task {
	_, standby := pair.Current()
	tasks, err := c.ListTasks(ctx, ocp.TaskListOptions{TenantID: standby.ID, Name: ocp.TaskNameSwitchover,
		Statuses: []ocp.TaskStatus{ocp.TaskSuccessful, ocp.TaskFailed}})
	if err != nil {
		return nil
	}
	t, err := newestThatChangedRoles(ctx, c, tasks, ocp.SubtaskSwitchoverRoleInMeta)
	if err != nil {
		return nil
	}
	return t
}

// newestThatChangedRoles is the newest of tasks (ended ones from OCP's list) that changed the roles:
// SUCCESSFUL and not a rollback, or FAILED after its roleSubtask succeeded (OCP may report the new roles
// before a later subtask fails). A FAILED list item without subtasks is read in full to tell.
func newestThatChangedRoles(ctx context.Context, c *ocp.Client, tasks []ocp.Task, roleSubtask string) (*ocp.Task, error) {
	var newest *ocp.Task
	for i := range tasks {
		t := tasks[i]
		if newest != nil && !finishedAfter(&t, newest) {
			continue
		}
		if t.Status == ocp.TaskFailed && len(t.Subtasks) == 0 {
			full, err := c.GetTask(ctx, t.ID)
			if err != nil {
				return nil, err
			}
			t = *full
		}
		if (t.Status == ocp.TaskSuccessful && !t.RolledBack()) || (t.Status == ocp.TaskFailed && t.SubtaskSucceeded(roleSubtask)) {
			newest = &t
		}
	}
	return newest, nil
}

// finishedAfter reports whether a finished after b (ids break ties: OCP allocates them in order).
func finishedAfter(a, b *ocp.Task) bool {
	if a.FinishTime != nil && b.FinishTime != nil && !a.FinishTime.Equal(*b.FinishTime) {
		return a.FinishTime.After(*b.FinishTime)
	}
	return a.ID > b.ID
}

// afterWait is the context of the reads that record how a wait ended: ctx may have run out during the
// wait, so they get a short time of their own.
func afterWait(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

// lastSeen is the latest view of a task after a wait: the final task, the failed one, the last one seen
// before the wait was interrupted, or the view before the wait.
func lastSeen(before, final *ocp.Task, err error) *ocp.Task {
	var (
		failed  *ocp.TaskFailedError
		stopped *ocp.WaitInterruptedError
	)
	switch {
	case err == nil && final != nil:
		return final
	case errors.As(err, &failed) && failed.Task != nil:
		return failed.Task
	case errors.As(err, &stopped) && stopped.Last != nil:
		return stopped.Last
	}
	return before
}
