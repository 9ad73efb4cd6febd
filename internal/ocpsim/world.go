package ocpsim

import (
	"cmp"
	"slices"
	"time"
)

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

	// Sync statuses of a standby cluster, as OCP's cluster list documents them.
	ClusterSyncValid         = "VALID"
	ClusterSyncDisabled      = "DISABLED"
	ClusterSyncSynchronizing = "SYNCHRONIZING"

	ModeMySQL  = "MYSQL"
	ModeOracle = "ORACLE"
)

// Defaults for the documented fields a scenario leaves out.
const (
	defaultOBVersion   = "4.2.1.2"
	defaultPrimaryZone = "zone1"
	firstOBTenantID    = 1002
)

// Tenant is a tenant: the scenario's tenant object (OCP's wire names) and what Sim.Tenant returns. The
// tenant detail route serves it through tenantDetail (views_world.go), never directly.
type Tenant struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ClusterID   int64  `json:"clusterId"`
	ClusterName string `json:"clusterName"`
	// OBTenantID is the tenant's id inside OceanBase. 0 in a scenario means derived: each cluster's
	// tenants get 1002, 1004, … in id order, as OB 4 numbers user tenants.
	OBTenantID int64 `json:"obTenantId,omitempty"`
	// Mode is the tenant's compatibility mode, MYSQL or ORACLE; empty means MYSQL.
	Mode string `json:"mode,omitempty"`
	// PrimaryZone is the tenant's primary zone list; empty means "zone1".
	PrimaryZone string `json:"primaryZone,omitempty"`
	Locked      bool   `json:"locked,omitempty"`
	Readonly    bool   `json:"readonly,omitempty"`
	// CreateTime is when the tenant was created; zero means a day before the simulator started.
	CreateTime time.Time `json:"createTime,omitzero"`
	// OBClusterID, ClusterType and OBVersion are the cluster's, filled when the tenant is read (as OCP's
	// tenant detail repeats them); a scenario's values are ignored.
	OBClusterID int64  `json:"obClusterId,omitempty"`
	ClusterType string `json:"clusterType,omitempty"`
	OBVersion   string `json:"obVersion,omitempty"`
	Status      string `json:"status"`
	// The DR fields, tenantRole to logSyncDelayMillis, are the contract's [assumed] names: OCP documents
	// none of them (the OmitTenantDRFields switch leaves them out of the tenant detail).
	TenantRole string `json:"tenantRole"`
	// PrimaryTenantID is the id of a standby's primary; 0 (absent) on a primary.
	PrimaryTenantID int64 `json:"primaryTenantId,omitempty"`
	// SyncStatus and LogSyncDelayMillis describe a standby's log sync; absent on a primary.
	SyncStatus         string `json:"syncStatus,omitempty"`
	LogSyncDelayMillis *int64 `json:"logSyncDelayMillis,omitempty"`
	ServiceName        string `json:"serviceName,omitempty"`
	// SyncSCN is a standby's sync SCN (ns since the epoch). It is computed when the tenant is read
	// (now minus the log delay), so it advances with time; a scenario's value is ignored.
	SyncSCN int64 `json:"syncScn,omitempty"`
	// Down marks the tenant unavailable (its cluster lost, say). OCP fails a standby over only while its
	// primary is unavailable (OBE26019 otherwise), and a precheck involving a down tenant blocks. It is
	// the simulator's notion and is never served.
	Down bool `json:"down,omitempty"`
}

// Cluster is an OB cluster: the scenario's cluster object and what Sim.Cluster returns. The cluster
// detail route serves it through the shape mode's view (views_world.go). Type and the standby relation
// are the contract's names; the documented mode serves the relation as objects.
type Cluster struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// OBClusterID is the cluster's id inside OceanBase; 0 in a scenario means derived (1, 2, … in id
	// order, skipping the ids a scenario gives).
	OBClusterID int64 `json:"obClusterId,omitempty"`
	// OBVersion is the OceanBase version; empty means "4.2.1.2". Cluster-level DR is for OB < 4.0.
	OBVersion string `json:"obVersion,omitempty"`
	Status    string `json:"status"`
	Type      string `json:"type"`
	// StandbyClusterIDs is derived from the standbys' PrimaryClusterID; a scenario's value is ignored.
	StandbyClusterIDs []int64 `json:"standbyClusterIds,omitempty"`
	PrimaryClusterID  int64   `json:"primaryClusterId,omitempty"`
	// SyncStatus is a standby cluster's sync with its primary (VALID, DISABLED or SYNCHRONIZING); empty
	// means VALID. A primary has none.
	SyncStatus string `json:"syncStatus,omitempty"`
	// DelayTime is a standby cluster's delay in seconds. nil means derived when read: the largest log
	// delay of the standby tenants it holds.
	DelayTime *float64 `json:"delayTime,omitempty"`
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
	if c.DelayTime != nil {
		d := *c.DelayTime
		out.DelayTime = &d
	}
	return out
}

// tenantView is the tenant as read now: a copy with its cluster's fields and its sync SCN computed.
// Call with s.mu held.
func (s *Sim) tenantView(t *Tenant) Tenant {
	v := t.clone()
	if c := s.clusters[t.ClusterID]; c != nil {
		v.ClusterName, v.OBClusterID, v.ClusterType, v.OBVersion = c.Name, c.OBClusterID, c.Type, c.OBVersion
	}
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

// fillDefaults gives the clusters and tenants of a new world the documented fields their scenario left
// out, deterministically. start is when the simulator started. Call from New only.
func (s *Sim) fillDefaults(start time.Time) {
	clusters := sortedByID(s.clusters)
	used := map[int64]bool{}
	for _, c := range clusters {
		used[c.OBClusterID] = true
	}
	next := int64(1)
	for _, c := range clusters {
		if c.Status == "" {
			c.Status = ClusterRunning
		}
		if c.OBVersion == "" {
			c.OBVersion = defaultOBVersion
		}
		if c.Type == ClusterStandby && c.SyncStatus == "" {
			c.SyncStatus = ClusterSyncValid
		}
		if c.OBClusterID == 0 {
			for used[next] {
				next++
			}
			c.OBClusterID = next
			used[next] = true
		}
	}
	created := start.Add(-24 * time.Hour).Truncate(time.Second)
	usedOB := map[int64]map[int64]bool{}
	for _, t := range s.tenants {
		if usedOB[t.ClusterID] == nil {
			usedOB[t.ClusterID] = map[int64]bool{}
		}
		usedOB[t.ClusterID][t.OBTenantID] = true
	}
	nextOB := map[int64]int64{}
	for _, t := range sortedByID(s.tenants) {
		if t.Status == "" {
			t.Status = TenantNormal
		}
		if t.Mode == "" {
			t.Mode = ModeMySQL
		}
		if t.PrimaryZone == "" {
			t.PrimaryZone = defaultPrimaryZone
		}
		if t.CreateTime.IsZero() {
			t.CreateTime = created
		}
		if t.OBTenantID == 0 {
			n := max(nextOB[t.ClusterID], firstOBTenantID)
			for usedOB[t.ClusterID][n] {
				n += 2
			}
			t.OBTenantID = n
			usedOB[t.ClusterID][n] = true
			nextOB[t.ClusterID] = n + 2
		}
	}
}

// sortedByID returns the map's values in id order, so that derived values do not depend on map order.
func sortedByID[T interface{ *Tenant | *Cluster }](m map[int64]T) []T {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cmp.Compare[int64])
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

// clusterDelaySeconds is a standby cluster's delay: the scenario's (or SetClusterSync's) value, else
// the largest log delay of the standby tenants it holds, in seconds. Call with s.mu held.
func (s *Sim) clusterDelaySeconds(c *Cluster) float64 {
	if c.DelayTime != nil {
		return *c.DelayTime
	}
	var most int64
	for _, t := range s.tenants {
		if t.ClusterID == c.ID && t.TenantRole == RoleStandby && t.LogSyncDelayMillis != nil {
			most = max(most, *t.LogSyncDelayMillis)
		}
	}
	return float64(most) / 1000
}
