// Package acctest holds what the acceptance tests share: provider factories, a simulator per test, and
// the lookup of the terraform binary that terraform-plugin-testing drives.
package acctest

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
	"github.com/ocpdr/terraform-provider-ocp/internal/provider"
)

// PollInterval is how often the provider polls the simulator's tasks in tests.
const PollInterval = 5 * time.Millisecond

// Simulator credentials (the simulator's defaults).
const (
	Username = "admin"
	Password = "admin-Passw0rd"
)

// ProviderFactories serves the provider in-process to the terraform binary.
func ProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ocp": providerserver.NewProtocol6WithError(provider.New("test", provider.WithPollInterval(PollInterval))()),
	}
}

// Main prepares the environment for acceptance tests before any of them runs: terraform-plugin-testing
// must be pointed at an installed terraform binary, since nothing can be downloaded here. Call it from
// TestMain. It never skips silently: without a binary it says so once, and each test skips with the reason.
func Main(m *testing.M) {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			_ = os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		} else {
			fmt.Fprintln(os.Stderr, "acctest: no terraform binary on PATH and TF_ACC_TERRAFORM_PATH unset: acceptance tests are skipped. Install Terraform >= 1.5 to run them.")
		}
	}
	// An empty CLI config keeps a machine-wide one (or a dangling TF_CLI_CONFIG_FILE) out of the tests.
	dir, err := os.MkdirTemp("", "ocp-acctest-")
	if err == nil {
		cfg := filepath.Join(dir, "terraformrc")
		if os.WriteFile(cfg, nil, 0o600) == nil {
			_ = os.Setenv("TF_CLI_CONFIG_FILE", cfg)
		}
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

// PreCheck skips the test when no terraform binary is available (see Main), and in the runs of make test
// that exclude it (EnvOnlyNewerCLI, EnvSkipCLI: see cli_version.go). Every test that runs terraform calls
// it, directly or through RequireTerraform, BuildProvider or NewWorkdir.
func PreCheck(t *testing.T) {
	t.Helper()
	skipForRun(t)
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("no terraform binary on PATH (and TF_ACC_TERRAFORM_PATH unset): cannot run acceptance tests")
	}
}

// Fixture is one simulator served over HTTP for one test.
type Fixture struct {
	Sim *ocpsim.Sim
	URL string
}

// NewSimulator starts a fresh simulator for the test and stops it when the test ends.
func NewSimulator(t testing.TB, cfg ocpsim.Config) *Fixture {
	t.Helper()
	sim, err := ocpsim.New(cfg)
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	return &Fixture{Sim: sim, URL: srv.URL}
}

// ProviderBlock is the provider configuration that points at this simulator.
func (f *Fixture) ProviderBlock() string {
	return fmt.Sprintf(`
provider "ocp" {
  url      = %q
  username = %q
  password = %q
}
`, f.URL, Username, Password)
}

// Config prepends the provider block to a test configuration.
func (f *Fixture) Config(body string) string { return f.ProviderBlock() + body }
