package provider_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// The reliability tests prove the provider's promise (an operation never runs twice, is never lost,
// and the state never lies about roles) for each DR operation, through the real terraform binary and
// the provider as its own process (acctest.Workdir), against the simulator's faults. This file holds
// what they share: the three operations and the checks made on the simulator and the state.

// drOp is one DR operation as a reliability test drives it.
type drOp struct {
	name string
	kind ocpsim.OpKind
	// startRoute starts the operation; readRoute reads the object whose role it changes.
	startRoute, readRoute string
	// addr is the resource's address; resource its configuration, with %s for extra arguments such as
	// a timeouts block.
	addr, resource string
	// started counts the operations of this kind the simulator started.
	started func(ocpsim.Counters) int
	// done reports whether OCP shows the operation's effect; before whether it shows the starting roles.
	done, before func(*ocpsim.Sim) bool
	// subtasks are the names of the operation's subtasks, in the order of its DAG.
	subtasks []string
	// attachedWarning is what the plan says when it finds the operation already running in OCP.
	attachedWarning string
}

func tenantRole(s *ocpsim.Sim, id int64) string {
	t, _ := s.Tenant(id)
	return t.TenantRole
}

func clusterType(s *ocpsim.Sim, id int64) string {
	c, _ := s.Cluster(id)
	return c.Type
}

// The operations, on the default world's clean pairs: orders_p (2000101, cluster 3000013) PRIMARY with
// orders_s (2000102, cluster 3000014) its STANDBY; batch_s1 (2000132, cluster 3000014) a STANDBY; and
// cluster 3000012, the STANDBY of 3000011.
var (
	opSwitchover = drOp{
		name: "switchover", kind: ocpsim.OpSwitchover,
		startRoute: ocpsim.RouteSwitchover, readRoute: ocpsim.RouteTenant,
		addr: "ocp_tenant_switchover.t",
		resource: `
resource "ocp_tenant_switchover" "t" {
  primary = { cluster_id = 3000014, tenant_id = 2000102 }
  standby = { cluster_id = 3000013, tenant_id = 2000101 }
%s
}
`,
		started: func(c ocpsim.Counters) int { return c.Switchovers },
		done: func(s *ocpsim.Sim) bool {
			return tenantRole(s, 2000102) == ocpsim.RolePrimary && tenantRole(s, 2000101) == ocpsim.RoleStandby
		},
		before: func(s *ocpsim.Sim) bool {
			return tenantRole(s, 2000101) == ocpsim.RolePrimary && tenantRole(s, 2000102) == ocpsim.RoleStandby
		},
		subtasks: []string{
			"Prepare switchover tenant", "Create standby tenant read only user", "Wait all relation tenants accessible",
			"Switch primary tenant to standby", "Switchover standby tenant to primary", "Reset log restore source",
			"Update log restore source", "Restart tenant service name if started", "Update tenant role in meta",
			"Reset switchover tenant info",
		},
		attachedWarning: "A switchover of this pair is already running",
	}
	opTenantFailover = drOp{
		name: "tenant failover", kind: ocpsim.OpTenantFailover,
		startRoute: ocpsim.RouteTenantFailover, readRoute: ocpsim.RouteTenant,
		addr: "ocp_tenant_failover.t",
		resource: `
resource "ocp_tenant_failover" "t" {
  cluster_id = 3000014
  tenants    = [{ tenant_id = 2000132 }]
%s
}
`,
		started: func(c ocpsim.Counters) int { return c.TenantFailovers },
		done:    func(s *ocpsim.Sim) bool { return tenantRole(s, 2000132) == ocpsim.RolePrimary },
		before:  func(s *ocpsim.Sim) bool { return tenantRole(s, 2000132) == ocpsim.RoleStandby },
		subtasks: []string{
			"Reset log restore source", "Failover to primary tenant", "Upgrade tenant data version",
			"Create tenant service name", "Update primary tenant info task",
		},
		attachedWarning: "Failover already running",
	}
	opClusterFailover = drOp{
		name: "cluster failover", kind: ocpsim.OpClusterFailover,
		startRoute: ocpsim.RouteClusterFailover, readRoute: ocpsim.RouteCluster,
		addr: "ocp_cluster_failover.t",
		resource: `
resource "ocp_cluster_failover" "t" {
  cluster_id = 3000012
%s
}
`,
		started: func(c ocpsim.Counters) int { return c.ClusterFailovers },
		done:    func(s *ocpsim.Sim) bool { return clusterType(s, 3000012) == ocpsim.ClusterPrimary },
		before:  func(s *ocpsim.Sim) bool { return clusterType(s, 3000012) == ocpsim.ClusterStandby },
		subtasks: []string{
			"Mc lock ob clusters", "Failover to Primary Check", "Failover to Primary", "Update OB cluster status",
			"Wait node", "Mc ob failover update mc ob cluster", "Sync all cluster info", "Remove standby cluster",
			"Mc unlock ob clusters",
		},
		attachedWarning: "Failover already running",
	}
	drOps = []drOp{opSwitchover, opTenantFailover, opClusterFailover}
)

// config is the operation's configuration against fixture f; extra goes inside the resource block.
func (op drOp) config(f *acctest.Fixture, extra string) string {
	return f.ProviderBlock() + fmt.Sprintf(op.resource, extra)
}

// expectStarted checks that exactly n operations of op's kind started, that exactly n requests to
// start one reached OCP (so no start request was ever re-sent), and that no operation of another kind
// started.
func (op drOp) expectStarted(t *testing.T, s *ocpsim.Sim, n int) {
	t.Helper()
	c := s.Counters()
	if got := op.started(c); got != n {
		t.Errorf("%s: %d operations started, want %d", op.name, got, n)
	}
	if got := c.Requests[op.startRoute]; got != n {
		t.Errorf("%s: %d start requests reached OCP, want %d", op.name, got, n)
	}
	if all := c.Switchovers + c.TenantFailovers + c.ClusterFailovers; all != op.started(c) {
		t.Errorf("%s: operations of another kind started: %+v", op.name, c)
	}
}

// tfState is the part of terraform.tfstate the tests read.
type tfState struct {
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			Status     string         `json:"status"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// resourceState returns the resource's attributes and whether it is tainted, read from the local state
// file; nil when the state does not hold it.
func resourceState(t *testing.T, w *acctest.Workdir, addr string) (map[string]any, bool) {
	t.Helper()
	raw := w.ReadFile("terraform.tfstate")
	if strings.TrimSpace(raw) == "" {
		return nil, false
	}
	var st tfState
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatalf("terraform.tfstate: %v\n%s", err, raw)
	}
	for _, res := range st.Resources {
		if res.Mode == "managed" && res.Type+"."+res.Name == addr && len(res.Instances) > 0 {
			return res.Instances[0].Attributes, res.Instances[0].Status == "tainted"
		}
	}
	return nil, false
}

// stateTaskIDs returns the task ids the resource's state records: task_id (switchover, cluster
// failover) or tasks[].task_id (tenant failover).
func stateTaskIDs(values map[string]any) []int64 {
	var ids []int64
	if v, ok := values["task_id"].(float64); ok {
		ids = append(ids, int64(v))
	}
	if tasks, ok := values["tasks"].([]any); ok {
		for _, e := range tasks {
			if m, ok := e.(map[string]any); ok {
				if v, ok := m["task_id"].(float64); ok {
					ids = append(ids, int64(v))
				}
			}
		}
	}
	return ids
}

// stateStatuses returns the task statuses the state records: task_status, status or tasks[].status.
func stateStatuses(values map[string]any) []string {
	var out []string
	for _, k := range []string{"task_status", "status"} {
		if v, ok := values[k].(string); ok {
			out = append(out, v)
		}
	}
	if tasks, ok := values["tasks"].([]any); ok {
		for _, e := range tasks {
			if m, ok := e.(map[string]any); ok {
				if v, ok := m["status"].(string); ok {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// onlyTask returns the simulator's one task, failing the test if there is not exactly one.
func onlyTask(t *testing.T, s *ocpsim.Sim) ocpsim.Task {
	t.Helper()
	tasks := s.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("want exactly one task in OCP, got %d: %+v", len(tasks), tasks)
	}
	return tasks[0]
}

// waitFor polls cond every 5ms for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// taskPolls counts the requests that read task state while an apply waits.
func taskPolls(s *ocpsim.Sim) int {
	c := s.Counters()
	return c.Requests[ocpsim.RouteTaskDetail] + c.Requests[ocpsim.RouteTaskList]
}

// holdTasks makes running tasks stay RUNNING until releaseTasks.
func holdTasks(s *ocpsim.Sim) { s.SetStepDuration(time.Hour) }

// releaseTasks lets held tasks run to the end at once.
func releaseTasks(s *ocpsim.Sim) { s.SetStepDuration(time.Millisecond) }

// credentialsChecksPerApply is how many task list requests `terraform apply` sends to check the
// credentials: one per walk (its plan, its apply), when the provider is configured.
const credentialsChecksPerApply = 2

// releaseWhenWaited releases held tasks once the provider has read task state n more times than now
// (not counting the credentials checks of an apply), that is once an apply waits for the task (a plan
// reads tasks only to look for running ones, once).
func releaseWhenWaited(t *testing.T, s *ocpsim.Sim, n int) {
	base := taskPolls(s) + credentialsChecksPerApply
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(60 * time.Second)
		for {
			select {
			case <-stop:
				return
			case <-deadline:
				releaseTasks(s)
				return
			case <-tick.C:
				if taskPolls(s) >= base+n {
					releaseTasks(s)
					return
				}
			}
		}
	}()
}

// matchFlat matches pattern against out with Terraform's line wrapping undone (see flat).
func matchFlat(t *testing.T, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(pattern).MatchString(flat(out)) {
		t.Fatalf("output does not match %s:\n%s", pattern, out)
	}
}
