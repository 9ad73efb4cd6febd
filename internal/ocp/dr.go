package ocp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SwitchoverPrecheck asks OCP whether the primary tenant can switch over to the standby:
// POST /ob/clusters/{primaryClusterId}/tenants/{primaryTenantId}/switchoverPreCheck. It changes nothing,
// so it is retried like a GET. A blocked switchover is a result with Valid false, not an error.
func (c *Client) SwitchoverPrecheck(ctx context.Context, primaryClusterID int64, req SwitchoverRequest) (*PrecheckResult, error) {
	var out PrecheckResult
	r := request{method: http.MethodPost, body: req,
		path: fmt.Sprintf("/ob/clusters/%d/tenants/%d/switchoverPreCheck", primaryClusterID, req.TenantID)}
	if err := c.call(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Switchover starts a switchover of req.TenantID (primary, in primaryClusterID) with req.StandbyTenantID:
// POST /ob/clusters/{primaryClusterId}/tenants/{primaryTenantId}/switchover. It returns the task started.
// The request is sent once; when its outcome is unknown the task is looked up (see lookupStarted).
func (c *Client) Switchover(ctx context.Context, primaryClusterID int64, req SwitchoverRequest) (*Task, error) {
	r := request{method: http.MethodPost, body: req,
		path: fmt.Sprintf("/ob/clusters/%d/tenants/%d/switchover", primaryClusterID, req.TenantID)}
	// The switchover task carries the primary tenant.
	return c.startTask(ctx, r, fmt.Sprintf("switchover of tenant %d to standby tenant %d", req.TenantID, req.StandbyTenantID),
		startKey{name: TaskNameSwitchover, tenantID: req.TenantID})
}

// FailoverTenants starts a failover of each standby tenant in req (all in standbyClusterID):
// POST /ob/clusters/{standbyClusterId}/tenants/failover. OCP starts one task per tenant. The request is
// sent once; when its outcome is unknown the cluster's failover tasks are looked up (one task list), and
// if only some tenants' tasks are found they are returned together with an *OutcomeUnknownError naming
// the other tenants (and the candidate tasks of those that could not be told apart).
func (c *Client) FailoverTenants(ctx context.Context, standbyClusterID int64, req FailoverRequest) ([]Task, error) {
	r := request{method: http.MethodPost, body: req, path: fmt.Sprintf("/ob/clusters/%d/tenants/failover", standbyClusterID)}
	ids := make([]string, len(req.Items))
	keys := make([]startKey, len(req.Items))
	for i, it := range req.Items {
		ids[i] = fmt.Sprint(it.TenantID)
		keys[i] = startKey{name: TaskNameTenantFailover, tenantID: it.TenantID}
	}
	op := fmt.Sprintf("failover of standby tenant(s) %s", strings.Join(ids, ", "))

	var (
		out     listData[Task]
		partial *OutcomeUnknownError
	)
	err := c.startOnce(ctx, r, op, &out, func(ctx context.Context, sentAt time.Time, cause error) error {
		out = listData[Task]{} // a 2xx that failed to decode may have left half its tasks here
		list := TaskListOptions{ClusterID: standbyClusterID, Name: TaskNameTenantFailover}
		matches, err := c.lookupStarted(ctx, list, keys, sentAt)
		if err != nil {
			return &OutcomeUnknownError{Op: op, Err: errors.Join(cause, fmt.Errorf("looking for the tasks in OCP's task list also failed: %w", err)),
				Check: fmt.Sprintf("before retrying, look in OCP for a %q task of tenant(s) %s", TaskNameTenantFailover, strings.Join(ids, ", "))}
		}
		var missing []string
		var candidates []int64
		for i, m := range matches {
			if m.task == nil {
				missing = append(missing, fmt.Sprint(keys[i].tenantID))
				candidates = append(candidates, m.candidates...)
				continue
			}
			out.Contents = append(out.Contents, *m.task)
		}
		if len(missing) > 0 {
			partial = &OutcomeUnknownError{Op: op, Err: cause, Candidates: candidates,
				Check: fmt.Sprintf("before retrying, look in OCP for a %q task of tenant(s) %s", TaskNameTenantFailover, strings.Join(missing, ", "))}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if partial != nil {
		return out.Contents, partial
	}
	return out.Contents, nil
}

// FailoverCluster starts a failover of the standby cluster to primary: POST /ob/clusters/{id}/failover,
// without a body. The request is sent once; when its outcome is unknown the task is looked up.
func (c *Client) FailoverCluster(ctx context.Context, standbyClusterID int64) (*Task, error) {
	r := request{method: http.MethodPost, path: fmt.Sprintf("/ob/clusters/%d/failover", standbyClusterID)}
	return c.startTask(ctx, r, fmt.Sprintf("failover of standby cluster %d", standbyClusterID),
		startKey{name: TaskNameClusterFailover, clusterID: standbyClusterID})
}
