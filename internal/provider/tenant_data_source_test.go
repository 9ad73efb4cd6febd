package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func TestAccTenantDataSource(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
data "ocp_tenant" "primary" {
  cluster_id = 3000009
  tenant_id  = 2000022
}
data "ocp_tenant" "standby" {
  cluster_id = 3000010
  tenant_id  = 2000025
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("id"), knownvalue.StringExact("3000009/2000022")),
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("name"), knownvalue.StringExact("ohayo_1")),
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("cluster_name"), knownvalue.StringExact("OB42_B")),
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("tenant_role"), knownvalue.StringExact("PRIMARY")),
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
				statecheck.ExpectKnownValue("data.ocp_tenant.primary", tfjsonpath.New("primary_tenant_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("name"), knownvalue.StringExact("ohayo_2")),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("cluster_name"), knownvalue.StringExact("OB424_A")),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("tenant_role"), knownvalue.StringExact("STANDBY")),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("primary_tenant_id"), knownvalue.Int64Exact(2000022)),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("sync_status"), knownvalue.StringExact("NORMAL")),
				statecheck.ExpectKnownValue("data.ocp_tenant.standby", tfjsonpath.New("log_sync_delay_millis"), knownvalue.NotNull()),
			},
		}},
	})
	if n := f.Sim.Counters().Switchovers + f.Sim.Counters().TenantFailovers + f.Sim.Counters().ClusterFailovers; n != 0 {
		t.Fatalf("reading tenants started %d operations", n)
	}
}

// Bad input gets a clear error and changes nothing.
func TestAccTenantDataSource_errors(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})

	cases := []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"zero id", f.Config(`
data "ocp_tenant" "t" {
  cluster_id = 3000009
  tenant_id  = 0
}`), regexp.MustCompile(`tenant_id.*(at least 1|must be at least)`)},
		{"unknown tenant", f.Config(`
data "ocp_tenant" "t" {
  cluster_id = 3000009
  tenant_id  = 424242
}`), regexp.MustCompile(`(?is)Error reading tenant.*tenant 424242 of cluster 3000009.*HTTP 404.*trace id`)},
		{"wrong password", `
provider "ocp" {
  url      = "` + f.URL + `"
  username = "admin"
  password = "wrong"
}
data "ocp_tenant" "t" {
  cluster_id = 3000009
  tenant_id  = 2000022
}`, regexp.MustCompile(`(?s)HTTP 401.*Check the provider's credentials`)},
		{"unreachable url", `
provider "ocp" {
  url      = "http://127.0.0.1:1"
  username = "admin"
  password = "x"
  max_retries = 0
}
data "ocp_tenant" "t" {
  cluster_id = 3000009
  tenant_id  = 2000022
}`, regexp.MustCompile(`(?s)Could not reach OCP.*127\.0\.0\.1:1`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: tc.want}},
			})
		})
	}
}
