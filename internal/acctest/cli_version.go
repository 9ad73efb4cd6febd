package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Which CLI a test runs, and which tests a `go test` run runs, is decided here, by what each test
// declares, never by its name. make test runs `go test` more than once:
//
//  1. The whole suite with the terraform on PATH (TF_ACC_TERRAFORM_PATH). A test that needs a newer
//     Terraform (actions, `terraform apply -invoke`, `terraform query`: 1.14; resource identity: 1.12)
//     calls RequireTerraform, which skips it there, saying which version it needs. Tests that run OpenTofu call OpenTofu, which
//     runs them when OCP_TEST_TOFU names a tofu binary (make test passes the pinned one).
//  2. With EnvOnlyNewerCLI=1 and TF_ACC_TERRAFORM_PATH=bin/terraform-<pinned>: PreCheck and OpenTofu skip
//     every test that did not declare a minimum with RequireTerraform, so that only those run again;
//     RequireTerraform appends each test it lets run to the file EnvNewerCLILog names, and make test fails
//     when that file stays empty: a test that needs a newer Terraform is never skipped unnoticed.
//  3. `go test -race` with EnvSkipCLI=1: every test that would run a CLI skips (PreCheck, OpenTofu), so
//     that the race detector sees the in-process tests only.
//
// Tests that do not run a CLI at all are unaffected by these switches.
const (
	// EnvOnlyNewerCLI, set to 1, runs only the tests that declared RequireTerraform.
	EnvOnlyNewerCLI = "OCP_ACC_ONLY_NEWER_CLI"
	// EnvNewerCLILog names a file to which RequireTerraform appends "<test> <version>" for each test it
	// lets run (one line, appended atomically: test binaries of several packages share it).
	EnvNewerCLILog = "OCP_ACC_NEWER_CLI_LOG"
	// EnvSkipCLI, set to 1, skips every test that would run terraform or tofu.
	EnvSkipCLI = "OCP_ACC_SKIP_CLI"
	// EnvTofu names the OpenTofu binary the OpenTofu tests run; unset, they skip.
	EnvTofu = "OCP_TEST_TOFU"
)

// Minimum Terraform versions of features, for RequireTerraform.
const (
	// TerraformActions: action blocks, action_trigger and `terraform apply -invoke`.
	TerraformActions = "1.14.0"
	// TerraformQuery: list resources and `terraform query`.
	TerraformQuery = "1.14.0"
	// TerraformIdentity: resource identity in state and `import` blocks with `identity`.
	TerraformIdentity = "1.12.0"
)

func envOn(name string) bool { v := os.Getenv(name); return v != "" && v != "0" && v != "false" }

// declared holds the names of the tests that called RequireTerraform; their subtests count as declared too.
var declared sync.Map

func isDeclared(t testing.TB) bool {
	name := t.Name()
	for {
		if _, ok := declared.Load(name); ok {
			return true
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return false
		}
		name = name[:i]
	}
}

// skipForRun skips t when the run's switches exclude a test that runs a CLI (see the constants above).
func skipForRun(t testing.TB) {
	t.Helper()
	if envOn(EnvSkipCLI) {
		t.Skip(EnvSkipCLI + "=1: this run skips every test that runs terraform or tofu")
	}
	if envOn(EnvOnlyNewerCLI) && !isDeclared(t) {
		t.Skip(EnvOnlyNewerCLI + "=1: this run is only for tests that declare acctest.RequireTerraform; this one runs in make test's main run")
	}
}

// RequireTerraform declares that the test needs Terraform minimum (such as TerraformActions) or later. It
// skips the test, naming both versions, when TF_ACC_TERRAFORM_PATH is older; it fails it instead in a run
// with EnvOnlyNewerCLI=1, whose whole point is to run it. Call it first, in place of PreCheck.
func RequireTerraform(t *testing.T, minimum string) {
	t.Helper()
	want, err := parseVersion(minimum)
	if err != nil {
		t.Fatalf("RequireTerraform(%q): %v", minimum, err)
	}
	declared.Store(t.Name(), true)
	if envOn(EnvSkipCLI) {
		t.Skip(EnvSkipCLI + "=1: this run skips every test that runs terraform or tofu")
	}
	only := envOn(EnvOnlyNewerCLI)
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		if only {
			t.Fatalf("%s=1 but TF_ACC_TERRAFORM_PATH is unset: this test needs Terraform >= %s", EnvOnlyNewerCLI, minimum)
		}
		t.Skipf("needs Terraform >= %s and no terraform binary is on PATH (TF_ACC_TERRAFORM_PATH unset)", minimum)
	}
	have, err := TerraformVersion(path)
	if err != nil {
		t.Fatal(err)
	}
	if have.less(want) {
		if only {
			t.Fatalf("%s=1 but %s is Terraform %s: this test needs >= %s", EnvOnlyNewerCLI, path, have, minimum)
		}
		t.Skipf("needs Terraform >= %s; %s is %s (make test runs this test again with the pinned Terraform, "+
			"TF_ACC_TERRAFORM_PATH=bin/terraform-<TERRAFORM_VERSION> %s=1)", minimum, path, have, EnvOnlyNewerCLI)
	}
	if log := os.Getenv(EnvNewerCLILog); log != "" {
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err == nil {
			_, err = fmt.Fprintf(f, "%s %s\n", t.Name(), have)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			t.Fatalf("recording the test in %s: %v", EnvNewerCLILog, err)
		}
	}
}

// OpenTofu returns the OpenTofu binary named by OCP_TEST_TOFU (make test passes bin/tofu-<OPENTOFU_VERSION>),
// or skips the test when it is unset. A name that is set but does not run fails the test.
func OpenTofu(t *testing.T) string {
	t.Helper()
	skipForRun(t)
	path := os.Getenv(EnvTofu)
	if path == "" {
		t.Skip(EnvTofu + " unset: no OpenTofu binary to run (make test builds the pinned one into ./bin and sets it)")
	}
	if _, err := TerraformVersion(path); err != nil {
		t.Fatalf("%s=%s: %v", EnvTofu, path, err)
	}
	return path
}

// Version is a CLI's version: major.minor.patch and whether it is a pre-release (1.14.0-beta1).
type Version struct {
	text       string
	num        [3]int
	prerelease bool
}

func (v Version) String() string { return v.text }

func (v Version) less(w Version) bool {
	for i := range v.num {
		if v.num[i] != w.num[i] {
			return v.num[i] < w.num[i]
		}
	}
	return v.prerelease && !w.prerelease
}

func parseVersion(s string) (Version, error) {
	v := Version{text: s}
	core, pre, _ := strings.Cut(strings.TrimPrefix(s, "v"), "-")
	v.prerelease = pre != ""
	parts := strings.Split(core, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, fmt.Errorf("version %q is not major.minor[.patch]", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, fmt.Errorf("version %q is not major.minor[.patch]", s)
		}
		v.num[i] = n
	}
	return v, nil
}

var (
	versionsMu sync.Mutex
	versions   = map[string]*versionResult{} // by binary path
)

type versionResult struct {
	once sync.Once
	v    Version
	err  error
}

// TerraformVersion runs `<path> version -json` once per binary and returns the version it reports
// (OpenTofu answers the same JSON).
func TerraformVersion(path string) (Version, error) {
	versionsMu.Lock()
	res, ok := versions[path]
	if !ok {
		res = &versionResult{}
		versions[path] = res
	}
	versionsMu.Unlock()
	res.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, path, "version", "-json")
		// No CLI configuration: tofu prints the problems of a broken one on stdout, before the JSON.
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
		out, err := cmd.Output()
		if err != nil {
			res.err = fmt.Errorf("%s version -json: %w", path, err)
			return
		}
		var j struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &j); err != nil {
			res.err = fmt.Errorf("%s version -json answered %q: %w", path, out, err)
			return
		}
		res.v, res.err = parseVersion(j.Version)
	})
	return res.v, res.err
}
