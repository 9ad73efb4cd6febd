package ocpsim_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func TestDefaultScenario(t *testing.T) {
	t.Parallel()
	sc := ocpsim.DefaultScenario()
	if len(sc.Clusters) != 6 || len(sc.Tenants) != 12 {
		t.Errorf("default world: %d clusters, %d tenants", len(sc.Clusters), len(sc.Tenants))
	}
	sc.Tenants[0].Name = "changed"
	if ocpsim.DefaultScenario().Tenants[0].Name == "changed" {
		t.Error("DefaultScenario shares state between calls")
	}
}

func TestLoadScenario(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{"errorCodesAsStrings": true, "clusters": [{"id": 1, "name": "c1", "type": "PRIMARY"}],
		"tenants": [{"id": 10, "name": "t", "clusterId": 1, "tenantRole": "PRIMARY"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := ocpsim.LoadScenario(good)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, ocpsim.Config{Scenario: sc})
	var tn wireTenant
	e.do("GET", "/api/v2/ob/clusters/1/tenants/10", nil).ok(t, &tn)
	if tn.ClusterName != "c1" || tn.Status != "NORMAL" {
		t.Errorf("tenant = %+v", tn)
	}
	e.do("GET", "/api/v2/ob/clusters/1/tenants/11", nil).fails(t, 404, `"60018"`)

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"clusters": [], "tenants": [{"id": 10, "name": "t", "clusterId": 1, "tenantRole": "PRIMARY"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ocpsim.LoadScenario(bad); err == nil {
		t.Error("a tenant on an unknown cluster was accepted")
	}
	if _, err := ocpsim.LoadScenario(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file was accepted")
	}
}

// Every switch and documented field a scenario file may carry, under its JSON key.
func TestScenarioKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, []byte(`{
		"shapes": "assumed", "omitTenantDrFields": true, "delayThresholdMillis": 5000, "busyDelayMillis": 30,
		"emptyTraceIds": true, "legacyTotalPage": true, "errorCodesAsStrings": true, "server": "ocp-a",
		"clusters": [
			{"id": 1, "name": "P", "type": "PRIMARY", "obClusterId": 77, "obVersion": "4.3.0.1"},
			{"id": 2, "name": "S", "type": "STANDBY", "primaryClusterId": 1, "syncStatus": "DISABLED", "delayTime": 2.5}
		],
		"tenants": [
			{"id": 10, "name": "p", "clusterId": 1, "tenantRole": "PRIMARY", "down": true, "obTenantId": 1010, "mode": "ORACLE",
			 "primaryZone": "z1;z2", "locked": true, "readonly": true, "createTime": "2024-07-23T17:15:57.809+08:00"},
			{"id": 11, "name": "s", "clusterId": 2, "tenantRole": "STANDBY", "primaryTenantId": 10, "syncStatus": "NORMAL", "logSyncDelayMillis": 10}
		]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := ocpsim.LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	want := ocpsim.Settings{Shapes: ocpsim.ShapesAssumed, OmitTenantDRFields: true, DelayThresholdMillis: 5000,
		BusyDelay: 30 * time.Millisecond, EmptyTraceIDs: true, LegacyTotalPage: true, ErrorCodesAsStrings: true}
	e := newEnv(t, ocpsim.Config{Scenario: sc})
	if got := e.sim.Settings(); got != want {
		t.Errorf("settings = %+v\nwant       %+v", got, want)
	}
	p := tenant(t, e.sim, 10)
	if !p.Down || p.OBTenantID != 1010 || p.Mode != "ORACLE" || p.PrimaryZone != "z1;z2" || !p.Locked || !p.Readonly ||
		p.CreateTime.UnixMilli() != 1721726157809 || p.OBClusterID != 77 || p.OBVersion != "4.3.0.1" {
		t.Errorf("tenant = %+v", p)
	}
	if c, _ := e.sim.Cluster(2); c.SyncStatus != "DISABLED" || c.DelayTime == nil || *c.DelayTime != 2.5 {
		t.Errorf("cluster = %+v", c)
	}
	// The tenant detail writes createTime in OCP's layout, with the scenario's instant.
	var tn struct {
		CreateTime string `json:"createTime"`
	}
	e.do("GET", "/api/v2/ob/clusters/1/tenants/10", nil).ok(t, &tn)
	if ct, err := time.Parse(time.RFC3339Nano, tn.CreateTime); err != nil || ct.UnixMilli() != 1721726157809 {
		t.Errorf("createTime %q: %v", tn.CreateTime, err)
	}
}

func TestScenarioRejectsBadSwitches(t *testing.T) {
	t.Parallel()
	base := `"clusters": [{"id": 1, "name": "c", "type": "PRIMARY"}], "tenants": [{"id": 10, "name": "t", "clusterId": 1, "tenantRole": "PRIMARY"}]`
	for _, bad := range []string{
		`{"shapes": "pretty", ` + base + `}`,
		`{"delayThresholdMillis": -1, ` + base + `}`,
		`{"busyDelayMillis": -1, ` + base + `}`,
		`{"clusters": [{"id": 1, "name": "c", "type": "PRIMARY"}, {"id": 2, "name": "s", "type": "STANDBY", "primaryClusterId": 1, "syncStatus": "GOOD"}],
		  "tenants": []}`,
		`{"clusters": [{"id": 1, "name": "c", "type": "PRIMARY"}], "tenants": [{"id": 10, "name": "t", "clusterId": 1, "tenantRole": "PRIMARY", "mode": "SQLITE"}]}`,
	} {
		path := filepath.Join(t.TempDir(), "bad.json")
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ocpsim.LoadScenario(path); err == nil {
			t.Errorf("accepted: %s", bad)
		}
	}
}
