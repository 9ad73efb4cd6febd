package ocpsim

import (
	"cmp"
	"fmt"
	"time"
)

// DefaultDelayThresholdMillis is the switchover lag limit when nothing sets one: the 10,000 ms of OCP
// 4.3's precheck sample (OCP 4.2 documents 5,000 ms as the parameter's default).
const DefaultDelayThresholdMillis = 10_000

// Shapes picks the wire shapes served where OCP's published API reference and the contract's earlier
// assumptions differ, so that a client can be tested against both.
type Shapes string

const (
	// ShapesDocumented (the default) serves what OCP's API reference documents: task detail and list
	// items with cluster/tenant/creator objects and createTime but no top-level clusterId/tenantId, list
	// items with a reduced subtask list, and a cluster detail with primaryCluster/standbyClusters objects,
	// delayTime and syncStatus.
	ShapesDocumented Shapes = "documented"
	// ShapesAssumed serves the contract's assumed forms: tasks with top-level clusterId/tenantId (list
	// items without subtasks) and a cluster detail with primaryClusterId/standbyClusterIds.
	ShapesAssumed Shapes = "assumed"
)

func (sh Shapes) valid() bool { return sh == ShapesDocumented || sh == ShapesAssumed }

// Settings are the switches a simulator runs with, resolved from its Config and its Scenario (a Config
// value, when set, wins).
type Settings struct {
	Shapes Shapes
	// OmitTenantDRFields leaves the tenant detail without the DR fields OCP does not document
	// (tenantRole, primaryTenantId, syncStatus, logSyncDelayMillis, syncScn). The simulator still
	// tracks roles and behaves the same otherwise.
	OmitTenantDRFields bool
	// DelayThresholdMillis is the switchover's log delay limit, OCP's system parameter
	// ocp.standby.tenant.delay.threshold: a standby further behind blocks the precheck (OBE26009).
	DelayThresholdMillis int64
	// BusyDelay is how long after a task starts its tenants turn MODIFYING (its clusters FAILOVER); 0
	// marks them at once. SetBusyDelay changes it (it is the one setting guarded by Sim.mu).
	BusyDelay time.Duration
	// EmptyTraceIDs writes "traceId": "" in every envelope, as OCP's documented 429 sample does.
	EmptyTraceIDs bool
	// LegacyTotalPage spells the paged lists' page count "totalPage", as old OCP versions (and the
	// table of OCP's reference) do, instead of "totalPages".
	LegacyTotalPage bool
	// ErrorCodesAsStrings writes numeric error codes as strings ("60018").
	ErrorCodesAsStrings bool
}

// resolveSettings merges cfg over sc.
func resolveSettings(cfg Config, sc *Scenario) (Settings, error) {
	st := Settings{
		Shapes:              ShapesDocumented,
		OmitTenantDRFields:  cfg.OmitTenantDRFields || sc.OmitTenantDRFields,
		EmptyTraceIDs:       cfg.EmptyTraceIDs || sc.EmptyTraceIDs,
		LegacyTotalPage:     cfg.LegacyTotalPage || sc.LegacyTotalPage,
		ErrorCodesAsStrings: sc.ErrorCodesAsStrings,
	}
	if sc.Shapes != "" {
		st.Shapes = sc.Shapes
	}
	if cfg.Shapes != "" {
		st.Shapes = cfg.Shapes
	}
	st.DelayThresholdMillis = cmp.Or(cfg.DelayThresholdMillis, sc.DelayThresholdMillis, DefaultDelayThresholdMillis)
	if st.DelayThresholdMillis < 0 {
		return Settings{}, fmt.Errorf("delay threshold %d ms: must not be negative", st.DelayThresholdMillis)
	}
	st.BusyDelay = cmp.Or(cfg.BusyDelay, time.Duration(sc.BusyDelayMillis)*time.Millisecond)
	if st.BusyDelay < 0 {
		return Settings{}, fmt.Errorf("busy delay %v: must not be negative", st.BusyDelay)
	}
	if !st.Shapes.valid() {
		return Settings{}, fmt.Errorf("shapes %q: want %q or %q", st.Shapes, ShapesDocumented, ShapesAssumed)
	}
	return st, nil
}

// Settings returns the switches the simulator runs with.
func (s *Sim) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// documented reports whether the documented shapes are served. Settings.Shapes never changes after New,
// so it is read without the lock (as are the other settings but BusyDelay).
func (s *Sim) documented() bool { return s.settings.Shapes == ShapesDocumented }
