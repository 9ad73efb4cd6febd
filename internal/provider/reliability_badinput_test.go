package provider_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// Bad input, in the configuration or in OCP's answers: each gets a clear diagnostic and changes nothing
// (no operation starts in the simulator). Covered elsewhere and not repeated here:
//   - the same tenant as primary and standby, a zero tenant id, a negative cluster id of a switchover:
//     TestAccTenantSwitchover_validation;
//   - an empty batch, duplicate tenants in a batch, a zero tenant id, a tenant of another cluster, an
//     unknown tenant in a batch: TestAccTenantFailoverResource_planErrors (resource) and
//     TestTenantFailoverAction_planErrors (action);
//   - an unknown cluster to fail over: TestAccClusterFailoverResource_failure;
//   - a zero id and an unknown tenant of the data source: TestAccTenantDataSource_errors;
//   - every malformed envelope shape, HTTP 200 with successful:false, number or string error codes, at
//     the client: internal/ocp TestEnvelopeDecoding, TestErrorCodeNumberOrString and FuzzDecodeEnvelope;
//   - an unknown task status at the client: internal/ocp TestWaitForTaskUnknownStatusKeepsWaiting.

// answerWith answers requests matching method and path pattern with status and body instead of the
// simulator, which never sees them.
func answerWith(sim http.Handler, method string, path *regexp.Regexp, status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method && path.MatchString(r.URL.Path) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return
		}
		sim.ServeHTTP(w, r)
	})
}

var (
	tenantPath  = regexp.MustCompile(`^/api/v2/ob/clusters/\d+/tenants/\d+$`)
	clusterPath = regexp.MustCompile(`^/api/v2/ob/clusters/\d+$`)
)

const (
	garbled      = `{"data":{"id":2000102,"name":"orders_s","tenantRo`
	refused200   = `{"successful":false,"status":400,"traceId":"bad0trace","error":{"code":60018,"message":"Refused by a test."}}`
	htmlGateway  = `<html><body><h1>502 Bad Gateway</h1></body></html>`
	notEnvelope  = `{"id":2000102,"tenantRole":"PRIMARY"}`
	decodeAdvice = `Check that the provider's url points at OCP \(not a proxy or login page\)`
)

func TestBadInput(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	readPath := func(op drOp) *regexp.Regexp {
		if op.readRoute == ocpsim.RouteCluster {
			return clusterPath
		}
		return tenantPath
	}
	type tc struct {
		name   string
		config func(f *acctest.Fixture) string
		// wrap puts a fake answer in front of the simulator; nil serves the simulator alone.
		wrap    func(sim http.Handler) http.Handler
		command string // plan or apply
		wantErr string
	}
	cases := []tc{
		{
			name: "negative cluster id of a tenant failover",
			config: func(f *acctest.Fixture) string {
				return f.Config(strings.Replace(fmt.Sprintf(opTenantFailover.resource, ""), "3000014", "-3000014", 1))
			},
			command: "plan", wantErr: `cluster_id.*at least 1, got: -3000014`,
		},
		{
			name: "negative tenant id of a tenant failover",
			config: func(f *acctest.Fixture) string {
				return f.Config(strings.Replace(fmt.Sprintf(opTenantFailover.resource, ""), "2000132", "-1", 1))
			},
			command: "plan", wantErr: `tenant_id.*at least 1, got: -1`,
		},
		{
			name: "negative cluster id of a cluster failover",
			config: func(f *acctest.Fixture) string {
				return f.Config(`resource "ocp_cluster_failover" "t" { cluster_id = -1 }`)
			},
			command: "plan", wantErr: `cluster_id.*at least 1, got: -1`,
		},
		{
			name: "zero cluster id of a cluster failover",
			config: func(f *acctest.Fixture) string {
				return f.Config(`resource "ocp_cluster_failover" "t" { cluster_id = 0 }`)
			},
			command: "plan", wantErr: `cluster_id.*at least 1, got: 0`,
		},
		{
			name: "negative tenant id of the tenant data source",
			config: func(f *acctest.Fixture) string {
				return f.Config(`data "ocp_tenant" "t" {
  cluster_id = 3000009
  tenant_id  = -2000022
}`)
			},
			command: "plan", wantErr: `tenant_id.*at least 1, got: -2000022`,
		},
		{
			name: "unknown tenant of a switchover",
			config: func(f *acctest.Fixture) string {
				return f.Config(strings.Replace(fmt.Sprintf(opSwitchover.resource, ""), "2000102", "424242", 1))
			},
			command: "plan", wantErr: `Error reading the tenants of the switchover.*[Tt]enant 424242 of cluster 3000014.*HTTP 404`,
		},
		{
			name: "unknown cluster of a switchover tenant",
			config: func(f *acctest.Fixture) string {
				return f.Config(strings.Replace(fmt.Sprintf(opSwitchover.resource, ""), "3000014", "4242", 1))
			},
			command: "plan", wantErr: `Error reading the tenants of the switchover.*[Tt]enant 2000102 of cluster 4242.*HTTP 404`,
		},
		{
			name: "unknown cluster of a tenant failover",
			config: func(f *acctest.Fixture) string {
				return f.Config(strings.Replace(fmt.Sprintf(opTenantFailover.resource, ""), "3000014", "4242", 1))
			},
			command: "plan", wantErr: `Tenant is not a standby of the cluster.*Tenant 2000132 is not a tenant of cluster 4242.*HTTP 404.*OB cluster 4242 does not exist`,
		},
	}
	for _, op := range drOps {
		cases = append(cases,
			tc{
				name:    op.name + ": malformed JSON from OCP",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "GET", readPath(op), 200, garbled) },
				command: "plan", wantErr: `OCP's answer could not be read: .*HTTP 200: unexpected response: unexpected end of JSON input; body starts .*tenantRo.*` + decodeAdvice,
			},
			tc{
				name:    op.name + ": a proxy's HTML page",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "GET", readPath(op), 502, htmlGateway) },
				command: "plan", wantErr: `OCP's answer could not be read: .*HTTP 502: unexpected response: .*body starts .*502 Bad Gateway.*` + decodeAdvice,
			},
			tc{
				name:    op.name + ": JSON that is no envelope",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "GET", readPath(op), 200, notEnvelope) },
				command: "plan", wantErr: `OCP's answer could not be read: .*HTTP 200: unexpected response: .*not an OCP envelope.*` + decodeAdvice,
			},
			tc{
				name:    op.name + ": successful:false with HTTP 200 on a read",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "GET", readPath(op), 200, refused200) },
				command: "plan", wantErr: `OCP answered GET /api/v2/ob/clusters/\d+.* with HTTP 400, error code 60018: Refused by a test\. OCP trace id: bad0trace`,
			},
			tc{
				name:    op.name + ": successful:false with HTTP 200 on the start request",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "POST", startPath, 200, refused200) },
				command: "apply", wantErr: `Error starting .*OCP answered POST .* with HTTP 400, error code 60018: Refused by a test\. OCP trace id: bad0trace`,
			},
			tc{
				// A garbled 2xx may have started the operation: the provider looks for it, finds none, and says
				// it cannot tell rather than claiming either outcome.
				name:    op.name + ": garbled answer to the start request",
				config:  func(f *acctest.Fixture) string { return op.config(f, "") },
				wrap:    func(sim http.Handler) http.Handler { return answerWith(sim, "POST", startPath, 200, garbled) },
				command: "apply", wantErr: `may or may not have started.*unexpected end of JSON input.*look in OCP for a.*task`,
			},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			var h http.Handler = sim
			if c.wrap != nil {
				h = c.wrap(sim)
			}
			srv := httptest.NewServer(h)
			t.Cleanup(func() { srv.Close(); sim.Close() })
			f := &acctest.Fixture{Sim: sim, URL: srv.URL}
			w := acctest.NewWorkdir(t, c.config(f))
			args := []string{"plan"}
			if c.command == "apply" {
				args = []string{"apply", "-auto-approve"}
			}
			r := w.Run(args...)
			if r.Err == nil {
				t.Fatalf("%s succeeded; want an error matching %s:\n%s", c.command, c.wantErr, r.Output())
			}
			matchFlat(t, r.Output(), c.wantErr)
			if strings.Contains(r.Output(), "panic") || strings.Contains(r.Output(), "Please report this issue") {
				t.Errorf("the provider crashed or blamed itself:\n%s", r.Output())
			}
			if cs := sim.Counters(); cs.Switchovers+cs.TenantFailovers+cs.ClusterFailovers != 0 {
				t.Errorf("bad input started operations: %+v", cs)
			}
			// A failover refused records nothing; one whose start may have happened records UNKNOWN, without a
			// task, so that the next apply looks for it first. A switchover whose start failed has read the
			// pair, and records it as OCP reports it (tainted, without a task), which is not a lie.
			unknown := strings.Contains(c.wantErr, "may or may not have started")
			for _, op := range drOps {
				values, _ := resourceState(t, w, op.addr)
				switch {
				case values == nil:
				case op.kind == ocpsim.OpSwitchover && values["task_id"] == nil:
					expectStateRolesAsOCP(t, values, sim)
					if got := values["task_status"]; unknown != (got == "UNKNOWN") {
						t.Errorf("task_status %v after %q", got, c.name)
					}
				case unknown && len(stateTaskIDs(values)) == 0 && slices.Equal(stateStatuses(values), []string{"UNKNOWN"}):
				default:
					t.Errorf("bad input left state: %v", values)
				}
			}
		})
	}
}

// An unknown task status (one OCP adds in a later version) is waited out as if the task were running,
// and the apply ends with the task's real outcome: one operation, not an error and not a second start.
func TestUnknownTaskStatusIsWaitedOut(t *testing.T) {
	forEachOp(t, func(t *testing.T, op drOp) {
		sim, err := ocpsim.New(ocpsim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		taskDetail := regexp.MustCompile(`^/api/v2/tasks/instances/\d+$`)
		// Task details report RUNNING as "SUSPENDED", a status the client does not know.
		var rewritten atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || !taskDetail.MatchString(r.URL.Path) {
				sim.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			sim.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if b := bytes.Replace(body, []byte(`"status":"RUNNING","type"`), []byte(`"status":"SUSPENDED","type"`), 1); !bytes.Equal(b, body) {
				body = b
				rewritten.Add(1)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		}))
		t.Cleanup(func() { srv.Close(); sim.Close() })
		f := &acctest.Fixture{Sim: sim, URL: srv.URL}
		w := acctest.NewWorkdir(t, op.config(f, ""))
		holdTasks(sim)
		releaseWhenWaited(t, sim, 10)
		start := time.Now()
		w.MustRun("apply", "-auto-approve")
		op.expectStarted(t, sim, 1)
		if !op.done(sim) {
			t.Errorf("OCP does not show the %s done after %s", op.name, time.Since(start))
		}
		if rewritten.Load() == 0 {
			t.Error("no task detail was answered with the unknown status: the test proves nothing")
		}
	})
}
