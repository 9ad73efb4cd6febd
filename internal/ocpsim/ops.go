package ocpsim

import (
	"net/http"
	"strings"
)

// This file holds the DR operations on the world, shared by the HTTP handlers and nothing else; the
// handlers only parse requests and encode answers.

// lookupTenant finds tenant id in cluster clusterID. Call with s.mu held.
func (s *Sim) lookupTenant(clusterID, tenantID int64) (*Tenant, *Error) {
	if _, ok := s.clusters[clusterID]; !ok {
		return nil, clusterNotFound(clusterID)
	}
	t, ok := s.tenants[tenantID]
	if !ok {
		return nil, tenantNotFound(tenantID)
	}
	if t.ClusterID != clusterID {
		// OCP looks tenants up within the cluster of the path, so a tenant of another cluster is not found.
		return nil, errf(http.StatusNotFound, CodeTenantNotFound, "Tenant %d does not exist in OB cluster %d.", tenantID, clusterID)
	}
	return t, nil
}

// pairFor checks a precheck or switchover request and returns its primary and standby.
// Call with s.mu held.
func (s *Sim) pairFor(clusterID, pathTenantID int64, body switchoverBody) (*Tenant, *Tenant, *Error) {
	if body.TenantID == 0 || body.StandbyTenantID == 0 {
		return nil, nil, badRequest("tenantId and standbyTenantId must not be null.")
	}
	if body.TenantID != pathTenantID {
		return nil, nil, badRequest("tenantId %d in the body does not match tenant %d of the path.", body.TenantID, pathTenantID)
	}
	if body.StandbyTenantID == body.TenantID {
		return nil, nil, badRequest("standbyTenantId must differ from tenantId.")
	}
	p, e := s.lookupTenant(clusterID, pathTenantID)
	if e != nil {
		return nil, nil, e
	}
	sb, ok := s.tenants[body.StandbyTenantID]
	if !ok {
		return nil, nil, tenantNotFound(body.StandbyTenantID)
	}
	return p, sb, nil
}

// tenantOperable refuses a switchover or failover of t (OBE21005) while a running task holds it, or
// while its status is not NORMAL: OCP checks the tenant's status before it starts an operation, so a
// tenant left MODIFYING with no task (SetTenantStatus) is refused too. Call with s.mu held.
func (s *Sim) tenantOperable(t *Tenant) *Error {
	if busy := s.runningTaskFor(t.ID, 0); busy != nil {
		return tenantBusy(t, heldBy(busy))
	}
	if t.Status != TenantNormal {
		return tenantBusy(t, "its status is "+t.Status)
	}
	return nil
}

func (s *Sim) doPrecheck(clusterID, tenantID int64, body switchoverBody) (precheckResult, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, sb, e := s.pairFor(clusterID, tenantID, body)
	if e != nil {
		return precheckResult{}, e
	}
	s.counters.Prechecks++
	return s.precheck(p, sb), nil
}

func (s *Sim) doSwitchover(creator TaskCreator, clusterID, tenantID int64, body switchoverBody) (Task, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, sb, e := s.pairFor(clusterID, tenantID, body)
	if e != nil {
		return Task{}, e
	}
	for _, t := range []*Tenant{p, sb} {
		if e := s.tenantOperable(t); e != nil {
			return Task{}, e
		}
	}
	res := s.precheck(p, sb)
	if !res.Valid {
		return Task{}, errf(http.StatusBadRequest, CodePrecheckBlocked,
			"The switchover precheck failed: %s", strings.Join(res.blockingMessages(), " "))
	}
	rec := s.newTask(OpSwitchover, creator, p.ClusterID, p.ID)
	rec.tenants = []int64{p.ID, sb.ID}
	rec.primaryID, rec.standbyID = p.ID, sb.ID
	s.counters.Switchovers++
	return s.launch(rec), nil
}

func (s *Sim) doTenantFailover(creator TaskCreator, clusterID int64, body failoverBody) ([]Task, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.clusters[clusterID]; !ok {
		return nil, clusterNotFound(clusterID)
	}
	if len(body.Items) == 0 {
		return nil, badRequest("failoverTenantItemList must not be empty.")
	}
	// Validate every item before starting any, so a bad batch changes nothing.
	seen := map[int64]bool{}
	for _, it := range body.Items {
		if it.TenantID == 0 {
			return nil, badRequest("failoverTenantItemList[].tenantId must not be null.")
		}
		if seen[it.TenantID] {
			return nil, errf(http.StatusBadRequest, CodeTenantDuplicated, "Tenant %d appears more than once in failoverTenantItemList.", it.TenantID)
		}
		seen[it.TenantID] = true
		t, ok := s.tenants[it.TenantID]
		if !ok {
			return nil, tenantNotFound(it.TenantID)
		}
		if t.ClusterID != clusterID || t.TenantRole != RoleStandby {
			return nil, errf(http.StatusBadRequest, CodeTenantNotStandby, "Tenant %s (%d) is not a standby tenant of OB cluster %d.", t.Name, t.ID, clusterID)
		}
		if e := s.tenantOperable(t); e != nil {
			return nil, e
		}
		// OCP fails a standby over only when its primary is unavailable: a failover beside a live
		// primary would leave two writable copies of the data.
		if p := s.tenants[t.PrimaryTenantID]; p != nil && !p.Down {
			return nil, errf(http.StatusBadRequest, CodePrimaryTenantAlive,
				"The primary tenant %s corresponding to this tenant (%s) is alive, so the tenant cannot be failed over.", p.Name, t.Name)
		}
	}
	out := make([]Task, 0, len(body.Items))
	for _, it := range body.Items {
		t := s.tenants[it.TenantID]
		rec := s.newTask(OpTenantFailover, creator, t.ClusterID, t.ID)
		rec.tenants = []int64{t.ID}
		rec.standbyID = t.ID
		rec.serviceName = it.ServiceName
		s.counters.TenantFailovers++
		out = append(out, s.launch(rec))
	}
	return out, nil
}

func (s *Sim) doClusterFailover(creator TaskCreator, clusterID int64) (Task, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok {
		return Task{}, clusterNotFound(clusterID)
	}
	if busy := s.runningTaskFor(0, clusterID); busy != nil {
		return Task{}, clusterBusy(c, busy.t.ID)
	}
	if c.Type != ClusterStandby {
		return Task{}, errf(http.StatusBadRequest, CodeClusterNotStandby, "OB cluster %s (%d) is not a standby cluster.", c.Name, c.ID)
	}
	rec := s.newTask(OpClusterFailover, creator, c.ID, 0)
	rec.clusters = []int64{c.ID}
	s.counters.ClusterFailovers++
	return s.launch(rec), nil
}

// launch marks the task's tenants and clusters busy, snapshots the task for the create response and
// starts its root subtasks. Call with s.mu held.
func (s *Sim) launch(rec *taskRec) Task {
	s.markBusy(rec)
	snap := rec.t.clone(true)
	s.pump(rec)
	return snap
}

// applySuccess changes roles: when the task succeeds, or when its role subtask does
// (SetRolesChangeMidTask). Call with s.mu held.
func (s *Sim) applySuccess(rec *taskRec) {
	rec.rolesApplied = true
	switch rec.kind {
	case OpSwitchover:
		p, sb := s.tenants[rec.primaryID], s.tenants[rec.standbyID]
		var delay int64
		if sb.LogSyncDelayMillis != nil {
			delay = *sb.LogSyncDelayMillis
		}
		setPrimaryFields(sb)
		setStandbyFields(p, sb.ID, delay)
		// A switchover keeps the topology: the old primary's other standbys follow the new primary.
		for _, t := range s.tenants {
			if t.TenantRole == RoleStandby && t.PrimaryTenantID == p.ID && t.ID != p.ID {
				t.PrimaryTenantID = sb.ID
			}
		}
	case OpTenantFailover:
		sb := s.tenants[rec.standbyID]
		setPrimaryFields(sb)
		if rec.serviceName != "" {
			sb.ServiceName = rec.serviceName
		}
	case OpClusterFailover:
		for _, id := range rec.clusters {
			c := s.clusters[id]
			c.Type = ClusterPrimary
			c.PrimaryClusterID = 0
		}
		s.linkClusters()
	}
}
