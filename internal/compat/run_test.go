package compat_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/compat"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// server is the simulator behind a recorder of every request's method and path; with info it also
// answers GET /api/v2/info as OCP documents it (a bare object), which the simulator does not serve.
type server struct {
	sim *ocpsim.Sim
	url string

	mu   sync.Mutex
	reqs []string
}

func newServer(t *testing.T, cfg ocpsim.Config, info bool) *server {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{sim: sim}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		if info && r.Method == http.MethodGet && r.URL.Path == "/api/v2/info" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"artifact":"ocp-server","buildVersion":"4.2.5-sim","name":"ocp-server"}`)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	s.url = srv.URL
	return s
}

// requests returns the requests recorded since the last call, and forgets them.
func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.reqs
	s.reqs = nil
	return r
}

func (s *server) client(t *testing.T, mod func(*ocp.Config)) *ocp.Client {
	t.Helper()
	cfg := ocp.Config{URL: s.url, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword}
	if mod != nil {
		mod(&cfg)
	}
	c, err := ocp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The ohayo pair (2000022 PRIMARY on 3000009, 2000025 STANDBY on 3000010) and the cluster-level pair
// (3000011 PRIMARY, 3000012 STANDBY) of the simulator's default world.
var defaultRequest = compat.Request{
	Clusters: []int64{3000009, 3000011, 3000012},
	Tenants:  []compat.TenantRef{{ClusterID: 3000009, TenantID: 2000022}, {ClusterID: 3000010, TenantID: 2000025}},
}

func results(r *compat.Report) map[string]compat.Check {
	m := map[string]compat.Check{}
	for _, c := range r.Checks {
		m[c.ID] = c
	}
	return m
}

func want(t *testing.T, r *compat.Report, id string, res compat.Result, seen ...string) {
	t.Helper()
	c, ok := results(r)[id]
	if !ok {
		t.Fatalf("no check %s", id)
	}
	if c.Result != res {
		t.Errorf("%s: %s (seen %q), want %s", id, c.Result, c.Seen, res)
	}
	for _, s := range seen {
		if !strings.Contains(c.Seen, s) {
			t.Errorf("%s: seen %q lacks %q", id, c.Seen, s)
		}
	}
}

// onlyGETs fails unless every request recorded was a GET.
func onlyGETs(t *testing.T, reqs []string) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no request recorded")
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("the check sent %s", r)
		}
	}
}

// startSwitchover gives the task list a task: the ohayo pair's switchover, started (and left running)
// before the check.
func startSwitchover(t *testing.T, s *server, c *ocp.Client) {
	t.Helper()
	if _, err := c.Switchover(t.Context(), 3000009, ocp.SwitchoverRequest{TenantID: 2000022, StandbyTenantID: 2000025}); err != nil {
		t.Fatal(err)
	}
	s.requests()
}

func TestAgainstSimulatorDocumentedShapes(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{StepDuration: 1 << 40}, true) // the task stays RUNNING
	c := s.client(t, nil)
	startSwitchover(t, s, c)
	before := s.sim.Counters()

	r, err := compat.Assess(t.Context(), c, defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	// Every check holds, except the precheck's, which was not asked for.
	for _, ch := range r.Checks {
		if ch.ID == "precheck.answer" {
			continue
		}
		if ch.Result != compat.Held {
			t.Errorf("%s: %s (%s)", ch.ID, ch.Result, ch.Seen)
		}
	}
	want(t, r, "precheck.answer", compat.NotChecked, "not requested")
	if r.OCPVersion != "4.2.5-sim" {
		t.Errorf("OCP version %q", r.OCPVersion)
	}
	want(t, r, "tenant.role", compat.Held, "tenant 2000022 of cluster 3000009: PRIMARY", "tenant 2000025 of cluster 3000010: STANDBY")
	want(t, r, "cluster.relations", compat.Held, "cluster 3000012 (STANDBY): primaryCluster{")
	want(t, r, "task_list.page", compat.Held, "(totalPages)")
	want(t, r, "task.names", compat.Held, `"Switchover ob tenant for network mode"`)
	want(t, r, "task_list.name_filter", compat.Held, "name=SWITCHOVER found task 5000000000")
	onlyGETs(t, s.requests())
	after := s.sim.Counters()
	if after.Prechecks != before.Prechecks || after.Switchovers != before.Switchovers || after.TenantFailovers+after.ClusterFailovers != 0 {
		t.Errorf("the check changed the simulator's counters: %+v → %+v", before, after)
	}
}

// Without a precheck argument the precheck check is "not checked": it needs the one POST.
func TestPrecheckNotCheckedByDefault(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{}, false)
	r, err := compat.Assess(t.Context(), s.client(t, nil), compat.Request{})
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "precheck.answer", compat.NotChecked, "not requested")
	// An empty task list: the task checks cannot tell.
	want(t, r, "task_list.items", compat.NotChecked)
	want(t, r, "task.detail", compat.NotChecked)
	want(t, r, "ocp.version", compat.Missing, "HTTP 400")
	onlyGETs(t, s.requests())
	if !strings.Contains(r.Table(), "OCP version:  not reported (GET /api/v2/info: HTTP 400, code 10001)") {
		t.Errorf("table:\n%s", r.Table())
	}
}

func TestAgainstSimulatorAssumedShapes(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{Shapes: ocpsim.ShapesAssumed, LegacyTotalPage: true, StepDuration: 1 << 40}, false)
	c := s.client(t, nil)
	startSwitchover(t, s, c)
	r, err := compat.Assess(t.Context(), c, defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "cluster.relations", compat.Different, "cluster 3000011: standbyClusterIds", "cluster 3000012 (STANDBY): primaryClusterId")
	want(t, r, "cluster.standby_sync", compat.Missing, "cluster 3000012: no delayTime, syncStatus")
	want(t, r, "task_list.page", compat.Held, "totalPage, the older spelling")
	want(t, r, "task_list.items", compat.Different, "top-level clusterId, tenantId")
	want(t, r, "task.detail", compat.Different, "top-level clusterId, tenantId")
	want(t, r, "tenant.role", compat.Held)
	want(t, r, "ocp.version", compat.Missing)
	onlyGETs(t, s.requests())
}

// OCP's documented tenant detail: no role and no standby fields. The check says so; nothing else suffers.
func TestAgainstSimulatorWithoutTenantRole(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{OmitTenantDRFields: true, EmptyTraceIDs: true}, false)
	r, err := compat.Assess(t.Context(), s.client(t, nil), defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "tenant.role", compat.Missing, "tenant 2000022 of cluster 3000009: no tenantRole", "tenant 2000025 of cluster 3000010: no tenantRole")
	for _, id := range []string{"tenant.primary_tenant", "tenant.sync_status", "tenant.log_delay"} {
		want(t, r, id, compat.Missing, "none reports a role")
	}
	want(t, r, "tenant.detail", compat.Held)
	want(t, r, "envelope.trace_id", compat.Held, "empty)")
	onlyGETs(t, s.requests())
	if s := r.Summary(); s[compat.Missing] != 5 { // the role, the three standby fields, OCP's version
		t.Errorf("summary %v", s)
	}
}

// The precheck is sent when, and only when, it is asked for: one POST, to the precheck.
func TestPrecheckOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{}, false)
	req := defaultRequest
	req.Precheck = &compat.PrecheckRef{ClusterID: 3000013, TenantID: 2000111, StandbyTenantID: 2000112} // the lagging pair
	r, err := compat.Assess(t.Context(), s.client(t, nil), req)
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "precheck.answer", compat.Held, "valid false", "OBE26009 (blocking)")
	var posts []string
	for _, q := range s.requests() {
		if !strings.HasPrefix(q, "GET ") {
			posts = append(posts, q)
		}
	}
	if len(posts) != 1 || posts[0] != "POST /api/v2/ob/clusters/3000013/tenants/2000111/switchoverPreCheck" {
		t.Errorf("requests other than GET: %q", posts)
	}
	c := s.sim.Counters()
	if c.Prechecks != 1 || c.Switchovers+c.TenantFailovers+c.ClusterFailovers+c.TaskRetries+c.TaskRollbacks != 0 {
		t.Errorf("counters %+v", c)
	}
	if !strings.Contains(r.Table(), "1 POST (the switchover precheck") {
		t.Errorf("table:\n%s", r.Table())
	}
}

// Signed with an AccessKey, the report carries neither the key nor the simulator's address; wrong
// credentials stop the check with OCP's 401; an unreachable OCP is an error too.
func TestCredentialsAndRedaction(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{}, true)
	c := s.client(t, func(cfg *ocp.Config) {
		cfg.Username, cfg.Password = "", ""
		cfg.AccessKeyID, cfg.AccessKeySecret = ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey
	})
	startSwitchover(t, s, c)
	r, err := compat.Assess(t.Context(), c, defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "auth", compat.Held, "AccessKey")
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OCPURL    string `json:"ocp_url"`
		Exchanges []struct {
			Request  string          `json:"request"`
			Response json.RawMessage `json:"response"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OCPURL, "http://<ocp-host>:") || len(doc.Exchanges) < 8 {
		t.Errorf("report: url %q, %d exchanges", doc.OCPURL, len(doc.Exchanges))
	}
	text := string(js) + r.Table()
	for _, leak := range []string{"127.0.0.1", ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey, strings.TrimPrefix(s.url, "http://")} {
		if strings.Contains(text, leak) {
			t.Errorf("the report carries %q", leak)
		}
	}
	if !strings.Contains(string(js), `"executor": "<host>"`) || !strings.Contains(string(js), `"obVersion": "4.2.1.2"`) {
		t.Errorf("report without the redacted executor or with the version redacted:\n%s", js)
	}

	bad := s.client(t, func(cfg *ocp.Config) { cfg.Password = "wrong" })
	if _, err := compat.Assess(t.Context(), bad, defaultRequest); !ocp.IsUnauthorized(err) {
		t.Errorf("wrong password: %v", err)
	}
	down, err := ocp.New(ocp.Config{URL: "http://127.0.0.1:1", Username: "a", Password: "b", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compat.Assess(t.Context(), down, defaultRequest); !ocp.IsUnreachable(err) {
		t.Errorf("unreachable: %v", err)
	}
}

// A tenant or cluster that does not exist is a finding (the route may differ on that OCP), not a failure.
func TestUnknownIDsAreFindings(t *testing.T) {
	t.Parallel()
	s := newServer(t, ocpsim.Config{}, false)
	r, err := compat.Assess(t.Context(), s.client(t, nil), compat.Request{Clusters: []int64{42}, Tenants: []compat.TenantRef{{ClusterID: 3000009, TenantID: 43}}})
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "cluster.detail", compat.Different, "cluster 42: HTTP 404")
	want(t, r, "tenant.detail", compat.Different, "tenant 43 of cluster 3000009: HTTP 404")
	want(t, r, "tenant.role", compat.NotChecked)
}
