package ocpsim

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
)

//go:embed scenarios/default.json
var defaultScenarioJSON []byte

// Scenario is the world a simulator starts with: clusters, tenants and a few switches. It is read from
// JSON whose tenant and cluster objects use OCP's wire names.
type Scenario struct {
	// ErrorCodesAsStrings makes error envelopes carry "code": "60018" instead of 60018; OCP versions
	// differ and clients must accept both.
	ErrorCodesAsStrings bool `json:"errorCodesAsStrings,omitempty"`
	// Shapes picks the wire shapes: "documented" (the default when empty) or "assumed".
	Shapes Shapes `json:"shapes,omitempty"`
	// OmitTenantDRFields leaves the tenant detail without the DR fields OCP does not document.
	OmitTenantDRFields bool `json:"omitTenantDrFields,omitempty"`
	// DelayThresholdMillis is the switchover's log delay limit; 0 means 10,000 ms.
	DelayThresholdMillis int64 `json:"delayThresholdMillis,omitempty"`
	// BusyDelayMillis is how long after a task starts its tenants turn MODIFYING; 0 means at once.
	BusyDelayMillis int64 `json:"busyDelayMillis,omitempty"`
	// EmptyTraceIDs writes "traceId": "" in every envelope: OCP's trace id may be empty.
	EmptyTraceIDs bool `json:"emptyTraceIds,omitempty"`
	// LegacyTotalPage spells the paged lists' page count "totalPage" (old OCP) instead of "totalPages".
	LegacyTotalPage bool `json:"legacyTotalPage,omitempty"`
	// Server is the envelope's "server" value; empty means "ocpsim".
	Server   string    `json:"server,omitempty"`
	Clusters []Cluster `json:"clusters"`
	Tenants  []Tenant  `json:"tenants"`
}

// DefaultScenario returns a fresh copy of the embedded default world (see README.md).
func DefaultScenario() *Scenario {
	sc, err := parseScenario(defaultScenarioJSON)
	if err != nil {
		panic("ocpsim: embedded default scenario: " + err.Error())
	}
	return sc
}

// LoadScenario reads a scenario from a JSON file and checks it.
func LoadScenario(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ocpsim: reading scenario: %w", err)
	}
	sc, err := parseScenario(b)
	if err != nil {
		return nil, fmt.Errorf("ocpsim: scenario %s: %w", path, err)
	}
	return sc, nil
}

func parseScenario(b []byte) (*Scenario, error) {
	var sc Scenario
	if err := json.Unmarshal(b, &sc); err != nil {
		return nil, err
	}
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return &sc, nil
}

// validate checks the references a world needs to be consistent; New calls it too, for scenarios built
// in Go.
func (sc *Scenario) validate() error {
	if sc.Shapes != "" && !sc.Shapes.valid() {
		return fmt.Errorf("shapes %q: want %q or %q", sc.Shapes, ShapesDocumented, ShapesAssumed)
	}
	if sc.DelayThresholdMillis < 0 || sc.BusyDelayMillis < 0 {
		return fmt.Errorf("delayThresholdMillis and busyDelayMillis must not be negative")
	}
	clusters := map[int64]*Cluster{}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		if c.ID <= 0 || c.Name == "" {
			return fmt.Errorf("cluster #%d: id and name are required", i)
		}
		if clusters[c.ID] != nil {
			return fmt.Errorf("cluster %d: duplicate id", c.ID)
		}
		if c.Type != ClusterPrimary && c.Type != ClusterStandby {
			return fmt.Errorf("cluster %d: type must be PRIMARY or STANDBY", c.ID)
		}
		switch c.SyncStatus {
		case "", ClusterSyncValid, ClusterSyncDisabled, ClusterSyncSynchronizing:
		default:
			return fmt.Errorf("cluster %d: syncStatus must be VALID, DISABLED or SYNCHRONIZING", c.ID)
		}
		clusters[c.ID] = c
	}
	for _, c := range clusters {
		if c.Type == ClusterStandby {
			p := clusters[c.PrimaryClusterID]
			if p == nil || p.Type != ClusterPrimary {
				return fmt.Errorf("cluster %d: primaryClusterId %d is not a primary cluster", c.ID, c.PrimaryClusterID)
			}
		} else if c.PrimaryClusterID != 0 {
			return fmt.Errorf("cluster %d: a primary cluster has no primaryClusterId", c.ID)
		}
	}
	tenants := map[int64]*Tenant{}
	for i := range sc.Tenants {
		t := &sc.Tenants[i]
		if t.ID <= 0 || t.Name == "" {
			return fmt.Errorf("tenant #%d: id and name are required", i)
		}
		if tenants[t.ID] != nil {
			return fmt.Errorf("tenant %d: duplicate id", t.ID)
		}
		if clusters[t.ClusterID] == nil {
			return fmt.Errorf("tenant %d: unknown cluster %d", t.ID, t.ClusterID)
		}
		if t.TenantRole != RolePrimary && t.TenantRole != RoleStandby {
			return fmt.Errorf("tenant %d: tenantRole must be PRIMARY or STANDBY", t.ID)
		}
		if t.Mode != "" && t.Mode != ModeMySQL && t.Mode != ModeOracle {
			return fmt.Errorf("tenant %d: mode must be MYSQL or ORACLE", t.ID)
		}
		tenants[t.ID] = t
	}
	for _, t := range tenants {
		if t.TenantRole == RoleStandby {
			if tenants[t.PrimaryTenantID] == nil {
				return fmt.Errorf("tenant %d: primaryTenantId %d does not exist", t.ID, t.PrimaryTenantID)
			}
		} else if t.PrimaryTenantID != 0 {
			return fmt.Errorf("tenant %d: a primary tenant has no primaryTenantId", t.ID)
		}
	}
	return nil
}
