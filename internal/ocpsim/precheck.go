package ocpsim

import (
	"fmt"
	"strconv"
)

// Precheck codes. OBE26009 and OBE26107 and their messages are OCP's (precheck page); the other codes
// are the simulator's choice for the contract's other rules (README.md lists them). OBE26009's limit is
// Settings.DelayThresholdMillis.
const (
	CheckNotPrimary      = "OBE26001"
	CheckNotStandby      = "OBE26002"
	CheckNotStandbyOf    = "OBE26003"
	CheckTenantNotNormal = "OBE26004"
	CheckTenantDown      = "OBE26006"
	CheckSyncNotNormal   = "OBE26005"
	CheckLogDelay        = "OBE26009"
	CheckOBProxy         = "OBE26107"
)

// precheckResult is SwitchoverPreCheckResult; its identity fields describe the primary.
type precheckResult struct {
	Valid               bool                 `json:"valid"`
	TenantID            int64                `json:"tenantId"`
	Name                string               `json:"name"`
	ClusterID           int64                `json:"clusterId"`
	ClusterName         string               `json:"clusterName"`
	StandbyCheckResults []standbyCheckResult `json:"standbyCheckResults"`
}

// standbyCheckResult is ObTenantPreCheckResult, about one standby.
type standbyCheckResult struct {
	Valid                    bool          `json:"valid"`
	TenantID                 int64         `json:"tenantId"`
	Name                     string        `json:"name"`
	ClusterID                int64         `json:"clusterId"`
	ClusterName              string        `json:"clusterName"`
	SyncSCN                  int64         `json:"syncScn"`
	PrimaryTenantServiceName string        `json:"primaryTenantServiceName"`
	CheckResults             []checkResult `json:"checkResults"`
}

// checkResult is PreCheckResult: a warning does not block the switchover, an error does.
type checkResult struct {
	Warning      bool   `json:"warning"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// precheck applies the contract's rules to a requested switchover of p (as primary) and sb (as standby).
// Call with s.mu held.
func (s *Sim) precheck(p, sb *Tenant) precheckResult {
	var checks []checkResult
	block := func(code, format string, args ...any) {
		checks = append(checks, checkResult{ErrorCode: code, ErrorMessage: fmt.Sprintf(format, args...)})
	}
	if p.TenantRole != RolePrimary {
		block(CheckNotPrimary, "The %s tenant is not a primary tenant: its role is %s.", p.Name, p.TenantRole)
	}
	if sb.TenantRole != RoleStandby {
		block(CheckNotStandby, "The %s tenant is not a standby tenant: its role is %s.", sb.Name, sb.TenantRole)
	} else if sb.PrimaryTenantID != p.ID {
		block(CheckNotStandbyOf, "The %s tenant is not a standby tenant of the %s tenant.", sb.Name, p.Name)
	}
	for _, t := range []*Tenant{p, sb} {
		if t.Status != TenantNormal {
			block(CheckTenantNotNormal, "The %s tenant is in the %s state; only tenants in the NORMAL state can be switched over.", t.Name, t.Status)
		}
	}
	// A switchover needs both tenants alive: the primary hands over, the standby takes over.
	for _, t := range []*Tenant{p, sb} {
		if t.Down {
			block(CheckTenantDown, "The %s tenant is unavailable; a switchover needs both tenants available.", t.Name)
		}
	}
	if sb.TenantRole == RoleStandby {
		if sb.SyncStatus != SyncNormal {
			block(CheckSyncNotNormal, "The log synchronization status of the %s tenant is %s, not NORMAL.", sb.Name, sb.SyncStatus)
		}
		if limit := s.settings.DelayThresholdMillis; sb.LogSyncDelayMillis != nil && *sb.LogSyncDelayMillis > limit {
			block(CheckLogDelay, "This operation is not allowed because the log synchronization latency of the %s tenant is %s ms, which exceeds %s ms.",
				sb.Name, groupThousands(*sb.LogSyncDelayMillis), groupThousands(limit))
		}
	}
	pc, sc := s.clusters[p.ClusterID], s.clusters[sb.ClusterID]
	if pc.OBProxyCluster != sc.OBProxyCluster {
		checks = append(checks, checkResult{Warning: true, ErrorCode: CheckOBProxy,
			ErrorMessage: "Automatic routing cannot be implemented after the switchover because the clusters of the primary and standby tenants are not associated with the same OBProxy cluster."})
	}
	valid := true
	for _, c := range checks {
		if !c.Warning {
			valid = false
		}
	}
	if checks == nil {
		checks = []checkResult{}
	}
	view := s.tenantView(sb)
	return precheckResult{
		Valid: valid, TenantID: p.ID, Name: p.Name, ClusterID: p.ClusterID, ClusterName: pc.Name,
		StandbyCheckResults: []standbyCheckResult{{
			Valid: valid, TenantID: sb.ID, Name: sb.Name, ClusterID: sb.ClusterID, ClusterName: sc.Name,
			SyncSCN: view.SyncSCN, PrimaryTenantServiceName: p.ServiceName, CheckResults: checks,
		}},
	}
}

// blockingMessages returns the messages of the checks that block, for a refused switchover.
func (r *precheckResult) blockingMessages() []string {
	var out []string
	for _, sr := range r.StandbyCheckResults {
		for _, c := range sr.CheckResults {
			if !c.Warning {
				out = append(out, c.ErrorCode+": "+c.ErrorMessage)
			}
		}
	}
	return out
}

// groupThousands writes n as OCP's messages do: 14883430 → "14,883,430".
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
