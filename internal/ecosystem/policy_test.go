package ecosystem_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// The Rego policy on real plans (terraform plan -out, terraform show -json) made against the simulator.
func TestPolicyOnRealPlans(t *testing.T) {
	t.Parallel()
	terraformPath(t) // first: a run that skips the tests running terraform skips this one whole
	opaPath(t)
	sim := newSimulator(t)

	cases := []struct {
		name   string
		config string
		// want is a substring of the one deny message expected; "" means the plan is allowed.
		want string
	}{
		{
			// The drill: switch orders over to its standby, with the precheck of that switchover read.
			name:   "precheck read and passing",
			config: switchoverConfig(ordersStandby, ordersPrimary) + precheckConfig(ordersPrimary, ordersStandby),
		},
		{
			// The provider plans this switchover (its own plan-time precheck passes), but the plan carries
			// no precheck a reviewer or a policy can see.
			name:   "precheck not read",
			config: switchoverConfig(ordersStandby, ordersPrimary),
			want:   "did not read an ocp_switchover_precheck data source for tenants [2000101, 2000102]",
		},
		{
			// A precheck is read, but of another pair: it says nothing about this switchover.
			name:   "precheck of another pair",
			config: switchoverConfig(ordersStandby, ordersPrimary) + precheckConfig(lagPrimary, lagStandby),
			want:   "did not read an ocp_switchover_precheck data source for tenants [2000101, 2000102]",
		},
		{
			// A switchover resource of the lagging pair that the provider accepts at plan time because its
			// roles already hold (creating it starts no task), with the pair's precheck read: it blocks.
			// The policy is deliberately conservative: a plan that creates or updates a switchover of a
			// pair whose precheck blocks is denied, whatever the provider would do at apply.
			name:   "blocking precheck",
			config: switchoverConfig(lagPrimary, lagStandby) + precheckConfig(lagPrimary, lagStandby),
			want:   "blocks the switchover of tenants [2000111, 2000112]: OBE26009",
		},
		{
			// The tenant ids come from something applied in the same run, so neither the provider's
			// plan-time precheck nor the data source can run: the plan succeeds and would switch the
			// lagging pair, with nothing checked before apply. The policy closes that gap.
			name: "tenants unknown at plan time",
			config: `
resource "terraform_data" "pair" {
  input = { primary = ` + lagStandby + `, standby = ` + lagPrimary + ` }
}
` + switchoverConfig(`terraform_data.pair.output.primary`, `terraform_data.pair.output.standby`) +
				precheckConfig(`terraform_data.pair.output.standby`, `terraform_data.pair.output.primary`),
			want: "not known at plan time",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorkdir(t, "", map[string]string{"main.tf": requiredProviders + "provider \"ocp\" {}\n" + tc.config})
			w.env = sim.env()
			plan := w.planJSON()
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

// The Terraform-native twin of the policy (examples/policy/native) passes the good pair and fails the plan
// of the lagging one with its own message.
func TestPolicyNativeConditions(t *testing.T) {
	t.Parallel()
	terraformPath(t)
	sim := newSimulator(t)
	vars := func(primary, standby string) []string {
		return []string{"-var", "primary=" + primary, "-var", "standby=" + standby}
	}

	t.Run("passing precheck", func(t *testing.T) {
		t.Parallel()
		w := newWorkdir(t, "examples/policy/native", nil)
		w.env = sim.env()
		p := decodePlan(t, w.planJSON(vars(ordersStandby, ordersPrimary)...))
		if got := p.actionsOf("ocp_tenant_switchover.this"); got != "create" {
			t.Fatalf("ocp_tenant_switchover.this planned %q, want create", got)
		}
	})
	t.Run("blocking precheck", func(t *testing.T) {
		t.Parallel()
		w := newWorkdir(t, "examples/policy/native", nil)
		w.env = sim.env()
		r := w.run(append([]string{"plan", "-no-color", "-input=false"}, vars(lagPrimary, lagStandby)...)...)
		if r.err == nil || !strings.Contains(r.output(), "OCP's switchover precheck blocks the switchover of tenants") ||
			!strings.Contains(r.output(), "OBE26009") {
			t.Fatalf("plan of the lagging pair: want the precheck postcondition to fail it, got:\n%s", r.output())
		}
	})
	t.Cleanup(func() {
		if n := sim.Counters().Switchovers; n != 0 {
			t.Errorf("planning started %d switchovers", n)
		}
	})
}
