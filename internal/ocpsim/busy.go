package ocpsim

import "time"

// This file is how a running task shows on the world: its tenants MODIFYING and its clusters FAILOVER
// while it runs, and back to NORMAL / RUNNING when it ends. OCP may mark them a moment after the task
// appears in the task list; Settings.BusyDelay reproduces that window, during which the tenants read
// NORMAL yet the running task still holds them (runningTaskFor refuses a second operation).

// markBusy shows rec as running on the world, after the busy delay if there is one. Call with s.mu held.
func (s *Sim) markBusy(rec *taskRec) {
	s.stopBusyTimer(rec)
	rec.busySince = s.now()
	if s.settings.BusyDelay <= 0 {
		s.showBusy(rec)
		return
	}
	s.scheduleBusy(rec, s.settings.BusyDelay)
}

// scheduleBusy (re)arms rec's busy marking to happen after d. Call with s.mu held.
func (s *Sim) scheduleBusy(rec *taskRec, d time.Duration) {
	s.stopBusyTimer(rec)
	var tm *time.Timer
	tm = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if rec.busyTimer != tm {
			return // re-armed or stopped since
		}
		rec.busyTimer = nil
		if rec.t.Status == TaskRunning && !s.closed {
			s.showBusy(rec)
		}
	})
	rec.busyTimer = tm
}

// rescheduleBusy applies the current busy delay to the markings still pending, counted from when their
// task started running, so that a test can open a long window and close it. Call with s.mu held.
func (s *Sim) rescheduleBusy() {
	for _, rec := range s.tasks {
		if rec.busyTimer == nil {
			continue
		}
		if left := rec.busySince.Add(s.settings.BusyDelay).Sub(s.now()); left > 0 {
			s.scheduleBusy(rec, left)
		} else {
			s.stopBusyTimer(rec)
			s.showBusy(rec)
		}
	}
}

func (s *Sim) stopBusyTimer(rec *taskRec) {
	if rec.busyTimer != nil {
		rec.busyTimer.Stop()
		rec.busyTimer = nil
	}
}

// showBusy puts rec's tenants in MODIFYING and its clusters in FAILOVER.
func (s *Sim) showBusy(rec *taskRec) {
	for _, id := range rec.tenants {
		if t := s.tenants[id]; t != nil {
			t.Status = TenantModifying
		}
	}
	for _, id := range rec.clusters {
		if c := s.clusters[id]; c != nil {
			c.Status = ClusterFailover
		}
	}
}

// release puts the task's tenants and clusters back to their resting status (a pending marking is
// dropped: the task ended within the window). Call with s.mu held.
func (s *Sim) release(rec *taskRec) {
	s.stopBusyTimer(rec)
	for _, id := range rec.tenants {
		if t := s.tenants[id]; t != nil {
			t.Status = TenantNormal
		}
	}
	for _, id := range rec.clusters {
		if c := s.clusters[id]; c != nil {
			c.Status = ClusterRunning
		}
	}
}

// SetBusyDelay sets how long after a task starts running (or restarts, on retry or rollback) its
// tenants turn MODIFYING and its clusters FAILOVER; 0 marks them at once. It also applies to markings
// still pending, counted from their task's start.
func (s *Sim) SetBusyDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.BusyDelay = max(d, 0)
	if !s.closed {
		s.rescheduleBusy()
	}
}
