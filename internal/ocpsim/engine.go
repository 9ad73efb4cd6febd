package ocpsim

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// taskRec is a task plus what the engine needs to run it. All fields are guarded by Sim.mu.
type taskRec struct {
	t    Task
	kind OpKind
	tmpl *taskTemplate
	// tenants and clusters are what the task makes busy while it runs.
	tenants  []int64
	clusters []int64
	// primaryID and standbyID are a switchover's pair as requested; standbyID alone for a failover.
	primaryID, standbyID int64
	serviceName          string
	// failAt is an injected failure still to happen: the subtask of that name fails when it finishes.
	failAt string
	// rolesApplied is set once the task's role change is in the world (applySuccess ran).
	rolesApplied bool
	// noEffect is an injected success that changes nothing (SucceedWithoutEffect).
	noEffect bool
	// rolledBack marks subtasks whose rollback has completed, during a ROLLBACK run.
	rolledBack []bool
	// index maps a subtask id to its position in t.Subtasks.
	index map[int64]int
	// timers holds the completion timer of each RUNNING subtask, by position.
	timers []*time.Timer
	// busyTimer is the pending busy marking (busy.go) while the busy delay runs; busySince is when the
	// task last started running.
	busyTimer *time.Timer
	busySince time.Time
}

// newTask creates a RUNNING task of kind whose root subtasks are READY. The caller snapshots it for the
// create response (which therefore shows READY roots, as OCP's samples do) and then calls pump.
// Call with s.mu held.
func (s *Sim) newTask(kind OpKind, creator TaskCreator, clusterID, tenantID int64) *taskRec {
	tmpl := s.templates[kind]
	now := s.now()
	s.nextTaskID++
	rec := &taskRec{
		kind:       kind,
		tmpl:       tmpl,
		rolledBack: make([]bool, len(tmpl.steps)),
		timers:     make([]*time.Timer, len(tmpl.steps)),
		index:      map[int64]int{},
		t: Task{
			ID: s.nextTaskID, Name: tmpl.name, ClusterID: clusterID, TenantID: tenantID,
			Creator: creator, Executor: s.executor, Operation: OperationExecute,
			CreateTime: now, StartTime: now, Status: TaskRunning, Type: "MANUAL", TaskDefinitionID: -1,
		},
	}
	ids := make([]int64, len(tmpl.steps))
	for i := range tmpl.steps {
		s.nextSubtaskID++
		ids[i] = s.nextSubtaskID
	}
	rec.t.Subtasks = make([]Subtask, len(tmpl.steps))
	for i, st := range tmpl.steps {
		sub := Subtask{
			ID: ids[i], Name: st.name, Description: st.name, Status: SubtaskPending,
			SeriesID: st.seriesID, Timeout: st.timeout, ParallelIdx: st.parallelIdx,
			ProhibitRollback: st.prohibitRollback, RunTime: 1, NodeType: "JAVA_TASK",
			Operation: OperationExecute, Upstreams: []int64{}, Downstreams: []int64{},
		}
		for _, u := range st.ups {
			sub.Upstreams = append(sub.Upstreams, ids[u])
		}
		if len(st.ups) == 0 {
			sub.Status = SubtaskReady
		}
		rec.t.Subtasks[i] = sub
		rec.index[sub.ID] = i
	}
	for i, st := range tmpl.steps {
		for _, u := range st.ups {
			rec.t.Subtasks[u].Downstreams = append(rec.t.Subtasks[u].Downstreams, ids[i])
		}
	}
	if name, ok := s.faults.failNext[kind]; ok {
		delete(s.faults.failNext, kind)
		rec.failAt = name
	}
	if s.faults.noEffect[kind] {
		delete(s.faults.noEffect, kind)
		rec.noEffect = true
	}
	s.tasks[rec.t.ID] = rec
	s.log.Info("task created", "taskId", rec.t.ID, "name", rec.t.Name, "clusterId", clusterID, "tenantId", tenantID)
	return rec
}

// stepFor is how long subtask i of a task of kind runs when it starts now: a step, times the subtask's
// weight (Config.SubtaskWeights).
func (s *Sim) stepFor(kind OpKind, i int) time.Duration {
	w := s.weight(s.templates[kind].steps[i].name)
	if s.taskDuration > 0 {
		return time.Duration(float64(s.taskDuration) * w / s.templates[kind].longestPath(s.weight))
	}
	return time.Duration(float64(s.step) * w)
}

// weight is how many steps the subtask called name runs (1 unless Config.SubtaskWeights says otherwise).
func (s *Sim) weight(name string) float64 {
	if w, ok := s.weights[name]; ok && w > 0 {
		return w
	}
	return 1
}

// pump moves the task as far as it can go now: it makes subtasks READY whose predecessors are done,
// starts every READY subtask (parallel branches run at once), and ends the task when nothing is left to
// run. Forward runs follow upstreams; a ROLLBACK run follows downstreams, in reverse DAG order.
// Call with s.mu held.
func (s *Sim) pump(rec *taskRec) {
	if rec.t.Status != TaskRunning || s.closed {
		return
	}
	subs := rec.t.Subtasks
	rollback := rec.t.Operation == OperationRollback
	// A forward run stops starting subtasks once one has failed. A rollback starts from FAILED
	// subtasks (they are rolled back like the others), and the simulator's rollbacks never fail.
	failed := false
	for _, st := range subs {
		if st.Status == SubtaskFailed && !rollback {
			failed = true
		}
	}
	if !failed {
		for i := range subs {
			if s.canBecomeReady(rec, i, rollback) {
				subs[i].Status = SubtaskReady
			}
		}
		for i := range subs {
			if subs[i].Status == SubtaskReady {
				s.startSubtask(rec, i)
			}
		}
	}
	for _, st := range subs {
		if st.Status == SubtaskRunning {
			return
		}
	}
	if failed {
		s.endTask(rec, TaskFailed)
		return
	}
	for i, st := range subs {
		done := st.Status == SubtaskSuccessful
		if rollback {
			done = st.Status == SubtaskPending || rec.rolledBack[i]
		}
		if !done {
			// Cannot happen with a well-formed DAG; say so rather than hang silently.
			s.log.Error("task stuck", "taskId", rec.t.ID, "subtask", st.Name, "status", st.Status)
			return
		}
	}
	s.endTask(rec, TaskSuccessful)
}

func (s *Sim) canBecomeReady(rec *taskRec, i int, rollback bool) bool {
	subs := rec.t.Subtasks
	st := subs[i]
	if !rollback {
		if st.Status != SubtaskPending {
			return false
		}
		for _, u := range st.Upstreams {
			if subs[rec.index[u]].Status != SubtaskSuccessful {
				return false
			}
		}
		return true
	}
	// Rolling back: a subtask that ran and is not rolled back yet, whose downstreams never ran or are
	// rolled back already.
	if st.Status == SubtaskPending || st.Status == SubtaskReady || st.Status == SubtaskRunning || rec.rolledBack[i] {
		return false
	}
	for _, d := range st.Downstreams {
		j := rec.index[d]
		if subs[j].Status != SubtaskPending && !rec.rolledBack[j] {
			return false
		}
	}
	return true
}

// startSubtask runs subtask i for one step. Call with s.mu held.
func (s *Sim) startSubtask(rec *taskRec, i int) {
	st := &rec.t.Subtasks[i]
	now := s.now()
	st.Status = SubtaskRunning
	st.StartTime = timePtr(now)
	st.FinishTime = nil
	if st.ProhibitRollback && rec.t.Operation != OperationRollback {
		// Its effect cannot be undone once it has begun.
		rec.t.ProhibitRollback = true
	}
	s.log.Info("subtask running", "taskId", rec.t.ID, "subtaskId", st.ID, "name", st.Name, "operation", st.Operation)
	s.scheduleFinish(rec, i, s.stepFor(rec.kind, i))
}

// scheduleFinish (re)arms subtask i's completion timer to fire after d. Call with s.mu held.
func (s *Sim) scheduleFinish(rec *taskRec, i int, d time.Duration) {
	if old := rec.timers[i]; old != nil {
		old.Stop()
	}
	var tm *time.Timer
	tm = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if rec.timers[i] != tm {
			return // re-armed or stopped since
		}
		rec.timers[i] = nil
		s.finishSubtask(rec, i)
	})
	rec.timers[i] = tm
}

// rescheduleRunning applies the current step to subtasks already running, counted from their start,
// so that a test holding a task with a long step can release it. Call with s.mu held.
func (s *Sim) rescheduleRunning() {
	now := s.now()
	for _, rec := range s.tasks {
		for i, st := range rec.t.Subtasks {
			if st.Status != SubtaskRunning || st.StartTime == nil {
				continue
			}
			s.scheduleFinish(rec, i, max(0, st.StartTime.Add(s.stepFor(rec.kind, i)).Sub(now)))
		}
	}
}

// stopTimers stops every completion timer and pending busy marking. Call with s.mu held.
func (s *Sim) stopTimers() {
	for _, rec := range s.tasks {
		s.stopBusyTimer(rec)
		for i, tm := range rec.timers {
			if tm != nil {
				tm.Stop()
				rec.timers[i] = nil
			}
		}
	}
}

// finishSubtask ends subtask i, failed if a fault was injected for it. Call with s.mu held.
func (s *Sim) finishSubtask(rec *taskRec, i int) {
	st := &rec.t.Subtasks[i]
	if s.closed || st.Status != SubtaskRunning {
		return
	}
	st.FinishTime = timePtr(s.now())
	rollback := rec.t.Operation == OperationRollback
	if !rollback && rec.failAt != "" && rec.failAt == st.Name {
		rec.failAt = ""
		st.Status = SubtaskFailed
		s.log.Info("subtask failed (injected)", "taskId", rec.t.ID, "subtaskId", st.ID, "name", st.Name)
	} else {
		st.Status = SubtaskSuccessful
		if rollback {
			rec.rolledBack[i] = true
		} else if s.rolesMidTask && !rec.noEffect && st.Name == roleSubtask[rec.kind] {
			s.applySuccess(rec)
		}
		s.log.Info("subtask successful", "taskId", rec.t.ID, "subtaskId", st.ID, "name", st.Name, "operation", st.Operation)
	}
	s.pump(rec)
}

// endTask puts the task in its terminal state and applies its effect on the world. Call with s.mu held.
func (s *Sim) endTask(rec *taskRec, status string) {
	now := s.now()
	rec.t.Status = status
	rec.t.FinishTime = timePtr(now)
	if status == TaskSuccessful && rec.t.Operation != OperationRollback && !rec.rolesApplied && !rec.noEffect {
		s.applySuccess(rec)
	}
	s.release(rec)
	s.log.Info("task finished", "taskId", rec.t.ID, "name", rec.t.Name, "status", status, "operation", rec.t.Operation)
}

// retryTask is OCP's retryTask: a FAILED task not in ROLLBACK runs its failed subtasks again.
// Call with s.mu held.
func (s *Sim) retryTask(rec *taskRec) *Error {
	if rec.t.Status != TaskFailed || rec.t.Operation == OperationRollback {
		return s.stateInvalid(rec)
	}
	if e := s.busyOther(rec); e != nil {
		return e
	}
	rec.t.Status = TaskRunning
	rec.t.Operation = OperationRetry
	rec.t.FinishTime = nil
	for i := range rec.t.Subtasks {
		st := &rec.t.Subtasks[i]
		if st.Status == SubtaskFailed {
			st.Status = SubtaskReady
			st.Operation = OperationRetry
			st.RunTime++
			st.StartTime, st.FinishTime = nil, nil
		}
	}
	s.counters.TaskRetries++
	s.markBusy(rec)
	s.log.Info("task retried", "taskId", rec.t.ID)
	return nil
}

// rollbackTask is OCP's rollbackTask: a FAILED task undoes the subtasks that ran, in reverse order.
// Call with s.mu held.
func (s *Sim) rollbackTask(rec *taskRec) *Error {
	if rec.t.Status != TaskFailed {
		return s.stateInvalid(rec)
	}
	if rec.t.ProhibitRollback {
		return errf(http.StatusBadRequest, CodeTaskProhibitRB, "Task %d can not rollback.", rec.t.ID)
	}
	if e := s.busyOther(rec); e != nil {
		return e
	}
	rec.t.Status = TaskRunning
	rec.t.Operation = OperationRollback
	rec.t.FinishTime = nil
	for i := range rec.t.Subtasks {
		st := &rec.t.Subtasks[i]
		rec.rolledBack[i] = false
		if st.Status != SubtaskPending {
			st.Operation = OperationRollback
		}
	}
	s.counters.TaskRollbacks++
	s.markBusy(rec)
	s.log.Info("task rolling back", "taskId", rec.t.ID)
	return nil
}

func (s *Sim) stateInvalid(rec *taskRec) *Error {
	state := rec.t.Status
	if rec.t.Operation == OperationRollback {
		state = "ROLLBACK " + state
	}
	return errf(http.StatusBadRequest, CodeTaskStateInvalid,
		"This operation is not supported for the %d task in the %s state.", rec.t.ID, state)
}

// runningTaskFor returns a RUNNING task that makes tenant (or, with cluster, that cluster) busy.
// Call with s.mu held.
func (s *Sim) runningTaskFor(tenantID, clusterID int64) *taskRec {
	for _, rec := range s.tasks {
		if rec.t.Status != TaskRunning {
			continue
		}
		if (tenantID != 0 && slices.Contains(rec.tenants, tenantID)) ||
			(clusterID != 0 && slices.Contains(rec.clusters, clusterID)) {
			return rec
		}
	}
	return nil
}

// heldBy says which task holds a tenant, for OBE21005's message.
func heldBy(rec *taskRec) string {
	return fmt.Sprintf("task %d is running", rec.t.ID)
}

// busyOther refuses to restart rec while another task holds one of its tenants or clusters.
func (s *Sim) busyOther(rec *taskRec) *Error {
	for _, other := range s.tasks {
		if other == rec || other.t.Status != TaskRunning {
			continue
		}
		for _, id := range rec.tenants {
			if slices.Contains(other.tenants, id) {
				return tenantBusy(s.tenants[id], heldBy(other))
			}
		}
		for _, id := range rec.clusters {
			if slices.Contains(other.clusters, id) {
				return clusterBusy(s.clusters[id], other.t.ID)
			}
		}
	}
	return nil
}
