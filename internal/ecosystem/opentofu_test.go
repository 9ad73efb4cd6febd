package ecosystem_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The provider under OpenTofu: the binary named by OCP_TEST_TOFU (make test builds the pinned one into
// ./bin and sets it; unset, these tests skip). OpenTofu resolves `source = "ocpdr/ocp"` to
// registry.opentofu.org/ocpdr/ocp; the CLI configurations' dev_overrides and mirrors name it that way
// too (see newWorkdirCLI and examples/demo/demo.sh). OpenTofu has no actions: these tests use the
// resources and data sources.

// The DR drill module, through the same pipeline as TestDRDrillExample (saved plan, policy on
// `tofu show -json`, apply, verify, switch back).
func TestOpenTofuDRDrill(t *testing.T) {
	tofu := acctest.OpenTofu(t)
	t.Parallel()
	runDRDrill(t, tofu)
}

// The failover resource examples, applied as they are written: each fails its standbys over, and a
// second plan has nothing to do.
func TestOpenTofuFailoverExamples(t *testing.T) {
	tofu := acctest.OpenTofu(t)
	t.Parallel()
	sim := newSimulator(t)
	for _, tc := range []struct {
		dir       string
		check     func(t *testing.T)
		operation func(c ocpsim.Counters) int
	}{
		{
			dir: "examples/resources/ocp_tenant_failover",
			check: func(t *testing.T) {
				for _, id := range []int64{2000132, 2000133} {
					if r := sim.role(t, id); r != ocpsim.RolePrimary {
						t.Errorf("tenant %d is %s after apply, want PRIMARY", id, r)
					}
				}
			},
			operation: func(c ocpsim.Counters) int { return c.TenantFailovers },
		},
		{
			dir: "examples/resources/ocp_cluster_failover",
			check: func(t *testing.T) {
				if cl, _ := sim.Cluster(3000012); cl.Type != ocpsim.ClusterPrimary {
					t.Errorf("cluster 3000012 is %s after apply, want PRIMARY", cl.Type)
				}
			},
			operation: func(c ocpsim.Counters) int { return c.ClusterFailovers },
		},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			w := newWorkdirCLI(t, tofu, tc.dir, map[string]string{
				"zz_required_providers.tf": requiredProviders,
				"zz_provider.tf":           "provider \"ocp\" {}\n",
			})
			w.env = sim.env()
			before := tc.operation(sim.Counters())
			w.mustRun("apply", "-no-color", "-input=false", "-auto-approve")
			if got := tc.operation(sim.Counters()) - before; got == 0 {
				t.Fatalf("tofu apply of %s started no failover", tc.dir)
			}
			tc.check(t)
			after := tc.operation(sim.Counters())
			if r := w.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); r.exitCode != 0 {
				t.Fatalf("tofu plan after apply: exit code %d, want 0 (no changes):\n%s", r.exitCode, r.output())
			}
			if got := tc.operation(sim.Counters()); got != after {
				t.Fatalf("planning again started %d failovers", got-after)
			}
			t.Logf("%s", w.mustRun("output", "-no-color").stdout)
		})
	}
	sim.checkUserAgents(t)
}

// The import-by-identity example of ocp_tenant_switchover: OpenTofu imports the pair by its identity, the
// plan is the import and nothing else, and the plan after it is empty. (OpenTofu has no list resources;
// the example's .tfquery.hcl file is not OpenTofu's and is ignored.)
func TestOpenTofuImportByIdentity(t *testing.T) {
	tofu := acctest.OpenTofu(t)
	t.Parallel()
	sim := newSimulator(t)
	w := newWorkdirCLI(t, tofu, "examples/list-resources/ocp_tenant_switchover", map[string]string{
		"zz_required_providers.tf": requiredProviders,
		"zz_provider.tf":           "provider \"ocp\" {}\n",
	})
	w.env = sim.env()
	if plan := w.mustRun("plan", "-no-color", "-input=false").output(); !strings.Contains(plan, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("tofu plan of the import-by-identity example:\n%s", plan)
	}
	w.mustRun("apply", "-no-color", "-input=false", "-auto-approve")
	if r := w.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); r.exitCode != 0 {
		t.Fatalf("tofu plan after the import: exit code %d, want 0 (no changes):\n%s", r.exitCode, r.output())
	}
	if state := w.mustRun("show", "-json").stdout; !strings.Contains(state, `"first_tenant_id":2000101`) {
		t.Errorf("the state has no identity:\n%s", state)
	}
	if c := sim.Counters(); c.Switchovers != 0 {
		t.Errorf("importing started %d switchovers", c.Switchovers)
	}
	sim.checkUserAgents(t)
}

// `make demo` (examples/demo/demo.sh) with TF_CLI naming tofu: it builds the provider and the simulator,
// runs tofu init through its filesystem mirror, and switches the ohayo pair over and back.
func TestOpenTofuDemo(t *testing.T) {
	tofu := acctest.OpenTofu(t)
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the demo builds the provider with go, and no go binary is on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(repoRoot(t), "examples", "demo", "demo.sh"))
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(),
		"TF_CLI="+tofu,
		"OCPSIM_STEP=20ms", // the demo's 800ms steps show progress to a person; the test needs no pauses
		"TMPDIR="+t.TempDir(),
		"PATH="+filepath.Dir(goBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
	)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("TF_CLI=%s examples/demo/demo.sh: %v\n%s", tofu, err, out)
	}
	// The demo's filter found the task's progress in tofu's log, as it does in terraform's.
	if !regexp.MustCompile(`(?m)^   task [0-9]+ \[[0-9]+/[0-9]+\] "[^"]+" SUCCESSFUL`).Match(out) {
		t.Errorf("the demo printed no subtask progress under tofu:\n%s", out)
	}
	for _, want := range []string{
		"==> tofu init",
		"Installed ocpdr/ocp", // tofu init found the provider in the demo's mirror, under registry.opentofu.org
		"==> tofu apply: switchover",
		"No changes",
		"Done: the drill switched the ohayo pair over and back",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the demo's output lacks %q:\n%s", want, out)
		}
	}
}
