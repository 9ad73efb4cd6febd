// Package ocp is a client for the OceanBase Cloud Platform (OCP) API v2 operations behind tenant
// switchover and failover. It knows HTTP and OCP and nothing of Terraform.
package ocp

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
)

// apiPrefix starts every OCP API v2 path.
const apiPrefix = "/api/v2"

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 4
	defaultPollInterval   = 2 * time.Second
	retryWaitMin          = 200 * time.Millisecond
	retryWaitMax          = 10 * time.Second
	userAgentProduct      = "ocp-go-client"
	// maxConnsPerHost bounds the connections to OCP, and all of them are kept for reuse: with hundreds of
	// concurrent resources (terraform -parallelism=200), a pool of GOMAXPROCS+1 idle connections (the
	// default) closed and re-opened most of them on every burst of requests, costing a TCP (and TLS)
	// handshake each on both sides. Requests beyond it wait a few milliseconds for a free connection.
	maxConnsPerHost = 64
	// maxResponseBytes bounds what one response may hold in memory; a 2000-task page is far below it.
	maxResponseBytes = 64 << 20
)

// Config configures a Client. Exactly one kind of credential must be set.
type Config struct {
	// URL is OCP's base URL, e.g. https://ocp.example.com:8080, without /api/v2.
	URL string
	// Username and Password are HTTP Basic credentials.
	Username, Password string
	// AccessKeyID and AccessKeySecret sign each request with OCP's AccessKey HMAC-SHA1 scheme.
	AccessKeyID, AccessKeySecret string
	// TLSConfig is used for https; nil means the system roots, verified.
	TLSConfig *tls.Config
	// RequestTimeout bounds each HTTP attempt; 0 means 30s.
	RequestTimeout time.Duration
	// MaxRetries is how often a request that is safe to repeat is retried; 0 means 4, negative means none.
	MaxRetries int
	// UserAgent is put before "ocp-go-client" in the User-Agent header.
	UserAgent string
	// Logger receives the HTTP layer's logs; nil discards them.
	Logger hclog.Logger
	// PollInterval is the base interval of the client's task poller, shared by all WaitForTask calls:
	// how often a task is checked while its end cannot be predicted; 0 means 2s.
	PollInterval time.Duration
	// Now is the clock for the AccessKey Date header; nil means time.Now.
	Now func() time.Time
}

// Client calls one OCP. It is safe for concurrent use.
type Client struct {
	base         *url.URL
	retrying     *retryablehttp.Client // requests safe to repeat
	single       *http.Client          // reads whose caller retries on its own schedule (the poller)
	once         *http.Client          // requests that start an operation: sent exactly once
	logger       hclog.Logger
	clock        clockOffset // OCP's clock against ours, from the envelopes' timestamps
	accessKey    bool        // requests are signed with an AccessKey
	auth         authenticator
	now          func() time.Time
	timeout      time.Duration
	pollInterval time.Duration
	polls        pollerHolder // the shared task poller, started by the first WaitForTask
}

// New validates cfg and returns a Client. It does not contact OCP.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	auth, err := newAuthenticator(cfg, now)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	retries := cfg.MaxRetries
	switch {
	case retries == 0:
		retries = defaultMaxRetries
	case retries < 0:
		retries = 0
	}
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = defaultPollInterval
	}
	ua := userAgentProduct
	if p := strings.TrimSpace(cfg.UserAgent); p != "" {
		ua = p + " " + userAgentProduct
	}

	tr := &transport{base: baseTransport(cfg.TLSConfig, true), auth: auth, userAgent: ua, logger: logger}
	// The send-once client has a transport of its own with HTTP/2 off: Go's HTTP/2 transport may send a
	// request again on another connection after some stream errors, which for a POST that starts an
	// operation could start it twice. Over HTTP/1.1 net/http resends a request only when none of it was
	// written (a reused connection found closed), which OCP never saw.
	onceTr := &transport{base: baseTransport(cfg.TLSConfig, false), auth: auth, userAgent: ua, logger: logger}
	httpClient := func(tr http.RoundTripper) *http.Client {
		return &http.Client{
			Transport: tr,
			Timeout:   timeout,
			// Never follow redirects: the transport would re-add credentials for whatever host a
			// redirect names, and a start-operation POST must not be re-sent anywhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	_, signed := auth.(accessKeyAuth)
	c := &Client{base: base, once: httpClient(onceTr), single: httpClient(tr), logger: logger, now: now, timeout: timeout,
		pollInterval: poll, accessKey: signed, auth: auth}
	c.retrying = &retryablehttp.Client{
		HTTPClient:   httpClient(tr),
		RetryWaitMin: retryWaitMin,
		RetryWaitMax: retryWaitMax,
		RetryMax:     retries,
		CheckRetry:   retryPolicy,
		Backoff:      c.backoff,
		// Hand back the last response once retries are exhausted, so its envelope can be decoded.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// baseTransport is a pooled transport that keeps maxConnsPerHost connections to OCP, with or without
// HTTP/2. (Each call builds a new one: a Clone of a transport that negotiated HTTP/2 would still offer
// it in the TLS handshake.)
func baseTransport(tlsConfig *tls.Config, http2 bool) *http.Transport {
	rt := cleanhttp.DefaultPooledTransport()
	rt.MaxConnsPerHost = maxConnsPerHost
	rt.MaxIdleConnsPerHost = maxConnsPerHost
	rt.MaxIdleConns = max(rt.MaxIdleConns, maxConnsPerHost)
	if tlsConfig != nil {
		rt.TLSClientConfig = tlsConfig.Clone()
	}
	if !http2 {
		rt.ForceAttemptHTTP2 = false
		rt.Protocols = new(http.Protocols)
		rt.Protocols.SetHTTP1(true)
	}
	return rt
}

// parseBaseURL checks the base URL and drops a trailing slash.
func parseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("ocp: the OCP URL is empty; set it to the console address, e.g. https://ocp.example.com:8080")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("ocp: the OCP URL %q is not a valid URL: %w", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("ocp: the OCP URL %q must start with http:// or https://", raw)
	case u.Host == "":
		return nil, fmt.Errorf("ocp: the OCP URL %q has no host", raw)
	case u.User != nil:
		return nil, errors.New("ocp: the OCP URL must not contain credentials; set username/password or an AccessKey instead")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("ocp: the OCP URL %q must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if strings.HasSuffix(u.Path, apiPrefix) {
		return nil, fmt.Errorf("ocp: the OCP URL %q must not end in %s; the client adds it", raw, apiPrefix)
	}
	return u, nil
}

// newAuthenticator picks the single credential kind cfg sets.
func newAuthenticator(cfg Config, now func() time.Time) (authenticator, error) {
	basic := cfg.Username != "" || cfg.Password != ""
	ak := cfg.AccessKeyID != "" || cfg.AccessKeySecret != ""
	switch {
	case basic && ak:
		return nil, errors.New("ocp: set either username/password or an AccessKey id/secret, not both")
	case basic && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("ocp: HTTP Basic needs both a username and a password")
	case basic:
		return basicAuth{username: cfg.Username, password: cfg.Password}, nil
	case ak && (cfg.AccessKeyID == "" || cfg.AccessKeySecret == ""):
		return nil, errors.New("ocp: AccessKey authentication needs both the AccessKey id and secret")
	case ak:
		return accessKeyAuth{id: cfg.AccessKeyID, secret: cfg.AccessKeySecret, now: now}, nil
	}
	return nil, errors.New("ocp: no credentials: set username/password or an AccessKey id/secret")
}

// BaseURL returns OCP's base URL as configured, without /api/v2 or a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// request describes one API call.
type request struct {
	method string
	path   string // below /api/v2, e.g. "/tasks/instances/1"
	query  url.Values
	body   any // nil: no body
}

// response is what came back: the HTTP status and body, read in full.
type response struct {
	status int
	body   []byte
}

// newHTTPRequest builds the HTTP request; the transport adds credentials per attempt.
func (c *Client) newHTTPRequest(ctx context.Context, r request) (*http.Request, []byte, error) {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return nil, nil, fmt.Errorf("ocp: encoding the %s %s body: %w", r.method, r.path, err)
		}
	}
	u := *c.base
	u.Path = c.base.Path + apiPrefix + r.path
	// The query is sent in the same canonical form the AccessKey signature covers.
	u.RawQuery = canonicalQuery(r.query)
	var reader io.Reader // a nil interface, not a nil *bytes.Reader, when there is no body
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(withBody(ctx, body), r.method, u.String(), reader)
	if err != nil {
		return nil, nil, fmt.Errorf("ocp: building %s %s: %w", r.method, r.path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req, body, nil
}

// doRetrying sends a request that is safe to repeat, with retries on connection errors, 5xx and 429.
func (c *Client) doRetrying(ctx context.Context, r request) (*response, error) {
	httpReq, body, err := c.newHTTPRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	req, err := retryablehttp.FromRequest(httpReq)
	if err != nil {
		return nil, err
	}
	if body != nil {
		// Each attempt reads the body afresh from these bytes.
		if err := req.SetBody(body); err != nil {
			return nil, err
		}
	}
	resp, err := c.retrying.Do(req)
	return readResponse(resp, err, r)
}

// doOnce sends a request exactly once, without retries, on hc (c.once for operations, c.single for
// reads retried by their caller).
func (c *Client) doOnce(ctx context.Context, hc *http.Client, r request) (*response, error) {
	req, _, err := c.newHTTPRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	return readResponse(resp, err, r)
}

// readResponse collects the body the transport already buffered.
func readResponse(resp *http.Response, err error, r request) (*response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("ocp: %s %s%s: %w", r.method, apiPrefix, r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("ocp: reading the %s %s%s response: %w", r.method, apiPrefix, r.path, err)
	}
	return &response{status: resp.StatusCode, body: body}, nil
}

// call sends a request that is safe to repeat, retried when it fails transiently, and decodes the
// envelope's data into out.
func (c *Client) call(ctx context.Context, r request, out any) error {
	_, err := c.callObserved(ctx, r, true, out)
	return err
}

// callObserved is call that also says when the request was sent and answered and what OCP's clock said
// (the envelope's timestamp), which it records as the client's view of OCP's clock. Without retry the
// request is sent once; its caller retries on its own schedule.
func (c *Client) callObserved(ctx context.Context, r request, retry bool, out any) (observation, error) {
	var (
		resp *response
		err  error
	)
	obs := observation{sent: time.Now()}
	if retry {
		resp, err = c.doRetrying(ctx, r)
	} else {
		resp, err = c.doOnce(ctx, c.single, r)
	}
	obs.recv = time.Now()
	if err != nil {
		return obs, err
	}
	obs.server, err = decodeEnvelopeAt(r.method, apiPrefix+r.path, resp, out)
	if err == nil {
		c.clock.record(obs)
	}
	return obs, c.annotate(err)
}

// annotate adds what the client knows to an error OCP answered.
func (c *Client) annotate(err error) error {
	var api *APIError
	if errors.As(err, &api) {
		api.AccessKey = c.accessKey
	}
	return err
}

// get is a GET of path, retried when it fails transiently.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.call(ctx, request{method: http.MethodGet, path: path, query: query}, out)
}

// decodeEnvelope is the one place OCP's envelope is read. A success envelope's data goes into out
// (nil out ignores data); a failure envelope, or an HTTP error status, becomes an *APIError; anything
// that is not an envelope becomes a *DecodeError.
func decodeEnvelope(method, path string, resp *response, out any) error {
	_, err := decodeEnvelopeAt(method, path, resp, out)
	return err
}

// decodeEnvelopeAt is decodeEnvelope that also returns the envelope's timestamp, OCP's clock when it
// answered (zero when absent or unreadable).
func decodeEnvelopeAt(method, path string, resp *response, out any) (time.Time, error) {
	var env envelope
	err := decodeInto(method, path, resp, &env, out)
	return env.time(), err
}

// decodeInto does decodeEnvelope's work, leaving the envelope in env.
func decodeInto(method, path string, resp *response, env *envelope, out any) error {
	decodeErr := func(traceID string, err error) error {
		return &DecodeError{Method: method, Path: path, HTTPStatus: resp.status, TraceID: traceID,
			Body: excerpt(resp.body), Err: err}
	}
	if err := json.Unmarshal(resp.body, env); err != nil {
		return decodeErr("", err)
	}
	failed := resp.status >= 300 || (env.Successful != nil && !*env.Successful)
	if failed {
		if env.Successful == nil && env.Error == nil {
			return decodeErr(env.TraceID, errors.New("JSON without an OCP envelope"))
		}
		e := &APIError{HTTPStatus: resp.status, TraceID: env.TraceID, Method: method, Path: path}
		if resp.status < 300 && env.Status >= 400 {
			e.HTTPStatus = env.Status
		}
		if env.Error != nil {
			e.Code, e.Message = env.Error.Code, env.Error.Message
		}
		return e
	}
	if env.Successful == nil {
		return decodeErr(env.TraceID, errors.New(`no "successful" field: not an OCP envelope`))
	}
	if out == nil {
		return nil
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		return decodeErr(env.TraceID, errors.New("the envelope has no data"))
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return decodeErr(env.TraceID, fmt.Errorf("decoding data: %w", err))
	}
	if t, ok := out.(interface{ setTraceID(string) }); ok {
		t.setTraceID(env.TraceID)
	}
	return nil
}

// excerpt returns the start of a body, cut on a rune boundary, for error messages.
func excerpt(b []byte) string {
	const n = 200
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(string(b), "?")
}

// logID renders an id as a log field: Terraform's log pipeline carries numbers as floats, so an int64
// task id would read 5.000000114e+09 in TF_LOG output.
func logID(id int64) string { return strconv.FormatInt(id, 10) }
