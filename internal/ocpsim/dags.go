package ocpsim

// OpKind is a kind of DR operation, each with its own task template.
type OpKind string

// The operation kinds.
const (
	OpSwitchover      OpKind = "switchover"
	OpTenantFailover  OpKind = "tenantFailover"
	OpClusterFailover OpKind = "clusterFailover"
)

// Task names, exactly as OCP's samples show them.
const (
	TaskNameSwitchover      = "Switchover ob tenant for network mode"
	TaskNameTenantFailover  = "Failover tenant"
	TaskNameClusterFailover = "Failover OB cluster"
)

// stepTemplate is one subtask of a template. ups are indices of its upstreams in the same template.
type stepTemplate struct {
	name             string
	seriesID         int
	timeout          int
	parallelIdx      int
	prohibitRollback bool
	ups              []int
}

// roleSubtask names, per operation, the subtask after which OCP would report the new roles if they
// change part-way (Sim.SetRolesChangeMidTask); by default they change when the task succeeds.
var roleSubtask = map[OpKind]string{
	OpSwitchover:      "Update tenant role in meta",
	OpTenantFailover:  "Failover to primary tenant",
	OpClusterFailover: "Failover to Primary",
}

// taskTemplate is a task's DAG. Steps are listed in the order OCP's sample responses list them, which is
// neither DAG nor seriesId order: clients must not rely on the order, and the simulator keeps them honest.
type taskTemplate struct {
	name  string
	steps []stepTemplate
}

// The switchover page's DAG: a chain Prepare → Create RO user → Wait → Switch primary to standby →
// Switchover standby to primary → Reset log restore source → Update log restore source → Restart
// service name → Update role in meta → Reset switchover info.
var switchoverTemplate = taskTemplate{
	name: TaskNameSwitchover,
	steps: []stepTemplate{
		0: {name: "Wait all relation tenants accessible", seriesID: 0, timeout: 3600, parallelIdx: -1, ups: []int{2}},
		1: {name: "Switch primary tenant to standby", seriesID: 1, timeout: 1800, parallelIdx: -1, ups: []int{0}},
		2: {name: "Create standby tenant read only user", seriesID: 5, timeout: 1800, parallelIdx: -1, ups: []int{9}},
		3: {name: "Switchover standby tenant to primary", seriesID: 7, timeout: 1800, parallelIdx: -1, prohibitRollback: true, ups: []int{1}},
		4: {name: "Update log restore source", seriesID: 8, timeout: 900, parallelIdx: 0, ups: []int{8}},
		5: {name: "Reset switchover tenant info", seriesID: 6, timeout: 120, parallelIdx: -1, ups: []int{7}},
		6: {name: "Restart tenant service name if started", seriesID: 9, timeout: 600, parallelIdx: -1, ups: []int{4}},
		7: {name: "Update tenant role in meta", seriesID: 4, timeout: 120, parallelIdx: -1, ups: []int{6}},
		8: {name: "Reset log restore source", seriesID: 2, timeout: 1800, parallelIdx: -1, ups: []int{3}},
		9: {name: "Prepare switchover tenant", seriesID: 3, timeout: 60, parallelIdx: -1},
	},
}

// The batch failover page's DAG: Reset log restore source → Failover to primary tenant → Upgrade tenant
// data version → Create tenant service name → Update primary tenant info task.
var tenantFailoverTemplate = taskTemplate{
	name: TaskNameTenantFailover,
	steps: []stepTemplate{
		0: {name: "Failover to primary tenant", seriesID: 2, timeout: 1800, parallelIdx: -1, prohibitRollback: true, ups: []int{1}},
		1: {name: "Reset log restore source", seriesID: 3, timeout: 1800, parallelIdx: -1},
		2: {name: "Create tenant service name", seriesID: 0, timeout: 1800, parallelIdx: -1, ups: []int{4}},
		3: {name: "Update primary tenant info task", seriesID: 4, timeout: 1800, parallelIdx: -1, prohibitRollback: true, ups: []int{2}},
		4: {name: "Upgrade tenant data version", seriesID: 1, timeout: 1800, parallelIdx: -1, ups: []int{0}},
	},
}

// The cluster failover page's DAG: Mc lock → Failover to Primary Check → Failover to Primary → Update
// OB cluster status → Wait node → Mc ob failover update → Sync all cluster info → Remove standby
// cluster → Mc unlock.
var clusterFailoverTemplate = taskTemplate{
	name: TaskNameClusterFailover,
	steps: []stepTemplate{
		0: {name: "Wait node", seriesID: 6, timeout: 30, parallelIdx: -1, ups: []int{5}},
		1: {name: "Remove standby cluster", seriesID: 3, timeout: 1800, parallelIdx: 0, prohibitRollback: true, ups: []int{2}},
		2: {name: "Sync all cluster info", seriesID: 7, timeout: 60, parallelIdx: -1, ups: []int{7}},
		3: {name: "Failover to Primary", seriesID: 4, timeout: 1800, parallelIdx: -1, prohibitRollback: true, ups: []int{6}},
		4: {name: "Mc lock ob clusters", seriesID: 8, timeout: 60, parallelIdx: -1},
		5: {name: "Update OB cluster status", seriesID: 1, timeout: 30, parallelIdx: 0, ups: []int{3}},
		6: {name: "Failover to Primary Check", seriesID: 5, timeout: 1800, parallelIdx: -1, prohibitRollback: true, ups: []int{4}},
		7: {name: "Mc ob failover update mc ob cluster", seriesID: 0, timeout: 60, parallelIdx: -1, ups: []int{0}},
		8: {name: "Mc unlock ob clusters", seriesID: 2, timeout: 60, parallelIdx: -1, ups: []int{1}},
	},
}

// defaultTemplates maps each kind to its template. It lives on the Sim (not read from globals by the
// engine) so an internal test can run the engine on a DAG with parallel branches.
func defaultTemplates() map[OpKind]*taskTemplate {
	return map[OpKind]*taskTemplate{
		OpSwitchover:      &switchoverTemplate,
		OpTenantFailover:  &tenantFailoverTemplate,
		OpClusterFailover: &clusterFailoverTemplate,
	}
}

// longestPath is the weight of the template's longest chain, each subtask weighing weight(name) (1 when
// the subtasks run equally long), so that TaskDuration can be split into steps that add up to the
// whole task.
func (tp *taskTemplate) longestPath(weight func(name string) float64) float64 {
	depth := make([]float64, len(tp.steps))
	var visit func(i int) float64
	visit = func(i int) float64 {
		if depth[i] > 0 {
			return depth[i]
		}
		d := 0.0
		for _, u := range tp.steps[i].ups {
			d = max(d, visit(u))
		}
		depth[i] = d + weight(tp.steps[i].name)
		return depth[i]
	}
	longest := 0.0
	for i := range tp.steps {
		longest = max(longest, visit(i))
	}
	return longest
}

// hasStep reports whether the template has a subtask called name.
func (tp *taskTemplate) hasStep(name string) bool {
	for _, st := range tp.steps {
		if st.name == name {
			return true
		}
	}
	return false
}
