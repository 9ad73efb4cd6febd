package ocpsim

import "slices"

// This file holds the wire forms of tenants and clusters: what the detail routes serve, in each shape
// mode. The world's own types (world.go) double as the scenario's input and never go on the wire as is.

// tenantDetail is the tenant detail's data. Its first fields are those OCP's API reference documents;
// the DR fields after ServiceName are the contract's [assumed] ones, left out under OmitTenantDRFields.
type tenantDetail struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ClusterID   int64  `json:"clusterId"`
	ClusterName string `json:"clusterName"`
	OBClusterID int64  `json:"obClusterId"`
	ClusterType string `json:"clusterType"`
	Mode        string `json:"mode"`
	CreateTime  string `json:"createTime"`
	PrimaryZone string `json:"primaryZone"`
	Status      string `json:"status"`
	Locked      bool   `json:"locked"`
	Readonly    bool   `json:"readonly"`
	OBVersion   string `json:"obVersion"`
	ServiceName string `json:"serviceName,omitempty"`

	TenantRole         string `json:"tenantRole,omitempty"`
	PrimaryTenantID    int64  `json:"primaryTenantId,omitempty"`
	SyncStatus         string `json:"syncStatus,omitempty"`
	LogSyncDelayMillis *int64 `json:"logSyncDelayMillis,omitempty"`
	SyncSCN            int64  `json:"syncScn,omitempty"`
}

// tenantDetail is t as the tenant detail route serves it. Call with s.mu held.
func (s *Sim) tenantDetail(t *Tenant) tenantDetail {
	v := s.tenantView(t)
	d := tenantDetail{
		ID: v.ID, Name: v.Name, ClusterID: v.ClusterID, ClusterName: v.ClusterName, OBClusterID: v.OBClusterID,
		ClusterType: v.ClusterType, Mode: v.Mode, CreateTime: formatTime(v.CreateTime), PrimaryZone: v.PrimaryZone,
		Status: v.Status, Locked: v.Locked, Readonly: v.Readonly, OBVersion: v.OBVersion, ServiceName: v.ServiceName,
	}
	if !s.settings.OmitTenantDRFields {
		d.TenantRole, d.PrimaryTenantID, d.SyncStatus = v.TenantRole, v.PrimaryTenantID, v.SyncStatus
		d.LogSyncDelayMillis, d.SyncSCN = v.LogSyncDelayMillis, v.SyncSCN
	}
	return d
}

// clusterRef is how OCP's documented objects point at a cluster: a task's cluster, a cluster's
// primaryCluster and standbyClusters.
type clusterRef struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	OBClusterID int64  `json:"obClusterId"`
	Type        string `json:"type"`
}

func refCluster(c *Cluster) clusterRef {
	return clusterRef{ID: c.ID, Name: c.Name, OBClusterID: c.OBClusterID, Type: c.Type}
}

// clusterAssumed is the cluster detail in the assumed shapes: the relation as ids.
type clusterAssumed struct {
	ID                int64   `json:"id"`
	Name              string  `json:"name"`
	Status            string  `json:"status"`
	Type              string  `json:"type"`
	StandbyClusterIDs []int64 `json:"standbyClusterIds,omitempty"`
	PrimaryClusterID  int64   `json:"primaryClusterId,omitempty"`
	OBProxyCluster    string  `json:"obproxyCluster,omitempty"`
}

// clusterDocumented is the cluster detail in the documented shapes: the relation as objects, and a
// standby's delay (seconds) and sync status. The OBProxy cluster, a simulator notion, is not served.
type clusterDocumented struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	OBClusterID     int64        `json:"obClusterId"`
	OBVersion       string       `json:"obVersion"`
	Status          string       `json:"status"`
	Type            string       `json:"type"`
	PrimaryCluster  *clusterRef  `json:"primaryCluster,omitempty"`
	StandbyClusters []clusterRef `json:"standbyClusters"`
	DelayTime       *float64     `json:"delayTime,omitempty"`
	SyncStatus      string       `json:"syncStatus,omitempty"`
}

// clusterDetail is c as the cluster detail route serves it in the current shape mode. It shares nothing
// with the world, as it is encoded after s.mu is released. Call with s.mu held.
func (s *Sim) clusterDetail(c *Cluster) any {
	if !s.documented() {
		return clusterAssumed{
			ID: c.ID, Name: c.Name, Status: c.Status, Type: c.Type, StandbyClusterIDs: slices.Clone(c.StandbyClusterIDs),
			PrimaryClusterID: c.PrimaryClusterID, OBProxyCluster: c.OBProxyCluster,
		}
	}
	d := clusterDocumented{
		ID: c.ID, Name: c.Name, OBClusterID: c.OBClusterID, OBVersion: c.OBVersion, Status: c.Status, Type: c.Type,
		StandbyClusters: []clusterRef{},
	}
	if p := s.clusters[c.PrimaryClusterID]; p != nil && c.PrimaryClusterID != 0 {
		ref := refCluster(p)
		d.PrimaryCluster = &ref
	}
	for _, id := range c.StandbyClusterIDs {
		d.StandbyClusters = append(d.StandbyClusters, refCluster(s.clusters[id]))
	}
	if c.Type == ClusterStandby {
		delay := s.clusterDelaySeconds(c)
		d.DelayTime = &delay
		d.SyncStatus = c.SyncStatus
	}
	return d
}
