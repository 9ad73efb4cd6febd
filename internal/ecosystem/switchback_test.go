package ecosystem_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// The examples of the docs pages, together in one configuration, still plan after the switchover they
// apply: the precheck data source reads OCP's precheck in the tenants' current roles, so that after the
// switchover it checks the switch back instead of failing its postcondition on every plan (a precheck of
// a primary that is no longer primary blocks).
func TestExamplesPlanAfterSwitchover(t *testing.T) {
	t.Parallel()
	sim := newSimulator(t)
	files := map[string]string{
		"zz_required_providers.tf": requiredProviders + "provider \"ocp\" {}\n",
	}
	for _, dir := range []string{
		"examples/data-sources/ocp_tenant",
		"examples/data-sources/ocp_switchover_precheck",
		"examples/resources/ocp_tenant_switchover",
	} {
		files[strings.ReplaceAll(filepath.Base(dir), "ocp_", "")+".tf"] = readRepoFile(t, filepath.Join(dir, exampleFile(t, dir)))
	}
	w := newWorkdir(t, "", files)
	w.env = sim.env()

	w.mustRun("apply", "-no-color", "-input=false", "-auto-approve")
	if n := sim.Counters().Switchovers; n != 1 {
		t.Fatalf("applying the examples started %d switchovers, want 1", n)
	}
	if r := sim.role(t, 2000025); r != "PRIMARY" {
		t.Fatalf("after the examples' apply tenant 2000025 is %s, want PRIMARY", r)
	}

	// After the switchover: the precheck is read for 2000025 -> 2000022 and passes, and the switchover has
	// nothing left to do (only the outputs that show the precheck change).
	p := decodePlan(t, w.planJSON())
	if got := p.actionsOf("ocp_tenant_switchover.orders"); got != "no-op" {
		t.Fatalf("plan after the switchover: ocp_tenant_switchover.orders planned %q, want no-op", got)
	}
	if n := sim.Counters().Switchovers; n != 1 {
		t.Fatalf("planning again started a switchover (%d in all)", n)
	}
}

// exampleFile returns the one .tf file of an example directory.
func exampleFile(t *testing.T, dir string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(repoRoot(t), dir, "*.tf"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("%s: want exactly one .tf file, have %v (%v)", dir, matches, err)
	}
	return filepath.Base(matches[0])
}
