package ocp

import (
	"sync"
	"time"
)

// observation is one answered request: when it was sent and answered in our clock, and OCP's clock in
// its answer (the envelope's timestamp; zero when OCP sent none).
type observation struct {
	sent, recv, server time.Time
}

// offset is OCP's clock minus ours, taking the answer's timestamp for the middle of the round trip, and
// how far off that can be (half the round trip plus OCP's millisecond resolution).
func (o observation) offset() (offset, uncertainty time.Duration, ok bool) {
	if o.server.IsZero() || o.sent.IsZero() || o.recv.Before(o.sent) {
		return 0, 0, false
	}
	half := o.recv.Sub(o.sent) / 2
	return o.server.Sub(o.sent.Add(half)), half + time.Millisecond, true
}

// clockOffset is the client's latest view of OCP's clock against its own: the task poller maps a task's
// instants to ours with it, and the lookup after an unknown start dates the request in OCP's clock.
type clockOffset struct {
	mu          sync.Mutex
	offset      time.Duration
	uncertainty time.Duration
	known       bool
}

// record keeps the offset of an answered request that carried OCP's clock.
func (c *clockOffset) record(o observation) {
	off, unc, ok := o.offset()
	if !ok {
		return
	}
	c.mu.Lock()
	c.offset, c.uncertainty, c.known = off, unc, true
	c.mu.Unlock()
}

// get returns the latest offset, and false before any answer carried OCP's clock.
func (c *clockOffset) get() (offset, uncertainty time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset, c.uncertainty, c.known
}
