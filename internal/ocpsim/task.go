package ocpsim

import (
	"encoding/json"
	"slices"
	"time"
)

// Task and subtask statuses and operations, as OCP spells them.
const (
	TaskRunning    = "RUNNING"
	TaskFailed     = "FAILED"
	TaskSuccessful = "SUCCESSFUL"

	SubtaskPending    = "PENDING"
	SubtaskReady      = "READY"
	SubtaskRunning    = "RUNNING"
	SubtaskFailed     = "FAILED"
	SubtaskSuccessful = "SUCCESSFUL"

	OperationExecute  = "EXECUTE"
	OperationRetry    = "RETRY"
	OperationRollback = "ROLLBACK"
)

// Task is OCP's TaskInstance. Times are time.Time for Go callers (FinishTime is the exact instant the
// task reached its terminal state, for measuring how fast a client notices); MarshalJSON writes them as
// OCP does. Its JSON is the create (and retry) answer in both shape modes, and the task detail and list
// item in the assumed mode; views_tasks.go has the documented reads.
type Task struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	ClusterID int64       `json:"clusterId,omitempty"`
	TenantID  int64       `json:"tenantId,omitempty"`
	Creator   TaskCreator `json:"creator"`
	Executor  string      `json:"executor"`
	Operation string      `json:"operation"`
	// ProhibitRollback becomes true once a subtask that prohibits rollback has started: from then on
	// the task can no longer be rolled back (20004), only retried.
	ProhibitRollback bool       `json:"prohibitRollback"`
	StartTime        time.Time  `json:"startTime"`
	FinishTime       *time.Time `json:"finishTime,omitempty"`
	Status           string     `json:"status"`
	Type             string     `json:"type"`
	TaskDefinitionID int64      `json:"taskDefinitionId"`
	// CreateTime is when OCP created the task. Only the documented task detail and list serve it.
	CreateTime time.Time `json:"-"`
	// Subtasks is nil in assumed-shape task list items, which OCP's contract allows.
	Subtasks []Subtask `json:"subtasks,omitempty"`
}

// Subtask is OCP's SubtaskInstance, one node of the task's DAG.
type Subtask struct {
	ID               int64      `json:"id"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	Status           string     `json:"status"`
	SeriesID         int        `json:"seriesId"`
	Timeout          int        `json:"timeout"`
	Upstreams        []int64    `json:"upstreams"`
	Downstreams      []int64    `json:"downstreams"`
	ProhibitRollback bool       `json:"prohibitRollback"`
	ParallelIdx      int        `json:"parallelIdx"`
	RunTime          int        `json:"runTime"`
	NodeType         string     `json:"nodeType"`
	Operation        string     `json:"operation"`
	StartTime        *time.Time `json:"startTime,omitempty"`
	FinishTime       *time.Time `json:"finishTime,omitempty"`
}

// TaskCreator is who created a task. OCP writes it as a plain string on create responses and as an
// object on task detail; AsObject picks the shape.
type TaskCreator struct {
	ID       int64
	Name     string
	AsObject bool
}

// MarshalJSON writes "admin" or {"id":1,"name":"admin"}.
func (c TaskCreator) MarshalJSON() ([]byte, error) {
	if c.AsObject {
		return json.Marshal(struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}{c.ID, c.Name})
	}
	return json.Marshal(c.Name)
}

// MarshalJSON writes the times in OCP's layout.
func (t Task) MarshalJSON() ([]byte, error) {
	type plain Task
	return json.Marshal(struct {
		plain
		StartTime  string `json:"startTime"`
		FinishTime string `json:"finishTime,omitempty"`
	}{plain(t), formatTime(t.StartTime), formatTimePtr(t.FinishTime)})
}

// MarshalJSON writes the times in OCP's layout.
func (st Subtask) MarshalJSON() ([]byte, error) {
	type plain Subtask
	return json.Marshal(struct {
		plain
		StartTime  string `json:"startTime,omitempty"`
		FinishTime string `json:"finishTime,omitempty"`
	}{plain(st), formatTimePtr(st.StartTime), formatTimePtr(st.FinishTime)})
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

func timePtr(t time.Time) *time.Time { return &t }

// clone deep-copies t; withSubtasks false gives a list item.
func (t *Task) clone(withSubtasks bool) Task {
	c := *t
	if t.FinishTime != nil {
		c.FinishTime = timePtr(*t.FinishTime)
	}
	c.Subtasks = nil
	if withSubtasks {
		c.Subtasks = make([]Subtask, len(t.Subtasks))
		for i, st := range t.Subtasks {
			st.Upstreams = slices.Clone(st.Upstreams)
			st.Downstreams = slices.Clone(st.Downstreams)
			if st.StartTime != nil {
				st.StartTime = timePtr(*st.StartTime)
			}
			if st.FinishTime != nil {
				st.FinishTime = timePtr(*st.FinishTime)
			}
			c.Subtasks[i] = st
		}
	}
	return c
}

// SubtaskByName returns the first subtask called name.
func (t *Task) SubtaskByName(name string) (Subtask, bool) {
	for _, st := range t.Subtasks {
		if st.Name == name {
			return st, true
		}
	}
	return Subtask{}, false
}
