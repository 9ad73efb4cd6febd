package ocpsim_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// rawDo sends req and returns the answer as is (status, content type, body), or the transport error.
func (e *env) rawDo(req *http.Request) (int, string, string, error) {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b), err
}

// During an outage every request fails without effect, whatever the route and even without
// credentials, while the tasks already running go on; ClearOutage brings the answers back.
func TestOutages(t *testing.T) {
	t.Parallel()
	for _, mode := range []ocpsim.OutageMode{ocpsim.Outage503, ocpsim.OutageGateway, ocpsim.OutageReset} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, ocpsim.Config{StepDuration: ocpsimHold})
			running := e.startSwitchover(clusterEast, ordersP, ordersS)
			before := e.sim.Counters()
			e.sim.SetOutage(mode)

			reqs := []*http.Request{
				e.newRequest("GET", taskPath(running.ID), nil),
				e.newRequest("GET", "/api/v2/ob/clusters/3000013/tenants/2000101", nil),
				e.newRequest("POST", westFailover, failoverReq(batchS1)),
				e.newRequest("POST", switchoverPath(clusterB, ohayo1), pair{ohayo1, ohayo2}),
				e.newRequest("GET", "/api/v2/no/such/route", nil),
			}
			unauthenticated := e.newRequest("GET", "/api/v2/ob/clusters/3000013", nil)
			unauthenticated.Header.Del("Authorization")
			reqs = append(reqs, unauthenticated)
			for _, req := range reqs {
				status, ctype, body, err := e.rawDo(req)
				switch mode {
				case ocpsim.Outage503:
					if err != nil || status != 503 || !strings.HasPrefix(ctype, "application/json") || !strings.Contains(body, `"successful":false`) || !strings.Contains(body, `"status":503`) {
						t.Errorf("%s %s: %d %q %v: %s", req.Method, req.URL.Path, status, ctype, err, body)
					}
				case ocpsim.OutageGateway:
					if err != nil || status != 502 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "502 Bad Gateway") || strings.Contains(body, "{") {
						t.Errorf("%s %s: %d %q %v: %s", req.Method, req.URL.Path, status, ctype, err, body)
					}
				case ocpsim.OutageReset:
					if err == nil {
						t.Errorf("%s %s answered %d during a reset outage", req.Method, req.URL.Path, status)
					}
				case ocpsim.OutageNone:
					t.Fatal("not an outage")
				}
			}
			// Nothing took effect, everything was counted, and the running task went on.
			c := e.sim.Counters()
			if c.Switchovers != before.Switchovers || c.TenantFailovers != 0 || len(e.sim.Tasks()) != 1 {
				t.Errorf("a request had an effect during the outage: %+v", c)
			}
			// Each counts once; with a reset, net/http may send an idempotent request again.
			for _, route := range []string{ocpsim.RouteTaskDetail, ocpsim.RouteTenant, ocpsim.RouteTenantFailover, ocpsim.RouteSwitchover, ocpsim.RouteCluster, ocpsim.RouteUnknown} {
				n := c.Requests[route] - before.Requests[route]
				if n < 1 || (n > 1 && mode != ocpsim.OutageReset) {
					t.Errorf("%s counted %d times", route, n)
				}
			}
			e.sim.SetStepDuration(time.Millisecond)
			if waitTask(t, e.sim, running.ID).Status != ocpsim.TaskSuccessful {
				t.Error("the running task did not go on during the outage")
			}

			e.sim.ClearOutage()
			var task wireTask
			e.do("GET", taskPath(running.ID), nil).ok(t, &task)
			if task.Status != "SUCCESSFUL" {
				t.Errorf("after the outage the task reads %s", task.Status)
			}
		})
	}
}

func TestUnknownOutageModeIgnored(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.SetOutage("flaky")
	e.do("GET", "/api/v2/ob/clusters/3000013", nil).ok(t, nil)
}

// DropBeforeEffect closes the connection without acting: unlike DropAfterEffect, nothing started.
func TestDropBeforeEffect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.sim.DropBeforeEffect(ocpsim.RouteSwitchover, 2)
	for range 2 {
		if _, _, _, err := e.rawDo(e.newRequest("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS})); err == nil {
			t.Fatal("a dropped request was answered")
		}
	}
	if c := e.sim.Counters(); c.Switchovers != 0 || len(e.sim.Tasks()) != 0 || c.Requests[ocpsim.RouteSwitchover] != 2 {
		t.Fatalf("a request dropped before its effect acted: %+v", c)
	}
	// Other routes are untouched, and the third switchover goes through.
	e.do("GET", "/api/v2/ob/clusters/3000013/tenants/2000101", nil).ok(t, nil)
	created := e.startSwitchover(clusterEast, ordersP, ordersS)
	if waitTask(t, e.sim, created.ID).Status != ocpsim.TaskSuccessful {
		t.Error("switchover after the drops failed")
	}
	// n <= 0 clears.
	e.sim.DropBeforeEffect(ocpsim.RouteTenant, 1)
	e.sim.DropBeforeEffect(ocpsim.RouteTenant, 0)
	e.do("GET", "/api/v2/ob/clusters/3000013/tenants/2000101", nil).ok(t, nil)
}
