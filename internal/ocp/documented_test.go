package ocp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// documented decodes one of testdata/documented's responses (OCP's published shapes) as the client
// decodes an answer to method path with status.
func documented(t *testing.T, file string, status int, out any) error {
	t.Helper()
	body, err := os.ReadFile("testdata/documented/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return decodeEnvelope(http.MethodGet, "/api/v2/x", &response{status: status, body: body}, out)
}

func TestDecodeDocumentedShapes(t *testing.T) {
	t.Parallel()
	t.Run("task detail: cluster and tenant objects, creator object", func(t *testing.T) {
		var tk Task
		if err := documented(t, "task_detail.json", 200, &tk); err != nil {
			t.Fatal(err)
		}
		if tk.ID != 5000000123 || tk.ClusterID != 3000009 || tk.TenantID != 2000022 || tk.Tenant.Name != "ohayo_1" ||
			tk.Cluster.Type != ClusterPrimary || tk.Creator.Name != "admin" || tk.CreateTime == nil || len(tk.Subtasks) != 2 ||
			tk.TraceID != "94bc249dd98d432f" || !tk.Is(TaskNameSwitchover) {
			t.Fatalf("decoded %+v", tk)
		}
	})
	t.Run("task list: objects, reduced subtasks, totalPage, a name in another case", func(t *testing.T) {
		var l listData[Task]
		if err := documented(t, "task_list.json", 200, &l); err != nil {
			t.Fatal(err)
		}
		if len(l.Contents) != 2 || l.Page.pages() != 1 {
			t.Fatalf("decoded %+v", l)
		}
		cf, tf := l.Contents[0], l.Contents[1]
		if cf.ClusterID != 6 || cf.TenantID != 0 || cf.Tenant != nil || !cf.Is(TaskNameClusterFailover) || len(cf.Subtasks) != 1 {
			t.Errorf("cluster failover %+v", cf)
		}
		if tf.TenantID != 2000025 || tf.ClusterID != 3000010 || tf.Status != TaskSuccessful || tf.FinishTime == nil {
			t.Errorf("tenant failover %+v", tf)
		}
		key := startKey{name: TaskNameClusterFailover, clusterID: 6}
		if !key.carriedBy(&cf) || key.carriedBy(&tf) {
			t.Error("matching a task to its cluster must work with the object form")
		}
	})
	t.Run("cluster: primaryCluster and standbyClusters objects, delayTime, syncStatus", func(t *testing.T) {
		var standby, primary Cluster
		if err := documented(t, "cluster.json", 200, &standby); err != nil {
			t.Fatal(err)
		}
		if err := documented(t, "cluster_primary.json", 200, &primary); err != nil {
			t.Fatal(err)
		}
		if standby.Type != ClusterStandby || standby.PrimaryClusterID != 3000011 || standby.DelaySeconds == nil ||
			*standby.DelaySeconds != 1.25 || standby.SyncStatus != "VALID" || standby.Status.InOperation() {
			t.Errorf("standby %+v", standby)
		}
		if primary.PrimaryClusterID != 0 || fmt.Sprint(primary.StandbyClusterIDs) != "[3000012 3000015]" ||
			primary.Status != ClusterSwitchover || !primary.Status.InOperation() {
			t.Errorf("primary %+v", primary)
		}
	})
	t.Run("cluster list: relations as objects, OCP's statuses", func(t *testing.T) {
		var l listData[Cluster]
		if err := documented(t, "cluster_list.json", 200, &l); err != nil {
			t.Fatal(err)
		}
		if len(l.Contents) != 2 || l.Page.pages() != 1 {
			t.Fatalf("decoded %+v", l)
		}
		p, s := l.Contents[0], l.Contents[1]
		if fmt.Sprint(p.StandbyClusterIDs) != "[3000012]" || p.PrimaryClusterID != 0 || p.Status.InOperation() {
			t.Errorf("primary %+v", p)
		}
		if s.PrimaryClusterID != 3000011 || s.Status != ClusterTakingOver || !s.Status.InOperation() || *s.DelaySeconds != 0.5 ||
			s.SyncStatus != "SYNCHRONIZING" || s.Type != ClusterStandby {
			t.Errorf("standby %+v", s)
		}
	})
	t.Run("tenant detail: no role field", func(t *testing.T) {
		var tn Tenant
		if err := documented(t, "tenant.json", 200, &tn); err != nil {
			t.Fatal(err)
		}
		if tn.ID != 2000025 || tn.ClusterID != 3000010 || tn.ClusterType != ClusterPrimary || tn.Mode != "MYSQL" || tn.Status != TenantNormal {
			t.Errorf("tenant %+v", tn)
		}
		if tn.RoleKnown() || tn.Role != "" {
			t.Errorf("a tenant detail without tenantRole must not have a role: %q", tn.Role)
		}
		msg := (&MissingRoleError{ClusterID: tn.ClusterID, TenantID: tn.ID, Name: tn.Name}).Error()
		for _, want := range []string{"carries no tenant role", "2000025 (ohayo_2)", "cluster 3000010", "API compatibility guide"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
	})
	t.Run("the 429 sample: code 0, empty trace id", func(t *testing.T) {
		err := documented(t, "error_429.json", 429, nil)
		var api *APIError
		if !errors.As(err, &api) || api.HTTPStatus != 429 || api.Code != "0" || api.TraceID != "" {
			t.Fatalf("got %#v", err)
		}
		if strings.Contains(err.Error(), "trace id") {
			t.Errorf("an empty trace id must not be printed: %q", err)
		}
		if IsRefused(err) != true || IsBusy(err) {
			t.Errorf("429: refused %v, busy %v", IsRefused(err), IsBusy(err))
		}
	})
}

// TestDecodeAssumedShapes keeps the forms the client assumed before OCP's reference was read.
func TestDecodeAssumedShapes(t *testing.T) {
	t.Parallel()
	var tk Task
	if err := decodeEnvelope("GET", "/x", &response{status: 200, body: []byte(`{"successful":true,"data":{"id":1,"name":"Failover tenant",
		"clusterId":2,"tenantId":2001,"creator":"admin","status":"RUNNING"}}`)}, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.ClusterID != 2 || tk.TenantID != 2001 || tk.Creator.Name != "admin" {
		t.Errorf("task %+v", tk)
	}
	var cl Cluster
	if err := decodeEnvelope("GET", "/x", &response{status: 200, body: []byte(`{"successful":true,"data":{"id":5,"name":"c",
		"status":"RUNNING","type":"PRIMARY","standbyClusterIds":[6,7]}}`)}, &cl); err != nil {
		t.Fatal(err)
	}
	var sb Cluster
	if err := decodeEnvelope("GET", "/x", &response{status: 200, body: []byte(`{"successful":true,"data":{"id":6,"name":"s",
		"status":"FAILOVER","type":"STANDBY","primaryClusterId":5}}`)}, &sb); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cl.StandbyClusterIDs) != "[6 7]" || sb.PrimaryClusterID != 5 || !sb.Status.InOperation() {
		t.Errorf("clusters %+v %+v", cl, sb)
	}
	var tn Tenant
	if err := decodeEnvelope("GET", "/x", &response{status: 200, body: []byte(`{"successful":true,"data":{"id":3,"name":"t",
		"clusterId":5,"status":"NORMAL","tenantRole":"STANDBY","primaryTenantId":4,"logSyncDelayMillis":120}}`)}, &tn); err != nil {
		t.Fatal(err)
	}
	if !tn.RoleKnown() || tn.Role != RoleStandby || tn.PrimaryTenantID != 4 || *tn.LogSyncDelayMillis != 120 {
		t.Errorf("tenant %+v", tn)
	}
}

// TestPickStarted: the rule that decides which task a start request whose answer was lost created.
func TestPickStarted(t *testing.T) {
	t.Parallel()
	sent := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := sent.Add(d); return &v }
	mk := func(id int64, st TaskStatus, start *time.Time) Task {
		return Task{ID: id, Status: st, StartTime: start}
	}
	created := func(id int64, st TaskStatus, create *time.Time) Task {
		return Task{ID: id, Status: st, CreateTime: create}
	}
	tests := []struct {
		name       string
		tasks      []Task
		known      bool
		want       int64
		candidates string
	}{
		{"nothing", nil, true, 0, "[]"},
		{"one running after the request", []Task{mk(1, TaskRunning, at(time.Second))}, true, 1, "[]"},
		{"running preferred over an ended one", []Task{mk(1, TaskFailed, at(time.Second)), mk(2, TaskRunning, at(2*time.Second))}, true, 2, "[]"},
		{"an old FAILED task 40s before is not ours", []Task{mk(1, TaskFailed, at(-40*time.Second))}, true, 0, "[]"},
		{"an old RUNNING task before is not ours either", []Task{mk(1, TaskRunning, at(-40*time.Second))}, true, 0, "[]"},
		{"one ended after the request, offset known", []Task{mk(1, TaskFailed, at(time.Second))}, true, 1, "[]"},
		{"one ended, offset unknown: cannot tell", []Task{mk(1, TaskFailed, at(time.Second))}, false, 0, "[1]"},
		{"two running", []Task{mk(2, TaskRunning, at(time.Second)), mk(1, TaskRunning, at(2*time.Second))}, true, 0, "[1 2]"},
		{"two ended", []Task{mk(1, TaskSuccessful, at(time.Second)), mk(2, TaskFailed, at(2*time.Second))}, true, 0, "[1 2]"},
		{"running without a start time cannot be dated", []Task{mk(1, TaskRunning, nil)}, true, 0, "[1]"},
		{"ended without a start time is ignored", []Task{mk(1, TaskFailed, nil), mk(2, TaskRunning, at(time.Second))}, true, 2, "[]"},
		{"one running, offset unknown: never taken", []Task{mk(1, TaskRunning, at(time.Second))}, false, 0, "[1]"},
		{"running without a start time is dated by its creation", []Task{created(1, TaskRunning, at(time.Second))}, true, 1, "[]"},
		{"created before the request: not ours", []Task{created(1, TaskRunning, at(-40*time.Second))}, true, 0, "[]"},
		{"ambiguous: the ended ones are named too", []Task{mk(3, TaskFailed, at(time.Second)), mk(2, TaskRunning, at(time.Second)),
			mk(1, TaskRunning, nil), mk(4, TaskFailed, at(-time.Hour))}, true, 0, "[1 2 3]"},
	}
	for _, tt := range tests {
		m := pickStarted(tt.tasks, sent, tt.known)
		var got int64
		if m.task != nil {
			got = m.task.ID
		}
		if got != tt.want || fmt.Sprint(m.candidates) != tt.candidates {
			t.Errorf("%s: got task %d, candidates %v; want %d, %s", tt.name, got, m.candidates, tt.want, tt.candidates)
		}
	}
}

// TestStartRequestsNeverUseHTTP2: the client that sends operations speaks HTTP/1.1 even to a server that
// offers HTTP/2 (whose transport may resend a request after some stream errors); reads may use HTTP/2.
func TestStartRequestsNeverUseHTTP2(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		protos = map[string]int{}
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		protos[r.Method] = r.ProtoMajor
		mu.Unlock()
		if r.Method == http.MethodPost {
			writeOK(w, Task{ID: 9, Name: TaskNameClusterFailover, ClusterID: 6, Status: TaskRunning})
			return
		}
		writeOK(w, Cluster{ID: 6, Name: "c", Type: ClusterStandby})
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	c, err := New(Config{URL: srv.URL, Username: "u", Password: "p", TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := c.GetCluster(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FailoverCluster(ctx, 6); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if protos[http.MethodPost] != 1 {
		t.Errorf("the start POST used HTTP/%d, want HTTP/1.1", protos[http.MethodPost])
	}
	if protos[http.MethodGet] != 2 {
		t.Errorf("the server offers HTTP/2 and the reads used HTTP/%d: the test no longer shows the difference", protos[http.MethodGet])
	}
}

func TestErrorPredicates(t *testing.T) {
	t.Parallel()
	alive := &APIError{HTTPStatus: 400, Code: CodePrimaryTenantAlive, Message: "The primary tenant 1001 corresponding to this tenant is alive"}
	if !IsPrimaryAlive(fmt.Errorf("x: %w", alive)) || IsPrimaryAlive(&APIError{HTTPStatus: 400, Code: "OBE21005"}) {
		t.Error("IsPrimaryAlive")
	}
	if !IsRefused(alive) || IsRefused(&APIError{HTTPStatus: 500}) || IsRefused(&APIError{HTTPStatus: 503, Code: "10010"}) {
		t.Error("IsRefused: a 4xx envelope is a refusal, a 5xx is not")
	}
	_, err := http.Get("http://127.0.0.1:1/") //nolint:noctx // a refused connection, to classify
	if !IsUnreachable(err) || !IsUnreachable(&DecodeError{Err: err}) {
		t.Errorf("a refused connection, bare or wrapped: IsUnreachable(%v) = false", err)
	}
	if IsUnreachable(alive) || IsUnreachable(&DecodeError{HTTPStatus: 502, Err: errors.New("html")}) {
		t.Error("an answer OCP gave is not 'unreachable'")
	}
}
