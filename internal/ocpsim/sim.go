// Package ocpsim is a stateful, in-process OCP (OceanBase Cloud Platform) API v2 simulator for tests and
// demos. It models a world of OB clusters and tenants in primary/standby pairs, runs DR operations as
// tasks whose subtasks follow the DAGs of OCP's documentation in scaled time, and injects faults. It
// owns its wire types on purpose: an independent reading of the spec catches the client's mistakes.
package ocpsim

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Config configures a simulator. The zero value is usable: the default world, 2ms steps, the default
// credentials, the scenario's switches (README.md lists them; a Config switch, when set, wins).
type Config struct {
	// Scenario is the starting world; nil means DefaultScenario().
	Scenario *Scenario
	// StepDuration is how long each subtask runs; 0 means 2ms (tests). The demo uses about 400ms.
	StepDuration time.Duration
	// SubtaskWeights makes the subtasks named run that many steps instead of one (a real OCP's subtasks
	// differ in length by orders of magnitude: a log restore takes minutes, a metadata update a second).
	SubtaskWeights map[string]float64
	// TaskDuration, if > 0, overrides StepDuration so that a whole task takes this long, split over the
	// longest path of its DAG by the subtasks' weights.
	TaskDuration time.Duration
	// Users are the HTTP Basic users (name → password); nil means {"admin": "admin-Passw0rd"}.
	Users map[string]string
	// AccessKeys maps AccessKey ids to secrets; nil means {"AKSIM0000000000000001": "sim-secret-key"}.
	AccessKeys map[string]string
	// MaxClockSkew is how far an AccessKey request's Date may be from Now; 0 means 15 minutes.
	MaxClockSkew time.Duration
	// Logger receives one line per request and one per task transition; nil discards them.
	Logger hclog.Logger
	// Now is the clock for Date checks and timestamps; nil means time.Now.
	Now func() time.Time

	// Shapes picks the wire shapes (see Shapes); empty means the scenario's, whose default is
	// ShapesDocumented.
	Shapes Shapes
	// OmitTenantDRFields, when true, leaves the DR fields out of the tenant detail whatever the
	// scenario says (see Settings).
	OmitTenantDRFields bool
	// DelayThresholdMillis, if > 0, is the switchover's log delay limit (OCP's system parameter
	// ocp.standby.tenant.delay.threshold); 0 means the scenario's, whose default is 10,000 ms.
	DelayThresholdMillis int64
	// BusyDelay, if > 0, is how long after a task starts its tenants turn MODIFYING (its clusters
	// FAILOVER); 0 means the scenario's, whose default is at once.
	BusyDelay time.Duration
	// EmptyTraceIDs, when true, writes "traceId": "" in every envelope whatever the scenario says.
	EmptyTraceIDs bool
	// LegacyTotalPage, when true, spells the paged lists' page count "totalPage" whatever the scenario
	// says.
	LegacyTotalPage bool
}

// Default credentials, used when Config leaves them nil.
const (
	DefaultUser      = "admin"
	DefaultPassword  = "admin-Passw0rd"
	DefaultAccessKey = "AKSIM0000000000000001"
	DefaultSecretKey = "sim-secret-key"
)

// Task and subtask ids start here, above 2^32 as on real systems, so 32-bit ids break visibly.
const (
	firstTaskID    = 5_000_000_000
	firstSubtaskID = 7_000_000_000
)

// Sim is a running simulator; it is an http.Handler. All state sits behind one mutex, and task
// progress is driven by time.AfterFunc timers that take it.
type Sim struct {
	log        hclog.Logger
	now        func() time.Time
	mux        *http.ServeMux
	users      map[string]string
	userIDs    map[string]int64
	accessKeys map[string]string
	maxSkew    time.Duration
	server     string
	executor   string

	// settings are fixed at New, except where a setter says otherwise (it then takes mu).
	settings Settings

	mu            sync.Mutex
	closed        bool
	clusters      map[int64]*Cluster
	tenants       map[int64]*Tenant
	tasks         map[int64]*taskRec
	nextTaskID    int64
	nextSubtaskID int64
	step          time.Duration
	taskDuration  time.Duration
	weights       map[string]float64
	templates     map[OpKind]*taskTemplate
	faults        faultState
	counters      Counters
	// rolesMidTask: roles change when the operation's role subtask succeeds (SetRolesChangeMidTask).
	rolesMidTask bool
}

// New builds a simulator from cfg.
func New(cfg Config) (*Sim, error) {
	sc := cfg.Scenario
	if sc == nil {
		sc = DefaultScenario()
	} else if err := sc.validate(); err != nil {
		return nil, fmt.Errorf("ocpsim: scenario: %w", err)
	}
	settings, err := resolveSettings(cfg, sc)
	if err != nil {
		return nil, fmt.Errorf("ocpsim: %w", err)
	}
	s := &Sim{
		log:           cfg.Logger,
		now:           cfg.Now,
		users:         cfg.Users,
		accessKeys:    cfg.AccessKeys,
		maxSkew:       cfg.MaxClockSkew,
		server:        sc.Server,
		executor:      "127.0.0.1",
		settings:      settings,
		clusters:      map[int64]*Cluster{},
		tenants:       map[int64]*Tenant{},
		tasks:         map[int64]*taskRec{},
		nextTaskID:    firstTaskID - 1,
		nextSubtaskID: firstSubtaskID - 1,
		step:          cfg.StepDuration,
		taskDuration:  cfg.TaskDuration,
		weights:       maps.Clone(cfg.SubtaskWeights),
		templates:     defaultTemplates(),
		faults:        newFaultState(),
		counters:      Counters{Requests: map[string]int{}},
	}
	if s.log == nil {
		s.log = hclog.NewNullLogger()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.users == nil {
		s.users = map[string]string{DefaultUser: DefaultPassword}
	}
	if s.accessKeys == nil {
		s.accessKeys = map[string]string{DefaultAccessKey: DefaultSecretKey}
	}
	if s.maxSkew <= 0 {
		s.maxSkew = 15 * time.Minute
	}
	if s.server == "" {
		s.server = "ocpsim"
	}
	if s.step <= 0 {
		s.step = 2 * time.Millisecond
	}
	// Creator ids: admin is 1 as on a fresh OCP; the others follow in name order.
	s.userIDs = map[string]int64{"admin": 1}
	names := make([]string, 0, len(s.users))
	for n := range s.users {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if n != "admin" {
			s.userIDs[n] = int64(100 + i)
		}
	}
	for i := range sc.Clusters {
		c := sc.Clusters[i].clone()
		s.clusters[c.ID] = &c
	}
	s.linkClusters()
	for i := range sc.Tenants {
		t := sc.Tenants[i].clone()
		t.ClusterName = s.clusters[t.ClusterID].Name
		// Derived when read, whatever the scenario says.
		t.OBClusterID, t.ClusterType, t.OBVersion, t.SyncSCN = 0, "", "", 0
		s.tenants[t.ID] = &t
	}
	s.fillDefaults(s.now())
	s.mux = s.routes()
	return s, nil
}

// ServeHTTP serves the OCP API v2 routes.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close stops every task timer: running tasks stay RUNNING forever. The handler keeps answering.
func (s *Sim) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.stopTimers()
}

// Tenant returns a copy of tenant tenantID as read now (cluster fields and sync SCN filled in), with
// every field, including the DR fields and Down whatever the wire shows.
func (s *Sim) Tenant(tenantID int64) (Tenant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok {
		return Tenant{}, false
	}
	return s.tenantView(t), true
}

// Cluster returns a copy of cluster clusterID.
func (s *Sim) Cluster(clusterID int64) (Cluster, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clusters[clusterID]
	if !ok {
		return Cluster{}, false
	}
	return c.clone(), true
}

// Task returns a copy of task taskID with its subtasks.
func (s *Sim) Task(taskID int64) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tasks[taskID]
	if !ok {
		return Task{}, false
	}
	return rec.t.clone(true), true
}

// Tasks returns copies of every task, with subtasks, oldest first.
func (s *Sim) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Task, 0, len(s.tasks))
	for _, rec := range s.tasks {
		out = append(out, rec.t.clone(true))
	}
	slices.SortFunc(out, func(a, b Task) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RetryTask retries a FAILED task, with the rules of the retry route.
func (s *Sim) RetryTask(taskID int64) (Task, error) {
	t, e := s.doRetry(taskID)
	if e != nil {
		return Task{}, e
	}
	return t, nil
}

// RollbackTask rolls a FAILED task back, with the rules of the rollback route.
func (s *Sim) RollbackTask(taskID int64) error {
	if e := s.doRollback(taskID); e != nil {
		return e
	}
	return nil
}

// ForgetEndedTasks drops every task that has ended, as OCP's task retention does in time: their detail
// answers 404 and the task list no longer shows them. Running tasks and the world stay as they are.
func (s *Sim) ForgetEndedTasks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, rec := range s.tasks {
		if rec.t.Status != TaskRunning {
			delete(s.tasks, id)
		}
	}
}

func (s *Sim) doRetry(taskID int64) (Task, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tasks[taskID]
	if !ok {
		return Task{}, taskNotFound(taskID)
	}
	if e := s.retryTask(rec); e != nil {
		return Task{}, e
	}
	snap := rec.t.clone(true)
	s.pump(rec)
	return snap, nil
}

func (s *Sim) doRollback(taskID int64) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tasks[taskID]
	if !ok {
		return taskNotFound(taskID)
	}
	if e := s.rollbackTask(rec); e != nil {
		return e
	}
	s.pump(rec)
	return nil
}
