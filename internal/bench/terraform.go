package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// tfTask is how long every task runs in the Terraform scenarios (real time, not scaled).
const tfTask = 20 * time.Second

// tfEnv is a built provider and a CLI configuration that points Terraform at it.
type tfEnv struct {
	dir, bin, cliConfig string
}

func runTerraform(ctx context.Context, selected func(string) bool) []row {
	fail := func(name string, err error) []row { return []row{{scenario: name, err: err}} }
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return fail("terraform scenarios", fmt.Errorf("no terraform binary on PATH"))
	}
	env, err := setupTerraform(ctx)
	if err != nil {
		return fail("terraform scenarios", err)
	}
	defer os.RemoveAll(env.dir)

	var rows []row
	const n = 200
	failoverOne := fmt.Sprintf(`
resource "ocp_tenant_failover" "all" {
  cluster_id = %d
  tenants    = [for i in range(%d) : { tenant_id = %d + i }]
}
`, standbyClusterID, n, firstStandbyID)
	failoverMany := fmt.Sprintf(`
resource "ocp_tenant_failover" "each" {
  count      = %d
  cluster_id = %d
  tenants    = [{ tenant_id = %d + count.index }]
}
`, n, standbyClusterID, firstStandbyID)
	applies := []struct{ name, config string }{
		{"terraform apply: 1 ocp_tenant_failover x 200 tenants", failoverOne},
		{"terraform apply: 200 ocp_tenant_failover, -parallelism=200", failoverMany},
	}
	for _, a := range applies {
		if !selected(a.name) {
			continue
		}
		r, err := env.applyScenario(ctx, tf, a.name, a.config, n)
		if err != nil {
			r = row{scenario: a.name, err: err}
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "bench: done: %s\n", a.name)
	}

	name := "terraform plan: 200 ocp_tenant_switchover vs 200 terraform_data"
	if selected(name) {
		r, err := env.planScenario(ctx, tf, name, n)
		if err != nil {
			r = row{scenario: name, err: err}
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "bench: done: %s\n", name)
	}
	return rows
}

// setupTerraform builds the provider and writes a CLI config with dev_overrides, as examples/demo does.
func setupTerraform(ctx context.Context) (*tfEnv, error) {
	dir, err := os.MkdirTemp("", "ocpbench-")
	if err != nil {
		return nil, err
	}
	env := &tfEnv{dir: dir, bin: filepath.Join(dir, "bin", "terraform-provider-ocp"), cliConfig: filepath.Join(dir, "terraformrc")}
	build := exec.CommandContext(ctx, "go", "build", "-o", env.bin, ".")
	build.Dir, err = moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"ocpdr/ocp\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(env.bin))
	if err := os.WriteFile(env.cliConfig, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	return env, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// simulator serves a fresh simulator with n tenant pairs whose tasks take tfTask.
func simulator(n int) (*ocpsim.Sim, *httptest.Server, error) {
	sim, err := ocpsim.New(ocpsim.Config{Scenario: world(n), TaskDuration: tfTask})
	if err != nil {
		return nil, nil, err
	}
	return sim, httptest.NewServer(countLookups(sim)), nil
}

// lookups counts task list requests filtered by tenant or cluster: the provider's "is an operation
// already running?" checks before it starts one, not polling. The poller lists by status only.
var lookups atomic.Int64

func countLookups(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/api/v2/tasks/instances" &&
			(r.URL.Query().Has("tenantId") || r.URL.Query().Has("clusterId")) {
			lookups.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

// workdir writes config into a fresh directory with the provider block.
func (e *tfEnv) workdir(name, config string) (string, error) {
	d, err := os.MkdirTemp(e.dir, "tf-")
	if err != nil {
		return "", err
	}
	head := "terraform {\n  required_providers {\n    ocp = { source = \"ocpdr/ocp\" }\n  }\n}\n\nprovider \"ocp\" {}\n"
	return d, os.WriteFile(filepath.Join(d, "main.tf"), []byte(head+config), 0o600)
}

// terraform runs one terraform command in dir against the simulator at url and returns its wall time.
func (e *tfEnv) terraform(ctx context.Context, tf, dir, url string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+e.cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"OCP_URL="+url, "OCP_USERNAME="+ocpsim.DefaultUser, "OCP_PASSWORD="+ocpsim.DefaultPassword)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		tail := out.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return took, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail)
	}
	return took, nil
}

// applyScenario plans (saved plan), then measures the apply of that plan.
func (e *tfEnv) applyScenario(ctx context.Context, tf, name, config string, n int) (row, error) {
	sim, srv, err := simulator(n)
	if err != nil {
		return row{}, err
	}
	defer srv.Close()
	defer sim.Close()
	dir, err := e.workdir(name, config)
	if err != nil {
		return row{}, err
	}
	if _, err := e.terraform(ctx, tf, dir, srv.URL, "plan", "-input=false", "-no-color", "-parallelism=200", "-out=tfplan"); err != nil {
		return row{}, err
	}
	before := sim.Counters().Requests
	lookupsBefore := lookups.Load()
	mem := watchMemory(e.bin)
	applyStart := time.Now()
	wall, err := e.terraform(ctx, tf, dir, srv.URL, "apply", "-input=false", "-no-color", "-parallelism=200", "tfplan")
	applyEnd := applyStart.Add(wall)
	peak := mem()
	if err != nil {
		return row{}, err
	}
	after := sim.Counters().Requests
	// Status requests of the waits only: the "already running?" lookups before each start are not polling.
	found := int(lookups.Load() - lookupsBefore)
	reqs := statusRequests(sim) - before[ocpsim.RouteTaskDetail] - before[ocpsim.RouteTaskList] - found

	tasks := sim.Tasks()
	if len(tasks) != n {
		return row{}, fmt.Errorf("%d tasks ran, want %d", len(tasks), n)
	}
	var (
		longest, sum time.Duration
		firstStart   = tasks[0].StartTime
		lastFinish   time.Time
	)
	for _, t := range tasks {
		if t.Status != ocpsim.TaskSuccessful || t.FinishTime == nil {
			return row{}, fmt.Errorf("task %d: %s", t.ID, t.Status)
		}
		d := t.FinishTime.Sub(t.StartTime)
		longest, sum = max(longest, d), sum+d
		if t.StartTime.Before(firstStart) {
			firstStart = t.StartTime
		}
		if t.FinishTime.After(lastFinish) {
			lastFinish = *t.FinishTime
		}
	}
	return row{
		scenario: name, tasks: n, taskDur: tfTask, wall: wall, requests: reqs,
		perTaskSec: float64(reqs) / sum.Seconds(),
		perProcSec: float64(reqs) / wall.Seconds(),
		peakRSS:    peak,
		note: fmt.Sprintf("apply %s = longest task %s + %s (target: + 2s); first task started %s into the apply, last ended %s before it exited; apply requests: %s (of the task lists, %d are the provider's per-tenant \"already running?\" lookups before starting, not counted as status requests)",
			fmtDur(wall), fmtDur(longest), fmtDur(wall-longest), fmtDur(firstStart.Sub(applyStart)), fmtDur(applyEnd.Sub(lastFinish)), routeDiff(before, after), found),
	}, nil
}

// planScenario compares the plan of n switchover pairs (each with its precheck) with a plan of n
// terraform_data resources.
func (e *tfEnv) planScenario(ctx context.Context, tf, name string, n int) (row, error) {
	sim, srv, err := simulator(n)
	if err != nil {
		return row{}, err
	}
	defer srv.Close()
	defer sim.Close()
	base, err := e.workdir(name, fmt.Sprintf("resource \"terraform_data\" \"pair\" {\n  count = %d\n  input = count.index\n}\n", n))
	if err != nil {
		return row{}, err
	}
	sw, err := e.workdir(name, fmt.Sprintf(`
resource "ocp_tenant_switchover" "pair" {
  count   = %d
  primary = { cluster_id = %d, tenant_id = %d + count.index }
  standby = { cluster_id = %d, tenant_id = %d + count.index }
}
`, n, primaryClusterID, firstPrimaryID, standbyClusterID, firstStandbyID))
	if err != nil {
		return row{}, err
	}
	// One warm-up plan each (file system caches, the provider binary), then the measured ones.
	var baseWall, swWall time.Duration
	var peak int64
	for round := range 2 {
		if baseWall, err = e.terraform(ctx, tf, base, srv.URL, "plan", "-input=false", "-no-color"); err != nil {
			return row{}, err
		}
		mem := watchMemory(e.bin)
		swWall, err = e.terraform(ctx, tf, sw, srv.URL, "plan", "-input=false", "-no-color")
		if p := mem(); round == 1 {
			peak = p
		}
		if err != nil {
			return row{}, err
		}
	}
	prechecks := sim.Counters().Prechecks
	return row{
		scenario: name, tasks: 0, wall: swWall, peakRSS: peak,
		note: fmt.Sprintf("plan of 200 switchover pairs %s vs 200 terraform_data %s: ratio %.2f (target <= 1.5 + the prechecks' own latency; %d prechecks over two plans, no latency added by the simulator; plan requests over two plans: %s)",
			fmtDur(swWall), fmtDur(baseWall), swWall.Seconds()/baseWall.Seconds(), prechecks, routeDiff(nil, sim.Counters().Requests)),
	}, nil
}

// watchMemory samples, every 50ms, the peak resident memory (VmHWM) of every running process whose
// executable is bin; the returned function stops it and returns the largest, in bytes.
func watchMemory(bin string) func() int64 {
	var (
		mu   sync.Mutex
		peak int64
		stop = make(chan struct{})
		done = make(chan struct{})
	)
	sample := func() {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
			if err != nil || exe != bin {
				continue
			}
			if kb := vmHWM(pid); kb > 0 {
				mu.Lock()
				peak = max(peak, kb<<10)
				mu.Unlock()
			}
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// vmHWM reads a process's peak resident set size in kB from /proc/<pid>/status.
func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// routeDiff lists the requests per route between two counter snapshots, shortly.
func routeDiff(before, after map[string]int) string {
	var parts []string
	for _, r := range append(ocpsim.Routes(), ocpsim.RouteUnknown) {
		if d := after[r] - before[r]; d > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(strings.Replace(r, "/api/v2", "", 1), ""), d))
		}
	}
	return strings.Join(parts, ", ")
}
