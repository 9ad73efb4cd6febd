package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// tfTask is how long every task runs in the Terraform scenarios (real time, not scaled).
const tfTask = 20 * time.Second

// tfEnv is a built provider and a CLI configuration that points Terraform at it.
type tfEnv struct {
	dir, bin, cliConfig string
	// lastCPU is the CPU time (user+system) of the last terraform command, its provider processes included.
	lastCPU time.Duration
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
	// Terraform core's own cost of an apply of 200 resources on this machine, as a reference.
	var base time.Duration
	if selected(applies[1].name) {
		var cpu time.Duration
		if base, cpu, err = env.baselineApply(ctx, tf, n, 3); err != nil {
			return fail("terraform apply: 200 terraform_data", err)
		}
		rows = append(rows, row{scenario: "terraform apply: 200 terraform_data, -parallelism=200 (core alone)", tasks: 0, wall: base,
			note: fmt.Sprintf("median of 3 applies: Terraform core's own cost of creating 200 resources on this machine, no provider (CPU %s)", fmtDur(cpu))})
		fmt.Fprintf(os.Stderr, "bench: done: terraform_data baseline\n")
	}
	for _, a := range applies {
		if !selected(a.name) {
			continue
		}
		r, err := env.applyScenario(ctx, tf, a.name, a.config, n, base)
		if err != nil {
			r = row{scenario: a.name, err: err}
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "bench: done: %s\n", a.name)
	}

	name := "terraform plan: 200 ocp_tenant_switchover vs 200 terraform_data"
	if selected(name) {
		r, err := env.planScenario(ctx, tf, name, n, 5)
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

// simulator serves a fresh simulator with n tenant pairs whose tasks take tfTask, recording every
// request in the returned timeline.
func simulator(n int, primariesDown bool) (*ocpsim.Sim, *httptest.Server, *timeline, error) {
	sim, err := ocpsim.New(ocpsim.Config{Scenario: world(n, primariesDown), TaskDuration: tfTask})
	if err != nil {
		return nil, nil, nil, err
	}
	tl := &timeline{}
	return sim, tl.serve(sim), tl, nil
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
	if cmd.ProcessState != nil {
		e.lastCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		tail := out.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return took, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail)
	}
	return took, nil
}

// applyScenario plans (saved plan), then measures the apply of that plan. base is Terraform core's own
// wall time for an apply of as many terraform_data resources (0: not measured).
func (e *tfEnv) applyScenario(ctx context.Context, tf, name, config string, n int, base time.Duration) (row, error) {
	sim, srv, tl, err := simulator(n, true) // the apply scenarios fail tenants over
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
	reqMark, connMark := tl.mark()
	mem := watchMemory(e.bin)
	applyStart := time.Now()
	wall, err := e.terraform(ctx, tf, dir, srv.URL, "apply", "-input=false", "-no-color", "-parallelism=200", "tfplan")
	applyEnd := applyStart.Add(wall)
	peak, provCPU := mem()
	tfCPU := e.lastCPU
	if err != nil {
		return row{}, err
	}
	after := sim.Counters().Requests
	reqs, conns := tl.since(reqMark, connMark)
	sp := spans(reqs, applyStart)
	// Status requests of the waits only: the "already running?" lookups before each start are not polling,
	// nor is the credentials check of the apply's provider configuration.
	found, checks := 0, 0
	if s := sp[kindLookup]; s != nil {
		found = s.n
	}
	if s := sp[kindCheck]; s != nil {
		checks = s.n
	}
	status := statusRequests(sim) - before[ocpsim.RouteTaskDetail] - before[ocpsim.RouteTaskList] - found - checks

	tasks := sim.Tasks()
	if len(tasks) != n {
		return row{}, fmt.Errorf("%d tasks ran, want %d", len(tasks), n)
	}
	var (
		longest, sum time.Duration
		firstStart   = tasks[0].StartTime
		lastStart    time.Time
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
		lastStart = maxTime(lastStart, t.StartTime)
		lastFinish = maxTime(lastFinish, *t.FinishTime)
	}
	// After the last task ended: when its detail (the last request) was answered.
	var lastReq time.Time
	for _, r := range reqs {
		lastReq = maxTime(lastReq, r.end)
	}
	baseNote := ""
	if base > 0 {
		baseNote = fmt.Sprintf(" Terraform core alone (200 terraform_data, same flags, this run): %s.", fmtDur(base))
	}
	return row{
		scenario: name, tasks: n, taskDur: tfTask, wall: wall, requests: status,
		perTaskSec: float64(status) / sum.Seconds(),
		perProcSec: float64(status) / wall.Seconds(),
		peakRSS:    peak,
		note: fmt.Sprintf("apply %s = longest task %s + %s (target: + 2s).%s Phases: first request %s into the apply; tasks started from %s to %s; "+
			"last task ended %s into the apply, its detail answered %s later, apply exited %s after it ended. "+
			"CPU: provider %s, Terraform core %s. Requests: %s; %d new TCP connections. Per route: %s (the %d lookups are the provider's per-tenant \"already running?\" checks before starting, not counted as status requests)",
			fmtDur(wall), fmtDur(longest), fmtDur(wall-longest), baseNote,
			fmtDur(reqs[0].start.Sub(applyStart)), fmtDur(firstStart.Sub(applyStart)), fmtDur(lastStart.Sub(applyStart)),
			fmtDur(lastFinish.Sub(applyStart)), fmtDur(lastReq.Sub(lastFinish)), fmtDur(applyEnd.Sub(lastFinish)),
			fmtDur(provCPU), fmtDur(tfCPU-provCPU),
			describeSpans(sp, kindTenant, kindLookup, kindStart, kindList, kindDetail), conns, routeDiff(before, after), found),
	}, nil
}

// baselineApply is Terraform core's own cost of applying n terraform_data resources at -parallelism=n
// (no provider process): the median wall time of rounds applies, each from an empty state.
func (e *tfEnv) baselineApply(ctx context.Context, tf string, n, rounds int) (wall, cpu time.Duration, err error) {
	dir, err := e.workdir("baseline", fmt.Sprintf("resource \"terraform_data\" \"each\" {\n  count = %d\n  input = count.index\n}\n", n))
	if err != nil {
		return 0, 0, err
	}
	par := fmt.Sprintf("-parallelism=%d", n)
	var walls, cpus []time.Duration
	for range rounds {
		for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
			_ = os.Remove(filepath.Join(dir, f))
		}
		if _, err := e.terraform(ctx, tf, dir, "http://127.0.0.1:1", "plan", "-input=false", "-no-color", par, "-out=tfplan"); err != nil {
			return 0, 0, err
		}
		w, err := e.terraform(ctx, tf, dir, "http://127.0.0.1:1", "apply", "-input=false", "-no-color", par, "tfplan")
		if err != nil {
			return 0, 0, err
		}
		walls, cpus = append(walls, w), append(cpus, e.lastCPU)
	}
	wall, _ = percentiles(walls)
	cpu, _ = percentiles(cpus)
	return wall, cpu, nil
}

// planScenario compares the plan of n switchover pairs that each need a switchover (so that each runs
// OCP's precheck) with a plan of n terraform_data resources. Plans alternate, rounds times each after
// one warm-up of each, and the medians are compared.
func (e *tfEnv) planScenario(ctx context.Context, tf, name string, n, rounds int) (row, error) {
	sim, srv, tl, err := simulator(n, false)
	if err != nil {
		return row{}, err
	}
	defer srv.Close()
	defer sim.Close()
	base, err := e.workdir(name, fmt.Sprintf("resource \"terraform_data\" \"pair\" {\n  count = %d\n  input = count.index\n}\n", n))
	if err != nil {
		return row{}, err
	}
	// The roles declared are the reverse of OCP's: every pair needs a switchover, so every plan reads both
	// tenants, looks for a running switchover and runs the precheck.
	sw, err := e.workdir(name, fmt.Sprintf(`
resource "ocp_tenant_switchover" "pair" {
  count   = %d
  primary = { cluster_id = %d, tenant_id = %d + count.index }
  standby = { cluster_id = %d, tenant_id = %d + count.index }
}
`, n, standbyClusterID, firstStandbyID, primaryClusterID, firstPrimaryID))
	if err != nil {
		return row{}, err
	}
	const parallelism = 10 // Terraform's default
	var baseWalls, swWalls []time.Duration
	var peak int64
	var precheckTotal time.Duration
	var prechecks int
	var perRound []string
	for round := range rounds + 1 {
		baseWall, err := e.terraform(ctx, tf, base, srv.URL, "plan", "-input=false", "-no-color")
		if err != nil {
			return row{}, err
		}
		baseCPU := e.lastCPU
		mem := watchMemory(e.bin)
		reqMark, connMark := tl.mark()
		swWall, err := e.terraform(ctx, tf, sw, srv.URL, "plan", "-input=false", "-no-color")
		p, provCPU := mem()
		swCPU := e.lastCPU
		if err != nil {
			return row{}, err
		}
		if round == 0 {
			continue // warm-up: file system caches, the provider binary
		}
		peak = max(peak, p)
		reqs, _ := tl.since(reqMark, connMark)
		if s := spans(reqs, time.Now())[kindPrecheck]; s != nil {
			precheckTotal += s.total
			prechecks += s.n
		}
		baseWalls, swWalls = append(baseWalls, baseWall), append(swWalls, swWall)
		perRound = append(perRound, fmt.Sprintf("%s/%s (CPU: %s of which provider %s / %s)", fmtDur(swWall), fmtDur(baseWall),
			fmtDur(swCPU), fmtDur(provCPU), fmtDur(baseCPU)))
	}
	if prechecks != n*rounds {
		return row{}, fmt.Errorf("%d prechecks over %d plans, want %d each", prechecks, rounds, n)
	}
	baseMed, _ := percentiles(baseWalls)
	swMed, _ := percentiles(swWalls)
	// The prechecks' own latency on the plan's critical path: their summed duration (as the simulator's
	// handler timed it) per plan, spread over Terraform's parallelism.
	own := precheckTotal / time.Duration(rounds) / parallelism
	limit := time.Duration(1.5*float64(baseMed)) + own
	verdict := "met"
	if swMed > limit {
		verdict = "NOT met"
	}
	return row{
		scenario: name, tasks: 0, wall: swMed, peakRSS: peak,
		note: fmt.Sprintf("median of %d plans: 200 switchover pairs that each need a switchover (precheck included) %s vs 200 terraform_data %s: ratio %.2f; "+
			"target sw <= 1.5 x base + the prechecks' own latency (%s per plan: %s summed over 200 prechecks / parallelism %d) = %s: %s. "+
			"Rounds (switchover/terraform_data): %s. Plan requests over all plans: %s",
			rounds, fmtDur(swMed), fmtDur(baseMed), swMed.Seconds()/baseMed.Seconds(), fmtDur(own),
			fmtDur(precheckTotal/time.Duration(rounds)), parallelism, fmtDur(limit), verdict,
			strings.Join(perRound, ", "), routeDiff(nil, sim.Counters().Requests)),
	}, nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// watchMemory samples, every 50ms, the peak resident memory (VmHWM) and the CPU time of every running
// process whose executable is bin; the returned function stops it and returns the largest peak, in
// bytes, and the CPU time summed over those processes (as last sampled: the last 50ms are missed).
func watchMemory(bin string) func() (int64, time.Duration) {
	var (
		mu   sync.Mutex
		peak int64
		cpu  = map[int]time.Duration{}
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
			kb, used := vmHWM(pid), cpuTime(pid)
			mu.Lock()
			peak = max(peak, kb<<10)
			cpu[pid] = max(cpu[pid], used)
			mu.Unlock()
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
	return func() (int64, time.Duration) {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		var total time.Duration
		for _, c := range cpu {
			total += c
		}
		return peak, total
	}
}

// cpuTime reads a process's user+system CPU time from /proc/<pid>/stat (in clock ticks of 10ms).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
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
