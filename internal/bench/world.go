package main

import (
	"fmt"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The benchmark's world: one primary and one standby cluster behind the same OBProxy, and n tenant
// pairs (primary 4_000_000+i on the primary cluster, standby 4_100_000+i on the standby cluster) whose
// standbys are in sync, so that every switchover precheck passes. For failovers the primaries are down
// (primariesDown): OCP fails a standby over only when its primary is lost.
const (
	primaryClusterID = 3_100_001
	standbyClusterID = 3_100_002
	firstPrimaryID   = 4_000_001
	firstStandbyID   = 4_100_001
)

func world(n int, primariesDown bool) *ocpsim.Scenario {
	sc := &ocpsim.Scenario{Server: "ocpbench", Clusters: []ocpsim.Cluster{
		{ID: primaryClusterID, Name: "BENCH_P", Type: ocpsim.ClusterPrimary, OBProxyCluster: "obproxy_bench"},
		{ID: standbyClusterID, Name: "BENCH_S", Type: ocpsim.ClusterStandby, PrimaryClusterID: primaryClusterID, OBProxyCluster: "obproxy_bench"},
	}}
	for i := range n {
		delay := int64(100)
		sc.Tenants = append(sc.Tenants,
			ocpsim.Tenant{ID: firstPrimaryID + int64(i), Name: fmt.Sprintf("t%03d_p", i), ClusterID: primaryClusterID,
				TenantRole: ocpsim.RolePrimary, ServiceName: fmt.Sprintf("svc_%03d", i), Down: primariesDown},
			ocpsim.Tenant{ID: firstStandbyID + int64(i), Name: fmt.Sprintf("t%03d_s", i), ClusterID: standbyClusterID,
				TenantRole: ocpsim.RoleStandby, PrimaryTenantID: firstPrimaryID + int64(i), SyncStatus: "NORMAL",
				LogSyncDelayMillis: &delay, ServiceName: fmt.Sprintf("svc_%03d", i)})
	}
	return sc
}

// statusRequests counts the task detail and task list requests the simulator answered.
func statusRequests(sim *ocpsim.Sim) int {
	r := sim.Counters().Requests
	return r[ocpsim.RouteTaskDetail] + r[ocpsim.RouteTaskList]
}
