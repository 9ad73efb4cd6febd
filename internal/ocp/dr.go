package ocp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// clockSkew is how far OCP's clock may lag ours when matching a task's startTime against the moment a
// start request was sent.
const clockSkew = time.Minute

// SwitchoverPrecheck asks OCP whether the primary tenant can switch over to the standby:
// POST /ob/clusters/{primaryClusterId}/tenants/{primaryTenantId}/switchoverPreCheck. It changes nothing,
// so it is retried like a GET. A blocked switchover is a result with Valid false, not an error.
func (c *Client) SwitchoverPrecheck(ctx context.Context, primaryClusterID int64, req SwitchoverRequest) (*PrecheckResult, error) {
	var out PrecheckResult
	r := request{method: http.MethodPost, body: req,
		path: fmt.Sprintf("/ob/clusters/%d/tenants/%d/switchoverPreCheck", primaryClusterID, req.TenantID)}
	if err := c.call(ctx, r, true, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Switchover starts a switchover of req.TenantID (primary, in primaryClusterID) with req.StandbyTenantID:
// POST /ob/clusters/{primaryClusterId}/tenants/{primaryTenantId}/switchover. It returns the task started.
// The request is sent once; see startTask for what happens when its outcome is unknown.
func (c *Client) Switchover(ctx context.Context, primaryClusterID int64, req SwitchoverRequest) (*Task, error) {
	r := request{method: http.MethodPost, body: req,
		path: fmt.Sprintf("/ob/clusters/%d/tenants/%d/switchover", primaryClusterID, req.TenantID)}
	// The switchover task carries the primary's tenant id.
	return c.startTask(ctx, r, fmt.Sprintf("switchover of tenant %d to standby tenant %d", req.TenantID, req.StandbyTenantID),
		TaskListOptions{TenantID: req.TenantID, Name: TaskNameSwitchover})
}

// FailoverTenants starts a failover of each standby tenant in req (all in standbyClusterID):
// POST /ob/clusters/{standbyClusterId}/tenants/failover. OCP starts one task per tenant. The request is
// sent once; when its outcome is unknown the task list is searched per tenant, and if only some tasks
// are found they are returned together with an *OutcomeUnknownError naming the other tenants.
func (c *Client) FailoverTenants(ctx context.Context, standbyClusterID int64, req FailoverRequest) ([]Task, error) {
	r := request{method: http.MethodPost, body: req, path: fmt.Sprintf("/ob/clusters/%d/tenants/failover", standbyClusterID)}
	ids := make([]string, len(req.Items))
	for i, it := range req.Items {
		ids[i] = fmt.Sprint(it.TenantID)
	}
	op := fmt.Sprintf("failover of standby tenant(s) %s", strings.Join(ids, ", "))

	sentAt := c.now()
	var out listData[Task]
	err := c.postOnce(ctx, r, &out)
	var u *uncertainError
	if !errors.As(err, &u) {
		if err != nil {
			return nil, err
		}
		return out.Contents, nil
	}
	var (
		found   []Task
		missing []string
		errs    = []error{u.err}
	)
	for _, it := range req.Items {
		t, err := c.findStarted(ctx, TaskListOptions{TenantID: it.TenantID, Name: TaskNameTenantFailover}, sentAt)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("looking for the task of tenant %d: %w", it.TenantID, err))
			missing = append(missing, fmt.Sprint(it.TenantID))
		case t == nil:
			missing = append(missing, fmt.Sprint(it.TenantID))
		default:
			found = append(found, *t)
		}
	}
	if len(missing) == 0 {
		c.logger.Warn("OCP request outcome was unknown; found the tasks it started", "op", op, "error", u.err)
		return found, nil
	}
	return found, &OutcomeUnknownError{Op: op, Err: errors.Join(errs...), Check: fmt.Sprintf(
		"before retrying, look in OCP for a %q task of tenant(s) %s", TaskNameTenantFailover, strings.Join(missing, ", "))}
}

// FailoverCluster starts a failover of the standby cluster to primary: POST /ob/clusters/{id}/failover,
// without a body. The request is sent once; see startTask for what happens when its outcome is unknown.
func (c *Client) FailoverCluster(ctx context.Context, standbyClusterID int64) (*Task, error) {
	r := request{method: http.MethodPost, path: fmt.Sprintf("/ob/clusters/%d/failover", standbyClusterID)}
	return c.startTask(ctx, r, fmt.Sprintf("failover of standby cluster %d", standbyClusterID),
		TaskListOptions{ClusterID: standbyClusterID, Name: TaskNameClusterFailover})
}

// startTask sends a POST that starts an operation, exactly once, and returns the task it started.
// When the outcome is unknown (the connection broke after the request may have been sent, a timeout,
// a gateway error without an OCP envelope), it looks for the task the POST would have created, with
// key's filter and name, started no earlier than clockSkew before the POST was sent; the newest such
// task is returned as if the POST had answered. If there is none, the error is *OutcomeUnknownError.
// An OCP error envelope means the operation did not start and is returned as *APIError.
func (c *Client) startTask(ctx context.Context, r request, op string, key TaskListOptions) (*Task, error) {
	sentAt := c.now()
	var t Task
	err := c.postOnce(ctx, r, &t)
	var u *uncertainError
	if !errors.As(err, &u) {
		if err != nil {
			return nil, err
		}
		return &t, nil
	}
	check := fmt.Sprintf("before retrying, look in OCP for a recent %q task of %s", key.Name, describeFilter(key))
	found, lerr := c.findStarted(ctx, key, sentAt)
	switch {
	case lerr != nil:
		return nil, &OutcomeUnknownError{Op: op, Check: check,
			Err: errors.Join(u.err, fmt.Errorf("looking for the task in OCP's task list also failed: %w", lerr))}
	case found == nil:
		return nil, &OutcomeUnknownError{Op: op, Check: check, Err: u.err}
	}
	c.logger.Warn("OCP request outcome was unknown; found the task it started", "op", op, "task_id", found.ID, "error", u.err)
	return found, nil
}

// describeFilter names the tenant or cluster a task list filter selects.
func describeFilter(o TaskListOptions) string {
	if o.TenantID != 0 {
		return fmt.Sprintf("tenant %d", o.TenantID)
	}
	return fmt.Sprintf("cluster %d", o.ClusterID)
}

// uncertainError marks a start request whose outcome is unknown; it never leaves the package.
type uncertainError struct{ err error }

func (e *uncertainError) Error() string { return e.err.Error() }
func (e *uncertainError) Unwrap() error { return e.err }

// postOnce sends a start-operation request exactly once and decodes its envelope into out. The error
// is an *uncertainError when the request may have reached OCP without a definite answer.
func (c *Client) postOnce(ctx context.Context, r request, out any) error {
	if err := ctx.Err(); err != nil {
		return err // never sent
	}
	resp, err := c.doOnce(ctx, r)
	if err != nil {
		if neverSent(err) {
			return err
		}
		return &uncertainError{err: err}
	}
	err = decodeEnvelope(r.method, apiPrefix+r.path, resp, out)
	var de *DecodeError
	if errors.As(err, &de) && (resp.status < 300 || resp.status >= 500) {
		// A 2xx whose body is garbled may well have started the operation; a 5xx without an OCP
		// envelope comes from a gateway that may have forwarded it. A 3xx/4xx without an envelope was
		// refused before OCP acted on it.
		return &uncertainError{err: err}
	}
	return err
}

// neverSent reports whether a transport error happened before any byte of the request could reach
// OCP: name resolution, connecting, or the TLS handshake.
func neverSent(err error) bool {
	var (
		opErr   *net.OpError
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		header  tls.RecordHeaderError
	)
	return (errors.As(err, &opErr) && opErr.Op == "dial") || errors.As(err, &dnsErr) || errors.As(err, &certErr) ||
		errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &header)
}

// findStarted returns the newest task matching key (exact name) that started no earlier than
// clockSkew before sentAt, or nil. Tasks without a startTime cannot be matched. If ctx has already
// ended (a cancelled POST is one cause of an unknown outcome), it still looks, within RequestTimeout,
// because knowing whether the operation started matters more than returning at once.
func (c *Client) findStarted(ctx context.Context, key TaskListOptions, sentAt time.Time) (*Task, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
	}
	tasks, err := c.ListTasks(ctx, key)
	if err != nil {
		return nil, err
	}
	since := sentAt.Add(-clockSkew)
	var candidates []Task
	for _, t := range tasks {
		if t.Name == key.Name && t.StartTime != nil && !t.StartTime.Before(since) {
			candidates = append(candidates, t)
		}
	}
	return newest(candidates), nil
}
