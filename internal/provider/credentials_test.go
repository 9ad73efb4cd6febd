package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// objectsConfig is a configuration with several objects that read OCP at plan time: three data sources,
// a switchover and a tenant failover.
const objectsConfig = `
data "ocp_tenant" "a" {
  cluster_id = 3000009
  tenant_id  = 2000022
}
data "ocp_tenant" "b" {
  cluster_id = 3000010
  tenant_id  = 2000025
}
data "ocp_switchover_precheck" "orders" {
  cluster_id        = 3000013
  tenant_id         = 2000101
  standby_tenant_id = 2000102
}
resource "ocp_tenant_switchover" "t" {
  primary = { cluster_id = 3000013, tenant_id = 2000101 }
  standby = { cluster_id = 3000014, tenant_id = 2000102 }
}
resource "ocp_tenant_failover" "f" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
}
`

func providerWith(url, credentials string) string {
	return fmt.Sprintf("provider \"ocp\" {\n  url = %q\n%s}\n", url, credentials)
}

// Credentials OCP refuses are reported once per run, by the provider's configuration, however many
// objects read OCP; nothing else is asked of OCP. The AccessKey error adds the clock hint.
func TestCredentialsRefusedOncePerRun(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	for _, tc := range []struct {
		name, credentials, sources string
		clockHint                  bool
	}{
		{"basic", fmt.Sprintf("  username = %q\n  password = \"wrong\"\n", acctest.Username),
			`username from "username" in the provider block, password from "password" in the provider block`, false},
		{"access key", fmt.Sprintf("  access_key_id = %q\n  access_key_secret = \"wrong\"\n", ocpsim.DefaultAccessKey),
			`access_key_id from "access_key_id" in the provider block, access_key_secret from "access_key_secret" in the provider block`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := acctest.NewSimulator(t, ocpsim.Config{})
			w := acctest.NewWorkdir(t, providerWith(f.URL, tc.credentials)+objectsConfig)
			r := w.Run("plan")
			if r.Err == nil {
				t.Fatalf("plan succeeded with wrong credentials:\n%s", r.Output())
			}
			out := r.Output()
			if n := strings.Count(out, "Error:"); n != 1 || strings.Count(out, "HTTP 401") != 1 {
				t.Fatalf("want one error with one 401, got %d errors:\n%s", n, out)
			}
			matchFlat(t, out, `Error: OCP refused the provider's credentials with provider\["registry.terraform.io/ocpdr/ocp"\].*`+
				`OCP answered GET /api/v2/tasks/instances with HTTP 401.*Check the provider's credentials.*`+
				`Terraform stops here, once, instead of reporting the same refusal for every resource and data source`)
			if !strings.Contains(flat(out), "The credentials sent: "+tc.sources+".") {
				t.Errorf("the error does not say where the credentials came from (%s):\n%s", tc.sources, out)
			}
			if hint := strings.Contains(flat(out), "clock must be within 15 minutes"); hint != tc.clockHint {
				t.Errorf("clock hint shown: %v, want %v", hint, tc.clockHint)
			}
			c := f.Sim.Counters()
			if total := sumRequests(c); total != 1 || c.Requests[ocpsim.RouteTaskList] != 1 {
				t.Errorf("OCP was asked %d times (%v), want the one check", total, c.Requests)
			}
		})
	}
}

// With credentials OCP accepts, the check is one request per provider configuration and Terraform walk:
// a plan of several objects sends one, an apply (its plan walk and its apply walk) two.
func TestCredentialsCheckedOncePerWalk(t *testing.T) {
	acctest.BuildProvider(t)
	t.Parallel()
	f := acctest.NewSimulator(t, ocpsim.Config{})
	// Data sources only: none of them lists tasks, so every task list request is a check.
	dataOnly := objectsConfig[:strings.Index(objectsConfig, `resource "ocp_tenant_switchover"`)]
	w := acctest.NewWorkdir(t, f.ProviderBlock()+dataOnly)
	w.MustRun("plan")
	if c := f.Sim.Counters(); c.Requests[ocpsim.RouteTaskList] != 1 || c.Requests[ocpsim.RouteTenant] != 2 || c.Requests[ocpsim.RoutePrecheck] != 1 {
		t.Fatalf("plan: %v, want one task list request (the check) and the data sources' reads", c.Requests)
	}
	w.MustRun("apply", "-auto-approve")
	if n := f.Sim.Counters().Requests[ocpsim.RouteTaskList]; n != 3 {
		t.Fatalf("after plan and apply: %d task list requests, want 3 (one per walk)\n%v", n, f.Sim.Counters().Requests)
	}
}

func sumRequests(c ocpsim.Counters) int {
	n := 0
	for _, v := range c.Requests {
		n += v
	}
	return n
}
