package ocp

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPrecheckDecodesAndRetries(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var calls atomic.Int32
	s.handle("POST /api/v2/ob/clusters/1/tenants/1001/switchoverPreCheck", func(w http.ResponseWriter, r *http.Request) {
		var body SwitchoverRequest
		if err := json.Unmarshal(readBody(t, r), &body); err != nil || body != (SwitchoverRequest{TenantID: 1001, StandbyTenantID: 2001}) {
			t.Errorf("body %+v, %v", body, err)
		}
		if calls.Add(1) == 1 {
			writeError(w, http.StatusBadGateway, 10010, "upstream") // read-only: safe to retry
			return
		}
		fmt.Fprint(w, `{"successful":true,"data":{"valid":false,"tenantId":1001,"name":"p","clusterId":1,
			"standbyCheckResults":[{"valid":false,"tenantId":2001,"syncScn":1747817331313513000,
			"checkResults":[{"warning":false,"errorCode":"OBE26009","errorMessage":"lag"}]}]}}`)
	})
	res, err := s.client().SwitchoverPrecheck(t.Context(), 1, SwitchoverRequest{TenantID: 1001, StandbyTenantID: 2001})
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid || len(res.StandbyCheckResults) != 1 || res.StandbyCheckResults[0].SyncSCN != 1747817331313513000 ||
		res.StandbyCheckResults[0].CheckResults[0].ErrorCode != "OBE26009" {
		t.Fatalf("got %+v", res)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls %d, want 2", calls.Load())
	}
}

// startCase is one start-operation endpoint, driven the same way by the tests below.
type startCase struct {
	name    string
	pattern string // the POST
	list    string // the task list query the lookup must send
	task    Task   // what the operation creates
	call    func(ctx context.Context, c *Client) (*Task, error)
}

func startCases(now time.Time) []startCase {
	return []startCase{
		{
			name:    "switchover",
			pattern: "POST /api/v2/ob/clusters/1/tenants/1001/switchover",
			list:    "name=Switchover%20ob%20tenant%20for%20network%20mode&page=1&size=100&tenantId=1001",
			task:    Task{ID: 1 << 40, Name: TaskNameSwitchover, TenantID: 1001, ClusterID: 1, Status: TaskRunning, StartTime: ptrTime(now)},
			call: func(ctx context.Context, c *Client) (*Task, error) {
				return c.Switchover(ctx, 1, SwitchoverRequest{TenantID: 1001, StandbyTenantID: 2001})
			},
		},
		{
			name:    "cluster failover",
			pattern: "POST /api/v2/ob/clusters/6/failover",
			list:    "clusterId=6&name=Failover%20OB%20cluster&page=1&size=100",
			task:    Task{ID: 171603, Name: TaskNameClusterFailover, ClusterID: 6, Status: TaskRunning, StartTime: ptrTime(now)},
			call:    func(ctx context.Context, c *Client) (*Task, error) { return c.FailoverCluster(ctx, 6) },
		},
		{
			name:    "tenant failover",
			pattern: "POST /api/v2/ob/clusters/2/tenants/failover",
			// One list of the cluster's failover tasks covers every tenant of the batch.
			list: "clusterId=2&name=Failover%20tenant&page=1&size=100",
			task: Task{ID: 5000000001, Name: TaskNameTenantFailover, TenantID: 2001, ClusterID: 2, Status: TaskRunning, StartTime: ptrTime(now)},
			call: func(ctx context.Context, c *Client) (*Task, error) {
				tasks, err := c.FailoverTenants(ctx, 2, FailoverRequest{Items: []FailoverItem{{TenantID: 2001, ServiceName: "svc"}}})
				if err != nil {
					return nil, err
				}
				if len(tasks) != 1 {
					return nil, fmt.Errorf("%d tasks", len(tasks))
				}
				return &tasks[0], nil
			},
		},
	}
}

func TestStartOperations(t *testing.T) {
	t.Parallel()
	now := time.Now()
	type outcome int
	const (
		started outcome = iota // the task is returned
		apiError
		unknown
	)
	behaviours := []struct {
		name string
		// post answers the POST; it may record the task in the server's list first.
		post    func(t *testing.T, w http.ResponseWriter, record func(), sc startCase)
		listed  func(sc startCase) []Task // the task list after the POST
		want    outcome
		lookups int // task list requests expected
		// ended: the task recorded by the POST has FAILED by the time it is looked up.
		ended bool
		// candidates is how many task ids an unknown outcome names.
		candidates int
	}{
		{
			name: "answered",
			post: func(t *testing.T, w http.ResponseWriter, record func(), sc startCase) {
				record()
				writeOK(w, wrapForPost(sc))
			},
			want: started,
		},
		{
			name: "API error means not started",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				writeError(w, http.StatusConflict, 60100, "Tenant is busy")
			},
			want: apiError,
		},
		{
			// OCP may fail after creating the task: a 5xx, envelope or not, leaves the outcome open.
			name: "5xx with an OCP envelope, nothing started",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				writeError(w, http.StatusInternalServerError, 10011, "OB operation failed")
			},
			want: unknown, lookups: 1,
		},
		{
			name: "5xx with an OCP envelope after the task was created",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				writeError(w, http.StatusInternalServerError, 10010, "Unexpected error")
			},
			want: started, lookups: 1,
		},
		{
			name: "busy refusal with OCP's code means not started",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				writeError(w, http.StatusBadRequest, "OBE21005", "The tenant does not support this operation in its current status")
			},
			want: apiError,
		},
		{
			name: "connection dropped after the POST took effect",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				hijackAndClose(t, w)
			},
			want: started, lookups: 1,
		},
		{
			name: "gateway error after the POST took effect",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				w.WriteHeader(http.StatusGatewayTimeout)
				fmt.Fprint(w, "<html>504 Gateway Time-out</html>")
			},
			want: started, lookups: 1,
		},
		{
			name: "garbled 200",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				fmt.Fprint(w, `{"data":{"id":`)
			},
			want: started, lookups: 1,
		},
		{
			name: "gateway error, nothing started",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprint(w, "<html>502</html>")
			},
			want: unknown, lookups: 1,
		},
		{
			name: "connection dropped, only an old task of that name exists",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				hijackAndClose(t, w)
			},
			listed: func(sc startCase) []Task {
				old := sc.task
				old.ID--
				old.Status = TaskFailed
				old.StartTime = ptrTime(now.Add(-2 * time.Hour))
				other := sc.task
				other.ID++
				other.Name = "Some other task" // OCP's name filter may be fuzzy; the client matches exactly
				return []Task{old, other}
			},
			want: unknown, lookups: 1,
		},
		{
			// The case: the POST created nothing, and the same tenant's previous operation failed
			// 40 seconds earlier. It started before the POST was sent, so it is not ours.
			name: "connection dropped, an old FAILED task of that tenant 40s earlier",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				hijackAndClose(t, w)
			},
			listed: func(sc startCase) []Task {
				old := sc.task
				old.ID--
				old.Status = TaskFailed
				old.StartTime = ptrTime(time.Now().Add(-40 * time.Second))
				old.FinishTime = ptrTime(time.Now().Add(-30 * time.Second))
				return []Task{old}
			},
			want: unknown, lookups: 1,
		},
		{
			name: "connection dropped after the POST took effect, and the task already failed",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				hijackAndClose(t, w)
			},
			listed: func(sc startCase) []Task {
				old := sc.task
				old.ID--
				old.Status = TaskFailed
				old.StartTime = ptrTime(time.Now().Add(-40 * time.Second))
				return []Task{old}
			},
			want: started, lookups: 1, ended: true,
		},
		{
			name: "connection dropped, two running tasks of that tenant started since",
			post: func(t *testing.T, w http.ResponseWriter, record func(), _ startCase) {
				record()
				hijackAndClose(t, w)
			},
			listed: func(sc startCase) []Task {
				rival := sc.task
				rival.ID += 7
				rival.StartTime = ptrTime(time.Now().Add(time.Second))
				return []Task{rival}
			},
			want: unknown, lookups: 1, candidates: 2,
		},
		{
			name: "4xx without an envelope means not started",
			post: func(t *testing.T, w http.ResponseWriter, _ func(), _ startCase) {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, "forbidden by proxy")
			},
			want: apiError, // checked below as "not unknown, not started"
		},
	}
	for _, sc := range startCases(now) {
		for _, b := range behaviours {
			t.Run(sc.name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				s := newTestServer(t)
				var (
					mu     sync.Mutex
					listed []Task
				)
				if b.listed != nil {
					listed = b.listed(sc)
				}
				record := func() {
					mu.Lock()
					defer mu.Unlock()
					tk := sc.task
					tk.StartTime = ptrTime(time.Now())
					if b.ended {
						tk.Status = TaskFailed
					}
					listed = append(listed, tk)
				}
				s.handle(sc.pattern, func(w http.ResponseWriter, r *http.Request) { b.post(t, w, record, sc) })
				s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
					if r.URL.RawQuery != sc.list {
						t.Errorf("task list query %q, want %q", r.URL.RawQuery, sc.list)
					}
					mu.Lock()
					defer mu.Unlock()
					writeOK(w, map[string]any{"contents": listed, "page": map[string]any{"totalElements": len(listed), "totalPages": 1, "number": 1, "size": 100}})
				})
				c := s.client(func(cfg *Config) { cfg.RequestTimeout = 2 * time.Second })
				got, err := sc.call(t.Context(), c)

				if n := s.count(sc.pattern); n != 1 {
					t.Fatalf("the start POST was sent %d times, want exactly once", n)
				}
				if n := s.count("GET /api/v2/tasks/instances"); n != b.lookups {
					t.Fatalf("task list requests %d, want %d", n, b.lookups)
				}
				var unknownErr *OutcomeUnknownError
				switch b.want {
				case started:
					if err != nil {
						t.Fatalf("err %v", err)
					}
					if got.ID != sc.task.ID || got.Name != sc.task.Name {
						t.Fatalf("got task %+v, want %+v", got, sc.task)
					}
				case apiError:
					if err == nil || errors.As(err, &unknownErr) {
						t.Fatalf("want a definite error, got %v", err)
					}
				case unknown:
					if !errors.As(err, &unknownErr) {
						t.Fatalf("want OutcomeUnknownError, got %v", err)
					}
					if len(unknownErr.Candidates) != b.candidates {
						t.Fatalf("candidates %v, want %d", unknownErr.Candidates, b.candidates)
					}
					msg := err.Error()
					if !strings.Contains(msg, "may or may not have started") || !strings.Contains(msg, sc.task.Name) {
						t.Fatalf("message does not say how to check: %s", msg)
					}
				}
			})
		}
	}
}

// wrapForPost is what each start POST answers: a task, or a list of them for the batch failover.
func wrapForPost(sc startCase) any {
	if sc.task.Name == TaskNameTenantFailover {
		return map[string]any{"contents": []Task{sc.task}}
	}
	return sc.task
}

func TestStartTimeoutThenFound(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	now := time.Now()
	var recorded atomic.Bool
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.handle("POST /api/v2/ob/clusters/6/failover", func(w http.ResponseWriter, r *http.Request) {
		recorded.Store(true)
		select { // answer too late
		case <-r.Context().Done():
		case <-release:
		}
	})
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		var contents []any
		if recorded.Load() {
			// OCP's documented list item: the cluster as an object, no top-level clusterId.
			contents = append(contents, map[string]any{"id": 42, "name": "Failover ob cluster", "status": "RUNNING",
				"startTime": now.Format(time.RFC3339Nano), "cluster": map[string]any{"id": 6, "name": "c6", "type": "STANDBY"},
				"creator": map[string]any{"id": 1, "name": "admin"}})
		}
		writeOK(w, map[string]any{"contents": contents})
	})
	c := s.client(func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	got, err := c.FailoverCluster(t.Context(), 6)
	if err != nil || got.ID != 42 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if n := s.count("POST /api/v2/ob/clusters/6/failover"); n != 1 {
		t.Fatalf("POST sent %d times", n)
	}
}

func TestStartNotSentWhenConnectionRefused(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New(Config{URL: "http://" + addr, Username: "u", Password: "p", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FailoverCluster(t.Context(), 6)
	var unknownErr *OutcomeUnknownError
	if err == nil || errors.As(err, &unknownErr) {
		t.Fatalf("a refused connection never sent the request; want a plain error, got %v", err)
	}
}

// TestStartLookupWithoutOCPClock: when no answer ever carried OCP's timestamp, the request cannot be
// dated in OCP's clock, so the one running task the lookup finds (started 30s earlier by our clock, an
// earlier operation if the clocks agree) is named, not taken for the request's.
func TestStartLookupWithoutOCPClock(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("POST /api/v2/ob/clusters/6/failover", func(w http.ResponseWriter, r *http.Request) { hijackAndClose(t, w) })
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		old := Task{ID: 41, Name: TaskNameClusterFailover, ClusterID: 6, Status: TaskRunning, StartTime: ptrTime(time.Now().Add(-30 * time.Second))}
		writeJSON(w, http.StatusOK, map[string]any{"successful": true, "status": 200, "data": map[string]any{"contents": []Task{old}}})
	})
	_, err := s.client().FailoverCluster(t.Context(), 6)
	var unknownErr *OutcomeUnknownError
	if !errors.As(err, &unknownErr) || fmt.Sprint(unknownErr.Candidates) != "[41]" {
		t.Fatalf("want an unknown outcome naming task 41, got %v", err)
	}
}

// TestStartOverBrokenTLS: whether a start was sent is told by what was written. A certificate OCP's
// clients do not trust fails before any of the POST is written: a plain error, no lookup. A corrupted TLS
// record read after OCP got the whole POST (a middlebox, a bit flip) leaves the outcome open: the task
// is looked up, and here OCP shows none, so the outcome is unknown.
func TestStartOverBrokenTLS(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted=%v", trusted), func(t *testing.T) {
			t.Parallel()
			addr, pool, posts, lists := corruptingTLSServer(t)
			tlsConfig := &tls.Config{ServerName: "example.com"}
			if trusted {
				tlsConfig.RootCAs = pool
			}
			c, err := New(Config{URL: "https://" + addr, Username: "u", Password: "p", TLSConfig: tlsConfig, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.FailoverCluster(t.Context(), 6)
			var unknownErr *OutcomeUnknownError
			switch {
			case !trusted && (err == nil || errors.As(err, &unknownErr) || posts.Load() != 0 || lists.Load() != 0):
				t.Fatalf("untrusted certificate: %d POSTs received, %d lookups, err %v; want a plain error", posts.Load(), lists.Load(), err)
			case trusted && (!errors.As(err, &unknownErr) || posts.Load() != 1 || lists.Load() != 1):
				t.Fatalf("OCP got the POST: %d POSTs received, %d lookups, err %v; want an unknown outcome after one lookup",
					posts.Load(), lists.Load(), err)
			}
		})
	}
}

// corruptingTLSServer is an OCP behind TLS that reads each POST in full and then writes a record with
// a wrong version instead of an answer; other requests get an empty task list.
func corruptingTLSServer(t *testing.T) (addr string, pool *x509.CertPool, posts, lists *atomic.Int32) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.StartTLS() // only for its certificate and the pool that trusts it
	cert := srv.TLS.Certificates[0]
	pool = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	srv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	posts, lists = new(atomic.Int32), new(atomic.Int32)
	serve := func(raw net.Conn) {
		defer raw.Close()
		tc := tls.Server(raw, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
		req, err := http.ReadRequest(bufio.NewReader(tc))
		if err != nil {
			return // e.g. the client refused the certificate
		}
		if req.Method == http.MethodPost {
			if _, err := io.ReadAll(req.Body); err == nil {
				posts.Add(1)
			}
			_, _ = raw.Write([]byte{0x17, 0x03, 0x01, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
			return
		}
		lists.Add(1)
		rec := httptest.NewRecorder()
		writeOK(rec, map[string]any{"contents": []Task{}})
		resp := rec.Result()
		resp.Close = true
		_ = resp.Write(tc)
	}
	go func() {
		for {
			raw, err := l.Accept()
			if err != nil {
				return
			}
			go serve(raw)
		}
	}()
	return l.Addr().String(), pool, posts, lists
}

func TestFailoverTenantsPartiallyFound(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	now := time.Now()
	s.handle("POST /api/v2/ob/clusters/2/tenants/failover", func(w http.ResponseWriter, r *http.Request) {
		hijackAndClose(t, w)
	})
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("clusterId") != "2" {
			t.Errorf("lookup %s: want one list of the cluster's tasks", r.URL.RawQuery)
		}
		found := task(11, TaskNameTenantFailover, TaskRunning, now)
		found.Tenant = &TenantRef{ID: 2001, Name: "s1"} // documented form only
		writeOK(w, map[string]any{"contents": []Task{found}})
	})
	tasks, err := s.client().FailoverTenants(t.Context(), 2, FailoverRequest{Items: []FailoverItem{{TenantID: 2001}, {TenantID: 2002}}})
	var unknownErr *OutcomeUnknownError
	if !errors.As(err, &unknownErr) || !strings.Contains(err.Error(), "2002") {
		t.Fatalf("want OutcomeUnknownError naming tenant 2002, got %v", err)
	}
	if len(tasks) != 1 || tasks[0].ID != 11 {
		t.Fatalf("want the task found for tenant 2001, got %+v", tasks)
	}
}

func TestFailoverTenantsAnswered(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("POST /api/v2/ob/clusters/2/tenants/failover", func(w http.ResponseWriter, r *http.Request) {
		if got := string(readBody(t, r)); got != `{"failoverTenantItemList":[{"tenantId":2001,"serviceName":"svc"},{"tenantId":2002}]}` {
			t.Errorf("body %s", got)
		}
		fmt.Fprint(w, `{"successful":true,"data":{"contents":[{"id":1,"name":"Failover tenant","creator":"admin","status":"RUNNING"},
			{"id":2,"name":"Failover tenant","creator":"admin","status":"RUNNING"}]}}`)
	})
	tasks, err := s.client().FailoverTenants(t.Context(), 2, FailoverRequest{Items: []FailoverItem{{TenantID: 2001, ServiceName: "svc"}, {TenantID: 2002}}})
	if err != nil || len(tasks) != 2 || tasks[1].ID != 2 || tasks[0].Creator.Name != "admin" {
		t.Fatalf("got %+v, %v", tasks, err)
	}
}

// A 2xx whose tasks fail to decode half-way is an unknown outcome: the tasks returned are the lookup's
// only, not the decoder's leftovers (a zero-id task) with the lookup's appended (the same task twice).
func TestFailoverTenantsUndecodableAnswerKeepsOnlyTheLookup(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	now := time.Now()
	s.handle("POST /api/v2/ob/clusters/2/tenants/failover", func(w http.ResponseWriter, r *http.Request) {
		// The second task's startTime is not RFC 3339: decoding fails after the first task was filled in.
		fmt.Fprint(w, `{"successful":true,"status":200,"data":{"contents":[`+
			`{"id":11,"name":"Failover tenant","tenantId":2001,"status":"RUNNING"},`+
			`{"id":12,"name":"Failover tenant","tenantId":2002,"status":"RUNNING","startTime":"2026-12-01 10:00:00"}]}}`)
	})
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		found := task(11, TaskNameTenantFailover, TaskRunning, now.Add(time.Second))
		found.TenantID = 2001
		writeOK(w, map[string]any{"contents": []Task{found}})
	})
	tasks, err := s.client().FailoverTenants(t.Context(), 2, FailoverRequest{Items: []FailoverItem{{TenantID: 2001}, {TenantID: 2002}}})
	var unknownErr *OutcomeUnknownError
	if !errors.As(err, &unknownErr) || !strings.Contains(err.Error(), "2002") {
		t.Fatalf("want OutcomeUnknownError naming tenant 2002, got %v", err)
	}
	if len(tasks) != 1 || tasks[0].ID != 11 {
		t.Fatalf("want only the task the lookup found (11), got %+v", tasks)
	}
}
