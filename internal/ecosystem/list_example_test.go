package ecosystem_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
)

// The list resource example runs as the docs say (Terraform >= 1.14): terraform query lists the default
// world's seven pairs and the one the name filter keeps; the import-by-identity example next to it plans one
// import and nothing else, imports the pair, and leaves an empty plan. Nothing is switched over.
func TestExamplesListResourceQuery(t *testing.T) {
	acctest.RequireTerraform(t, acctest.TerraformQuery)
	t.Parallel()
	sim := newSimulator(t)
	w := newWorkdir(t, "examples/list-resources/ocp_tenant_switchover", map[string]string{
		"zz_required_providers.tf": requiredProviders + "provider \"ocp\" {}\n",
	})
	w.env = sim.env()

	out := w.mustRun("query", "-no-color").output()
	count := func(list string) int {
		return len(regexp.MustCompile(`(?m)^list\.ocp_tenant_switchover\.`+list+`\s+first_cluster_id=`).FindAllString(out, -1))
	}
	if all, orders := count("all"), count("orders"); all != 7 || orders != 1 {
		t.Fatalf("terraform query listed %d pairs in list.all (want 7) and %d in list.orders (want 1):\n%s", all, orders, out)
	}
	if !strings.Contains(out, "primary orders_p (tenant 2000101 of cluster 3000013), standby orders_s (tenant 2000102 of cluster 3000014)") {
		t.Errorf("query output lacks the orders pair's display name:\n%s", out)
	}

	plan := w.mustRun("plan", "-no-color").output()
	if !strings.Contains(plan, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan of the import-by-identity example:\n%s", plan)
	}
	w.mustRun("apply", "-no-color", "-auto-approve")
	if r := w.run("plan", "-no-color", "-detailed-exitcode"); r.exitCode != 0 || !strings.Contains(r.output(), "No changes.") {
		t.Fatalf("plan after the import (exit %d):\n%s", r.exitCode, r.output())
	}
	if c := sim.Counters(); c.Switchovers != 0 {
		t.Errorf("the examples started %d switchovers", c.Switchovers)
	}
	sim.checkUserAgents(t)
}
