package ocpsim

import (
	"cmp"
	"slices"
)

// handleTenant is the tenant detail: a tenant is found only under its own cluster.
func (s *Sim) handleTenant(c *call) (any, *Error) {
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return nil, e
	}
	tenantID, e := pathID(c, "tenantId")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.lookupTenant(clusterID, tenantID)
	if e != nil {
		return nil, e
	}
	return s.tenantDetail(t), nil
}

// handleTenantList is the tenants of a cluster (OCP's "query tenants of a cluster"), paged as OCP's
// lists are, in tenant id order; each item is the tenant detail's object (the DR fields included unless
// OmitTenantDRFields). It filters name and status as the task list does (listFilter); OCP's other
// filters (mode, locked, readonly) and sort are accepted and ignored. An unknown cluster is 404.
func (s *Sim) handleTenantList(c *call) (any, *Error) {
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return nil, e
	}
	f, e := listFilterOf(c.r.URL.Query())
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.clusters[clusterID]; !ok {
		return nil, clusterNotFound(clusterID)
	}
	var all []*Tenant
	for _, t := range s.tenants {
		if t.ClusterID != clusterID || !f.admits(t.Name, t.Status) {
			continue
		}
		all = append(all, t)
	}
	slices.SortFunc(all, func(a, b *Tenant) int { return cmp.Compare(a.ID, b.ID) })
	from, to, pg := s.pageOf(len(all), f.pageNo, f.size)
	items := make([]any, 0, to-from)
	for _, t := range all[from:to] {
		items = append(items, s.tenantDetail(t))
	}
	return pagedList{Contents: items, Page: pg}, nil
}

// handleCluster is the cluster detail, in the shape mode's form.
func (s *Sim) handleCluster(c *call) (any, *Error) {
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cl, ok := s.clusters[clusterID]
	if !ok {
		return nil, clusterNotFound(clusterID)
	}
	return s.clusterDetail(cl), nil
}
