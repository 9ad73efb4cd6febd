package dr

import "github.com/ocpdr/terraform-provider-ocp/internal/ocp"

// What a DR drill's audit records of an operation comes from what the engine read anyway: the task as
// the wait last read it (with its subtasks), and the standby as read before the switch. Nothing here
// sends a request.

// StandbyBefore is the tenant that was STANDBY when the switchover ran, as OCP reported it before the
// switchover (Before: with its log delay); false when the tenants could not be read. OCP's switchover
// task names the tenant that was PRIMARY when it started, so the other tenant of the pair is the
// standby; without a task (or with one naming neither tenant), the roles read before decide.
func (o SwitchoverOutcome) StandbyBefore() (ocp.Tenant, bool) {
	if o.Before.Primary.ID == 0 {
		return ocp.Tenant{}, false
	}
	if o.Task != nil {
		switch o.Task.TenantID {
		case o.Before.Primary.ID:
			return o.Before.Standby, true
		case o.Before.Standby.ID:
			return o.Before.Primary, true
		}
	}
	_, standby := o.Before.Current()
	return standby, true
}

// SyncSCNBefore is the standby's sync SCN as OCP's precheck reported it just before this call started
// the switchover; nil when it attached to a running switchover (its precheck, if any, is not the one of
// that switchover), when no precheck ran, or when the precheck reported none for the standby.
func (o SwitchoverOutcome) SyncSCNBefore() *int64 {
	standby, ok := o.StandbyBefore()
	if !ok || o.Attached || o.Precheck == nil {
		return nil
	}
	for _, r := range o.Precheck.StandbyCheckResults {
		if r.TenantID == standby.ID && r.SyncSCN != 0 {
			scn := r.SyncSCN
			return &scn
		}
	}
	return nil
}
