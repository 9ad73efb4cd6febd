package acctest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Some tests cannot run the provider in-process through terraform-plugin-testing: killing the provider
// with SIGKILL mid-apply, or capturing everything the provider process writes under TF_LOG=TRACE. They
// build the provider once per test binary (testprovider: the production provider with fast polling)
// and run the terraform binary themselves with a dev_overrides CLI configuration, as `make demo` does.

// ProviderSource is the provider's registry address; test configurations name it in required_providers.
const ProviderSource = "registry.terraform.io/ocpdr/ocp"

// requiredProviders is the terraform block every CLI test configuration starts with.
const requiredProviders = `terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}
`

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// BuildProvider builds cmd testprovider once per test binary and returns the directory holding
// terraform-provider-ocp. It skips the test when terraform or go is missing.
func BuildProvider(t *testing.T) string {
	t.Helper()
	PreCheck(t)
	buildOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("no go binary on PATH: %w", err)
			return
		}
		dir, err := os.MkdirTemp("", "ocp-testprovider-") //nolint:usetesting // shared by every test of the binary; removed by Main
		if err != nil {
			buildErr = err
			return
		}
		cleanups = append(cleanups, func() { _ = os.RemoveAll(dir) })
		cmd := exec.CommandContext(context.Background(), goBin, "build", "-o", filepath.Join(dir, "terraform-provider-ocp"),
			"github.com/ocpdr/terraform-provider-ocp/internal/acctest/testprovider")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build testprovider: %w\n%s", err, out)
			return
		}
		buildDir = dir
	})
	if buildErr != nil {
		if strings.HasPrefix(buildErr.Error(), "no go binary") {
			t.Skip(buildErr)
		}
		t.Fatal(buildErr)
	}
	return buildDir
}

// cleanups run at the end of Main.
var cleanups []func()

// Workdir is one Terraform working directory driven through the real terraform binary and the
// out-of-process provider.
type Workdir struct {
	t   *testing.T
	Dir string
	// Env is added to every terraform command's environment (KEY=value), after the defaults.
	Env []string
}

// NewWorkdir creates a working directory holding main.tf = required_providers + config, and a CLI
// configuration whose dev_overrides point at the provider built by BuildProvider.
func NewWorkdir(t *testing.T, config string) *Workdir {
	t.Helper()
	bin := BuildProvider(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  dev_overrides {\n    \"ocpdr/ocp\" = %q\n  }\n  direct {}\n}\n", bin), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &Workdir{t: t, Dir: dir}
	w.SetConfig(config)
	return w
}

// SetConfig replaces main.tf.
func (w *Workdir) SetConfig(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(requiredProviders+config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Result is what one terraform command printed.
type Result struct {
	Args           []string
	Stdout, Stderr string
	Err            error
}

// Output is stdout and stderr together, for error matching.
func (r Result) Output() string { return r.Stdout + r.Stderr }

func (w *Workdir) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir = w.Dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(w.Dir, "terraformrc"),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"NO_COLOR=1",
	)
	cmd.Env = append(cmd.Env, w.Env...)
	// Its own process group, so that Kill reaches terraform and the provider it started, and nothing else.
	ownProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Run runs terraform with args (-no-color is added) and waits for it.
func (w *Workdir) Run(args ...string) Result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 2*time.Minute)
	defer cancel()
	args = withNoColor(args)
	cmd := w.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return Result{Args: args, Stdout: stdout.String(), Stderr: stderr.String(), Err: err}
}

// MustRun runs terraform and fails the test if it fails.
func (w *Workdir) MustRun(args ...string) Result {
	w.t.Helper()
	r := w.Run(args...)
	if r.Err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(r.Args, " "), r.Err, r.Output())
	}
	return r
}

// Process is a terraform command running in the background.
type Process struct {
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
	done           chan struct{}
	err            error
}

// Start starts terraform with args in the background; Kill or Wait ends it.
func (w *Workdir) Start(args ...string) *Process {
	w.t.Helper()
	cmd := w.command(context.Background(), withNoColor(args)...)
	p := &Process{cmd: cmd, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	w.t.Cleanup(func() { p.Kill() })
	return p
}

// Signal sends sig to terraform alone, as a terminal's Ctrl-C reaches it.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Kill sends SIGKILL to terraform's process group (terraform and the provider it started) and waits.
func (p *Process) Kill() {
	// Plugins are started in the group too; kill any survivor of the group, even after terraform exited.
	killProcessGroup(p.cmd)
	<-p.done
}

// Wait waits up to d for terraform to exit and returns what it printed.
func (p *Process) Wait(d time.Duration) (Result, bool) {
	select {
	case <-p.done:
		return Result{Args: p.cmd.Args[1:], Stdout: p.stdout.String(), Stderr: p.stderr.String(), Err: p.err}, true
	case <-time.After(d):
		return Result{}, false
	}
}

func withNoColor(args []string) []string {
	if len(args) == 0 {
		return args
	}
	switch args[0] {
	case "plan", "apply", "destroy", "refresh", "show", "output", "validate", "init", "import", "query":
		return append([]string{args[0], "-no-color"}, args[1:]...)
	}
	return args
}

// ReadFile returns a file of the working directory ("" when it does not exist).
func (w *Workdir) ReadFile(name string) string {
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		return ""
	}
	return string(b)
}
