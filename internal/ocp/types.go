package ocp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// This file holds the wire types of the OCP API v2 operations the provider speaks. Every field that
// ../shared/spec/API-CONTRACT.md marks [assumed] is named here, once, with a comment saying so; the
// "API compatibility" docs page lists the same facts.

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

// TenantRole is a tenant's role in a primary/standby pair. [assumed]: OCP's tenant detail is
// assumed to carry it as `tenantRole`.
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

// ClusterType is a cluster's role. [assumed]: OCP's cluster detail is assumed to carry it as `type`.
type ClusterType string

const (
	ClusterPrimary ClusterType = "PRIMARY"
	ClusterStandby ClusterType = "STANDBY"
)

// SyncStatusNormal is the standby sync status that allows a switchover; OCP reports others as free text
// (for example "STANDBY LOG NOT MATCH").
const SyncStatusNormal = "NORMAL"

// Tenant is OCP's tenant detail. Fields beyond id/name/clusterId/clusterName/status are [assumed].
type Tenant struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	ClusterID   int64        `json:"clusterId"`
	ClusterName string       `json:"clusterName"`
	Status      TenantStatus `json:"status"`

	// [assumed] DR fields of the tenant detail.
	Role               TenantRole `json:"tenantRole"`
	PrimaryTenantID    int64      `json:"primaryTenantId,omitempty"`
	SyncStatus         string     `json:"syncStatus,omitempty"`
	LogSyncDelayMillis *int64     `json:"logSyncDelayMillis,omitempty"`
	ServiceName        string     `json:"serviceName,omitempty"`
}

// Cluster is OCP's cluster detail. Fields beyond id/name/status are [assumed].
type Cluster struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`

	// [assumed] DR fields of the cluster detail.
	Type              ClusterType `json:"type"`
	StandbyClusterIDs []int64     `json:"standbyClusterIds,omitempty"`
	PrimaryClusterID  int64       `json:"primaryClusterId,omitempty"`
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

// Task is TaskInstance (and WrappedTaskInstance, whose creator is an object).
type Task struct {
	ID               int64      `json:"id"`
	Name             string     `json:"name"`
	ClusterID        int64      `json:"clusterId,omitempty"`
	TenantID         int64      `json:"tenantId,omitempty"`
	Creator          Creator    `json:"creator"`
	Executor         string     `json:"executor,omitempty"`
	Operation        string     `json:"operation,omitempty"`
	ProhibitRollback bool       `json:"prohibitRollback"`
	StartTime        *time.Time `json:"startTime,omitempty"`
	FinishTime       *time.Time `json:"finishTime,omitempty"`
	Status           TaskStatus `json:"status"`
	Type             string     `json:"type,omitempty"`
	TaskDefinitionID int64      `json:"taskDefinitionId"`
	Subtasks         []Subtask  `json:"subtasks,omitempty"`

	// TraceID is OCP's trace id of the response this view of the task came from (not a task field):
	// an error about the task quotes it, so that OCP's administrators can find the request.
	TraceID string `json:"-"`
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

// Creator is a task's creator: a plain string on create responses, an object on task detail.
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

// Task names OCP gives the operations the provider starts (from the spec pages). Finding an operation
// already under way matches on these exactly.
const (
	TaskNameSwitchover      = "Switchover ob tenant for network mode"
	TaskNameTenantFailover  = "Failover tenant"
	TaskNameClusterFailover = "Failover OB cluster"
)

// envelope is OCP's response wrapper, for success and failure alike.
type envelope struct {
	Data       json.RawMessage `json:"data"`
	Successful *bool           `json:"successful"`
	Status     int             `json:"status"`
	TraceID    string          `json:"traceId"`
	Error      *envelopeError  `json:"error"`
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
