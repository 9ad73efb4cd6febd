package ocp

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"slices"
	"sync/atomic"
	"time"
)

// A request that starts an operation (a switchover, a failover, a task retry or rollback) is sent
// exactly once. When its answer is lost, the operation may or may not have started, and sending it again
// could run it twice; so the client looks in OCP for what the request would have created, and answers
// with that only when it can tell it apart from everything else, else with an *OutcomeUnknownError.

const (
	// clockSkew is how far back, while no answer has told OCP's clock offset, a task may date from and
	// still be named a candidate.
	clockSkew = time.Minute
	// startSlack is how much earlier than the request OCP may date the task it created, on top of the
	// measured clock offset's uncertainty.
	startSlack = time.Second
)

// uncertainError marks a start request whose outcome is unknown; it never leaves the package.
type uncertainError struct{ err error }

func (e *uncertainError) Error() string { return e.err.Error() }
func (e *uncertainError) Unwrap() error { return e.err }

// startOnce sends r exactly once and decodes its answer into out. When the outcome is unknown it calls
// find, under a context that outlives a cancelled ctx by at most RequestTimeout (knowing whether the
// operation started matters more than returning at once); find fills out from what OCP shows, or returns
// an error (an *OutcomeUnknownError when OCP's answer does not settle it). sentAt is our clock just
// before the request went out.
func (c *Client) startOnce(ctx context.Context, r request, op string, out any,
	find func(ctx context.Context, sentAt time.Time, cause error) error) error {
	sentAt := time.Now()
	err := c.postOnce(ctx, r, out)
	var u *uncertainError
	if !errors.As(err, &u) {
		return err
	}
	lctx := ctx
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		lctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
	}
	if err := find(lctx, sentAt, u.err); err != nil {
		return err
	}
	c.logger.Warn("OCP request outcome was unknown; OCP shows it took", "op", op, "error", u.err)
	return nil
}

// postOnce sends a start-operation request exactly once and decodes its envelope into out. The error
// is an *uncertainError when the request may have reached OCP without a definite answer.
func (c *Client) postOnce(ctx context.Context, r request, out any) error {
	if err := ctx.Err(); err != nil {
		return err // never sent
	}
	// Whether OCP may have the request is told by what was written, not by the error's type (a TLS
	// record error, say, can come while reading the answer to a request OCP got in full). Before the
	// headers are written (name resolution, connecting, the TLS handshake) OCP cannot act on anything.
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
	resp, err := c.doOnce(ctx, c.once, r)
	if err != nil {
		if !wrote.Load() {
			return err // never sent
		}
		return &uncertainError{err: err}
	}
	err = c.annotate(decodeEnvelope(r.method, apiPrefix+r.path, resp, out))
	var (
		de  *DecodeError
		api *APIError
	)
	switch {
	case errors.As(err, &de) && (resp.status < 300 || resp.status >= 500):
		// A 2xx whose body is garbled may well have started the operation; a 5xx without an OCP
		// envelope comes from a gateway that may have forwarded it. A 3xx/4xx without an envelope was
		// refused before OCP acted on it.
		return &uncertainError{err: err}
	case errors.As(err, &api) && api.HTTPStatus >= 500:
		// OCP failed while handling the request: it may have failed after creating the task.
		return &uncertainError{err: err}
	}
	return err
}

// startKey names the task a start request creates: its name and the tenant (a switchover's primary, a
// tenant failover's standby) or cluster (a cluster failover) it carries.
type startKey struct {
	name      string
	tenantID  int64
	clusterID int64
}

func (k startKey) String() string {
	if k.tenantID != 0 {
		return fmt.Sprintf("tenant %d", k.tenantID)
	}
	return fmt.Sprintf("cluster %d", k.clusterID)
}

// carriedBy reports whether t is a task of k's operation on k's tenant or cluster. A switchover task
// names only the primary tenant, not the standby: a switchover of the same primary to another standby
// passes for k's (the DR engine confirms the pair's roles after the wait).
func (k startKey) carriedBy(t *Task) bool {
	if !t.Is(k.name) {
		return false
	}
	if k.tenantID != 0 {
		return t.TenantID == k.tenantID
	}
	return t.ClusterID == k.clusterID
}

// startMatch is what the task list says about one start request whose outcome is unknown: the task it
// created, or the candidates that could not be told apart (both empty: OCP shows no such task).
type startMatch struct {
	task       *Task
	candidates []int64
}

// lookupStarted lists the tasks of list (a filter covering every key) and decides, for each key, which
// task the request sent at sentAt created (see pickStarted). The request is dated in OCP's clock with the
// offset measured on this very list request (or, failing a timestamp, the client's last one). Without
// any offset nothing is taken: the tasks of the last clockSkew are only named as candidates.
func (c *Client) lookupStarted(ctx context.Context, list TaskListOptions, keys []startKey, sentAt time.Time) ([]startMatch, error) {
	tasks, obs, err := c.listTasks(ctx, list, true)
	if err != nil {
		return nil, err
	}
	offset, uncertainty, known := obs.offset()
	if !known {
		offset, uncertainty, known = c.clock.get()
	}
	since := sentAt.Add(-clockSkew)
	if known {
		since = sentAt.Add(offset - uncertainty - startSlack)
	}
	out := make([]startMatch, len(keys))
	for i, k := range keys {
		var mine []Task
		for _, t := range tasks {
			if k.carriedBy(&t) {
				mine = append(mine, t)
			}
		}
		out[i] = pickStarted(mine, since, known)
	}
	return out, nil
}

// pickStarted decides which of one key's tasks a request created. A task counts when it is dated (by
// its start, else its creation) at or after since, or cannot be dated and has not ended. With the
// offset known, the one running task is taken, else (none running) the one ended task. Anything else is
// ambiguous: every task that counts, running or ended, is a candidate, never a guess.
func pickStarted(tasks []Task, since time.Time, offsetKnown bool) startMatch {
	var running, ended []Task
	for _, t := range tasks {
		at := dated(&t)
		switch {
		case at == nil && t.Status.Terminal():
			// Ended and never dated: not something a request just created.
		case at == nil:
			running = append(running, t) // cannot be dated: it stays a candidate
		case at.Before(since):
			// Dated before the request: not ours.
		case t.Status.Terminal():
			ended = append(ended, t)
		default:
			running = append(running, t)
		}
	}
	switch {
	case !offsetKnown:
		// The request cannot be placed in OCP's clock: a task dated "after" it may be older.
	case len(running) == 1 && dated(&running[0]) != nil:
		return startMatch{task: &running[0]}
	case len(running) == 0 && len(ended) == 1:
		return startMatch{task: &ended[0]}
	}
	var ids []int64
	for _, t := range slices.Concat(running, ended) {
		ids = append(ids, t.ID)
	}
	slices.Sort(ids)
	return startMatch{candidates: ids}
}

// dated is when t began by OCP's clock: its start, else its creation; nil when it says neither.
func dated(t *Task) *time.Time {
	if t.StartTime != nil {
		return t.StartTime
	}
	return t.CreateTime
}

// startTask starts an operation that creates one task, identified by key, and returns that task.
func (c *Client) startTask(ctx context.Context, r request, op string, key startKey) (*Task, error) {
	var t Task
	err := c.startOnce(ctx, r, op, &t, func(ctx context.Context, sentAt time.Time, cause error) error {
		list := TaskListOptions{TenantID: key.tenantID, ClusterID: key.clusterID, Name: key.name}
		m, err := c.lookupStarted(ctx, list, []startKey{key}, sentAt)
		if err != nil {
			return &OutcomeUnknownError{Op: op, Check: startCheck(key),
				Err: errors.Join(cause, fmt.Errorf("looking for the task in OCP's task list also failed: %w", err))}
		}
		if m[0].task == nil {
			return &OutcomeUnknownError{Op: op, Check: startCheck(key), Candidates: m[0].candidates, Err: cause}
		}
		t = *m[0].task
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// startCheck says what an operator should look for before trying again.
func startCheck(key startKey) string {
	return fmt.Sprintf("before retrying, look in OCP for a recent %q task of %s", key.name, key)
}
