package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The precheck page's example pair (ohayo_1 on OB42_B → ohayo_2 on OB424_A): the OBProxy warning
// OBE26107, which does not block; and the lagging pair, blocked by OBE26009 (valid = false, still data).
func TestAccSwitchoverPrecheckDataSource(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	const ohayo, lag = "data.ocp_switchover_precheck.ohayo", "data.ocp_switchover_precheck.lag"
	obe26107 := "OBE26107: Automatic routing cannot be implemented after the switchover because the clusters of the primary and standby tenants are not associated with the same OBProxy cluster."
	obe26009 := "OBE26009: This operation is not allowed because the log synchronization latency of the lag_s tenant is 14,883,430 ms, which exceeds 10,000 ms."

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
data "ocp_switchover_precheck" "ohayo" {
  cluster_id        = 3000009
  tenant_id         = 2000022
  standby_tenant_id = 2000025
}
data "ocp_switchover_precheck" "lag" {
  cluster_id        = 3000013
  tenant_id         = 2000111
  standby_tenant_id = 2000112
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("id"), knownvalue.StringExact("3000009/2000022:2000025")),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("valid"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("name"), knownvalue.StringExact("ohayo_1")),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("cluster_name"), knownvalue.StringExact("OB42_B")),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("standby_check_results"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"valid":                       knownvalue.Bool(true),
						"tenant_id":                   knownvalue.Int64Exact(2000025),
						"name":                        knownvalue.StringExact("ohayo_2"),
						"cluster_id":                  knownvalue.Int64Exact(3000010),
						"cluster_name":                knownvalue.StringExact("OB424_A"),
						"sync_scn":                    knownvalue.Int64Func(positive),
						"primary_tenant_service_name": knownvalue.StringExact("ohayo_svc"),
						"check_results": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"warning":       knownvalue.Bool(true),
							"error_code":    knownvalue.StringExact("OBE26107"),
							"error_message": knownvalue.StringRegexp(regexp.MustCompile(`^Automatic routing cannot be implemented`)),
						})}),
					}),
				})),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("errors"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(ohayo, tfjsonpath.New("warnings"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(obe26107)})),

				statecheck.ExpectKnownValue(lag, tfjsonpath.New("valid"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("name"), knownvalue.StringExact("lag_p")),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("cluster_name"), knownvalue.StringExact("OB_EAST")),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("standby_check_results").AtSliceIndex(0).AtMapKey("valid"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("standby_check_results").AtSliceIndex(0).AtMapKey("check_results").AtSliceIndex(0),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"warning":       knownvalue.Bool(false),
						"error_code":    knownvalue.StringExact("OBE26009"),
						"error_message": knownvalue.StringRegexp(regexp.MustCompile(`14,883,430 ms, which exceeds 10,000 ms`)),
					})),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("errors"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(obe26009)})),
				statecheck.ExpectKnownValue(lag, tfjsonpath.New("warnings"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
	c := f.Sim.Counters()
	if c.Switchovers+c.TenantFailovers+c.ClusterFailovers != 0 || c.Requests[ocpsim.RouteSwitchover] != 0 {
		t.Fatalf("the precheck data source started operations: %+v", c)
	}
	if c.Prechecks == 0 {
		t.Fatal("no precheck reached the simulator")
	}
}

func positive(v int64) error {
	if v <= 0 {
		return fmt.Errorf("want a positive value, got %d", v)
	}
	return nil
}
