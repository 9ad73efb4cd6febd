package ocpsim_test

import (
	"os"
	"path/filepath"
	"testing"

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
