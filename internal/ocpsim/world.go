package ocpsim

import "slices"

// Tenant roles, tenant statuses, cluster types and cluster statuses the simulator uses.
const (
	RolePrimary = "PRIMARY"
	RoleStandby = "STANDBY"

	TenantNormal    = "NORMAL"
	TenantModifying = "MODIFYING"

	ClusterPrimary = "PRIMARY"
	ClusterStandby = "STANDBY"

	ClusterRunning  = "RUNNING"
	ClusterFailover = "FAILOVER"

	SyncNormal = "NORMAL"
)

// Tenant is a tenant as the tenant detail route shows it. The DR fields (tenantRole onwards) are the
// contract's [assumed] names.
type Tenant struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ClusterID   int64  `json:"clusterId"`
	ClusterName string `json:"clusterName"`
	Status      string `json:"status"`
	TenantRole  string `json:"tenantRole"`
	// PrimaryTenantID is the id of a standby's primary; 0 (absent) on a primary.
	PrimaryTenantID int64 `json:"primaryTenantId,omitempty"`
	// SyncStatus and LogSyncDelayMillis describe a standby's log sync; absent on a primary.
	SyncStatus         string `json:"syncStatus,omitempty"`
	LogSyncDelayMillis *int64 `json:"logSyncDelayMillis,omitempty"`
	ServiceName        string `json:"serviceName,omitempty"`
	// SyncSCN is a standby's sync SCN (ns since the epoch). It is computed when the tenant is read
	// (now minus the log delay), so it advances with time; a scenario's value is ignored.
	SyncSCN int64 `json:"syncScn,omitempty"`
}

// Cluster is an OB cluster as the cluster detail route shows it. Type and the standby relation are the
// contract's [assumed] names.
type Cluster struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Type   string `json:"type"`
	// StandbyClusterIDs is derived from the standbys' PrimaryClusterID; a scenario's value is ignored.
	StandbyClusterIDs []int64 `json:"standbyClusterIds,omitempty"`
	PrimaryClusterID  int64   `json:"primaryClusterId,omitempty"`
	// OBProxyCluster names the OBProxy cluster in front of this cluster. Two tenants whose clusters sit
	// behind different OBProxy clusters get the OBE26107 precheck warning.
	OBProxyCluster string `json:"obproxyCluster,omitempty"`
}

func (t *Tenant) clone() Tenant {
	c := *t
	if t.LogSyncDelayMillis != nil {
		d := *t.LogSyncDelayMillis
		c.LogSyncDelayMillis = &d
	}
	return c
}

func (c *Cluster) clone() Cluster {
	out := *c
	out.StandbyClusterIDs = slices.Clone(c.StandbyClusterIDs)
	return out
}

// tenantView is the tenant as served now: a copy with its sync SCN computed. Call with s.mu held.
func (s *Sim) tenantView(t *Tenant) Tenant {
	v := t.clone()
	v.SyncSCN = 0
	if v.TenantRole == RoleStandby {
		var delay int64
		if v.LogSyncDelayMillis != nil {
			delay = *v.LogSyncDelayMillis
		}
		v.SyncSCN = s.now().UnixNano() - delay*1_000_000
	}
	return v
}

// setPrimaryFields turns t into a primary: no primary of its own, no sync fields.
func setPrimaryFields(t *Tenant) {
	t.TenantRole = RolePrimary
	t.PrimaryTenantID = 0
	t.SyncStatus = ""
	t.LogSyncDelayMillis = nil
}

// setStandbyFields turns t into a standby of primary, in sync with the given delay.
func setStandbyFields(t *Tenant, primary int64, delay int64) {
	t.TenantRole = RoleStandby
	t.PrimaryTenantID = primary
	t.SyncStatus = SyncNormal
	t.LogSyncDelayMillis = &delay
}

// linkClusters recomputes every cluster's StandbyClusterIDs from the standbys' PrimaryClusterID.
func (s *Sim) linkClusters() {
	for _, c := range s.clusters {
		c.StandbyClusterIDs = nil
	}
	for _, c := range s.clusters {
		if p, ok := s.clusters[c.PrimaryClusterID]; ok && c.PrimaryClusterID != 0 {
			p.StandbyClusterIDs = append(p.StandbyClusterIDs, c.ID)
		}
	}
	for _, c := range s.clusters {
		slices.Sort(c.StandbyClusterIDs)
	}
}
