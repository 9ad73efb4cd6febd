package ocp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	basic := func(u string) Config { return Config{URL: u, Username: "u", Password: "p"} }
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // "" = valid
		wantURL string
	}{
		{name: "basic", cfg: basic("https://ocp.example.com:8080/"), wantURL: "https://ocp.example.com:8080"},
		{name: "path prefix kept", cfg: basic("http://proxy/ocp/"), wantURL: "http://proxy/ocp"},
		{name: "access key", cfg: Config{URL: "http://h:1", AccessKeyID: "a", AccessKeySecret: "s"}, wantURL: "http://h:1"},
		{name: "empty url", cfg: basic(""), wantErr: "URL is empty"},
		{name: "no scheme", cfg: basic("ocp.example.com:8080"), wantErr: "http:// or https://"},
		{name: "ftp", cfg: basic("ftp://ocp"), wantErr: "http:// or https://"},
		{name: "no host", cfg: basic("http:///x"), wantErr: "no host"},
		{name: "api prefix", cfg: basic("http://h/api/v2/"), wantErr: "must not end in /api/v2"},
		{name: "userinfo", cfg: basic("http://u:secret@h"), wantErr: "must not contain credentials"},
		{name: "query", cfg: basic("http://h?x=1"), wantErr: "query"},
		{name: "no credentials", cfg: Config{URL: "http://h"}, wantErr: "no credentials"},
		{name: "both kinds", cfg: Config{URL: "http://h", Username: "u", Password: "p", AccessKeyID: "a", AccessKeySecret: "s"}, wantErr: "not both"},
		{name: "password missing", cfg: Config{URL: "http://h", Username: "u"}, wantErr: "username and a password"},
		{name: "secret missing", cfg: Config{URL: "http://h", AccessKeyID: "a"}, wantErr: "id and secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret@") {
					t.Fatalf("error leaks the URL's password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.wantURL {
				t.Fatalf("BaseURL %q, want %q", c.BaseURL(), tt.wantURL)
			}
		})
	}
}

func TestEnvelopeDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		body     string
		wantErr  func(t *testing.T, err error)
		wantName string
	}{
		{
			name: "success", status: 200,
			body:     `{"data":{"id":1002,"name":"t1","clusterId":1,"status":"NORMAL","tenantRole":"PRIMARY"},"successful":true,"status":200,"traceId":"x"}`,
			wantName: "t1",
		},
		{
			name: "numeric code", status: 404,
			body: `{"successful":false,"status":404,"traceId":"94bc249dd98d432f","error":{"code":60018,"message":"Tenant not found"}}`,
			wantErr: func(t *testing.T, err error) {
				var e *APIError
				if !errors.As(err, &e) || e.HTTPStatus != 404 || e.Code != "60018" || e.TraceID != "94bc249dd98d432f" {
					t.Fatalf("got %#v", err)
				}
				if n, ok := e.Code.Int(); !ok || n != 60018 {
					t.Fatalf("Code.Int = %d, %v", n, ok)
				}
				want := "OCP GET /api/v2/ob/clusters/1/tenants/1002: HTTP 404, code 60018: Tenant not found (trace id 94bc249dd98d432f)"
				if err.Error() != want {
					t.Fatalf("Error()\n got %s\nwant %s", err, want)
				}
				if !IsNotFound(err) || IsBusy(err) || IsUnauthorized(err) {
					t.Fatal("misclassified")
				}
			},
		},
		{
			name: "string code", status: 400,
			body: `{"successful":false,"status":400,"traceId":"t","error":{"code":"OB_TENANT_INVALID","message":"bad"}}`,
			wantErr: func(t *testing.T, err error) {
				var e *APIError
				if !errors.As(err, &e) || e.Code != "OB_TENANT_INVALID" || e.Message != "bad" {
					t.Fatalf("got %#v", err)
				}
			},
		},
		{
			name: "HTTP 200 with successful false", status: 200,
			body: `{"successful":false,"status":409,"traceId":"t","error":{"code":"60100","message":"running"}}`,
			wantErr: func(t *testing.T, err error) {
				var e *APIError
				if !errors.As(err, &e) || e.HTTPStatus != 409 || !IsBusy(err) {
					t.Fatalf("got %#v", err)
				}
			},
		},
		{
			name: "failure without error object", status: 500,
			body: `{"successful":false,"status":500,"traceId":"t"}`,
			wantErr: func(t *testing.T, err error) {
				var e *APIError
				if !errors.As(err, &e) || !strings.Contains(err.Error(), "Internal Server Error") {
					t.Fatalf("got %v", err)
				}
			},
		},
		{name: "malformed JSON", status: 200, body: `{"data":{"id":1002,`, wantErr: wantDecodeError(200, `{"data":{"id":1002,`)},
		{name: "HTML gateway page", status: 502, body: "<html>Bad Gateway</html>", wantErr: wantDecodeError(502, "<html>Bad Gateway</html>")},
		{name: "proxy 404 is not IsNotFound", status: 404, body: "not found", wantErr: wantDecodeError(404, "not found")},
		{name: "JSON that is no envelope", status: 200, body: `{"id":1}`, wantErr: wantDecodeError(200, `{"id":1}`)},
		{name: "success without data", status: 200, body: `{"successful":true,"traceId":"t"}`, wantErr: wantDecodeError(200, "")},
		{name: "data of the wrong shape", status: 200, body: `{"successful":true,"data":[1]}`, wantErr: wantDecodeError(200, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			s.handle("GET /api/v2/ob/clusters/1/tenants/1002", func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			c := s.client(func(cfg *Config) { cfg.MaxRetries = -1 })
			got, err := c.GetTenant(t.Context(), 1, 1002)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, got %+v", got)
				}
				tt.wantErr(t, err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName || got.Role != RolePrimary || got.ID != 1002 {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func wantDecodeError(status int, bodyStart string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *DecodeError
		if !errors.As(err, &e) || e.HTTPStatus != status || !strings.HasPrefix(e.Body, bodyStart) {
			t.Fatalf("want DecodeError with HTTP %d and body %q, got %#v", status, bodyStart, err)
		}
		if IsNotFound(err) {
			t.Fatal("a response without an OCP envelope must not count as not found")
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("HTTP %d", status)) {
			t.Fatalf("message lacks the status: %v", err)
		}
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failures  int
		status    int
		retries   int
		wantCalls int
		wantErr   bool
	}{
		{name: "503 then success", failures: 1, status: 503, wantCalls: 2},
		{name: "500 twice then success", failures: 2, status: 500, wantCalls: 3},
		{name: "retries exhausted returns the last envelope", failures: 10, status: 503, retries: 2, wantCalls: 3, wantErr: true},
		{name: "negative MaxRetries disables retries", failures: 1, status: 503, retries: -1, wantCalls: 1, wantErr: true},
		{name: "4xx is not retried", failures: 1, status: 400, wantCalls: 1, wantErr: true},
		{name: "501 is not retried", failures: 1, status: 501, wantCalls: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			var calls atomic.Int32
			s.handle("GET /api/v2/tasks/instances/5", func(w http.ResponseWriter, r *http.Request) {
				if int(calls.Add(1)) <= tt.failures {
					writeError(w, tt.status, 10010, "try later")
					return
				}
				writeOK(w, task(5, "x", TaskRunning, time.Now()))
			})
			c := s.client(func(cfg *Config) { cfg.MaxRetries = tt.retries })
			_, err := c.GetTask(t.Context(), 5)
			if got := int(calls.Load()); got != tt.wantCalls {
				t.Fatalf("calls %d, want %d", got, tt.wantCalls)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			var e *APIError
			if tt.wantErr && (!errors.As(err, &e) || e.HTTPStatus != tt.status) {
				t.Fatalf("want the last APIError, got %v", err)
			}
		})
	}
}

func TestRetryOnDroppedConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var calls atomic.Int32
	s.handle("GET /api/v2/ob/clusters/3", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			hijackAndClose(t, w)
			return
		}
		writeOK(w, Cluster{ID: 3})
	})
	if _, err := s.client().GetCluster(t.Context(), 3); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls %d, want 2", calls.Load())
	}
}

func Test429HonoursRetryAfter(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var calls atomic.Int32
	s.handle("GET /api/v2/tasks/instances/9", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, 10000, "slow down")
			return
		}
		writeOK(w, task(9, "x", TaskRunning, time.Now()))
	})
	c := s.client()                        // backoff without Retry-After would be at most 5ms...
	c.retrying.RetryWaitMax = retryWaitMax // ...but Retry-After is capped by the real maximum
	start := time.Now()
	if _, err := c.GetTask(t.Context(), 9); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("retried after %v, before Retry-After's 1s", d)
	}
}

func TestBackoffCapsRetryAfter(t *testing.T) {
	t.Parallel()
	c, err := New(Config{URL: "http://h", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	resp := func(status int, retryAfter string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}}
	}
	tests := []struct {
		resp    *http.Response
		attempt int
		want    time.Duration
	}{
		{resp(429, "3"), 0, 3 * time.Second},
		{resp(503, "2"), 0, 2 * time.Second},
		{resp(429, "3600"), 0, retryWaitMax},
		{nil, 0, retryWaitMin},
		{nil, 1, 2 * retryWaitMin},
		{nil, 30, retryWaitMax},
	}
	for _, tt := range tests {
		if got := c.backoff(retryWaitMin, retryWaitMax, tt.attempt, tt.resp); got != tt.want {
			t.Errorf("backoff(attempt %d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
}

func TestRetryWaitStopsOnCancel(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/tasks/instances/9", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusTooManyRequests, 10000, "slow down")
	})
	c := s.client()
	c.retrying.RetryWaitMax = time.Minute
	ctx, cancel := contextWithTimeout(t, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetTask(ctx, 9)
	if err == nil || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	t.Parallel()
	const (
		password = "pa55-w0rd-do-not-log"
		secret   = "sk-do-not-log-0123456789"
	)
	tests := []struct {
		name    string
		cfg     func(*Config)
		secrets []string
	}{
		{name: "basic", cfg: func(c *Config) { c.Username, c.Password = "admin", password },
			secrets: []string{password, base64.StdEncoding.EncodeToString([]byte("admin:" + password))}},
		{name: "access key", cfg: func(c *Config) {
			c.Username, c.Password = "", ""
			c.AccessKeyID, c.AccessKeySecret = "AK-1", secret
		}, secrets: []string{secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var (
				buf   syncBuffer
				auths syncBuffer // Authorization values seen, one per line
				calls atomic.Int32
			)
			s := newTestServer(t)
			s.handle("GET /api/v2/ob/clusters/1/tenants/2", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintln(&auths, r.Header.Get("Authorization"))
				if calls.Add(1) == 1 {
					writeError(w, 503, 10010, "retry me")
					return
				}
				writeOK(w, Tenant{ID: 2, Name: "t"})
			})
			s.handle("POST /api/v2/ob/clusters/1/tenants/2/switchover", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintln(&auths, r.Header.Get("Authorization"))
				writeOK(w, task(77, TaskNameSwitchover, TaskRunning, time.Now()))
			})
			c := s.client(tt.cfg, func(c *Config) { c.Logger = traceLogger(&buf) })
			if _, err := c.GetTenant(t.Context(), 1, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Switchover(t.Context(), 1, SwitchoverRequest{TenantID: 2, StandbyTenantID: 3}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, s := range append(tt.secrets, strings.Split(auths.String(), "\n")...) {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("log contains secret %q:\n%s", s, out)
				}
			}
			for _, s := range []string{"Authorization", "authorization"} {
				if strings.Contains(out, s) {
					t.Errorf("log mentions the %s header:\n%s", s, out)
				}
			}
			// The logs still say what happened.
			for _, want := range []string{"[DEBUG]", "[TRACE]", "attempt=2", "status=503", "trace_id=trace-ok", `standbyTenantId`} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
