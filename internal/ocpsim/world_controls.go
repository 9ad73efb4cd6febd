package ocpsim

// This file holds the changes a test makes to the world behind the client's back: sync, roles, a lost
// tenant, odd statuses. Each says which of OCP's rules then apply; none injects a request fault
// (faults.go does).

// SetStandbySync sets a standby's log delay and sync status (for example "STANDBY LOG NOT MATCH").
// An unknown tenant is logged and ignored.
func (s *Sim) SetStandbySync(tenantID int64, delayMillis int64, syncStatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetStandbySync: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	t.LogSyncDelayMillis = &delayMillis
	t.SyncStatus = syncStatus
}

// SetTenantRole changes a tenant's role behind the client's back, to test drift detection. Making a
// tenant PRIMARY also clears its primary and sync fields, as OCP would show them.
func (s *Sim) SetTenantRole(tenantID int64, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetTenantRole: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	if role == RolePrimary {
		setPrimaryFields(t)
		return
	}
	t.TenantRole = role
}

// SetTenantDown marks a tenant unavailable (down) or available again. A down primary lets its standbys
// be failed over (OCP refuses otherwise, OBE26019), and a precheck involving a down tenant blocks
// (OBE26006), so a switchover is refused. Nothing else changes: the tenant reads as before, and its
// standbys keep their sync fields (SetStandbySync sets the lag a lost primary leaves). An unknown tenant
// is logged and ignored.
func (s *Sim) SetTenantDown(tenantID int64, down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		s.log.Warn("SetTenantDown: no such tenant, ignored", "tenantId", tenantID)
		return
	}
	t.Down = down
}

// SetTenantStatus shows a tenant in status (MODIFYING, CREATING, anything) behind the client's back, as
// a disaster may leave it. The rules stay OCP's: a switchover or failover of a tenant that is not
// NORMAL is refused (OBE21005) even with no task running, and its precheck blocks (OBE26004). A task
// that later runs on the tenant sets MODIFYING and, when it ends, NORMAL. An unknown tenant or an
// empty status is logged and ignored.
func (s *Sim) SetTenantStatus(tenantID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok || status == "" {
		s.log.Warn("SetTenantStatus: no such tenant or no status, ignored", "tenantId", tenantID, "status", status)
		return
	}
	t.Status = status
}

// SetClusterStatus shows a cluster in status (OPERATING, UNAVAILABLE, anything) behind the client's
// back. Cluster failover's rules do not look at the status: a standby cluster in an odd status can be
// failed over, only a running task on it refuses (OBE11020). A cluster failover sets FAILOVER and, when
// it ends, RUNNING. An unknown cluster or an empty status is logged and ignored.
func (s *Sim) SetClusterStatus(clusterID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok || status == "" {
		s.log.Warn("SetClusterStatus: no such cluster or no status, ignored", "clusterId", clusterID, "status", status)
		return
	}
	c.Status = status
}

// SetClusterSync sets a standby cluster's delay (seconds) and sync status (VALID, DISABLED,
// SYNCHRONIZING or anything else a test needs), as the documented cluster detail shows them; a
// negative delay goes back to deriving it from the cluster's standby tenants. It changes no rule. An
// unknown cluster is logged and ignored.
func (s *Sim) SetClusterSync(clusterID int64, delaySeconds float64, syncStatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok {
		s.log.Warn("SetClusterSync: no such cluster, ignored", "clusterId", clusterID)
		return
	}
	c.DelayTime = nil
	if delaySeconds >= 0 {
		c.DelayTime = &delaySeconds
	}
	c.SyncStatus = syncStatus
}

// SetRolesChangeMidTask makes roles change when the subtask that writes them succeeds ("Update tenant
// role in meta", "Failover to primary tenant", "Failover to Primary") rather than when the task does, so
// that a task failing after it ends FAILED with the new roles in place. OCP documents neither; the
// default (roles change with the task's success) is the contract's assumption.
func (s *Sim) SetRolesChangeMidTask(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rolesMidTask = on
}
