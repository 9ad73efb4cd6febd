package ocpsim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The test's own reading of OCP's wire shapes, independent of the simulator's types.

type wireEnvelope struct {
	Data       json.RawMessage `json:"data"`
	Successful bool            `json:"successful"`
	Timestamp  string          `json:"timestamp"`
	Duration   *int64          `json:"duration"`
	Status     int             `json:"status"`
	TraceID    string          `json:"traceId"`
	Server     string          `json:"server"`
	Error      *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	} `json:"error"`
}

type wireTask struct {
	ID               int64           `json:"id"`
	Name             string          `json:"name"`
	ClusterID        int64           `json:"clusterId"`
	TenantID         int64           `json:"tenantId"`
	Creator          json.RawMessage `json:"creator"`
	Operation        string          `json:"operation"`
	ProhibitRollback bool            `json:"prohibitRollback"`
	StartTime        string          `json:"startTime"`
	FinishTime       string          `json:"finishTime"`
	Status           string          `json:"status"`
	Subtasks         []wireSubtask   `json:"subtasks"`
	// Cluster and Tenant are the documented reads' objects (ClusterID and TenantID are the create
	// answers' and the assumed reads' ids).
	Cluster *struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"cluster"`
	Tenant *struct {
		ID int64 `json:"id"`
	} `json:"tenant"`
}

type wireSubtask struct {
	ID               int64   `json:"id"`
	Name             string  `json:"name"`
	Description      string  `json:"description"`
	Status           string  `json:"status"`
	SeriesID         int     `json:"seriesId"`
	Timeout          int     `json:"timeout"`
	Upstreams        []int64 `json:"upstreams"`
	Downstreams      []int64 `json:"downstreams"`
	ProhibitRollback bool    `json:"prohibitRollback"`
	ParallelIdx      int     `json:"parallelIdx"`
	RunTime          int     `json:"runTime"`
	Operation        string  `json:"operation"`
}

type wireTenant struct {
	ID                 int64  `json:"id"`
	Name               string `json:"name"`
	ClusterID          int64  `json:"clusterId"`
	ClusterName        string `json:"clusterName"`
	Status             string `json:"status"`
	TenantRole         string `json:"tenantRole"`
	PrimaryTenantID    int64  `json:"primaryTenantId"`
	SyncStatus         string `json:"syncStatus"`
	LogSyncDelayMillis *int64 `json:"logSyncDelayMillis"`
	ServiceName        string `json:"serviceName"`
}

// Ids of the default world.
const (
	ohayo1, ohayo2            = 2000022, 2000025
	clusterB, clusterA        = 3000009, 3000010
	ordersP, ordersS          = 2000101, 2000102
	lagP, lagS                = 2000111, 2000112
	nomatchP, nomatchS        = 2000121, 2000122
	batchP                    = 2000131
	batchS1, batchS2, batchS3 = 2000132, 2000133, 2000134
	clusterEast, clusterWest  = 3000013, 3000014
	clusterDC1, clusterDC2    = 3000011, 3000012
)

type env struct {
	t   *testing.T
	sim *ocpsim.Sim
	srv *httptest.Server
}

func newEnv(t *testing.T, cfg ocpsim.Config) *env {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	return &env{t: t, sim: sim, srv: srv}
}

type response struct {
	status int
	header http.Header
	env    wireEnvelope
	raw    []byte
}

// newRequest builds a request with a JSON body (nil for none) and admin's Basic credentials.
func (e *env) newRequest(method, path string, body any) *http.Request {
	e.t.Helper()
	var rd io.Reader
	var b []byte
	if raw, isRaw := body.([]byte); isRaw {
		rd = bytes.NewReader(raw)
	} else if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(ocpsim.DefaultUser, ocpsim.DefaultPassword)
	return req
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if err := json.Unmarshal(raw, &r.env); err != nil {
		e.t.Fatalf("%s %s: body is not an envelope: %v: %s", req.Method, req.URL, err, raw)
	}
	return r
}

func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.send(e.newRequest(method, path, body))
}

// ok asserts a success envelope and decodes its data into v (if not nil).
func (r response) ok(t *testing.T, v any) {
	t.Helper()
	if r.status != 200 || !r.env.Successful || r.env.Status != 200 {
		t.Fatalf("want success, got HTTP %d: %s", r.status, r.raw)
	}
	if v != nil {
		if err := json.Unmarshal(r.env.Data, v); err != nil {
			t.Fatalf("decoding data: %v: %s", err, r.env.Data)
		}
	}
}

// fails asserts an error envelope with the given HTTP status and numeric code.
func (r response) fails(t *testing.T, status int, code string) {
	t.Helper()
	if r.status != status || r.env.Successful || r.env.Status != status || r.env.Error == nil {
		t.Fatalf("want HTTP %d error envelope, got HTTP %d: %s", status, r.status, r.raw)
	}
	if got := string(r.env.Error.Code); got != code {
		t.Fatalf("error code = %s, want %s (%s)", got, code, r.env.Error.Message)
	}
	if r.env.Data != nil {
		t.Fatalf("error envelope carries data: %s", r.raw)
	}
}

// eventually polls cond every millisecond until it holds, failing the test after a few seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case <-t.Context().Done():
			t.Fatal(t.Context().Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// waitTask waits until task id is no longer RUNNING and returns it.
func waitTask(t *testing.T, sim *ocpsim.Sim, id int64) ocpsim.Task {
	t.Helper()
	var task ocpsim.Task
	eventually(t, "task to end", func() bool {
		var ok bool
		task, ok = sim.Task(id)
		return ok && task.Status != ocpsim.TaskRunning
	})
	return task
}

func tenant(t *testing.T, sim *ocpsim.Sim, id int64) ocpsim.Tenant {
	t.Helper()
	tn, ok := sim.Tenant(id)
	if !ok {
		t.Fatalf("tenant %d missing", id)
	}
	return tn
}

func switchoverPath(cluster, tenant int64) string {
	return "/api/v2/ob/clusters/" + itoa(cluster) + "/tenants/" + itoa(tenant) + "/switchover"
}

func precheckPath(cluster, tenant int64) string {
	return "/api/v2/ob/clusters/" + itoa(cluster) + "/tenants/" + itoa(tenant) + "/switchoverPreCheck"
}

func taskPath(id int64) string { return "/api/v2/tasks/instances/" + itoa(id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type pair struct {
	TenantID        int64 `json:"tenantId"`
	StandbyTenantID int64 `json:"standbyTenantId"`
}

// startSwitchover starts a switchover over HTTP and returns the create response's task.
func (e *env) startSwitchover(cluster, primary, standby int64) wireTask {
	e.t.Helper()
	var task wireTask
	e.do("POST", switchoverPath(cluster, primary), pair{primary, standby}).ok(e.t, &task)
	return task
}
