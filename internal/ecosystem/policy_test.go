package ecosystem_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lookOPA finds the opa binary the policy tests run: OCP_TEST_OPA (make test passes the one `make tools`
// installed into ./bin), else opa on PATH.
func lookOPA() (string, error) {
	if p := os.Getenv("OCP_TEST_OPA"); p != "" {
		return p, nil
	}
	return exec.LookPath("opa")
}

// opaPath returns lookOPA's binary, or skips the test and says how to get one.
func opaPath(t *testing.T) string {
	t.Helper()
	p, err := lookOPA()
	if err != nil {
		t.Skip("no opa binary: run `make tools` (it installs the pinned opa into ./bin from the Go module proxy) " +
			"and `make test`, or set OCP_TEST_OPA")
	}
	return p
}

// deny evaluates examples/policy against a plan JSON with opa and returns the deny messages.
func deny(t *testing.T, planJSON []byte) []string {
	t.Helper()
	opa := opaPath(t)
	input := filepath.Join(t.TempDir(), "plan.json")
	writeFile(t, input, string(planJSON))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, opa, "eval", "--format", "json",
		"--data", filepath.Join(repoRoot(t), "examples", "policy", "switchover.rego"),
		"--input", input, "data.terraform.ocp.deny")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			stderr = string(exit.Stderr)
		}
		t.Fatalf("opa eval: %v\n%s%s", err, out, stderr)
	}
	var res struct {
		Result []struct {
			Expressions []struct {
				Value []string `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decoding opa's answer: %v\n%s", err, out)
	}
	if len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
		t.Fatalf("opa answered no value for data.terraform.ocp.deny (is the package name right?):\n%s", out)
	}
	msgs := res.Result[0].Expressions[0].Value

	// The command the guides give a pipeline agrees: it fails exactly when the policy denies.
	gate := exec.CommandContext(ctx, opa, "eval", "--fail-defined", "--format", "raw",
		"-d", filepath.Join(repoRoot(t), "examples", "policy", "switchover.rego"),
		"-i", input, "data.terraform.ocp.deny[_]")
	gateOut, gateErr := gate.CombinedOutput()
	if (gateErr != nil) != (len(msgs) > 0) {
		t.Fatalf("opa eval --fail-defined: err=%v with %d deny messages:\n%s", gateErr, len(msgs), gateOut)
	}
	return msgs
}

// The policy's own unit tests (examples/policy/switchover_test.rego) pass, and the policy is strict-clean.
func TestPolicyRegoUnitTests(t *testing.T) {
	t.Parallel()
	opa := opaPath(t)
	dir := filepath.Join(repoRoot(t), "examples", "policy")
	for _, args := range [][]string{{"check", "--strict", dir}, {"test", dir}} {
		out, err := exec.CommandContext(t.Context(), opa, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("opa %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// Tenants of the simulator's default world.
const (
	ordersPrimary = `{ cluster_id = 3000013, tenant_id = 2000101 }` // orders_p, PRIMARY
	ordersStandby = `{ cluster_id = 3000014, tenant_id = 2000102 }` // orders_s, STANDBY, in sync
	lagPrimary    = `{ cluster_id = 3000013, tenant_id = 2000111 }` // lag_p, PRIMARY
	lagStandby    = `{ cluster_id = 3000014, tenant_id = 2000112 }` // lag_s, STANDBY, log delay far above 10 s: precheck blocks
)

func switchoverConfig(primary, standby string) string {
	return `
resource "ocp_tenant_switchover" "drill" {
  primary = ` + primary + `
  standby = ` + standby + `
}
`
}

func precheckConfig(currentPrimary, currentStandby string) string {
	return `
locals {
  precheck_primary = ` + currentPrimary + `
  precheck_standby = ` + currentStandby + `
}
data "ocp_switchover_precheck" "pair" {
  cluster_id        = local.precheck_primary.cluster_id
  tenant_id         = local.precheck_primary.tenant_id
  standby_tenant_id = local.precheck_standby.tenant_id
}
`
}

// planned_action values of the default world's pairs, as the provider plans them.
const (
	plannedNone          = "none: roles already hold"
	plannedOrdersToStand = "switchover orders_p (2000101) -> orders_s (2000102)"
)

// The Rego policy on real plans (terraform plan -out, terraform show -json) made against the simulator.
func TestPolicyOnRealPlans(t *testing.T) {
	t.Parallel()
	terraformPath(t) // first: a run that skips the tests running terraform skips this one whole
	opaPath(t)
	sim := newSimulator(t)

	cases := []struct {
		name string
		// applied is a configuration applied first (it must switch nothing): the plan is then an update.
		applied string
		config  string
		// planned is the plan's planned_action for ocp_tenant_switchover.drill.
		planned string
		// want is a substring of the one deny message expected; "" means the plan is allowed.
		want string
	}{
		{
			// The drill: switch orders over to its standby, with the precheck of that switchover read.
			name:    "precheck read and passing",
			config:  switchoverConfig(ordersStandby, ordersPrimary) + precheckConfig(ordersPrimary, ordersStandby),
			planned: plannedOrdersToStand,
		},
		{
			// The provider plans this switchover (its own plan-time precheck passes), but the plan carries
			// no precheck a reviewer or a policy can see.
			name:    "precheck not read",
			config:  switchoverConfig(ordersStandby, ordersPrimary),
			planned: plannedOrdersToStand,
			want: `planned_action "` + plannedOrdersToStand + `" starts a switchover, but the plan did not read an ` +
				`ocp_switchover_precheck data source for tenants [2000101, 2000102]`,
		},
		{
			// A precheck is read, but of another pair: it says nothing about this switchover.
			name:    "precheck of another pair",
			config:  switchoverConfig(ordersStandby, ordersPrimary) + precheckConfig(lagPrimary, lagStandby),
			planned: plannedOrdersToStand,
			want:    "did not read an ocp_switchover_precheck data source for tenants [2000101, 2000102]",
		},
		{
			// The drill as an update of a resource created in the current roles.
			name:    "update that switches over, precheck read",
			applied: switchoverConfig(ordersPrimary, ordersStandby),
			config:  switchoverConfig(ordersStandby, ordersPrimary) + precheckConfig(ordersPrimary, ordersStandby),
			planned: plannedOrdersToStand,
		},
		{
			name:    "update that switches over, precheck not read",
			applied: switchoverConfig(ordersPrimary, ordersStandby),
			config:  switchoverConfig(ordersStandby, ordersPrimary),
			planned: plannedOrdersToStand,
			want:    `planned_action "` + plannedOrdersToStand + `" starts a switchover, but the plan did not read`,
		},
		{
			// The lagging pair in its current roles: creating the resource starts nothing, so the precheck
			// (of the switch back, which blocks with OBE26009) does not matter.
			name:    "no switchover, blocking precheck",
			config:  switchoverConfig(lagPrimary, lagStandby) + precheckConfig(lagPrimary, lagStandby),
			planned: plannedNone,
		},
		{
			name:    "no switchover, no precheck",
			config:  switchoverConfig(lagPrimary, lagStandby),
			planned: plannedNone,
		},
		{
			// The tenant ids come from something applied in the same run, so neither the provider's
			// plan-time precheck nor the data source can run, and planned_action is unknown: the plan
			// succeeds and would switch the lagging pair, with nothing checked before apply. The policy
			// closes that gap.
			name: "tenants unknown at plan time",
			config: `
resource "terraform_data" "pair" {
  input = { primary = ` + lagStandby + `, standby = ` + lagPrimary + ` }
}
` + switchoverConfig(`terraform_data.pair.output.primary`, `terraform_data.pair.output.standby`) +
				precheckConfig(`terraform_data.pair.output.standby`, `terraform_data.pair.output.primary`),
			planned: "(known after apply)",
			want:    "planned_action (known after apply): the tenants of the switchover are not known at plan time",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorkdir(t, "", map[string]string{"main.tf": requiredProviders + "provider \"ocp\" {}\n" + tc.applied})
			w.env = sim.env()
			if tc.applied != "" {
				w.mustRun("apply", "-no-color", "-input=false", "-auto-approve")
				writeFile(t, filepath.Join(w.dir, "main.tf"), requiredProviders+"provider \"ocp\" {}\n"+tc.config)
			} else {
				writeFile(t, filepath.Join(w.dir, "main.tf"), requiredProviders+"provider \"ocp\" {}\n"+tc.config)
			}
			plan := w.planJSON()
			if got := decodePlan(t, plan).plannedActionOf("ocp_tenant_switchover.drill"); got != tc.planned {
				t.Fatalf("planned_action %q, want %q", got, tc.planned)
			}
			got := deny(t, plan)
			switch {
			case tc.want == "" && len(got) > 0:
				t.Fatalf("the policy denied a plan it should allow:\n%s", strings.Join(got, "\n"))
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
				t.Fatalf("deny = %q, want one message containing %q", got, tc.want)
			}
			t.Logf("deny: %q", got)
		})
	}
	t.Cleanup(func() {
		if n := sim.Counters().Switchovers; n != 0 {
			t.Errorf("planning started %d switchovers", n)
		}
		sim.checkUserAgents(t)
	})
}

// blockFirstPrecheck makes OCP's first switchover precheck of the orders pair block (orders_s 20 s behind,
// OBE26009) and the ones after it pass: what a plan sees when the standby catches up between the data
// source's precheck and the provider's own. It is how a real plan can show a planned switchover next to
// a precheck that blocks it, which the policies must deny.
func blockFirstPrecheck(s *simulator) {
	var once sync.Once
	s.beforeRequest(func(r *http.Request) func() {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/tenants/2000101/switchoverPreCheck") {
			return nil
		}
		var after func()
		once.Do(func() {
			s.SetStandbySync(2000102, 20_000, "NORMAL")
			after = func() { s.SetStandbySync(2000102, 120, "NORMAL") }
		})
		return after
	})
}

// A planned switchover whose precheck (read by the same plan) blocks is denied.
func TestPolicyOnRealPlans_blockingPrecheckOfAPlannedSwitchover(t *testing.T) {
	t.Parallel()
	opaPath(t)
	sim := newSimulator(t)
	blockFirstPrecheck(sim)
	// depends_on: the data source is read (and its precheck asked) before the resource is planned.
	config := precheckConfig(ordersPrimary, ordersStandby) + strings.Replace(switchoverConfig(ordersStandby, ordersPrimary),
		"\n}\n", "\n  depends_on = [data.ocp_switchover_precheck.pair]\n}\n", 1)
	w := newWorkdir(t, "", map[string]string{"main.tf": requiredProviders + "provider \"ocp\" {}\n" + config})
	w.env = sim.env()
	plan := w.planJSON()
	if got := decodePlan(t, plan).plannedActionOf("ocp_tenant_switchover.drill"); got != plannedOrdersToStand {
		t.Fatalf("planned_action %q, want %q", got, plannedOrdersToStand)
	}
	want := `planned_action "` + plannedOrdersToStand + `" starts a switchover, but OCP's switchover precheck ` +
		`(data.ocp_switchover_precheck.pair) blocks the switchover of tenants [2000101, 2000102]: OBE26009`
	if got := deny(t, plan); len(got) != 1 || !strings.Contains(got[0], want) {
		t.Fatalf("deny = %q, want one message containing %q", got, want)
	}
	if n := sim.Counters().Switchovers; n != 0 {
		t.Errorf("planning started %d switchovers", n)
	}
}

// The Terraform-native twin of the policy (examples/policy/native) keys on planned_action too: it passes
// a switchover whose precheck passes and a plan that switches nothing whatever the precheck says, and
// fails the plan of a switchover whose precheck blocks, with its own message.
func TestPolicyNativeConditions(t *testing.T) {
	t.Parallel()
	terraformPath(t)
	sim := newSimulator(t)
	vars := func(primary, standby string) []string {
		return []string{"-var", "primary=" + primary, "-var", "standby=" + standby}
	}

	t.Run("switchover, passing precheck", func(t *testing.T) {
		t.Parallel()
		w := newWorkdir(t, "examples/policy/native", nil)
		w.env = sim.env()
		p := decodePlan(t, w.planJSON(vars(ordersStandby, ordersPrimary)...))
		if got := p.actionsOf("ocp_tenant_switchover.this"); got != "create" {
			t.Fatalf("ocp_tenant_switchover.this planned %q, want create", got)
		}
		if got := p.plannedActionOf("ocp_tenant_switchover.this"); got != plannedOrdersToStand {
			t.Fatalf("planned_action %q, want %q", got, plannedOrdersToStand)
		}
	})
	t.Run("no switchover, blocking precheck of the switch back", func(t *testing.T) {
		t.Parallel()
		w := newWorkdir(t, "examples/policy/native", nil)
		w.env = sim.env()
		p := decodePlan(t, w.planJSON(vars(lagPrimary, lagStandby)...))
		if got := p.plannedActionOf("ocp_tenant_switchover.this"); got != plannedNone {
			t.Fatalf("planned_action %q, want %q", got, plannedNone)
		}
	})
	t.Cleanup(func() {
		if n := sim.Counters().Switchovers; n != 0 {
			t.Errorf("planning started %d switchovers", n)
		}
	})

	t.Run("switchover, blocking precheck", func(t *testing.T) {
		t.Parallel()
		own := newSimulator(t)
		blockFirstPrecheck(own)
		w := newWorkdir(t, "examples/policy/native", nil)
		w.env = own.env()
		r := w.run(append([]string{"plan", "-no-color", "-input=false"}, vars(ordersStandby, ordersPrimary)...)...)
		if r.err == nil || !strings.Contains(flat(r.output()), "The plan starts a switchover ("+plannedOrdersToStand+") that OCP's switchover precheck blocks: OBE26009") {
			t.Fatalf("plan of a switchover whose precheck blocks: want the postcondition to fail it, got:\n%s", r.output())
		}
		if n := own.Counters().Switchovers; n != 0 {
			t.Errorf("planning started %d switchovers", n)
		}
	})
}

// flat joins the lines Terraform wrapped, for substring checks.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
