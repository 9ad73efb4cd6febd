package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// methodRecorder is a simulator whose every request's method and path is remembered: the compatibility
// check must send nothing but GETs, apart from the precheck when it is asked for.
type methodRecorder struct {
	*acctest.Fixture
	mu   sync.Mutex
	reqs []string
}

func newRecordedSimulator(t *testing.T, cfg ocpsim.Config) *methodRecorder {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := &methodRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.reqs = append(m.reqs, r.Method+" "+r.URL.Path)
		m.mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	m.Fixture = &acctest.Fixture{Sim: sim, URL: srv.URL}
	return m
}

// nonGETs returns the requests other than GET seen so far.
func (m *methodRecorder) nonGETs() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, r := range m.reqs {
		if !strings.HasPrefix(r, "GET ") {
			out = append(out, r)
		}
	}
	return out
}

func (m *methodRecorder) reset() {
	m.mu.Lock()
	m.reqs = nil
	m.mu.Unlock()
}

// onlyGETs checks that the data source sent no request other than GET (and some GETs).
func (m *methodRecorder) onlyGETs() resource.TestCheckFunc {
	return func(*terraform.State) error {
		m.mu.Lock()
		n := len(m.reqs)
		m.mu.Unlock()
		if n == 0 {
			return fmt.Errorf("no request reached the simulator")
		}
		if other := m.nonGETs(); len(other) > 0 {
			return fmt.Errorf("the compatibility check sent %q", other)
		}
		return nil
	}
}

// startTask gives the simulator's task list a task before the check reads it: the ohayo pair's switchover.
func (m *methodRecorder) startTask(t *testing.T) {
	t.Helper()
	c, err := ocp.New(ocp.Config{URL: m.URL, Username: acctest.Username, Password: acctest.Password})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.Switchover(t.Context(), 3000009, ocp.SwitchoverRequest{TenantID: 2000022, StandbyTenantID: 2000025})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(t.Context(), task.ID, ocp.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
	m.reset()
}

const compatAddr = "data.ocp_api_compatibility.c"

// compatConfig reads the ohayo pair (now switched over: 2000025 PRIMARY, 2000022 its STANDBY) and the
// cluster-level pair; extra goes into the data source block.
func compatConfig(m *methodRecorder, extra string) string {
	return m.Config(`
data "ocp_api_compatibility" "c" {
  clusters = [3000011, 3000012]
  tenants = [
    { cluster_id = 3000009, tenant_id = 2000022 },
    { cluster_id = 3000010, tenant_id = 2000025 },
  ]
  report = true
` + extra + `
}`)
}

// checkResults asserts the result of checks by id, and optionally what they saw.
func checkResults(want map[string]string, seen map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[compatAddr]
		if !ok {
			return fmt.Errorf("%s not in state", compatAddr)
		}
		a := rs.Primary.Attributes
		got := map[string]string{}
		gotSeen := map[string]string{}
		for i := 0; ; i++ {
			id, ok := a[fmt.Sprintf("checks.%d.id", i)]
			if !ok {
				break
			}
			got[id] = a[fmt.Sprintf("checks.%d.result", i)]
			gotSeen[id] = a[fmt.Sprintf("checks.%d.seen", i)]
		}
		for id, res := range want {
			if got[id] != res {
				return fmt.Errorf("check %s: %q (seen %q), want %q", id, got[id], gotSeen[id], res)
			}
		}
		for id, s := range seen {
			if !strings.Contains(gotSeen[id], s) {
				return fmt.Errorf("check %s saw %q, want it to mention %q", id, gotSeen[id], s)
			}
		}
		return nil
	}
}

// checkReport asserts that report_json is the redacted report of the run.
func checkReport(m *methodRecorder) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		js := s.RootModule().Resources[compatAddr].Primary.Attributes["report_json"]
		var doc struct {
			OCPURL    string            `json:"ocp_url"`
			Checks    []json.RawMessage `json:"checks"`
			Exchanges []struct {
				Request string `json:"request"`
			} `json:"exchanges"`
		}
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			return fmt.Errorf("report_json is not JSON: %w", err)
		}
		if !strings.HasPrefix(doc.OCPURL, "http://<ocp-host>:") || len(doc.Checks) == 0 || len(doc.Exchanges) == 0 {
			return fmt.Errorf("report: url %q, %d checks, %d exchanges", doc.OCPURL, len(doc.Checks), len(doc.Exchanges))
		}
		host := strings.TrimPrefix(m.URL, "http://")
		for _, leak := range []string{"127.0.0.1", host, acctest.Password} {
			if strings.Contains(js, leak) {
				return fmt.Errorf("report_json carries %q", leak)
			}
		}
		return nil
	}
}

// OCP's documented shapes (the simulator's default): everything the provider relies on holds, except
// OCP's version, which the simulator does not report. Only GETs are sent.
func TestAccAPICompatibilityDataSource_documentedShapes(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	m := newRecordedSimulator(t, ocpsim.Config{Shapes: ocpsim.ShapesDocumented})
	m.startTask(t)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: compatConfig(m, ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				m.onlyGETs(),
				checkResults(map[string]string{
					"auth": "held", "envelope.timestamp": "held", "error.not_found": "held", "error.code": "held",
					"tenant.role": "held", "tenant.primary_tenant": "held", "tenant.log_delay": "held",
					"cluster.relations": "held", "cluster.standby_sync": "held", "task_list.page": "held",
					"task_list.items": "held", "task.detail": "held", "task.creator": "held", "task.names": "held",
					"task_list.name_filter": "held", "ocp.version": "missing", "precheck.answer": "not checked",
				}, map[string]string{
					"tenant.role":       "tenant 2000022 of cluster 3000009: STANDBY; tenant 2000025 of cluster 3000010: PRIMARY",
					"cluster.relations": "cluster 3000012 (STANDBY): primaryCluster{id, name, obClusterId, type}",
					"task_list.page":    "(totalPages)",
				}),
				resource.TestCheckResourceAttr(compatAddr, "not_held.#", "1"),
				resource.TestCheckResourceAttr(compatAddr, "not_held.0", "ocp.version"),
				resource.TestCheckNoResourceAttr(compatAddr, "ocp_version"),
				resource.TestCheckResourceAttr(compatAddr, "summary.missing", "1"),
				resource.TestCheckResourceAttr(compatAddr, "summary.different", "0"),
				resource.TestCheckResourceAttr(compatAddr, "ob_versions.0", "cluster 3000011: 3.2.4.5"),
				resource.TestMatchResourceAttr(compatAddr, "table", regexp.MustCompile(`(?m)^OCP version:  not reported \(GET /api/v2/info: HTTP 400, code 10001\)$`)),
				resource.TestMatchResourceAttr(compatAddr, "table", regexp.MustCompile(`(?m)^held +tenant\.role +assumed +tenant 2000022`)),
				checkReport(m),
			),
		}},
	})
	if c := m.Sim.Counters(); c.Switchovers != 1 || c.Prechecks != 0 || c.TenantFailovers+c.ClusterFailovers != 0 {
		t.Fatalf("the check changed the simulator: %+v", c)
	}
}

// The forms assumed before OCP's reference was read: reported as different (the client reads them too).
func TestAccAPICompatibilityDataSource_assumedShapes(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	m := newRecordedSimulator(t, ocpsim.Config{Shapes: ocpsim.ShapesAssumed, LegacyTotalPage: true})
	m.startTask(t)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: compatConfig(m, ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				m.onlyGETs(),
				checkResults(map[string]string{
					"tenant.role": "held", "cluster.relations": "different", "cluster.standby_sync": "missing",
					"task_list.page": "held", "task_list.items": "different", "task.detail": "different",
				}, map[string]string{
					"cluster.relations": "cluster 3000012 (STANDBY): primaryClusterId (the ids form; read too)",
					"task_list.page":    "totalPage, the older spelling",
					"task_list.items":   "top-level clusterId, tenantId",
				}),
				resource.TestCheckResourceAttr(compatAddr, "summary.different", "3"),
			),
		}},
	})
}

// OCP's documented tenant detail has no role: the check reports it missing, with the standby's fields.
// The precheck is sent only once asked for, and it is the only POST.
func TestAccAPICompatibilityDataSource_withoutRoleFields(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	m := newRecordedSimulator(t, ocpsim.Config{OmitTenantDRFields: true})

	roleMissing := checkResults(map[string]string{
		"tenant.role": "missing", "tenant.primary_tenant": "missing", "tenant.sync_status": "missing",
		"tenant.log_delay": "missing", "tenant.detail": "held",
	}, map[string]string{"tenant.role": "tenant 2000022 of cluster 3000009: no tenantRole"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: compatConfig(m, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					m.onlyGETs(), roleMissing,
					checkResults(map[string]string{"precheck.answer": "not checked", "task_list.items": "not checked"}, nil),
				),
			},
			{
				Config: compatConfig(m, `  precheck = { cluster_id = 3000009, tenant_id = 2000022, standby_tenant_id = 2000025 }`),
				Check: resource.ComposeAggregateTestCheckFunc(
					roleMissing,
					checkResults(map[string]string{"precheck.answer": "held"}, map[string]string{"precheck.answer": "OBE26107 (warning)"}),
					resource.TestMatchResourceAttr(compatAddr, "table", regexp.MustCompile(`POST \(the switchover precheck`)),
					func(*terraform.State) error {
						other := m.nonGETs()
						if len(other) == 0 {
							return fmt.Errorf("no precheck sent")
						}
						if slices.ContainsFunc(other, func(r string) bool {
							return r != "POST /api/v2/ob/clusters/3000009/tenants/2000022/switchoverPreCheck"
						}) {
							return fmt.Errorf("requests other than GET and the precheck: %q", other)
						}
						return nil
					},
				),
			},
		},
	})
	c := m.Sim.Counters()
	if c.Prechecks == 0 || c.Switchovers+c.TenantFailovers+c.ClusterFailovers+c.TaskRetries+c.TaskRollbacks != 0 {
		t.Fatalf("counters %+v", c)
	}
}

// Refused credentials stop the run once, at the provider's configuration (before the check is asked
// anything); an unknown id is a finding.
func TestAccAPICompatibilityDataSource_errors(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	m := newRecordedSimulator(t, ocpsim.Config{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
provider "ocp" {
  url      = "` + m.URL + `"
  username = "admin"
  password = "wrong"
}
data "ocp_api_compatibility" "c" {}`,
				ExpectError: regexp.MustCompile(`(?s)OCP refused the provider's credentials.*HTTP 401.*Check the provider's credentials`),
			},
			{
				Config: m.Config(`
data "ocp_api_compatibility" "c" {
  tenants = [{ cluster_id = 3000009, tenant_id = 424242 }]
}`),
				Check: checkResults(map[string]string{"tenant.detail": "different"}, map[string]string{"tenant.detail": "HTTP 404, code 60018"}),
			},
		},
	})
}
