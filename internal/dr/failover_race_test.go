package dr

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// Two applies of the same failover race, as TestSwitchoverRaceWithAnotherApply does for a switchover: the
// rival's failover starts right before this apply's start request reaches OCP, which refuses it as busy.
// This apply then waits for the rival's task: one operation per tenant, never two, and no error for a
// tenant that is failing over. A tenant of the refused batch that nobody started is reported not started.
func TestFailoverRaceWithAnotherApply(t *testing.T) {
	const cluster, tenantA, tenantB = 3000014, 2000132, 2000133
	// raced serves the simulator behind an interceptor that runs rival once, just before the first POST
	// whose path ends with suffix; it returns this apply's client.
	raced := func(t *testing.T, suffix string, rival func(sim *ocpsim.Sim, c *ocp.Client)) (*ocpsim.Sim, *ocp.Client) {
		sim, err := ocpsim.New(ocpsim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		direct := httptest.NewServer(sim)
		rivalClient := newClientFor(t, direct.URL)
		var once sync.Once
		release := &taskReadRelease{sim: sim}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix) {
				once.Do(func() {
					sim.SetStepDuration(time.Hour)
					rival(sim, rivalClient)
					release.arm() // the rival's task ends once this apply has read it
				})
			}
			sim.ServeHTTP(w, r)
			release.served(r)
		}))
		t.Cleanup(func() { srv.Close(); direct.Close(); sim.Close() })
		return sim, newClientFor(t, srv.URL)
	}
	ctx := context.Background()

	t.Run("tenant failover", func(t *testing.T) {
		t.Parallel()
		sim, c := raced(t, "/tenants/failover", func(sim *ocpsim.Sim, rc *ocp.Client) {
			if _, err := rc.FailoverTenants(ctx, cluster, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: tenantA}}}); err != nil {
				t.Error(err)
			}
		})
		req := TenantFailoverRequest{ClusterID: cluster, Tenants: []FailoverTenant{{TenantID: tenantA}, {TenantID: tenantB}}}
		checks, ps := CheckTenantFailover(ctx, c, req)
		if ps.HasError() {
			t.Fatal(summaries(ps))
		}
		outcomes, ps := RunTenantFailover(ctx, c, req, checks, nil)
		rival := onlyTaskOf(t, sim, tenantA)
		if outcomes[0].TaskID() != rival || outcomes[0].Status != FailoverSuccessful || outcomes[0].Err != nil {
			t.Fatalf("tenant %d did not wait for the rival's task %d: %+v", tenantA, rival, outcomes[0])
		}
		// The refused batch started nothing for the other tenant: reported, left for the next apply.
		if outcomes[1].Status != FailoverNotStarted || !ps.HasError() || !ocp.IsBusy(errorsOf(ps)[0].Err) {
			t.Fatalf("tenant %d: %+v\n%s", tenantB, outcomes[1], summaries(ps))
		}
		if n := sim.Counters().TenantFailovers; n != 1 {
			t.Fatalf("%d tenant failovers started, want 1 (the rival's)", n)
		}
	})

	t.Run("cluster failover", func(t *testing.T) {
		t.Parallel()
		sim, c := raced(t, "/3000012/failover", func(sim *ocpsim.Sim, rc *ocp.Client) {
			if _, err := rc.FailoverCluster(ctx, 3000012); err != nil {
				t.Error(err)
			}
		})
		check, ps := CheckClusterFailover(ctx, c, ClusterFailoverRequest{ClusterID: 3000012})
		if ps.HasError() {
			t.Fatal(summaries(ps))
		}
		out, ps := RunClusterFailover(ctx, c, check, nil)
		if ps.HasError() || out.Status != FailoverSuccessful || out.Task == nil {
			t.Fatalf("did not wait for the rival's failover: %+v\n%s", out, summaries(ps))
		}
		if n := sim.Counters().ClusterFailovers; n != 1 {
			t.Fatalf("%d cluster failovers started, want 1", n)
		}
	})
}

// onlyTaskOf returns the id of the one task the simulator holds for a tenant.
func onlyTaskOf(t *testing.T, sim *ocpsim.Sim, tenantID int64) int64 {
	t.Helper()
	var ids []int64
	for _, task := range sim.Tasks() {
		if task.TenantID == tenantID {
			ids = append(ids, task.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("tenant %d has tasks %v, want exactly one", tenantID, ids)
	}
	return ids[0]
}
