// Command bench measures how fast the provider notices that OCP tasks ended, how many status requests
// it sends for that, and what a Terraform run over hundreds of tenants costs, against the simulator.
// `make bench` runs it; it prints one table and writes it to -out.
//
// Client scenarios drive internal/ocp's WaitForTask directly (several independent clients stand for
// several provider processes); Terraform scenarios run the real terraform binary with the provider
// built from this tree (dev_overrides) against a simulator served on loopback.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// row is one line of the results table.
type row struct {
	scenario              string
	tasks                 int
	taskDur               time.Duration
	wall                  time.Duration
	delayMedian, delayP95 time.Duration
	hasDelay              bool
	requests              int
	perTaskSec            float64 // status requests per second of task time, summed over tasks
	perProcSec            float64 // status requests per second of waiting, per provider process
	peakRSS               int64   // provider peak resident memory, bytes; 0: not measured
	note                  string
	err                   error
	order                 int
}

func main() {
	out := flag.String("out", "bench-results.txt", "also write the table to this file")
	only := flag.String("only", "", "run only scenarios whose name contains this")
	skipTF := flag.Bool("skip-terraform", false, "skip the Terraform scenarios")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()

	selected := func(name string) bool { return *only == "" || strings.Contains(name, *only) }
	clientScenarios := []clientScenario{
		{name: "1 wait per process, 5s", task: 5 * time.Second, clients: 10, perClient: 1, stagger: 2 * time.Second},
		{name: "1 wait per process, 30s", task: 30 * time.Second, clients: 10, perClient: 1, stagger: 2 * time.Second},
		{name: "1 wait per process, 2min", task: 2 * time.Minute, clients: 10, perClient: 1, stagger: 2 * time.Second},
		{name: "1 wait per process, 30min", task: 30 * time.Minute, scale: 30, clients: 10, perClient: 1, stagger: 2 * time.Second},
		// A real OCP's subtasks differ in length: here the switchover's role change takes 40 times as long
		// as each other step, which a prediction from the mean of the finished steps got badly wrong.
		{name: "1 wait per process, 2min, uneven subtasks", task: 2 * time.Minute, clients: 10, perClient: 1, stagger: 2 * time.Second,
			weights: map[string]float64{"Switch primary tenant to standby": 40}},
		{name: "200 waits, 1 process (batch failover)", task: 30 * time.Second, clients: 1, perClient: 200, failover: true},
		{name: "200 waits, 1 process (200 switchovers)", task: 30 * time.Second, clients: 1, perClient: 200},
	}
	var (
		mu   sync.Mutex
		rows []row
		wg   sync.WaitGroup
	)
	fmt.Fprintln(os.Stderr, "bench: client scenarios (in parallel, about 2 minutes)")
	for i, sc := range clientScenarios {
		if !selected(sc.name) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := runClient(ctx, sc)
			if err != nil {
				r = row{scenario: sc.name, err: err}
			}
			r.order = i
			mu.Lock()
			rows = append(rows, r)
			mu.Unlock()
			fmt.Fprintf(os.Stderr, "bench: done: %s\n", sc.name)
		}()
	}
	wg.Wait()
	slices.SortFunc(rows, func(a, b row) int { return a.order - b.order })
	if !*skipTF {
		fmt.Fprintln(os.Stderr, "bench: Terraform scenarios (about 1.5 minutes)")
		rows = append(rows, runTerraform(ctx, selected)...)
	}

	var b strings.Builder
	writeTable(&b, rows, time.Since(start))
	fmt.Print(b.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	for _, r := range rows {
		if r.err != nil {
			os.Exit(1)
		}
	}
}

func writeTable(w io.Writer, rows []row, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\ttasks\ttask duration\twall time\tdetection median\tdetection p95\tstatus requests\treq/task-s\treq/s/process\tprovider peak RSS")
	for _, r := range rows {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\tERROR: %v\n", r.scenario, r.err)
			continue
		}
		med, p95, mem := "-", "-", "-"
		if r.hasDelay {
			med, p95 = fmtDur(r.delayMedian), fmtDur(r.delayP95)
		}
		if r.peakRSS > 0 {
			mem = fmt.Sprintf("%.0f MiB", float64(r.peakRSS)/(1<<20))
		}
		reqs, perTask, perProc := "-", "-", "-"
		if r.requests > 0 {
			reqs = fmt.Sprint(r.requests)
			perTask = fmt.Sprintf("%.3f", r.perTaskSec)
			perProc = fmt.Sprintf("%.2f", r.perProcSec)
		}
		taskDur := "-"
		if r.taskDur > 0 {
			taskDur = fmtDur(r.taskDur)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.scenario, r.tasks, taskDur, fmtDur(r.wall), med, p95, reqs, perTask, perProc, mem)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(w, "- %s: %s\n", r.scenario, r.note)
		}
	}
	fmt.Fprintln(w, "- detection: from the instant the simulator marks a task ended to WaitForTask returning (client scenarios).")
	fmt.Fprintln(w, "- req/task-s: status requests (task detail + task list) per second of task time summed over tasks;")
	fmt.Fprintln(w, "  req/s/process: per provider process (client), per second of its waiting.")
	fmt.Fprintln(w, "- reference, fixed-interval per-task pollers: every 10s -> ~5s mean detection delay, 0.1 req/task-s;")
	fmt.Fprintln(w, "  every 1s -> ~0.5s mean delay, 1 req/task-s (200 tasks: 200 req/s).")
	fmt.Fprintf(w, "- benchmark took %s\n", took.Round(time.Second))
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return fmt.Sprintf("%.1fmin", d.Minutes())
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

// percentiles returns the median and the 95th percentile (nearest rank).
func percentiles(ds []time.Duration) (median, p95 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return rank(0.5), rank(0.95)
}
