package dr

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// taskReadRelease lets a task held by the simulator (step duration an hour) finish once the code under
// test has read it: the first task read (list or detail) served after arm releases it. Tests of a race
// use it instead of a sleep, so that the code under test always finds the task running first.
type taskReadRelease struct {
	sim   *ocpsim.Sim
	armed atomic.Bool
	once  sync.Once
}

func (r *taskReadRelease) arm() { r.armed.Store(true) }

// served is called after the simulator answered req.
func (r *taskReadRelease) served(req *http.Request) {
	if r.armed.Load() && req.Method == http.MethodGet && strings.HasPrefix(req.URL.Path, "/api/v2/tasks/instances") {
		r.once.Do(func() { r.sim.SetStepDuration(time.Millisecond) })
	}
}
