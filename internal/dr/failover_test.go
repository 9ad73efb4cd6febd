package dr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

func TestLossWindow(t *testing.T) {
	t.Parallel()
	d := int64(14883430)
	if got := lossWindow(&d); got != "about 14883430 ms of changes (logSyncDelayMillis)" {
		t.Errorf("lossWindow(14883430) = %q", got)
	}
	if got := lossWindow(nil); !strings.Contains(got, "unknown") {
		t.Errorf("lossWindow(nil) = %q", got)
	}
}

// A large batch is checked concurrently, and its checks and problems keep the batch's order, so that
// a plan's diagnostics read the same on every run.
func TestCheckTenantFailoverKeepsBatchOrder(t *testing.T) {
	t.Parallel()
	const n = 3 * checkConcurrency
	sc := &ocpsim.Scenario{Server: "order", Clusters: []ocpsim.Cluster{
		{ID: 1, Name: "P", Type: ocpsim.ClusterPrimary, OBProxyCluster: "proxy"},
		{ID: 2, Name: "S", Type: ocpsim.ClusterStandby, PrimaryClusterID: 1, OBProxyCluster: "proxy"},
	}}
	var req TenantFailoverRequest
	req.ClusterID = 2
	for i := range int64(n) {
		sc.Tenants = append(sc.Tenants,
			ocpsim.Tenant{ID: 100 + i, Name: fmt.Sprintf("p%02d", i), ClusterID: 1, TenantRole: ocpsim.RolePrimary, Down: true},
			ocpsim.Tenant{ID: 200 + i, Name: fmt.Sprintf("s%02d", i), ClusterID: 2, TenantRole: ocpsim.RoleStandby, PrimaryTenantID: 100 + i})
		// Descending ids, so that the batch's order is not the simulator's.
		req.Tenants = append(req.Tenants, FailoverTenant{TenantID: 200 + int64(n) - 1 - i})
	}
	// Two tenants of the primary cluster: not tenants of cluster 2.
	req.Tenants = append(req.Tenants[:5], append([]FailoverTenant{{TenantID: 103}}, req.Tenants[5:]...)...)
	req.Tenants = append(req.Tenants, FailoverTenant{TenantID: 101})
	_, c := newSimClientWith(t, ocpsim.Config{Scenario: sc})

	checks, ps := CheckTenantFailover(context.Background(), c, req)
	if len(ps) != 2 || ps[0].TenantID != 103 || ps[1].TenantID != 101 {
		t.Fatalf("problems, want tenants 103 then 101:\n%s", summaries(ps))
	}
	if len(checks) != n {
		t.Fatalf("%d checks, want %d", len(checks), n)
	}
	for i, ch := range checks {
		if want := int64(200 + n - 1 - i); ch.Tenant.ID != want || ch.Spec.TenantID != want {
			t.Fatalf("check %d is tenant %d, want %d", i, ch.Tenant.ID, want)
		}
	}
}

// The error of a tenant that did not fail over names the others of the batch that are PRIMARY now, and
// claims nothing about a record: the action that shows it keeps no state.
func TestTenantFailureTargetNamesTheOthers(t *testing.T) {
	t.Parallel()
	all := []TenantOutcome{
		{TenantID: 2000132, Status: FailoverFailed, Err: fmt.Errorf("failed")},
		{TenantID: 2000133, Status: FailoverSuccessful},
		{TenantID: 2000134, Status: FailoverUnconfirmed, Err: fmt.Errorf("not confirmed")},
	}
	got := tenantFailureTarget(3000014, all[0], all)
	if want := "failover of tenant 2000132 of cluster 3000014. The other tenants of the batch are PRIMARY now: 2000133 (SUCCESSFUL). " +
		"The next run fails over only the tenants that are not PRIMARY yet"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A FAILED failover counts as the one that made a PRIMARY tenant so only when its subtask that makes the
// standby primary succeeded: a failover that failed before it, of a tenant made PRIMARY otherwise, does
// not turn a configuration mistake into ALREADY_PRIMARY.
func TestFailedFailoverCountsOnlyAfterItsRoleSubtask(t *testing.T) {
	const cluster, tenant = 3000014, 2000132
	cases := []struct {
		failAt   string
		rollback bool // the failed task is rolled back: it ends SUCCESSFUL, having undone its subtasks
		counts   bool
	}{
		{"Reset log restore source", false, false},
		{"Reset log restore source", true, false},
		{"Update primary tenant info task", false, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s, rolled back %v", tc.failAt, tc.rollback), func(t *testing.T) {
			t.Parallel()
			sim, c := newSimClient(t)
			sim.FailNextSubtask(ocpsim.OpTenantFailover, tc.failAt)
			tasks, err := c.FailoverTenants(t.Context(), cluster, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: tenant}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.WaitForTask(t.Context(), tasks[0].ID, ocp.WaitOptions{}); !errors.As(err, new(*ocp.TaskFailedError)) {
				t.Fatalf("the failover did not fail: %v", err)
			}
			if tc.rollback {
				if err := c.RollbackTask(t.Context(), tasks[0].ID); err != nil {
					t.Fatal(err)
				}
				if task, err := c.WaitForTask(t.Context(), tasks[0].ID, ocp.WaitOptions{}); err != nil || !task.RolledBack() {
					t.Fatalf("rollback: %+v, %v", task, err)
				}
			}
			sim.SetTenantRole(tenant, ocpsim.RolePrimary) // made PRIMARY, by the task or otherwise
			checks, ps := CheckTenantFailover(t.Context(), c, TenantFailoverRequest{ClusterID: cluster, Tenants: []FailoverTenant{{TenantID: tenant}}})
			if !tc.counts {
				if len(ps) != 1 || ps[0].Summary != "Tenant is PRIMARY and was never failed over" || !ps[0].Config {
					t.Fatalf("want the configuration error, got:\n%s", summaries(ps))
				}
				return
			}
			if ps.HasError() || len(checks) != 1 || checks[0].Earlier == nil || checks[0].Earlier.ID != tasks[0].ID {
				t.Fatalf("the failed task %d does not count: %+v\n%s", tasks[0].ID, checks, summaries(ps))
			}
		})
	}
}
