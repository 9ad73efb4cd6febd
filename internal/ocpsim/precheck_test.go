package ocpsim_test

import (
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

type wireCheck struct {
	Warning      bool   `json:"warning"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

type wirePrecheck struct {
	Valid               bool   `json:"valid"`
	TenantID            int64  `json:"tenantId"`
	Name                string `json:"name"`
	ClusterID           int64  `json:"clusterId"`
	ClusterName         string `json:"clusterName"`
	StandbyCheckResults []struct {
		Valid                    bool        `json:"valid"`
		TenantID                 int64       `json:"tenantId"`
		Name                     string      `json:"name"`
		ClusterID                int64       `json:"clusterId"`
		ClusterName              string      `json:"clusterName"`
		SyncSCN                  int64       `json:"syncScn"`
		PrimaryTenantServiceName string      `json:"primaryTenantServiceName"`
		CheckResults             []wireCheck `json:"checkResults"`
	} `json:"standbyCheckResults"`
}

const (
	msgOBProxy  = "Automatic routing cannot be implemented after the switchover because the clusters of the primary and standby tenants are not associated with the same OBProxy cluster."
	msgOhayoLag = "This operation is not allowed because the log synchronization latency of the ohayo_2 tenant is 14,883,430 ms, which exceeds 10,000 ms."
)

func (e *env) precheck(cluster, primary, standby int64) wirePrecheck {
	e.t.Helper()
	var res wirePrecheck
	e.do("POST", precheckPath(cluster, primary), pair{primary, standby}).ok(e.t, &res)
	if len(res.StandbyCheckResults) != 1 {
		e.t.Fatalf("want one standby result, got %+v", res)
	}
	return res
}

func codes(checks []wireCheck) []string {
	var out []string
	for _, c := range checks {
		out = append(out, c.ErrorCode)
	}
	return out
}

func TestPrecheckOhayoMatchesTheSample(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	res := e.precheck(clusterB, ohayo1, ohayo2)
	sb := res.StandbyCheckResults[0]
	if res.TenantID != ohayo1 || res.Name != "ohayo_1" || res.ClusterID != clusterB || res.ClusterName != "OB42_B" ||
		sb.TenantID != ohayo2 || sb.Name != "ohayo_2" || sb.ClusterID != clusterA || sb.ClusterName != "OB424_A" {
		t.Fatalf("identity fields differ from the sample: %+v", res)
	}
	if !res.Valid || !sb.Valid || len(sb.CheckResults) != 1 {
		t.Fatalf("want valid with one warning, got %+v", res)
	}
	if c := sb.CheckResults[0]; !c.Warning || c.ErrorCode != "OBE26107" || c.ErrorMessage != msgOBProxy {
		t.Errorf("OBProxy warning = %+v", c)
	}
	if sb.SyncSCN <= 0 || sb.PrimaryTenantServiceName != "ohayo_svc" {
		t.Errorf("syncScn/service name = %d/%q", sb.SyncSCN, sb.PrimaryTenantServiceName)
	}

	// The sample's lag, set behind the client's back: blocking error first, warning second, as in the sample.
	e.sim.SetStandbySync(ohayo2, 14883430, "NORMAL")
	res = e.precheck(clusterB, ohayo1, ohayo2)
	sb = res.StandbyCheckResults[0]
	if res.Valid || sb.Valid || len(sb.CheckResults) != 2 {
		t.Fatalf("want invalid with two results, got %+v", res)
	}
	if c := sb.CheckResults[0]; c.Warning || c.ErrorCode != "OBE26009" || c.ErrorMessage != msgOhayoLag {
		t.Errorf("lag error = %+v", c)
	}
	if c := sb.CheckResults[1]; !c.Warning || c.ErrorCode != "OBE26107" {
		t.Errorf("second result = %+v", c)
	}
	if got := e.sim.Counters().Prechecks; got != 2 {
		t.Errorf("Prechecks = %d, want 2", got)
	}
}

func TestPrecheckRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	cases := []struct {
		name                      string
		cluster, primary, standby int64
		valid                     bool
		codes                     []string
		message                   string
	}{
		{name: "clean pair", cluster: clusterEast, primary: ordersP, standby: ordersS, valid: true},
		{name: "lagging standby", cluster: clusterEast, primary: lagP, standby: lagS, codes: []string{"OBE26009"},
			message: "This operation is not allowed because the log synchronization latency of the lag_s tenant is 14,883,430 ms, which exceeds 10,000 ms."},
		{name: "log not match", cluster: clusterEast, primary: nomatchP, standby: nomatchS, codes: []string{"OBE26005"},
			message: "The log synchronization status of the nomatch_s tenant is STANDBY LOG NOT MATCH, not NORMAL."},
		{name: "roles reversed", cluster: clusterWest, primary: ordersS, standby: ordersP, codes: []string{"OBE26001", "OBE26002"}},
		{name: "standby of another primary", cluster: clusterEast, primary: ordersP, standby: batchS1, codes: []string{"OBE26003"}},
		{name: "different OBProxy clusters", cluster: clusterB, primary: ohayo1, standby: ohayo2, valid: true, codes: []string{"OBE26107"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.precheck(c.cluster, c.primary, c.standby)
			sb := res.StandbyCheckResults[0]
			if res.Valid != c.valid || sb.Valid != c.valid {
				t.Errorf("valid = %v/%v, want %v", res.Valid, sb.Valid, c.valid)
			}
			if got := codes(sb.CheckResults); len(got) != len(c.codes) || (len(got) > 0 && got[0] != c.codes[0]) {
				t.Fatalf("codes = %v, want %v", got, c.codes)
			}
			for i, code := range c.codes {
				if sb.CheckResults[i].ErrorCode != code {
					t.Errorf("codes = %v, want %v", codes(sb.CheckResults), c.codes)
				}
			}
			if c.message != "" && sb.CheckResults[0].ErrorMessage != c.message {
				t.Errorf("message = %q\nwant      %q", sb.CheckResults[0].ErrorMessage, c.message)
			}
			if sb.CheckResults == nil {
				t.Errorf("checkResults must be a list, even empty")
			}
		})
	}
}

func TestPrecheckTenantNotNormal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{StepDuration: 0})
	e.sim.SetStepDuration(ocpsimHold)
	e.startSwitchover(clusterEast, ordersP, ordersS)
	res := e.precheck(clusterEast, ordersP, ordersS)
	got := codes(res.StandbyCheckResults[0].CheckResults)
	if res.Valid || len(got) != 2 || got[0] != "OBE26004" || got[1] != "OBE26004" {
		t.Errorf("precheck of MODIFYING tenants: valid=%v codes=%v", res.Valid, got)
	}
}

func TestPrecheckUnknownTenants(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.do("POST", precheckPath(clusterB, ohayo1), pair{ohayo1, 999}).fails(t, 404, "60018")
	e.do("POST", precheckPath(clusterB, 999), pair{999, ohayo2}).fails(t, 404, "60018")
	e.do("POST", precheckPath(1, ohayo1), pair{ohayo1, ohayo2}).fails(t, 404, "50001")
	if got := e.sim.Counters().Prechecks; got != 0 {
		t.Errorf("refused prechecks counted: %d", got)
	}
}

// The lag limit is OCP's system parameter ocp.standby.tenant.delay.threshold: 10,000 ms unless the
// scenario or the Config sets it, and OBE26009's message quotes the limit in force.
func TestPrecheckDelayThreshold(t *testing.T) {
	t.Parallel()
	if got := newEnv(t, ocpsim.Config{}).sim.Settings().DelayThresholdMillis; got != 10000 {
		t.Errorf("default threshold = %d", got)
	}
	sc := ocpsim.DefaultScenario()
	sc.DelayThresholdMillis = 5000
	fromScenario := newEnv(t, ocpsim.Config{Scenario: sc})
	fromConfig := newEnv(t, ocpsim.Config{DelayThresholdMillis: 5000})
	for _, e := range []*env{fromScenario, fromConfig} {
		e.sim.SetStandbySync(ordersS, 5000, "NORMAL")
		if res := e.precheck(clusterEast, ordersP, ordersS); !res.Valid {
			t.Errorf("5,000 ms at a 5,000 ms limit blocks: %+v", res)
		}
		e.sim.SetStandbySync(ordersS, 5001, "NORMAL")
		res := e.precheck(clusterEast, ordersP, ordersS)
		checks := res.StandbyCheckResults[0].CheckResults
		want := "This operation is not allowed because the log synchronization latency of the orders_s tenant is 5,001 ms, which exceeds 5,000 ms."
		if res.Valid || len(checks) != 1 || checks[0].ErrorCode != "OBE26009" || checks[0].ErrorMessage != want {
			t.Errorf("5,001 ms: %+v", res)
		}
		e.do("POST", switchoverPath(clusterEast, ordersP), pair{ordersP, ordersS}).fails(t, 400, "60102")
	}
	sc = ocpsim.DefaultScenario()
	sc.DelayThresholdMillis = 5000
	if got := newEnv(t, ocpsim.Config{Scenario: sc, DelayThresholdMillis: 20000}).sim.Settings().DelayThresholdMillis; got != 20000 {
		t.Errorf("Config does not win: %d", got)
	}
	if _, err := ocpsim.New(ocpsim.Config{DelayThresholdMillis: -1}); err == nil {
		t.Error("a negative threshold was accepted")
	}
}
