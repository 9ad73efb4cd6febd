package ocp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	defaultTaskPageSize = 100
	maxTaskPageSize     = 2000
)

// Task operations as OCP reports them in Task.Operation.
const (
	taskOperationRetry    = "RETRY"
	taskOperationRollback = "ROLLBACK"
)

// TaskListOptions filters ListTasks. Zero values do not filter.
type TaskListOptions struct {
	TenantID, ClusterID int64
	// Name filters on the task name; the client also matches it exactly, whatever OCP's filter does.
	Name     string
	Statuses []TaskStatus
	// PageSize is the page size asked for: 0 means 100, at most 2000.
	PageSize int
}

// query renders the options as OCP's task list parameters.
func (o TaskListOptions) query() url.Values {
	q := url.Values{}
	if o.TenantID != 0 {
		q.Set("tenantId", strconv.FormatInt(o.TenantID, 10))
	}
	if o.ClusterID != 0 {
		q.Set("clusterId", strconv.FormatInt(o.ClusterID, 10))
	}
	if o.Name != "" {
		q.Set("name", o.Name)
	}
	if len(o.Statuses) > 0 {
		s := make([]string, len(o.Statuses))
		for i, st := range o.Statuses {
			s[i] = string(st)
		}
		// OCP documents a comma-separated list: status=RUNNING,FAILED.
		q.Set("status", strings.Join(s, ","))
	}
	size := o.PageSize
	if size <= 0 {
		size = defaultTaskPageSize
	}
	q.Set("size", strconv.Itoa(min(size, maxTaskPageSize)))
	return q
}

// GetTask returns a task with its subtasks: GET /tasks/instances/{taskId}.
func (c *Client) GetTask(ctx context.Context, taskID int64) (*Task, error) {
	var t Task
	if err := c.get(ctx, taskPath(taskID), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// taskPath is the task detail's path below /api/v2.
func taskPath(taskID int64) string { return "/tasks/instances/" + strconv.FormatInt(taskID, 10) }

// ListTasks returns every task matching opts, following all pages: GET /tasks/instances.
// Listed tasks may lack their subtasks.
func (c *Client) ListTasks(ctx context.Context, opts TaskListOptions) ([]Task, error) {
	tasks, _, err := c.listTasks(ctx, opts, true)
	return tasks, err
}

// listTasks is ListTasks that also returns the observation of its first page (OCP's clock), with or
// without the transport's retries.
func (c *Client) listTasks(ctx context.Context, opts TaskListOptions, retry bool) ([]Task, observation, error) {
	q := opts.query()
	var (
		all   []Task
		first observation
	)
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		var data listData[Task]
		obs, err := c.callObserved(ctx, request{method: http.MethodGet, path: "/tasks/instances", query: q}, retry, &data)
		if err != nil {
			return nil, obs, err
		}
		if page == 1 {
			first = obs
		}
		for _, t := range data.Contents {
			// OCP's name filter is a keyword search: keep exact names only.
			if opts.Name == "" || t.Is(opts.Name) {
				all = append(all, t)
			}
		}
		if !morePages(data.Page, page, len(data.Contents)) {
			return all, first, nil
		}
	}
}

// CheckCredentials sends OCP one cheap documented read, the first page of one task of its task list
// (GET /tasks/instances?page=1&size=1), once and without retries, and returns its error; the answer's
// data is not read. A caller (the provider's configuration) uses it to learn, before anything else asks
// OCP, whether OCP accepts the credentials: IsUnauthenticated(err) when it does not.
func (c *Client) CheckCredentials(ctx context.Context) error {
	q := url.Values{}
	q.Set("page", "1")
	q.Set("size", "1")
	_, err := c.callObserved(ctx, request{method: http.MethodGet, path: "/tasks/instances", query: q}, false, nil)
	return err
}

// morePages reports whether a page after page exists. An empty page always ends the walk, and the walk
// never goes past the pages announced, so a server that miscounts (or answers the same page whatever
// page is asked for) cannot make it loop.
func morePages(p *pageInfo, page, got int) bool {
	if p == nil || got == 0 {
		return false
	}
	number := max(p.Number, page)
	if n := p.pages(); n > 0 {
		return number < n
	}
	if p.TotalElements > 0 && p.Size > 0 {
		return int64(number)*int64(p.Size) < p.TotalElements
	}
	return false
}

// RetryTask retries a FAILED task's failed subtasks: POST /tasks/instances/{taskId}/retry. The request is
// sent once; if its outcome is unknown, the task's detail tells whether the retry took.
func (c *Client) RetryTask(ctx context.Context, taskID int64) (*Task, error) {
	r := request{method: http.MethodPost, path: fmt.Sprintf("/tasks/instances/%d/retry", taskID)}
	var t Task
	if err := c.startOnce(ctx, r, "retry of task "+strconv.FormatInt(taskID, 10), &t, c.taskTook(taskID, taskOperationRetry, &t)); err != nil {
		return nil, err
	}
	return &t, nil
}

// RollbackTask rolls back a FAILED task: POST /tasks/instances/{taskId}/rollback. OCP answers no data;
// WaitForTask follows the rollback. The request is sent once, like RetryTask.
func (c *Client) RollbackTask(ctx context.Context, taskID int64) error {
	r := request{method: http.MethodPost, path: fmt.Sprintf("/tasks/instances/%d/rollback", taskID)}
	return c.startOnce(ctx, r, "rollback of task "+strconv.FormatInt(taskID, 10), nil, c.taskTook(taskID, taskOperationRollback, nil))
}

// RetryPath and RollbackPath are the API paths an operator calls to retry or roll back a failed task.
func RetryPath(taskID int64) string {
	return fmt.Sprintf("%s/tasks/instances/%d/retry", apiPrefix, taskID)
}
func RollbackPath(taskID int64) string {
	return fmt.Sprintf("%s/tasks/instances/%d/rollback", apiPrefix, taskID)
}

// taskTook is the lookup after a retry or rollback whose outcome is unknown. Both are only accepted for
// a FAILED task, so the task no longer FAILED and showing the operation means it took; into, if not nil,
// receives the task.
func (c *Client) taskTook(taskID int64, operation string, into *Task) func(context.Context, time.Time, error) error {
	return func(ctx context.Context, _ time.Time, cause error) error {
		op := fmt.Sprintf("%s of task %d", strings.ToLower(operation), taskID)
		check := fmt.Sprintf("before trying again, look at task %d in OCP", taskID)
		t, err := c.GetTask(ctx, taskID)
		if err != nil {
			return &OutcomeUnknownError{Op: op, Check: check,
				Err: errors.Join(cause, fmt.Errorf("reading the task also failed: %w", err))}
		}
		if t.Operation != operation || t.Status == TaskFailed {
			return &OutcomeUnknownError{Op: op, Check: check, Err: cause}
		}
		if into != nil {
			*into = *t
		}
		return nil
	}
}

// FindRunningSwitchover returns the newest RUNNING switchover task of any of the given tenants, or nil,nil
// when there is none. A switchover task carries the tenant that was primary when it started, so pass
// both tenants of the pair.
func (c *Client) FindRunningSwitchover(ctx context.Context, tenantIDs ...int64) (*Task, error) {
	var found []Task
	for _, id := range tenantIDs {
		tasks, err := c.ListTasks(ctx, TaskListOptions{TenantID: id, Name: TaskNameSwitchover, Statuses: []TaskStatus{TaskRunning}})
		if err != nil {
			return nil, err
		}
		found = append(found, tasks...)
	}
	return newestRunning(found), nil
}

// FindRunningTenantFailover returns the newest RUNNING failover task of a standby tenant, or nil,nil.
func (c *Client) FindRunningTenantFailover(ctx context.Context, standbyTenantID int64) (*Task, error) {
	tasks, err := c.ListTasks(ctx, TaskListOptions{TenantID: standbyTenantID, Name: TaskNameTenantFailover, Statuses: []TaskStatus{TaskRunning}})
	if err != nil {
		return nil, err
	}
	return newestRunning(tasks), nil
}

// FindRunningClusterFailover returns the newest RUNNING failover task of a standby cluster, or nil,nil.
func (c *Client) FindRunningClusterFailover(ctx context.Context, standbyClusterID int64) (*Task, error) {
	tasks, err := c.ListTasks(ctx, TaskListOptions{ClusterID: standbyClusterID, Name: TaskNameClusterFailover, Statuses: []TaskStatus{TaskRunning}})
	if err != nil {
		return nil, err
	}
	return newestRunning(tasks), nil
}

// newestRunning is newest among the tasks not ended; the status is checked again in case OCP ignores
// the filter, and an unknown status counts as running.
func newestRunning(tasks []Task) *Task {
	var running []Task
	for _, t := range tasks {
		if !t.Status.Terminal() {
			running = append(running, t)
		}
	}
	return newest(running)
}

// newest returns a copy of the task that started last (ties and missing start times go to the larger
// id, which OCP allocates in order), or nil for none.
func newest(tasks []Task) *Task {
	var best *Task
	for i := range tasks {
		t := &tasks[i]
		if best == nil || later(t, best) {
			best = t
		}
	}
	if best == nil {
		return nil
	}
	cp := *best
	return &cp
}

// later reports whether a started after b.
func later(a, b *Task) bool {
	switch {
	case a.StartTime != nil && b.StartTime != nil && !a.StartTime.Equal(*b.StartTime):
		return a.StartTime.After(*b.StartTime)
	case a.StartTime != nil && b.StartTime == nil:
		return true
	case a.StartTime == nil && b.StartTime != nil:
		return false
	}
	return a.ID > b.ID
}
