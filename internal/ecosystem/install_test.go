package ecosystem_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
)

// The README's install recipe, as a new user follows it from a clean home directory: the README's build
// block run by bash from the repository's root (go build -o into a filesystem mirror), the README's CLI
// configuration, the README's main.tf, terraform init (which installs the provider from the mirror) and
// terraform plan against a simulated OCP. The blocks are read from README.md between its
// `<!-- install-test: … -->` markers, so that the README and this test cannot drift apart. Nothing is
// downloaded: Go's caches are the machine's and GOPROXY is off, the CLI configuration is the test's own
// (TF_CLI_CONFIG_FILE) and sends no provider to a registry, and CHECKPOINT_DISABLE is set.
func TestInstallRecipe(t *testing.T) {
	t.Parallel()
	runInstallRecipe(t, installCLI{
		path: terraformPath(t), name: "terraform", host: "registry.terraform.io",
		build: "build", cliConfig: "cli-config", rc: ".terraformrc",
	})
}

// The README's OpenTofu recipe, the same way: its build into the mirror under registry.opentofu.org, its CLI
// configuration as ~/.tofurc (found there by tofu itself: TF_CLI_CONFIG_FILE is not set), the same main.tf,
// tofu init from the mirror and tofu plan against the simulator.
func TestInstallRecipeOpenTofu(t *testing.T) {
	tofu := acctest.OpenTofu(t)
	t.Parallel()
	runInstallRecipe(t, installCLI{
		path: tofu, name: "tofu", host: "registry.opentofu.org",
		build: "tofu-build", cliConfig: "tofu-cli-config", rc: ".tofurc", rcFoundByCLI: true,
	})
}

// installCLI is what the install recipe differs in between Terraform and OpenTofu.
type installCLI struct {
	path, name string
	host       string // the registry host the CLI resolves "ocpdr/ocp" to, as in the mirror's layout
	build      string // the README's install-test block names
	cliConfig  string
	rc         string // the CLI configuration's file name in the home directory
	// rcFoundByCLI: the CLI finds rc in the home directory by itself; otherwise TF_CLI_CONFIG_FILE names it.
	rcFoundByCLI bool
}

func runInstallRecipe(t *testing.T, cli installCLI) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the README's build block is a POSIX shell script")
	}
	root := repoRoot(t)
	readme := readRepoFile(t, "README.md")
	build := installTestBlock(t, readme, cli.build)
	cliConfig := installTestBlock(t, readme, cli.cliConfig)
	mainTF := installTestBlock(t, readme, "main.tf")

	m := regexp.MustCompile(`(?m)^version=([0-9]+\.[0-9]+\.[0-9]+)\b`).FindStringSubmatch(build)
	if m == nil {
		t.Fatalf("the README's build block sets no version=x.y.z:\n%s", build)
	}
	version := m[1]

	home := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()

	// 1. The build, exactly as written, with $HOME a clean directory.
	goEnv := goEnvironment(t, "GOCACHE", "GOMODCACHE", "GOPATH")
	sh := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", build)
	sh.Dir = root
	sh.Env = append(cleanEnv(home), goEnv...)
	sh.Env = append(sh.Env, "GOPROXY=off", "GOFLAGS=-mod=readonly")
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("the README's build block failed: %v\n%s\n--- block:\n%s", err, out, build)
	}
	bin := filepath.Join(home, ".terraform.d", "plugins", cli.host, "ocpdr", "ocp", version,
		runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-ocp_v"+version)
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("the README's build block did not leave an executable at %s (the mirror layout %s expects): %v", bin, cli.name, err)
	}

	// 2. The CLI configuration, with the README's placeholder home directory replaced by the test's.
	if !strings.Contains(cliConfig, `"/home/you/`) {
		t.Fatalf("the README's CLI configuration no longer names /home/you/…, which this test replaces:\n%s", cliConfig)
	}
	rc := filepath.Join(home, cli.rc)
	writeFile(t, rc, strings.ReplaceAll(cliConfig, `"/home/you/`, `"`+filepath.ToSlash(home)+`/`))

	// 3. The README's configuration, in a directory of its own.
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), mainTF)
	sim := newSimulator(t)
	terraform := func(args ...string) result {
		t.Helper()
		cmd := exec.CommandContext(ctx, cli.path, args...)
		cmd.Dir = dir
		cmd.Env = append(cleanEnv(home), "TF_IN_AUTOMATION=1", "TF_INPUT=0")
		if !cli.rcFoundByCLI {
			cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+rc)
		}
		cmd.Env = append(cmd.Env, sim.env()...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		r := result{args: args, err: cmd.Run()}
		r.stdout, r.stderr = stdout.String(), stderr.String()
		if r.err != nil {
			t.Fatalf("%s %s: %v\n%s", cli.name, strings.Join(args, " "), r.err, r.output())
		}
		return r
	}

	// 4. terraform init installs the build from the mirror, as the README says it does.
	installed := "- Installed ocpdr/ocp v" + version + " (unauthenticated)"
	if !strings.Contains(readme, "`"+installed+"`") {
		t.Errorf("the README no longer quotes what %s init prints: %q", cli.name, installed)
	}
	if out := terraform("init", "-no-color", "-input=false").output(); !strings.Contains(out, installed) {
		t.Fatalf("%s init did not print %q:\n%s", cli.name, installed, out)
	}
	if _, err := os.Stat(filepath.Join(dir, ".terraform.lock.hcl")); err != nil {
		t.Fatalf("%s init wrote no lock file: %v", cli.name, err)
	}

	// 5. terraform plan shows the README's switchover and OCP's precheck warning, and starts nothing.
	out := terraform("plan", "-no-color", "-input=false", "-out=tfplan").output()
	for _, want := range []string{
		"# ocp_tenant_switchover.orders will be created",
		"Plan: 1 to add, 0 to change, 0 to destroy.",
		"Warning: Switchover precheck warning: OBE26107",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%s plan does not show %q:\n%s", cli.name, want, out)
		}
	}
	p := decodePlan(t, []byte(terraform("show", "-json", "tfplan").stdout))
	if got := p.actionsOf("ocp_tenant_switchover.orders"); got != "create" {
		t.Errorf("ocp_tenant_switchover.orders planned %q, want create", got)
	}
	if n := sim.Counters().Switchovers; n != 0 {
		t.Errorf("planning started %d switchovers", n)
	}
	// The binary that answered is the README's build: its version is in every request's User-Agent.
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if len(sim.uas) == 0 {
		t.Fatal("the provider sent no request to the simulator")
	}
	for _, ua := range sim.uas {
		if !strings.Contains(ua, "=> terraform-provider-ocp/"+version+" ") {
			t.Errorf("request not from the README's build (version %s): %s", version, ua)
		}
	}
}

// The getting-started guide walks through the same install as the README: the same build and CLI
// configuration, word for word (the guide renders on the registry too, where the README is not shown).
func TestInstallRecipeInGettingStartedGuide(t *testing.T) {
	t.Parallel()
	readme := readRepoFile(t, "README.md")
	guide := readRepoFile(t, filepath.Join("templates", "guides", "getting-started.md.tmpl"))
	for _, name := range []string{"build", "cli-config"} {
		if block := installTestBlock(t, readme, name); !strings.Contains(guide, block) {
			t.Errorf("templates/guides/getting-started.md.tmpl does not contain the README's %q block as it is:\n%s", name, block)
		}
	}
}

// installTestBlock returns the content of the fenced code block that follows the `<!-- install-test: name`
// marker of text (a README), up to the next `<!-- /install-test -->`.
func installTestBlock(t *testing.T, text, name string) string {
	t.Helper()
	start := strings.Index(text, "<!-- install-test: "+name+" ")
	if start < 0 {
		t.Fatalf("README.md has no <!-- install-test: %s … --> marker", name)
	}
	rest := text[start:]
	end := strings.Index(rest, "<!-- /install-test -->")
	if end < 0 {
		t.Fatalf("README.md: the install-test block %q has no <!-- /install-test --> end marker", name)
	}
	m := regexp.MustCompile("(?s)\n```[a-z]*\n(.*?\n)```\n").FindStringSubmatch(rest[:end])
	if m == nil {
		t.Fatalf("README.md: no fenced code block between the install-test markers of %q", name)
	}
	return m[1]
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cleanEnv is the test's environment without the variables that would let the machine's own Terraform or
// OCP settings in (TF_*, OCP_*, CHECKPOINT_*), with HOME set to home and Terraform's checkpoint off.
func cleanEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "OCP_") || strings.HasPrefix(name, "CHECKPOINT_") ||
			name == "HOME" || name == "USERPROFILE" || name == "APPDATA" || name == "XDG_DATA_HOME" || name == "XDG_CONFIG_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "USERPROFILE="+home, "APPDATA="+home, "CHECKPOINT_DISABLE=1")
}

// goEnvironment returns NAME=value for Go's settings as the test's own environment has them, so that a go
// command run with another HOME keeps the machine's build and module caches (and downloads nothing).
func goEnvironment(t *testing.T, names ...string) []string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	values := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(values) != len(names) {
		t.Fatalf("go env %s answered %q", strings.Join(names, " "), out)
	}
	env := make([]string, len(names))
	for i, n := range names {
		env[i] = n + "=" + values[i]
	}
	return env
}
