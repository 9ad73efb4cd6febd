package ocpsim

// Route keys name every route the simulator serves. Each is also the http.ServeMux pattern the route is
// registered under, so the key of a request is simply the pattern it matched; tests and faults use them.
const (
	RouteTenant          = "GET /api/v2/ob/clusters/{clusterId}/tenants/{tenantId}"
	RouteTenantList      = "GET /api/v2/ob/clusters/{clusterId}/tenants"
	RouteCluster         = "GET /api/v2/ob/clusters/{clusterId}"
	RoutePrecheck        = "POST /api/v2/ob/clusters/{clusterId}/tenants/{tenantId}/switchoverPreCheck"
	RouteSwitchover      = "POST /api/v2/ob/clusters/{clusterId}/tenants/{tenantId}/switchover"
	RouteTenantFailover  = "POST /api/v2/ob/clusters/{clusterId}/tenants/failover"
	RouteClusterFailover = "POST /api/v2/ob/clusters/{clusterId}/failover"
	RouteTaskDetail      = "GET /api/v2/tasks/instances/{id}"
	RouteTaskList        = "GET /api/v2/tasks/instances"
	RouteTaskRetry       = "POST /api/v2/tasks/instances/{id}/retry"
	RouteTaskRollback    = "POST /api/v2/tasks/instances/{id}/rollback"

	// RouteUnknown is the key counted for requests that match no route (answered 400, as OCP does).
	RouteUnknown = "unknown"
)

// Routes lists every route key except RouteUnknown.
func Routes() []string {
	return []string{
		RouteTenant, RouteTenantList, RouteCluster, RoutePrecheck, RouteSwitchover, RouteTenantFailover,
		RouteClusterFailover, RouteTaskDetail, RouteTaskList, RouteTaskRetry, RouteTaskRollback,
	}
}
