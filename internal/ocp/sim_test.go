package ocp_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// TestAgainstSimulator runs the client against the independently written simulator, so that two
// readings of the API contract (signature, envelopes, paths, task shapes) meet. Ids come from the
// simulator's default scenario.
func TestAgainstSimulator(t *testing.T) {
	t.Parallel()
	creds := map[string]func(*ocp.Config){
		"basic": func(c *ocp.Config) { c.Username, c.Password = ocpsim.DefaultUser, ocpsim.DefaultPassword },
		"access key": func(c *ocp.Config) {
			c.AccessKeyID, c.AccessKeySecret = ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey
		},
	}
	for name, cred := range creds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sim, err := ocpsim.New(ocpsim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(sim.Close)
			srv := httptest.NewServer(sim)
			t.Cleanup(srv.Close)
			cfg := ocp.Config{URL: srv.URL, PollInterval: time.Millisecond}
			cred(&cfg)
			c, err := ocp.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()

			if err := c.CheckCredentials(ctx); err != nil {
				t.Fatalf("CheckCredentials: %v", err)
			}
			bad := cfg
			if bad.Password != "" {
				bad.Password += "x"
			} else {
				bad.AccessKeySecret += "x"
			}
			if wrong, err := ocp.New(bad); err != nil || !ocp.IsUnauthenticated(wrong.CheckCredentials(ctx)) {
				t.Fatalf("CheckCredentials with a wrong secret: %v", err)
			}

			const primaryCluster, primary, standby = 3000009, 2000022, 2000025
			tenant, err := c.GetTenant(ctx, primaryCluster, primary)
			if err != nil || tenant.Role != ocp.RolePrimary {
				t.Fatalf("tenant %+v, %v", tenant, err)
			}
			if _, err := c.GetTenant(ctx, primaryCluster, 42); !ocp.IsNotFound(err) {
				t.Fatalf("unknown tenant: %v", err)
			}
			req := ocp.SwitchoverRequest{TenantID: primary, StandbyTenantID: standby}
			pre, err := c.SwitchoverPrecheck(ctx, primaryCluster, req)
			if err != nil || len(pre.StandbyCheckResults) != 1 {
				t.Fatalf("precheck %+v, %v", pre, err)
			}
			task, err := c.Switchover(ctx, primaryCluster, req)
			if err != nil || task.Name != ocp.TaskNameSwitchover || task.ID < 1<<32 {
				t.Fatalf("switchover %+v, %v", task, err)
			}
			if _, err := c.Switchover(ctx, primaryCluster, req); !ocp.IsBusy(err) {
				t.Fatalf("second switchover while the first runs: %v", err)
			}
			running, err := c.FindRunningSwitchover(ctx, primary, standby)
			if err != nil || running == nil || running.ID != task.ID {
				t.Fatalf("find running: %+v, %v; want task %d", running, err, task.ID)
			}
			events := 0
			done, err := c.WaitForTask(ctx, task.ID, ocp.WaitOptions{OnProgress: func(ocp.ProgressEvent) { events++ }})
			if err != nil || done.Status != ocp.TaskSuccessful || events < len(done.Subtasks) {
				t.Fatalf("wait: %+v, %v, %d events", done, err, events)
			}
			tenant, err = c.GetTenant(ctx, primaryCluster, primary)
			if err != nil || tenant.Role != ocp.RoleStandby {
				t.Fatalf("after switchover the old primary is %+v, %v", tenant, err)
			}

			cl, err := c.FailoverCluster(ctx, 3000012)
			if err != nil || cl.Name != ocp.TaskNameClusterFailover {
				t.Fatalf("cluster failover %+v, %v", cl, err)
			}
			if _, err := c.WaitForTask(ctx, cl.ID, ocp.WaitOptions{}); err != nil {
				t.Fatal(err)
			}
			tasks, err := c.FailoverTenants(ctx, 3000014, ocp.FailoverRequest{Items: []ocp.FailoverItem{{TenantID: 2000132}, {TenantID: 2000133}}})
			if err != nil || len(tasks) != 2 {
				t.Fatalf("tenant failover %+v, %v", tasks, err)
			}
			all, err := c.ListTasks(ctx, ocp.TaskListOptions{PageSize: 1})
			if err != nil || len(all) != 4 {
				t.Fatalf("list all tasks one per page: %d, %v", len(all), err)
			}
			west, err := c.ListTenants(ctx, 3000014)
			if err != nil || len(west) != 6 || west[0].ID != 2000102 || west[0].Role != ocp.RoleStandby || west[0].PrimaryTenantID != 2000101 ||
				west[0].ClusterID != 3000014 || west[0].Name != "orders_s" {
				t.Fatalf("tenants of cluster 3000014: %+v, %v", west, err)
			}
			if _, err := c.ListTenants(ctx, 42); !ocp.IsNotFound(err) {
				t.Fatalf("tenants of an unknown cluster: %v", err)
			}
		})
	}
}
