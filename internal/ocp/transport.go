package ocp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
)

// callInfo travels in a request's context through every attempt of one call: the body bytes the
// AccessKey signature covers, and the attempt count for the logs.
type callInfo struct {
	body     []byte
	attempts int
}

type callInfoKey struct{}

// withBody starts a call's context.
func withBody(ctx context.Context, body []byte) context.Context {
	return context.WithValue(ctx, callInfoKey{}, &callInfo{body: body})
}

// transport sits under both the retrying and the send-once client, so every attempt gets the same
// treatment: headers, fresh credentials, one DEBUG line, bodies at TRACE. It never logs headers, so
// neither the Authorization value nor any secret can reach the logs.
type transport struct {
	base      http.RoundTripper
	auth      authenticator
	userAgent string
	logger    hclog.Logger
}

// RoundTrip implements http.RoundTripper. It buffers the response body so that the trace id can be
// logged and so that a connection cut mid-body is an attempt error (retried when that is safe).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	info, _ := req.Context().Value(callInfoKey{}).(*callInfo)
	if info == nil {
		info = &callInfo{}
	}
	info.attempts++

	// A RoundTripper must not modify its request; headers go on a clone.
	out := req.Clone(req.Context())
	out.Header.Set("User-Agent", t.userAgent)
	if err := t.auth.authenticate(out, info.body); err != nil {
		closeBody(req)
		return nil, err
	}

	fields := []any{"method", out.Method, "path", out.URL.Path, "attempt", info.attempts}
	if len(info.body) > 0 && t.logger.IsTrace() {
		t.logger.Trace("OCP request body", append(fields, "body", string(info.body))...)
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		t.logger.Debug("OCP request failed", append(fields, "duration", time.Since(start).String(), "error", err)...)
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	resp.Body.Close()
	if err == nil && len(body) > maxResponseBytes {
		err = fmt.Errorf("response larger than %d bytes", maxResponseBytes)
	}
	if err != nil {
		t.logger.Debug("OCP response unreadable", append(fields, "status", resp.StatusCode,
			"duration", time.Since(start).String(), "error", err)...)
		return nil, fmt.Errorf("reading the response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if !t.logger.IsDebug() {
		return resp, nil // not logged: spare the trace id's JSON decoding of every body
	}
	fields = append(fields, "status", resp.StatusCode, "duration", time.Since(start).String(), "trace_id", traceID(body))
	t.logger.Debug("OCP request", fields...)
	if t.logger.IsTrace() {
		t.logger.Trace("OCP response body", append(fields, "body", string(body))...)
	}
	return resp, nil
}

// closeBody closes a request body the transport will not send, as RoundTrip's contract requires.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// traceID picks the trace id out of a body for logging; "" when the body is not an envelope.
func traceID(body []byte) string {
	var e struct {
		TraceID string `json:"traceId"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.TraceID
}

// retryPolicy retries connection errors (except those retrying cannot fix, such as a certificate
// error), 5xx other than 501, and 429. It returns no error for statuses, so that the last response
// reaches the envelope decoder when retries run out.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	s := resp.StatusCode
	return s == http.StatusTooManyRequests || (s >= 500 && s != http.StatusNotImplemented), nil
}

// backoff is exponential between min and max, honouring Retry-After on 429 and 503 but never waiting
// longer than max; retryablehttp stops waiting when the context ends.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := min(max(retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp), 0), maxWait)
	fields := []any{"wait", wait, "retry", attempt + 1}
	if resp != nil {
		fields = append(fields, "status", resp.StatusCode)
		if resp.Request != nil {
			fields = append(fields, "method", resp.Request.Method, "path", resp.Request.URL.Path)
		}
	}
	c.logger.Debug("retrying OCP request", fields...)
	return wait
}
