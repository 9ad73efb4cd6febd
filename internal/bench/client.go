package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// clientScenario measures the OCP client's WaitForTask against the simulator over loopback HTTP.
type clientScenario struct {
	name string
	// task is the duration of every task, in the simulator's (possibly scaled) time.
	task time.Duration
	// scale > 1 runs the scenario scale times faster: tasks, poll interval and stagger are divided by
	// it, and measured delays multiplied by it back. Requests are not affected by the scaling.
	scale float64
	// clients independent clients (as many provider processes), each waiting for perClient tasks.
	clients, perClient int
	// failover starts the tasks as one batch tenant failover per client, else one switchover per task.
	failover bool
	// stagger spreads the clients' starts over this much (unscaled) time, so that the task ends fall at
	// every phase of the poller's ticks.
	stagger time.Duration
	// weights makes some subtasks run longer than the others (ocpsim.Config.SubtaskWeights), as on a
	// real OCP; the task still lasts task in all.
	weights map[string]float64
}

// runClient runs one client scenario and returns its row.
func runClient(ctx context.Context, sc clientScenario) (row, error) {
	scale := max(sc.scale, 1)
	scaled := func(d time.Duration) time.Duration { return time.Duration(float64(d) / scale) }
	n := sc.clients * sc.perClient
	sim, err := ocpsim.New(ocpsim.Config{Scenario: world(n, sc.failover), TaskDuration: scaled(sc.task), SubtaskWeights: sc.weights})
	if err != nil {
		return row{}, err
	}
	defer sim.Close()
	srv := httptest.NewServer(sim)
	defer srv.Close()

	type result struct {
		id       int64
		returned time.Time
		err      error
	}
	var (
		mu      sync.Mutex
		results []result
		wg      sync.WaitGroup
		start   = time.Now()
	)
	for ci := range sc.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ocp.New(ocp.Config{URL: srv.URL, Username: ocpsim.DefaultUser, Password: ocpsim.DefaultPassword,
				PollInterval: scaled(2 * time.Second), UserAgent: "ocpbench"})
			if err != nil {
				mu.Lock()
				results = append(results, result{err: err})
				mu.Unlock()
				return
			}
			if sc.clients > 1 {
				time.Sleep(scaled(sc.stagger * time.Duration(ci) / time.Duration(sc.clients)))
			}
			var ids []int64
			if sc.failover {
				req := ocp.FailoverRequest{}
				for k := range sc.perClient {
					req.Items = append(req.Items, ocp.FailoverItem{TenantID: firstStandbyID + int64(ci*sc.perClient+k)})
				}
				tasks, err := c.FailoverTenants(ctx, standbyClusterID, req)
				if err != nil {
					mu.Lock()
					results = append(results, result{err: err})
					mu.Unlock()
					return
				}
				for _, t := range tasks {
					ids = append(ids, t.ID)
				}
			} else {
				var smu sync.Mutex
				var swg sync.WaitGroup
				for k := range sc.perClient {
					swg.Add(1)
					go func() {
						defer swg.Done()
						i := int64(ci*sc.perClient + k)
						t, err := c.Switchover(ctx, primaryClusterID, ocp.SwitchoverRequest{TenantID: firstPrimaryID + i, StandbyTenantID: firstStandbyID + i})
						smu.Lock()
						defer smu.Unlock()
						if err != nil {
							mu.Lock()
							results = append(results, result{err: err})
							mu.Unlock()
							return
						}
						ids = append(ids, t.ID)
					}()
				}
				swg.Wait()
			}
			var cwg sync.WaitGroup
			for _, id := range ids {
				cwg.Add(1)
				go func() {
					defer cwg.Done()
					_, err := c.WaitForTask(ctx, id, ocp.WaitOptions{})
					r := result{id: id, returned: time.Now(), err: err}
					mu.Lock()
					results = append(results, r)
					mu.Unlock()
				}()
			}
			cwg.Wait()
		}()
	}
	wg.Wait()
	wall := time.Since(start)

	var delays []time.Duration
	var taskSeconds float64
	for _, r := range results {
		if r.err != nil {
			return row{}, fmt.Errorf("%s: %w", sc.name, r.err)
		}
		t, ok := sim.Task(r.id)
		if !ok || t.FinishTime == nil {
			return row{}, fmt.Errorf("%s: task %d has no finish time", sc.name, r.id)
		}
		delays = append(delays, time.Duration(float64(r.returned.Sub(*t.FinishTime))*scale))
		taskSeconds += t.FinishTime.Sub(t.StartTime).Seconds() * scale
	}
	reqs := statusRequests(sim)
	med, p95 := percentiles(delays)
	rw := row{
		scenario:    sc.name,
		tasks:       n,
		taskDur:     sc.task,
		wall:        time.Duration(float64(wall) * scale),
		delayMedian: med, delayP95: p95, hasDelay: true,
		requests:   reqs,
		perTaskSec: float64(reqs) / taskSeconds,
		// Per process: each client stands for a provider process; its share of the requests over the
		// time its tasks run (they run side by side).
		perProcSec: float64(reqs) / float64(sc.clients) / (taskSeconds / float64(n)),
	}
	if scale > 1 {
		rw.note = fmt.Sprintf("scaled 1/%g: ran %v tasks, poll base %v; delays and wall ×%g", scale,
			scaled(sc.task).Round(time.Millisecond), scaled(2*time.Second).Round(time.Millisecond), scale)
	}
	return rw, nil
}
