package ocpsim

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
