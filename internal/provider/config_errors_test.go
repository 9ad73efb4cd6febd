package provider_test

import (
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// Errors that come from the configuration say so, and point at the attribute to change: Terraform shows
// that attribute's line. These tests read the diagnostics as Terraform receives them (protocol server).

var ordersS = [2]int64{3000014, 2000102} // STANDBY of orders_p, not of ohayo_1

func switchoverValues(primary, standby [2]int64) map[string]any {
	return map[string]any{
		"primary": map[string]any{"cluster_id": primary[0], "tenant_id": primary[1]},
		"standby": map[string]any{"cluster_id": standby[0], "tenant_id": standby[1]},
	}
}

// onlyError returns the one error diagnostic, failing the test otherwise.
func onlyError(t *testing.T, ds acctest.Diagnostics) *tfprotov6.Diagnostic {
	t.Helper()
	if errs := ds.Errors(); len(errs) != 1 {
		t.Fatalf("want one error, got:\n%s", ds)
	}
	return ds.Errors()[0]
}

func attrPath(names ...string) *tftypes.AttributePath {
	p := tftypes.NewAttributePath()
	for _, n := range names {
		p = p.WithAttributeName(n)
	}
	return p
}

// Two tenants that are not a pair: the error says to fix the configuration (not OCP) and points at the
// setting that names the current standby: standby.tenant_id, or primary.tenant_id when the
// configuration asks for a switchover.
func TestTenantSwitchover_notAPairIsAConfigurationError(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	for _, tc := range []struct {
		name             string
		primary, standby [2]int64
		at               *tftypes.AttributePath
	}{
		{"roles as declared", ohayo1, ordersS, attrPath("standby", "tenant_id")},
		{"a switchover asked for", ordersS, ohayo1, attrPath("primary", "tenant_id")},
	} {
		d := onlyError(t, p.PlanResourceCreate("ocp_tenant_switchover", switchoverValues(tc.primary, tc.standby)))
		if d.Summary != "The two tenants are not a primary/standby pair" || !strings.Contains(d.Detail, "The configuration names two tenants") ||
			!strings.Contains(d.Detail, "set primary and standby to the two tenants of one pair") || strings.Contains(d.Detail, "Fix the cause in OCP") {
			t.Errorf("%s: %s: %s", tc.name, d.Summary, d.Detail)
		}
		if !d.Attribute.Equal(tc.at) {
			t.Errorf("%s: the error points at %v, want %v", tc.name, d.Attribute, tc.at)
		}
		// The action says the same, at the same attribute.
		if a := onlyError(t, p.PlanAction("ocp_tenant_switchover", switchoverValues(tc.primary, tc.standby))); a.Summary != d.Summary || !a.Attribute.Equal(tc.at) {
			t.Errorf("%s: action: %s at %v", tc.name, a.Summary, a.Attribute)
		}
	}
	if c := f.Sim.Counters(); c.Switchovers != 0 {
		t.Fatalf("planning started %d switchovers", c.Switchovers)
	}
}

// Through terraform: an error on a top-level attribute is shown with that attribute's line. (Terraform
// 1.11 shows an error on a nested attribute, standby.tenant_id or tenants[...].tenant_id, at the resource
// block's first line: the path is in the diagnostic, as the tests above check, but Terraform does not
// resolve it into a nested attribute's line.)
func TestAccClusterFailover_configurationErrorShowsTheLine(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "ocp_cluster_failover" "c" {
  cluster_id = 4242
}
`),
			PlanOnly:    true,
			ExpectError: wrapped(`Error reading cluster .* cluster_id = 4242 .*HTTP 404.*This comes from the configuration`),
		}},
	})
}

// A tenant of a failover that is not a standby of the cluster: the error points at that tenant's
// element, tenants[Value({...})].tenant_id in the resource's set and tenants[i].tenant_id in the
// action's list, and says to correct the configuration.
func TestTenantFailover_configurationErrorsPointAtTheTenant(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	cfg := map[string]any{"cluster_id": 3000014, "tenants": failoverTenantItems(2000132, 2000022)}

	check := func(what string, d *tfprotov6.Diagnostic) {
		t.Helper()
		if d.Summary != "Tenant is not a standby of the cluster" || !strings.Contains(d.Detail, "Tenant 2000022 is not a tenant of cluster 3000014") ||
			!strings.Contains(d.Detail, "correct the setting this points at") {
			t.Errorf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}

	d := onlyError(t, p.PlanResourceCreate("ocp_tenant_failover", cfg))
	check("resource", d)
	steps := d.Attribute.Steps()
	if len(steps) != 3 || steps[0] != tftypes.AttributeName("tenants") || steps[2] != tftypes.AttributeName("tenant_id") {
		t.Fatalf("resource: the error points at %v, want tenants[Value(...)].tenant_id", d.Attribute)
	}
	elem, ok := steps[1].(tftypes.ElementKeyValue)
	if !ok {
		t.Fatalf("resource: step %v of %v is not a set element", steps[1], d.Attribute)
	}
	var attrs map[string]tftypes.Value
	var id big.Float
	if err := tftypes.Value(elem).As(&attrs); err != nil || attrs["tenant_id"].As(&id) != nil || id.Cmp(big.NewFloat(2000022)) != 0 {
		t.Fatalf("resource: the element %v is not tenant 2000022 (%v)", elem, err)
	}

	a := onlyError(t, p.PlanAction("ocp_tenant_failover", cfg))
	check("action", a)
	if want := tftypes.NewAttributePath().WithAttributeName("tenants").WithElementKeyInt(1).WithAttributeName("tenant_id"); !a.Attribute.Equal(want) {
		t.Errorf("action: the error points at %v, want %v", a.Attribute, want)
	}
	assertFailoverOps(t, f.Sim, 0, 0, 0)
}

// A cluster failover of a cluster OCP does not know: OCP's 404, and that the configuration is where to
// fix it, at cluster_id.
func TestClusterFailover_unknownClusterIsAConfigurationError(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	d := onlyError(t, p.PlanResourceCreate("ocp_cluster_failover", map[string]any{"cluster_id": 4242}))
	if !strings.Contains(d.Detail, "HTTP 404") || !strings.Contains(d.Detail, "This comes from the configuration") ||
		!d.Attribute.Equal(attrPath("cluster_id")) {
		t.Fatalf("%s at %v: %s", d.Summary, d.Attribute, d.Detail)
	}
}

// The switchover's read error names both tenants by their ids, without the roles asked for (which may
// not be the ones OCP reports), and stays on the resource: it is not known which setting is wrong.
func TestTenantSwitchover_readErrorNamesTheTenantsWithoutRoles(t *testing.T) {
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	p := f.ProtocolServer(t)
	d := onlyError(t, p.PlanResourceCreate("ocp_tenant_switchover", switchoverValues([2]int64{3000013, 2000101}, [2]int64{3000014, 424242})))
	first, _, _ := strings.Cut(d.Detail, "\n")
	if d.Summary != "Error reading the tenants of the switchover" || first != "Tenant 2000101 of cluster 3000013 and tenant 424242 of cluster 3000014." ||
		!regexp.MustCompile(`HTTP 404`).MatchString(d.Detail) || d.Attribute != nil {
		t.Fatalf("%s at %v: %s", d.Summary, d.Attribute, d.Detail)
	}
}
