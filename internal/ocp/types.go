package ocp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds the wire types of the OCP API v2 operations the provider speaks. OCP's published API
// reference is the source ([doc]); what it leaves open is marked [assumed] here, once, and listed in the
// "API compatibility" guide. Where the reference and an earlier assumption disagree, the documented form
// is decoded and the assumed one stays accepted.

// TaskStatus is the status of a whole task. OCP knows exactly three.
type TaskStatus string

const (
	TaskRunning    TaskStatus = "RUNNING"
	TaskFailed     TaskStatus = "FAILED"
	TaskSuccessful TaskStatus = "SUCCESSFUL"
)

// Terminal reports whether the task has ended. Unknown statuses are treated as still running.
func (s TaskStatus) Terminal() bool { return s == TaskFailed || s == TaskSuccessful }

// SubtaskStatus is the status of one node of a task's DAG.
type SubtaskStatus string

const (
	SubtaskPending    SubtaskStatus = "PENDING"
	SubtaskReady      SubtaskStatus = "READY"
	SubtaskRunning    SubtaskStatus = "RUNNING"
	SubtaskCanceling  SubtaskStatus = "CANCELING"
	SubtaskFailed     SubtaskStatus = "FAILED"
	SubtaskSuccessful SubtaskStatus = "SUCCESSFUL"
)

// Terminal reports whether the subtask has ended.
func (s SubtaskStatus) Terminal() bool { return s == SubtaskFailed || s == SubtaskSuccessful }

// TenantRole is a tenant's role in a primary/standby pair. [assumed]: OCP's documented tenant detail
// carries no role; the client reads it from `tenantRole` when OCP sends it and never guesses it.
type TenantRole string

const (
	RolePrimary TenantRole = "PRIMARY"
	RoleStandby TenantRole = "STANDBY"
)

// TenantStatus is OCP's tenant status. Only NORMAL tenants may take part in a switchover.
type TenantStatus string

const (
	TenantNormal    TenantStatus = "NORMAL"
	TenantCreating  TenantStatus = "CREATING"
	TenantModifying TenantStatus = "MODIFYING"
	TenantDeleting  TenantStatus = "DELETING"
)

// ClusterType is a cluster's role: [doc] the cluster list and the task's cluster object carry it as
// `type`, and the tenant detail as `clusterType`.
type ClusterType string

const (
	ClusterPrimary ClusterType = "PRIMARY"
	ClusterStandby ClusterType = "STANDBY"
)

// ClusterStatus is OCP's cluster status. [doc] The statuses below are those OCP documents; others may
// appear and are kept as sent.
type ClusterStatus string

const (
	ClusterRunning    ClusterStatus = "RUNNING"
	ClusterSwitchover ClusterStatus = "SWITCHOVER"
	ClusterFailover   ClusterStatus = "FAILOVER"
	ClusterOperating  ClusterStatus = "OPERATING"
	ClusterTakingOver ClusterStatus = "TAKINGOVER"
)

// InOperation reports whether the status says an O&M operation is changing the cluster. An empty
// status (an OCP that does not report it) says nothing and is not one.
func (s ClusterStatus) InOperation() bool {
	return s != "" && s != ClusterRunning
}

// SyncStatusNormal is the standby sync status that allows a switchover; OCP reports others as free text
// (for example "STANDBY LOG NOT MATCH").
const SyncStatusNormal = "NORMAL"

// Tenant is OCP's tenant detail: [doc] id, name, cluster, status and the descriptive fields; the DR
// fields (role, primary tenant, sync status, log delay) are [assumed] and absent from OCP's reference.
type Tenant struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	ClusterID   int64        `json:"clusterId"`
	ClusterName string       `json:"clusterName"`
	Status      TenantStatus `json:"status"`
	// [doc] descriptive fields.
	OBClusterID int64       `json:"obClusterId,omitempty"`
	ClusterType ClusterType `json:"clusterType,omitempty"`
	Mode        string      `json:"mode,omitempty"`
	OBVersion   string      `json:"obVersion,omitempty"`

	// [assumed] DR fields of the tenant detail. Role is "" when OCP sends none: see RoleKnown.
	Role               TenantRole `json:"tenantRole"`
	PrimaryTenantID    int64      `json:"primaryTenantId,omitempty"`
	SyncStatus         string     `json:"syncStatus,omitempty"`
	LogSyncDelayMillis *int64     `json:"logSyncDelayMillis,omitempty"`
	ServiceName        string     `json:"serviceName,omitempty"`
}

// RoleKnown reports whether OCP told the tenant's role. OCP's documented tenant detail has no role
// field; a missing role is never taken for PRIMARY or STANDBY (see MissingRoleError).
func (t *Tenant) RoleKnown() bool { return t.Role == RolePrimary || t.Role == RoleStandby }

// Cluster is OCP's cluster: [doc] id, name, status, type, the relations primaryCluster and
// standbyClusters, delayTime and syncStatus. [assumed] Earlier OCP versions were assumed to send the
// relations as primaryClusterId/standbyClusterIds; both forms are accepted and end in the ID fields.
type Cluster struct {
	ID     int64         `json:"id"`
	Name   string        `json:"name"`
	Status ClusterStatus `json:"status"`
	Type   ClusterType   `json:"type"`

	// PrimaryClusterID is a standby's primary cluster, 0 on a primary; StandbyClusterIDs a primary's
	// standbys. Both are filled from whichever form OCP sent.
	PrimaryClusterID  int64   `json:"-"`
	StandbyClusterIDs []int64 `json:"-"`
	// DelaySeconds is [doc] delayTime, a standby cluster's replication delay in seconds (nil: not sent).
	DelaySeconds *float64 `json:"delayTime,omitempty"`
	// SyncStatus is [doc] syncStatus: VALID, DISABLED or SYNCHRONIZING.
	SyncStatus string `json:"syncStatus,omitempty"`
}

// ClusterRef is the cluster object OCP nests in tasks and cluster relations [doc].
type ClusterRef struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	OBClusterID int64       `json:"obClusterId,omitempty"`
	Type        ClusterType `json:"type,omitempty"`
}

// TenantRef is the tenant object OCP nests in tasks [doc].
type TenantRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	OBTenantID int64  `json:"obTenantId,omitempty"`
	Mode       string `json:"mode,omitempty"`
}

// UnmarshalJSON reads both relation forms.
func (c *Cluster) UnmarshalJSON(b []byte) error {
	type plain Cluster
	var w struct {
		plain
		PrimaryCluster    *ClusterRef  `json:"primaryCluster"`
		StandbyClusters   []ClusterRef `json:"standbyClusters"`
		PrimaryClusterID  int64        `json:"primaryClusterId"`
		StandbyClusterIDs []int64      `json:"standbyClusterIds"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Cluster(w.plain)
	c.PrimaryClusterID = w.PrimaryClusterID
	if w.PrimaryCluster != nil && w.PrimaryCluster.ID != 0 {
		c.PrimaryClusterID = w.PrimaryCluster.ID
	}
	c.StandbyClusterIDs = w.StandbyClusterIDs
	if len(w.StandbyClusters) > 0 {
		c.StandbyClusterIDs = make([]int64, 0, len(w.StandbyClusters))
		for _, s := range w.StandbyClusters {
			c.StandbyClusterIDs = append(c.StandbyClusterIDs, s.ID)
		}
	}
	return nil
}

// SwitchoverRequest is the body of both the precheck and the switchover.
type SwitchoverRequest struct {
	TenantID        int64 `json:"tenantId"`
	StandbyTenantID int64 `json:"standbyTenantId"`
}

// PrecheckResult is SwitchoverPreCheckResult: the primary's identity and one result per standby.
type PrecheckResult struct {
	Valid               bool                    `json:"valid"`
	TenantID            int64                   `json:"tenantId"`
	Name                string                  `json:"name"`
	ClusterID           int64                   `json:"clusterId"`
	ClusterName         string                  `json:"clusterName"`
	StandbyCheckResults []StandbyPrecheckResult `json:"standbyCheckResults"`
}

// StandbyPrecheckResult is ObTenantPreCheckResult.
type StandbyPrecheckResult struct {
	Valid                    bool          `json:"valid"`
	TenantID                 int64         `json:"tenantId"`
	Name                     string        `json:"name"`
	ClusterID                int64         `json:"clusterId"`
	ClusterName              string        `json:"clusterName"`
	SyncSCN                  int64         `json:"syncScn"`
	PrimaryTenantServiceName string        `json:"primaryTenantServiceName"`
	CheckResults             []CheckResult `json:"checkResults"`
}

// CheckResult is PreCheckResult: a warning does not block a switchover, an error does.
type CheckResult struct {
	Warning      bool   `json:"warning"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// FailoverItem is one standby tenant of a batch failover.
type FailoverItem struct {
	TenantID    int64  `json:"tenantId"`
	ServiceName string `json:"serviceName,omitempty"`
}

// FailoverRequest is the body of the batch tenant failover.
type FailoverRequest struct {
	Items []FailoverItem `json:"failoverTenantItemList"`
}

// Task is TaskInstance (and WrappedTaskInstance). [doc] Task detail and list items name their cluster and
// tenant as objects (cluster{}, tenant{}) and creator as {id, name}; create responses carry top-level
// clusterId/tenantId and creator as a string. Both forms are accepted: ClusterID and TenantID are filled
// from whichever was sent, so that nothing else needs to know.
type Task struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	ClusterID        int64       `json:"clusterId,omitempty"`
	TenantID         int64       `json:"tenantId,omitempty"`
	Cluster          *ClusterRef `json:"cluster,omitempty"`
	Tenant           *TenantRef  `json:"tenant,omitempty"`
	Creator          Creator     `json:"creator"`
	Executor         string      `json:"executor,omitempty"`
	Operation        string      `json:"operation,omitempty"`
	ProhibitRollback bool        `json:"prohibitRollback"`
	CreateTime       *time.Time  `json:"createTime,omitempty"`
	StartTime        *time.Time  `json:"startTime,omitempty"`
	FinishTime       *time.Time  `json:"finishTime,omitempty"`
	Status           TaskStatus  `json:"status"`
	Type             string      `json:"type,omitempty"`
	TaskDefinitionID int64       `json:"taskDefinitionId"`
	Subtasks         []Subtask   `json:"subtasks,omitempty"`

	// TraceID is OCP's trace id of the response this view of the task came from (not a task field):
	// an error about the task quotes it, so that OCP's administrators can find the request.
	TraceID string `json:"-"`
}

// UnmarshalJSON fills ClusterID and TenantID from the documented objects when the top-level ids are
// absent.
func (t *Task) UnmarshalJSON(b []byte) error {
	type plain Task
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*t = Task(p)
	if t.ClusterID == 0 && t.Cluster != nil {
		t.ClusterID = t.Cluster.ID
	}
	if t.TenantID == 0 && t.Tenant != nil {
		t.TenantID = t.Tenant.ID
	}
	return nil
}

// Is reports whether the task is the operation called name (OCP's pages spell some names with other
// cases, e.g. "Failover ob cluster").
func (t *Task) Is(name string) bool { return sameTaskName(t.Name, name) }

func sameTaskName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// setTraceID records the trace id of the envelope the task was decoded from (see decodeEnvelope).
func (t *Task) setTraceID(id string) { t.TraceID = id }

// Subtask is SubtaskInstance, one node of the task's DAG.
type Subtask struct {
	ID               int64         `json:"id"`
	Name             string        `json:"name"`
	Description      string        `json:"description,omitempty"`
	Status           SubtaskStatus `json:"status"`
	SeriesID         int64         `json:"seriesId"`
	Timeout          int64         `json:"timeout"`
	Upstreams        []int64       `json:"upstreams"`
	Downstreams      []int64       `json:"downstreams"`
	ProhibitRollback bool          `json:"prohibitRollback"`
	ParallelIdx      int64         `json:"parallelIdx"`
	RunTime          int64         `json:"runTime"`
	NodeType         string        `json:"nodeType,omitempty"`
	Operation        string        `json:"operation,omitempty"`
	StartTime        *time.Time    `json:"startTime,omitempty"`
	FinishTime       *time.Time    `json:"finishTime,omitempty"`
}

// FailedSubtasks returns the subtasks that ended FAILED, in DAG order hint (seriesId is not an order).
func (t *Task) FailedSubtasks() []Subtask {
	var out []Subtask
	for _, s := range t.Subtasks {
		if s.Status == SubtaskFailed {
			out = append(out, s)
		}
	}
	return out
}

// Creator is a task's creator: a plain string on create responses, an object {id, name} on task detail.
type Creator struct {
	Name string
}

// UnmarshalJSON accepts both shapes OCP uses.
func (c *Creator) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	if b[0] == '"' {
		return json.Unmarshal(b, &c.Name)
	}
	var obj struct {
		Name     string `json:"name"`
		Username string `json:"username"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("task creator: %w", err)
	}
	c.Name = obj.Name
	if c.Name == "" {
		c.Name = obj.Username
	}
	return nil
}

// MarshalJSON writes the create-response shape.
func (c Creator) MarshalJSON() ([]byte, error) { return json.Marshal(c.Name) }

// ErrorCode is OCP's error code: a number on some versions, a string on others. It keeps the text.
type ErrorCode string

// UnmarshalJSON accepts a JSON number or string.
func (c *ErrorCode) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*c = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = ErrorCode(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("error code %s is neither a number nor a string", b)
		}
		*c = ErrorCode(n.String())
	}
	return nil
}

// Int returns the numeric code, if the code is a number.
func (c ErrorCode) Int() (int64, bool) {
	n, err := strconv.ParseInt(string(c), 10, 64)
	return n, err == nil
}

// Task names OCP gives the operations the provider starts [doc]. OCP's task list filters names as
// keywords, so the client matches them itself, ignoring case (see Task.Is).
const (
	TaskNameSwitchover      = "Switchover ob tenant for network mode"
	TaskNameTenantFailover  = "Failover tenant"
	TaskNameClusterFailover = "Failover OB cluster"
)

// The subtasks that change the roles [doc: the operation pages' DAGs]. That OCP reports the new roles
// once they succeed, even if a later subtask fails, is [assumed]; the DR engine relies on it only to
// accept a FAILED task as the one that brought the roles OCP reports.
const (
	SubtaskSwitchoverRoleInMeta     = "Update tenant role in meta"
	SubtaskTenantFailoverToPrimary  = "Failover to primary tenant"
	SubtaskClusterFailoverToPrimary = "Failover to Primary"
)

// RolledBack reports whether the task ran as a rollback (operation ROLLBACK): it ends SUCCESSFUL having
// undone its subtasks.
func (t *Task) RolledBack() bool { return t.Operation == taskOperationRollback }

// SubtaskSucceeded reports whether the task's subtask called name ended SUCCESSFUL (names compared as
// task names are). A task list item carries its subtasks' names and statuses too.
func (t *Task) SubtaskSucceeded(name string) bool {
	for _, s := range t.Subtasks {
		if sameTaskName(s.Name, name) && s.Status == SubtaskSuccessful {
			return true
		}
	}
	return false
}

// envelope is OCP's response wrapper, for success and failure alike.
type envelope struct {
	Data       json.RawMessage `json:"data"`
	Successful *bool           `json:"successful"`
	Status     int             `json:"status"`
	TraceID    string          `json:"traceId"`
	Timestamp  string          `json:"timestamp"`
	Error      *envelopeError  `json:"error"`
}

// time is the envelope's timestamp, OCP's clock when it answered; zero when absent or unreadable.
func (e *envelope) time() time.Time {
	if e.Timestamp == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, e.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t
}

// envelopeError is the error object of a failure envelope; code may be a number or a string.
type envelopeError struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
}

// listData is the data of a list response: contents plus an optional page.
type listData[T any] struct {
	Contents []T       `json:"contents"`
	Page     *pageInfo `json:"page"`
}

// pageInfo describes one page of a paged list. Older OCP versions spell totalPages "totalPage".
type pageInfo struct {
	TotalElements int64 `json:"totalElements"`
	TotalPages    int   `json:"totalPages"`
	TotalPage     int   `json:"totalPage"`
	Number        int   `json:"number"` // 1-based
	Size          int   `json:"size"`
}

// pages returns the total number of pages, whichever spelling OCP used (0 when unknown).
func (p *pageInfo) pages() int {
	if p.TotalPages > 0 {
		return p.TotalPages
	}
	return p.TotalPage
}
