package ocpsim

import "maps"

// Counters counts what the simulator was asked to do. Operations count when they start (a task is
// created, one per item for a batch failover); refused requests do not count, except in Requests.
type Counters struct {
	// Prechecks counts prechecks answered (valid or not).
	Prechecks        int
	Switchovers      int
	TenantFailovers  int
	ClusterFailovers int
	TaskRetries      int
	TaskRollbacks    int
	// Requests counts every request, answered, refused, faulted or dropped, by route key (RouteTenant,
	// …, RouteUnknown).
	Requests map[string]int
}

// Counters returns a copy of the counters.
func (s *Sim) Counters() Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counters
	c.Requests = maps.Clone(s.counters.Requests)
	return c
}
