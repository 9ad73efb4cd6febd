package ecosystem_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// TestMain finds terraform as acctest.Main does, and removes the provider binary built for the run.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			_ = os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		} else {
			fmt.Fprintln(os.Stderr, "ecosystem: no terraform binary on PATH and TF_ACC_TERRAFORM_PATH unset: the example, drill and policy tests are skipped. Install Terraform >= 1.5 to run them.")
		}
	}
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// releaseVersion is stamped into the provider binary the way make and goreleaser do it.
const releaseVersion = "9.8.7-ecosystem"

// repoRoot is the module's root directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test's source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

func terraformPath(t *testing.T) string {
	t.Helper()
	acctest.PreCheck(t)
	return os.Getenv("TF_ACC_TERRAFORM_PATH")
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// providerDir builds the provider binary once (go build -ldflags "-X main.version=releaseVersion") and
// returns the directory that holds it, for dev_overrides. Callers check first that a CLI is there to run it.
func providerDir(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	buildOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("no go binary on PATH: %w", err)
			return
		}
		dir, err := os.MkdirTemp("", "ocp-ecosystem-provider-") //nolint:usetesting // shared by every test of the binary; removed by TestMain
		if err != nil {
			buildErr = err
			return
		}
		cmd := exec.CommandContext(context.Background(), goBin, "build", "-ldflags", "-X main.version="+releaseVersion,
			"-o", filepath.Join(dir, "terraform-provider-ocp"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build of the provider: %w\n%s", err, out)
			return
		}
		buildDir = dir
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// workdir is a Terraform working directory that uses the freshly built provider through dev_overrides.
type workdir struct {
	t   *testing.T
	cli string // the terraform or tofu binary
	dir string
	rc  string
	env []string
}

// newWorkdir copies the .tf (and .tfquery.hcl) files of src (a directory of the repository, relative to its root) into a
// fresh directory that terraform (TF_ACC_TERRAFORM_PATH) runs in. extra files (name → content) are added.
func newWorkdir(t *testing.T, src string, extra map[string]string) *workdir {
	t.Helper()
	return newWorkdirCLI(t, terraformPath(t), src, extra)
}

// newWorkdirCLI is newWorkdir for the CLI binary cli: terraform, or tofu (acctest.OpenTofu). The CLI
// configuration's dev_overrides name the provider as "ocpdr/ocp", which each CLI resolves against its own
// default registry (registry.terraform.io or registry.opentofu.org), as it resolves required_providers.
func newWorkdirCLI(t *testing.T, cli, src string, extra map[string]string) *workdir {
	t.Helper()
	bin := providerDir(t)
	dir := t.TempDir()
	if src != "" {
		entries, err := os.ReadDir(filepath.Join(repoRoot(t), src))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || (!strings.HasSuffix(e.Name(), ".tf") && !strings.HasSuffix(e.Name(), ".tfquery.hcl")) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(repoRoot(t), src, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, e.Name()), string(b))
		}
	}
	for name, content := range extra {
		writeFile(t, filepath.Join(dir, name), content)
	}
	rcDir := t.TempDir()
	rc := filepath.Join(rcDir, "terraformrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "ocpdr/ocp", bin))
	return &workdir{t: t, cli: cli, dir: dir, rc: rc}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// result is one terraform command's outcome.
type result struct {
	args           []string
	stdout, stderr string
	exitCode       int
	err            error
}

func (r result) output() string { return r.stdout + r.stderr }

// run runs terraform (or tofu) in the working directory. No init is needed: dev_overrides serve the only
// provider, and the configurations use no modules from a registry.
func (w *workdir) run(args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 3*time.Minute)
	defer cancel()
	cli := w.cli
	if cli == "" {
		cli = terraformPath(w.t)
	}
	cmd := exec.CommandContext(ctx, cli, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+w.rc,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"NO_COLOR=1",
	)
	cmd.Env = append(cmd.Env, w.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), err: err}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.exitCode = exit.ExitCode()
	}
	return r
}

// mustRun runs terraform and fails the test when it fails.
func (w *workdir) mustRun(args ...string) result {
	w.t.Helper()
	r := w.run(args...)
	if r.err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), r.err, r.output())
	}
	return r
}

// planJSON plans into a saved plan file and returns `terraform show -json` of it, as a pipeline does.
func (w *workdir) planJSON(args ...string) []byte {
	w.t.Helper()
	w.mustRun(append([]string{"plan", "-no-color", "-input=false", "-out=tfplan"}, args...)...)
	return []byte(w.mustRun("show", "-json", "tfplan").stdout)
}

// simulator is an OCP simulator served over HTTP that remembers every request's User-Agent.
type simulator struct {
	*ocpsim.Sim
	URL string
	mu  sync.Mutex
	uas []string
	// before, when set, runs before the simulator serves a request; what it returns runs after.
	before func(r *http.Request) (after func())
}

func newSimulator(t *testing.T) *simulator {
	t.Helper()
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := &simulator{Sim: sim}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.uas = append(s.uas, r.Method+" "+r.URL.Path+" => "+r.Header.Get("User-Agent"))
		before := s.before
		s.mu.Unlock()
		if before != nil {
			if after := before(r); after != nil {
				defer after()
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	s.URL = srv.URL
	return s
}

// beforeRequest sets the hook that runs around each request (see simulator.before).
func (s *simulator) beforeRequest(f func(r *http.Request) (after func())) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before = f
}

// env points the provider at the simulator through the environment, as the guides recommend.
func (s *simulator) env() []string {
	return []string{"OCP_URL=" + s.URL, "OCP_USERNAME=" + acctest.Username, "OCP_PASSWORD=" + acctest.Password}
}

// checkUserAgents fails the test unless every request carried the release version in its User-Agent.
func (s *simulator) checkUserAgents(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.uas) == 0 {
		t.Fatal("the provider sent no request to the simulator")
	}
	for _, ua := range s.uas {
		if !strings.Contains(ua, "=> terraform-provider-ocp/"+releaseVersion+" ") {
			t.Errorf("request without the -ldflags version %q in its User-Agent: %s", releaseVersion, ua)
		}
	}
}

func (s *simulator) role(t *testing.T, tenantID int64) string {
	t.Helper()
	tn, ok := s.Tenant(tenantID)
	if !ok {
		t.Fatalf("simulator has no tenant %d", tenantID)
	}
	return tn.TenantRole
}

// tfPlan is the part of `terraform show -json` the tests look at.
type tfPlan struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Type    string `json:"type"`
		Change  struct {
			Actions      []string       `json:"actions"`
			After        map[string]any `json:"after"`
			AfterUnknown map[string]any `json:"after_unknown"`
		} `json:"change"`
	} `json:"resource_changes"`
}

// plannedActionOf returns a resource's planned planned_action: its value, "(known after apply)" when
// unknown, "" when the resource is not in the plan or has none.
func (p tfPlan) plannedActionOf(addr string) string {
	for _, rc := range p.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		if rc.Change.AfterUnknown["planned_action"] == true {
			return "(known after apply)"
		}
		s, _ := rc.Change.After["planned_action"].(string)
		return s
	}
	return ""
}

func decodePlan(t *testing.T, b []byte) tfPlan {
	t.Helper()
	var p tfPlan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("decoding the plan JSON: %v", err)
	}
	return p
}

// actionsOf returns the planned actions of a resource address ("" when it is not in the plan).
func (p tfPlan) actionsOf(addr string) string {
	for _, rc := range p.ResourceChanges {
		if rc.Address == addr {
			return strings.Join(rc.Change.Actions, ",")
		}
	}
	return ""
}
