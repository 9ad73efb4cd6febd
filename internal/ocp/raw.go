package ocp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// This file is the client's raw view of OCP's answers, for the API compatibility check (internal/compat):
// it looks at the shapes OCP actually sends instead of decoding them into the client's types. Reads only,
// apart from the switchover precheck, which changes nothing in OCP and which the check sends only when
// asked to.

// RawResponse is one answer of OCP, undecoded.
type RawResponse struct {
	// Method and Path name the request (the path with /api/v2 and without host or query).
	Method, Path string
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// Body is the whole answer as sent, normally OCP's envelope.
	Body []byte
	// Data is the envelope's data (nil when the answer has none, or is not an envelope).
	Data json.RawMessage
	// TraceID is the envelope's traceId ("" when empty or absent).
	TraceID string
}

// GetRaw sends GET /api/v2{path}?{query} (retried like every read) and returns OCP's answer undecoded. It
// sends nothing but GET. The error is nil for a success envelope; for an error envelope it is an *APIError,
// for an answer that is not an envelope a *DecodeError, and in both cases the response is returned too, so
// that its body can be looked at. A transport failure returns no response.
func (c *Client) GetRaw(ctx context.Context, path string, query url.Values) (*RawResponse, error) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, apiPrefix+"/") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("ocp: GetRaw: %q is not a path below %s", path, apiPrefix)
	}
	return c.raw(ctx, request{method: http.MethodGet, path: path, query: query})
}

// SwitchoverPrecheckRaw is SwitchoverPrecheck that returns OCP's answer undecoded (see GetRaw). It is a
// POST, but changes nothing in OCP.
func (c *Client) SwitchoverPrecheckRaw(ctx context.Context, primaryClusterID int64, req SwitchoverRequest) (*RawResponse, error) {
	return c.raw(ctx, request{method: http.MethodPost, body: req,
		path: fmt.Sprintf("/ob/clusters/%d/tenants/%d/switchoverPreCheck", primaryClusterID, req.TenantID)})
}

// raw sends a request that is safe to repeat and keeps its answer as it came.
func (c *Client) raw(ctx context.Context, r request) (*RawResponse, error) {
	resp, err := c.doRetrying(ctx, r)
	if err != nil {
		return nil, err
	}
	out := &RawResponse{Method: r.method, Path: apiPrefix + r.path, HTTPStatus: resp.status, Body: resp.body}
	var env envelope
	err = decodeInto(r.method, apiPrefix+r.path, resp, &env, nil)
	out.TraceID = env.TraceID
	if len(env.Data) > 0 && string(env.Data) != "null" {
		out.Data = env.Data
	}
	return out, c.annotate(err)
}

// SignsWithAccessKey reports whether the client signs its requests with an AccessKey (else it uses HTTP
// Basic).
func (c *Client) SignsWithAccessKey() bool { return c.accessKey }

// RedactCredentials returns s with the client's credentials replaced by "<redacted>": the password, the
// AccessKey id and the AccessKey secret wherever they occur (when at least 4 characters long; shorter ones
// only as the whole of s), and the username when it is the whole of s. OCP's answers never carry
// credentials; this guards what a report built from them may contain all the same.
func (c *Client) RedactCredentials(s string) string {
	const redacted = "<redacted>"
	var whole, within []string
	switch a := c.auth.(type) {
	case basicAuth:
		whole = append(whole, a.username, a.password)
		within = append(within, a.password)
	case accessKeyAuth:
		whole = append(whole, a.id, a.secret)
		within = append(within, a.id, a.secret)
	}
	for _, w := range whole {
		if w != "" && s == w {
			return redacted
		}
	}
	for _, w := range within {
		if len(w) >= 4 {
			s = strings.ReplaceAll(s, w, redacted)
		}
	}
	return s
}

// IsDecodeError reports whether err is an answer that was not a well-formed OCP envelope.
func IsDecodeError(err error) bool {
	var d *DecodeError
	return errors.As(err, &d)
}
