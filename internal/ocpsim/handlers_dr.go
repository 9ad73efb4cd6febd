package ocpsim

// switchoverBody is the body of the precheck and of the switchover.
type switchoverBody struct {
	TenantID        int64 `json:"tenantId"`
	StandbyTenantID int64 `json:"standbyTenantId"`
}

// failoverBody is the body of the batch tenant failover.
type failoverBody struct {
	Items []struct {
		TenantID    int64  `json:"tenantId"`
		ServiceName string `json:"serviceName"`
	} `json:"failoverTenantItemList"`
}

// contents is OCP's un-paged list.
type contents[T any] struct {
	Contents []T `json:"contents"`
}

func (s *Sim) clusterTenantBody(c *call) (int64, int64, switchoverBody, *Error) {
	var body switchoverBody
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return 0, 0, body, e
	}
	tenantID, e := pathID(c, "tenantId")
	if e != nil {
		return 0, 0, body, e
	}
	if e := decodeBody(c, &body); e != nil {
		return 0, 0, body, e
	}
	return clusterID, tenantID, body, nil
}

// handlePrecheck answers 200 with valid=false when the switchover would be blocked.
func (s *Sim) handlePrecheck(c *call) (any, *Error) {
	clusterID, tenantID, body, e := s.clusterTenantBody(c)
	if e != nil {
		return nil, e
	}
	res, e := s.doPrecheck(clusterID, tenantID, body)
	if e != nil {
		return nil, e
	}
	return res, nil
}

func (s *Sim) handleSwitchover(c *call) (any, *Error) {
	clusterID, tenantID, body, e := s.clusterTenantBody(c)
	if e != nil {
		return nil, e
	}
	t, e := s.doSwitchover(s.creator(c), clusterID, tenantID, body)
	if e != nil {
		return nil, e
	}
	return t, nil
}

func (s *Sim) handleTenantFailover(c *call) (any, *Error) {
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return nil, e
	}
	var body failoverBody
	if e := decodeBody(c, &body); e != nil {
		return nil, e
	}
	tasks, e := s.doTenantFailover(s.creator(c), clusterID, body)
	if e != nil {
		return nil, e
	}
	return contents[Task]{Contents: tasks}, nil
}

// handleClusterFailover takes no body; one sent is ignored.
func (s *Sim) handleClusterFailover(c *call) (any, *Error) {
	clusterID, e := pathID(c, "clusterId")
	if e != nil {
		return nil, e
	}
	t, e := s.doClusterFailover(s.creator(c), clusterID)
	if e != nil {
		return nil, e
	}
	return t, nil
}
