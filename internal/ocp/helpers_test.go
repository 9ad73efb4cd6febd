package ocp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

const testUserAgent = "terraform-provider-ocp/test ocp-go-client"

// testServer is a scripted OCP: tests register handlers by "METHOD /api/v2/path" pattern; every request
// is checked for the headers the client always sends, and anything unregistered fails the test.
type testServer struct {
	t   *testing.T
	mux *http.ServeMux
	srv *httptest.Server

	mu     sync.Mutex
	counts map[string]int // by pattern
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{t: t, mux: http.NewServeMux(), counts: map[string]int{}}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		writeError(w, http.StatusBadRequest, 10000, "no such route in the test")
	})
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != testUserAgent {
			t.Errorf("%s %s: User-Agent %q, want %q", r.Method, r.URL.Path, got, testUserAgent)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept %q", r.Method, r.URL.Path, got)
		}
		if r.ContentLength > 0 && r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// handle registers h for pattern (a Go 1.22 ServeMux pattern) and counts its calls.
func (s *testServer) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[pattern]++
		s.mu.Unlock()
		h(w, r)
	})
}

func (s *testServer) count(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[pattern]
}

// client returns a Basic-auth client for the server with fast polling and retries.
func (s *testServer) client(mods ...func(*Config)) *Client {
	s.t.Helper()
	cfg := Config{URL: s.srv.URL, Username: "admin", Password: "pw", UserAgent: "terraform-provider-ocp/test",
		PollInterval: 5 * time.Millisecond}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		s.t.Fatalf("New: %v", err)
	}
	fastRetries(c)
	return c
}

// fastRetries shortens the retry backoff so that retry tests take milliseconds.
func fastRetries(c *Client) {
	c.retrying.RetryWaitMin = time.Millisecond
	c.retrying.RetryWaitMax = 5 * time.Millisecond
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeOK(w http.ResponseWriter, data any) {
	// OCP's clock is ours, as the client's lookups and predictions assume of a well-run OCP.
	env := map[string]any{"successful": true, "status": 200, "traceId": "trace-ok", "timestamp": time.Now().Format(time.RFC3339Nano)}
	if data != nil {
		env["data"] = data
	}
	writeJSON(w, http.StatusOK, env)
}

func writeError(w http.ResponseWriter, status int, code any, msg string) {
	writeJSON(w, status, map[string]any{"successful": false, "status": status, "traceId": "trace-err",
		"error": map[string]any{"code": code, "message": msg}})
}

func readBody(t *testing.T, r *http.Request) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := b.ReadFrom(r.Body); err != nil {
		t.Errorf("reading request body: %v", err)
	}
	return b.Bytes()
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func traceLogger(buf *syncBuffer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "ocp", Level: hclog.Trace, Output: buf})
}

func ptrTime(t time.Time) *time.Time { return &t }

// task builds a task for scripted responses.
func task(id int64, name string, status TaskStatus, start time.Time, subtasks ...Subtask) Task {
	return Task{ID: id, Name: name, Status: status, StartTime: ptrTime(start), Creator: Creator{Name: "admin"}, Subtasks: subtasks}
}

// hijackAndClose drops the connection without answering, as a crashed proxy would.
func hijackAndClose(t *testing.T, w http.ResponseWriter) {
	t.Helper()
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

func contextWithTimeout(t *testing.T, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), d)
}
