package dr

import (
	"sync"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// syncReporter serialises a Reporter's calls: a batch waits for its tasks concurrently.
type syncReporter struct {
	mu sync.Mutex
	r  Reporter
}

// serialise wraps r (nil reports nothing).
func serialise(r Reporter) *syncReporter { return &syncReporter{r: r} }

func (s *syncReporter) Say(m string) {
	if s.r == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Say(m)
}

func (s *syncReporter) Progress(ev ocp.ProgressEvent) {
	if s.r == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Progress(ev)
}

func (s *syncReporter) Unreachable(u ocp.Unreachable) {
	if s.r == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Unreachable(u)
}

// waitOptions reports a wait's progress and outages to rep.
func waitOptions(rep *syncReporter) ocp.WaitOptions {
	return ocp.WaitOptions{OnProgress: rep.Progress, OnUnreachable: rep.Unreachable}
}
