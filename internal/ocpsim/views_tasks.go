package ocpsim

// This file holds the wire forms of tasks read back (task detail and list items) in each shape mode.
// Create and retry answers are Task itself in both modes (top-level clusterId/tenantId, creator a
// string), as OCP's samples show them.

// tenantRef is how OCP's documented task points at its tenant.
type tenantRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	OBTenantID int64  `json:"obTenantId"`
	Mode       string `json:"mode"`
}

// creatorRef is the documented task's creator.
type creatorRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// subtaskSummary is a subtask in a documented task list item: OCP lists only these fields there.
type subtaskSummary struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Operation   string `json:"operation"`
}

// taskDocumented is a task as OCP's API reference documents the task detail (S = Subtask) and the task
// list item (S = subtaskSummary): cluster, tenant and creator as objects, no top-level ids. A cluster
// failover has no tenant.
type taskDocumented[S any] struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	TaskDefinitionID int64       `json:"taskDefinitionId"`
	Cluster          *clusterRef `json:"cluster,omitempty"`
	Tenant           *tenantRef  `json:"tenant,omitempty"`
	Creator          creatorRef  `json:"creator"`
	Status           string      `json:"status"`
	Type             string      `json:"type"`
	Operation        string      `json:"operation"`
	Executor         string      `json:"executor"`
	ProhibitRollback bool        `json:"prohibitRollback"`
	Subtasks         []S         `json:"subtasks"`
	CreateTime       string      `json:"createTime"`
	StartTime        string      `json:"startTime"`
	FinishTime       string      `json:"finishTime,omitempty"`
}

// documentedTask fills the fields both documented forms share; subtasks are the caller's. Call with
// s.mu held.
func documentedTask[S any](s *Sim, t *Task, subtasks []S) taskDocumented[S] {
	d := taskDocumented[S]{
		ID: t.ID, Name: t.Name, TaskDefinitionID: t.TaskDefinitionID, Creator: creatorRef{t.Creator.ID, t.Creator.Name},
		Status: t.Status, Type: t.Type, Operation: t.Operation, Executor: t.Executor, ProhibitRollback: t.ProhibitRollback,
		Subtasks: subtasks, CreateTime: formatTime(t.CreateTime), StartTime: formatTime(t.StartTime),
		FinishTime: formatTimePtr(t.FinishTime),
	}
	if c := s.clusters[t.ClusterID]; c != nil {
		ref := refCluster(c)
		d.Cluster = &ref
	}
	if tn := s.tenants[t.TenantID]; tn != nil && t.TenantID != 0 {
		d.Tenant = &tenantRef{ID: tn.ID, Name: tn.Name, OBTenantID: tn.OBTenantID, Mode: tn.Mode}
	}
	return d
}

// taskDetail is rec as the task detail route serves it. Call with s.mu held.
func (s *Sim) taskDetail(rec *taskRec) any {
	t := rec.t.clone(true)
	if s.documented() {
		return documentedTask(s, &t, t.Subtasks)
	}
	t.Creator.AsObject = true
	return t
}

// taskListItem is rec as a task list item. Call with s.mu held.
func (s *Sim) taskListItem(rec *taskRec) any {
	if s.documented() {
		subs := make([]subtaskSummary, len(rec.t.Subtasks))
		for i, st := range rec.t.Subtasks {
			subs[i] = subtaskSummary{ID: st.ID, Name: st.Name, Description: st.Description, Status: st.Status, Operation: st.Operation}
		}
		return documentedTask(s, &rec.t, subs)
	}
	t := rec.t.clone(false)
	t.Creator.AsObject = true
	return t
}
