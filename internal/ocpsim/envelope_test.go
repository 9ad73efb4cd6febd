package ocpsim_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

var traceIDPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestSuccessEnvelope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	r1 := e.do("GET", "/api/v2/ob/clusters/3000009/tenants/2000022", nil)
	var tn wireTenant
	r1.ok(t, &tn)
	if tn.ID != ohayo1 || tn.Name != "ohayo_1" || tn.ClusterName != "OB42_B" || tn.TenantRole != "PRIMARY" || tn.Status != "NORMAL" {
		t.Errorf("tenant = %+v", tn)
	}
	if _, err := time.Parse(time.RFC3339Nano, r1.env.Timestamp); err != nil {
		t.Errorf("timestamp %q: %v", r1.env.Timestamp, err)
	}
	if r1.env.Duration == nil || r1.env.Server == "" || !traceIDPattern.MatchString(r1.env.TraceID) {
		t.Errorf("envelope fields missing or malformed: %s", r1.raw)
	}
	r2 := e.do("GET", "/api/v2/ob/clusters/3000009", nil)
	r2.ok(t, nil)
	if r1.env.TraceID == r2.env.TraceID {
		t.Errorf("trace ids repeat: %s", r1.env.TraceID)
	}
}

func TestErrorEnvelopes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"unknown tenant", "GET", "/api/v2/ob/clusters/3000009/tenants/1", nil, 404, "60018"},
		{"tenant under another cluster", "GET", "/api/v2/ob/clusters/3000010/tenants/2000022", nil, 404, "60018"},
		{"unknown cluster", "GET", "/api/v2/ob/clusters/42", nil, 404, "50001"},
		{"unknown task", "GET", "/api/v2/tasks/instances/123", nil, 404, "20000"},
		{"non-numeric id", "GET", "/api/v2/ob/clusters/abc", nil, 400, "10001"},
		{"non-numeric task id", "GET", "/api/v2/tasks/instances/x1", nil, 400, "10001"},
		{"unknown URL", "GET", "/api/v2/no/such/thing", nil, 400, "10001"},
		{"wrong method", "DELETE", "/api/v2/ob/clusters/3000009", nil, 400, "10001"},
		{"malformed body", "POST", precheckPath(clusterB, ohayo1), []byte("{not json"), 400, "10001"},
		{"missing body", "POST", precheckPath(clusterB, ohayo1), nil, 400, "10001"},
		{"body/path mismatch", "POST", precheckPath(clusterB, ohayo1), pair{ohayo2, ohayo1}, 400, "10001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.method, c.path, c.body)
			r.fails(t, c.status, c.code)
			if !traceIDPattern.MatchString(r.env.TraceID) || r.env.Error.Message == "" {
				t.Errorf("error envelope incomplete: %s", r.raw)
			}
		})
	}
}

func TestStringErrorCodes(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	sc.ErrorCodesAsStrings = true
	e := newEnv(t, ocpsim.Config{Scenario: sc})
	e.do("GET", "/api/v2/ob/clusters/3000009/tenants/1", nil).fails(t, 404, `"60018"`)
	// OCP's string codes are strings in both settings.
	e.do("POST", westFailover, failoverReq(ordersS)).fails(t, 400, `"OBE26019"`)
	newEnv(t, ocpsim.Config{}).do("POST", westFailover, failoverReq(ordersS)).fails(t, 400, `"OBE26019"`)
}

// "emptyTraceIds" writes an empty traceId in every envelope, success or failure.
func TestEmptyTraceIDs(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	sc.EmptyTraceIDs = true
	for _, e := range []*env{newEnv(t, ocpsim.Config{Scenario: sc}), newEnv(t, ocpsim.Config{EmptyTraceIDs: true})} {
		for _, r := range []response{
			e.do("GET", "/api/v2/ob/clusters/3000009", nil),
			e.do("GET", "/api/v2/ob/clusters/42", nil),
		} {
			if !strings.Contains(string(r.raw), `"traceId":""`) {
				t.Errorf("envelope without an empty traceId: %s", r.raw)
			}
		}
	}
}

// An injected 429 answers OCP's documented sample form: code 0 and an empty traceId.
func TestInjected429Form(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.FailRequests(ocpsim.RouteTaskList, 429, 1, 2*time.Second)
	r := e.do("GET", "/api/v2/tasks/instances", nil)
	r.fails(t, 429, "0")
	if !strings.Contains(string(r.raw), `"traceId":""`) || !strings.Contains(string(r.raw), `"error":{"code":0,"message":`) || r.header.Get("Retry-After") != "2" {
		t.Errorf("429 = %s (Retry-After %q)", r.raw, r.header.Get("Retry-After"))
	}
	// Other injected failures keep a trace id.
	e.sim.FailRequests(ocpsim.RouteTaskList, 503, 1, 0)
	if r := e.do("GET", "/api/v2/tasks/instances", nil); !traceIDPattern.MatchString(r.env.TraceID) {
		t.Errorf("503 trace id %q", r.env.TraceID)
	}
	sc := ocpsim.DefaultScenario()
	sc.ErrorCodesAsStrings = true
	s := newEnv(t, ocpsim.Config{Scenario: sc})
	s.sim.FailRequests(ocpsim.RouteTaskList, 429, 1, 0)
	s.do("GET", "/api/v2/tasks/instances", nil).fails(t, 429, `"0"`)
}
