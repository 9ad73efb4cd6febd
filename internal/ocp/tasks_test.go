package ocp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestListTasksFollowsPages(t *testing.T) {
	t.Parallel()
	const total = 250
	tests := []struct {
		name     string
		pageSize int
		wantSize string
		page     func(number, size int) map[string]any // nil: un-paged list, everything at once
	}{
		{name: "totalPages", wantSize: "100", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "totalPages": (total + size - 1) / size, "number": n, "size": size}
		}},
		{name: "old totalPage spelling", pageSize: 60, wantSize: "60", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "totalPage": (total + size - 1) / size, "number": n, "size": size}
		}},
		{name: "totalElements only", pageSize: 7000, wantSize: "2000", page: func(n, size int) map[string]any {
			return map[string]any{"totalElements": total, "number": n, "size": size}
		}},
		{name: "un-paged", wantSize: "100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if q.Get("size") != tt.wantSize || q.Get("status") != "RUNNING,FAILED" || q.Get("clusterId") != "3" {
					t.Errorf("query %q", r.URL.RawQuery)
				}
				size, _ := strconv.Atoi(q.Get("size"))
				n, _ := strconv.Atoi(q.Get("page"))
				from, to := (n-1)*size, min(n*size, total)
				if tt.page == nil {
					from, to = 0, total
				}
				var contents []Task
				for i := from; i < to; i++ {
					contents = append(contents, Task{ID: int64(i) + 1<<33, Name: "t", Status: TaskRunning})
				}
				data := map[string]any{"contents": contents}
				if tt.page != nil {
					data["page"] = tt.page(n, size)
				}
				writeOK(w, data)
			})
			got, err := s.client().ListTasks(t.Context(), TaskListOptions{ClusterID: 3, Statuses: []TaskStatus{TaskRunning, TaskFailed}, PageSize: tt.pageSize})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != total || got[total-1].ID != total-1+1<<33 {
				t.Fatalf("got %d tasks", len(got))
			}
		})
	}
}

func TestListTasksStopsOnEmptyPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		// A server that claims pages it does not have.
		writeOK(w, map[string]any{"contents": []Task{}, "page": map[string]any{"totalPages": 1000, "number": 1, "size": 100}})
	})
	got, err := s.client().ListTasks(t.Context(), TaskListOptions{})
	if err != nil || len(got) != 0 || s.count("GET /api/v2/tasks/instances") != 1 {
		t.Fatalf("got %v, %v after %d requests", got, err, s.count("GET /api/v2/tasks/instances"))
	}
}

func TestFindRunning(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := newTestServer(t)
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("status") != "RUNNING" {
			t.Errorf("Find* must list RUNNING tasks only: %q", r.URL.RawQuery)
		}
		var contents []Task
		switch {
		case q.Get("tenantId") == "1001" && q.Get("name") == TaskNameSwitchover:
			contents = []Task{task(10, TaskNameSwitchover, TaskRunning, now.Add(-time.Minute))}
		case q.Get("tenantId") == "2001" && q.Get("name") == TaskNameSwitchover:
			contents = []Task{task(12, TaskNameSwitchover, TaskRunning, now), task(13, "Switchover ob tenant for network mode (archive)", TaskRunning, now)}
		case q.Get("tenantId") == "2001" && q.Get("name") == TaskNameTenantFailover:
			contents = []Task{task(20, TaskNameTenantFailover, TaskRunning, now), task(21, TaskNameTenantFailover, TaskSuccessful, now.Add(time.Hour))}
		case q.Get("clusterId") == "6":
			contents = []Task{task(30, TaskNameClusterFailover, TaskRunning, now), task(31, TaskNameClusterFailover, TaskRunning, now)}
		}
		writeOK(w, map[string]any{"contents": contents})
	})
	c := s.client()
	tests := []struct {
		name   string
		find   func() (*Task, error)
		wantID int64 // 0: none
	}{
		{"switchover, newest of both tenants", func() (*Task, error) { return c.FindRunningSwitchover(t.Context(), 1001, 2001) }, 12},
		{"switchover, one tenant", func() (*Task, error) { return c.FindRunningSwitchover(t.Context(), 1001) }, 10},
		{"switchover, none", func() (*Task, error) { return c.FindRunningSwitchover(t.Context(), 9999) }, 0},
		{"tenant failover ignores ended tasks", func() (*Task, error) { return c.FindRunningTenantFailover(t.Context(), 2001) }, 20},
		{"cluster failover, same start: larger id", func() (*Task, error) { return c.FindRunningClusterFailover(t.Context(), 6) }, 31},
		{"cluster failover, none", func() (*Task, error) { return c.FindRunningClusterFailover(t.Context(), 7) }, 0},
	}
	for _, tt := range tests {
		got, err := tt.find()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		switch {
		case tt.wantID == 0 && got != nil:
			t.Errorf("%s: want none, got task %d", tt.name, got.ID)
		case tt.wantID != 0 && (got == nil || got.ID != tt.wantID):
			t.Errorf("%s: want task %d, got %+v", tt.name, tt.wantID, got)
		}
	}
}

func TestRetryAndRollback(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("POST /api/v2/tasks/instances/5/retry", func(w http.ResponseWriter, r *http.Request) {
		writeOK(w, Task{ID: 5, Name: "x", Status: TaskRunning, Operation: "RETRY"})
	})
	s.handle("POST /api/v2/tasks/instances/5/rollback", func(w http.ResponseWriter, r *http.Request) {
		writeOK(w, nil) // no data
	})
	s.handle("POST /api/v2/tasks/instances/6/rollback", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusBadRequest, 20004, "Task 6 can not rollback.")
	})
	// Task 7: the connection drops after the retry took; task 8: after a retry that did not take.
	s.handle("POST /api/v2/tasks/instances/{id}/retry", func(w http.ResponseWriter, r *http.Request) { hijackAndClose(t, w) })
	s.handle("GET /api/v2/tasks/instances/7", func(w http.ResponseWriter, r *http.Request) {
		writeOK(w, Task{ID: 7, Status: TaskRunning, Operation: "RETRY"})
	})
	s.handle("GET /api/v2/tasks/instances/8", func(w http.ResponseWriter, r *http.Request) {
		writeOK(w, Task{ID: 8, Status: TaskFailed, Operation: "EXECUTE"})
	})
	c := s.client()

	if got, err := c.RetryTask(t.Context(), 5); err != nil || got.Operation != "RETRY" {
		t.Fatalf("retry: %+v, %v", got, err)
	}
	if err := c.RollbackTask(t.Context(), 5); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	var apiErr *APIError
	if err := c.RollbackTask(t.Context(), 6); !errors.As(err, &apiErr) || apiErr.Code != "20004" {
		t.Fatalf("rollback refused: %v", err)
	}
	if got, err := c.RetryTask(t.Context(), 7); err != nil || got.ID != 7 {
		t.Fatalf("retry with lost answer that took: %+v, %v", got, err)
	}
	var unknownErr *OutcomeUnknownError
	if _, err := c.RetryTask(t.Context(), 8); !errors.As(err, &unknownErr) {
		t.Fatalf("retry with lost answer that did not take: %v", err)
	}
	if n := s.count("POST /api/v2/tasks/instances/{id}/retry"); n != 2 {
		t.Fatalf("retry POSTs %d, want 2 (one per call)", n)
	}
}

func TestTaskDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		creator     string
		wantCreator string
	}{
		{"creator string (create response)", `"admin"`, "admin"},
		{"creator object (task detail)", `{"id":1,"name":"admin"}`, "admin"},
		{"creator object with username", `{"id":1,"username":"ops"}`, "ops"},
		{"creator null", `null`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			s.handle("GET /api/v2/tasks/instances/12022212", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"successful":true,"traceId":"t","data":{"id":12022212,"name":%q,"creator":%s,
					"startTime":"2024-07-23T17:20:55.929+08:00","status":"RUNNING","prohibitRollback":false,
					"subtasks":[{"id":13025745,"name":"Wait all relation tenants accessible","status":"PENDING",
					"timeout":3600,"upstreams":[13025747],"downstreams":[13025741],"parallelIdx":-1,"seriesId":0}]}}`,
					TaskNameSwitchover, tt.creator)
			})
			got, err := s.client().GetTask(t.Context(), 12022212)
			if err != nil {
				t.Fatal(err)
			}
			if got.Creator.Name != tt.wantCreator {
				t.Fatalf("creator %q, want %q", got.Creator.Name, tt.wantCreator)
			}
			if got.StartTime == nil || got.StartTime.UTC() != time.Date(2024, 7, 23, 9, 20, 55, 929e6, time.UTC) {
				t.Fatalf("startTime %v", got.StartTime)
			}
			if len(got.Subtasks) != 1 || got.Subtasks[0].Upstreams[0] != 13025747 || got.Subtasks[0].ParallelIdx != -1 {
				t.Fatalf("subtasks %+v", got.Subtasks)
			}
		})
	}
}

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	api := func(status int, code ErrorCode) error {
		return &APIError{HTTPStatus: status, Code: code, Method: "POST", Path: "/api/v2/x"}
	}
	tests := []struct {
		name                     string
		err                      error
		notFound, unauth, isBusy bool
	}{
		{"404", api(404, "60018"), true, false, false},
		{"wrapped 404", fmt.Errorf("reading tenant: %w", api(404, "")), true, false, false},
		{"401", api(401, "30001"), false, true, false},
		{"403", api(403, "30014"), false, true, false},
		{"409", api(409, ""), false, false, true},
		{"400 tenant busy (OCP OBE21005)", api(400, "OBE21005"), false, false, true},
		{"400 cluster busy (OCP OBE11020)", api(400, "OBE11020"), false, false, true},
		{"the simulator's former code is not OCP's", api(400, "60100"), false, false, false},
		{"400 TSK10007", api(400, "TSK10007"), false, false, true},
		{"400 task state invalid is not busy", api(400, "20003"), false, false, false},
		{"400 other", api(400, "10001"), false, false, false},
		{"decode error 404", &DecodeError{HTTPStatus: 404, Err: errors.New("x")}, false, false, false},
		{"plain error", errors.New("404 busy unauthorized"), false, false, false},
		{"nil", nil, false, false, false},
	}
	for _, tt := range tests {
		if IsNotFound(tt.err) != tt.notFound || IsUnauthorized(tt.err) != tt.unauth || IsBusy(tt.err) != tt.isBusy {
			t.Errorf("%s: IsNotFound=%v IsUnauthorized=%v IsBusy=%v", tt.name, IsNotFound(tt.err), IsUnauthorized(tt.err), IsBusy(tt.err))
		}
	}
}

func TestErrorCodeNumberOrString(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]ErrorCode{`60018`: "60018", `"OBE26009"`: "OBE26009", `null`: "", `1e3`: "1e3"} {
		var c ErrorCode
		if err := json.Unmarshal([]byte(in), &c); err != nil || c != want {
			t.Errorf("%s: got %q, %v", in, c, err)
		}
	}
	var c ErrorCode
	if err := json.Unmarshal([]byte(`{}`), &c); err == nil {
		t.Error("an object is no error code")
	}
}

// A server that ignores the page asked for (it answers its first page, of three, every time) cannot
// make the walk loop: it ends after the pages the server announced.
func TestListTasksStopsWhenPageIgnored(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		writeOK(w, map[string]any{"contents": []Task{{ID: 1, Name: "t", Status: TaskRunning}},
			"page": map[string]any{"totalElements": 3, "totalPages": 3, "number": 1, "size": 1}})
	})
	ctx, cancel := contextWithTimeout(t, 5*time.Second)
	defer cancel()
	_, err := s.client().ListTasks(ctx, TaskListOptions{})
	if n := s.count("GET /api/v2/tasks/instances"); err != nil || n > 3 {
		t.Fatalf("%v after %d requests", err, n)
	}
}

// A definite refusal is an OCP error envelope; an unknown outcome whose own lookup failed with one is not.
func TestIsRefused(t *testing.T) {
	t.Parallel()
	busy := &APIError{HTTPStatus: 409, Method: "POST", Path: "/api/v2/x"}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"409", busy, true},
		{"wrapped 400", fmt.Errorf("starting: %w", &APIError{HTTPStatus: 400}), true},
		{"unknown outcome wrapping the lookup's 503", &OutcomeUnknownError{Op: "switchover", Err: errors.Join(errors.New("EOF"), &APIError{HTTPStatus: 503})}, false},
		{"decode error", &DecodeError{HTTPStatus: 502, Err: errors.New("html")}, false},
		{"connection error", errors.New("connection refused"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := IsRefused(tt.err); got != tt.want {
			t.Errorf("%s: IsRefused = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// CheckCredentials is one GET of the task list's first task, sent once (no retry, even on a 5xx), whose
// 401 says that OCP refuses the credentials.
func TestCheckCredentials(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var status int
	var query string
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		switch status {
		case http.StatusOK:
			writeOK(w, map[string]any{"contents": []any{}, "page": map[string]any{"number": 1, "size": 1}})
		default:
			writeError(w, status, 30001, "Bad credentials.")
		}
	})
	c := s.client()
	for _, tc := range []struct {
		status            int
		ok, unauthorized  bool
		requestsAfterward int
	}{
		{http.StatusOK, true, false, 1},
		{http.StatusUnauthorized, false, true, 2},
		{http.StatusForbidden, false, false, 3},
		{http.StatusServiceUnavailable, false, false, 4},
	} {
		status = tc.status
		err := c.CheckCredentials(t.Context())
		if (err == nil) != tc.ok || IsUnauthenticated(err) != tc.unauthorized {
			t.Errorf("HTTP %d: err = %v, IsUnauthenticated = %v", tc.status, err, IsUnauthenticated(err))
		}
		if n := s.count("GET /api/v2/tasks/instances"); n != tc.requestsAfterward {
			t.Errorf("HTTP %d: %d requests in all, want %d (one per check, never retried)", tc.status, n, tc.requestsAfterward)
		}
	}
	if query != "page=1&size=1" {
		t.Errorf("query %q, want page=1&size=1", query)
	}
}
